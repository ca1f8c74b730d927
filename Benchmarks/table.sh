#!/usr/bin/env bash
# Every row of the speed table, each beside its peer, in one run on this machine:
#
#   bash Benchmarks/table.sh            # the build in .build/release (built if missing)
#   BIN=path/to/warden bash Benchmarks/table.sh   # another build (an older commit's)
#   ROWS=45 bash Benchmarks/table.sh              # some rows only (1–6)
#
# Rows: check through the CLI (one core, 200k events); the in-process bench (events/s, p50,
# p99); audit of 10^6 events on every core (events/s, peak memory); a one-rule audit (64k words,
# default folds) of the 247k benchmark reviews as send events, against ripgrep over the raw
# text; keyword scans of 5k and 64k words, exact and with every fold, against Hyperscan.
# Inputs are generated into bench-data/ (never committed). The machines are shared and noisy:
# compare the ratios of one run, not absolute figures across runs.
set -euo pipefail
source "$(dirname "$0")/peers.sh"
[ -f "$out/events-1m.jsonl" ] || python3 scripts/make-samples.py --events 1000000 --seed 1 > "$out/events-1m.jsonl"
[ -f "$out/events-200k.jsonl" ] || head -200000 "$out/events-1m.jsonl" > "$out/events-200k.jsonl"
if [ -z "${BIN:-}" ]; then swift build -c release --product warden >/dev/null; fi
bin=${BIN:-.build/release/warden}
rows=${ROWS:-123456}
row() { [[ $rows == *$1* ]]; }
# The one-rule audit: every review line as a send event, one rule over the 64k words.
if [ ! -f "$out/reviews.jsonl" ]; then
  python3 - "$out/corpus.txt" "$out/reviews.jsonl" <<'EOF'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as g:
    for i, line in enumerate(f):
        e = {"id": f"r{i}", "type": "send", "ts": 1764000000 + i, "account": f"a{i % 5000}", "to": ["b"], "text": line.rstrip("\n")}
        g.write(json.dumps(e, ensure_ascii=False) + "\n")
EOF
fi
mkdir -p "$out/one-rule"
cp "$out/words-64k.txt" "$out/one-rule/words.txt"
cat > "$out/one-rule/one.rules" <<'EOF'
ruleset one_rule
list words = file("words.txt")
rule hit {
  on send
  when text contains any words
  score 50
}
EOF

secs() { echo "$2 - $1" | bc -l; }
best() { printf '%s\n' "$@" | sort -g | head -1; }
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
mib() { echo "$(stat -c %s "$1") / 1048576" | bc -l; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo "binary: $bin"
echo

# 1. check through the CLI, one core.
if row 1; then
ts=()
for _ in 1 2 3; do
  s=$(date +%s.%N); taskset -c 0 "$bin" check --rules rules "$out/events-200k.jsonl" > /dev/null; e=$(date +%s.%N)
  ts+=("$(secs "$s" "$e")")
done
t=$(best "${ts[@]}")
printf '| check, default rules, 1 core, 200k events (CLI) | %.0f events/s (best of 3) | — |\n' "$(echo "200000 / $t" | bc -l)"
fi

# 2. the in-process bench.
if row 2; then
b=$("$bin" bench --rules rules --seconds 3 | grep -m1 'events/s')
printf '| bench in process | %s | sensitive-go 1.6–6.6 µs a text (not runnable here: no Go toolchain) |\n' "$(echo "$b" | xargs)"
fi

# 3. audit of 10^6 events on every core.
if row 3; then
/usr/bin/time -f "%e %M" "$bin" audit --rules rules "$out/events-1m.jsonl" > /dev/null 2> "$out/time.txt"
read -r wall kib < <(tail -1 "$out/time.txt")
printf '| audit 10^6 events, %s cores | %.0f events/s, %.0f MiB peak | — |\n' "$(nproc)" "$(echo "1000000 / $wall" | bc -l)" "$(echo "$kib / 1024" | bc -l)"
fi

if row 4; then
# 4. one-rule audit against ripgrep over the raw text (whole process, best of 3 each, alternating).
raw=$(echo "$(stat -c %s "$out/corpus.txt") / 1000000" | bc -l)
wa=(); ra=()
for _ in 1 2 3; do
  s=$(date +%s.%N); "$bin" audit --rules "$out/one-rule" "$out/reviews.jsonl" > /dev/null; e=$(date +%s.%N); wa+=("$(secs "$s" "$e")")
  s=$(date +%s.%N); rg -F -c -f "$out/words-64k.txt" "$out/corpus.txt" > /dev/null; e=$(date +%s.%N); ra+=("$(secs "$s" "$e")")
done
w=$(best "${wa[@]}"); r=$(best "${ra[@]}")
printf '| one-rule audit, 247k reviews, 64k words, default folds | %.1f MB/s (%.2f s) | rg -F -f %.1f MB/s (%.2f s): %s× |\n' \
  "$(echo "$raw / $w" | bc -l)" "$w" "$(echo "$raw / $r" | bc -l)" "$r" "$(ratio "$r" "$w")"
fi

# 5–6. keyword scans against Hyperscan (scan only, one core).
for words in words-5k words-64k; do
  row 5 || continue
  hs=$("$out/hs_count" "$out/$words.txt" "$out/corpus.txt" | grep -o '[0-9.]* MiB/s' | head -1 | cut -d' ' -f1)
  for mode in --exact ""; do
    # shellcheck disable=SC2086
    w=$("$bin" bench --rules rules --seconds 0.1 --words "$out/$words.txt" --corpus "$out/corpus.txt" $mode | grep keywords | grep -o '[0-9.]* MiB/s' | head -1 | cut -d' ' -f1)
    printf '| keywords %s, %s | %.1f MiB/s | Hyperscan %.1f MiB/s: %s× |\n' "$words" "$([ -n "$mode" ] && echo exact || echo "every fold")" "$w" "$hs" "$(ratio "$w" "$hs")"
  done
done

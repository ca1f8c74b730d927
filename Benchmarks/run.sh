#!/usr/bin/env bash
# Benchmarks: `warden bench` next to a peer measured in the same run on the same machine.
# Builds the corpus with ../shared/data/bench/make-corpus.py (not committed; regenerated here).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${WARDEN_DATA:-../shared/data}
out=bench-data
mkdir -p "$out"
[ -f "$out/corpus-8m.txt" ] || python3 "$data/bench/make-corpus.py" "$out" >/dev/null
swift build -c release >/dev/null
bin=.build/release/warden
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo "== check on samples/events.jsonl (default rules)"
"$bin" bench --rules rules --seconds 3 --counter-keys 1000000
for words in words-5k words-64k; do
  echo "== $words on corpus-8m.txt"
  "$bin" bench --rules rules --seconds 0.1 --words "$out/$words.txt" --corpus "$out/corpus-8m.txt" --exact | grep keywords
  "$bin" bench --rules rules --seconds 0.1 --words "$out/$words.txt" --corpus "$out/corpus-8m.txt" | grep keywords
  # Peer: GNU grep -F, whole process, lines with a match; best of 3.
  best=999
  for _ in 1 2 3; do
    s=$(date +%s.%N); n=$(LC_ALL=C grep -F -c -f "$out/$words.txt" "$out/corpus-8m.txt"); e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l); best=$(echo "if ($t < $best) $t else $best" | bc -l)
  done
  mib=$(echo "$(stat -c %s "$out/corpus-8m.txt") / 1048576" | bc -l)
  printf 'peer: grep -F -c -f: %.1f MiB/s (%d lines with a match; best of 3)\n' "$(echo "$mib / $best" | bc -l)" "$n"
done

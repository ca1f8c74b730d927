#!/usr/bin/env bash
# Benchmarks: `warden bench` and its peers on the same inputs, in the same run, on this machine.
# Inputs come from ../shared/data/bench/make-corpus.py (regenerated here, never committed).
# Peers: GNU grep -F and ripgrep -F (whole process, lines with a match), and Hyperscan through
# the C harness in Benchmarks/hyperscan (every literal match; (regex, line) pairs for regexes).
set -euo pipefail
source "$(dirname "$0")/peers.sh"
swift build -c release >/dev/null
bin=.build/release/warden
mib() { echo "$(stat -c %s "$1") / 1048576" | bc -l; }
# Whole-process MiB/s of a command over FILE, best of 3; prints "rate count".
peer() {
  local file=$1; shift
  local best=999 n=0
  for _ in 1 2 3; do
    local s e t
    s=$(date +%s.%N); n=$("$@"); e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l); best=$(echo "if ($t < $best) $t else $best" | bc -l)
  done
  printf '%.1f MiB/s (%s lines with a match; best of 3, whole process)' "$(echo "$(mib "$file") / $best" | bc -l)" "$n"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo "== check on samples/events.jsonl (default rules), counters at 1M keys"
"$bin" bench --rules rules --seconds 3 --counter-keys 1000000
for words in words-5k words-64k; do
  echo "== $words on corpus.txt (50 MiB)"
  "$bin" bench --rules rules --seconds 0.1 --words "$out/$words.txt" --corpus "$out/corpus.txt" --exact | grep keywords
  "$bin" bench --rules rules --seconds 0.1 --words "$out/$words.txt" --corpus "$out/corpus.txt" | grep keywords
  "$out/hs_count" "$out/$words.txt" "$out/corpus.txt"
  echo "ripgrep: $(peer "$out/corpus.txt" rg -F -c -f "$out/$words.txt" "$out/corpus.txt")"
  echo "grep: $(peer "$out/corpus.txt" env LC_ALL=C grep -F -c -f "$out/$words.txt" "$out/corpus.txt")"
done
for corpus in corpus-8m corpus; do
  echo "== regexes.txt on $corpus.txt"
  "$bin" bench --rules rules --seconds 0.1 --regexes "$data/bench/regexes.txt" --corpus "$out/$corpus.txt" | grep regexes
  "$out/hs_count" --regex "$data/bench/regexes.txt" "$out/$corpus.txt"
done

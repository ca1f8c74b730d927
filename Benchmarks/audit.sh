#!/usr/bin/env bash
# Audit throughput on generated logs: 10^6 events on 1 and 2 cores, 4×10^6 on 2 cores (linear?),
# peak memory; and ripgrep over the same file's texts as a floor for the text part.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench-data
mkdir -p "$out"
command -v rg >/dev/null || { apt-get update -qq && apt-get install -y -qq ripgrep >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
swift build -c release >/dev/null
bin=.build/release/warden
[ -f "$out/events-1m.jsonl" ] || python3 scripts/make-samples.py --events 1000000 --seed 1 > "$out/events-1m.jsonl"
[ -f "$out/events-4m.jsonl" ] || python3 scripts/make-samples.py --events 4000000 --seed 2 > "$out/events-4m.jsonl"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
run() {
  local label=$1; shift
  /usr/bin/time -f "%e s wall, %M KiB peak" "$@" 2> "$out/time.txt" | head -1
  echo "  $label: $(tail -1 "$out/time.txt")"
}
echo "== audit 10^6 events, default rules"
run "1 core" taskset -c 0 "$bin" audit --rules rules "$out/events-1m.jsonl"
run "2 cores" "$bin" audit --rules rules "$out/events-1m.jsonl"
echo "== audit 4×10^6 events, 2 cores"
run "2 cores" "$bin" audit --rules rules "$out/events-4m.jsonl"
echo "== peer: ripgrep over the texts of the same 10^6 events (fraud list, fixed strings)"
grep -v '^#' rules/lists/fraud.txt > "$out/fraud-words.txt"
s=$(date +%s.%N); n=$(rg -F -c -f "$out/fraud-words.txt" "$out/events-1m.jsonl"); e=$(date +%s.%N)
echo "  rg -F -c -f fraud.txt: $(echo "$e - $s" | bc -l | xargs printf '%.2f') s ($n lines with a match)"

#!/usr/bin/env bash
# Golden digests: `warden check` with the default rules must decide exactly as before a change to
# the engine (a change to the rules changes them on purpose: update the digests in the same commit).
#
#   bash Benchmarks/golden.sh          # compare; exit 1 on a difference
#   BIN=path/to/warden bash Benchmarks/golden.sh   # a binary already built (callgrind.sh's, say)
#
# The 10^6-event log comes from scripts/make-samples.py (seed 1); only its output's digest is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${BIN:-}" ]; then
  bin=$BIN
else
  swift build -c release --product warden >/dev/null
  bin=.build/release/warden
fi
mkdir -p bench-data
[ -f bench-data/events-1m.jsonl ] || python3 scripts/make-samples.py --events 1000000 --seed 1 > bench-data/events-1m.jsonl
status=0
check() {
  local name=$1 file=$2 expected=$3
  local start=$(date +%s.%N)
  local got=$("$bin" check --rules rules "$file" | sha256sum | cut -d' ' -f1)
  local end=$(date +%s.%N)
  if [ "$got" = "$expected" ]; then
    printf '%s: same decisions (%.1f s)\n' "$name" "$(echo "$end - $start" | bc -l)"
  else
    printf '%s: DIFFERENT decisions: %s, expected %s\n' "$name" "$got" "$expected"
    status=1
  fi
}
check "samples/events-10k.jsonl" samples/events-10k.jsonl a928d0f961a93dba23c4153af2ea1ab298fad5523b75af02f19c1c7a75272844
check "10^6 generated events (seed 1)" bench-data/events-1m.jsonl c79670f579a1bf2a92a097d893c89e16ac8a672b1ed6449dd96e1d7e636140d5
exit $status

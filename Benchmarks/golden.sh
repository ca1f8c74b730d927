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
check "samples/events-10k.jsonl" samples/events-10k.jsonl 158e48468474a88d1153e825dd0043abf8d7222acd685df28188d78141f3a018
check "10^6 generated events (seed 1)" bench-data/events-1m.jsonl 623c627205843d6f4a17e9075b26a72b28a86bb2fac8c919d5621826ab7456cf
exit $status

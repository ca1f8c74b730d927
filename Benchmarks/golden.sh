#!/usr/bin/env bash
# Golden digests: `warden check` with the default rules must decide exactly as before a change to
# the engine (a change to the rules changes them on purpose: update the digests in the same commit).
#
#   bash Benchmarks/golden.sh          # compare; exit 1 on a difference
#
# The 10^6-event log comes from scripts/make-samples.py (seed 1); only its output's digest is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product warden >/dev/null
bin=.build/release/warden
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
check "samples/events-10k.jsonl" samples/events-10k.jsonl a4e6d4457cc862da418dfa169bf5e4d5871c4781247014fd670af3046d268df0
check "10^6 generated events (seed 1)" bench-data/events-1m.jsonl 032b8f3214248030d871eccf685dd75f88c99a7bb3ed3175d2ae27441eaf1a4b
exit $status

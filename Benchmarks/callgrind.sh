#!/usr/bin/env bash
# Instructions per event of `warden check` (valgrind --tool=callgrind: exact on this noisy VM).
#
#   bash Benchmarks/callgrind.sh [EVENTS] [RULES] [FILE]   # default: 2000 events of the 10k sample, rules/
#
# Counts a run over 2×EVENTS events and a run over EVENTS, and prints their difference per event
# and the functions it goes to: start-up and tear-down (loading the rules, freeing them at exit)
# are in both runs and cancel, so the figure is what one more event costs. FILE needs 2×EVENTS
# lines. One malloc arena: loading builds on every core, and blocks of other threads' arenas
# cost a varying amount to free at exit (±2k instructions an event otherwise). Built without debug info (valgrind 3.19 cannot read Swift's DWARF) in
# .build-cg/ (or BIN=path/to/warden measures that binary, say an older commit's). Swift's hashing
# is made deterministic for the runs, so counts repeat.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
rules=${2:-rules}
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
mkdir -p bench-data
if [ -n "${BIN:-}" ]; then
  strip --strip-debug -o bench-data/warden-cg "$BIN"
else
  swift build -c release --product warden -Xswiftc -gnone --scratch-path .build-cg >/dev/null
  strip --strip-debug -o bench-data/warden-cg .build-cg/release/warden
fi
head -"$((2 * n))" "${3:-samples/events-10k.jsonl}" > bench-data/cg-events.jsonl
head -"$n" "${3:-samples/events-10k.jsonl}" > bench-data/cg-none.jsonl
n=$(( $(wc -l < bench-data/cg-events.jsonl) - $(wc -l < bench-data/cg-none.jsonl) ))
[ "$n" -gt 0 ] || { echo "callgrind.sh: the file has too few lines" >&2; exit 2; }
for f in events none; do
  GLIBC_TUNABLES=glibc.malloc.arena_max=1 SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file=bench-data/cg.$f.out bench-data/warden-cg check --rules "$rules" bench-data/cg-$f.jsonl > /dev/null 2> bench-data/cg.$f.err
done
python3 Benchmarks/callgrind/diff.py bench-data/cg.events.out bench-data/cg.none.out "$n" "${TOP:-25}"

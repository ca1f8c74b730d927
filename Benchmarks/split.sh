#!/usr/bin/env bash
# The audit's evaluation split by account (`--evaluators`): an account-keyed variant of the
# default rules (no redeem/invite files, no reward settings, delete_content for revoke_code:
# `lint --keys` says exact) over the 10^6-event log, one thread and every core, alternating
# runs (RUNS, default 5); wall time, CPU, how many batches were split, and whether the findings
# are byte-identical.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench-data
mkdir -p "$out"
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
bin=${BIN:-.build/release/warden}
[ -n "${BIN:-}" ] || swift build -c release --product warden >/dev/null
[ -f "$out/events-1m.jsonl" ] || python3 scripts/make-samples.py --events 1000000 --seed 1 > "$out/events-1m.jsonl"
rules="$out/account-rules"
rm -rf "$rules" && cp -r rules "$rules"
rm "$rules/70-redeem.rules" "$rules/75-invites.rules"
sed -i 's/ reward_tiers \[[^]]*\] reward_excludes \[[^]]*\] reward_requires_return [0-9a-z]*//' "$rules/00-ruleset.rules"
sed -i 's/revoke_code(code)/delete_content(message)/' "$rules"/*.rules
"$bin" lint --keys --rules "$rules" | tail -1
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
for r in $(seq "${RUNS:-5}"); do
  for n in 1 $(nproc); do
    /usr/bin/time -f "%e s wall, %P CPU, %M KiB peak" "$bin" audit --rules "$rules" "$out/events-1m.jsonl" --all \
      --out "$out/split-$n.jsonl" --evaluators "$n" > "$out/split.txt" 2> "$out/time.txt"
    echo "--evaluators $n: $(tail -1 "$out/time.txt"); $(grep '^evaluation:' "$out/split.txt" | cut -c13- | cut -d'(' -f1)"
  done
done
cmp -s "$out/split-1.jsonl" "$out/split-$(nproc).jsonl" && echo "findings: byte-identical" || { echo "findings differ"; exit 1; }

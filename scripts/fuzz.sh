#!/usr/bin/env bash
# Runs Warden's libFuzzer targets (Fuzz/) for a bounded time each, with AddressSanitizer.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET…]     (default 600 s, every target)
# Seed corpora come from rules/ and samples/; findings land in fuzz-out/TARGET/ as crash-* files
# (replay one with: .build-fuzz/release/TARGET fuzz-out/TARGET/crash-…).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzRules FuzzEvents FuzzCSV FuzzMatcher FuzzRegex)
export WARDEN_FUZZ=1
# FUZZ_NO_BUILD=1 skips the build (when several runs share one build directory at once).
if [ -z "${FUZZ_NO_BUILD:-}" ]; then
  for t in "${targets[@]}"; do
    swift build -c release --build-path .build-fuzz --product "$t" -Xswiftc -sanitize=fuzzer,address -Xswiftc -g 2>&1 | grep -E "error" || true
  done
fi
seed() {
  local t=$1 dir=fuzz-out/$1/seeds
  mkdir -p "$dir"
  case $t in
    FuzzRules) cp rules/*.rules Tests/WardenCLITests/Fixtures/*.rules "$dir"/ 2>/dev/null || true ;;
    FuzzEvents) split -l 1 samples/events.jsonl "$dir/event-" ;;
    FuzzCSV) printf 'id,type,ts,account,to,text,code\nm1,send,2026-03-01T10:00:00Z,u1,"[""a"",""b""]","兼职刷单, 加V",AB12\n' > "$dir/basic.csv" ;;
    FuzzMatcher) printf '刷单\n加微信\nvx\n\n兼職刷單 加 微-信 ｖｘ①③⑧\n' > "$dir/basic.txt" ;;
    FuzzRegex) grep -v '^#' ../shared/data/bench/regexes.txt 2>/dev/null | split -l 8 - "$dir/set-" || true
      for f in "$dir"/set-*; do printf '\n加微信13812345678 010-1234567 3.5%% ¥20 一二三四五六七八 http://t.cn/ab\n' >> "$f"; done ;;
  esac
}
for t in "${targets[@]}"; do
  seed "$t"
  mkdir -p "fuzz-out/$t/corpus"
  echo "== $t, $seconds s"
  [ -x ".build-fuzz/release/$t" ] || { echo "$t: not built (run without FUZZ_NO_BUILD)"; exit 1; }
  # The whole libFuzzer log stays in fuzz-out/TARGET/run.log; the summary lines are printed.
  (cd "fuzz-out/$t" && ASAN_OPTIONS=detect_leaks=0 "../../.build-fuzz/release/$t" corpus seeds \
      -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 > run.log 2>&1) || true
  grep -E "^Done|stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY|Test unit written" "fuzz-out/$t/run.log" || true
  ls "fuzz-out/$t" | grep -E "^(crash|leak|timeout|oom)-" || echo "$t: no findings"
done

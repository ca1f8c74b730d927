#!/usr/bin/env bash
# Backtests against warden dry-run on the same 10^6 events (scripts/make-samples.py, seed 1), and
# checks' latency while a backtest runs.
#
#   bash Benchmarks/backtest.sh            # BIN=path/to/warden to use a build already made
#
# 1. The log is written as archive segments (the format `serve --archive` writes, one segment an
#    hour), a release server is started on it, and a backtest of a one-rule change is timed
#    through the API; `warden dry-run` of the same change over the same events from the file is
#    timed in the same run.
# 2. wrk (64 connections, 10 s) against the server alone, then again while a backtest runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-.build/release/warden}
[ -n "${BIN:-}" ] || swift build -c release --product warden >/dev/null
mkdir -p bench-data
[ -f bench-data/events-1m.jsonl ] || python3 scripts/make-samples.py --events 1000000 --seed 1 > bench-data/events-1m.jsonl
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
python3 - bench-data/events-1m.jsonl "$work/archive" <<'PY'
import gzip, os, sys, time
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
files = {}
for line in open(src, encoding="utf-8"):
    line = line.rstrip("\n")
    i = line.find('"ts":'); j = line.find(",", i)
    ts = int(line[i + 5:j])
    hour = ts // 3600
    if hour not in files:
        name = time.strftime("events-%Y%m%dT%H", time.gmtime(hour * 3600)) + "-bench.jsonl.gz"
        files[hour] = gzip.open(os.path.join(out, name), "wt", compresslevel=6, encoding="utf-8")
    files[hour].write('{"ts":%d,"received":%d,"event":%s}\n' % (ts, ts, line))
for f in files.values(): f.close()
PY
echo "archive: $(ls "$work/archive" | wc -l) segments, $(du -sh "$work/archive" | cut -f1)"
printf 'bench-admin' > "$work/admin"
"$bin" serve --rules rules --port 0 --state memory --archive "$work/archive" --archive-keep 100000d --admin-token-file "$work/admin" > "$work/out" 2>/dev/null &
pid=$!
for _ in $(seq 100); do grep -q listening "$work/out" && break; sleep 0.1; done
port=$(grep -o '127.0.0.1:[0-9]*' "$work/out" | cut -d: -f2)
mkdir -p "$work/candidate" && cp -r rules/* "$work/candidate/"
sed -i 's/within: 1d) > 50$/within: 1d) > 40/' "$work/candidate/10-volume.rules"
body=$(python3 -c 'import json,sys; print(json.dumps({"files":{"10-volume.rules":open(sys.argv[1]).read()},"since":"2020-01-01"}))' "$work/candidate/10-volume.rules")
run_backtest() {
  local id
  id=$(curl -s -X POST "localhost:$port/v1/backtests" -H "Authorization: Bearer bench-admin" -d "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while :; do
    status=$(curl -s "localhost:$port/v1/backtests/$id" | python3 -c 'import json,sys; v=json.load(sys.stdin); print(v["status"], v["events"])')
    case $status in queued*|running*) sleep 0.2 ;; *) echo "$status"; break ;; esac
  done
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
start=$(date +%s.%N); result=$(run_backtest); end=$(date +%s.%N)
printf 'backtest over the archive: %s events in %.1f s\n' "$(echo "$result" | cut -d' ' -f2)" "$(echo "$end - $start" | bc -l)"
start=$(date +%s.%N); "$bin" dry-run --rules "$work/candidate" --baseline rules bench-data/events-1m.jsonl > /dev/null; end=$(date +%s.%N)
printf 'warden dry-run over the file: %.1f s\n' "$(echo "$end - $start" | bc -l)"
if command -v wrk >/dev/null; then
  echo "== 64 connections, no backtest"
  wrk -t 2 -c 64 -d 10s --latency -s Benchmarks/serve/check.lua "http://127.0.0.1:$port" | grep -E "Requests/sec|99%"
  (run_backtest > /dev/null) &
  backtest=$!
  sleep 1
  echo "== 64 connections, a backtest running"
  wrk -t 2 -c 64 -d 10s --latency -s Benchmarks/serve/check.lua "http://127.0.0.1:$port" | grep -E "Requests/sec|99%"
  wait $backtest
fi

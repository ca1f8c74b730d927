#!/usr/bin/env bash
# Backtests against warden dry-run on the same 10^6 events (scripts/make-samples.py, seed 1), and
# checks' latency while a backtest runs.
#
#   bash Benchmarks/backtest.sh            # BIN=path/to/warden to use a build already made;
#                                          # SPEED_ROUNDS=0 for the latency part only
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
pid=
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
archive=bench-data/archive-1m
[ -f "$archive/.complete-1" ] || python3 - bench-data/events-1m.jsonl "$archive" <<'PY'
import gzip, os, shutil, sys, time
src, out = sys.argv[1], sys.argv[2]
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
files = {}
for line in open(src, encoding="utf-8"):
    line = line.rstrip("\n")
    i = line.find('"ts":'); j = line.find(",", i)
    ts = int(line[i + 5:j])
    hour = ts // 3600
    if hour not in files:
        name = time.strftime("events-%Y%m%dT%H", time.gmtime(hour * 3600)) + "-bench.jsonl.gz"
        files[hour] = gzip.open(os.path.join(out, name), "wt", compresslevel=1, encoding="utf-8")
    files[hour].write('{"ts":%d,"received":%d,"event":%s}\n' % (ts, ts, line))
for f in files.values(): f.close()
open(os.path.join(out, ".complete-1"), "w").close()  # level 1, as serve writes
PY
echo "archive: $(ls "$archive" | wc -l) segments, $(du -sh "$archive" | cut -f1)"
printf 'bench-admin' > "$work/admin"
# A server of its own for every measurement: a server's latency grows with the state it has
# accumulated, so "without" then "with" on one server would blame the backtest for that.
start_server() {
  if [ -n "$pid" ]; then kill $pid 2>/dev/null; wait $pid 2>/dev/null || true; fi
  rm -rf "$work/archive" && cp -al "$archive" "$work/archive"  # the server appends to its archive: a copy of links
  "$bin" serve --rules rules --port 0 --state memory --archive "$work/archive" --archive-keep 100000d --admin-token-file "$work/admin" > "$work/out" 2>/dev/null &
  pid=$!
  for _ in $(seq 100); do grep -q listening "$work/out" && break; sleep 0.1; done
  port=$(grep -o '127.0.0.1:[0-9]*' "$work/out" | cut -d: -f2)
}
mkdir -p "$work/candidate" && cp -r rules/* "$work/candidate/"
sed -i 's/within: 1d) > 50$/within: 1d) > 40/' "$work/candidate/10-volume.rules"
body=$(python3 -c 'import json,sys; print(json.dumps({"files":{"10-volume.rules":open(sys.argv[1]).read()},"since":"2020-01-01"}))' "$work/candidate/10-volume.rules")
run_backtest() {
  local id
  id=$(curl -s -X POST "localhost:$port/v1/backtests" -H "Authorization: Bearer bench-admin" -d "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while :; do
    # grep, not a Python per poll: the poller must not take the CPU it measures.
    status=$(curl -s "localhost:$port/v1/backtests/$id" | grep -o '"status":"[a-z]*","progress":[0-9.]*,"events":[0-9]*')
    case $status in *queued*|*running*) sleep 0.5 ;; *) echo "$status" | grep -o '[0-9]*$'; break ;; esac
  done
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
# Alternating rounds: the machine is shared and one run swings by 10%; the median ratio counts.
ratios=()
for round in $(seq "${SPEED_ROUNDS:-3}"); do
  start_server
  start=$(date +%s.%N); events=$(run_backtest); end=$(date +%s.%N)
  b=$(echo "$end - $start" | bc -l)
  start=$(date +%s.%N); "$bin" dry-run --rules "$work/candidate" --baseline rules bench-data/events-1m.jsonl > /dev/null; end=$(date +%s.%N)
  f=$(echo "$end - $start" | bc -l)
  r=$(echo "$f / $b" | bc -l)
  ratios+=("$r")
  printf 'round %d: backtest over the archive %s events in %.1f s; warden dry-run over the file %.1f s; speed ratio %.2f\n' "$round" "$events" "$b" "$f" "$r"
done
[ ${#ratios[@]} -eq 3 ] && printf 'median speed ratio (backtest / file): %.2f\n' "$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n 2p)"
if command -v wrk >/dev/null; then
  load() { wrk -t 2 -c 64 -d 10s --latency -s Benchmarks/serve/check.lua "http://127.0.0.1:$port" | grep -E "Requests/sec|99%" | xargs; }
  for round in 1 2 3; do
    start_server
    echo "round $round, 64 connections, no backtest:      $(load)"
    start_server
    (run_backtest > /dev/null) &
    backtest=$!
    sleep 1
    echo "round $round, 64 connections, a backtest running: $(load)"
    kill $backtest 2>/dev/null; wait $backtest 2>/dev/null || true
  done
fi

#!/usr/bin/env bash
# What `serve --archive` costs checks: wrk at 64 connections (10 s) against a server with and
# without an archive, alternating, a fresh server and state each run. Besides req/s and p99 (which
# swing by 20% from run to run on a shared machine), the server's own CPU time per answered check
# (utime + stime from /proc, over the run): the cost the archive adds to each check.
#
#   bash Benchmarks/archive-cost.sh        # BIN=path/to/warden, ROUNDS=N (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
bin=${BIN:-.build/release/warden}
[ -n "${BIN:-}" ] || swift build -c release --product warden >/dev/null
tick=$(getconf CLK_TCK)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
declare -A cost
for round in $(seq "${ROUNDS:-3}"); do
  for mode in none archive; do
    work=$(mktemp -d)
    args=(serve --rules rules --port 0 --state "sqlite:$work/state.db")
    [ $mode = archive ] && args+=(--archive "$work/archive")
    "$bin" "${args[@]}" > "$work/out" 2>/dev/null &
    pid=$!
    for _ in $(seq 50); do grep -q listening "$work/out" && break; sleep 0.2; done
    port=$(grep -o '127.0.0.1:[0-9]*' "$work/out" | cut -d: -f2)
    before=$(awk '{print $14 + $15}' /proc/$pid/stat)
    result=$(wrk -t 2 -c 64 -d 10s --latency -s Benchmarks/serve/check.lua "http://127.0.0.1:$port")
    after=$(awk '{print $14 + $15}' /proc/$pid/stat)
    kill $pid; wait $pid 2>/dev/null || true
    requests=$(echo "$result" | grep -o '[0-9]* requests in' | cut -d' ' -f1)
    us=$(echo "($after - $before) * 1000000 / $tick / $requests" | bc -l)
    cost[$mode]+="$us "
    printf 'round %d %-7s  %s  p99 %s  server CPU %.1f µs per check\n' "$round" "$mode" \
      "$(echo "$result" | grep Requests/sec | xargs)" "$(echo "$result" | grep ' 99%' | awk '{print $2}')" "$us"
    rm -rf "$work"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
none=$(echo "${cost[none]}" | median)
archive=$(echo "${cost[archive]}" | median)
printf 'median server CPU per check: %.1f µs without, %.1f µs with the archive (%+.1f%%)\n' "$none" "$archive" \
  "$(echo "($archive / $none - 1) * 100" | bc -l)"

#!/usr/bin/env bash
# serve under load from wrk on loopback (1 and 64 connections, 2 threads, 20 s each).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
bin=${BIN:-.build/release/warden}
[ -n "${NO_BUILD:-}${BIN:-}" ] || swift build -c release >/dev/null
out=$(mktemp)
state=${STATE:-sqlite:$(mktemp -d)/state.db}
"$bin" serve --rules rules --port 0 --state "$state" ${SERVE_ARGS:-} > "$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.2; done
port=$(grep -o '127.0.0.1:[0-9]*' "$out" | cut -d: -f2)
echo "state: $state ${SERVE_ARGS:-}"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
for c in 1 64; do
  echo "== $c connection(s)"
  wrk -t $([ $c = 1 ] && echo 1 || echo 2) -c $c -d ${DURATION:-20}s --latency -s Benchmarks/serve/check.lua "http://127.0.0.1:$port" \
    | grep -E "Requests/sec|Latency +|50%|99%"
done

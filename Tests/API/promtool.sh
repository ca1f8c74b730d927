#!/usr/bin/env bash
# GET /metrics through Prometheus' own checker (`promtool check metrics`): names, HELP lines,
# types. promtool comes with Debian's prometheus package, installed when apt-get can (its
# service kept from starting); without it the check is skipped with a line saying so.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v promtool >/dev/null; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  policy=/usr/sbin/policy-rc.d
  made=0
  if [ "$(id -u)" = 0 ] && [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && made=1; fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1 || true
  [ "$made" = 1 ] && rm -f "$policy"
fi
command -v promtool >/dev/null || { echo "promtool: not installable here, skipped"; exit 0; }
bin=${BIN:-.build/debug/warden}
work=$(mktemp -d)
"$bin" serve --rules rules --port 0 --state "sqlite:$work/state.db" --archive "$work/archive" > "$work/out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q listening "$work/out" && break; sleep 0.1; done
port=$(grep -o '127.0.0.1:[0-9]*' "$work/out" | cut -d: -f2)
curl -s "localhost:$port/v1/check" -d '{"id":"m1","type":"send","account":"u1","to":["u2"],"text":"兼职刷单日赚300，加V领码","devce":"x"}' >/dev/null
curl -s "localhost:$port/metrics" > "$work/metrics"
promtool check metrics < "$work/metrics"
echo "promtool: $(grep -c '^# TYPE' "$work/metrics") metric families pass"

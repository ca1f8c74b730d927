#!/usr/bin/env bash
# The HTTP API against its OpenAPI document (docs/openapi.json, served at /openapi.json):
# schemathesis generates requests from the document and checks that no answer is a 5xx and every
# answer's status, content type and body are what the document says.
#
#   bash Tests/API/schemathesis.sh [MAX_EXAMPLES]     # default 30 per operation (CI); try 300
set -euo pipefail
cd "$(dirname "$0")/../.."
examples=${1:-30}
command -v schemathesis >/dev/null || pip3 install --quiet --break-system-packages schemathesis 2>/dev/null || pip3 install --quiet schemathesis
bin=${WARDEN_BIN:-.build/debug/warden}
work=$(mktemp -d)
printf 'schemathesis-admin-token' > "$work/admin"
out="$work/serve.out"
"$bin" serve --rules rules --port 0 --state memory --admin-token-file "$work/admin" --archive "$work/archive" > "$out" 2>"$work/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q listening "$out" && break; sleep 0.1; done
port=$(grep -o '127.0.0.1:[0-9]*' "$out" | cut -d: -f2)
# A draft or a backtest compiles the whole rule set (about a second in a debug build): their
# operations get fewer examples, in a run of their own, so the suite stays a couple of minutes.
run() {
  schemathesis run "http://127.0.0.1:$port/openapi.json" \
    --generation-deterministic --request-timeout 10 \
    -H "Authorization: Bearer schemathesis-admin-token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance "$@"
}
run --max-examples "$examples" --exclude-operation-id createDraft --exclude-operation-id startBacktest
run --max-examples 5 --include-operation-id createDraft --include-operation-id startBacktest

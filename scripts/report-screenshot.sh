#!/usr/bin/env bash
# Renders the audit report of the 10k sample log in headless Chromium and saves a screenshot,
# to check the page the way a person sees it (docs/audit-report.png was made this way).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
swift build -c release >/dev/null
out=$(realpath -m "${1:-/tmp/warden-report}")
mkdir -p "$out"
.build/release/warden audit samples/events-10k.jsonl --report "$out/audit.html" >/dev/null
chromium --headless --no-sandbox --disable-gpu --window-size=1200,2400 --screenshot="$out/audit.png" "file://$out/audit.html" 2>/dev/null
echo "report: $out/audit.html, screenshot: $out/audit.png"

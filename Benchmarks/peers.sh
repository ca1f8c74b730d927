# Sourced by run.sh and table.sh: the shared inputs and the peer tools, on this machine.
# Installs what is missing (ripgrep, bc, GNU time, Hyperscan), generates the corpus and word lists
# with ../shared/data/bench/make-corpus.py into bench-data/ (never committed) and builds the
# Hyperscan harness. Sets `data` and `out`.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data=${WARDEN_DATA:-../shared/data}
out=bench-data
need=()
command -v rg >/dev/null || need+=(ripgrep)
command -v bc >/dev/null || need+=(bc)
[ -x /usr/bin/time ] || need+=(time)
[ -f /usr/include/hs/hs.h ] || need+=(libhyperscan-dev)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; fi
mkdir -p "$out"
[ -f "$out/corpus.txt" ] || python3 "$data/bench/make-corpus.py" "$out" >/dev/null
cc -O2 -o "$out/hs_count" Benchmarks/hyperscan/hs_count.c -lhs

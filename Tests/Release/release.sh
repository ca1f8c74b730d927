#!/usr/bin/env bash
# The release tarball as an operator installs it (make release): the binary needs no Swift
# libraries (none on its loader path, none in its dynamic section), runs lint and check on the
# shipped rules from a directory with no toolchain in sight, and the systemd unit verifies.
#
#   bash Tests/Release/release.sh dist/warden-VERSION-linux-ARCH.tar.gz
set -euo pipefail
tarball=$(readlink -f "${1:?usage: release.sh TARBALL}")
fail() { echo "release test: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$tarball"
dir=$(find "$work" -mindepth 1 -maxdepth 1 -type d)
bin="$dir/bin/warden"
for f in bin/warden rules docs LICENSE NOTICE README.md CHANGELOG.md packaging/warden.service packaging/warden.env; do
  [ -e "$dir/$f" ] || fail "the tarball has no $f"
done
# No Swift runtime library is needed: none is named in the dynamic section...
if readelf -d "$bin" | grep -E 'NEEDED.*(libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime)'; then
  fail "the binary needs Swift libraries"
fi
# ...and it runs with the toolchain's library directories off the loader path and out of reach.
toolchain_lib=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")/lib
clean_env=(env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH= HOME="$work")
ldd_out=$("${clean_env[@]}" ldd "$bin")
if grep -q "$toolchain_lib" <<<"$ldd_out" || grep -q "not found" <<<"$ldd_out"; then
  echo "$ldd_out" >&2; fail "the binary resolves a library from the toolchain or misses one"
fi
cd "$dir"
version=$("${clean_env[@]}" "$bin" --version)
[ -n "$version" ] || fail "--version printed nothing"
"${clean_env[@]}" "$bin" lint --rules rules >/dev/null || fail "lint of the shipped rules failed"
decision=$(printf '%s\n' '{"id":"m-1","type":"send","account":"u1","to":["u2"],"text":"兼职刷单日赚300, 加V: shuadan888 领码","code":"AB12CD34"}' \
  | "${clean_env[@]}" "$bin" check --rules rules)
grep -q '"decision":"block"' <<<"$decision" || fail "the shipped rules did not block a fraud message: $decision"
# The systemd unit, pointed at the unpacked tree: verify prints nothing for a clean unit.
if command -v systemd-analyze >/dev/null; then
  unit="$work/warden.service"
  sed -e "s|/opt/warden|$dir|g" -e "s|/etc/warden/warden.env|$dir/packaging/warden.env|" packaging/warden.service > "$unit"
  out=$(systemd-analyze verify "$unit" 2>&1) || { echo "$out" >&2; fail "systemd-analyze verify failed"; }
  [ -z "$out" ] || { echo "$out" >&2; fail "systemd-analyze verify warned"; }
  # --threshold counts tenths: 20 is an exposure of 2.0 on the scale the report prints.
  systemd-analyze security --offline=yes --threshold=20 "$unit" >/dev/null \
    || fail "the unit's exposure is above 2 (systemd-analyze security --offline=yes)"
  echo "release test: unit verified, exposure $(systemd-analyze security --offline=yes "$unit" 2>&1 | grep -o 'level for [^:]*: [0-9.]*' | awk '{print $NF}')"
else
  echo "release test: systemd-analyze not installed; unit not verified" >&2
fi
echo "release test: $(du -h "$bin" | cut -f1) binary ($version), $(du -h "$tarball" | cut -f1) tarball: ok"

#!/usr/bin/env bash
# Warden as a dependency, the way an adopter gets it: the committed tree is cloned, tagged with a
# version, and a package that depends on that version (Consumer/) is resolved, built and run.
# SwiftPM refuses a versioned dependency whose products carry unsafe build flags, so this fails
# if a library target gains one.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
version=99.0.0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q --no-hardlinks "$root" "$work/warden"
# Uncommitted changes to the package are what is being tested: take the working tree's files.
(cd "$root" && tar --exclude=.git --exclude='./.build*' --exclude=./bench-data --exclude=./dist -cf - .) | tar -C "$work/warden" -xf -
git -C "$work/warden" add -A >/dev/null
git -C "$work/warden" -c user.name=ci -c user.email=ci@localhost commit -qm "consumer test" --allow-empty
git -C "$work/warden" tag "$version"
mkdir -p "$work/consumer"
cp -r Tests/Package/Consumer/Sources "$work/consumer/"
sed -e "s|@WARDEN_URL@|file://$work/warden|" -e "s|@WARDEN_VERSION@|$version|" \
  Tests/Package/Consumer/Package.swift.in > "$work/consumer/Package.swift"
cd "$work/consumer"
swift build 2>&1 | tail -20
"$work/consumer/.build/debug/consumer" "$root/rules" "$work/state.db"

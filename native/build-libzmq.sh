#!/usr/bin/env bash
# Builds libzmq from its pinned upstream source (native/libzmq.version) for one runtime id,
# self-contained: draft API on, CURVE with libzmq's built-in tweetnacl, no libsodium, no
# GnuTLS, no libbsd, no PGM/NORM, libstdc++/libgcc linked statically. Also builds libzmq's
# own perf tools from the same source, for bench/.
#
#   native/build-libzmq.sh <rid> [--force]
#
# Writes native/out/<rid>/: the library, the zmq.h it was built from, BUILD-INFO, perf/.
# Skips the build when native/out/<rid>/BUILD-INFO already names the pinned version and sha256.
# The source tarball is Debian's "orig" tarball of the zeromq3 source package (the upstream
# release unchanged), fetched with `apt-get source --download-only` and verified by sha256.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=/dev/null
. "$here/libzmq.version"

rid=${1:-}
force=${2:-}
if [ -z "$rid" ]; then
  echo "usage: $0 <rid> [--force]   (rid: linux-x64, linux-arm64, win-x64, osx-x64, osx-arm64)" >&2
  exit 2
fi

out="$here/out/$rid"
cache="$here/.cache"
stamp="libzmq $LIBZMQ_VERSION sha256 $LIBZMQ_SHA256 rid $rid"

if [ "$force" != "--force" ] && [ -f "$out/BUILD-INFO" ] && grep -qxF "$stamp" "$out/BUILD-INFO"; then
  echo "native: $out already holds $stamp; nothing to do (--force rebuilds)"
  exit 0
fi

log() { echo "native: $*"; }
die() { echo "native: error: $*" >&2; exit 1; }

# --- tools ------------------------------------------------------------------------------
# shellcheck source=need-packages.sh
. "$here/need-packages.sh"

# Adds deb-src entries mirroring the machine's deb entries, so `apt-get source` works.
ensure_deb_src() {
  if apt-cache showsrc "$DEBIAN_SOURCE_PACKAGE" 2>/dev/null | grep -q '^Package:'; then return 0; fi
  [ "$(id -u)" = 0 ] || die "apt has no deb-src entries; add deb-src lines for your distribution, run 'sudo apt-get update', then run this again (or place $LIBZMQ_TARBALL in $cache)"
  log "adding deb-src entries to apt (derived from the existing deb entries)"
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    case "$f" in *zmqnative-deb-src*) continue ;; esac
    if grep -q '^Types:.*\bdeb\b' "$f" && ! grep -q '^Types:.*deb-src' "$f"; then
      sed -e 's/^Types:.*/Types: deb-src/' "$f"
      echo
    fi
  done > /etc/apt/sources.list.d/zmqnative-deb-src.sources
  [ -s /etc/apt/sources.list.d/zmqnative-deb-src.sources ] || rm -f /etc/apt/sources.list.d/zmqnative-deb-src.sources
  if [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list; then
    grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > /etc/apt/sources.list.d/zmqnative-deb-src.list
  fi
  apt-get update -qq
  export ZMQNATIVE_APT_UPDATED=1
}

fetch_source() {
  mkdir -p "$cache"
  local tarball="$cache/$LIBZMQ_TARBALL"
  if [ ! -f "$tarball" ]; then
    command -v apt-get >/dev/null 2>&1 || die "no apt-get: place $LIBZMQ_TARBALL (sha256 $LIBZMQ_SHA256) in $cache"
    ensure_deb_src
    log "downloading Debian source package $DEBIAN_SOURCE_PACKAGE"
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get source --download-only "$DEBIAN_SOURCE_PACKAGE" >/dev/null 2>&1) \
      || die "apt-get source --download-only $DEBIAN_SOURCE_PACKAGE failed"
    [ -f "$tmp/$LIBZMQ_TARBALL" ] || die "the source package did not carry $LIBZMQ_TARBALL (got: $(ls "$tmp"))"
    mv "$tmp/$LIBZMQ_TARBALL" "$tarball"
    rm -rf "$tmp"
  fi
  local actual
  actual=$(sha256sum "$tarball" | cut -d' ' -f1)
  [ "$actual" = "$LIBZMQ_SHA256" ] || die "$tarball has sha256 $actual, expected $LIBZMQ_SHA256; refusing to build"
  log "source verified: $LIBZMQ_TARBALL sha256 $LIBZMQ_SHA256"
}

# --- per-RID settings -------------------------------------------------------------------
cmake_extra=()
lib_src=""      # file name CMake produces
lib_name=""     # file name in out/<rid>/ (and runtimes/<rid>/native/)
check_deps=""
case "$rid" in
  linux-x64|linux-arm64)
    lib_src="libzmq.so.5"; lib_name="libzmq.so"; check_deps=elf
    need_pkgs cmake:cmake g++:g++ make:make readelf:binutils sha256sum:coreutils
    if [ "$rid" = linux-arm64 ] && [ "$(uname -m)" != aarch64 ]; then
      need_pkgs aarch64-linux-gnu-g++:g++-aarch64-linux-gnu
      cmake_extra+=(-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64
        -DCMAKE_C_COMPILER=aarch64-linux-gnu-gcc -DCMAKE_CXX_COMPILER=aarch64-linux-gnu-g++)
    fi
    ;;
  win-x64)
    lib_src="libzmq.dll"; lib_name="libzmq.dll"; check_deps=pe
    need_pkgs cmake:cmake make:make x86_64-w64-mingw32-g++-posix:g++-mingw-w64-x86-64-posix
    cmake_extra+=(-DCMAKE_SYSTEM_NAME=Windows
      -DCMAKE_C_COMPILER=x86_64-w64-mingw32-gcc-posix -DCMAKE_CXX_COMPILER=x86_64-w64-mingw32-g++-posix
      -DCMAKE_RC_COMPILER=x86_64-w64-mingw32-windres
      -DZMQ_OUTPUT_BASENAME=zmq -DPOLLER=epoll)
    ;;
  osx-x64|osx-arm64)
    [ "$(uname -s)" = Darwin ] || die "$rid is built on macOS (same options); this machine is $(uname -s)"
    lib_src="libzmq.5.dylib"; lib_name="libzmq.dylib"
    if [ "$rid" = osx-arm64 ]; then cmake_extra+=(-DCMAKE_OSX_ARCHITECTURES=arm64); else cmake_extra+=(-DCMAKE_OSX_ARCHITECTURES=x86_64); fi
    ;;
  *) die "unknown rid '$rid'" ;;
esac

fetch_source

work="$cache/build-$rid"
rm -rf "$work"
mkdir -p "$work"
tar -xzf "$cache/$LIBZMQ_TARBALL" -C "$work"
srcdir="$work/libzmq-$LIBZMQ_VERSION"
[ -f "$srcdir/CMakeLists.txt" ] || die "unexpected tarball layout (no libzmq-$LIBZMQ_VERSION/CMakeLists.txt)"

static_runtime="-static-libstdc++ -static-libgcc"
[ "${rid%%-*}" = osx ] && static_runtime=""
# Only the zmq_* API is exported (ZMQ_EXPORT marks it visible); the statically linked C++
# runtime is kept out of the export table so it cannot clash with the host's.
linker_flags="$static_runtime"
if [ "$check_deps" = elf ]; then
  printf '{\n  global: zmq_*;\n  local: *;\n};\n' > "$work/exports.map"
  linker_flags="$linker_flags -Wl,--exclude-libs,ALL -Wl,--version-script=$work/exports.map"
fi
[ "$rid" = win-x64 ] && linker_flags="$linker_flags -static -lwinpthread"

log "configuring libzmq $LIBZMQ_VERSION for $rid"
cmake -S "$srcdir" -B "$work/build" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="-fvisibility=hidden -fvisibility-inlines-hidden" \
  -DCMAKE_C_FLAGS="-fvisibility=hidden" \
  -DCMAKE_SHARED_LINKER_FLAGS="$linker_flags" \
  -DCMAKE_EXE_LINKER_FLAGS="$static_runtime" \
  -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON \
  -DCMAKE_INSTALL_RPATH='$ORIGIN' \
  -DENABLE_DRAFTS=ON \
  -DENABLE_CURVE=ON -DWITH_LIBSODIUM=OFF \
  -DENABLE_WS=ON -DWITH_TLS=OFF -DWITH_NSS=OFF \
  -DWITH_LIBBSD=OFF -DWITH_OPENPGM=OFF -DWITH_NORM=OFF -DWITH_VMCI=OFF \
  -DBUILD_SHARED=ON -DBUILD_STATIC=OFF -DBUILD_TESTS=OFF \
  -DWITH_PERF_TOOL=ON -DWITH_DOC=OFF -DWITH_DOCS=OFF \
  -DENABLE_CPACK=OFF -DENABLE_PRECOMPILED=OFF \
  "${cmake_extra[@]}" > "$work/cmake-configure.log" 2>&1 \
  || { tail -40 "$work/cmake-configure.log"; die "cmake configure failed (log: $work/cmake-configure.log)"; }

log "building (this takes a few minutes)"
cmake --build "$work/build" --parallel "$(nproc 2>/dev/null || echo 2)" > "$work/cmake-build.log" 2>&1 \
  || { tail -40 "$work/cmake-build.log"; die "build failed (log: $work/cmake-build.log)"; }

built=$(find "$work/build" -name "$lib_src" \( -type f -o -type l \) | head -n 1)
[ -n "$built" ] || die "the build produced no $lib_src"

rm -rf "$out"
mkdir -p "$out/perf" "$out/include"
cp -L "$built" "$out/$lib_name"
cp "$srcdir/include/zmq.h" "$srcdir/include/zmq_utils.h" "$out/include/"
cp "$srcdir/COPYING" "$out/COPYING.libzmq.txt"
cp "$srcdir/COPYING.LESSER" "$out/COPYING.LESSER.libzmq.txt"
for tool in local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat proxy_thr; do
  exe=$(find "$work/build" -type f \( -name "$tool" -o -name "$tool.exe" \) | head -n 1)
  [ -n "$exe" ] && cp "$exe" "$out/perf/"
done
if [ "$check_deps" = elf ]; then
  # The perf tools ask for the SONAME (libzmq.so.5) beside them (rpath $ORIGIN).
  ln -sf "../$lib_name" "$out/perf/libzmq.so.5"
fi
if [ "$rid" = win-x64 ]; then cp "$out/$lib_name" "$out/perf/"; fi

# --- check: nothing but the C library ---------------------------------------------------
if [ "$check_deps" = elf ]; then
  needed=$(readelf -d "$out/$lib_name" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
  for n in $needed; do
    case "$n" in
      libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|ld-linux*) ;;
      *) die "$lib_name needs $n; only the C library is allowed" ;;
    esac
  done
  log "$lib_name needs only: $needed"
fi

{
  echo "$stamp"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
  echo "options: drafts, curve (tweetnacl), ws (no tls); no libsodium, gnutls, libbsd, pgm, norm"
} > "$out/BUILD-INFO"
log "done: $out"

#!/usr/bin/env bash
# Builds libzmq.a for NativeAOT static linking (ZmqNativeStaticLink=true, see
# native/packaging/ZmqNative.Native/buildTransitive/ZmqNative.Native.targets):
#   native/build-static.sh [rid]        (default linux-x64)
# Writes native/out/<rid>/static/libzmq.a, which Pack puts in runtime.<rid>.ZmqNative.Native.
#
# Deliberately small: it does not fetch, patch or choose options itself. It reuses what
# native/build-libzmq.sh <rid> left in native/.cache/build-<rid>/: the unpacked, patched source
# and the CMake cache of the shared build, whose compilers, flags and feature options (drafts,
# CURVE, ws, no libsodium/TLS/PGM/NORM, cross-build ZMQ_HAVE_* answers) it passes on unchanged,
# switching only shared -> static (position-independent, for linking into an executable).
set -euo pipefail

rid=${1:-linux-x64}
here=$(cd "$(dirname "$0")" && pwd)
# The shared build's folder is per toolchain (build-libzmq.sh: build-<toolchain>-<rid>).
work=""
for candidate in "$here/.cache/build-zig-$rid" "$here/.cache/build-gcc-$rid" "$here/.cache/build-$rid"; do
  if [ -f "$candidate/build/CMakeCache.txt" ]; then work=$candidate; break; fi
done
[ -n "$work" ] || work="$here/.cache/build-zig-$rid"
out="$here/out/$rid"
die() { echo "build-static: $*" >&2; exit 1; }

[ -f "$out/BUILD-INFO" ] || die "native/out/$rid/ is missing: run native/build-libzmq.sh $rid first"
cache="$work/build/CMakeCache.txt"
[ -f "$cache" ] || die "$cache is missing: run native/build-libzmq.sh $rid --force (the static build reuses its source and options)"
# The source build-libzmq.sh unpacked and patched beside its build (not the cache's recorded
# path: native/.cache may have been copied from another checkout).
srcdir=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'libzmq-*' | head -n 1)
[ -n "$srcdir" ] && [ -f "$srcdir/CMakeLists.txt" ] || die "the shared build's source is gone from $work: run native/build-libzmq.sh $rid --force"

# The static library matches the shared one it is packed beside: same BUILD-INFO stamp.
static="$out/static"
if [ -f "$static/libzmq.a" ] && cmp -s "$out/BUILD-INFO" "$static/BUILD-INFO"; then
  echo "build-static: native/out/$rid/static/libzmq.a is up to date"
  exit 0
fi

# The shared build's own choices: flags, every feature switch, and the answers of its feature probes
# (ZMQ_HAVE_*, HAVE_*), so the archive uses no libc function the shipped library does not (the zig
# build probes against glibc 2.17: no arc4random, for one). Compilers: when the shared build is
# zig's, the archive is compiled by the system's gcc instead, because the NativeAOT link that
# consumes it brings libstdc++ (ZmqNative.Native.targets: -l:libstdc++.a) and zig compiles against
# its own libc++, which an application's link does not have. A static archive carries no symbol
# versions: the glibc floor of the executable is set where the application is linked.
if grep -q "^CMAKE_CXX_COMPILER:[A-Z]*=.*/build-zig-" "$cache"; then
  compilers='^(CMAKE_(C|CXX)_COMPILER|CMAKE_TOOLCHAIN_FILE|CMAKE_SYSTEM_NAME|CMAKE_SYSTEM_PROCESSOR|CMAKE_AR|CMAKE_RANLIB):'
  [ "$rid" = linux-x64 ] && [ "$(uname -m)" = x86_64 ] || die "a static archive for $rid from a zig build needs a native gcc for $rid"
  command -v g++ >/dev/null || die "g++ is missing (apt-get install g++)"
else
  compilers='^$'
fi
options=()
while IFS= read -r line; do
  options+=("-D$line")
done < <(grep -E '^(CMAKE_(C|CXX)_COMPILER|CMAKE_(C|CXX)_FLAGS|CMAKE_BUILD_TYPE|CMAKE_TOOLCHAIN_FILE|CMAKE_SYSTEM_NAME|CMAKE_SYSTEM_PROCESSOR|CMAKE_AR|CMAKE_RANLIB|CMAKE_OSX_[A-Z_]+|ENABLE_[A-Z_]+|WITH_[A-Z_]+|ZMQ_[A-Z_0-9]+|HAVE_[A-Z_0-9]+|POLLER|API_POLLER):[A-Z]+=' "$cache" \
  | grep -vE '^(WITH_PERF_TOOL|WITH_DOCS?|ENABLE_CPACK):' | grep -vE "$compilers" || true)

build="$work/build-static"
rm -rf "$build"
echo "build-static: configuring libzmq.a for $rid (${#options[@]} options from the shared build)"
cmake -S "$srcdir" -B "$build" "${options[@]}" \
  -DBUILD_SHARED=OFF -DBUILD_STATIC=ON -DBUILD_TESTS=OFF -DWITH_PERF_TOOL=OFF -DWITH_DOCS=OFF -DWITH_DOC=OFF \
  -DENABLE_CPACK=OFF -DENABLE_PRECOMPILED=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
  > "$work/cmake-configure-static.log" 2>&1 || { tail -30 "$work/cmake-configure-static.log"; die "configure failed"; }
echo "build-static: building"
cmake --build "$build" --parallel "$(nproc 2>/dev/null || echo 2)" --target libzmq-static \
  > "$work/cmake-build-static.log" 2>&1 || { tail -30 "$work/cmake-build-static.log"; die "build failed"; }

built=$(find "$build" -name 'libzmq*.a' -type f | head -n 1)
[ -n "$built" ] || die "the build produced no libzmq.a"
rm -rf "$static"
mkdir -p "$static"
cp "$built" "$static/libzmq.a"
# Debug sections stripped as for the packed shared library; the symbol table stays (a linker needs it).
strip --strip-debug "$static/libzmq.a" 2>/dev/null || llvm-strip --strip-debug "$static/libzmq.a"
defined=$(nm -g --defined-only "$static/libzmq.a" 2>/dev/null)
grep -q ' T zmq_ctx_new$' <<< "$defined" || die "libzmq.a does not define zmq_ctx_new"
cp "$out/BUILD-INFO" "$static/BUILD-INFO"
echo "build-static: wrote native/out/$rid/static/libzmq.a ($(du -h "$static/libzmq.a" | cut -f1))"

#!/usr/bin/env bash
# Builds libzmq from its pinned upstream source (native/libzmq.version) for one runtime id,
# self-contained: draft API on, CURVE with libzmq's built-in tweetnacl, no libsodium, no
# GnuTLS, no libbsd, no PGM/NORM, libstdc++/libgcc linked statically. Also builds libzmq's
# own perf tools from the same source, for bench/.
#
#   native/build-libzmq.sh <rid> [--force]
#
# Writes native/out/<rid>/: the library, the zmq.h it was built from, BUILD-INFO, perf/.
# On Linux x64 it also cross-builds linux-arm64 (Debian's aarch64 toolchain) and win-x64
# (Debian's MinGW-w64, posix threads); osx-* build on macOS. native/packaging/verify-emulated.sh
# runs the cross builds under qemu-user and wine.
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

# Our changes to the pinned source: native/patches/*.patch, applied in name order (patch -p1
# from the source's top folder). Each patch starts with a comment naming the defect it fixes.
# The set's hash is part of BUILD-INFO, so adding or changing a patch rebuilds.
patch_files=()
for p in "$here"/patches/*.patch; do [ -f "$p" ] && patch_files+=("$p"); done
if [ ${#patch_files[@]} -gt 0 ]; then
  patch_set="patches ${#patch_files[@]} sha256 $(cat "${patch_files[@]}" | sha256sum | cut -d' ' -f1)"
else
  patch_set="patches 0"
fi

if [ "$force" != "--force" ] && [ -f "$out/BUILD-INFO" ] && grep -qxF "$stamp" "$out/BUILD-INFO" \
  && grep -qxF "$patch_set" "$out/BUILD-INFO"; then
  echo "native: $out already holds $stamp, $patch_set; nothing to do (--force rebuilds)"
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
  # sha256sum (GNU coreutils) or shasum (macOS ships it, not sha256sum).
  if command -v sha256sum >/dev/null 2>&1; then
    actual=$(sha256sum "$tarball" | cut -d' ' -f1)
  else
    actual=$(shasum -a 256 "$tarball" | cut -d' ' -f1)
  fi
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
    need_pkgs cmake:cmake g++:g++ make:make readelf:binutils sha256sum:coreutils patch:patch
    if [ "$rid" = linux-arm64 ] && [ "$(uname -m)" != aarch64 ]; then
      need_pkgs aarch64-linux-gnu-g++:g++-aarch64-linux-gnu
      cmake_extra+=(-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64
        -DCMAKE_C_COMPILER=aarch64-linux-gnu-gcc -DCMAKE_CXX_COMPILER=aarch64-linux-gnu-g++)
      # libzmq's CMakeLists skips its run-time feature checks when cross-compiling and then
      # leaves the features out (TCP keepalive options silently ignored, no SOCK_CLOEXEC, no
      # TIPC, no thread names). They are properties of Linux and glibc, not of the CPU: give
      # them the values the native linux-x64 configure finds (compare its build/platform.hpp).
      cmake_extra+=(-DZMQ_HAVE_EVENTFD_CLOEXEC=1 -DZMQ_HAVE_SOCK_CLOEXEC=1 -DZMQ_HAVE_O_CLOEXEC=1
        -DZMQ_HAVE_SO_BINDTODEVICE=1 -DZMQ_HAVE_SO_KEEPALIVE=1 -DZMQ_HAVE_SO_PRIORITY=1
        -DZMQ_HAVE_TCP_KEEPCNT=1 -DZMQ_HAVE_TCP_KEEPIDLE=1 -DZMQ_HAVE_TCP_KEEPINTVL=1
        -DZMQ_HAVE_TIPC=1 -DZMQ_HAVE_PTHREAD_SETNAME_2=1 -DZMQ_HAVE_PTHREAD_SET_AFFINITY=1)
    fi
    ;;
  win-x64)
    lib_src="libzmq.dll"; lib_name="libzmq.dll"; check_deps=pe
    need_pkgs cmake:cmake make:make patch:patch x86_64-w64-mingw32-g++-posix:g++-mingw-w64-x86-64-posix
    # CMAKE_SYSTEM_VERSION=10.0 makes libzmq's CMakeLists define _WIN32_WINNT=0x0A00 (it
    # derives it from the system version and leaves it empty when cross-compiling, which
    # src/windows.hpp rejects); Windows 10 is also what .NET 8+ needs. POLLER=epoll is the
    # bundled wepoll, the I/O-thread poller libzmq itself picks for MSVC builds on Vista+.
    cmake_extra+=(-DCMAKE_SYSTEM_NAME=Windows -DCMAKE_SYSTEM_VERSION=10.0 -DCMAKE_SYSTEM_PROCESSOR=x86_64
      -DCMAKE_C_COMPILER=x86_64-w64-mingw32-gcc-posix -DCMAKE_CXX_COMPILER=x86_64-w64-mingw32-g++-posix
      -DCMAKE_RC_COMPILER=x86_64-w64-mingw32-windres
      -DCMAKE_FIND_ROOT_PATH=/usr/x86_64-w64-mingw32
      -DCMAKE_FIND_ROOT_PATH_MODE_PROGRAM=NEVER -DCMAKE_FIND_ROOT_PATH_MODE_LIBRARY=ONLY
      -DCMAKE_FIND_ROOT_PATH_MODE_INCLUDE=ONLY
      -DZMQ_OUTPUT_BASENAME=zmq -DPOLLER=epoll)
    ;;
  osx-x64|osx-arm64)
    [ "$(uname -s)" = Darwin ] || die "$rid is built on macOS (same options); this machine is $(uname -s)"
    lib_src="libzmq.5.dylib"; lib_name="libzmq.dylib"; check_deps=macho
    command -v cmake >/dev/null 2>&1 || die "cmake is missing (brew install cmake); the compilers come with Xcode's command line tools (xcode-select --install)"
    if [ "$rid" = osx-arm64 ]; then cmake_extra+=(-DCMAKE_OSX_ARCHITECTURES=arm64); else cmake_extra+=(-DCMAKE_OSX_ARCHITECTURES=x86_64); fi
    # The oldest macOS .NET 8 supports, so the library loads wherever the runtime does, not
    # only on the build machine's macOS version. libc++ is part of macOS (not linked statically).
    cmake_extra+=(-DCMAKE_OSX_DEPLOYMENT_TARGET=12.0)
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
for p in "${patch_files[@]}"; do
  log "applying $(basename "$p")"
  patch -p1 --batch --forward --quiet -d "$srcdir" < "$p" || die "$(basename "$p") does not apply to libzmq $LIBZMQ_VERSION"
done

static_runtime="-static-libstdc++ -static-libgcc"
[ "${rid%%-*}" = osx ] && static_runtime=""
# Only the zmq_* API is exported (ZMQ_EXPORT marks it visible); the statically linked C++
# runtime is kept out of the export table so it cannot clash with the host's.
linker_flags="$static_runtime"
if [ "$check_deps" = elf ]; then
  printf '{\n  global: zmq_*;\n  local: *;\n};\n' > "$work/exports.map"
  linker_flags="$linker_flags -Wl,--exclude-libs,ALL -Wl,--version-script=$work/exports.map"
fi
exe_linker_flags="$static_runtime"
c_flags="-fvisibility=hidden"
cxx_flags="-fvisibility=hidden -fvisibility-inlines-hidden"
if [ "$rid" = win-x64 ]; then
  # Forwarding headers, so the pinned source builds with MinGW unchanged:
  # - the bundled wepoll includes <WS2tcpip.h>, <WinSock2.h> and <Windows.h>, spelled as on
  #   Windows' case-insensitive file system; MinGW's headers are lower case;
  # - libzmq 4.3.4 enables ipc:// on Windows when <afunix.h> exists (AF_UNIX, Windows 10
  #   1803+), but its ipc_*.cpp/hpp include afunix.h only for _MSC_VER and <sys/socket.h>,
  #   <sys/un.h> otherwise; on Windows those two mean winsock2.h and afunix.h.
  mkdir -p "$work/mingw-include/sys"
  for h in WS2tcpip WinSock2 Windows; do
    lower=$(echo "$h" | tr '[:upper:]' '[:lower:]')
    printf '#include <%s.h>\n' "$lower" > "$work/mingw-include/$h.h"
  done
  printf '#include <winsock2.h>\n#include <ws2tcpip.h>\n' > "$work/mingw-include/sys/socket.h"
  printf '#include <winsock2.h>\n#include <afunix.h>\n' > "$work/mingw-include/sys/un.h"
  # - libzmq compiles its DLL with -DDLL_EXPORT (for ZMQ_EXPORT in zmq.h); winpthread's
  #   headers read the same macro as "link winpthread as a DLL" and declare its functions
  #   dllimport, which cannot link against the static libwinpthread.a. Hide the macro from them.
  for h in pthread sched semaphore; do
    printf '#pragma push_macro("DLL_EXPORT")\n#undef DLL_EXPORT\n#include_next <%s.h>\n#pragma pop_macro("DLL_EXPORT")\n' \
      "$h" > "$work/mingw-include/$h.h"
  done
  c_flags="$c_flags -I$work/mingw-include"
  cxx_flags="$cxx_flags -I$work/mingw-include"
  # -static makes MinGW link libstdc++, libgcc and winpthread from their archives, so the DLL
  # (and the perf tools) need no libstdc++-6.dll, libgcc_s_seh-1.dll or libwinpthread-1.dll.
  linker_flags="$linker_flags -static -lwinpthread"
  exe_linker_flags="$exe_linker_flags -static"
fi

log "configuring libzmq $LIBZMQ_VERSION for $rid"
cmake -S "$srcdir" -B "$work/build" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="$cxx_flags" \
  -DCMAKE_C_FLAGS="$c_flags" \
  -DCMAKE_SHARED_LINKER_FLAGS="$linker_flags" \
  -DCMAKE_EXE_LINKER_FLAGS="$exe_linker_flags" \
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

# --- check: the right machine, and nothing but the C library / system DLLs --------------
if [ "$check_deps" = elf ]; then
  case "$rid" in
    linux-x64) machine="Advanced Micro Devices X86-64" ;;
    linux-arm64) machine="AArch64" ;;
  esac
  actual_machine=$(readelf -h "$out/$lib_name" | sed -n 's/^ *Machine: *//p')
  [ "$actual_machine" = "$machine" ] || die "$lib_name is built for '$actual_machine', expected '$machine' ($rid)"
  needed=$(readelf -d "$out/$lib_name" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
  for n in $needed; do
    case "$n" in
      libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|ld-linux*) ;;
      *) die "$lib_name needs $n; only the C library is allowed" ;;
    esac
  done
  log "$lib_name ($actual_machine) needs only: $needed"
fi
if [ "$check_deps" = macho ]; then
  # otool -L lists the load commands: the library's own install name, then what it links.
  expected_arch=arm64
  [ "$rid" = osx-x64 ] && expected_arch=x86_64
  archs=$(lipo -archs "$out/$lib_name")
  [ "$archs" = "$expected_arch" ] || die "$lib_name is built for '$archs', expected '$expected_arch' ($rid)"
  needed=$(otool -L "$out/$lib_name" | tail -n +3 | awk '{print $1}' | tr '\n' ' ')
  for n in $needed; do
    case "$n" in
      /usr/lib/libSystem.B.dylib|/usr/lib/libc++.1.dylib) ;;
      *) die "$lib_name needs $n; only libSystem and libc++ (part of macOS) are allowed" ;;
    esac
  done
  log "$lib_name ($archs) needs only: $needed"
fi
if [ "$check_deps" = pe ]; then
  # objdump -p lists the import table ("DLL Name: ..."). Only DLLs every Windows has may be
  # there: no libstdc++-6.dll, libgcc_s_seh-1.dll or libwinpthread-1.dll (linked statically).
  format=$(x86_64-w64-mingw32-objdump -f "$out/$lib_name" | sed -n 's/.*file format //p')
  [ "$format" = pei-x86-64 ] || die "$lib_name has format '$format', expected pei-x86-64 ($rid)"
  needed=$(x86_64-w64-mingw32-objdump -p "$out/$lib_name" | sed -n 's/^[[:space:]]*DLL Name: *//p' | tr '\n' ' ')
  [ -n "$needed" ] || die "objdump found no imports in $lib_name"
  for n in $needed; do
    case "$(echo "$n" | tr '[:upper:]' '[:lower:]')" in
      kernel32.dll|ws2_32.dll|advapi32.dll|iphlpapi.dll|msvcrt.dll|user32.dll|rpcrt4.dll|ntdll.dll|bcrypt.dll) ;;
      *) die "$lib_name imports $n; only system DLLs are allowed" ;;
    esac
  done
  log "$lib_name ($format) imports only: $needed"
fi

{
  echo "$stamp"
  echo "$patch_set"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
  echo "options: drafts, curve (tweetnacl), ws (no tls); no libsodium, gnutls, libbsd, pgm, norm"
} > "$out/BUILD-INFO"
log "done: $out"

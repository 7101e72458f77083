#!/usr/bin/env bash
# Builds libzmq from its pinned upstream source (native/libzmq.version) for one runtime id,
# self-contained: draft API on, CURVE with libzmq's built-in tweetnacl, no libsodium, no
# GnuTLS, no libbsd, no PGM/NORM, the C++ runtime linked statically. Also builds libzmq's
# own perf tools from the same source, for bench/.
#
#   native/build-libzmq.sh <rid> [--force] [--zig|--gcc]
#
# Toolchains (all from a Linux x64 machine):
#   zig   one pinned zig (native/toolchain/install-zig.sh installs it from npm when missing;
#         clang 16 + libc++ 16, its own glibc/musl/macOS stubs) for linux-x64 and linux-arm64
#         (glibc 2.17 symbols at most), linux-musl-x64, linux-musl-arm64, osx-x64 (macOS 12),
#         osx-arm64 (macOS 12; the dylib linked by Debian's ld64.lld, see zig-wrapper.sh);
#         win-arm64 (zig's aarch64-windows-gnu; the DLL linked again by Debian's lld-link,
#         without the libunwind exports zig adds, see zig-wrapper.sh).
#   gcc   Debian's gcc/g++ (libstdc++ static): linux-x64, linux-arm64 (g++-aarch64-linux-gnu);
#         MinGW-w64 for win-x64 (the only toolchain for it).
# Each rid has a default toolchain (DEFAULT_TOOLCHAIN below); its build goes to
# native/out/<rid>/. --zig/--gcc picks the other one, built into native/out-<toolchain>/<rid>/
# (comparison builds: native/toolchain/compare-perf.sh).
# Writes the library, the zmq.h it was built from, BUILD-INFO, platform.hpp (the configured
# features), perf/. After each build it checks the file: machine/arch, dependencies (C library
# only), glibc floor, exports (zmq_* only), and for Mach-O the minimum macOS, install name and
# signature (native/toolchain/check-library.sh). native/packaging/verify-emulated.sh runs the
# builds under chroot, musl's loader, qemu-user and wine.
# Skips the build when native/out/<rid>/BUILD-INFO already names the pinned version and sha256.
# The source tarball is Debian's "orig" tarball of the zeromq3 source package (the upstream
# release unchanged), fetched with `apt-get source --download-only` and verified by sha256.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=/dev/null
. "$here/libzmq.version"

usage() {
  echo "usage: $0 <rid> [--force] [--zig|--gcc]   (rid: linux-x64, linux-arm64, linux-musl-x64, linux-musl-arm64, osx-x64, osx-arm64, win-x64, win-arm64)" >&2
  exit 2
}
rid=""
force=""
toolchain=""
for arg in "$@"; do
  case "$arg" in
    --force) force=--force ;;
    --zig) toolchain=zig ;;
    --gcc) toolchain=gcc ;;
    -*) usage ;;
    *) [ -z "$rid" ] || usage; rid=$arg ;;
  esac
done
[ -n "$rid" ] || usage

# The toolchain each rid is built with by default (what Pack ships and the tests load).
# linux-x64 too is zig: the library users get (glibc 2.17) is the one the tests and benchmarks
# run on; it is not slower than the gcc build (docs/benchmarks.md, "zig or gcc").
default_toolchain() {
  case "$1" in
    win-x64) echo gcc ;;
    *) echo zig ;;
  esac
}
default=$(default_toolchain "$rid")
[ -n "$toolchain" ] || toolchain=$default
case "$toolchain:$rid" in
  gcc:linux-x64|gcc:linux-arm64|gcc:win-x64) ;;
  zig:win-x64) echo "native: error: win-x64 is built with MinGW-w64 (gcc) only" >&2; exit 2 ;;
  gcc:*) echo "native: error: $rid is built with zig only" >&2; exit 2 ;;
esac

if [ "$toolchain" = "$default" ]; then out="$here/out/$rid"; else out="$here/out-$toolchain/$rid"; fi
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

zig_version=$(sed -n 's/^ZIG_VERSION=//p' "$here/toolchain/install-zig.sh")
if [ "$toolchain" = zig ]; then tool_set="toolchain zig $zig_version"; else tool_set="toolchain gcc"; fi

if [ "$force" != "--force" ] && [ -f "$out/BUILD-INFO" ] && grep -qxF "$stamp" "$out/BUILD-INFO" \
  && grep -qxF "$patch_set" "$out/BUILD-INFO" && grep -qxF "$tool_set" "$out/BUILD-INFO"; then
  echo "native: $out already holds $stamp, $patch_set, $tool_set; nothing to do (--force rebuilds)"
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
format=""       # elf, macho, pe
zig_target=""
case "$rid" in
  linux-x64) zig_target=x86_64-linux-gnu.2.17 ;;
  linux-arm64) zig_target=aarch64-linux-gnu.2.17 ;;
  linux-musl-x64) zig_target=x86_64-linux-musl ;;
  linux-musl-arm64) zig_target=aarch64-linux-musl ;;
  # 12.0: the oldest macOS .NET 8+ supports, so the library loads wherever the runtime does.
  osx-x64) zig_target=x86_64-macos.12.0 ;;
  osx-arm64) zig_target=aarch64-macos.12.0 ;;
  win-arm64) zig_target=aarch64-windows-gnu ;;
  win-x64) ;;
  *) die "unknown rid '$rid'" ;;
esac
case "$rid" in
  linux-*) lib_src="libzmq.so.5"; lib_name="libzmq.so"; format=elf ;;
  osx-*) lib_src="libzmq.5.dylib"; lib_name="libzmq.dylib"; format=macho ;;
  win-*) lib_src="libzmq.dll"; lib_name="libzmq.dll"; format=pe ;;
esac
case "$rid" in
  *-arm64) cpu=aarch64 ;;
  *) cpu=x86_64 ;;
esac

# libzmq's CMakeLists skips its run-time feature checks when cross-compiling (every zig build
# is one: CMAKE_SYSTEM_NAME is set) and then leaves the features out (TCP keepalive options
# silently ignored, no SOCK_CLOEXEC, no TIPC, no thread names). They are properties of the OS
# and its C library, not of the CPU: give them the values a native configure finds (Linux:
# compare the platform.hpp of a gcc build, native/build-libzmq.sh linux-x64 --gcc -> native/out-gcc/;
# glibc 2.17 and musl have all of these).
linux_features=(-DZMQ_HAVE_EVENTFD_CLOEXEC=1 -DZMQ_HAVE_SOCK_CLOEXEC=1 -DZMQ_HAVE_O_CLOEXEC=1
  -DZMQ_HAVE_SO_BINDTODEVICE=1 -DZMQ_HAVE_SO_KEEPALIVE=1 -DZMQ_HAVE_SO_PRIORITY=1
  -DZMQ_HAVE_TCP_KEEPCNT=1 -DZMQ_HAVE_TCP_KEEPIDLE=1 -DZMQ_HAVE_TCP_KEEPINTVL=1
  -DZMQ_HAVE_TIPC=1 -DZMQ_HAVE_PTHREAD_SETNAME_2=1 -DZMQ_HAVE_PTHREAD_SET_AFFINITY=1)
# macOS: keepalive idle time is TCP_KEEPALIVE, thread names take one argument, no SOCK_CLOEXEC
# (what a configure on macOS finds).
macos_features=(-DZMQ_HAVE_O_CLOEXEC=1 -DZMQ_HAVE_SO_KEEPALIVE=1 -DZMQ_HAVE_TCP_KEEPCNT=1
  -DZMQ_HAVE_TCP_KEEPINTVL=1 -DZMQ_HAVE_TCP_KEEPALIVE=1 -DZMQ_HAVE_PTHREAD_SETNAME_1=1)

need_pkgs cmake:cmake make:make patch:patch sha256sum:coreutils
if [ "$toolchain" = zig ]; then
  need_pkgs npm:npm openssl:openssl   # install-zig.sh: npm pack, and the tarball's sha512
  export ZIG
  ZIG=$(bash "$here/toolchain/install-zig.sh") || die "could not install zig (native/toolchain/install-zig.sh)"
  case "$rid" in
    linux-*) cmake_extra+=(-DCMAKE_SYSTEM_NAME=Linux "${linux_features[@]}") ;;
    osx-*) cmake_extra+=(-DCMAKE_SYSTEM_NAME=Darwin -DCMAKE_OSX_DEPLOYMENT_TARGET=12.0 "${macos_features[@]}") ;;
    win-*) cmake_extra+=(-DCMAKE_SYSTEM_NAME=Windows -DCMAKE_SYSTEM_VERSION=10.0 -DZMQ_OUTPUT_BASENAME=zmq -DPOLLER=epoll) ;;
  esac
  cmake_extra+=(-DCMAKE_SYSTEM_PROCESSOR=$cpu)
else
  case "$rid" in
    linux-x64)
      need_pkgs g++:g++
      ;;
    linux-arm64)
      if [ "$(uname -m)" != aarch64 ]; then
        need_pkgs aarch64-linux-gnu-g++:g++-aarch64-linux-gnu
        cmake_extra+=(-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64
          -DCMAKE_C_COMPILER=aarch64-linux-gnu-gcc -DCMAKE_CXX_COMPILER=aarch64-linux-gnu-g++
          "${linux_features[@]}")
      fi
      ;;
    win-x64)
      need_pkgs x86_64-w64-mingw32-g++-posix:g++-mingw-w64-x86-64-posix
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
  esac
fi

fetch_source

work="$cache/build-$toolchain-$rid"
rm -rf "$work"
mkdir -p "$work"
tar -xzf "$cache/$LIBZMQ_TARBALL" -C "$work"
srcdir="$work/libzmq-$LIBZMQ_VERSION"
[ -f "$srcdir/CMakeLists.txt" ] || die "unexpected tarball layout (no libzmq-$LIBZMQ_VERSION/CMakeLists.txt)"
for p in "${patch_files[@]}"; do
  log "applying $(basename "$p")"
  patch -p1 --batch --forward --quiet -d "$srcdir" < "$p" || die "$(basename "$p") does not apply to libzmq $LIBZMQ_VERSION"
done

# Only the zmq_* API is exported (ZMQ_EXPORT marks it visible); the statically linked C++
# runtime is kept out of the export table so it cannot clash with the host's.
static_runtime=""
[ "$toolchain" = gcc ] && static_runtime="-static-libstdc++ -static-libgcc"   # zig: always static
linker_flags="$static_runtime"
if [ "$format" = elf ]; then
  printf '{\n  global: zmq_*;\n  local: *;\n};\n' > "$work/exports.map"
  linker_flags="$linker_flags -Wl,--version-script=$work/exports.map"
  # GNU ld: also hide the symbols of the static libstdc++/libgcc archives. zig's lld has no
  # --exclude-libs; its libc++ and libunwind are compiled with hidden visibility already.
  [ "$toolchain" = gcc ] && linker_flags="$linker_flags -Wl,--exclude-libs,ALL"
fi
# Mach-O: zig 0.11's linker ignores -exported_symbols_list and exports hidden symbols as well
# (libzmq's internals, libc++), so zig-wrapper.sh links the dylib again with Debian's ld64.lld
# (lld-16) and this list: only zmq_* in the export trie, which check-library.sh checks.
macho_exports=""
if [ "$format" = macho ]; then
  need_pkgs ld64.lld-16:lld-16
  printf '_zmq_*\n' > "$work/exports.list"
  macho_exports="$work/exports.list"
fi
# Windows (zig): zig's libunwind marks its API dllexport, so zig-wrapper.sh links the DLL again
# with Debian's lld-link (lld-16) from inputs whose export directives name only zmq_*.
pe_exports=""
if [ "$format" = pe ] && [ "$toolchain" = zig ]; then
  need_pkgs lld-link-16:lld-16 python3:python3
  printf 'zmq_*\n' > "$work/exports.pe"
  pe_exports="$work/exports.pe"
fi
exe_linker_flags="$static_runtime"
c_flags="-fvisibility=hidden"
cxx_flags="-fvisibility=hidden -fvisibility-inlines-hidden"
if [ "$toolchain" = zig ]; then
  # CMake gets plain compiler paths: two scripts calling native/toolchain/zig-wrapper.sh with
  # the target baked in (the wrapper drops options zig rejects). The install name of the
  # macOS library is @rpath/libzmq.dylib, the file name it ships under, not CMake's
  # @rpath/libzmq.5.dylib (the SONAME-like versioned name we do not ship).
  mkdir -p "$work/bin"
  install_name=""
  [ "$format" = macho ] && install_name="@rpath/$lib_name"
  for mode in cc c++; do
    printf '#!/bin/sh\nZIG=%q ZIG_INSTALL_NAME=%q ZIG_MACHO_EXPORTS=%q ZIG_PE_EXPORTS=%q exec %q %s %s "$@"\n' \
      "$ZIG" "$install_name" "$macho_exports" "$pe_exports" "$here/toolchain/zig-wrapper.sh" "$mode" "$zig_target" > "$work/bin/$mode"
  done
  for mode in ar ranlib; do
    printf '#!/bin/sh\nexec %q %s "$@"\n' "$ZIG" "$mode" > "$work/bin/$mode"
  done
  if [ "$format" = pe ]; then
    # libzmq's version resource (version.rc): zig 0.11 has no resource compiler; LLVM's
    # windres (Debian's llvm-14) writes the COFF object for the target's machine.
    need_pkgs llvm-windres-14:llvm-14
    printf '#!/bin/sh\nexec llvm-windres-14 --target=%s "$@"\n' "$cpu-w64-mingw32" > "$work/bin/windres"
    cmake_extra+=(-DCMAKE_RC_COMPILER="$work/bin/windres")
  fi
  chmod +x "$work/bin/"*
  cmake_extra+=(-DCMAKE_C_COMPILER="$work/bin/cc" -DCMAKE_CXX_COMPILER="$work/bin/c++"
    -DCMAKE_AR="$work/bin/ar" -DCMAKE_RANLIB="$work/bin/ranlib")
fi
if [ "$format" = pe ]; then
  # Forwarding headers, so the pinned source builds with MinGW (Debian's for win-x64, the
  # mingw-w64 headers zig ships for win-arm64) unchanged:
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
  if [ "$toolchain" = zig ]; then
    # zig 0.11 makes MinGW's ws2_32 import library from its .def file only, without the data
    # MinGW's own libws2_32.a adds: in6addr_any and in6addr_loopback (ip_resolver.cpp uses
    # them) are then undefined at the link. Define them as ws2_32 does (ws2ipdef.h values).
    printf '#include <ws2tcpip.h>\nconst struct in6_addr in6addr_any = IN6ADDR_ANY_INIT;\nconst struct in6_addr in6addr_loopback = IN6ADDR_LOOPBACK_INIT;\n' \
      > "$work/mingw-in6addr.c"
    "$work/bin/cc" -O2 -c "$work/mingw-in6addr.c" -o "$work/mingw-in6addr.o" || die "could not compile $work/mingw-in6addr.c"
    linker_flags="$linker_flags $work/mingw-in6addr.o"
  fi
  if [ "$toolchain" = gcc ]; then
    # -static makes MinGW link libstdc++, libgcc and winpthread from their archives, so the DLL
    # (and the perf tools) need no libstdc++-6.dll, libgcc_s_seh-1.dll or libwinpthread-1.dll.
    # (zig links its libc++ statically already, and libzmq uses Windows threads, not pthreads.)
    linker_flags="$linker_flags -static -lwinpthread"
    exe_linker_flags="$exe_linker_flags -static"
  fi
fi

# libzmq's perf tools (bench/ runs them) for the rids a machine here can run: linux-x64 and
# win-x64 (wine). The other builds skip them (each links another copy of the C++ runtime).
perf_tools=OFF
case "$rid" in linux-x64|win-x64) perf_tools=ON ;; esac

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
  -DWITH_PERF_TOOL="$perf_tools" -DWITH_DOC=OFF -DWITH_DOCS=OFF \
  -DENABLE_CPACK=OFF -DENABLE_PRECOMPILED=OFF \
  "${cmake_extra[@]}" > "$work/cmake-configure.log" 2>&1 \
  || { tail -40 "$work/cmake-configure.log"; die "cmake configure failed (log: $work/cmake-configure.log)"; }

log "building (this takes a few minutes)"
cmake --build "$work/build" --parallel "$(nproc 2>/dev/null || echo 2)" > "$work/cmake-build.log" 2>&1 \
  || { tail -40 "$work/cmake-build.log"; die "build failed (log: $work/cmake-build.log)"; }

built=$(find "$work/build" -name "$lib_src" \( -type f -o -type l \) | head -n 1)
[ -n "$built" ] || die "the build produced no $lib_src"
if [ "$toolchain" = zig ] && [ "$format" = elf ]; then
  # zig compiles its libc++/libunwind with debug info (-gdwarf-4), which made libzmq.so 12 MB
  # instead of 2 MB; ours has none (Release, no -g). Strip it after the link.
  need_pkgs llvm-strip:llvm
  llvm-strip --strip-debug "$(readlink -f "$built")"
fi

rm -rf "$out"
mkdir -p "$out/include"
[ "$perf_tools" = ON ] && mkdir -p "$out/perf"
cp -L "$built" "$out/$lib_name"
cp "$srcdir/include/zmq.h" "$srcdir/include/zmq_utils.h" "$out/include/"
cp "$srcdir/COPYING" "$out/COPYING.libzmq.txt"
cp "$srcdir/COPYING.LESSER" "$out/COPYING.LESSER.libzmq.txt"
for tool in local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat proxy_thr; do
  exe=$(find "$work/build" -type f \( -name "$tool" -o -name "$tool.exe" \) | head -n 1)
  [ -n "$exe" ] && cp "$exe" "$out/perf/"
done
if [ "$format" = elf ] && [ "$perf_tools" = ON ]; then
  # The perf tools ask for the SONAME (libzmq.so.5) beside them (rpath $ORIGIN).
  ln -sf "../$lib_name" "$out/perf/libzmq.so.5"
fi
if [ "$format" = pe ] && [ "$perf_tools" = ON ]; then cp "$out/$lib_name" "$out/perf/"; fi
# The configured features (ZMQ_HAVE_*, pollers): check-floors.sh compares them across builds.
cp "$work/build/platform.hpp" "$out/platform.hpp"

# --- check: the right machine, the floor, nothing but the C library, only zmq_* exported --
# A gcc build is a comparison build made on this machine: it needs this machine's glibc
# (Debian 12: GLIBC_2.36), so its floor is reported, not enforced; the rest is checked.
floor_option=()
[ "$toolchain" = gcc ] && [ "$format" = elf ] && floor_option=(--report-floor)
bash "$here/toolchain/check-library.sh" "${floor_option[@]}" "$rid" "$out/$lib_name" || die "$out/$lib_name fails its checks (above)"

{
  echo "$stamp"
  echo "$patch_set"
  echo "$tool_set"
  [ "$toolchain" = zig ] && echo "zig target $zig_target"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
  echo "options: drafts, curve (tweetnacl), ws (no tls); no libsodium, gnutls, libbsd, pgm, norm"
} > "$out/BUILD-INFO"
log "done: $out"

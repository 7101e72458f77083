#!/usr/bin/env bash
# Checks every library in native/out/<rid>/ (or in the folder given) against its floor and
# against linux-x64, the build the test suite runs on:
#   1. check-library.sh: machine, glibc floor 2.17 / musl only, dependencies, zmq_* exports,
#      Mach-O minimum macOS, install name and signature;
#   2. the exported symbol list equals linux-x64's (every build; read from the file);
#   3. the configured features (platform.hpp: ZMQ_HAVE_*, pollers) equal linux-x64's for every
#      Linux build, and curve/draft/ws/ipc for the others (cross builds skip libzmq's probes,
#      so this is where a lost feature such as TIPC shows);
#   4. zmq_has (zmq-has.c) where the library can run here: linux-x64 natively, linux-musl-x64
#      with musl-gcc's loader, linux-arm64 and linux-musl-arm64 under qemu-aarch64 when a sysroot
#      is present (Debian's arm64 glibc; the musl one verify-emulated.sh unpacks), win-x64 under
#      wine when installed. The expected line: "has: ipc tipc curve draft WS" on Linux, "has:
#      ipc curve draft WS" on Windows. osx-* and win-arm64 cannot run here (no macOS, and wine
#      runs x64 code only): for them 1-3 are the whole check, read from the file and platform.hpp,
#      and a "skip" line says so.
#
#   native/toolchain/check-floors.sh [out-folder] [--reference <linux-x64 folder>]
# (default native/out, and its linux-x64 as the reference). Prints one line per check; exits 1
# when any fails.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
outs=$here/../out
ref=""
while [ $# -gt 0 ]; do
  case "$1" in
    --reference) ref=${2:?--reference needs a folder}; shift 2 ;;
    *) outs=$1; shift ;;
  esac
done
outs=$(cd "$outs" && pwd)
[ -n "$ref" ] || ref="$outs/linux-x64"

failed=0
bad() { echo "floors: FAIL $*"; failed=1; }
ok() { echo "floors: ok   $*"; }

lib_of() {
  case "$1" in
    linux-*) echo "$outs/$1/libzmq.so" ;;
    osx-*) echo "$outs/$1/libzmq.dylib" ;;
    win-*) echo "$outs/$1/libzmq.dll" ;;
  esac
}
# The features a build configured: the ZMQ_HAVE_* / poller / CV defines platform.hpp sets.
features() {
  grep -E '^#define (ZMQ_HAVE_|ZMQ_IOTHREAD_POLLER_|ZMQ_POLL_BASED_|ZMQ_USE_|ZMQ_BUILD_DRAFT|HAVE_)' "$1" \
    | awk '{print $2}' | sort
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -f "$ref/libzmq.so" ] || { echo "floors: no linux-x64 reference build in $ref (native/build-libzmq.sh linux-x64)"; exit 1; }
bash "$here/check-library.sh" --exports linux-x64 "$ref/libzmq.so" > "$work/ref.exports"
[ -f "$ref/platform.hpp" ] && features "$ref/platform.hpp" > "$work/ref.features"
expected_has="has: ipc tipc curve draft WS"
expected_has_windows="has: ipc curve draft WS"

has_line() {   # rid library -> the zmq_has line, or nothing when it cannot run here
  local rid=$1 lib=$2 dir="$work/has-$1"
  mkdir -p "$dir"
  cp "$lib" "$dir/libzmq.so"
  ln -sf libzmq.so "$dir/libzmq.so.5"
  case "$rid" in
    linux-x64)
      command -v cc >/dev/null 2>&1 || return 0
      cc -I "$outs/$rid/include" "$here/zmq-has.c" -L "$dir" -lzmq -Wl,-rpath,"$dir" -o "$dir/has" && "$dir/has"
      ;;
    linux-musl-x64)
      command -v musl-gcc >/dev/null 2>&1 || return 0
      musl-gcc -I "$outs/$rid/include" "$here/zmq-has.c" -L "$dir" -lzmq -Wl,-rpath,"$dir" -o "$dir/has" && "$dir/has"
      ;;
    linux-arm64)
      command -v qemu-aarch64 >/dev/null 2>&1 && command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 \
        && [ -d /usr/aarch64-linux-gnu/lib ] || return 0
      aarch64-linux-gnu-gcc -I "$outs/$rid/include" "$here/zmq-has.c" -L "$dir" -lzmq -Wl,-rpath,"$dir" -o "$dir/has" \
        && qemu-aarch64 -L /usr/aarch64-linux-gnu "$dir/has"
      ;;
    linux-musl-arm64)
      local sysroot="$here/../.cache/musl-arm64-root"
      command -v qemu-aarch64 >/dev/null 2>&1 && [ -e "$sysroot/lib/ld-musl-aarch64.so.1" ] || return 0
      local zig
      zig=$(bash "$here/install-zig.sh" 2>/dev/null) || return 0
      "$zig" cc -target aarch64-linux-musl -I "$outs/$rid/include" "$here/zmq-has.c" -L "$dir" -lzmq -Wl,-rpath,"$dir" -o "$dir/has" \
        && qemu-aarch64 -L "$sysroot" "$dir/has"
      ;;
    win-x64)
      command -v wine >/dev/null 2>&1 && command -v x86_64-w64-mingw32-gcc-posix >/dev/null 2>&1 || return 0
      cp "$lib" "$dir/libzmq.dll"
      x86_64-w64-mingw32-gcc-posix -I "$outs/$rid/include" "$here/zmq-has.c" "$dir/libzmq.dll" -static -o "$dir/has.exe" || return 0
      # A throw-away prefix, no Mono/Gecko, no debug chatter; wine prints CRLF line ends.
      WINEPREFIX="$work/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" \
        timeout 300 wine "$dir/has.exe" | tr -d '\r'
      WINEPREFIX="$work/wineprefix" wineserver -k 2>/dev/null || true
      ;;
  esac
}

for dir in "$outs"/*/; do
  rid=$(basename "$dir")
  lib=$(lib_of "$rid")
  [ -n "$lib" ] && [ -f "$lib" ] || continue
  if msg=$(bash "$here/check-library.sh" "$rid" "$lib" 2>&1); then ok "$msg"; else bad "$msg"; fi

  if bash "$here/check-library.sh" --exports "$rid" "$lib" > "$work/$rid.exports" 2>&1 \
    && diff -u "$work/ref.exports" "$work/$rid.exports" > "$work/$rid.diff"; then
    ok "$rid: exports the same $(wc -l < "$work/ref.exports") symbols as linux-x64"
  else
    bad "$rid: exports differ from linux-x64: $(grep '^[-+][a-z]' "$work/$rid.diff" | head -5 | tr '\n' ' ')"
  fi

  if [ ! -f "$dir/platform.hpp" ] || [ ! -f "$work/ref.features" ]; then
    bad "$rid: no platform.hpp beside the library (rebuild with native/build-libzmq.sh $rid --force)"
  else
    features "$dir/platform.hpp" > "$work/$rid.features"
    case "$rid" in
      linux-*)
        # Allowed differences, each a property of the C library that changes no behaviour:
        # musl has strlcpy (libzmq then uses it instead of its own copy loop); glibc 2.17 has not.
        allowed='^$'
        case "$rid" in linux-musl-*) allowed='^ZMQ_HAVE_STRLCPY$' ;; esac
        grep -v -E "$allowed" "$work/$rid.features" > "$work/$rid.features.cmp" || true
        grep -v -E "$allowed" "$work/ref.features" > "$work/ref.features.cmp" || true
        if diff -u "$work/ref.features.cmp" "$work/$rid.features.cmp" > "$work/$rid.fdiff"; then
          ok "$rid: configured features equal linux-x64's ($(wc -l < "$work/ref.features") defines)"
        else
          bad "$rid: configured features differ from linux-x64: $(grep '^[-+][A-Z]' "$work/$rid.fdiff" | tr '\n' ' ')"
        fi
        ;;
      *)
        missing=""
        for f in ZMQ_HAVE_CURVE ZMQ_BUILD_DRAFT_API ZMQ_HAVE_WS ZMQ_HAVE_IPC; do
          grep -qx "$f" "$work/$rid.features" || missing="$missing $f"
        done
        if [ -z "$missing" ]; then ok "$rid: configures curve, draft, ws, ipc"; else bad "$rid: lacks$missing"; fi
        ;;
    esac
  fi

  case "$rid" in
    linux-*|win-x64)
      want=$expected_has
      [ "$rid" = win-x64 ] && want=$expected_has_windows
      line=$(has_line "$rid" "$lib" 2>"$work/$rid.has.err")
      if [ -z "$line" ]; then
        echo "floors: skip $rid: zmq_has not run (no loader/emulator here) $(head -c 200 "$work/$rid.has.err")"
      elif [ "$line" = "$want" ]; then
        ok "$rid: zmq_has says '$line'"
      else
        bad "$rid: zmq_has says '$line', expected '$want'"
      fi
      ;;
    osx-*) echo "floors: skip $rid: zmq_has cannot run here (no macOS); exports and configured features above are its whole check" ;;
    win-arm64) echo "floors: skip $rid: zmq_has cannot run here (wine runs x64 code only); exports and configured features above are its whole check" ;;
  esac
done
[ "$failed" -eq 0 ] && echo "floors: all checks passed" || echo "floors: some checks FAILED"
exit "$failed"

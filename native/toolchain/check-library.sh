#!/usr/bin/env bash
# Checks one built libzmq against what its runtime id promises, reading the file only (no
# need to run it, so every cross build is checked here):
#   ELF     machine; NEEDED only the C library (glibc: libc/libm/libpthread/libdl/librt/ld-linux;
#           musl: libc.so); glibc rids: no symbol version above GLIBC_2.17; musl: no GLIBC_ at all
#   Mach-O  arch, MH_DYLIB, LC_BUILD_VERSION minos 12.0, links only libSystem, install name
#           @rpath/libzmq.dylib, arm64: an ad-hoc code signature (macho-info.py parses it); a
#           signature, where there is one, whose page hashes match the file
#   PE      machine, imports only system DLLs
#   all     exports only zmq_* (zmq_zmqnative_patch_level is one of them)
#
#   native/toolchain/check-library.sh <rid> <library>            checks, prints a summary
#   native/toolchain/check-library.sh --exports <rid> <library>  prints the exported names, sorted
#   native/toolchain/check-library.sh --report-floor <rid> <library>  glibc floor printed, not
#       enforced (gcc comparison builds, which need the build machine's glibc)
# Exit 1 with the reason on the first failed check. Needs binutils' readelf/nm and llvm's
# llvm-nm/llvm-readobj (Debian: llvm) for Mach-O and arm64 PE.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

exports_only=false
enforce_floor=true
case "${1:-}" in
  --exports) exports_only=true; shift ;;
  --report-floor) enforce_floor=false; shift ;;
esac
rid=${1:?usage: check-library.sh [--exports] <rid> <library>}
lib=${2:?usage: check-library.sh [--exports] <rid> <library>}
[ -f "$lib" ] || { echo "check: $lib: no such file" >&2; exit 1; }
fail() { echo "check: $rid: $*" >&2; exit 1; }

GLIBC_FLOOR=2.17
MACOS_MIN=12.0

llvm_tool() {
  local t
  for t in "$1" "$1-16" "$1-15" "$1-14"; do command -v "$t" >/dev/null 2>&1 && { echo "$t"; return; }; done
  echo "check: $1 is missing (Debian: apt-get install llvm)" >&2
  return 1
}

exports() {
  case "$rid" in
    linux-*) nm -D --defined-only "$lib" | awk '$2 ~ /^[A-Z]$/ {print $3}' | sed 's/@.*//' ;;
    # The export trie is what dyld resolves against (nm -g also lists private externs).
    osx-*) "$(llvm_tool llvm-objdump)" --macho --exports-trie "$lib" | awk '/^0x/ {print $2}' | sed 's/^_//' ;;
    win-*) "$(llvm_tool llvm-readobj)" --coff-exports "$lib" | sed -n 's/^ *Name: //p' ;;
  esac | sort -u
}

if $exports_only; then exports; exit 0; fi

names=$(exports)
count=$(printf '%s\n' "$names" | grep -c . || true)
# The export checks come last, after the format's own checks have printed their summary.
check_exports() {
  [ "$count" -gt 0 ] || fail "no exported symbols found"
  local other
  other=$(printf '%s\n' "$names" | grep -v '^zmq_' || true)
  [ -z "$other" ] || fail "exports more than zmq_*: $(printf '%s\n' "$other" | wc -l) others, e.g. $(echo "$other" | head -5 | tr '\n' ' ')"
  printf '%s\n' "$names" | grep -qx zmq_zmqnative_patch_level || fail "does not export zmq_zmqnative_patch_level"
}

case "$rid" in
  linux-*)
    case "$rid" in
      *-arm64) machine=AArch64 ;;
      *) machine="Advanced Micro Devices X86-64" ;;
    esac
    actual=$(readelf -h "$lib" | sed -n 's/^ *Machine: *//p')
    [ "$actual" = "$machine" ] || fail "built for '$actual', expected '$machine'"
    [ "$(readelf -h "$lib" | sed -n 's/^ *Type: *\([A-Z]*\).*/\1/p')" = DYN ] || fail "not a shared object"
    needed=$(readelf -d "$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
    versions=$(readelf -V "$lib" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -u -V || true)
    for n in $needed; do
      case "$rid:$n" in
        linux-musl-*:libc.so) ;;
        linux-musl-*:*) fail "needs $n; only musl's libc.so is allowed" ;;
        *:libc.so.6|*:libm.so.6|*:libpthread.so.0|*:libdl.so.2|*:librt.so.1|*:ld-linux-*) ;;
        *) fail "needs $n; only the C library is allowed (no libstdc++, libc++, libgcc_s)" ;;
      esac
    done
    case "$rid" in
      linux-musl-*)
        [ -z "$versions" ] || fail "a musl library with glibc symbol versions: $(echo "$versions" | tr '\n' ' ')"
        floor="musl"
        ;;
      *)
        max=$(printf '%s\n' "$versions" | sed 's/GLIBC_//' | sort -V | tail -n 1)
        [ -n "$max" ] || fail "no GLIBC_ symbol versions: not linked against glibc?"
        [ "$(printf '%s\n%s\n' "$max" "$GLIBC_FLOOR" | sort -V | tail -n 1)" = "$GLIBC_FLOOR" ] || ! $enforce_floor \
          || fail "needs GLIBC_$max; the floor is GLIBC_$GLIBC_FLOOR ($(readelf -V "$lib" | grep -o "GLIBC_$max" | wc -l) references)"
        floor="GLIBC_$max"
        ;;
    esac
    echo "check: $rid: ELF $actual, floor $floor, needs: $needed, exports $count symbols"
    ;;
  osx-*)
    arch=arm64; [ "$rid" = osx-x64 ] && arch=x86_64
    info=$(python3 "$here/macho-info.py" "$lib") || fail "not a Mach-O file it can read"
    get() { printf '%s\n' "$info" | sed -n "s/^$1 //p"; }
    [ "$(get arch)" = "$arch" ] || fail "Mach-O arch '$(get arch)', expected $arch"
    [ "$(get filetype)" = dylib ] || fail "Mach-O type '$(get filetype)', expected dylib"
    [ "$(get minos)" = "$MACOS_MIN" ] || fail "minimum macOS '$(get minos)', expected $MACOS_MIN"
    [ "$(get id)" = "@rpath/libzmq.dylib" ] || fail "install name '$(get id)', expected @rpath/libzmq.dylib"
    deps=$(get dylib | tr '\n' ' ')
    for d in $deps; do
      [ "$d" = /usr/lib/libSystem.B.dylib ] || fail "links $d; only libSystem is allowed (libc++ is linked in)"
    done
    sig=$(get signature)
    if [ "$arch" = arm64 ]; then
      case "$sig" in adhoc*) ;; *) fail "arm64 needs an ad-hoc signature, found '$sig'" ;; esac
    fi
    case "$sig" in *MISMATCH*) fail "the code signature does not match the file (changed after signing?): $sig" ;; esac
    echo "check: $rid: Mach-O $arch dylib, minos $(get minos) (sdk $(get sdk)), id $(get id), links: $deps, signature: ${sig:-none}, exports $count symbols"
    ;;
  win-*)
    machine=x86-64; [ "$rid" = win-arm64 ] && machine=ARM64
    readobj=$(llvm_tool llvm-readobj)
    actual=$("$readobj" --file-headers "$lib" | sed -n 's/^ *Machine: IMAGE_FILE_MACHINE_\([A-Z0-9]*\).*/\1/p')
    case "$machine:$actual" in x86-64:AMD64|ARM64:ARM64) ;; *) fail "PE machine '$actual', expected $machine" ;; esac
    imports=$("$readobj" --coff-imports "$lib" | sed -n 's/^ *Name: \(.*\.dll\)$/\1/Ip' | sort -u | tr '\n' ' ')
    [ -n "$imports" ] || fail "no imports found"
    for n in $imports; do
      case "$(echo "$n" | tr '[:upper:]' '[:lower:]')" in
        kernel32.dll|ws2_32.dll|advapi32.dll|iphlpapi.dll|msvcrt.dll|ucrtbase.dll|api-ms-win-crt-*.dll|user32.dll|rpcrt4.dll|ntdll.dll|bcrypt.dll) ;;
        *) fail "imports $n; only system DLLs are allowed (no libstdc++/libgcc/libwinpthread/libc++ DLLs)" ;;
      esac
    done
    echo "check: $rid: PE $actual, imports: $imports, exports $count symbols"
    ;;
  *) fail "unknown rid" ;;
esac
check_exports

#!/usr/bin/env bash
# The C/C++ compiler CMake sees for a zig cross build:
#   zig-wrapper.sh <cc|c++> <zig target> [compiler arguments...]
# build-libzmq.sh writes two one-line scripts per build (cc, c++) that call this with the
# target baked in, so CMake gets plain compiler paths. ZIG must name the zig binary
# (native/toolchain/install-zig.sh prints it).
# It runs `zig cc|c++ -target <target>` with the arguments, minus the ones zig's clang driver
# or its linker reject or that make no sense for every target:
#   -Wl,--exclude-libs,*   lld (ELF) has no --exclude-libs; zig links libc++/libunwind
#                          with hidden symbols anyway, so nothing of them is exported
#   -static-libstdc++, -static-libgcc   zig always links its libc++ statically
#   ELF-only linker options on Mach-O targets (--version-script, -soname, --exclude-libs):
#                          the macOS link uses -exported_symbols_list instead
# With ZIG_INSTALL_NAME set (Mach-O), the value after -install_name is replaced by it.
set -euo pipefail
mode=$1 target=$2
shift 2
: "${ZIG:?ZIG must name the zig binary (native/toolchain/install-zig.sh)}"
args=()
install_name_next=false
macho=false
case "$target" in *-macos*) macho=true ;; esac
for a in "$@"; do
  if $install_name_next; then
    install_name_next=false
    [ -n "${ZIG_INSTALL_NAME:-}" ] && a=$ZIG_INSTALL_NAME
    args+=("$a")
    continue
  fi
  [ "$a" = -install_name ] && install_name_next=true
  case "$a" in
    -Wl,--exclude-libs,*|-static-libstdc++|-static-libgcc) continue ;;
  esac
  if $macho; then
    case "$a" in
      -Wl,--version-script=*|-Wl,--version-script,*) continue ;;
    esac
  fi
  args+=("$a")
done
exec "$ZIG" "$mode" -target "$target" "${args[@]}"

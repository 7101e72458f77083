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
# Mach-O dylib links with ZIG_MACHO_EXPORTS set (a file of exported symbol names, globs allowed):
# zig 0.11's Mach-O linker ignores -exported_symbols_list and puts hidden symbols in the export
# trie too, so the dylib is linked again by LLVM's ld64.lld ($LD64_LLD, default ld64.lld-16:
# Debian's lld-16) from the same inputs zig used: the objects, zig's own compiler_rt, libc++abi
# and libc++ archives for the target (zig builds them and prints its link line with
# ZIG_VERBOSE_LINK=1), and the libSystem stub (.tbd) zig ships for the target's macOS version.
# ld64.lld writes the exports the list names and nothing else, and on arm64 signs ad hoc.
dylib=false
for a in "${args[@]}"; do case "$a" in -shared|-dynamiclib) dylib=true ;; esac; done
if $macho && $dylib && [ -n "${ZIG_MACHO_EXPORTS:-}" ]; then
  ld64=${LD64_LLD:-ld64.lld-16}
  command -v "$ld64" >/dev/null 2>&1 || { echo "zig-wrapper: $ld64 is missing (Debian package lld-16)" >&2; exit 1; }
  zig_log=$(mktemp)
  trap 'rm -f "$zig_log"' EXIT
  status=0
  ZIG_VERBOSE_LINK=1 "$ZIG" "$mode" -target "$target" "${args[@]}" 2> "$zig_log" || status=$?
  grep -v '^zig ld ' "$zig_log" >&2 || true
  [ $status = 0 ] || exit $status
  link_line=$(grep '^zig ld ' "$zig_log" | tail -n 1)
  [ -n "$link_line" ] || { echo "zig-wrapper: zig printed no link line (ZIG_VERBOSE_LINK)" >&2; exit 1; }
  read -r -a zig_link <<< "${link_line#zig ld }"
  inputs=() out="" install_name="" next=""
  for a in "${zig_link[@]}"; do
    case "$next" in
      out) out=$a; next=""; continue ;;
      id) install_name=$a; next=""; continue ;;
    esac
    case "$a" in
      -o) next=out ;;
      -install_name) next=id ;;
      *.o|*.a) inputs+=("$a") ;;
    esac
  done
  [ -n "$out" ] && [ ${#inputs[@]} -gt 0 ] || { echo "zig-wrapper: cannot read zig's link line: $link_line" >&2; exit 1; }
  [ -n "${ZIG_INSTALL_NAME:-}" ] && install_name=$ZIG_INSTALL_NAME
  # CMake's dylib versions (-compatibility_version X, -current_version Y, or as -Wl, options).
  versions=() next=""
  for a in "$@"; do
    if [ -n "$next" ]; then versions+=("$next" "$a"); next=""; continue; fi
    case "$a" in
      -compatibility_version|-current_version) next=$a ;;
      -Wl,-compatibility_version,*|-Wl,-current_version,*) IFS=, read -r _ flag value <<< "$a"; versions+=("$flag" "$value") ;;
    esac
  done
  case "$target" in aarch64-*) arch=arm64 ;; x86_64-*) arch=x86_64 ;; *) echo "zig-wrapper: no ld64 arch for $target" >&2; exit 1 ;; esac
  minos=${target#*-macos}; minos=${minos#.}; minos=${minos:-12.0}
  darwin=$(dirname "$ZIG")/lib/libc/darwin
  tbd="$darwin/libSystem.${minos%%.*}.tbd"
  [ -f "$tbd" ] || { echo "zig-wrapper: zig has no $tbd for macOS $minos" >&2; exit 1; }
  sdk=$(mktemp -d)
  trap 'rm -f "$zig_log"; rm -rf "$sdk"' EXIT
  ln -s "$tbd" "$sdk/libSystem.tbd"
  rm -f "$out"
  "$ld64" -dylib -arch "$arch" -platform_version macos "$minos" "$minos" \
    ${install_name:+-install_name "$install_name"} "${versions[@]}" \
    -exported_symbols_list "$ZIG_MACHO_EXPORTS" -dead_strip \
    -o "$out" "${inputs[@]}" -L"$sdk" -lSystem
  exit 0
fi
# Windows DLL links with ZIG_PE_EXPORTS set (a file of exported name patterns, globs allowed):
# zig's libunwind for *-windows-gnu marks its _Unwind_*/unw_* API dllexport, so the DLL would
# export those 25 names beside zmq_*, and zig 0.11 rejects lld's --exclude-symbols (which acts
# on automatic exports only anyway, as do --exclude-all-symbols and a .def file's list). So the
# DLL is linked again by Debian's lld-link ($LLD_LINK, default lld-link-16: package lld-16, the
# LLVM 16 inside zig 0.11) with zig's own lld-link arguments (ZIG_VERBOSE_LINK=1 prints them:
# the objects, zig's MinGW CRT and import libraries, libc++, libc++abi, libunwind, compiler_rt),
# where each input whose .drectve exports a name outside the list is replaced by a copy without
# those directives (coff-drop-exports.py), and without -DEBUG/-PDB: no debug sections, no PDB.
if ! $macho && $dylib && [ -n "${ZIG_PE_EXPORTS:-}" ]; then
  case "$target" in *-windows-*) ;; *) echo "zig-wrapper: ZIG_PE_EXPORTS set for a non-Windows target $target" >&2; exit 1 ;; esac
  lld_link=${LLD_LINK:-lld-link-16}
  command -v "$lld_link" >/dev/null 2>&1 || { echo "zig-wrapper: $lld_link is missing (Debian package lld-16)" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  status=0
  ZIG_VERBOSE_LINK=1 "$ZIG" "$mode" -target "$target" "${args[@]}" 2> "$work/zig.log" || status=$?
  grep -v -e '^lld-link ' -e '^ar rcs ' "$work/zig.log" >&2 || true
  [ $status = 0 ] || exit $status
  link_line=$(grep '^lld-link ' "$work/zig.log" | tail -n 1)
  [ -n "$link_line" ] || { echo "zig-wrapper: zig printed no lld-link line (ZIG_VERBOSE_LINK)" >&2; exit 1; }
  read -r -a zig_link <<< "${link_line#lld-link }"
  inputs=()
  for a in "${zig_link[@]}"; do
    case "$a" in -*) ;; *.obj|*.o|*.lib|*.a) inputs+=("$a") ;; esac
  done
  grep -q -- '-DLL' <<< "$link_line" && [ ${#inputs[@]} -gt 0 ] \
    || { echo "zig-wrapper: cannot read zig's link line as a DLL link: $link_line" >&2; exit 1; }
  mapfile -t filtered < <(python3 "$(dirname "${BASH_SOURCE[0]}")/coff-drop-exports.py" \
    --keep "$ZIG_PE_EXPORTS" --dir "$work" "${inputs[@]}")
  [ ${#filtered[@]} = ${#inputs[@]} ] || { echo "zig-wrapper: coff-drop-exports.py failed" >&2; exit 1; }
  declare -A replace=()
  for i in "${!inputs[@]}"; do replace[${inputs[$i]}]=${filtered[$i]}; done
  relink=()
  for a in "${zig_link[@]}"; do
    case "$a" in
      -DEBUG|-DEBUG:*|-PDB:*|-PDBALTPATH:*) ;;
      -*) relink+=("$a") ;;
      *) relink+=("${replace[$a]:-$a}") ;;
    esac
  done
  out=$(printf '%s\n' "${relink[@]}" | sed -n 's/^-OUT://p' | tail -n 1)
  [ -n "$out" ] || { echo "zig-wrapper: no -OUT: in zig's link line" >&2; exit 1; }
  # zig's own link left a PDB beside the DLL; the relink writes none.
  pdb=$(printf '%s\n' "${zig_link[@]}" | sed -n 's/^-PDB://p' | tail -n 1)
  rm -f "$out" ${pdb:+"$pdb"}
  "$lld_link" "${relink[@]}"
  exit 0
fi
exec "$ZIG" "$mode" -target "$target" "${args[@]}"

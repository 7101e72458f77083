#!/usr/bin/env bash
# Runs each built libzmq once where it is meant to load, on a Linux x64 machine:
#   bullseye          linux-x64 in a Debian bullseye chroot (glibc 2.31; debootstrap from
#                     Debian's archive into native/.cache/bullseye-root, made once)
#   linux-musl-x64    under musl's own loader (Debian's musl-tools: musl-gcc, ld-musl-x86_64)
#   linux-arm64       qemu-aarch64 with Debian's arm64 glibc (libc6-arm64-cross)
#   linux-musl-arm64  qemu-aarch64 with Debian's arm64 musl (the musl:arm64 package, unpacked
#                     into native/.cache/musl-arm64-root; no arm64 dpkg architecture needed)
#   win-x64           wine (Debian's wine64)
#   win-arm64         static checks only (check-library.sh): cross-built, not run on Windows
#                     arm64 (Debian's wine runs x64 and x86 code only)
#   osx-x64, osx-arm64  static checks only (native/toolchain/check-library.sh): cross-built,
#                     not run on a Mac
# For each, zmq-smoke.c (beside this script) is compiled for the target (zig cc with the same
# target as the library, or Debian's musl-gcc / aarch64 gcc / MinGW), linked against
# native/out/<rid>/, and run: it prints the version and capabilities, does a REQ/REP round trip
# over inproc:// and tcp://127.0.0.1, makes a CURVE key pair, and ends with "smoke: ok".
#
#   native/packaging/verify-emulated.sh [bullseye] [linux-musl-x64] [linux-arm64]
#       [linux-musl-arm64] [win-x64] [win-arm64] [osx-x64] [osx-arm64] [--dotnet]
#
# With no runtime ids, checks every one whose native build exists. --dotnet also publishes a
# small self-contained .NET console app that uses ZmqNative from artifacts/packages
# (./build.sh --target=Pack --rids=all first) for linux-arm64 (run under qemu) and, with
# bullseye, for linux-x64 (run in the chroot). There is no .NET for musl here: the musl runs
# are C only. Not part of CI (wine alone is a few hundred MB, the chroot ~200 MB); installs
# what it needs as root; each run is bounded by timeout.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../need-packages.sh
. "$root/native/need-packages.sh"

rids=()
dotnet_consumer=false
for arg in "$@"; do
  case "$arg" in
    --dotnet) dotnet_consumer=true ;;
    bullseye|linux-musl-x64|linux-arm64|linux-musl-arm64|win-x64|win-arm64|osx-x64|osx-arm64) rids+=("$arg") ;;
    *) echo "usage: $0 [bullseye] [linux-musl-x64] [linux-arm64] [linux-musl-arm64] [win-x64] [win-arm64] [osx-x64] [osx-arm64] [--dotnet]" >&2; exit 2 ;;
  esac
done
if [ ${#rids[@]} -eq 0 ]; then
  [ -f "$root/native/out/linux-x64/libzmq.so" ] && rids+=(bullseye)
  for r in linux-musl-x64 linux-arm64 linux-musl-arm64; do
    [ -f "$root/native/out/$r/libzmq.so" ] && rids+=("$r")
  done
  [ -f "$root/native/out/win-x64/libzmq.dll" ] && rids+=(win-x64)
  [ -f "$root/native/out/win-arm64/libzmq.dll" ] && rids+=(win-arm64)
  for r in osx-x64 osx-arm64; do
    [ -f "$root/native/out/$r/libzmq.dylib" ] && rids+=("$r")
  done
  [ ${#rids[@]} -gt 0 ] || { echo "verify: no build in native/out/ (native/build-libzmq.sh <rid>)" >&2; exit 1; }
fi
cache="$root/native/.cache"
zig_cc() {   # target, then cc arguments: the pinned zig (the one the libraries are built with)
  local target=$1; shift
  "$(bash "$root/native/toolchain/install-zig.sh")" cc -target "$target" "$@"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# Runs a command, shows it and its output, and checks the output ends with "smoke: ok".
run_smoke() {
  local label=$1; shift
  echo "verify: $label: \$ $*"
  local output status=0
  output=$(timeout 300 "$@" 2>&1) || status=$?
  output=${output//$'\r'/}   # wine's console writes CRLF
  printf '%s\n' "$output" | sed 's/^/    /'
  if [ "$status" -eq 0 ] && printf '%s\n' "$output" | grep -qx 'smoke: ok'; then
    echo "verify: $label: ok"
  else
    echo "verify: $label: FAILED (exit $status)"
    failed=1
  fi
}

verify_linux_arm64() {
  need_pkgs aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu qemu-aarch64:qemu-user
  [ -d /usr/aarch64-linux-gnu/lib ] || need_pkgs /usr/aarch64-linux-gnu/lib/libc.so.6:libc6-arm64-cross
  local out="$root/native/out/linux-arm64" dir="$work/linux-arm64"
  mkdir -p "$dir"
  cp "$out/libzmq.so" "$dir/"
  ln -sf libzmq.so "$dir/libzmq.so.5"   # the SONAME the program asks for
  aarch64-linux-gnu-gcc -O1 -Wall -Werror -I "$out/include" "$here/zmq-smoke.c" \
    -L "$dir" -lzmq -Wl,-rpath,'$ORIGIN' -o "$dir/zmq-smoke"
  echo "verify: linux-arm64: $(file -b "$dir/zmq-smoke" | cut -d, -f1-2)"
  # -L: the guest's root for the dynamic loader and libc (Debian's arm64 cross C library).
  run_smoke "linux-arm64 (qemu-aarch64 $(qemu-aarch64 --version | head -n1 | awk '{print $3}'))" \
    qemu-aarch64 -L /usr/aarch64-linux-gnu "$dir/zmq-smoke"
}

# linux-x64 in a Debian bullseye chroot: glibc 2.31, older than Debian 12's 2.36 the library
# was first built against. The smoke test is built with zig for glibc 2.17 too (a program
# built with Debian 12's gcc would itself need GLIBC_2.34).
verify_bullseye() {
  need_pkgs debootstrap:debootstrap
  local chroot="$cache/bullseye-root" out="$root/native/out/linux-x64"
  if [ ! -x "$chroot/bin/sh" ]; then
    echo "verify: bullseye: debootstrap --variant=minbase bullseye (once, into $chroot) ..."
    rm -rf "$chroot"
    timeout 1200 debootstrap --variant=minbase bullseye "$chroot" http://deb.debian.org/debian > "$cache/debootstrap.log" 2>&1 \
      || { tail -5 "$cache/debootstrap.log"; echo "verify: bullseye: debootstrap FAILED"; failed=1; return; }
  fi
  local dir="$chroot/smoke"
  rm -rf "$dir"; mkdir -p "$dir"
  cp "$out/libzmq.so" "$dir/"
  ln -sf libzmq.so "$dir/libzmq.so.5"
  zig_cc x86_64-linux-gnu.2.17 -O1 -Wall -Werror -I "$out/include" "$here/zmq-smoke.c" \
    -L "$dir" -lzmq -Wl,-rpath,'$ORIGIN' -o "$dir/zmq-smoke"
  echo "verify: bullseye: $(chroot "$chroot" /usr/bin/ldd --version | head -n 1)"
  # The chroot has no /proc, so the loader cannot expand $ORIGIN: name the folder instead.
  run_smoke "linux-x64 in a bullseye chroot" chroot "$chroot" /usr/bin/env LD_LIBRARY_PATH=/smoke /smoke/zmq-smoke
}

# linux-musl-x64 under musl's loader: the smoke test built with Debian's musl-gcc (so it asks
# for /lib/ld-musl-x86_64.so.1, from Debian's musl package).
verify_linux_musl_x64() {
  need_pkgs musl-gcc:musl-tools
  local out="$root/native/out/linux-musl-x64" dir="$work/linux-musl-x64"
  mkdir -p "$dir"
  cp "$out/libzmq.so" "$dir/"
  ln -sf libzmq.so "$dir/libzmq.so.5"
  musl-gcc -O1 -Wall -Werror -I "$out/include" "$here/zmq-smoke.c" \
    -L "$dir" -lzmq -Wl,-rpath,'$ORIGIN' -o "$dir/zmq-smoke"
  echo "verify: linux-musl-x64: $(file -b "$dir/zmq-smoke" | cut -d, -f1-2,5)"
  echo "verify: linux-musl-x64: needs $(readelf -d "$dir/zmq-smoke" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
  run_smoke "linux-musl-x64 ($(/lib/ld-musl-x86_64.so.1 2>&1 | sed -n 's/^Version /musl /p'))" "$dir/zmq-smoke"
}

# linux-musl-arm64 under qemu-aarch64 with Debian's arm64 musl as the guest root: the
# musl:arm64 .deb fetched with apt-get download and unpacked (dpkg-deb -x), so the machine's
# dpkg needs no arm64 architecture installed, only apt's arm64 index (added for this once).
verify_linux_musl_arm64() {
  need_pkgs qemu-aarch64:qemu-user
  local out="$root/native/out/linux-musl-arm64" dir="$work/linux-musl-arm64" sysroot="$cache/musl-arm64-root"
  if [ ! -e "$sysroot/lib/ld-musl-aarch64.so.1" ]; then
    if ! apt-cache show musl:arm64 >/dev/null 2>&1; then
      dpkg --add-architecture arm64
      apt-get update -qq
    fi
    rm -rf "$sysroot"; mkdir -p "$sysroot"
    (cd "$work" && apt-get download -qq musl:arm64) || { echo "verify: linux-musl-arm64: apt-get download musl:arm64 FAILED"; failed=1; return; }
    dpkg-deb -x "$work"/musl_*_arm64.deb "$sysroot"
  fi
  mkdir -p "$dir"
  cp "$out/libzmq.so" "$dir/"
  ln -sf libzmq.so "$dir/libzmq.so.5"
  # zig links a program against a shared library dynamically, with musl's loader as interpreter.
  zig_cc aarch64-linux-musl -O1 -Wall -Werror -I "$out/include" "$here/zmq-smoke.c" \
    -L "$dir" -lzmq -Wl,-rpath,'$ORIGIN' -o "$dir/zmq-smoke"
  echo "verify: linux-musl-arm64: $(file -b "$dir/zmq-smoke" | cut -d, -f1-2,5)"
  run_smoke "linux-musl-arm64 (qemu-aarch64 $(qemu-aarch64 --version | head -n1 | awk '{print $3}'), Debian musl:arm64 $(zcat "$sysroot"/usr/share/doc/musl/changelog.Debian.gz 2>/dev/null | sed -n '1s/^musl (\([^)]*\)).*/\1/p' || true))" \
    qemu-aarch64 -L "$sysroot" "$dir/zmq-smoke"
}

# win-arm64: cross-built, not run: wine here runs x64 code only. What can be checked from the
# file is checked (machine, imports, exports).
verify_win_arm64() {
  echo "verify: win-arm64: cross-built, not run on Windows arm64 (wine runs x64 code only); static checks only"
  if bash "$root/native/toolchain/check-library.sh" win-arm64 "$root/native/out/win-arm64/libzmq.dll"; then
    echo "verify: win-arm64: static checks ok"
  else
    echo "verify: win-arm64: static checks FAILED"
    failed=1
  fi
}

# macOS: cross-built, not run on a Mac. What can be checked from the file is checked.
verify_osx() {
  local r=$1
  echo "verify: $r: cross-built, not run on a Mac; static checks only"
  if bash "$root/native/toolchain/check-library.sh" "$r" "$root/native/out/$r/libzmq.dylib"; then
    echo "verify: $r: static checks ok"
  else
    echo "verify: $r: static checks FAILED"
    failed=1
  fi
}

verify_win_x64() {
  need_pkgs x86_64-w64-mingw32-gcc-posix:gcc-mingw-w64-x86-64-posix wine:wine64
  local out="$root/native/out/win-x64" dir="$work/win-x64"
  mkdir -p "$dir"
  cp "$out/libzmq.dll" "$dir/"
  # GNU ld links against a DLL directly; -static keeps the test program itself free of MinGW DLLs too.
  x86_64-w64-mingw32-gcc-posix -O1 -Wall -Werror -I "$out/include" "$here/zmq-smoke.c" \
    "$dir/libzmq.dll" -static -o "$dir/zmq-smoke.exe"
  echo "verify: win-x64: $(file -b "$dir/zmq-smoke.exe" | cut -d, -f1-2)"
  # A throw-away prefix; no Mono/Gecko installers (not needed by a console program), no debug chatter.
  export WINEPREFIX="$work/wineprefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
  wineboot --init >/dev/null 2>&1 || true
  run_smoke "win-x64 ($(wine --version))" wine "$dir/zmq-smoke.exe"
  wineserver -k 2>/dev/null || true
}

# A self-contained .NET 10 app for <rid> that references ZmqNative from artifacts/packages,
# restored into a private packages folder so the global NuGet cache never holds our packages;
# run by the given command (qemu for linux-arm64, the bullseye chroot for linux-x64).
verify_dotnet() {
  local app_rid=$1
  local packages="$root/artifacts/packages" dir="$work/dotnet-$1"
  ls "$packages"/runtime."$app_rid".ZmqNative.Native.*.nupkg >/dev/null 2>&1 \
    || { echo "verify: dotnet: no runtime.$app_rid package in artifacts/packages; run ./build.sh --target=Pack --rids=all"; failed=1; return; }
  mkdir -p "$dir/app"
  local version
  version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$root/Directory.Build.props")
  # Our packages come only from artifacts/packages; the .NET runtime pack for linux-arm64 (not
  # part of the SDK) from nuget.org.
  cat > "$dir/app/NuGet.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$packages" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="ZmqNative*" /><package pattern="runtime.*.ZmqNative.Native" /></packageSource>
    <packageSource key="nuget.org"><package pattern="Microsoft.*" /></packageSource>
  </packageSourceMapping>
</configuration>
EOF
  printf '<Project />\n' > "$dir/app/Directory.Build.props"
  printf '<Project />\n' > "$dir/app/Directory.Build.targets"
  printf '<Project />\n' > "$dir/app/Directory.Packages.props"
  cat > "$dir/app/app.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <RuntimeIdentifier>$app_rid</RuntimeIdentifier>
    <SelfContained>true</SelfContained>
    <!-- The arm64 sysroot (libc6-arm64-cross) has no libicu; culture data is not what this checks. -->
    <InvariantGlobalization>true</InvariantGlobalization>
    <RestorePackagesPath>$dir/nuget-packages</RestorePackagesPath>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="ZmqNative" Version="$version" />
  </ItemGroup>
</Project>
EOF
  cat > "$dir/app/Program.cs" <<'EOF'
using System.Runtime.InteropServices;
using ZmqNative;

Console.WriteLine($"process {RuntimeInformation.ProcessArchitecture}, runtime {RuntimeInformation.RuntimeIdentifier}, .NET {Environment.Version}");
Console.WriteLine($"libzmq {Zmq.LibraryVersion}");
using (var context = new ZmqContext())
{
    using var server = context.CreateSocket(ZmqSocketType.Rep);
    server.Bind("inproc://dotnet-smoke");
    using var client = context.CreateSocket(ZmqSocketType.Req);
    client.Connect("inproc://dotnet-smoke");
    client.Send("ping");
    if (!server.TryReceiveString(TimeSpan.FromSeconds(30), out var request)) throw new TimeoutException("no request");
    server.Send("pong");
    if (!client.TryReceiveString(TimeSpan.FromSeconds(30), out var reply)) throw new TimeoutException("no reply");
    Console.WriteLine($"inproc: {request} -> {reply}");
}
Console.WriteLine($"loaded from {ZmqNativeLibrary.LoadedFrom}");
Console.WriteLine("smoke: ok");
EOF
  echo "verify: dotnet $app_rid: publishing (self-contained) ..."
  (cd "$dir/app" && DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 timeout 900 dotnet publish -c Release -o "$dir/publish" >"$dir/publish.log" 2>&1) \
    || { tail -20 "$dir/publish.log"; echo "verify: dotnet $app_rid: publish FAILED"; failed=1; return; }
  echo "verify: dotnet $app_rid: $(file -b "$dir/publish/app" | cut -d, -f1-2)"
  case "$app_rid" in
    linux-arm64)
      need_pkgs qemu-aarch64:qemu-user
      run_smoke "dotnet linux-arm64 (qemu-aarch64)" qemu-aarch64 -L /usr/aarch64-linux-gnu "$dir/publish/app"
      ;;
    linux-x64)
      local chroot="$cache/bullseye-root"
      rm -rf "$chroot/dotnet-app"
      cp -r "$dir/publish" "$chroot/dotnet-app"
      # .NET reads /proc (its own path, memory limits): mounted for the run only.
      mount -t proc proc "$chroot/proc"
      run_smoke "dotnet linux-x64 in a bullseye chroot" chroot "$chroot" /dotnet-app/app
      umount "$chroot/proc"
      ;;
  esac
}

for rid in "${rids[@]}"; do
  case "$rid" in
    bullseye) verify_bullseye ;;
    linux-musl-x64) verify_linux_musl_x64 ;;
    linux-arm64) verify_linux_arm64 ;;
    linux-musl-arm64) verify_linux_musl_arm64 ;;
    win-x64) verify_win_x64 ;;
    win-arm64) verify_win_arm64 ;;
    osx-x64|osx-arm64) verify_osx "$rid" ;;
  esac
done
if $dotnet_consumer; then
  for rid in "${rids[@]}"; do
    case "$rid" in
      linux-arm64) verify_dotnet linux-arm64 ;;
      bullseye) verify_dotnet linux-x64 ;;
    esac
  done
fi

if [ "$failed" -ne 0 ]; then
  echo "verify: some emulated runs failed"
  exit 1
fi
echo "verify: all emulated runs passed"

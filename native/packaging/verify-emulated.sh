#!/usr/bin/env bash
# Runs the cross-built libzmq once under an emulator, on a Linux x64 machine:
#   linux-arm64  qemu-user (qemu-aarch64 with Debian's arm64 C library from libc6-arm64-cross)
#   win-x64      wine (Debian's wine64)
# For each, zmq-smoke.c (beside this script) is compiled with the same cross compiler the
# native build used, linked against native/out/<rid>/, and run: it prints the version and
# capabilities, does a REQ/REP round trip over inproc:// and tcp://127.0.0.1, makes a CURVE
# key pair, and ends with "smoke: ok".
#
#   native/packaging/verify-emulated.sh [linux-arm64] [win-x64] [--dotnet]
#
# With no runtime ids, checks every one whose native build exists. --dotnet also publishes a
# small self-contained .NET console app for linux-arm64 that uses ZmqNative from
# artifacts/packages (./build.sh --target=Pack --rids=all first) and runs it under qemu.
# Not part of CI (wine alone is a few hundred MB); installs what it needs as root.
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
    linux-arm64|win-x64) rids+=("$arg") ;;
    *) echo "usage: $0 [linux-arm64] [win-x64] [--dotnet]" >&2; exit 2 ;;
  esac
done
if [ ${#rids[@]} -eq 0 ]; then
  [ -f "$root/native/out/linux-arm64/libzmq.so" ] && rids+=(linux-arm64)
  [ -f "$root/native/out/win-x64/libzmq.dll" ] && rids+=(win-x64)
  [ ${#rids[@]} -gt 0 ] || { echo "verify: no cross build in native/out/ (native/build-libzmq.sh linux-arm64 | win-x64)" >&2; exit 1; }
fi

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

# A self-contained .NET 10 app for linux-arm64 that references ZmqNative from artifacts/packages,
# restored into a private packages folder so the global NuGet cache never holds our packages.
verify_dotnet_linux_arm64() {
  need_pkgs qemu-aarch64:qemu-user
  local packages="$root/artifacts/packages" dir="$work/dotnet-arm64"
  ls "$packages"/runtime.linux-arm64.ZmqNative.Native.*.nupkg >/dev/null 2>&1 \
    || { echo "verify: dotnet: no runtime.linux-arm64 package in artifacts/packages; run ./build.sh --target=Pack --rids=all"; failed=1; return; }
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
    <RuntimeIdentifier>linux-arm64</RuntimeIdentifier>
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
  echo "verify: dotnet linux-arm64: publishing (self-contained) ..."
  (cd "$dir/app" && DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet publish -c Release -o "$dir/publish" >"$dir/publish.log" 2>&1) \
    || { tail -20 "$dir/publish.log"; echo "verify: dotnet linux-arm64: publish FAILED"; failed=1; return; }
  echo "verify: dotnet linux-arm64: $(file -b "$dir/publish/app" | cut -d, -f1-2)"
  run_smoke "dotnet linux-arm64 (qemu-aarch64)" qemu-aarch64 -L /usr/aarch64-linux-gnu "$dir/publish/app"
}

for rid in "${rids[@]}"; do
  case "$rid" in
    linux-arm64) verify_linux_arm64 ;;
    win-x64) verify_win_x64 ;;
  esac
done
if $dotnet_consumer; then verify_dotnet_linux_arm64; fi

if [ "$failed" -ne 0 ]; then
  echo "verify: some emulated runs failed"
  exit 1
fi
echo "verify: all emulated runs passed"

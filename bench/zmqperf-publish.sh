#!/usr/bin/env bash
# Publishes zmqperf (src/Perf) in Release with ZmqNative precompiled (ReadyToRun) and prints the
# path of zmqperf.dll. The tools' own loops stay with the JIT (Perf.csproj excludes zmqperf.dll):
# precompiled, a loop is never replaced by optimised code and cannot inline ZmqNative's calls
# (inproc_thr 1 B: 0.58x of C with everything precompiled, 0.72-0.88x this way). proxy_thr does an
# unmeasured pass first so its threads' code is compiled before the clock starts.
# With --aot it publishes a NativeAOT executable instead (needs clang; the ILCompiler package comes
# from NuGet) and prints its path; bench/compare.sh --zmqperf takes either. --aot-static links
# native/out/<rid>/static/libzmq.a (native/build-static.sh) into that executable, as a package user's
# ZmqNativeStaticLink=true does.
#   bench/zmqperf-publish.sh [--aot|--aot-static] [RID]   (default: this machine's; the log goes to artifacts/bench/zmqperf-publish.log)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bench/rid.sh"
aot=""
static=""
if [ "${1:-}" = "--aot" ]; then aot=1; shift; fi
if [ "${1:-}" = "--aot-static" ]; then aot=1; static=1; shift; fi
rid=${1:-$(this_rid)}
[ -n "$rid" ] || { echo "zmqperf: pass the RID for $(uname -s)-$(uname -m)" >&2; exit 2; }
log="$root/artifacts/bench/zmqperf-publish.log"
mkdir -p "$root/artifacts/bench"
if [ -n "$static" ]; then
  archive="$root/native/out/$rid/static/libzmq.a"
  [ -f "$archive" ] || { echo "zmqperf: no $archive; run native/build-static.sh $rid" >&2; exit 1; }
  out="$root/artifacts/bench/zmqperf-aot-static-$rid"
  how=(-p:PublishAot=true "-p:ZmqNativeStaticLinkArchive=$archive")
  tool="$out/zmqperf"
elif [ -n "$aot" ]; then
  out="$root/artifacts/bench/zmqperf-aot-$rid"
  how=(-p:PublishAot=true)
  tool="$out/zmqperf"
else
  out="$root/artifacts/bench/zmqperf-$rid"
  how=(--self-contained false -p:PublishReadyToRun=true)
  tool="$out/zmqperf.dll"
fi
dotnet publish "$root/src/Perf/Perf.csproj" -c Release -r "$rid" "${how[@]}" \
  -o "$out" -nologo -v quiet >"$log" 2>&1 || { cat "$log" >&2; echo "zmqperf: the publish failed" >&2; exit 1; }
echo "$tool"

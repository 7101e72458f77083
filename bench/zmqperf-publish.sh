#!/usr/bin/env bash
# Publishes zmqperf (src/Perf) in Release with ZmqNative precompiled (ReadyToRun) and prints the
# path of zmqperf.dll. The tools' own loops stay with the JIT (Perf.csproj excludes zmqperf.dll):
# precompiled, a loop is never replaced by optimised code and cannot inline ZmqNative's calls
# (inproc_thr 1 B: 0.58x of C with everything precompiled, 0.72-0.88x this way). proxy_thr does an
# unmeasured pass first so its threads' code is compiled before the clock starts.
#   bench/zmqperf-publish.sh [RID]   (default: this machine's; the log goes to artifacts/bench/zmqperf-publish.log)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bench/rid.sh"
rid=${1:-$(this_rid)}
[ -n "$rid" ] || { echo "zmqperf: pass the RID for $(uname -s)-$(uname -m)" >&2; exit 2; }
out="$root/artifacts/bench/zmqperf-$rid"
log="$root/artifacts/bench/zmqperf-publish.log"
mkdir -p "$root/artifacts/bench"
dotnet publish "$root/src/Perf/Perf.csproj" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
  -o "$out" -nologo -v quiet >"$log" 2>&1 || { cat "$log" >&2; echo "zmqperf: the publish failed" >&2; exit 1; }
echo "$out/zmqperf.dll"

#!/usr/bin/env bash
# Publishes zmqperf (src/Perf) in Release, ReadyToRun-compiled, and prints the path of zmqperf.dll.
# ReadyToRun because the C tools time from their first message, and a JIT-only zmqperf would
# compile code inside that window: proxy_thr with 64 KiB messages (20,000 of them, ~20 ms) measured
# 0.55 of C from JIT time alone, about 1.0 precompiled. Hot methods still get tier-1 code later.
#   bench/zmqperf-publish.sh [RID]   (default: this machine's; the log goes to artifacts/bench/zmqperf-publish.log)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rid=${1:-}
if [ -z "$rid" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) rid=linux-x64 ;;
    Linux-aarch64) rid=linux-arm64 ;;
    Darwin-x86_64) rid=osx-x64 ;;
    Darwin-arm64) rid=osx-arm64 ;;
    *) echo "zmqperf: pass the RID for $(uname -s)-$(uname -m)" >&2; exit 2 ;;
  esac
fi
out="$root/artifacts/bench/zmqperf-$rid"
log="$root/artifacts/bench/zmqperf-publish.log"
mkdir -p "$root/artifacts/bench"
dotnet publish "$root/src/Perf/Perf.csproj" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true \
  -o "$out" -nologo -v quiet >"$log" 2>&1 || { cat "$log" >&2; echo "zmqperf: the publish failed" >&2; exit 1; }
echo "$out/zmqperf.dll"

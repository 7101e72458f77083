#!/usr/bin/env bash
# NetMQ's async receive as a reference row (#19): builds bench/netmq (netmqperf: NetMQ 4.0.4.5 from
# NuGet, its own pure-C# sockets against themselves, receiving with ReceiveFrameBytesAsync in a
# NetMQRuntime, sending with SendFrame since NetMQ has no async send), then runs bench/compare.sh
# --async with it as the third zmqperf, so C, zmqperf, zmqperf --async and NetMQ share the same
# alternating rounds. Reported, not asserted. Arguments go to compare.sh (default: 3 rounds,
# tcp_thr and tcp_lat, 1 B and 1 KiB); pairs.py then prints NetMQ's paired ratios (cs3).
#   bench/netmq.sh [compare.sh options]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
log="$root/artifacts/bench/netmq-build.log"
mkdir -p "$root/artifacts/bench"
dotnet build "$here/netmq/NetmqPerf.csproj" -c Release -nologo -v quiet >"$log" 2>&1 \
  || { cat "$log" >&2; echo "netmq: the build failed" >&2; exit 1; }
tool="$here/netmq/bin/Release/net10.0/netmqperf.dll"
out="$root/artifacts/bench/netmq"
[ $# -gt 0 ] || set -- --rounds 3 --tests "tcp_thr tcp_lat" --sizes "1 1024"
"$here/compare.sh" --async --zmqperf3 "$tool" --out "$out" "$@"
echo "netmq: cs2 = zmqperf --async, cs3 = NetMQ (async receive); paired ratios:"
python3 "$here/pairs.py" "$out/compare-samples.csv" cs2 cs cs3 cs cs2 cs3

#!/usr/bin/env bash
# Runs libzmq's own perf tools (built by native/build-libzmq.sh from the pinned source) on this
# machine: inproc and tcp loopback, throughput and latency, a few message sizes. These are the
# numbers zmqperf (the C# port) will be compared against.
#   bench/c-baseline.sh [rid] [message-count]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rid=${1:-linux-x64}
count=${2:-1000000}
perf="$here/../native/out/$rid/perf"
[ -x "$perf/local_thr" ] || { echo "bench: $perf has no perf tools; run ./build.sh --target=Native" >&2; exit 1; }

field() { sed -n "s|^$1: \([0-9.]*\) \[$2\].*|\1|p"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

printf '%-8s %8s %16s %14s\n' transport size "throughput msg/s" "latency us"
for size in 1 64 1024 65536; do
  n=$count; [ "$size" -ge 65536 ] && n=$((count / 20))
  lat_n=$((count / 100))
  thr=$("$perf/inproc_thr" "$size" "$n" | field "mean throughput" "msg/s")
  lat=$("$perf/inproc_lat" "$size" "$lat_n" | field "average latency" us)
  printf '%-8s %8s %16s %14s\n' inproc "$size" "$thr" "$lat"

  port=$(free_port)
  "$perf/local_thr" "tcp://127.0.0.1:$port" "$size" "$n" > /tmp/zmqnative-bench-thr.$$ &
  pid=$!
  "$perf/remote_thr" "tcp://127.0.0.1:$port" "$size" "$n"
  wait "$pid"
  thr=$(field "mean throughput" "msg/s" < /tmp/zmqnative-bench-thr.$$)
  port=$(free_port)
  "$perf/local_lat" "tcp://127.0.0.1:$port" "$size" "$lat_n" > /dev/null &
  pid=$!
  lat=$("$perf/remote_lat" "tcp://127.0.0.1:$port" "$size" "$lat_n" | field "average latency" us)
  wait "$pid"
  printf '%-8s %8s %16s %14s\n' tcp "$size" "$thr" "$lat"
done
rm -f /tmp/zmqnative-bench-thr.$$

#!/usr/bin/env bash
# Finds where zero-copy sending (ZmqMessage.ZeroCopy: pin the array, zmq_msg_init_data, unpin in
# libzmq's free callback) starts to beat copying, on this machine, for 1 KiB to 16 MiB payloads,
# over inproc and tcp loopback. Runs `zmqperf zerocopy_thr` in three modes, alternately, several rounds:
#   copy      ZmqSocket.Send(span)           zmq_send copies the payload into a new message
#   copymsg   ZmqMessage.ZeroCopy below its threshold: a new ZmqMessage holding a copy, then Send
#   zerocopy  ZmqMessage.ZeroCopy above its threshold: no copy; pin + callback instead
# ZmqMessage.ZeroCopyThreshold chooses between copymsg and zerocopy, so their crossover is the
# threshold this machine would want; copy is the cheapest copying send, for reference.
#
#   bench/zerocopy.sh [--rounds N] [--sizes "1024 ..."] [--transports "inproc tcp"] [--out DIR] [--zmqperf PATH]
# Writes DIR/zerocopy-samples.csv, DIR/zerocopy-summary.csv and DIR/zerocopy.svg (default DIR artifacts/bench).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
rounds=3
sizes="1024 4096 16384 32768 65536 131072 262144 1048576 4194304 16777216"
transports="inproc tcp"
out="$root/artifacts/bench"
zmqperf=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --transports) transports=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --zmqperf) zmqperf=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "zerocopy: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
if [ -z "$zmqperf" ]; then
  echo "zerocopy: publishing zmqperf (Release, ReadyToRun)"
  zmqperf=$("$here/zmqperf-publish.sh")
fi

count_for() { # about 512 MiB per run, between 64 and 100000 messages
  local n=$(( (512 << 20) / $1 )); [ "$n" -gt 100000 ] && n=100000; [ "$n" -lt 64 ] && n=64; echo "$n"; }

samples="$out/zerocopy-samples.csv"
echo "round,transport,mode,size,count,msgs_per_s,mbit_per_s" > "$samples"
echo "zerocopy: $rounds rounds; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= rounds; round++)); do
  modes="copy copymsg zerocopy"; [ $((round % 2)) -eq 0 ] && modes="zerocopy copymsg copy"
  for transport in $transports; do
    for size in $sizes; do
      n=$(count_for "$size")
      for mode in $modes; do
        result=$(timeout 300 dotnet "$zmqperf" zerocopy_thr "$transport" "$mode" "$size" "$n" || true)
        msgs=$(sed -n 's|^mean throughput: \([0-9.]*\) \[msg/s\]|\1|p' <<< "$result")
        mbit=$(sed -n 's|^mean throughput: \([0-9.]*\) \[Mb/s\]|\1|p' <<< "$result")
        if [ -z "$msgs" ]; then echo "zerocopy: round $round $transport $mode $size: no result" >&2; continue; fi
        echo "$round,$transport,$mode,$size,$n,$msgs,$mbit" >> "$samples"
      done
    done
  done
  echo "zerocopy: round $round of $rounds done" >&2
done
echo "zerocopy: load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/zerocopy_report.py" "$samples" "$out"

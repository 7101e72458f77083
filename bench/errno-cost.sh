#!/usr/bin/env bash
# CPU time per message of zmqperf inproc_thr 1 B on one core, for two zmqperf builds in
# alternating order (used for issue 16 item 4: errno captured by SetLastError stubs, before/after).
# It runs 1 M and 6 M messages and reports (cpu(6M) - cpu(1M)) / 5 M: the work per message, which
# other processes competing for the core do not inflate the way they inflate wall-clock throughput.
#
#   bench/errno-cost.sh BEFORE_DIR AFTER_DIR [rounds]
#     BEFORE_DIR, AFTER_DIR   folders holding a zmqperf.dll each (dotnet build src/Perf -c Release -o DIR)
# Environment: CPUS (default 0) for taskset; ZMQNATIVE_LIBZMQ (default native/out/<rid>/libzmq.so).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
before=$1; after=$2; rounds=${3:-5}
source "$here/rid.sh"
rid=$(this_rid)
export ZMQNATIVE_LIBZMQ=${ZMQNATIVE_LIBZMQ:-$here/../native/out/$rid/libzmq.so}
cpus=${CPUS:-0}
samples=$(mktemp)
trap 'rm -f "$samples"' EXIT
for r in $(seq 1 "$rounds"); do
  for mode in msg span; do
    extra=""; [ "$mode" = span ] && extra="--span"
    order="before after"; [ $((r % 2)) -eq 0 ] && order="after before"
    for v in $order; do
      dir=$before; [ "$v" = after ] && dir=$after
      for n in 1000000 6000000; do
        res=$( { /usr/bin/time -f "CPU %U %S" taskset -c "$cpus" dotnet "$dir/zmqperf.dll" inproc_thr 1 "$n" $extra; } 2>&1 )
        cpu=$(echo "$res" | sed -n 's/^CPU \([0-9.]*\) \([0-9.]*\)$/\1 \2/p' | awk '{print $1+$2}')
        echo "$r $mode $v $n $cpu" >> "$samples"
      done
    done
  done
done
python3 - "$samples" <<'PY'
import sys, statistics as st
d = {}
for line in open(sys.argv[1]):
    r, mode, v, n, cpu = line.split()
    d.setdefault((mode, v, int(r)), {})[int(n)] = float(cpu)
for mode in ("msg", "span"):
    per = {v: [(x[6000000] - x[1000000]) / 5e6 * 1e9 for (m, vv, r), x in sorted(d.items()) if m == mode and vv == v] for v in ("before", "after")}
    ratios = [a / b for a, b in zip(per["after"], per["before"])]
    print(f"{mode}: CPU ns/msg before {st.median(per['before']):.0f} {[round(x) for x in per['before']]}, "
          f"after {st.median(per['after']):.0f} {[round(x) for x in per['after']]}, "
          f"after/before per round {[round(x, 2) for x in ratios]} (median {st.median(ratios):.2f})")
PY

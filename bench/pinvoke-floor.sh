#!/usr/bin/env bash
# Where the small-message inproc_thr gap comes from: libzmq's C inproc_thr, the same loop in C# over
# bare P/Invoke (bench/pinvoke-floor), the same with [SuppressGCTransition] on every call (and on one
# thread's calls only), and zmqperf (the safe API), alternately, N rounds; prints the median msg/s
# of each and its ratio to C.
#   bench/pinvoke-floor.sh [--rounds N] [--size BYTES] [--count N] [--cpus LIST]   (defaults 10, 1, 1000000)
# --cpus runs every process under `taskset -c LIST`; 0 puts both threads on one core, where runs
# repeat within a few percent (unpinned, where the scheduler puts the threads swings them ~3x).
# FLOOR_SAMPLES=FILE keeps every round's numbers (msg/s, one line per round, columns as printed).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
rounds=10; size=1; count=1000000; pin=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --cpus) pin=(taskset -c "$2"); shift 2 ;;
    *) echo "pinvoke-floor: unknown option $1" >&2; exit 2 ;;
  esac
done
. "$here/rid.sh"
rid=$(this_rid)
case "$rid" in
  linux-*) ;;
  *) echo "pinvoke-floor: Linux only" >&2; exit 2 ;;
esac
native="$root/native/out/$rid"
[ -x "$native/perf/inproc_thr" ] || { echo "pinvoke-floor: run ./build.sh --target=Native first" >&2; exit 1; }
export ZMQNATIVE_LIBZMQ="$native/libzmq.so"
floor_out="$root/artifacts/bench/pinvoke-floor"
dotnet publish "$here/pinvoke-floor/PinvokeFloor.csproj" -c Release -r "$rid" --self-contained false \
  -p:PublishReadyToRun=true -o "$floor_out" -nologo -v quiet >"$floor_out.log" 2>&1 || { cat "$floor_out.log" >&2; exit 1; }
zmqperf=$("$here/zmqperf-publish.sh" "$rid")
rate() { sed -n 's/^mean throughput: \([0-9]*\) \[msg\/s\].*/\1/p' | head -n 1; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
samples=${FLOOR_SAMPLES:-$tmp}
modes="transition suppress suppress-send suppress-receive"
for _ in $(seq 1 "$rounds"); do
  row=$("${pin[@]}" "$native/perf/inproc_thr" "$size" "$count" | rate)
  for mode in $modes; do
    row="$row $("${pin[@]}" dotnet "$floor_out/PinvokeFloor.dll" "$size" "$count" "$mode" | rate)"
  done
  echo "$row $("${pin[@]}" dotnet "$zmqperf" inproc_thr "$size" "$count" | rate)" >>"$samples"
done
python3 - "$samples" "$rounds" "$size" <<'PY'
import statistics, sys
names = ["C inproc_thr", "C# bare P/Invoke", "C# SuppressGCTransition", "  only the sender's calls", "  only the receiver's calls",
         "zmqperf (safe API)"]
rows = [list(map(int, l.split())) for l in open(sys.argv[1]) if len(l.split()) == len(names)]
c = statistics.median(r[0] for r in rows)
print(f"inproc_thr, {sys.argv[3]}-byte messages, {len(rows)} of {sys.argv[2]} rounds, medians:")
for i, name in enumerate(names):
    m = statistics.median(r[i] for r in rows)
    print(f"  {name:26s} {m:>12,.0f} msg/s  {m / c:5.2f}x C")
PY

#!/usr/bin/env bash
# Where the small-message inproc_thr gap comes from: libzmq's C inproc_thr, the same loop in C# over
# bare P/Invoke (bench/pinvoke-floor), the same with [SuppressGCTransition] on every call, and
# zmqperf (the safe API), alternately, N rounds; prints the median msg/s of each and its ratio to C.
#   bench/pinvoke-floor.sh [--rounds N] [--size BYTES] [--count N]   (defaults 10, 1, 1000000)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
rounds=10; size=1; count=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
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
samples=$(mktemp)
trap 'rm -f "$samples"' EXIT
for _ in $(seq 1 "$rounds"); do
  echo "$("$native/perf/inproc_thr" "$size" "$count" | rate) $(dotnet "$floor_out/PinvokeFloor.dll" "$size" "$count" transition | rate)" \
       "$(dotnet "$floor_out/PinvokeFloor.dll" "$size" "$count" suppress | rate) $(dotnet "$zmqperf" inproc_thr "$size" "$count" | rate)" >>"$samples"
done
python3 - "$samples" "$rounds" "$size" <<'PY'
import statistics, sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 4]
names = ["C inproc_thr", "C# bare P/Invoke", "C# SuppressGCTransition", "zmqperf (safe API)"]
c = statistics.median(r[0] for r in rows)
print(f"inproc_thr, {sys.argv[3]}-byte messages, {len(rows)} of {sys.argv[2]} rounds, medians:")
for i, name in enumerate(names):
    m = statistics.median(r[i] for r in rows)
    print(f"  {name:26s} {m:>12,.0f} msg/s  {m / c:5.2f}x C")
PY

#!/usr/bin/env bash
# zig-built against gcc-built libzmq on this machine, C against C: libzmq's own perf tools from
# each build (native/build-libzmq.sh linux-x64 --zig / --gcc; whichever is the default lives in
# native/out/linux-x64, the other in native/out-<toolchain>/linux-x64), two ways:
#   1. instructions (valgrind --tool=callgrind, all threads): deterministic, so it holds even
#      on a loaded machine; per message, for inproc_thr and tcp local_thr+remote_thr;
#   2. wall clock: rounds alternating gcc/zig in one go, every process pinned to the same
#      core(s) (taskset), throughput per round; the ratio zig/gcc per round, then the median
#      and the range of those ratios.
#
#   native/toolchain/compare-perf.sh [--rounds N] [--count N] [--size B] [--cpus LIST] [--no-callgrind]
#     defaults: --rounds 7 --count 1000000 --size 64 --cpus 0; callgrind uses 200000 messages
# Output: the tables on stdout; artifacts/bench/compare-perf/samples.csv (every wall-clock run).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
rounds=7 count=1000000 size=64 cpus=0 callgrind=true cg_count=200000
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --no-callgrind) callgrind=false; shift ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-perf: unknown option $1" >&2; exit 2 ;;
  esac
done

build_of() {   # toolchain -> the folder holding its linux-x64 build
  local d
  for d in "$root/native/out/linux-x64" "$root/native/out-$1/linux-x64"; do
    [ -f "$d/BUILD-INFO" ] && grep -qx "toolchain $1.*" "$d/BUILD-INFO" && { echo "$d"; return; }
  done
  echo "compare-perf: no $1 build of linux-x64; run native/build-libzmq.sh linux-x64 --$1" >&2
  return 1
}
gcc_dir=$(build_of gcc)
zig_dir=$(build_of zig)
out="$root/artifacts/bench/compare-perf"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))

echo "compare-perf: gcc $gcc_dir"
echo "compare-perf: zig $zig_dir"
echo "compare-perf: $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg), pinned to cpus $cpus"

# --- 1. instructions --------------------------------------------------------------------
ir_of() { sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$1" | head -n 1; }
if $callgrind; then
  command -v valgrind >/dev/null 2>&1 || bash "$root/native/need-packages.sh" valgrind:valgrind
  printf '\n%-24s %14s %14s %8s\n' "instructions/message" gcc zig zig/gcc
  for test in inproc tcp; do
    declare -A ir=()
    for tc in gcc zig; do
      dir=$(eval echo "\$${tc}_dir")/perf
      if [ "$test" = inproc ]; then
        valgrind --tool=callgrind --callgrind-out-file="$work/$tc-inproc.cg" -q \
          "$dir/inproc_thr" "$size" "$cg_count" > /dev/null 2>&1
        ir[$tc]=$(ir_of "$work/$tc-inproc.cg")
      else
        p=$((port++))
        valgrind --tool=callgrind --callgrind-out-file="$work/$tc-local.cg" -q \
          "$dir/local_thr" "tcp://127.0.0.1:$p" "$size" "$cg_count" > /dev/null 2>&1 &
        lpid=$!
        sleep 2
        valgrind --tool=callgrind --callgrind-out-file="$work/$tc-remote.cg" -q \
          "$dir/remote_thr" "tcp://127.0.0.1:$p" "$size" "$cg_count" > /dev/null 2>&1
        wait "$lpid"
        ir[$tc]=$(( $(ir_of "$work/$tc-local.cg") + $(ir_of "$work/$tc-remote.cg") ))
      fi
    done
    awk -v t="$test ${size} B" -v g="${ir[gcc]}" -v z="${ir[zig]}" -v n="$cg_count" \
      'BEGIN { printf "%-24s %14.0f %14.0f %8.3f\n", t, g / n, z / n, z / g }'
    unset ir
  done
fi

# --- 2. wall clock, alternating -----------------------------------------------------------
pin=(taskset -c "$cpus")
thr_of() { sed -n 's/^mean throughput: *\([0-9.]*\) \[msg\/s\].*/\1/p' | head -n 1; }
run_one() {   # toolchain test -> msg/s
  local dir
  dir=$(eval echo "\$${1}_dir")/perf
  if [ "$2" = inproc ]; then
    timeout 300 "${pin[@]}" "$dir/inproc_thr" "$size" "$count" | thr_of
  else
    local p=$((port++))
    timeout 300 "${pin[@]}" "$dir/local_thr" "tcp://127.0.0.1:$p" "$size" "$count" > "$work/local.out" &
    local lpid=$!
    sleep 0.3
    timeout 300 "${pin[@]}" "$dir/remote_thr" "tcp://127.0.0.1:$p" "$size" "$count" > /dev/null
    wait "$lpid"
    thr_of < "$work/local.out"
  fi
}
echo "round,test,toolchain,msg_per_s" > "$out/samples.csv"
for r in $(seq 1 "$rounds"); do
  for test in inproc tcp; do
    # Alternate which goes first, so neither always gets the warmer machine.
    if [ $((r % 2)) -eq 1 ]; then order="gcc zig"; else order="zig gcc"; fi
    for tc in $order; do
      echo "$r,$test,$tc,$(run_one "$tc" "$test")" >> "$out/samples.csv"
    done
  done
done
printf '\n%-24s %12s %12s %8s %17s\n' "wall clock ($rounds rounds)" "gcc msg/s" "zig msg/s" "zig/gcc" "range of ratios"
python3 - "$out/samples.csv" "$size" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for test in ("inproc", "tcp"):
    by = {(r["round"], r["toolchain"]): float(r["msg_per_s"]) for r in rows if r["test"] == test}
    rounds = sorted({k[0] for k in by}, key=int)
    g = [by[(r, "gcc")] for r in rounds]
    z = [by[(r, "zig")] for r in rounds]
    ratios = sorted(b / a for a, b in zip(g, z))
    print(f"{test + ' thr ' + sys.argv[2] + ' B':<24} {statistics.median(g):12.0f} {statistics.median(z):12.0f} "
          f"{statistics.median(ratios):8.3f}    {ratios[0]:.3f}..{ratios[-1]:.3f}")
PY
echo "compare-perf: samples in $out/samples.csv"

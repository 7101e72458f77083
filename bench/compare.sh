#!/usr/bin/env bash
# Runs each zmqperf tool (the C# port, src/Perf) and its C original (libzmq's perf tools, built by
# native/build-libzmq.sh from the same source into native/out/<rid>/perf/) side by side, alternately,
# for several rounds, over inproc and tcp loopback, and reports the median of each and the ratio
# ZmqNative/C per row (throughput: higher is better; latency: lower is better).
# Both load the same libzmq: native/out/<rid>/libzmq.so (zmqperf through ZMQNATIVE_LIBZMQ).
#
#   bench/compare.sh [options]
#     --rid RID            native build to use (default: this machine's, e.g. linux-x64)
#     --rounds N           rounds; each runs every (test, size) once for C and once for C# (default 3)
#     --sizes "1 16 ..."   message sizes in bytes (default "1 16 64 256 1024 4096 65536")
#     --tests "..."        any of inproc_thr inproc_lat tcp_thr tcp_lat proxy_thr (default: the first four)
#     --count N            messages per throughput run for sizes up to 1 KiB (default 1000000; larger
#                          sizes send about 1 GiB, at most N messages and at least 20000)
#     --roundtrips N       roundtrips per latency run (default 10000)
#     --out DIR            where the CSV and SVG files go (default artifacts/bench)
#     --span               run zmqperf with --span (span send/receive instead of a reused ZmqMessage)
#     --no-warmup          do not pass --warmup to zmqperf (by default every tool runs its code before it
#                          binds or connects until tiered compilation has promoted it: 0.5-5 s)
#     --cpus LIST          run every process under `taskset -c LIST` (e.g. 0: all on one core). Unpinned,
#                          two busy threads swing about 3x with where the scheduler puts them (inproc_thr
#                          1 B: ~11 M msg/s on one core, ~3.7 M on two); pinned to one, most inproc
#                          runs repeat within a few percent
#     --zmqperf PATH       a zmqperf.dll already built, or a NativeAOT zmqperf (bench/zmqperf-publish.sh
#                          --aot) (default: build src/Perf in Release, ReadyToRun, first)
#     --async              also run zmqperf with --async (SendAsync/ReceiveAsync) as the second zmqperf
#                          (impl cs2) in the same alternating rounds: tcp_*, inproc_* (not proxy_thr); the
#                          report's "cs2/cs" column is then async/sync
#     --zmqperf3 PATH      a third zmqperf (impl cs3, given --async too when set), e.g. an older build to
#                          compare with in the same rounds: its rows are in the samples CSV, and
#                          bench/pairs.py prints any two impls' paired ratios
#     --zmqperf2 PATH      a second zmqperf in the same alternating rounds (impl cs2), e.g. the NativeAOT one
#                          with libzmq linked in (bench/zmqperf-publish.sh --aot-static): its static
#                          archive must come from the same build as native/out/<rid>/libzmq.so
# Environment: ZMQPERF_DOTNET_ENV="DOTNET_TieredPGO=0 ..." is put in zmqperf's environment (to try
# runtime settings); BENCH_TIMEOUT (seconds, default 300) bounds every single run.
#
# Output: the table on stdout; DIR/compare-samples.csv (every run), DIR/compare-summary.csv
# (medians and ratios), DIR/compare-throughput.svg and DIR/compare-latency.svg (charts against size).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

rid=""
rounds=3
sizes="1 16 64 256 1024 4096 65536"
tests="inproc_thr inproc_lat tcp_thr tcp_lat"
count=1000000
roundtrips=10000
out="$root/artifacts/bench"
span=""
warmup="--warmup"
zmqperf=""
zmqperf2=""
zmqperf3=""
cpus=""
async=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rid) rid=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --tests) tests=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --roundtrips) roundtrips=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --span) span="--span"; shift ;;
    --no-warmup) warmup=""; shift ;;
    --zmqperf) zmqperf=$2; shift 2 ;;
    --zmqperf2) zmqperf2=$2; shift 2 ;;
    --zmqperf3) zmqperf3=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --async) async="--async"; shift ;;
    -h|--help) sed -n '2,33p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

. "$here/rid.sh"
[ -n "$rid" ] || rid=$(this_rid)
[ -n "$rid" ] || { echo "compare: pass --rid for $(uname -s)-$(uname -m)" >&2; exit 2; }

native="$root/native/out/$rid"
cperf="$native/perf"
libzmq="$native/libzmq.so"
[ -x "$cperf/local_thr" ] && [ -f "$libzmq" ] || { echo "compare: $cperf has no perf tools; run ./build.sh --target=Native" >&2; exit 1; }
command -v python3 >/dev/null || { echo "compare: needs python3 (for the medians, the CSV and the charts)" >&2; exit 1; }
pin=()
if [ -n "$cpus" ]; then
  command -v taskset >/dev/null || { echo "compare: --cpus needs taskset (util-linux)" >&2; exit 1; }
  taskset -c "$cpus" true || { echo "compare: taskset -c $cpus failed" >&2; exit 1; }
  pin=(taskset -c "$cpus")
fi
mkdir -p "$out"

if [ -z "$zmqperf" ]; then
  echo "compare: publishing zmqperf (Release, ReadyToRun)"
  zmqperf=$("$here/zmqperf-publish.sh" "$rid")
fi
[ -f "$zmqperf" ] || { echo "compare: no $zmqperf" >&2; exit 1; }
if [ -n "$async" ]; then
  [ -z "$zmqperf2" ] || { echo "compare: --async uses the second zmqperf slot; drop --zmqperf2" >&2; exit 2; }
  zmqperf2=$zmqperf
fi

export ZMQNATIVE_LIBZMQ="$libzmq"
timeout_s=${BENCH_TIMEOUT:-300}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# C: the tools find libzmq.so.5 beside them (a link to ../libzmq.so), as built.
c_tool() { timeout "$timeout_s" "${pin[@]}" "$cperf/$1" "${@:2}"; }
# C#: the same arguments; environment settings to try go in ZMQPERF_DOTNET_ENV.
case "$zmqperf" in *.dll) cs_run=(dotnet "$zmqperf") ;; *) cs_run=("$zmqperf") ;; esac
cs_tool() { timeout "$timeout_s" "${pin[@]}" env ${ZMQPERF_DOTNET_ENV:-} "${cs_run[@]}" "$@" $span; }

# Check (and say) that both really load the same file.
c_lib=$(cd "$cperf" && readlink -f libzmq.so.5)
cs_lib=$(cs_tool inproc_thr 1 2 --info 2>&1 >/dev/null | sed -n 's/^libzmq: \(.*\) (.*/\1/p')
cs_lib=$(readlink -f "$cs_lib" 2>/dev/null || echo "$cs_lib")
if [ "$c_lib" != "$cs_lib" ]; then
  echo "compare: the C tools load $c_lib but zmqperf loads $cs_lib" >&2
  exit 1
fi
if [ -n "$zmqperf2" ]; then
  case "$zmqperf2" in *.dll) cs2_run=(dotnet "$zmqperf2") ;; *) cs2_run=("$zmqperf2") ;; esac
  cs2_lib=$(timeout "$timeout_s" "${cs2_run[@]}" inproc_thr 1 2 --info 2>&1 >/dev/null | sed -n 's/^libzmq: \(.*\) (.*/\1/p')
  if [ "$cs2_lib" = "linked statically into the executable" ]; then
    # Linked in: the archive must be native/build-static.sh's for this very shared build.
    cmp -s "$native/BUILD-INFO" "$native/static/BUILD-INFO" \
      || { echo "compare: $zmqperf2 links a libzmq.a that is not from the build of $libzmq" >&2; exit 1; }
  elif [ "$(readlink -f "$cs2_lib" 2>/dev/null || echo "$cs2_lib")" != "$c_lib" ]; then
    echo "compare: the C tools load $c_lib but $zmqperf2 loads $cs2_lib" >&2
    exit 1
  fi
fi
if [ -n "$zmqperf3" ]; then
  case "$zmqperf3" in *.dll) cs3_run=(dotnet "$zmqperf3") ;; *) cs3_run=("$zmqperf3") ;; esac
fi
cs3_tool() { timeout "$timeout_s" "${pin[@]}" env ${ZMQPERF_DOTNET_ENV:-} "${cs3_run[@]}" "$@" $span $async; }
cs2_tool() { timeout "$timeout_s" "${pin[@]}" env ${ZMQPERF_DOTNET_ENV:-} "${cs2_run[@]}" "$@" $span $async; }

field() { sed -n "s|^$1: \([0-9.]*\) \[$2\].*|\1|p" | head -n 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# listening PORT: waits (up to 10 s) until something listens on 127.0.0.1:PORT, without connecting
# to it. The remote tools start only then: a connect that comes before the bind is retried after
# libzmq's reconnect interval (100 ms), which remote_lat would time. dotnet starts slower than a C
# binary, so without this the race hit zmqperf's pairs more often (tcp_lat 1 B: 1.18x; 1.02x with it).
listening() {
  local hex; hex=$(printf '0100007F:%04X 00000000:0000 0A' "$1")
  if [ ! -r /proc/net/tcp ]; then sleep 1; return; fi
  for _ in $(seq 1 200); do grep -q "$hex" /proc/net/tcp && return; sleep 0.05; done
}
thr_count() { # about 1 GiB per run for large messages, between 20000 and --count messages
  local n=$(( (1 << 30) / $1 )); [ "$n" -gt "$count" ] && n=$count; [ "$n" -lt 20000 ] && n=20000; echo "$n"; }

# run_one IMPL TEST SIZE: prints the measured number (msg/s or us), or nothing when the run failed.
run_one() {
  local impl=$1 test=$2 size=$3 tool n port pid warm=""
  case "$impl" in c) tool=c_tool ;; cs2) tool=cs2_tool; warm=$warmup ;; cs3) tool=cs3_tool; warm=$warmup ;; *) tool=cs_tool; warm=$warmup ;; esac
  # --async: the proxy tool has no async form.
  if [[ "$impl" = cs[23] ]] && [ -n "$async" ] && [ "$test" = proxy_thr ]; then return 0; fi
  case "$test" in
    # --warmup (zmqperf only) lets tiered compilation finish before the clock starts: it runs
    # before the tool binds or connects, and the remote side starts once the local side listens.
    inproc_thr) $tool inproc_thr "$size" "$(thr_count "$size")" $warm | field "mean throughput" "msg/s" ;;
    inproc_lat) $tool inproc_lat "$size" "$roundtrips" $warm | field "average latency" us ;;
    proxy_thr) $tool proxy_thr "$size" "$(thr_count "$size")" | field "mean throughput" "msg/s" ;;
    tcp_thr)
      n=$(thr_count "$size"); port=$(free_port)
      $tool local_thr "tcp://127.0.0.1:$port" "$size" "$n" $warm > "$tmp/local" & pid=$!
      listening "$port"
      $tool remote_thr "tcp://127.0.0.1:$port" "$size" "$n" $warm >/dev/null || true
      wait "$pid" || true
      field "mean throughput" "msg/s" < "$tmp/local" ;;
    tcp_lat)
      port=$(free_port)
      # local_lat sleeps a second before it exits: leave it to finish in the background.
      $tool local_lat "tcp://127.0.0.1:$port" "$size" "$roundtrips" $warm >/dev/null & echo $! >> "$tmp/lingering"
      listening "$port"
      $tool remote_lat "tcp://127.0.0.1:$port" "$size" "$roundtrips" $warm | field "average latency" us ;;
  esac
}

samples="$out/compare-samples.csv"
echo "round,impl,test,size,value,unit" > "$samples"
echo "compare: $rounds rounds; sizes $sizes; tests $tests; $(nproc) cores${cpus:+, every process on CPUs $cpus}; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "compare: C tools $cperf; zmqperf $zmqperf${zmqperf2:+; zmqperf2 (cs2) $zmqperf2${async:+ with --async}}${zmqperf3:+; zmqperf3 (cs3) $zmqperf3${async:+ with --async}} ${span:+(--span)} ${ZMQPERF_DOTNET_ENV:+env $ZMQPERF_DOTNET_ENV}; both load $c_lib"
start=$(date +%s)
for ((round = 1; round <= rounds; round++)); do
  # Alternate who goes first, so a slow patch of the machine hits both alike.
  if [ $((round % 2)) -eq 1 ]; then order="c cs${zmqperf2:+ cs2}${zmqperf3:+ cs3}"; else order="${zmqperf3:+cs3 }${zmqperf2:+cs2 }cs c"; fi
  for test in $tests; do
    case "$test" in *_thr) unit=msg/s ;; *) unit=us ;; esac
    for size in $sizes; do
      for impl in $order; do
        value=$(run_one "$impl" "$test" "$size" || true)
        if [ -z "$value" ]; then
          echo "compare: round $round $impl $test $size B: no result" >&2
          continue
        fi
        echo "$round,$impl,$test,$size,$value,$unit" >> "$samples"
      done
    done
  done
  printf 'compare: round %d of %d done (%ds)\n' "$round" "$rounds" $(( $(date +%s) - start )) >&2
done
# The local_lat processes left to finish their one-second pause (started in subshells: poll, not wait).
if [ -f "$tmp/lingering" ]; then
  while read -r pid; do while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done < "$tmp/lingering"
fi

echo "compare: load average at the end $(cut -d' ' -f1-3 /proc/loadavg); $(( $(date +%s) - start )) s"
python3 "$here/report.py" "$samples" "$out"

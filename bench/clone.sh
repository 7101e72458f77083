#!/usr/bin/env bash
# Clone throughput: updates per second from one CloneServer to N CloneClients (tcp loopback, one process),
# every client's replica checked complete (every key, every value) after each run. The client counts
# alternate within each round, so a slow spell of the machine hits them alike; prints the median, the
# range and the spread of each over the rounds, and the deliveries per second (updates x clients).
#   bash bench/clone.sh [--rounds N] [--updates U] [--clients "1 4 16"] [--size BYTES] [--cpus LIST]
#   (defaults 5, 50000, "1 4 16", 64; --cpus runs every process under `taskset -c LIST`)
# CLONE_SAMPLES=FILE keeps every run's line (clonebench's own output).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=5; updates=50000; clients="1 4 16"; size=64; pin=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --updates) updates=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --cpus) pin=(taskset -c "$2"); shift 2 ;;
    *) echo "clone: unknown option $1" >&2; exit 2 ;;
  esac
done
out="$root/artifacts/bench/clone-build"
mkdir -p "$root/artifacts/bench"
dotnet build "$root/bench/clone/CloneBench.csproj" -c Release --artifacts-path "$out" -nologo -v quiet >"$out.log" 2>&1 || { cat "$out.log" >&2; exit 1; }
bench="$out/bin/CloneBench/release/clonebench.dll"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
samples=${CLONE_SAMPLES:-$tmp}
: >"$samples"
for round in $(seq 1 "$rounds"); do
  for n in $clients; do
    "${pin[@]}" dotnet "$bench" --clients "$n" --updates "$updates" --size "$size" | tee -a "$samples" | sed "s/^/round $round: /" >&2
  done
done
python3 - "$samples" "$updates" "$size" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    fields = dict(f.split("=", 1) for f in line.split())
    runs.setdefault(int(fields["clients"]), []).append((float(fields["rate"]), int(fields["resyncs"])))
print(f"Clone: {sys.argv[2]} updates of {sys.argv[3]} B, one server, N clients, every replica verified")
print(f"| clients | runs | updates/s (median) | range | spread | deliveries/s (median) | resyncs |")
print(f"| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for n in sorted(runs):
    rates = [r for r, _ in runs[n]]
    m = statistics.median(rates)
    spread = (max(rates) - min(rates)) / m * 100
    print(f"| {n} | {len(rates)} | {m:,.0f} | {min(rates):,.0f}-{max(rates):,.0f} | {spread:.0f} % | {m * n:,.0f} | {sum(s for _, s in runs[n])} |")
PY

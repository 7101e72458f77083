#!/usr/bin/env bash
# Runs the BenchmarkDotNet micro-benchmarks (bench/micro): the per-call cost of ZmqNative's safe
# layer over the raw LibZmq calls. Short in-process jobs: about three minutes for all on 2 cores.
#   bash bench/micro.sh                      every benchmark
#   bash bench/micro.sh --filter '*Option*'  some (any BenchmarkDotNet argument passes through)
# Reports go to artifacts/bench/micro/results/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out="$root/artifacts/bench/micro-build"
mkdir -p "$root/artifacts/bench"
dotnet build bench/micro/ZmqNative.Benchmarks.csproj -c Release --artifacts-path "$out" -nologo -v quiet >"$out.log" 2>&1 || { cat "$out.log" >&2; exit 1; }
[ $# -gt 0 ] || set -- --filter '*'
exec dotnet "$out/bin/ZmqNative.Benchmarks/release/ZmqNative.Benchmarks.dll" "$@"

#!/usr/bin/env python3
"""Paired ratios of two implementations from bench/compare.sh's samples CSV.

    bench/pairs.py artifacts/bench/compare-samples.csv cs2 cs [cs3 cs2 ...]

For each pair A B given and each (test, size) both ran: the median of each round's own A/B ratio,
with its min..max over the rounds (throughput: above 1 means A is faster; latency: below 1 does).
"""
import csv
import statistics
import sys
from collections import defaultdict


def main(argv):
    if len(argv) < 4 or len(argv) % 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    data = defaultdict(dict)
    with open(argv[1], newline="") as f:
        for row in csv.DictReader(f):
            data[(row["test"], int(row["size"]), row["impl"])][int(row["round"])] = float(row["value"])
    keys = sorted({(t, s) for (t, s, _) in data})
    for a, b in zip(argv[2::2], argv[3::2]):
        print(f"{a}/{b}: paired median (min..max), rounds")
        for test, size in keys:
            ra, rb = data.get((test, size, a), {}), data.get((test, size, b), {})
            rounds = sorted(ra.keys() & rb.keys())
            if not rounds:
                continue
            ratios = [ra[r] / rb[r] for r in rounds]
            print(f"  {test:<11} {size:>6}  {statistics.median(ratios):.2f} ({min(ratios):.2f}..{max(ratios):.2f})  {len(rounds)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Reads bench/compare.sh's samples CSV; prints the median table with the ratio ZmqNative/C per row,
writes the summary CSV and two SVG charts (throughput and latency against message size).
Usage: report.py SAMPLES.csv OUT_DIR"""
import csv
import math
import statistics
import sys
from collections import defaultdict

TESTS = ["inproc_thr", "tcp_thr", "proxy_thr", "inproc_lat", "tcp_lat"]
# Targets from the issue: throughput at least 0.95x C, latency at most 1.05x C.
TARGET = {"thr": (">=", 0.95), "lat": ("<=", 1.05)}


def load(path):
    """{(test, size, impl): {round: value}}."""
    data = defaultdict(dict)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            data[(row["test"], int(row["size"]), row["impl"])][int(row["round"])] = float(row["value"])
    return data


def fmt(value, unit):
    return f"{value:,.0f}" if unit == "msg/s" else f"{value:.2f}"


def summarise(data):
    rows = []
    for test in TESTS:
        sizes = sorted({s for (t, s, _) in data if t == test})
        for size in sizes:
            c_runs, cs_runs = data.get((test, size, "c"), {}), data.get((test, size, "cs"), {})
            c, cs = list(c_runs.values()), list(cs_runs.values())
            if not c or not cs:
                continue
            cm, csm = statistics.median(c), statistics.median(cs)
            kind = test.split("_")[1]
            op, goal = TARGET[kind]
            ratio = csm / cm
            met = ratio >= goal if op == ">=" else ratio <= goal
            # The C and C# runs of one round follow each other, so they mostly share the machine's
            # state of the moment (this VM swings 3x between runs); the median of the rounds' own
            # ratios is the steadier figure when the medians above come from different states.
            paired = statistics.median(cs_runs[k] / c_runs[k] for k in c_runs.keys() & cs_runs.keys()) \
                if c_runs.keys() & cs_runs.keys() else math.nan
            rows.append(dict(test=test, size=size, unit="msg/s" if kind == "thr" else "us",
                             c_median=cm, cs_median=csm, ratio=ratio, paired_ratio=paired, target=f"{op}{goal}",
                             met=met, n_c=len(c), n_cs=len(cs),
                             c_min=min(c), c_max=max(c), cs_min=min(cs), cs_max=max(cs)))
    return rows


def print_table(rows):
    head = f"{'test':<11} {'size':>6}  {'C median':>12}  {'ZmqNative median':>16}  {'C#/C':>6}  {'paired':>6}  {'target':>7}  {'C range':>23}  {'ZmqNative range':>23}  n"
    print(head)
    print("-" * len(head))
    for r in rows:
        u = r["unit"]
        c_range = f"{fmt(r['c_min'], u)}..{fmt(r['c_max'], u)}"
        cs_range = f"{fmt(r['cs_min'], u)}..{fmt(r['cs_max'], u)}"
        mark = "" if r["met"] else " *"
        print(f"{r['test']:<11} {r['size']:>6}  {fmt(r['c_median'], u):>12}  {fmt(r['cs_median'], u):>16}  "
              f"{r['ratio']:>6.3f}  {r['paired_ratio']:>6.3f}  {r['target']:>7}  {c_range:>23}  {cs_range:>23}  {r['n_c']}/{r['n_cs']}{mark}")
    print("(msg/s for *_thr, microseconds one way for *_lat; C#/C is the ratio of medians, paired the median of each")
    print(" round's C#/C; * = C#/C outside the target)")


def write_summary(rows, path):
    keys = ["test", "size", "unit", "c_median", "cs_median", "ratio", "paired_ratio", "target", "met", "n_c", "n_cs",
            "c_min", "c_max", "cs_min", "cs_max"]
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        for r in rows:
            w.writerow({k: r[k] for k in keys})


def svg_chart(rows, kind, path, title, ylabel):
    """A log-log line chart of the medians against message size, one line per (transport, impl)."""
    series = {}
    colours = {("inproc", "c"): "#1f77b4", ("inproc", "cs"): "#ff7f0e",
               ("tcp", "c"): "#2ca02c", ("tcp", "cs"): "#d62728",
               ("proxy", "c"): "#9467bd", ("proxy", "cs"): "#8c564b"}
    for r in rows:
        transport, k = r["test"].split("_")
        if k != kind:
            continue
        series.setdefault((transport, "c"), []).append((r["size"], r["c_median"]))
        series.setdefault((transport, "cs"), []).append((r["size"], r["cs_median"]))
    if not series:
        return
    xs = [x for pts in series.values() for x, _ in pts]
    ys = [y for pts in series.values() for _, y in pts if y > 0]
    x0, x1 = math.log2(min(xs)), math.log2(max(xs))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    if x1 == x0:
        x1 = x0 + 1
    if y1 == y0:
        y1 = y0 + 1
    width, height, left, right, top, bottom = 760, 460, 90, 190, 50, 60
    pw, ph = width - left - right, height - top - bottom

    def px(x):
        return left + (math.log2(x) - x0) / (x1 - x0) * pw

    def py(y):
        return top + ph - (math.log10(y) - y0) / (y1 - y0) * ph

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left + pw / 2}" y="24" text-anchor="middle" font-size="15">{title}</text>']
    for e in range(y0, y1 + 1):
        y = py(10 ** e)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{10 ** e:,g}</text>')
    for x in sorted(set(xs)):
        X = px(x)
        label = f"{x // 1024} KiB" if x >= 1024 else f"{x} B"
        out.append(f'<line x1="{X:.1f}" y1="{top}" x2="{X:.1f}" y2="{top + ph}" stroke="#eee"/>')
        out.append(f'<text x="{X:.1f}" y="{top + ph + 18}" text-anchor="middle">{label}</text>')
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    out.append(f'<text x="{left + pw / 2}" y="{height - 14}" text-anchor="middle">message size (log scale)</text>')
    out.append(f'<text transform="translate(18,{top + ph / 2}) rotate(-90)" text-anchor="middle">{ylabel}</text>')
    for i, (key, pts) in enumerate(sorted(series.items())):
        pts.sort()
        colour = colours.get(key, "#555")
        dash = ' stroke-dasharray="6,4"' if key[1] == "c" else ""
        path_d = " ".join(f"{'M' if j == 0 else 'L'}{px(x):.1f},{py(y):.1f}" for j, (x, y) in enumerate(pts) if y > 0)
        out.append(f'<path d="{path_d}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for x, y in pts:
            if y > 0:
                out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
        name = f"{key[0]} {'C (libzmq perf)' if key[1] == 'c' else 'ZmqNative (zmqperf)'}"
        ly = top + 14 + i * 20
        out.append(f'<line x1="{left + pw + 14}" y1="{ly - 4}" x2="{left + pw + 40}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{left + pw + 46}" y="{ly}">{name}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def print_second(data):
    """When compare.sh ran a second zmqperf (impl cs2): its median against C and against the first
    zmqperf, with the spread of the per-round paired ratios (min..max over the rounds)."""
    rows = []
    for test in TESTS:
        for size in sorted({s for (t, s, i) in data if t == test and i == "cs2"}):
            runs = {i: data.get((test, size, i), {}) for i in ("c", "cs", "cs2")}
            if not all(runs.values()):
                continue
            def paired(a, b):
                keys = runs[a].keys() & runs[b].keys()
                return [runs[a][k] / runs[b][k] for k in keys]
            rows.append((test, size, statistics.median(runs["cs2"].values()) / statistics.median(runs["c"].values()),
                         paired("cs2", "c"), paired("cs", "c"), paired("cs2", "cs")))
    if not rows:
        return
    print()
    head = f"{'test':<11} {'size':>6}  {'cs2/C':>6}  {'paired cs2/C (range)':>24}  {'paired cs/C (range)':>24}  {'paired cs2/cs (range)':>24}"
    print(head)
    print("-" * len(head))
    for test, size, ratio, p2c, p1c, p21 in rows:
        def show(values):
            return f"{statistics.median(values):.3f} ({min(values):.2f}..{max(values):.2f})"
        print(f"{test:<11} {size:>6}  {ratio:>6.3f}  {show(p2c):>24}  {show(p1c):>24}  {show(p21):>24}")
    print("(cs = --zmqperf, cs2 = --zmqperf2; paired: the median of each round's own ratio, with its min..max)")


def main():
    samples, out_dir = sys.argv[1], sys.argv[2]
    rows = summarise(load(samples))
    if not rows:
        print("report: no complete (C and ZmqNative) results in " + samples, file=sys.stderr)
        sys.exit(1)
    print_table(rows)
    print_second(load(samples))
    write_summary(rows, f"{out_dir}/compare-summary.csv")
    svg_chart(rows, "thr", f"{out_dir}/compare-throughput.svg", "Throughput: ZmqNative vs libzmq's C perf tools (medians)", "messages per second (log scale)")
    svg_chart(rows, "lat", f"{out_dir}/compare-latency.svg", "Latency: ZmqNative vs libzmq's C perf tools (medians)", "one-way latency, microseconds (log scale)")
    print(f"wrote {samples}, {out_dir}/compare-summary.csv, {out_dir}/compare-throughput.svg, {out_dir}/compare-latency.svg")


if __name__ == "__main__":
    main()

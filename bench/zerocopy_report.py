#!/usr/bin/env python3
"""Reads bench/zerocopy.sh's samples: prints the median Mb/s per (transport, size, mode), the
zero-copy/copy ratios and the crossover; writes the summary CSV and an SVG chart.
Usage: zerocopy_report.py SAMPLES.csv OUT_DIR"""
import csv
import math
import statistics
import sys
from collections import defaultdict

MODES = ["copy", "copymsg", "zerocopy"]


def size_label(size):
    if size >= 1 << 20:
        return f"{size >> 20} MiB"
    if size >= 1 << 10:
        return f"{size >> 10} KiB"
    return f"{size} B"


def main():
    samples, out_dir = sys.argv[1], sys.argv[2]
    data = defaultdict(list)
    with open(samples, newline="") as f:
        for row in csv.DictReader(f):
            data[(row["transport"], int(row["size"]), row["mode"])].append(float(row["mbit_per_s"]))
    transports = sorted({t for t, _, _ in data}, key=lambda t: (t != "inproc", t))
    rows = []
    for t in transports:
        print(f"\n{t}: median Mb/s (higher is better)")
        print(f"{'size':>8}  {'copy':>10}  {'copymsg':>10}  {'zerocopy':>10}  {'zc/copymsg':>10}  {'zc/copy':>8}  n")
        sizes = sorted({s for tt, s, _ in data if tt == t})
        for s in sizes:
            med = {m: statistics.median(data[(t, s, m)]) for m in MODES if data.get((t, s, m))}
            if len(med) < 3:
                continue
            r1, r2 = med["zerocopy"] / med["copymsg"], med["zerocopy"] / med["copy"]
            n = min(len(data[(t, s, m)]) for m in MODES)
            rows.append(dict(transport=t, size=s, copy=med["copy"], copymsg=med["copymsg"], zerocopy=med["zerocopy"],
                             zc_over_copymsg=r1, zc_over_copy=r2, n=n))
            print(f"{size_label(s):>8}  {med['copy']:>10.0f}  {med['copymsg']:>10.0f}  {med['zerocopy']:>10.0f}  {r1:>10.2f}  {r2:>8.2f}  {n}")
        for key, name in (("zc_over_copymsg", "ZmqMessage copy (what ZeroCopyThreshold chooses between)"),
                          ("zc_over_copy", "Send(span)")):
            mine = [r for r in rows if r["transport"] == t]
            cross = None
            for i, r in enumerate(mine):
                if all(x[key] > 1.0 for x in mine[i:]):
                    cross = r["size"]
                    break
            print(f"  crossover vs {name}: " + (f"zero-copy wins from {size_label(cross)} up" if cross else "zero-copy never wins throughout"))
    with open(f"{out_dir}/zerocopy-summary.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    chart(rows, f"{out_dir}/zerocopy.svg")
    print(f"\nwrote {samples}, {out_dir}/zerocopy-summary.csv, {out_dir}/zerocopy.svg")


def chart(rows, path):
    width, height, left, right, top, bottom = 780, 460, 80, 230, 50, 60
    pw, ph = width - left - right, height - top - bottom
    xs = [r["size"] for r in rows]
    ys = [r[m] for r in rows for m in MODES if r[m] > 0]
    x0, x1 = math.log2(min(xs)), math.log2(max(xs))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    x1 = x1 if x1 > x0 else x0 + 1
    y1 = y1 if y1 > y0 else y0 + 1
    px = lambda x: left + (math.log2(x) - x0) / (x1 - x0) * pw
    py = lambda y: top + ph - (math.log10(y) - y0) / (y1 - y0) * ph
    colours = {"copy": "#2ca02c", "copymsg": "#1f77b4", "zerocopy": "#d62728"}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left + pw / 2}" y="24" text-anchor="middle" font-size="15">Copy vs zero-copy send, zmqperf zerocopy_thr (medians)</text>']
    for e in range(y0, y1 + 1):
        y = py(10 ** e)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{10 ** e:,g}</text>')
    for x in sorted(set(xs)):
        out.append(f'<line x1="{px(x):.1f}" y1="{top}" x2="{px(x):.1f}" y2="{top + ph}" stroke="#eee"/>')
        out.append(f'<text x="{px(x):.1f}" y="{top + ph + 18}" text-anchor="middle" font-size="10">{size_label(x)}</text>')
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    out.append(f'<text x="{left + pw / 2}" y="{height - 14}" text-anchor="middle">payload size (log scale)</text>')
    out.append(f'<text transform="translate(18,{top + ph / 2}) rotate(-90)" text-anchor="middle">Mb/s (log scale)</text>')
    i = 0
    for t in sorted({r["transport"] for r in rows}, key=lambda t: (t != "inproc", t)):
        mine = sorted((r for r in rows if r["transport"] == t), key=lambda r: r["size"])
        dash = "" if t == "inproc" else ' stroke-dasharray="6,4"'
        for m in MODES:
            d = " ".join(f"{'M' if j == 0 else 'L'}{px(r['size']):.1f},{py(r[m]):.1f}" for j, r in enumerate(mine))
            out.append(f'<path d="{d}" fill="none" stroke="{colours[m]}" stroke-width="2"{dash}/>')
            ly = top + 14 + i * 20
            out.append(f'<line x1="{left + pw + 14}" y1="{ly - 4}" x2="{left + pw + 40}" y2="{ly - 4}" stroke="{colours[m]}" stroke-width="2"{dash}/>')
            out.append(f'<text x="{left + pw + 46}" y="{ly}">{t} {m}</text>')
            i += 1
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()

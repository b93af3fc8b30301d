#!/usr/bin/env python3
"""Plot the scale bench: median ns per lookup against table size.

Usage: python3 scripts/scale_plot.py [CRITERION_DIR] [-o OUT.svg]

Reads CRITERION_DIR/scale_{hit,near_miss}/<impl>/<size>/new/{estimates,benchmark}.json
written by `cargo bench` in benches/scale. CRITERION_DIR defaults to
$CARGO_TARGET_DIR/criterion, else benches/scale/target/criterion. Writes
docs/scale.svg (a hand-written SVG: log-log axes, one line per
implementation and input kind) and prints a markdown table of the medians
with ratios to `fingerprint` (above 1, fingerprint is faster).
"""
import html
import json
import math
import os
import pathlib
import re
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
DATE = "2026-11-25"
MACHINE = "2-vCPU AMD EPYC VM (shared, noisy)"
IMPLS = ["match", "match_bytes", "phf_plain", "fingerprint"]
KINDS = ["hit", "near_miss"]
COLORS = {"match": "#d62728", "match_bytes": "#ff7f0e", "phf_plain": "#1f77b4", "fingerprint": "#2ca02c"}
LABELS = {
    "match": "a match on the &str",
    "match_bytes": "a match on the bytes (b\"...\")",
    "phf_plain": "phf::Map<&str, u16>, default hash",
    "fingerprint": "s3err (ptrhash over its chosen key)",
}


def parse_args(argv):
    src, out = None, REPO / "docs" / "scale.svg"
    it = iter(argv)
    for a in it:
        if a == "-o":
            out = pathlib.Path(next(it))
        elif a in ("-h", "--help"):
            sys.exit(__doc__)
        else:
            src = pathlib.Path(a)
    if src is None:
        target = os.environ.get("CARGO_TARGET_DIR")
        src = pathlib.Path(target) if target else REPO / "benches" / "scale" / "target"
        src = src / "criterion"
    return src, out


def load(root):
    """{(kind, impl): {size: ns}}, and the set of (impl, size) marked -whole."""
    data, whole = {}, set()
    for kind in KINDS:
        for est_path in sorted((root / f"scale_{kind}").glob("*/*/new/estimates.json")):
            meta = json.loads((est_path.parent / "benchmark.json").read_text())
            est = json.loads(est_path.read_text())
            m = re.fullmatch(r"(\d+)(-whole)?", meta["value_str"])
            if not m:
                continue
            size = int(m.group(1))
            n = (meta.get("throughput") or {}).get("Elements", 1)
            fn = meta["function_id"]
            data.setdefault((kind, fn), {})[size] = est["median"]["point_estimate"] / n
            if m.group(2):
                whole.add((fn, size))
    return data, whole


def svg(data, whole):
    W, H = 860, 500
    left, right, top, bottom = 70, 290, 62, 60
    pw, ph = W - left - right, H - top - bottom
    sizes = sorted({s for series in data.values() for s in series})
    values = [v for series in data.values() for v in series.values()]
    x0, x1 = math.log10(100), math.log10(12000)
    # y runs between 1-2-5 steps around the data.
    steps = [m * 10 ** d for d in range(-1, 7) for m in (1, 2, 5)]
    y0 = math.log10(max(t for t in steps if t <= min(values)))
    y1 = math.log10(min(t for t in steps if t >= max(values)))

    def X(s):
        return left + (math.log10(s) - x0) / (x1 - x0) * pw

    def Y(v):
        return top + ph - (math.log10(v) - y0) / (y1 - y0) * ph

    o = []
    a = o.append
    a(f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
      f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">')
    a(f'<rect width="{W}" height="{H}" fill="white"/>')
    a(f'<text x="{W / 2:.0f}" y="22" text-anchor="middle" font-size="15" font-weight="bold">'
      'Lookup time as the table grows: phf against match</text>')
    a(f'<text x="{W / 2:.0f}" y="42" text-anchor="middle" fill="#444">'
      f'criterion medians, one run, measured {DATE} on a {MACHINE}; read ratios</text>')
    # Grid and y ticks: 1, 2, 5 per decade.
    for v in steps:
        if not (10 ** y0 * 0.999 <= v <= 10 ** y1 * 1.001):
            continue
        y = Y(v)
        major = f"{v:e}".startswith("1")
        a(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" '
          f'stroke="{"#ccc" if major else "#eee"}"/>')
        a(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{v:g}</text>')
    # x ticks at the measured sizes.
    for s in sizes:
        x = X(s)
        a(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + ph}" stroke="#eee"/>')
        a(f'<text x="{x:.1f}" y="{top + ph + 18}" text-anchor="middle">{s:,}</text>')
    a(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    a(f'<text x="{left + pw / 2:.0f}" y="{H - 18}" text-anchor="middle">'
      'names in the table (log scale)</text>')
    a(f'<text transform="translate(18 {top + ph / 2:.0f}) rotate(-90)" text-anchor="middle">'
      'median ns per lookup (log scale)</text>')
    # Lines: colour per implementation, solid for hits, dashed for near misses.
    for impl in IMPLS:
        for kind in KINDS:
            series = data.get((kind, impl))
            if not series:
                continue
            pts = [(X(s), Y(v), s) for s, v in sorted(series.items())]
            dash = '' if kind == "hit" else ' stroke-dasharray="6 4"'
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in pts)
            a(f'<polyline points="{path}" fill="none" stroke="{COLORS[impl]}" stroke-width="2"{dash}/>')
            for x, y, s in pts:
                fill = "white" if (impl, s) in whole else COLORS[impl]
                a(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{fill}" stroke="{COLORS[impl]}" stroke-width="1.5"/>')
    # Legend.
    lx, ly = left + pw + 16, top + 8
    for i, impl in enumerate(IMPLS):
        for j, kind in enumerate(KINDS):
            y = ly + (i * 2 + j) * 22
            dash = '' if kind == "hit" else ' stroke-dasharray="6 4"'
            a(f'<line x1="{lx}" y1="{y}" x2="{lx + 28}" y2="{y}" stroke="{COLORS[impl]}" stroke-width="2"{dash}/>')
            a(f'<circle cx="{lx + 14}" cy="{y}" r="4" fill="{COLORS[impl]}"/>')
            a(f'<text x="{lx + 36}" y="{y + 4}">{impl}, {kind.replace("_", " ")}</text>')
    y = ly + len(IMPLS) * 2 * 22 + 10
    notes = [f"{impl}: {LABELS[impl]}" for impl in IMPLS]
    if whole:
        a(f'<circle cx="{lx + 14}" cy="{y}" r="4" fill="white" stroke="#2ca02c" stroke-width="1.5"/>')
        a(f'<text x="{lx + 36}" y="{y + 4}">fingerprints collide:</text>')
        a(f'<text x="{lx + 36}" y="{y + 19}">folds the whole name</text>')
        y += 40
    for k, line in enumerate(notes):
        a(f'<text x="{lx}" y="{y + k * 16}" font-size="10" fill="#444">{html.escape(line)}</text>')
    a("</svg>")
    return "\n".join(o) + "\n"


def table(data, whole):
    rows = ["| names | input | match (&str) ns | match_bytes ns | phf_plain ns | s3err ns | match / s3err | match_bytes / s3err | phf_plain / s3err |",
            "|---|---|---|---|---|---|---|---|---|"]
    sizes = sorted({s for series in data.values() for s in series})
    for s in sizes:
        for kind in KINDS:
            v = {i: data.get((kind, i), {}).get(s) for i in IMPLS}
            cell = lambda x: f"{x:.1f}" if x is not None else "–"
            fp = v["fingerprint"]
            ratio = lambda x: f"{x / fp:.2f}×" if x is not None and fp else "–"
            mark = "¹" if ("fingerprint", s) in whole else ""
            rows.append(f"| {s:,} | {kind} | {cell(v['match'])} | {cell(v['match_bytes'])} | {cell(v['phf_plain'])} | "
                        f"{cell(fp)}{mark} | {ratio(v['match'])} | {ratio(v['match_bytes'])} | {ratio(v['phf_plain'])} |")
    if whole:
        rows.append("")
        rows.append("¹ no three words tell this set's names apart, so build.rs chose the whole-name key.")
    return "\n".join(rows)


def main():
    src, out = parse_args(sys.argv[1:])
    data, whole = load(src)
    if not data:
        sys.exit(f"no scale results under {src}/scale_*; run `cargo bench` in benches/scale")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(svg(data, whole))
    print(table(data, whole))
    print(f"\nwrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Print a markdown table of criterion medians, ns per element, with ratios.

Usage: python3 scripts/bench_table.py GROUP_PREFIX [BASELINE]
Reads target/criterion/<GROUP_PREFIX>_*/<function>/new/{estimates,benchmark}.json
written by `cargo bench -p s3err-benches`. Ratios are <function> median / BASELINE median
(default baseline: s3err), so a ratio above 1 means BASELINE is faster.
"""
import json
import pathlib
import sys

prefix = sys.argv[1]
base = sys.argv[2] if len(sys.argv) > 2 else "s3err"
root = pathlib.Path("target/criterion")
rows, funcs = {}, []
for group in sorted(root.glob(f"{prefix}_*")):
    for fdir in sorted(p for p in group.iterdir() if (p / "new/estimates.json").exists()):
        est = json.loads((fdir / "new/estimates.json").read_text())
        meta = json.loads((fdir / "new/benchmark.json").read_text())
        n = (meta.get("throughput") or {}).get("Elements", 1)
        fn = meta["function_id"]
        rows.setdefault(meta["group_id"], {})[fn] = est["median"]["point_estimate"] / n
        if fn not in funcs:
            funcs.append(fn)
if not rows:
    sys.exit(f"no criterion results under {root}/{prefix}_*")
funcs.sort(key=lambda f: (f != base, f))
others = [f for f in funcs if f != base]
print("| input | " + " | ".join(f"{f} ns" for f in funcs) + " | " + " | ".join(f"{f} / {base}" for f in others) + " |")
print("|---" * (1 + len(funcs) + len(others)) + "|")
for group, r in rows.items():
    cells = [f"{r[f]:.1f}" if f in r else "–" for f in funcs]
    ratios = [f"{r[f] / r[base]:.2f}×" if f in r and base in r else "–" for f in others]
    print(f"| {group.split('/', 1)[-1]} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")

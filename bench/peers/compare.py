"""The pandas peer of `nsys-bench compare`: the same directories of `nsys stats --format csv`
report files (RUN_REPORT.csv, several runs a side), each table's items grouped by name, the
median total over the runs of a side (a run without the item counts 0), and the change from base
to head, written as JSON. What it leaves out that nsys-bench does: row checks, kernel identity
across spellings, variants, statistics tests, the gate and the report.

usage: python3 compare.py BASE_DIR HEAD_DIR > out.json
"""
import glob
import json
import os
import sys

import pandas as pd

REPORTS = {
    "cuda_gpu_kern_sum": "Name",
    "cuda_api_sum": "Name",
    "cuda_gpu_mem_time_sum": "Operation",
    "cuda_gpu_mem_size_sum": "Operation",
    "nvtx_sum": "Range",
    "osrt_sum": "Name",
}


def side(directory):
    """{report: DataFrame indexed by name, one column a run: the run's total}."""
    out = {}
    for report, name in REPORTS.items():
        frames = []
        for path in sorted(glob.glob(os.path.join(directory, f"*_{report}.csv"))):
            run = os.path.basename(path)[: -len(f"_{report}.csv")]
            df = pd.read_csv(path)
            total = [c for c in df.columns if c.startswith("Total")][0]
            frames.append(df.groupby(name)[total].sum().rename(run))
        if frames:
            out[report] = pd.concat(frames, axis=1).fillna(0)
    return out


def main():
    base, head = side(sys.argv[1]), side(sys.argv[2])
    result = {}
    for report in REPORTS:
        b = base.get(report, pd.DataFrame()).median(axis=1).rename("base")
        h = head.get(report, pd.DataFrame()).median(axis=1).rename("head")
        both = pd.concat([b, h], axis=1).fillna(0)
        both["delta"] = both["head"] - both["base"]
        both["pct"] = both["delta"] / both["base"].where(both["base"] > 0) * 100
        both = both.sort_values("delta", ascending=False)
        result[report] = [
            {"name": n, "base": r.base, "head": r.head, "delta": r.delta,
             "pct": None if pd.isna(r.pct) else r.pct}
            for n, r in zip(both.index, both.itertuples())
        ]
    json.dump(result, sys.stdout)


main()

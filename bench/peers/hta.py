"""The HTA-style peer of `nsys-bench summarize <trace>`: what HolisticTraceAnalysis and similar
notebooks do with a PyTorch profiler trace — json.load the whole file, a pandas DataFrame of its
events, the kernels grouped by name (total, count, min, max, deviation of `dur`), written as JSON.
What it leaves out that nsys-bench does: memory operations, runtime calls, annotations, streaming,
the invalid JSON of older exporters, gzip.

usage: python3 hta.py TRACE.json > out.json
"""
import json
import sys

import pandas as pd


def main(path):
    with open(path, encoding="utf-8") as f:
        trace = json.load(f)
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    df = pd.DataFrame(events)
    kernels = df[(df["ph"] == "X") & (df["cat"] == "kernel")]
    stats = kernels.groupby("name")["dur"].agg(["sum", "count", "min", "max", "std"]) * 1000
    stats["count"] = stats["count"] / 1000
    json.dump(
        {name: row.to_dict() for name, row in stats.iterrows()}, sys.stdout, default=float
    )


if __name__ == "__main__":
    main(sys.argv[1])

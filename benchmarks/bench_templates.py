"""How fast and how lean ``build_workbook`` writes a filled Monitoring sheet.

For each size, in a fresh process: build the sample rows, write the UDF-mode and the
portable workbook, and report wall time of the write, rows per second and peak memory
(max RSS of that process; "rows MB" is the peak before writing, i.e. the sample rows).  Prints figures; exits 0 (nothing is asserted).
Usage: python benchmarks/bench_templates.py [--rows 10000 100000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from workbook_templates import example_rows as sample
from workbook_templates.builder import build_workbook
n, portable = int(sys.argv[1]), sys.argv[2] == "1"
rows = sample.monitoring_rows(n, "en")
import gc; gc.collect()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
with tempfile.TemporaryDirectory() as d:
    p = build_workbook(Path(d) / "b.xlsx", "en", portable, monitoring=rows)
    size = p.stat().st_size
    dt_ = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rows": n, "portable": portable, "seconds": dt_, "mb": rss, "before": before,
                  "bytes": size}))
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    a = ap.parse_args()
    print(
        f"{'rows':>9} {'mode':>9} {'write s':>8} {'rows/s':>9} {'peak MB':>8} {'rows MB':>8} {'file MB':>8}"
    )
    for n in a.rows:
        for portable in (False, True):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(n), "1" if portable else "0", str(ROOT)],
                check=True, capture_output=True, text=True, cwd=tempfile.gettempdir(),
            ).stdout  # fmt: skip
            r = json.loads(out.strip().splitlines()[-1])
            print(
                f"{n:>9} {'portable' if portable else 'udf':>9} {r['seconds']:>8.2f} "
                f"{n / r['seconds']:>9.0f} {r['mb']:>8.0f} {r['before']:>8.0f} {r['bytes'] / 1e6:>8.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast ``csq sample`` draws a QA sample from a big ticket export (SPEC section 10:
a 1,000,000-row export in under 10 s).

Writes a realistic CSV export of N contacts (own headers, hh:mm:ss talk time, value maps,
a date and a time column, as ``addin/maps/example_map.toml`` expects), then in a fresh
process per measurement times:

- the floor: ``pandas.read_csv`` of the same file (every column as text), the least any
  reader of that export must do;
- ``csq sample`` itself (``addin.cli.main``: map, read, typed conversion with findings,
  stratified draw by agent and channel, population figures per period and stratum, and
  the sampled workbook written), through the columnar path
  (:mod:`addin.read.ticket_export_columns`);
- with ``--row-path``, once, ``csq sample`` through the row-by-row conversion it had
  before (``addin.jobs.population.COLUMNAR = False``), for the speed-up in the same run.

Floor and ``csq sample`` alternate (``--runs`` of each, interleaved, so a neighbour's load
hits both alike); the medians are printed with their ratio.  Exits 0 (nothing is
asserted: speed is not a unit test).
Usage: python benchmarks/bench_sample.py [--rows 100000 1000000] [--runs 3] [--row-path]
[--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAP = ROOT / "addin" / "maps" / "example_map.toml"
HEADERS = (
    "Ticket No,Created Date,Created Time,Channel,Category,Team,Agent,QA Reviewer,"
    "Customer Phone,First Reply (s),Talk Time,Resolve Time (min),Call Status,"
    "Solved First Time,Transferred,CSAT,NPS,Speed,Attitude,Solving,Knowledge,Satisfaction,"
    "Records,Fatal Error,Issue Type,Issue Detail,QA Note"
)


def write_export(path: Path, rows: int, seed: int = 1, agents: int = 200) -> None:
    """A CSV export like ``addin/maps/example_export.csv`` with ``rows`` contacts over
    three months, ``agents`` agents in 10 teams; rubric columns blank (not yet reviewed)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    n = rows
    start = np.datetime64("2026-09-01T00:00")
    minutes = np.sort(rng.integers(0, 91 * 24 * 60, n))
    t = pd.to_datetime(start + minutes.astype("timedelta64[m]"))
    agent = rng.integers(0, agents, n)
    answered = rng.random(n) < 0.93
    talk = rng.integers(30, 1800, n)
    issue = np.array(["", "", "", "Slow reply", "Wrong info", "Refund"], dtype=object)
    detail = np.array(
        ["", "", "customer says slow response", "rude on the phone", "wrong answer given",
         "客户反映响应慢", "解答专业，态度好"],
        dtype=object,
    )  # fmt: skip
    df = pd.DataFrame(
        {
            "Ticket No": np.char.add("T-", np.arange(1, n + 1).astype(str)),
            "Created Date": t.strftime("%d/%m/%Y"),
            "Created Time": t.strftime("%H:%M"),
            "Channel": np.array(["Voice", "Live Chat", "E-mail", "WeChat", "Web"])[
                rng.choice(5, n, p=[0.5, 0.25, 0.1, 0.1, 0.05])
            ],
            "Category": np.array(["Question", "Complaint", "Refund", "Tech"])[
                rng.integers(0, 4, n)
            ],
            "Team": np.char.add("Team ", (agent % 10).astype(str)),
            "Agent": np.char.add("A", (1000 + agent).astype(str)),
            "QA Reviewer": "",
            "Customer Phone": (13800000000 + rng.integers(0, 10**7, n)).astype(str),
            "First Reply (s)": np.where(answered, rng.integers(1, 120, n).astype(str), ""),
            "Talk Time": np.where(
                answered,
                [f"00:{m:02d}:{s:02d}" for m, s in zip(talk // 60, talk % 60, strict=True)],
                "00:00:00",
            ),
            "Resolve Time (min)": np.where(answered, rng.integers(5, 600, n).astype(str), ""),
            "Call Status": np.where(answered, "Answered", "Missed"),
            "Solved First Time": np.where(
                answered, np.where(rng.random(n) < 0.8, "Solved", "Not solved"), ""
            ),
            "Transferred": np.where(answered, np.where(rng.random(n) < 0.1, "Yes", "No"), ""),
            "CSAT": np.where(
                answered & (rng.random(n) < 0.4), rng.integers(1, 6, n).astype(str), ""
            ),
            "NPS": "",
            **{k: "" for k in ("Speed", "Attitude", "Solving", "Knowledge", "Satisfaction")},
            "Records": "",
            "Fatal Error": "",
            "Issue Type": issue[rng.integers(0, len(issue), n)],
            "Issue Detail": detail[rng.integers(0, len(detail), n)],
            "QA Note": "",
        }
    )
    assert ",".join(df.columns) == HEADERS
    df.to_csv(path, index=False)


def _child(kind: str, export: Path, out: Path) -> float:
    code = f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
t0 = time.perf_counter()
if {kind!r} == "floor":
    import pandas as pd
    pd.read_csv({str(export)!r}, dtype=str, keep_default_na=False)
else:
    from addin.cli import main
    if {kind!r} == "rows":
        import addin.jobs.population as sample
        sample.COLUMNAR = False
    rc = main(["sample", {str(export)!r}, "--map", {str(MAP)!r}, "-o", {str(out)!r},
               "--by", "agent,channel", "--seed", "1", "--force", "--lang", "en"])
    assert rc in (0, 1), rc
print(time.perf_counter() - t0)
"""
    res = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return float(res.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--runs", type=int, default=3, help="interleaved runs of each (median)")
    ap.add_argument("--row-path", action="store_true", help="also time the row-by-row path once")
    ap.add_argument("--keep", default=None, help="folder to keep the export and workbook in")
    args = ap.parse_args()
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="csq-bench-sample-"))
    tmp.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for n in args.rows:
            export = tmp / f"export-{n}.csv"
            t0 = time.perf_counter()
            write_export(export, n)
            made = time.perf_counter() - t0
            out = tmp / f"sample-{n}.xlsx"
            floors, samples = [], []
            for _ in range(args.runs):
                floors.append(_child("floor", export, out))
                samples.append(_child("sample", export, out))
            floor, sample = statistics.median(floors), statistics.median(samples)
            row = {
                "rows": n,
                "export_mb": round(export.stat().st_size / 1e6, 1),
                "write_export_s": round(made, 2),
                "runs": args.runs,
                "floor_pandas_read_csv_s": round(floor, 2),
                "csq_sample_s": round(sample, 2),
                "ratio_to_floor": round(sample / floor, 2),
                "csq_sample_runs_s": [round(x, 2) for x in samples],
                "target_s": 10.0 if n >= 1_000_000 else None,
            }
            if args.row_path:
                rows_s = _child("rows", export, out)
                row["row_path_s"] = round(rows_s, 2)
                row["row_path_ratio_to_floor"] = round(rows_s / floor, 2)
                row["speed_up"] = round(rows_s / sample, 2)
            results.append(row)
            print(json.dumps(row))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

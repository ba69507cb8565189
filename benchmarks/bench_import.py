"""``csq import`` of a ticket-system CSV export against the bare floor, measured in one run.

The export is a CSV in the layout of ``addin/maps/example_export.csv`` (27 columns: dates as
dd/mm/yyyy + hh:mm, talk time hh:mm:ss, labels mapped by ``addin/maps/example_map.toml``,
8 % missed calls with their times and ratings blank), generated with a fixed seed and
cached between runs.  Every measurement is a whole fresh process (wall time with
``time.perf_counter`` around ``subprocess.run``, peak memory = max RSS of the child from
``resource.getrusage``), and the commands run in turn, A B C A B C ..., so a burst of other
load on the machine hits all of them alike; the figures quoted are medians.

- csq: ``csq import EXPORT --map example_map.toml -o OUT.xlsx`` (the whole command);
- floor (xlsxwriter): polars ``read_csv`` of the export + xlsxwriter (``constant_memory``)
  writing every non-empty cell of it, typed (numbers as numbers, the rest as text);
- floor (Rust writer, only if rustpy-xlsxwriter is installed): polars ``read_csv`` +
  ``rustpy_xlsxwriter.write_worksheet`` of the same frame.

Targets (SPEC section 10, issue 13): 100,000 rows within 1.2x the xlsxwriter floor, and
1,000,000 rows under 2 GB peak.  Prints figures and ratios; asserts nothing.

Usage: python benchmarks/bench_import.py [--rows N ...] [--repeat K] [--cache DIR]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAP = ROOT / "addin" / "maps" / "example_map.toml"
VERSION = "v1"  # bump when the generator changes

HEADERS = [
    "Ticket No", "Created Date", "Created Time", "Channel", "Category", "Team", "Agent",
    "QA Reviewer", "Customer Phone", "First Reply (s)", "Talk Time", "Resolve Time (min)",
    "Call Status", "Solved First Time", "Transferred", "CSAT", "NPS", "Speed", "Attitude",
    "Solving", "Knowledge", "Satisfaction", "Records", "Fatal Error", "Issue Type",
    "Issue Detail", "QA Note",
]  # fmt: skip


def write_export(path: Path, n: int, seed: int = 13) -> None:
    """A CSV export of ``n`` contacts over six months (about 200 bytes a row)."""
    rnd = random.Random(seed)
    channels = ["Voice", "Live Chat", "E-mail", "WeChat", "Web"]
    categories = ["Question", "Complaint", "Refund", "Tech", "Billing"]
    issues = ["Slow reply", "Wrong info", "Rude tone", "No follow-up", "System down"]
    tmp = path.with_suffix(".part")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for i in range(n):
            day = 1 + i * 180 // max(n, 1)
            month, dom = 6 + (day - 1) // 30, 1 + (day - 1) % 30
            answered = rnd.random() > 0.08
            row = [
                f"T-{100000 + i}",
                f"{dom:02d}/{month:02d}/2024",
                f"{rnd.randint(8, 20):02d}:{rnd.randint(0, 59):02d}",
                rnd.choice(channels),
                rnd.choice(categories),
                f"Team {rnd.randint(1, 6)}",
                f"A{rnd.randint(100, 199)}",
                f"QA{rnd.randint(1, 8)}",
                f"1380013{rnd.randint(0, 9999):04d}",
            ]
            if answered:
                talk = rnd.randint(30, 1800)
                low = rnd.random() < 0.15
                row += [
                    str(rnd.randint(2, 120)),
                    f"{talk // 3600:02d}:{talk // 60 % 60:02d}:{talk % 60:02d}",
                    str(rnd.randint(5, 600)),
                    "Answered",
                    rnd.choice(["Solved", "Solved", "Solved", "Not solved"]),
                    rnd.choice(["No", "No", "No", "Yes"]),
                    str(rnd.randint(1, 5)),
                    str(rnd.randint(0, 10)),
                    *[str(rnd.randint(1 if low else 3, 5)) for _ in range(6)],
                    "Y" if rnd.random() < 0.01 else "",
                    rnd.choice(issues) if low else "",
                    "customer waited; asked twice" if low else "",
                    "follow up" if rnd.random() < 0.05 else "",
                ]
            else:
                row += ["", "00:00:00", "", "Missed", *[""] * 13]
            w.writerow(row)
    tmp.replace(path)


# ----------------------------------------------------------------------- child modes
def child_floor_xlsxwriter(export: str, out: str) -> dict:
    import polars as pl
    import xlsxwriter

    df = pl.read_csv(export, infer_schema_length=10_000)
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("Monitoring")
    ws.write_row(0, 0, df.columns)
    cells = 0
    numeric = [dt.is_numeric() for dt in df.dtypes]
    for r, row in enumerate(df.iter_rows(), start=1):
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if numeric[c]:
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, str(v))
            cells += 1
    wb.close()
    return {"cells": cells}


def child_floor_rust(export: str, out: str) -> dict:
    import polars as pl
    import rustpy_xlsxwriter

    df = pl.read_csv(export, infer_schema_length=10_000)
    rustpy_xlsxwriter.write_worksheet(df, out, sheet_name="Monitoring")
    return {"cells": df.height * df.width}


CHILDREN = {"floor-xlsxwriter": child_floor_xlsxwriter, "floor-rust": child_floor_rust}


def _measured(cmd: list[str]) -> dict:
    """Wall time and peak memory (max RSS) of ``cmd`` in its own process."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "wall = time.perf_counter() - t\n"
        "kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'wall': wall, 'rss_mb': kb / 1024, 'rc': r.returncode}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _median(runs: list[dict]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def bench(n: int, cache: Path, repeat: int) -> dict:
    export = cache / f"export-{n}-{VERSION}.csv"
    if not export.exists():
        print(f"  writing {export.name} ...", flush=True)
        write_export(export, n)
    jobs = {
        "csq": lambda out: [sys.executable, "-m", "addin.cli", "import", str(export),
                            "--map", str(MAP), "-o", out, "--force"],
        "floor-xlsxwriter": lambda out: [sys.executable, __file__, "--child",
                                         "floor-xlsxwriter", str(export), out],
    }  # fmt: skip
    if importlib.util.find_spec("rustpy_xlsxwriter") and importlib.util.find_spec("polars"):
        jobs["floor-rust"] = lambda out: [
            sys.executable, __file__, "--child", "floor-rust", str(export), out
        ]  # fmt: skip
    runs: dict[str, list[dict]] = {k: [] for k in jobs}
    with tempfile.TemporaryDirectory() as d:
        for i in range(repeat):
            for name, cmd in jobs.items():
                runs[name].append(_measured(cmd(os.path.join(d, f"{name}-{i}.xlsx"))))
    med = {k: _median(v) for k, v in runs.items()}
    size_mb = export.stat().st_size / 1e6
    print(f"\n{n:,} rows ({size_mb:.1f} MB CSV), median of {repeat} interleaved run(s)")
    for name, m in med.items():
        print(f"  {name:17s} {m['wall']:7.2f} s  peak {m['rss_mb']:6.0f} MB  exit {m['rc']:.0f}")
    csq, floor = med["csq"], med["floor-xlsxwriter"]
    print(f"  ratio csq / xlsxwriter floor: {csq['wall'] / floor['wall']:.2f}x (target <= 1.2x)")
    if "floor-rust" in med:
        print(f"  ratio csq / Rust-writer floor: {csq['wall'] / med['floor-rust']['wall']:.2f}x"
              " (aim <= 3x)")  # fmt: skip
    if n >= 1_000_000:
        print(f"  1M peak under 2 GB: {'met' if csq['rss_mb'] < 2048 else 'NOT met'}")
    return med


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(CHILDREN[sys.argv[2]](*sys.argv[3:])))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=None, help="runs per size (default 3; 1 at 1M)")
    ap.add_argument(
        "--cache",
        default=os.path.join(tempfile.gettempdir(), "csq-bench-import"),
        help="folder for the generated exports (kept between runs)",
    )
    a = ap.parse_args()
    cache = Path(a.cache)
    cache.mkdir(parents=True, exist_ok=True)
    print(f"csq import benchmark; python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    for n in a.rows:
        bench(n, cache, a.repeat or (1 if n >= 1_000_000 else 3))


if __name__ == "__main__":
    main()

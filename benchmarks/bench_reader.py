"""Which reader for monitoring sheets: python-calamine and openpyxl (read_only), and what
CSQ's reader (``addin.read.workbook``: calamine, fastexcel's typed slices for large sheets)
costs on top.

Writes standard-looking monitoring sheets (headers from ``workbook_templates.schema``) of
10,000 and 100,000 rows, then in a fresh process per measurement reads every cell of the
sheet with each library and reports wall time, peak memory (max RSS of that process) and
the ratios to calamine.  It also times ``addin.read.workbook.read_workbook`` (the full
read: safety checks, SHA-256, header detection, typed conversion, findings) to show what
CSQ adds on top of the bare read.

Prints figures; exits 0 (nothing is asserted).
Usage: python benchmarks/bench_reader.py [--rows 10000 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from udfs.core.fields import CHOICES, Lang  # noqa: E402
from workbook_templates.schema import MONITORING  # noqa: E402


def write_monitoring(path: Path, rows: int, lang: Lang = "en", seed: int = 1) -> None:
    """A monitoring sheet with ``rows`` realistic contacts (input columns only)."""
    import random

    import xlsxwriter

    rnd = random.Random(seed)
    cols = [c for c in MONITORING.columns if c.role == "input"]
    channels = [c.label(lang) for c in CHOICES["channel"]]
    types = [c.label(lang) for c in CHOICES["service_type"]]
    t0 = dt.datetime(2024, 1, 1, 8, 0)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet(MONITORING.name(lang))  # type: ignore[arg-type]
    fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for j, c in enumerate(cols):
        ws.write_string(0, j, c.header(lang))  # type: ignore[arg-type]
    for i in range(1, rows + 1):
        answered = rnd.random() > 0.08
        rec = {
            "contact_id": f"C{i:07d}",
            "contact_time": t0 + dt.timedelta(minutes=7 * i % 260000),
            "channel": rnd.choice(channels),
            "service_type": rnd.choice(types),
            "team": f"Team {rnd.randint(1, 3)}",
            "agent_id": f"A{rnd.randint(1, 40):03d}",
            "reviewer": f"QA{rnd.randint(1, 4)}",
            "customer_id": f"1380013{rnd.randint(0, 9999):04d}",
            "first_response_s": rnd.randint(1, 120) if answered else None,
            "handle_time_s": rnd.randint(30, 1800) if answered else None,
            "resolution_time_h": round(rnd.random() * 48, 1) if answered else None,
            "answered": "Y" if answered else "N",
            "resolved_first_contact": rnd.choice("YN") if answered else None,
            "transferred": rnd.choice("YN") if answered else None,
            "csat": rnd.randint(1, 5) if answered else None,
            "nps": rnd.randint(0, 10) if answered else None,
            "critical_error": "wrong refund" if rnd.random() < 0.01 else None,
            "problem_category": rnd.choice(["Billing error", "Slow reply", "Wrong info", None]),
            "problem_description": "customer said: =cmd|' /C calc'!A0" if i % 997 == 0 else None,
            "qc_note": None,
        }
        for k in ("speed", "attitude", "solving", "knowledge", "satisfaction", "records"):
            rec[k] = rnd.choice([5, 5, 4, 4, 3, 2, "N/A"]) if answered else None
        for j, c in enumerate(cols):
            v = rec.get(c.key)
            if v is None:
                continue
            if isinstance(v, dt.datetime):
                ws.write_datetime(i, j, v, fmt)
            elif isinstance(v, str):
                ws.write_string(i, j, v)
            else:
                ws.write_number(i, j, v)
    wb.close()


# ---- one measurement per fresh process (so max RSS is this reader's peak) --------------

_CHILD = r"""
import json, resource, sys, time
kind, path = sys.argv[1], sys.argv[2]
if kind == "csq":  # imports (pandas, numpy, the reader) are not timed
    sys.path.insert(0, sys.argv[3])
    from addin.read.workbook import read_workbook
t0 = time.perf_counter()
cells = 0
if kind == "calamine":
    import python_calamine as pc
    wb = pc.CalamineWorkbook.from_path(path)
    sh = wb.get_sheet_by_index(0)
    for row in sh.iter_rows():
        cells += len(row)
elif kind == "openpyxl":
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    for row in ws.iter_rows(values_only=True):
        cells += len(row)
    wb.close()
elif kind == "csq":
    data = read_workbook(path)
    cells = data.monitoring.shape[0] * data.monitoring.shape[1]
elapsed = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB on Linux
print(json.dumps({"seconds": elapsed, "peak_mib": peak, "cells": cells}))
"""


def measure(kind: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, kind, str(path), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--keep", default=None, help="folder to keep the generated workbooks in")
    ap.add_argument("--readers", nargs="+", default=["calamine", "openpyxl", "csq"])
    args = ap.parse_args()
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="csq_bench_reader_"))
    tmp.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; files in {tmp}")
    for rows in args.rows:
        path = tmp / f"monitoring_{rows}.xlsx"
        if not path.exists():
            t0 = time.perf_counter()
            write_monitoring(path, rows)
            print(
                f"wrote {path.name} ({path.stat().st_size / 2**20:.1f} MiB) in "
                f"{time.perf_counter() - t0:.1f} s"
            )
        res = {k: measure(k, path) for k in args.readers}
        for k, r in res.items():
            print(f"{rows:>9,} rows  {k:<9} {r['seconds']:7.2f} s   peak {r['peak_mib']:7.0f} MiB")
        for other in ("openpyxl",):
            if "calamine" in res and other in res:
                c, o = res["calamine"], res[other]
                print(
                    f"{rows:>9,} rows  {other}/calamine time ratio "
                    f"{o['seconds'] / c['seconds']:.1f}x, peak ratio "
                    f"{o['peak_mib'] / c['peak_mib']:.1f}x"
                )
        if "calamine" in res and "csq" in res:
            c, q = res["calamine"], res["csq"]
            print(
                f"{rows:>9,} rows  read_workbook/bare calamine time ratio "
                f"{q['seconds'] / c['seconds']:.2f}x"
            )


if __name__ == "__main__":
    main()

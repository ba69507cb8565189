"""The scope features (issue 19) against their floors.

- roll-up: ``csq report DIR --combine dept`` over 20 team workbooks of 5,000 contacts
  each, against the floor of reading the same 20 workbooks with CSQ's reader
  (``read_workbook``) in one process, the same ``--jobs``; both whole processes, run in
  turn (pairs).  Target: at most 1.3x.
- ``--by service_type`` on 100,000 rows (the 20 workbooks combined): ``analyse`` with the
  chapters minus ``analyse`` without, in one process (CPU seconds, median of runs).
  Target: at most 0.3 s.

The workbooks are standard workbooks written by the template builder from the demo
generator, cached in a temp folder between runs.  Prints figures and ratios; asserts
nothing.

Usage: python benchmarks/bench_scope.py [--books 20] [--rows 5000] [--jobs 1] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

AS_OF = dt.date(2026, 1, 15)
VERSION = "v1"


def build_books(n_books: int, rows: int, cache: Path) -> Path:
    """``n_books`` team workbooks of ``rows`` contacts (distinct ids, one team each)."""
    folder = cache / f"scope-{VERSION}-{n_books}x{rows}"
    if folder.is_dir() and len(list(folder.glob("*.xlsx"))) == n_books:
        return folder
    from addin.jobs.demo_data import demo_monitoring
    from workbook_templates.builder import build_workbook

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n_books):
        df = demo_monitoring(rows, seed=100 + i, lang="zh", as_of=AS_OF)
        df["contact_id"] = [f"T{i:02d}-{k:06d}" for k in range(len(df))]
        df["team"] = f"班组{i + 1:02d}"
        build_workbook(folder / f"team{i:02d}.xlsx", lang="zh", monitoring=df, as_of=AS_OF)
        print(f"  built team{i:02d}.xlsx", flush=True)
    return folder


def child_read(folder: str, jobs: int) -> None:
    """The floor: every workbook of ``folder`` read with CSQ's reader, ``jobs`` processes."""
    from addin.jobs.rollup import read_all

    books = sorted(Path(folder).glob("team*.xlsx"))
    read_all(books, None, jobs)


def child_by(folder: str, repeat: int) -> None:
    """``analyse`` of the combined 100k rows with and without ``--by service_type``."""
    from addin.jobs.rollup import combine, read_all
    from udfs.core.analysis import analyse
    from udfs.core.scope import Scope

    books = sorted(Path(folder).glob("team*.xlsx"))
    read = read_all(books, None, 1)
    pairs = [(str(p), d) for p, d in zip(books, read, strict=True) if not isinstance(d, str)]
    data = combine(pairs, pairs[0][1], "dept")
    plain, by = [], []
    clock = time.process_time  # CPU seconds of this process: a busy machine moves it less
    for _ in range(repeat):
        t = clock()
        analyse(data, AS_OF, scope=Scope())
        plain.append(clock() - t)
        t = clock()
        analyse(data, AS_OF, scope=Scope(by="service_type"))
        by.append(clock() - t)
    print(
        json.dumps(
            {
                "rows": len(data.monitoring),
                "analyse_s": statistics.median(plain),
                "analyse_by_s": statistics.median(by),
                "added_s": statistics.median(b - p for b, p in zip(by, plain, strict=True)),
            }
        )
    )


def _wall(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--books", type=int, default=20)
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "csq-bench"))
    ap.add_argument("--child", nargs="+", default=None)
    a = ap.parse_args()
    if a.child:
        mode, *rest = a.child
        if mode == "read":
            child_read(rest[0], int(rest[1]))
        elif mode == "by":
            child_by(rest[0], int(rest[1]))
        return
    folder = build_books(a.books, a.rows, Path(a.cache))
    out = Path(tempfile.mkdtemp(prefix="csq-scope-"))
    floor_cmd = [sys.executable, __file__, "--child", "read", str(folder), str(a.jobs)]
    csq_cmd = [sys.executable, "-m", "addin.cli", "report", str(folder), "--combine", "dept",
               "-o", str(out), "--as-of", AS_OF.isoformat(), "--jobs", str(a.jobs)]  # fmt: skip
    ratios, floors, rollups = [], [], []
    for _ in range(a.repeat):  # in turn: a drift of the machine's speed hits both
        f = _wall(floor_cmd)
        r = _wall(csq_cmd)
        floors.append(f)
        rollups.append(r)
        ratios.append(r / f)
    print(
        f"roll-up of {a.books} x {a.rows:,} contacts (--jobs {a.jobs}): "
        f"read floor {statistics.median(floors):.2f} s, csq report --combine "
        f"{statistics.median(rollups):.2f} s, ratio {statistics.median(ratios):.2f} (target <= 1.3)"
    )
    res = subprocess.run(
        [sys.executable, __file__, "--child", "by", str(folder), str(a.repeat)],
        check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout  # fmt: skip
    by = json.loads(res.strip().splitlines()[-1])
    print(
        f"--by service_type on {by['rows']:,} rows (CPU): analyse {by['analyse_s']:.2f} s, with the "
        f"chapters {by['analyse_by_s']:.2f} s, added {by['added_s']:.3f} s (target <= 0.3 s)"
    )


if __name__ == "__main__":
    main()

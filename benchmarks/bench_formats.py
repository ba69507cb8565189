"""``csq report --format xlsx,docx,pptx`` against ``--format xlsx`` on the same workbook.

Issue 18's target: the Word report and the deck work on aggregates, so on a 100,000-row
workbook ``--format xlsx,docx,pptx`` costs at most 0.5 s more than ``--format xlsx``.
Two measurements:

- whole commands: both ``csq report`` commands in fresh processes, run in turn (A B A B
  ...), each run's CPU time (user + system of the child) and wall time; the median of the
  pairwise differences;
- in process: the workbook read and analysed once, then the parts the extra formats add:
  importing python-docx and python-pptx, the narrative, the Word report, the deck.

Prints figures; asserts nothing.  The workbook is ``--workbook FILE`` or one of ``--rows``
rows built like bench_report.py's (cached in ``--cache``).

Usage: python benchmarks/bench_formats.py [--workbook FILE | --rows N] [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

AS_OF = "2026-01-15"


def _run(cmd: list[str]) -> tuple[float, float, int]:
    """(cpu s, wall s, exit code) of ``cmd`` in a fresh process."""
    before = os.times()
    t = time.perf_counter()
    rc = subprocess.run(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
    ).returncode
    wall = time.perf_counter() - t
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return cpu, wall, rc


def child_parts(path: str, out_dir: str) -> dict:
    """The parts --format docx,pptx adds, timed in one process after read + analyse."""
    import datetime as dt

    from addin.read.workbook import read_workbook
    from udfs.core.analysis import analyse

    data = read_workbook(path)
    an = analyse(data, dt.date.fromisoformat(AS_OF))
    t = time.perf_counter()
    import docx  # noqa: F401
    import pptx  # noqa: F401

    from addin.report.docx_report import write_docx
    from addin.report.pptx_deck import write_pptx
    from udfs.core.narrative import build_narrative

    imports = time.perf_counter() - t
    t = time.perf_counter()
    n = build_narrative(an, data.lang, data.report_info)
    narrative = time.perf_counter() - t
    t = time.perf_counter()
    write_docx(n, an, Path(out_dir) / "b.report.docx")
    docx_s = time.perf_counter() - t
    t = time.perf_counter()
    write_pptx(n, an, Path(out_dir) / "b.report.pptx")
    pptx_s = time.perf_counter() - t
    return {"imports": imports, "narrative": narrative, "docx": docx_s, "pptx": pptx_s}


def workbook(a: argparse.Namespace) -> Path:
    if a.workbook:
        return Path(a.workbook)
    cache = Path(a.cache)
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"monitoring-{a.rows}.xlsx"
    if not path.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_report.py"), "--child",
                        "build", str(a.rows), str(path)], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    return path


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(child_parts(*sys.argv[2:])))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workbook", default=None, help="an existing standard workbook")
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3, help="pairs of runs (default 3)")
    ap.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "csq-bench-report"))
    a = ap.parse_args()
    book = workbook(a)
    csq = [sys.executable, "-m", "addin.cli", "report", str(book), "--as-of", AS_OF]
    with tempfile.TemporaryDirectory(prefix="csq-bench-formats-") as tmp:
        outs = {f: os.path.join(tmp, f.replace(",", "-")) for f in ("xlsx", "xlsx,docx,pptx")}
        pairs = []
        for _ in range(a.repeat):
            runs = {f: _run([*csq, "-o", o, "--format", f]) for f, o in outs.items()}
            pairs.append(runs)
        parts = json.loads(subprocess.run(
            [sys.executable, __file__, "--child", str(book), tmp], check=True,
            capture_output=True, text=True, cwd=ROOT).stdout.strip().splitlines()[-1])  # fmt: skip
    print(f"csq report --format, {book.name}; python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs; median of {a.repeat} pair(s)")  # fmt: skip
    for f in outs:
        cpu = statistics.median(p[f][0] for p in pairs)
        wall = statistics.median(p[f][1] for p in pairs)
        rcs = sorted({p[f][2] for p in pairs})
        print(f"  --format {f:<15} cpu {cpu:6.2f} s  wall {wall:6.2f} s  exit {rcs}")
    d_cpu = statistics.median(p["xlsx,docx,pptx"][0] - p["xlsx"][0] for p in pairs)
    d_wall = statistics.median(p["xlsx,docx,pptx"][1] - p["xlsx"][1] for p in pairs)
    print(f"  docx+pptx cost: cpu {d_cpu:+.2f} s, wall {d_wall:+.2f} s (median of the pairs)")
    print(f"  in process: imports {parts['imports']:.2f} s + narrative {parts['narrative']:.3f} s"
          f" + docx {parts['docx']:.3f} s + pptx {parts['pptx']:.3f} s"
          f" = {sum(parts.values()):.2f} s")  # fmt: skip
    print(f"  target at most +0.5 s: {'met' if d_cpu <= 0.5 else 'NOT met'} (cpu)")


if __name__ == "__main__":
    main()

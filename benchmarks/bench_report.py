"""``csq report`` against the bare floor, on 10k, 100k and 1,000,000-row monitoring sheets.

The sheets are standard workbooks written by the template builder from the demo
generator (``addin.jobs.demo_data.demo_monitoring``), cached in a temp folder between runs.
Every measurement runs in a fresh process:

- floor: one process that reads every cell of the Monitoring sheet with the fastest reader
  there is (fastexcel: Rust calamine into Arrow columns, in one thread) and writes
  the report workbook from figures computed beforehand (unpickled, not computed);
- phases: ``read_workbook`` (safety checks, SHA-256, header detection, typed conversion,
  findings), ``analyse`` (all figures from udfs.core), ``write_report``, ``write_summary``;
- cli: ``csq report FILE`` end to end, wall time and peak memory (max RSS of the process).

Targets (SPEC section 10, issue 13): 100k rows within 1.3x the floor (whole processes);
1M rows under 25 s and 2 GB peak.

``--offlist`` (issue 23) adds a workbook as an import of an export whose problem categories
are not on the Config list wrote it before imports added them there: the same demo rows with
every problem category one of five topics on no list, so every row has a warning (identical
findings, grouped on the Data quality sheet).  Target: within 1.3x its floor.
Prints figures and ratios; asserts nothing.

Usage: python benchmarks/bench_report.py [--quick] [--rows N ...] [--cache DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
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

AS_OF = dt.date(2026, 1, 15)
VERSION = "v1"  # bump when the generator or builder output changes


def _child(mode: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _measured(cmd: list[str]) -> dict:
    """Wall time and peak memory (max RSS) of ``cmd`` in its own process, with the figures
    the command printed itself (a JSON object on its last line), if any."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "own = {}\n"
        "lines = r.stdout.strip().splitlines()\n"
        "if lines and lines[-1].startswith('{'):\n"
        "    own = json.loads(lines[-1])\n"
        "print(json.dumps({**own, 'wall': wall, 'rss_mb': kb / 1024, 'rc': r.returncode}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# ----------------------------------------------------------------------- child modes
OFF_LIST_TOPICS = ("账单查询", "账户登录", "物流跟踪", "发票开具", "会员权益")
"""Problem categories of the ``--offlist`` workbook: on no Config list, no Problems row."""


def child_build(n: int, path: str, offlist: str = "") -> dict:
    from addin.jobs.demo_data import _actions, _problems, demo_monitoring
    from workbook_templates.builder import build_workbook

    t = time.perf_counter()
    df = demo_monitoring(n, seed=7, lang="zh", as_of=AS_OF)
    if offlist:
        df["problem_category"] = [OFF_LIST_TOPICS[i % 5] for i in range(len(df))]
    build_workbook(
        path,
        lang="zh",
        monitoring=df,
        problems=_problems("zh"),
        actions=_actions(AS_OF, "zh", 1),
        as_of=AS_OF,
    )
    return {"build_s": time.perf_counter() - t}


def _fastest_read(path: str) -> tuple[str, int]:
    """Every cell of the Monitoring sheet with the fastest reader there is: fastexcel
    (Rust calamine to Arrow columns, no Python object per cell, one thread), a
    dependency of CSQ itself."""
    import fastexcel

    from workbook_templates.schema import MONITORING

    name = MONITORING.name("zh")
    batch = fastexcel.read_excel(path).load_sheet(name, header_row=0).to_arrow()
    return "fastexcel", batch.num_rows + 1


def child_prepare(path: str, pkl: str) -> dict:
    """The floor's report input: the workbook read and analysed once, pickled."""
    import pickle

    from addin.read.workbook import read_workbook
    from udfs.core.analysis import analyse

    data = read_workbook(path)
    Path(pkl).write_bytes(pickle.dumps((data, analyse(data, AS_OF))))
    return {}


def child_floor(path: str, out_dir: str, pkl: str) -> dict:
    """The floor as a whole process: the fastest read of the sheet + writing the report
    (its figures unpickled, not computed)."""
    t = time.perf_counter()
    reader, n = _fastest_read(path)
    read_s = time.perf_counter() - t
    import pickle

    from addin.report.xlsx import write_report

    data, an = pickle.loads(Path(pkl).read_bytes())
    t = time.perf_counter()
    write_report(data, Path(out_dir) / "floor.report.xlsx", lang="zh", as_of=AS_OF, analysis=an)
    write_s = time.perf_counter() - t
    return {"rows": n, "read_s": read_s, "write_s": write_s, "reader": reader}


def child_phases(path: str, out_dir: str) -> dict:
    t0 = time.perf_counter()
    from addin.read.workbook import read_workbook
    from addin.report.summary import build_summary, write_summary
    from addin.report.xlsx import write_report
    from udfs.core.analysis import analyse
    from udfs.core.grouping import group_findings

    t1 = time.perf_counter()
    data = read_workbook(path)
    t2 = time.perf_counter()
    an = analyse(data, AS_OF)
    t3 = time.perf_counter()
    write_report(data, Path(out_dir) / "p.report.xlsx", lang="zh", as_of=AS_OF, analysis=an)
    t4 = time.perf_counter()
    write_summary(Path(out_dir) / "p.summary.json", build_summary(data, AS_OF, an))
    t5 = time.perf_counter()
    return {
        "import_s": t1 - t0,
        "read_s": t2 - t1,
        "analyse_s": t3 - t2,
        "write_s": t4 - t3,
        "summary_s": t5 - t4,
        "findings": len(data.findings),
        "finding_groups": len(group_findings(data.findings)),
        "contacts": len(data.monitoring),
    }


# ----------------------------------------------------------------------- main
def ensure_sheet(n: int, cache: Path, offlist: bool = False) -> Path:
    kind = "offlist-" if offlist else ""
    path = cache / f"monitoring-{kind}{n}-{VERSION}.xlsx"
    if not path.exists():
        print(f"  building {path.name} (demo generator + build_workbook) ...", flush=True)
        cmd = [sys.executable, __file__, "--child", "build", str(n), str(path)]
        info = _measured([*cmd, "offlist"] if offlist else cmd)
        if info["rc"] != 0:
            raise SystemExit(f"building the {n:,}-row workbook failed")
        print(f"  built in {info['wall']:.1f} s, peak {info['rss_mb']:.0f} MB", flush=True)
    return path


def _median(runs: list[dict]) -> dict:
    """Per figure, the median of the repeated runs (one slow or lucky run does not move it)."""
    return {
        k: statistics.median(r[k] for r in runs) if isinstance(runs[0][k], (int, float)) else v
        for k, v in runs[0].items()
    }


def bench(n: int, cache: Path, repeat: int, offlist: bool = False) -> dict:
    path = ensure_sheet(n, cache, offlist)
    pkl = path.with_suffix(".analysis.pkl")
    if not pkl.exists():
        _child("prepare", str(path), str(pkl))
    size_mb = path.stat().st_size / 1e6
    floors, phase_runs, clis = [], [], []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(repeat):  # interleaved, so a burst of other load hits all three alike
            floors.append(
                _measured([sys.executable, __file__, "--child", "floor", str(path), out, str(pkl)])
            )
            phase_runs.append(_child("phases", str(path), out))
            clis.append(
                _measured(
                    [
                        sys.executable,
                        "-m",
                        "addin.cli",
                        "report",
                        str(path),
                        "-o",
                        out,
                        "--as-of",
                        AS_OF.isoformat(),
                    ]
                )  # fmt: skip
            )
    floor, phases, cli = _median(floors), _median(phase_runs), _median(clis)
    floor_s = floor["read_s"] + floor["write_s"]
    csq_s = phases["read_s"] + phases["analyse_s"] + phases["write_s"] + phases["summary_s"]
    what = ", every problem category off the list" if offlist else ""
    print(f"\n{n:,} rows{what} ({size_mb:.1f} MB workbook), median of {repeat} interleaved run(s)")
    print(f"  floor: {floor['reader']} read {floor['read_s']:.2f} s + write report"
          f" {floor['write_s']:.2f} s = {floor_s:.2f} s; whole process {floor['wall']:.2f} s,"
          f" peak memory {floor['rss_mb']:.0f} MB")  # fmt: skip
    print(f"  csq:   read_workbook {phases['read_s']:.2f} s + analyse {phases['analyse_s']:.2f} s"
          f" + write report {phases['write_s']:.2f} s + summary {phases['summary_s']:.3f} s"
          f" = {csq_s:.2f} s (imports {phases['import_s']:.2f} s)")  # fmt: skip
    print(f"  findings: {phases['findings']:,} in {phases['finding_groups']:,} group(s)")
    print(f"  csq report (whole command, fresh process): {cli['wall']:.2f} s,"
          f" peak memory {cli['rss_mb']:.0f} MB, exit {cli['rc']}")  # fmt: skip
    ratio = cli["wall"] / floor["wall"]
    print(f"  ratio csq report / floor, whole processes: {ratio:.2f}x;"
          f" in-process work: {csq_s / floor_s:.2f}x")  # fmt: skip
    if n == 100_000:
        print(f"  target 100k within 1.3x the floor: {'met' if ratio <= 1.3 else 'NOT met'}")
    if n >= 1_000_000:
        ok = cli["wall"] < 25 and cli["rss_mb"] < 2048
        print(f"  target 1M under 25 s and 2 GB peak: {'met' if ok else 'NOT met'}")
    return {"rows": n, "floor": floor, "phases": phases, "cli": cli}


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        mode, args = sys.argv[2], sys.argv[3:]
        fn = {"build": lambda: child_build(int(args[0]), *args[1:]),
              "prepare": lambda: child_prepare(*args), "floor": lambda: child_floor(*args),
              "phases": lambda: child_phases(*args)}[mode]  # fmt: skip
        print(json.dumps(fn()))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="10,000 rows only")
    ap.add_argument(
        "--offlist",
        action="store_true",
        help="also a workbook whose every problem category is on no list (issue 23)",
    )
    ap.add_argument("--rows", type=int, nargs="+", default=None)
    ap.add_argument(
        "--repeat", type=int, default=None, help="runs per size (default 3; 1 from 1M rows)"
    )
    ap.add_argument(
        "--cache",
        default=os.path.join(tempfile.gettempdir(), "csq-bench-report"),
        help="folder for the generated workbooks (kept between runs)",
    )
    a = ap.parse_args()
    sizes = a.rows or ([10_000] if a.quick else [10_000, 100_000, 1_000_000])
    cache = Path(a.cache)
    cache.mkdir(parents=True, exist_ok=True)
    print(f"csq report benchmark; python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    for n in sizes:
        bench(n, cache, a.repeat or (1 if n >= 1_000_000 else 3))
        if a.offlist:
            bench(n, cache, a.repeat or (1 if n >= 1_000_000 else 3), offlist=True)


if __name__ == "__main__":
    main()

"""Start-up: ``csq --help`` and a tiny ``csq report``, whole fresh processes.

A tiny workbook (20 contacts, the demo generator) is written once into a temp folder; then
``csq --help`` and ``csq report TINY -o OUT`` run in turn ``--repeat`` times each, timed
from outside (``time.perf_counter`` around ``subprocess.run``; peak = max RSS of the
child from ``resource.getrusage``), and the medians are printed with the target
(issue 13: under 0.4 s each), with the child's CPU time (user + system) beside the wall
time, since on a loaded machine the wall time mostly measures the other jobs.
``--importtime`` also prints the ten slowest imports of the tiny report (``python -X
importtime``, cumulative microseconds).

Byte-code: an installed ``csq`` runs from compiled ``.pyc`` files (pip compiles them), so
the children run with a byte-code cache in the temp folder (``PYTHONPYCACHEPREFIX``, warmed
by one untimed run of each command), even where ``PYTHONDONTWRITEBYTECODE`` is set;
``--no-bytecode-cache`` measures the slower first run of a fresh checkout instead.

Prints figures; asserts nothing.
Usage: python benchmarks/bench_startup.py [--repeat 7] [--importtime]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 1, 15)
TARGET_S = 0.4


def _child_env(cache: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if cache is not None:  # as installed: compiled once, then loaded from .pyc
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def _measured(cmd: list[str], env: dict[str, str]) -> dict:
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "wall = time.perf_counter() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'wall': wall, 'cpu': u.ru_utime + u.ru_stime,"
        " 'rss_mb': u.ru_maxrss / 1024, 'rc': r.returncode}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper, *cmd],
        check=True, capture_output=True, text=True, cwd=ROOT, env=env,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def _tiny(folder: Path) -> Path:
    path = folder / "tiny.xlsx"
    code = (
        "import datetime as dt, sys\n"
        "from addin.jobs.demo_data import demo_monitoring\n"
        "from workbook_templates.builder import build_workbook\n"
        "d = dt.date(2026, 1, 15)\n"
        "build_workbook(sys.argv[1], monitoring=demo_monitoring(20, seed=1, lang='zh', as_of=d),"
        " as_of=d)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, cwd=ROOT)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--importtime", action="store_true")
    ap.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="leave the byte-code settings as they are (a fresh checkout's first run)",
    )
    a = ap.parse_args()
    print(f"csq start-up benchmark; python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as d:
        tiny = _tiny(Path(d))
        jobs = {
            "csq --help": [sys.executable, "-m", "addin.cli", "--help"],
            "csq report (20 contacts)": [sys.executable, "-m", "addin.cli", "report", str(tiny),
                                         "-o", str(Path(d) / "out"), "--as-of", AS_OF.isoformat()],
        }  # fmt: skip
        env = _child_env(None if a.no_bytecode_cache else Path(d) / "pyc")
        if not a.no_bytecode_cache:
            for cmd in jobs.values():  # warm the byte-code cache, untimed
                _measured(cmd, env)
        runs: dict[str, list[dict]] = {k: [] for k in jobs}
        for _ in range(a.repeat):  # in turn, so a burst of other load hits both alike
            for name, cmd in jobs.items():
                runs[name].append(_measured(cmd, env))
        cache = "no byte-code cache" if a.no_bytecode_cache else "byte-code cache warm"
        print(f"median of {a.repeat} run(s), whole processes, {cache}")
        for name, rs in runs.items():
            wall = statistics.median(r["wall"] for r in rs)
            cpu = statistics.median(r["cpu"] for r in rs)
            rss = statistics.median(r["rss_mb"] for r in rs)
            ok = "met" if wall < TARGET_S else "NOT met"
            print(f"  {name:26s} {wall:6.3f} s wall  {cpu:6.3f} s CPU  peak {rss:5.0f} MB"
                  f"  exit {rs[-1]['rc']}  (target < {TARGET_S} s wall: {ok})")  # fmt: skip
        if a.importtime:
            err = subprocess.run(
                [sys.executable, "-X", "importtime", *jobs["csq report (20 contacts)"][1:]],
                capture_output=True, text=True, cwd=ROOT, env=env,
            ).stderr  # fmt: skip
            rows = []
            for line in err.splitlines():
                parts = line.split("|")
                if len(parts) == 3 and parts[1].strip().isdigit():
                    rows.append((int(parts[1]), parts[2].rstrip()))
            print("  slowest imports of the tiny report (cumulative microseconds):")
            for us, name in sorted(rows, reverse=True)[:10]:
                print(f"    {us:8d}  {name.strip()}")


if __name__ == "__main__":
    main()

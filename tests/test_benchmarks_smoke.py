"""The benchmark scripts run and print their figures (small sizes; no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_benchmark_prints_figures_and_wrapper_agrees_with_core() -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_core.py"),
            "--rows-core",
            "2000",
            "--rows-udf",
            "2000",
            "--repeat",
            "1",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "core score_contacts, 2,000 contacts:" in out
    assert "ratio vs core from the same cells:" in out
    assert "wrapper equals core on all 2,000 rows: True" in out


def test_template_benchmark_prints_both_modes() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_templates.py"), "--rows", "300"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    rows = [line.split() for line in out.splitlines() if line.strip().startswith("300")]
    assert sorted(r[1] for r in rows) == ["portable", "udf"]  # one figure line per mode


def test_startup_benchmark_prints_both_commands() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_startup.py"), "--repeat", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "csq --help" in out and "csq report (20 contacts)" in out
    assert out.count("exit 0") == 2  # both commands succeeded


def test_import_benchmark_prints_floor_and_ratio(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_import.py"), "--rows", "300",
         "--repeat", "1", "--cache", str(tmp_path)],
        capture_output=True, text=True, check=True, timeout=300,
    ).stdout  # fmt: skip
    assert "300 rows" in out
    assert "ratio csq / xlsxwriter floor:" in out
    csq_line = next(line for line in out.splitlines() if line.startswith("  csq "))
    assert "exit 0" in csq_line  # the csq import command itself succeeded


def test_help_imports_no_pandas_xlsxwriter_or_pydantic() -> None:
    # start-up: the command line's help must not pay for the heavy libraries
    code = (
        "import sys, contextlib, io\n"
        "from addin import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    cli.main(['--help'])\n"
        "print(sorted(m for m in ('pandas', 'xlsxwriter', 'pydantic', 'numpy') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"

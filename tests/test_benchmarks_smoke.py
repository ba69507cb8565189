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


def test_tiny_report_imports_only_what_a_report_needs(tmp_path: Path) -> None:
    # start-up: a 20-contact report reads with calamine and writes with xlsxwriter; it must
    # not pay for openpyxl, xlwings, the --jobs process pool or the optional fast readers
    code = (
        "import datetime as dt, sys, contextlib, io\n"
        "from addin.jobs.demo_data import demo_monitoring\n"
        "from workbook_templates.builder import build_workbook\n"
        "d = dt.date(2026, 1, 15)\n"
        "build_workbook(sys.argv[1], monitoring=demo_monitoring(20, seed=1, lang='zh', as_of=d),"
        " as_of=d)\n"
    )
    book = tmp_path / "tiny.xlsx"
    subprocess.run([sys.executable, "-c", code, str(book)], check=True, cwd=ROOT)
    # (pandas would import pyarrow itself whenever it is installed: csq hides it from pandas)
    heavy = ("openpyxl", "xlwings", "multiprocessing", "concurrent.futures.process", "lxml",
             "polars", "fastexcel", "pyarrow", "docx", "pptx")  # fmt: skip
    probe = (
        "import sys, os\n"
        "os.environ.pop('OPENBLAS_NUM_THREADS', None)\n"
        "from addin import cli\n"
        "rc = cli.main(['report', sys.argv[1], '-o', sys.argv[2], '--as-of', '2026-01-15',"
        " '--format', 'xlsx'])\n"
        f"print(rc, sorted(m for m in {heavy!r} if m in sys.modules),"
        " os.environ.get('OPENBLAS_NUM_THREADS'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(book), str(tmp_path / "out")],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    assert out.strip().splitlines()[-1] == "0 [] 1"  # report written; none imported; 1 thread
    assert (tmp_path / "out" / "tiny.report.xlsx").is_file()


def test_a_thread_count_the_user_set_is_kept() -> None:
    probe = (
        "import os, contextlib, io\n"
        "os.environ['OPENBLAS_NUM_THREADS'] = '3'\n"
        "from addin import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    cli.main(['--help'])\n"
        "print(os.environ['OPENBLAS_NUM_THREADS'])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip().splitlines()[-1] == "3"


def test_scope_benchmark_prints_the_rollup_ratio_and_the_by_cost(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_scope.py"), "--books", "2", "--rows",
         "200", "--repeat", "1", "--cache", str(tmp_path)],
        capture_output=True, text=True, check=True, timeout=300,
    ).stdout  # fmt: skip
    assert "roll-up of 2 x 200 contacts" in out and "ratio" in out
    assert "--by service_type on 400 rows" in out


def test_formats_benchmark_prints_the_cost_of_docx_and_pptx(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_formats.py"), "--rows", "300",
         "--repeat", "1", "--cache", str(tmp_path)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    assert "docx+pptx cost: cpu" in out
    assert "exit [0]" in out and "exit [1]" not in out

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

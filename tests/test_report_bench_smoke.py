"""The report benchmark runs on a small sheet and prints its figures (nothing timed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_report_benchmark_prints_floor_and_ratio(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_report.py"), "--rows", "2000",
         "--cache", str(tmp_path)],
        capture_output=True, text=True, check=True, timeout=300,
    ).stdout  # fmt: skip
    assert "2,000 rows" in out
    assert "floor: fastexcel read" in out or "floor: calamine read" in out
    assert "ratio csq report / floor, whole processes:" in out
    assert "exit 0" in out  # the csq report command itself succeeded
    assert (tmp_path / "monitoring-2000-v1.xlsx").is_file()  # cached for the next run

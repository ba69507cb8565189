"""The reader benchmark runs and prints its figures (tiny size; no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_reader_benchmark_prints_times_memory_and_ratios(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_reader.py"),
            "--rows",
            "300",
            "--keep",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    for reader in ("calamine", "openpyxl", "csq"):
        assert f"300 rows  {reader}" in out
    assert "openpyxl/calamine time ratio" in out
    assert "read_workbook/bare calamine time ratio" in out

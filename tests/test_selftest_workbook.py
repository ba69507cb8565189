"""``csq selftest``: the self-test workbook recalculated by the ``formulas`` engine with the
Python functions registered says PASS on every row and "all N passed"; it covers every
CSQ_ function; a few expected values are checked by hand; a wrong result shows FAIL."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import formulas as fe
import numpy as np
import openpyxl
import pytest
from formulas.functions import sh
from openpyxl.utils import column_index_from_string

from addin.jobs.selftest import CHECKS, FIRST_ROW, SELFTEST_SHEET, write_selftest
from udfs import __version__
from udfs.functions import FUNCTIONS

ROOT = Path(__file__).resolve().parents[1]
EMPTY = sh.EMPTY


def _udf(impl):
    def call(*args):
        conv = []
        for a in args:
            if isinstance(a, np.ndarray):
                a = [[None if v is EMPTY else v for v in row] for row in a.tolist()]
            elif a is EMPTY:
                a = None
            conv.append(a)
        res = impl(*conv)
        arr = np.array(res if isinstance(res, list) else [[res]], dtype=object)
        return arr.reshape(-1, 1) if arr.ndim == 1 else arr

    return call


def recalc(path: Path, functions=FUNCTIONS) -> dict[str, object]:
    """Every formula cell of the self-test sheet, computed by ``formulas`` in sheet order."""
    for name, impl in functions.items():
        fe.get_functions()[name] = _udf(impl)
    ws = openpyxl.load_workbook(path)[SELFTEST_SHEET]
    grid = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}

    def read(ref: str) -> object:
        m = re.fullmatch(r"(?:.*!)?\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?", ref)
        assert m, ref
        c1, r1 = column_index_from_string(m.group(1)), int(m.group(2))
        c2 = column_index_from_string(m.group(3)) if m.group(3) else c1
        r2 = int(m.group(4)) if m.group(4) else r1
        block = [
            [
                grid.get(f"{openpyxl.utils.get_column_letter(c)}{r}", EMPTY)
                for c in range(c1, c2 + 1)
            ]
            for r in range(r1, r2 + 1)
        ]
        arr = np.array(block, dtype=object)
        return arr if arr.size > 1 else arr[0, 0]

    order = sorted(
        (k for k, v in grid.items() if isinstance(v, str) and v.startswith("=")),
        key=lambda k: (k[0] != "D", k[0] != "F", k),  # results, then checks, then the total
    )
    for ref in order:
        func = fe.Parser().ast(grid[ref])[1].compile()
        res = np.asarray(func(*[read(i) for i in func.inputs]), dtype=object)
        v = res.reshape(-1)[0] if res.ndim else res.item()
        v = v.item() if isinstance(v, np.generic) else v
        grid[ref] = "" if v is EMPTY or v is None else v
    return grid


@pytest.fixture(scope="module")
def selftest(tmp_path_factory) -> Path:
    return write_selftest(tmp_path_factory.mktemp("selftest") / "selftest.xlsx")


def test_every_row_passes_in_the_formulas_engine(selftest):
    grid = recalc(selftest)
    n = len(CHECKS)
    rows = range(FIRST_ROW, FIRST_ROW + n)
    assert [grid[f"F{r}"] for r in rows] == ["PASS"] * n, [grid[f"D{r}"] for r in rows]
    assert grid["A2"] == f"all {n} passed / 全部 {n} 项通过"


def test_every_function_is_checked():
    """A new CSQ_ function needs a row in addin/jobs/selftest.py CHECKS."""
    missing = set(FUNCTIONS) - {c.function for c in CHECKS}
    assert not missing, f"add a Check for {sorted(missing)} to addin/jobs/selftest.py"
    assert {c.function for c in CHECKS} <= set(FUNCTIONS)


def test_expected_values_by_hand(selftest):
    """The expected column holds the right numbers, worked out here by hand."""
    ws = openpyxl.load_workbook(selftest)[SELFTEST_SHEET]
    exp = {}
    for r in range(FIRST_ROW, FIRST_ROW + len(CHECKS)):
        exp.setdefault(ws[f"B{r}"].value, []).append(ws[f"E{r}"].value)
    w = [15, 20, 25, 15, 15, 10]
    pts = {5: 100, 4: 80, 3: 60}
    score = sum(pts[v] * wi for v, wi in zip((5, 4, 3, 5, 4, 5), w, strict=True)) / sum(w)
    assert exp["CSQ_SCORE"][0] == pytest.approx(score, abs=0.005)
    na = [(5, 15), (5, 20), (4, 15), (4, 15), (3, 10)]  # solving N/A: weights re-spread
    assert exp["CSQ_SCORE"][1] == pytest.approx(sum(pts[v] * wi for v, wi in na) / 75, abs=0.005)
    assert exp["CSQ_SCORE"][2] == 0
    assert exp["CSQ_GRADE"] == ["良好", "Good"]
    assert exp["CSQ_LEVEL"][0] == "良好"
    assert exp["CSQ_BAND"] == [80, 4]
    assert exp["CSQ_PARETO"] == [pytest.approx(0.3), "B"]
    assert exp["CSQ_DAYS_LATE"] == [10]
    assert exp["CSQ_MET"] == ["Y"]
    assert exp["CSQ_QC_RESULT"] == ["合格", "不合格"]
    assert exp["CSQ_CSAT"] == [pytest.approx(19 / 5), pytest.approx(3 / 5)]
    assert exp["CSQ_NPS"] == [pytest.approx(100 * (3 - 1) / 5)]
    assert exp["CSQ_FCR"] == [pytest.approx(0.75)]
    assert exp["CSQ_SLA"] == [pytest.approx(0.75)]
    assert exp["CSQ_REPEAT_RATE"] == [pytest.approx(1 / 4)]  # C1 again after 8 days
    assert exp["CSQ_MASK"] == ["*******8000"]
    assert exp["CSQ_VERSION"] == [__version__]
    # 8 s first response, 20/50/40 min, call-back 10 h: every step within 10 s/30/60/60 min/24 h;
    # a call-back after 30 h misses the 24 h limit
    assert exp["CSQ_PROCESS"] == ["合规", "不合规：回访超时"]
    # QA 85; CSAT 4.2 of 5 = 84 points; FCR 0.8 = 80; 40 s first response = 80 (<=60 s)
    composite = (85 * 30 + 4.2 * 20 * 30 + 80 * 25 + 80 * 15) / 100
    assert exp["CSQ_COMPOSITE"][0] == pytest.approx(composite, abs=0.05)


def test_a_wrong_function_shows_fail_and_the_total_says_so(selftest):
    broken = dict(FUNCTIONS)
    broken["CSQ_GRADE"] = lambda *a, **k: "优秀"
    grid = recalc(selftest, broken)
    fails = [
        grid[f"B{r}"] for r in range(FIRST_ROW, FIRST_ROW + len(CHECKS)) if grid[f"F{r}"] == "FAIL"
    ]
    assert fails == ["CSQ_GRADE", "CSQ_GRADE"]
    n = len(CHECKS)
    assert grid["A2"] == f"2 of {n} failed / {n} 项中有 2 项未通过"
    for name, impl in FUNCTIONS.items():  # leave the engine as other tests expect it
        fe.get_functions()[name] = _udf(impl)


def test_uncalculated_copy_never_claims_a_pass(selftest):
    cached = openpyxl.load_workbook(selftest, data_only=True)[SELFTEST_SHEET]
    assert "not calculated" in cached["A2"].value
    assert all(cached[f"F{r}"].value != "PASS" for r in range(FIRST_ROW, FIRST_ROW + len(CHECKS)))


def test_cli_writes_it_and_refuses_to_overwrite(tmp_path):
    env = {"CSQ_LANG": "en", "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "addin.cli", "selftest", "-o", "st.xlsx"]
    first = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert f"all {len(CHECKS)} passed" in first.stdout
    again = subprocess.run(run, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert again.returncode == 2 and "--force" in again.stderr


def test_refresh_scores_shows_the_selftest_total(tmp_path):
    """The ribbon's Refresh scores re-enters the self-test's formulas and shows its total
    (here a file stand-in for Excel: the total as Excel would have cached it)."""
    from addin.excel.ribbon import FileBook, on_button

    path = write_selftest(tmp_path / "selftest.xlsx")
    book = FileBook(path)
    text = on_button("csqRefresh", book)
    assert f"Self-test recalculated ({len(CHECKS)} CSQ_ formulas re-entered)" in text
    assert "not calculated yet" in text and "尚未计算" in text  # no Excel computed it here
    wb = openpyxl.load_workbook(path)
    n = len(CHECKS)
    wb[SELFTEST_SHEET]["A2"] = f"all {n} passed / 全部 {n} 项通过"
    wb.save(path)
    text = on_button("csqRefresh", FileBook(path))
    assert f"all {n} passed." in text and f"全部 {n} 项通过。" in text

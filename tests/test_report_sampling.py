"""The sampling ratio: the Config sheet's optional "contacts handled in the report period"
turns the sample size into a ratio in the report overview and summary.json."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from report_fixtures import AS_OF, build_fixture_workbook

from addin.read.workbook import read_workbook
from addin.report.summary import build_summary
from addin.report.xlsx import write_report


def _with_population(src: Path, dst: Path, value: object) -> Path:
    wb = openpyxl.load_workbook(src)
    ws = wb["配置"]
    row = next(r for r in ws.iter_rows() if r[0].value == "population")
    row[2].value = value
    wb.save(dst)
    return dst


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_workbook(tmp_path_factory.mktemp("pop") / "team_t1.xlsx")


def _overview_value(path: Path, label: str):
    ws = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    for r in ws.iter_rows(values_only=True):
        if r and r[0] == label:
            return next(v for v in r[1:] if v is not None)
    raise AssertionError(f"{label} not on the overview")


def test_population_gives_the_sampling_ratio(base: Path, tmp_path: Path) -> None:
    # The fixture's report period (2026-10) holds 8 sampled contacts; 40 handled -> 8/40.
    data = read_workbook(_with_population(base, tmp_path / "p.xlsx", 40))
    assert data.population == 40
    assert build_summary(data, AS_OF)["sampling_ratio"] == pytest.approx(0.2)
    out = write_report(data, tmp_path / "p.report.xlsx", lang="zh", as_of=AS_OF)
    assert _overview_value(out, "抽样比例") == pytest.approx(0.2)


def test_blank_population_is_not_recorded(base: Path, tmp_path: Path) -> None:
    data = read_workbook(base)
    assert data.population is None and not data.errors
    assert build_summary(data, AS_OF)["sampling_ratio"] is None
    out = write_report(data, tmp_path / "b.report.xlsx", lang="en", as_of=AS_OF)
    assert _overview_value(out, "Sampling ratio") == "not recorded"


def test_bad_population_is_a_finding_with_its_cell(base: Path, tmp_path: Path) -> None:
    data = read_workbook(_with_population(base, tmp_path / "bad.xlsx", "lots"))
    assert data.population is None
    (f,) = [f for f in data.errors if f.key == "population"]
    assert f.sheet == "配置" and f.value == "lots" and "整数" in f.rule  # zh workbook, zh message
    assert f.cell.startswith("C")

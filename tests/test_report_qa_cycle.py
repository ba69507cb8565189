"""The QA cycle in a workbook and its report: the Calibration sheet written, read back,
validated and reported; reviewer leniency from the Monitoring table; keyword frequencies
from the Config sheet's (edited) keyword table. Figures worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from addin.cli import main
from addin.read.workbook import read_workbook
from addin.report.summary import build_summary
from addin.report.xlsx import write_report
from workbook_templates.builder import build_workbook

AS_OF = dt.date(2026, 12, 1)
DIMS = ("speed", "attitude", "solving", "knowledge", "satisfaction", "records")


def _cal(contact: str, reviewer: str, ratings: list[object], critical: str | None = None):
    return {"contact_id": contact, "reviewer": reviewer, **dict(zip(DIMS, ratings, strict=True)),
            "critical_error": critical}  # fmt: skip


def _mon(i: int, reviewer: str, rating: int, text: str | None = None):
    return {
        "contact_id": f"M{i}",
        "contact_time": dt.datetime(2026, 11, 1 + i, 10),
        "agent_id": "A1",
        "reviewer": reviewer,
        **dict.fromkeys(DIMS, rating),
        "problem_description": text,
    }


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("qa") / "team.xlsx"
    monitoring = [
        _mon(1, "Lin", 5, "客户反映响应慢，等待时间长"),  # Lin: 100
        _mon(2, "Lin", 4, "响应慢"),  # 80 -> Lin mean 90
        _mon(3, "Zhao", 3, "解答专业"),  # Zhao: 60
        _mon(4, "Zhao", 3, "物流延迟三天"),  # 60 -> Zhao mean 60; team (100+80+60+60)/4 = 75
        _mon(5, None, 4, "太慢了"),  # no reviewer: in the team mean? no: 80 -> see below
    ]
    calibration = [
        _cal("C1", "Lin", [5, 5, 5, 5, 5, 5]),  # 100
        _cal("C1", "Zhao", [3, 3, 3, 3, 3, 3]),  # 60
        _cal("C2", "Lin", [4, 4, 4, 4, 4, 4]),  # 80
        _cal("C2", "Zhao", [4, 4, 4, 4, 4, "N/A"]),  # 80
        _cal("C3", "Lin", [2, 2, 2, 2, 2, 2], "泄露客户隐私"),  # critical error: 0
        _cal("C3", "Zhao", [2, 2, 2, 2, 2, 2]),  # 40
    ]
    build_workbook(
        path,
        lang="zh",
        monitoring=monitoring,
        calibration=calibration,
        as_of=AS_OF,
        as_of_fixed=True,
        config_rows={
            "keywords": [
                {"keyword": "响应慢", "category": "等待时间长", "polarity": "负面"},
                {"keyword": "慢", "category": "速度", "polarity": "负面"},
                {"keyword": "解答专业", "category": "表扬", "polarity": "正面"},
                {"keyword": "物流延迟", "category": "物流", "polarity": "负面"},
            ]
        },
    )
    return path


def test_calibration_sheet_is_written_and_read_back(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    assert "校准" in wb.sheetnames and "Calibration" in wb["校准"].tables
    data = read_workbook(book)
    assert data.errors == []
    cal = data.calibration
    assert len(cal) == 6 and set(cal["reviewer"]) == {"Lin", "Zhao"}
    # the cached scores of the computed column (CSQ_SCORE): C3 Lin has a critical error
    ws = openpyxl.load_workbook(book, data_only=True)["校准"]
    header = [c.value for c in ws[1]]
    scores = [ws.cell(r, header.index("质检得分") + 1).value for r in range(2, 8)]
    assert scores == [100, 60, 80, 80, 0, 40]


def test_summary_calibration_object_by_hand(book: Path) -> None:
    s = build_summary(read_workbook(book), AS_OF)
    cal = s["calibration"]
    assert cal["contacts"] == 3 and cal["reviewer_count"] == 2
    assert set(cal["alpha"]) == {*DIMS, "overall"}
    # two raters: the median is their mean, so a rating equals it only when both agree:
    # speed C1 5/3 no, C2 4/4 yes, C3 2/2 yes -> 4 of 6 ratings
    assert cal["agreement"]["speed"] == pytest.approx(4 / 6)
    rev = {r["reviewer"]: r for r in cal["reviewers"]}
    # Lin: C1 +1 on every dimension (5 vs median 4), C2 0, C3 0 -> 6 / 18 ratings... records
    # of C2 has one rater only (Zhao N/A) so it does not count: (6*1 + 5*0 + 6*0) / 17
    assert rev["Lin"]["mean_deviation"] == pytest.approx(6 / 17)
    assert rev["Zhao"]["mean_deviation"] == pytest.approx(-6 / 17)
    assert rev["Lin"]["mean_score"] == pytest.approx((100 + 80 + 0) / 3)
    assert cal["widest_spread"][0]["contact_id"] == "C1"  # 60 to 100 (C3: 0 to 40 too)
    assert [r["spread"] for r in cal["widest_spread"]] == [40.0, 40.0, 0.0]
    json.dumps(s, allow_nan=False)


def test_reviewer_leniency_in_daily_work(book: Path) -> None:
    s = build_summary(read_workbook(book), AS_OF)
    # team mean over every scored contact of the period: (100+80+60+60+80)/5 = 76
    assert s["reviewers"]["team_mean_score"] == pytest.approx(76.0)
    got = {r["reviewer"]: r for r in s["reviewers"]["list"]}
    assert got["Lin"]["mean_score"] == pytest.approx(90.0)
    assert got["Lin"]["difference"] == pytest.approx(14.0)
    assert got["Zhao"]["difference"] == pytest.approx(-16.0)
    assert [r["reviewer"] for r in s["reviewers"]["list"]] == ["Lin", "Zhao"]  # lenient first


def test_keyword_frequencies_use_the_workbooks_own_keyword_table(book: Path) -> None:
    s = build_summary(read_workbook(book), AS_OF)
    neg = {r["keyword"]: r["count"] for r in s["keywords"]["negative"]}
    # 响应慢 in M1, M2; 慢 alone only in M5 (太慢了); 物流延迟 in M4; 等待时间长 is not a
    # keyword of this workbook
    assert neg == {"响应慢": 2, "慢": 1, "物流延迟": 1}
    assert s["keywords"]["positive"] == [
        {"keyword": "解答专业", "category": "表扬", "polarity": "positive", "count": 1}
    ]


def test_report_sheets_show_calibration_leniency_and_keywords(book: Path, tmp_path: Path) -> None:
    out = write_report(read_workbook(book), tmp_path / "r.xlsx", lang="zh", as_of=AS_OF)
    wb = openpyxl.load_workbook(out, read_only=True)
    cal = [r for r in wb["质检员与校准"].iter_rows(values_only=True)]
    lin = next(r for r in cal if r[0] == "Lin" and r[4] is not None and abs(r[4] - 14) < 1e-9)
    assert lin[2] == pytest.approx(90.0)
    assert any(r[0] == "响应速度" and r[1] is not None for r in cal)  # alpha per dimension
    samp = [r for r in wb["抽样与总体"].iter_rows(values_only=True)]
    assert ("响应慢", "等待时间长", 2) in [tuple(r[:3]) for r in samp]
    assert any(r[0] and "未记录总体数据" in str(r[0]) for r in samp)  # no population here


def test_validate_reports_a_bad_calibration_rating_with_its_cell(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = openpyxl.load_workbook(book)
    wb["校准"]["C2"] = 7  # speed of the first calibration row
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    assert main(["validate", str(bad), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "校准!C2" in out and "7" in out


def test_an_older_workbook_without_a_calibration_sheet_has_no_finding(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "old.xlsx", lang="en", monitoring=[_mon(1, "Lin", 4)])
    wb = openpyxl.load_workbook(path)
    del wb["Calibration"]
    wb.save(path)
    data = read_workbook(path)
    assert data.findings == [] and len(data.calibration) == 0
    assert build_summary(data, AS_OF)["calibration"] is None


def test_portable_calibration_scores_recalculated_by_libreoffice(tmp_path: Path) -> None:
    from test_templates_engines import recalc_with_libreoffice

    rows = [
        _cal("C1", "Lin", [5, 5, 5, 5, 5, 5]),  # 100
        _cal("C1", "Zhao", [5, 4, 3, "N/A", 5, 5]),  # (1500+1600+1500+1500+1000)/85 = 83.53
        _cal("C2", "Lin", [4, 4, 4, 4, 4, 4], "辱骂客户"),  # critical error: 0
        _cal("C2", "Zhao", [None] * 6),  # nothing rated: blank
    ]
    src = build_workbook(tmp_path / "p.xlsx", lang="en", portable=True, calibration=rows)
    recalced = recalc_with_libreoffice(src, tmp_path)
    for path in (recalced, src):  # LibreOffice's own result, then the cached values
        ws = openpyxl.load_workbook(path, data_only=True)["Calibration"]
        header = [c.value for c in ws[1]]
        col = header.index("QA score") + 1
        got = [ws.cell(r, col).value for r in range(2, 6)]
        assert got[0] == 100 and got[1] == pytest.approx(83.53) and got[2] == 0
        assert got[3] in (None, "")

"""The seed templates as their users fill them (issue 12).

The rows below are modelled on what issue 12 quotes from the after-sales template
(service types 咨询/投诉/维修, resolution time in hours, a reviewer's typed 质检结果 such as
"不合格(未同步仓库数据)") and the service-process template (service type 建议).  The seed
files themselves are not in the repository: these rows are reconstructed from the issue.

Expected figures by hand: ratings all 4 -> 80, all 5 -> 100, all 2 -> 40 (x/5 x 100).
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from addin.cli import main as csq
from addin.read.workbook import read_workbook
from udfs.core.analysis import analyse
from workbook_templates.builder import build_workbook

RUBRIC = ("speed", "attitude", "solving", "knowledge", "satisfaction", "records")
AS_OF = dt.date(2026, 10, 31)


def _row(cid: str, day: int, service: str, rating: int, verdict: str | None = None, **kw):
    return {
        "contact_id": cid,
        "contact_time": dt.datetime(2026, 10, day, 10),
        "channel": "电话",
        "service_type": service,
        "agent_id": "KF01",
        "reviewer": "质检A",
        **dict.fromkeys(RUBRIC, rating),
        "qc_verdict": verdict,
        **kw,
    }


AFTER_SALES = [
    _row("SH001", 1, "咨询", 4, "合格", resolution_time_h=2.5),  # 80, pass = pass
    _row("SH002", 2, "投诉", 5, "不合格(未同步仓库数据)", resolution_time_h=26),  # 100 but fail
    _row("SH003", 3, "维修", 2, None, resolution_time_h=48),  # 40: fail by score
]
SERVICE_PROCESS = [
    _row("FW001", 4, "建议", 4, None),  # 80: pass by score
    _row("FW002", 5, "咨询", 5, "合格"),  # 100, pass = pass
]


@pytest.fixture
def seed_book(tmp_path):
    return build_workbook(
        tmp_path / "seed.xlsx",
        lang="zh",
        monitoring=AFTER_SALES + SERVICE_PROCESS,
        as_of=AS_OF,
        as_of_fixed=True,
    )


def test_seed_rows_pass_validation(seed_book, capsys):
    data = read_workbook(seed_book)
    assert data.errors == []
    assert list(data.monitoring["service_type"]) == [
        "inquiry",
        "complaint",
        "repair",
        "suggestion",
        "inquiry",
    ]
    capsys.readouterr()
    assert csq(["validate", str(seed_book)]) == 0  # only warnings (the disagreement below)


def test_reviewer_verdict_is_the_qc_result_used_and_a_disagreement_is_a_warning(seed_book):
    data = read_workbook(seed_book, lang="en")
    warnings = [f for f in data.findings if f.key == "qc_verdict"]
    assert len(warnings) == 1  # SH002: score 100 passes, the reviewer says fail
    w = warnings[0]
    assert w.severity == "warning" and w.value == "不合格(未同步仓库数据)"
    assert w.cell.endswith("3")  # SH002 is on sheet row 3
    assert "differs from the score-based result Pass (QA score 100)" in w.rule
    an = analyse(data, AS_OF)
    # QC result used: SH001 pass (verdict), SH002 fail (verdict), SH003 fail (score 40),
    # FW001 pass (score 80), FW002 pass (verdict) -> 3 of 5 = 0.6; by score alone it
    # would be 4 of 5 (80, 100, 80, 100 pass; 40 fails)
    assert an.headline["qc_pass_rate"] == pytest.approx(0.6)
    # the mean QA score is the rubric's, verdicts do not change it: (80+100+40+80+100)/5
    assert an.headline["qa_score_mean"] == pytest.approx(80.0)


def test_the_score_based_result_stays_in_the_workbook(seed_book):
    ws = openpyxl.load_workbook(seed_book, data_only=True)["监测表"]
    hdr = [c.value for c in ws[1]]
    verdict, result = hdr.index("质检员判定"), hdr.index("质检结果")
    assert verdict < result  # the reviewer's column is an input, the result is computed
    row3 = [c.value for c in ws[3]]
    assert row3[verdict] == "不合格(未同步仓库数据)"
    assert row3[result] == "合格"  # score 100: the score-based result, kept beside it


def test_a_text_that_is_no_verdict_is_an_error(tmp_path):
    path = build_workbook(
        tmp_path / "bad.xlsx", lang="en", monitoring=[_row("X1", 1, "咨询", 4, "so-so")]
    )
    data = read_workbook(path, lang="en")
    bad = [f for f in data.errors if f.key == "qc_verdict"]
    assert len(bad) == 1 and bad[0].value == "so-so"
    assert "allowed: Pass or Fail" in bad[0].rule


def test_summary_json_uses_the_verdicts(seed_book, tmp_path):
    assert csq(["report", str(seed_book), "-o", str(tmp_path), "--as-of", "2026-10-31"]) == 0
    summary = json.loads((tmp_path / "seed.summary.json").read_text(encoding="utf-8"))
    assert summary["qc_pass_rate"] == pytest.approx(0.6)


def test_a_channel_added_on_config_is_accepted(tmp_path):
    path = build_workbook(
        tmp_path / "c.xlsx", lang="zh", monitoring=[_row("C1", 1, "维修", 4, channel="视频客服")]
    )
    before = read_workbook(path)
    # not on a list yet: counted as typed, one warning (issue 20; it was an error before)
    assert before.errors == []
    assert [(f.code, f.value) for f in before.findings if f.code == "new_choice"] == [
        ("new_choice", "视频客服")
    ]
    wb = openpyxl.load_workbook(path)
    ref = wb.defined_names["CSQ_List_channel"].attr_text.split("!")
    cells = wb[ref[0].strip("'")][ref[1].replace("$", "")]
    blank = next(c[0] for c in cells if c[0].value is None)
    blank.value = "视频客服"  # the QA lead adds the channel to the Config list
    wb.save(path)
    after = read_workbook(path)
    assert after.errors == [] and not [f for f in after.findings if f.code == "new_choice"]
    assert list(after.monitoring["channel"]) == ["视频客服"]


def test_problem_category_dropdown_offers_the_problems_sheet(seed_book):
    ws = openpyxl.load_workbook(seed_book)["监测表"]
    hdr = [c.value for c in ws[1]]
    col = openpyxl.utils.get_column_letter(hdr.index("问题类别") + 1)
    dv = next(d for d in ws.data_validations.dataValidation if str(d.sqref).startswith(f"{col}2"))
    assert dv.type == "list" and dv.formula1 == "'问题分析'!$A$2:$A$201"
    assert dv.errorStyle == "warning"  # a new category can still be typed, after a warning


def _set_setting(path, key: str, value: object) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["配置"]
    row = next(r for r in range(1, 80) if ws.cell(r, 1).value == key)
    ws.cell(row, 3).value = value
    wb.save(path)


def test_times_typed_in_hours_and_minutes(tmp_path, capsys):
    """An hours-based template needs no conversion: set the unit on Config."""
    rows = [
        _row("H1", 1, "维修", 4, first_response_s=0.5, handle_time_s=1.5),  # 30 min, 90 min
        _row("H2", 2, "维修", 4, first_response_s=0.25, handle_time_s=0.5),  # 15 min, 30 min
    ]
    path = build_workbook(tmp_path / "h.xlsx", lang="zh", monitoring=rows, as_of=AS_OF)
    _set_setting(path, "first_response_unit", "h")
    _set_setting(path, "handle_time_unit", "小时")  # the Chinese word works too
    data = read_workbook(path)
    assert data.errors == []
    assert data.config.first_response_unit == "h" and data.config.handle_time_unit == "h"
    # 0.5 h = 1800 s, 0.25 h = 900 s; 1.5 h = 5400 s, 0.5 h = 1800 s
    assert list(data.monitoring["first_response_s"]) == [1800.0, 900.0]
    assert list(data.monitoring["handle_time_s"]) == [5400.0, 1800.0]
    an = analyse(data, AS_OF)
    assert an.headline["avg_first_response_s"] == pytest.approx((1800 + 900) / 2)
    # convert keeps the hours in the cells and the unit on Config
    out = tmp_path / "h-portable.xlsx"
    assert csq(["convert", str(path), "--portable", "-o", str(out)]) == 0
    back = read_workbook(out)
    assert back.config.first_response_unit == "h"
    assert list(back.monitoring["first_response_s"]) == [1800.0, 900.0]
    ws = openpyxl.load_workbook(out)["监测表"]
    hdr = [c.value for c in ws[1]]
    # the written header now says the Config unit (tests/test_unit_headers.py)
    assert ws.cell(2, hdr.index("首次响应(小时)") + 1).value == 0.5
    # a unit that is not s/min/h is named, with its cell
    _set_setting(path, "first_response_unit", "days")
    bad = [f for f in read_workbook(path, lang="en").findings if f.key == "first_response_unit"]
    assert len(bad) == 1 and "s / min / h" in bad[0].rule and bad[0].value == "days"


def test_first_response_band_cells_on_config_are_editable(tmp_path):
    path = build_workbook(tmp_path / "b.xlsx", lang="en")
    wb = openpyxl.load_workbook(path)
    ws = wb["Config"]
    row = next(r for r in range(1, 60) if ws.cell(r, 1).value == "team.first_response")
    bands, points = ws.cell(row, 7), ws.cell(row, 8)
    assert (bands.value, points.value) == ("30;60", "100;80;60")
    assert not bands.protection.locked and not points.protection.locked
    assert ws.protection.sheet  # the sheet is protected; these cells are still typed into
    bands.value, points.value = "20;40", "100;70;50"
    wb.save(path)
    ind = next(i for i in read_workbook(path).config.team_indicators if i.key == "first_response")
    assert ind.bands == (20, 40) and ind.points == (100, 70, 50)


def test_evaluation_form_has_a_weight_column(tmp_path):
    ws = openpyxl.load_workbook(build_workbook(tmp_path / "e.xlsx", lang="zh"))["评价表"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    hdr = next(r for r in rows if r[0] == "评价维度")
    assert hdr[7] == "评分说明" and hdr[8] == "权重与计分（CSQ）"
    notes = {r[0]: r[8] for r in rows[rows.index(hdr) + 1 :] if r[0]}
    # default weights 15/20/25/15/15/10 of 100: solving 25 %, records 10 %
    assert notes["问题解决能力"].startswith("权重 25%；5 分=100，4=80，3=60")
    assert notes["信息记录规范性"].startswith("权重 10%；")
    assert "首次响应" in notes["响应速度"]

"""Report and summary figures of a 10-contact workbook, checked against hand arithmetic.

The data is in ``tests/report_fixtures.py`` (8 contacts in 2026-10, the report period,
and 2 in 2026-09).  Every expected value below is worked out by hand in the comments,
independently of the code under test.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import report_fixtures
from report_fixtures import AS_OF, EVIL, workbook_data
from scipy import stats

from addin.report.summary import build_summary, write_summary
from addin.report.xlsx import write_report

# Scores (default weights speed 15, attitude 20, solving 25, knowledge 15, satisfaction 15,
# records 10; rubric x -> x*20 points):
#   C01 all 5 -> 100;  C02 all 4 -> 80;  C03 all 3 -> 60;
#   C04 speed N/A, rest 5 -> 100 (weights renormalised over 85);
#   C05 critical error -> 0;
#   C06 attitude 2, rest 4: (15*80 + 20*40 + 25*80 + 15*80 + 15*80 + 10*80)/100 = 72;
#   C07 unanswered, no ratings -> no score;
#   C08 records 3, rest 5: (90*100 + 10*60)/100 = 96.
# October: 8 contacts, 7 answered (C07 N) -> answer rate 7/8 = 0.875.
# FCR among the 7 answered: Y for C01 C03 C04 C06 C08 = 5 -> 5/7.
# CSAT rated: 5 4 3 5 2 4 (C06, C07 blank) -> mean 23/6; 4-5: four of six -> 2/3.
# NPS rated: 10 8 6 9 3 10 -> promoters 3, detractors (0-6) 2 -> (3-2)/6*100 = 16.67.
# First response (answered): 20 40 10 25 90 30 5 -> 220/7 = 31.43 s; <= 30 s: 5 of 7.
# QA score mean: (100+80+60+100+0+72+96)/7 = 508/7 = 72.571; QC pass (>= 60, no critical):
#   6 of 7.
# Composite (qa 30 "score", csat 30 rubric, fcr 25 percent, first response 15 bands):
#   30*508/7 + 30*(23/6)/5*100 + 25*500/7 + 15*80 (31.4 s is in the <=60 s band)
#   = 2177.143 + 2300.000 + 1785.714 + 1200 = 7462.857 -> /100 = 74.63 -> Pass (60..80).
HAND = {
    "contacts": 8,
    "answered": 7,
    "answer_rate": 0.875,
    "resolved_first_contact": 5,
    "fcr": 5 / 7,
    "csat_mean": 23 / 6,
    "csat_pct": 4 / 6,
    "nps": 100 / 6,
    "avg_first_response_s": 220 / 7,
    "service_level": 5 / 7,
    "qa_score_mean": 508 / 7,
    "qc_pass_rate": 6 / 7,
    "composite_score": 74.63,
}
# September: C09 all 4 -> 80, C10 all 5 -> 100: QA mean 90; CSAT 4.5; FCR 1; first response
# 15 s -> 100 points.  Composite = (30*90 + 30*90 + 25*100 + 15*100)/100 = 94.0 (Excellent).
SEPT_COMPOSITE = 94.0


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("rep")
    data = workbook_data()
    out = {
        lang: write_report(data, d / f"t1.{lang}.report.xlsx", lang=lang, as_of=AS_OF)
        for lang in ("zh", "en")
    }
    out["json"] = write_summary(d / "t1.summary.json", build_summary(data, AS_OF))
    return out


def _rows(path: Path, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]


def _value(rows: list[tuple], label: str, col: int = 1):
    for r in rows:
        if r and r[0] == label:
            return r[col]
    raise AssertionError(f"{label!r} not found")


def test_summary_json_headline_matches_hand_arithmetic(outputs: dict[str, Path]) -> None:
    s = json.loads(outputs["json"].read_text(encoding="utf-8"))
    for key, expected in HAND.items():
        assert s[key] == pytest.approx(expected, abs=1e-9), key
    assert s["grade"] == "pass"
    assert s["period"] == "2026-10"
    assert s["as_of"] == "2026-11-10"
    assert s["input_sha256"] == "ab" * 32
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", s["csq_version"])
    # fields that were never filled are "no data", not 0
    assert s["avg_handle_time_s"] is None and s["transfer_rate"] is None
    sept = next(p for p in s["periods"] if p["period"] == "2026-09")
    assert sept["contacts"] == 2 and sept["composite_score"] == pytest.approx(SEPT_COMPOSITE)


def test_summary_json_agents(outputs: dict[str, Path]) -> None:
    s = json.loads(outputs["json"].read_text(encoding="utf-8"))
    agents = {a["agent_id"]: a for a in s["agents"]}
    # A1 in October: C01-C04, scores 100 80 60 100 -> mean 85; CSAT 5 4 3 5 -> 4.25;
    # FCR 3/4; first response 20 40 10 25 -> 23.75 s -> 100 points.
    # Composite = (30*85 + 30*85 + 25*75 + 15*100)/100 = 84.75 (Good); 4 scored >= minimum 4.
    assert agents["A1"]["rank"] == 1
    assert agents["A1"]["composite_score"] == pytest.approx(84.75)
    assert agents["A1"]["grade"] == "good"
    # A2: C05-C08, only 3 scored contacts (C07 unanswered) < 4 -> listed, not ranked
    assert agents["A2"]["rank"] is None and agents["A2"]["scored"] == 3


def test_overview_sheet_shows_the_same_figures(outputs: dict[str, Path]) -> None:
    rows = _rows(outputs["en"], "Overview")
    assert rows[0][0] == "Customer-service quality report — T1 · 2026-10"  # team and period
    assert _value(rows, "Overall composite score") == pytest.approx(74.63)
    assert _value(rows, "Overall grade") == "Pass"
    assert _value(rows, "Sample size (contacts in period)") == 8
    assert _value(rows, "Contacts in the workbook") == 10
    assert _value(rows, "Answer rate") == pytest.approx(0.875)
    assert _value(rows, "NPS") == pytest.approx(100 / 6)
    assert _value(rows, "Avg handle time (s)") == "no data"
    assert _value(rows, "Channels") == "Phone, Chat, Email"
    zh = _rows(outputs["zh"], "概览")
    assert zh[0][0] == "客服质量评价报告 — T1 · 2026年10月"
    assert _value(zh, "综合得分") == pytest.approx(74.63)
    assert _value(zh, "综合等级") == "合格"


def test_indicators_change_vs_previous_and_absent_vs_year_ago(outputs: dict[str, Path]) -> None:
    rows = _rows(outputs["en"], "Indicators")
    csat = next(r for r in rows if r[1] == "CSAT")
    # value 23/6 = 3.833, previous month 4.5 -> MoM -0.667; no data in 2025-10 -> YoY blank
    assert csat[3] == "rating 1-5"  # every line names the unit of its value
    assert csat[4] == pytest.approx(23 / 6)
    assert csat[6] == pytest.approx(4.5)
    assert csat[7] == pytest.approx(23 / 6 - 4.5)
    # Welch's t on October's ratings against September's (scipy): within noise -> stable
    m = report_fixtures.monitoring()
    oct_, sep_ = (m[m["period"] == p]["csat"].dropna() for p in ("2026-10", "2026-09"))
    assert stats.ttest_ind(oct_, sep_, equal_var=False).pvalue >= 0.05
    assert csat[8] == "stable"
    assert csat[10] is None and csat[11] is None
    # FCR 5/7 (a rate, in %) = 71.43 points; September 100 %
    fcr = next(r for r in rows if r[1] == "First-contact resolution")
    assert fcr[3] == "%" and fcr[4] == pytest.approx(5 / 7) and fcr[6] == 1.0
    assert fcr[5] == pytest.approx(500 / 7, abs=0.01)
    assert fcr[7] == pytest.approx((5 / 7 - 1) * 100)  # a rate's change in points, not %
    # a group of one indicator has no group line (it would only repeat that line's points)
    assert not any(r[1] == "Result (group score)" for r in rows)
    # the rubric group "attitude" (attitude + satisfaction) keeps its group score, in points
    attitude = [r for r in rows if r[1] == "Attitude (group score)"]
    assert len(attitude) == 1 and attitude[0][3] == "points 0-100" and attitude[0][4] is None


def test_agent_ranking_sheet(outputs: dict[str, Path]) -> None:
    rows = _rows(outputs["en"], "Agents")
    listed = [r for r in rows if r[1] in ("A1", "A2")]
    assert len(listed) == 2  # a short ranking is printed once (no Top 3 / Bottom 3 lists)
    top = listed[0]
    assert top[0] == 1 and top[1] == "A1" and top[9] == pytest.approx(84.75)
    a2 = [r for r in listed if r[1] == "A2"][0]
    assert a2[0] is None and "fewer than 4" in a2[11]


def test_pareto_sheet(outputs: dict[str, Path]) -> None:
    rows = _rows(outputs["en"], "Pareto")
    start = next(i for i, r in enumerate(rows) if r[0] == "Problem") + 1
    table = [r[:5] for r in rows[start:] if r[0]]
    # October categories: 等待过长 2 (C02, C07), 解答错误 2 (C03, C05), 态度问题 1, 其他 1 = 6;
    # "系统卡顿" is only in September.  Cumulative 2/6, 4/6, 5/6, 6/6; 态度问题 starts at
    # 4/6 < 80 % -> A; 其他 (always last) starts at 5/6 >= 80 % -> B.
    assert [r[0] for r in table] == ["等待过长", "解答错误", "态度问题", "其他"]
    assert [r[1] for r in table] == [2, 2, 1, 1]
    assert [round(r[3], 4) for r in table] == [round(x / 6, 4) for x in (2, 4, 5, 6)]
    assert [r[4] for r in table] == ["A", "A", "A", "B"]
    # root causes joined from the Problems sheet
    assert rows[start][6] == "排班模型过时"
    assert "80% line" not in rows[start - 1]  # the class-A line's helper column is not printed


def test_actions_overdue_and_effect(outputs: dict[str, Path]) -> None:
    rows = _rows(outputs["en"], "Actions")
    assert _value(rows, "Overdue", 2) == 1  # action 3: planned 2026-11-01, open on 2026-11-10
    assert _value(rows, "Done late", 2) == 1  # action 2: 2026-10-25 vs planned 2026-10-20
    assert _value(rows, "Cancelled", 2) == 1
    overdue_at = next(i for i, r in enumerate(rows) if r[0] == "Overdue actions")
    overdue = rows[overdue_at + 2]
    assert overdue[0] == "3" and overdue[8] == 9  # 2026-11-10 - 2026-11-01 = 9 days
    assert overdue[7] == "Overdue by 9 days"  # after owner and cooperating dept
    # effect: action 2 first response 45 -> 31.4 against target 35 (lower is better): met;
    # action 1 FCR 0.6 -> 0.714 against target 0.75: not met
    effect: dict[str, Any] = {}
    for r in rows:  # the typed effect table (the re-measured one follows it)
        if r[0] in ("1", "2") and r[2] in ("FCR", "首次响应"):
            effect.setdefault(r[0], r)
    assert effect["2"][7] == "Yes" and effect["2"][6] == pytest.approx(31.4 - 45)
    assert effect["1"][7] == "No"


def test_typical_cases_masked_and_formula_text_stays_text(outputs: dict[str, Path]) -> None:
    rows = _rows(outputs["en"], "Cases")
    good_at = next(i for i, r in enumerate(rows) if r[0] == "Contact ID")
    good = [r[0] for r in rows[good_at + 1 : good_at + 4]]
    # a good case carries no problem tag: C01 and C04 (100 each); C08 (96) is tagged 其他
    assert good[:2] == ["C01", "C04"] and good[2] is None
    bad_at = next(i for i, r in enumerate(rows) if r[0] == "Contact ID" and i > good_at)
    assert [r[0] for r in rows[bad_at + 1 : bad_at + 4]] == ["C05", "C03", "C06"]  # 0, 60, 72
    c05 = next(r for r in rows if r[0] == "C05")
    assert c05[4] == "****0004"  # CU000004 masked to its last 4 characters


def test_case_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    data = workbook_data()
    mon = data.monitoring
    mon.loc[mon["contact_id"] == "C08", "problem_category"] = None  # now a good case
    out = write_report(data, tmp_path / "c.xlsx", lang="en", as_of=AS_OF)
    rows = _rows(out, "Cases")
    c08 = next(r for r in rows if r[0] == "C08")
    assert c08[4] == "*******8000"
    assert c08[9] == EVIL  # the description is there, as text
    wb = openpyxl.load_workbook(out)
    cell = next(c for row in wb["Cases"].iter_rows() for c in row if c.value == EVIL)
    assert cell.data_type == "s"


def test_no_formula_and_no_raw_customer_id_anywhere(outputs: dict[str, Path]) -> None:
    for key in ("zh", "en"):
        with zipfile.ZipFile(outputs[key]) as z:
            for name in z.namelist():
                text = z.read(name).decode("utf-8", errors="replace")
                assert "<f>" not in text and "<f " not in text, name
                assert "13800138000" not in text and "CU000001" not in text, name
    text = outputs["json"].read_text(encoding="utf-8")
    assert "13800138000" not in text and "CU00000" not in text


def test_native_charts_titled_with_source_period_and_unit(outputs: dict[str, Path]) -> None:
    with zipfile.ZipFile(outputs["en"]) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        xml = {n: z.read(n).decode("utf-8") for n in charts}
    # channel efficiency, CSAT trend, score trend, hours, Pareto, problem-type pie
    assert len(charts) == 6
    titles = {n: "".join(re.findall(r"<a:t>([^<]*)</a:t>", x)) for n, x in xml.items()}
    for title in titles.values():
        assert "team_t1.xlsx" in title and "2026-10" in title
    joined = " | ".join(titles.values())
    assert "trend (points 0-100)" in joined and "2026-05 – 2026-10" in joined
    assert "CSAT mean, last 6 periods (mean rating 1-5)" in joined
    assert "Efficiency by channel (seconds; service level %)" in joined
    assert "Contacts and average first response by hour (contacts; seconds)" in joined
    assert "Problem types (share of problems)" in joined
    pie = next(x for n, x in xml.items() if "Problem types" in titles[n])
    assert "<c:pieChart>" in pie
    trend = next(x for n, x in xml.items() if "composite score trend" in titles[n])
    assert "<c:dLbls>" not in trend  # two lines: no labels printed on top of each other
    pareto = next(x for n, x in xml.items() if "Pareto" in titles[n])
    # bars plus a line chart (cumulative + 80 % line) on a secondary axis
    assert "<c:barChart>" in pareto and "<c:lineChart>" in pareto
    assert pareto.count("<c:valAx>") == 2
    assert "80% line" in pareto


def test_long_tables_repeat_their_header_when_printed(outputs: dict[str, Path]) -> None:
    # the Actions sheet's list of every action repeats its header row on each page
    with zipfile.ZipFile(outputs["en"]) as z:
        book = z.read("xl/workbook.xml").decode("utf-8")
    titles = re.findall(r'<definedName name="_xlnm.Print_Titles"[^>]*>([^<]*)<', book)
    assert any(t.startswith("Actions!$") for t in titles), titles


def test_rendered_page_defects_stay_fixed(outputs: dict[str, Path]) -> None:
    """What the rendered pages showed (issue 10, item 7), checked in the workbook."""
    wb = openpyxl.load_workbook(outputs["en"])
    # a header too wide for its column breaks before its bracket: ")" never alone
    rows = wb["Channels"].iter_rows()
    heads = [c.value for c in next(r for r in rows if r[0].value == "Channel" and r[1].value)]
    assert "CSAT mean\n(1-5)" in heads
    # the SHA-256 spans the table's width instead of running past its cell
    method = wb["Method"]
    sha_row = next(r[0].row for r in method.iter_rows() if r[0].value == "Input SHA-256")
    assert any(str(m).startswith(f"B{sha_row}:") for m in method.merged_cells.ranges)
    # no configuration JSON dumped onto the Method page
    assert not any(
        isinstance(c.value, str) and c.value.lstrip().startswith(("{", '"contact_indicators"'))
        for row in method.iter_rows()
        for c in row
    )
    # every sheet prints landscape
    assert all(ws.page_setup.orientation == "landscape" for ws in wb.worksheets)

"""Targets, findings with recommendations and peak hours on a workbook built for them.

May 2024 (the report period), 20 contacts, every figure worked out by hand:
- agent A1: 10 contacts on Monday 6 May, 5 at 10:xx and 5 at 11:xx; first response 10 s,
  CSAT 5, resolved at first contact; rubric 5 except knowledge 3 -> score
  (15+20+25+15+10)*100 + 15*60 = 9400 / 100 = 94.
- agent A2: 6 contacts on Friday 10 May, 3 at 20:xx and 3 at 21:xx; first response 60 s,
  CSAT 3, not resolved; rubric all 2 -> score 40 (below the pass mark 60); problem 等待过长.
- agent A3: 4 contacts on Sunday 12 May at 14:xx; first response 20 s, CSAT 4, resolved;
  rubric 4 except knowledge 3 -> (85*80 + 15*60)/100 = 77; problem 解答错误.
April 2024 (previous period): 4 contacts of A1, all resolved at first contact (FCR 100 %).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from addin.report.summary import build_summary
from udfs.core.analysis import analyse
from udfs.core.config import ScoringConfig
from udfs.core.data import WorkbookData
from udfs.core.targets import DEFAULT_TARGETS

AS_OF = dt.date(2024, 6, 10)
DIMS = ("speed", "attitude", "solving", "knowledge", "satisfaction", "records")
MY_KNOWLEDGE_ADVICE = "产品知识考试，合格线 95 分，每月一次"


def _contact(n: int, agent: str, t: str, fr: float, csat: int, fcr: int, dims: dict) -> dict:
    return {
        "contact_id": f"K{n:03d}",
        "contact_time": pd.Timestamp(t),
        "agent_id": agent,
        "answered": 1.0,
        "first_response_s": fr,
        "csat": float(csat),
        "resolved_first_contact": float(fcr),
        **{d: float(dims.get(d, dims["*"])) for d in DIMS},
        "problem_category": {"A2": "等待过长", "A3": "解答错误"}.get(agent),
    }


def _monitoring() -> pd.DataFrame:
    rows = []
    a1 = {"*": 5, "knowledge": 3}
    for i in range(10):
        rows.append(_contact(i, "A1", f"2024-05-06 {10 + i // 5}:{i * 5:02d}", 10, 5, 1, a1))
    for i in range(6):
        rows.append(
            _contact(20 + i, "A2", f"2024-05-10 {20 + i // 3}:{i * 7:02d}", 60, 3, 0, {"*": 2})
        )
    for i in range(4):
        rows.append(
            _contact(30 + i, "A3", f"2024-05-12 14:{i * 9:02d}", 20, 4, 1, {"*": 4, "knowledge": 3})
        )
    for i in range(4):
        rows.append(_contact(40 + i, "A1", f"2024-04-0{i + 1} 10:00", 10, 5, 1, a1))
    df = pd.DataFrame(rows)
    df["period"] = df["contact_time"].dt.strftime("%Y-%m")
    df["_row"] = range(2, len(df) + 2)
    return df


def _data(tables: dict | None = None) -> WorkbookData:
    problems = pd.DataFrame(
        [("等待过长", "晚间排班不足", "排班按日均来电量制定", "process")],
        columns=["problem", "direct_cause", "root_cause", "cause_category"],
    )
    actions = pd.DataFrame(
        [
            {
                "action_no": "1",
                "measure": "晚班增加 2 人",
                "planned_date": pd.Timestamp("2024-05-20"),
                "actual_date": pd.NaT,
            }
        ]
    )
    if tables is None:
        tables = {
            "targets": [
                {"kpi": "fcr", "target": 85.0, "direction": "higher"},  # per cent -> 0.85
                {"kpi": "avg_first_response_s", "target": 30.0, "direction": "越低越好"},
                {"kpi": "csat_mean", "target": 4.0, "direction": None},  # blank -> higher
            ],
            "recommendations": [{"key": "knowledge", "recommendation": MY_KNOWLEDGE_ADVICE}],
        }
    return WorkbookData(
        "purpose.xlsx",
        _monitoring(),
        problems,
        actions,
        ScoringConfig(min_agent_sample=1),
        population=400,
        config_tables=tables,
    )


@pytest.fixture(scope="module")
def summary() -> dict:
    data = _data()
    return build_summary(data, AS_OF, analyse(data, AS_OF), lang="zh")


def test_targets_against_the_workbook_table(summary: dict) -> None:
    # FCR 14/20 = 0.70 against 0.85 (typed as 85); first response (10*10 + 6*60 + 4*20)/20
    # = 540/20 = 27 s against 30 s, lower is better; CSAT mean (10*5 + 6*3 + 4*4)/20 = 4.2
    t = summary["targets"]
    assert set(t) == {"fcr", "avg_first_response_s", "csat_mean"}
    assert t["fcr"] == {
        "target": 0.85,
        "value": pytest.approx(0.70),
        "gap": pytest.approx(-0.15),
        "met": False,
    }
    assert t["avg_first_response_s"]["met"] is True
    assert t["avg_first_response_s"]["gap"] == pytest.approx(27 - 30)
    assert t["csat_mean"]["met"] is True and t["csat_mean"]["gap"] == pytest.approx(0.2)


def test_default_targets_without_a_table() -> None:
    an = analyse(_data({}), AS_OF)
    assert an.targets["fcr"].target == 0.85  # the seed example report's target
    assert {c.kpi for c in an.targets.values()} <= {t.kpi for t in DEFAULT_TARGETS}


def test_every_missed_target_has_a_finding(summary: dict) -> None:
    missed = {k for k, v in summary["targets"].items() if not v["met"]}
    target_findings = [f for f in summary["findings"] if f["kind"] == "target"]
    assert {f["metric"] for f in target_findings} == missed == {"fcr"}
    f = target_findings[0]
    assert (f["value"], f["comparison"]) == (pytest.approx(0.70), 0.85)
    assert "70.0%" in f["text"] and "85.0%" in f["text"] and "15.0" in f["text"]
    assert f["recommendation"]  # from the library (fcr)
    assert summary["findings"][0]["kind"] == "target"  # misses come first


def test_findings_cover_changes_pareto_dimensions_agents_actions_sample(summary: dict) -> None:
    kinds = [f["kind"] for f in summary["findings"]]
    # moves against April: first response 10 s -> 27 s (+170 %, the biggest); FCR, CSAT %,
    # service level and QC pass rate all 100 % -> 70 % (30 points); QA score 94 -> 74.4
    # (-21 %), CSAT mean 5 -> 4.2 (-16 %).  Beyond sampling noise (Welch, April's 4 equal
    # values against May's 20): first response t = 17 / sqrt(9620/19/20) = 3.38, QA score and
    # CSAT mean likewise; the 30-point rate moves are 4/4 against 14/20 (pooled z = 1.26,
    # p = 0.21): within noise.  The significant moves come first; three are named.
    changes = [f for f in summary["findings"] if f["kind"] == "change"]
    assert [f["metric"] for f in changes] == ["avg_first_response_s", "qa_score_mean", "csat_mean"]
    qa = changes[1]
    assert (qa["value"], qa["comparison"]) == (pytest.approx(74.4), pytest.approx(94))
    assert "94.0" in qa["text"] and "74.4" in qa["text"] and "下滑" in qa["text"]
    # Pareto: 等待过长 6 of 10 (60 %) then 解答错误 4 (cumulative 100 %, crosses 80 %): both A
    pareto = [f for f in summary["findings"] if f["kind"] == "pareto"]
    assert [f["metric"] for f in pareto] == ["等待过长", "解答错误"]
    assert "排班按日均来电量制定" in pareto[0]["text"] and "流程" in pareto[0]["text"]
    assert pareto[0]["recommendation"].startswith("梳理并简化")  # the process advice
    assert "尚未记录根本原因" in pareto[1]["text"]
    # knowledge: (10*3 + 6*2 + 4*3)/20 = 2.7, the weakest; the workbook's own advice is used
    weak = [f for f in summary["findings"] if f["kind"] == "weak_dimension"]
    assert weak[0]["metric"] == "knowledge" and weak[0]["value"] == pytest.approx(2.7)
    assert weak[0]["recommendation"] == MY_KNOWLEDGE_ADVICE
    assert len(weak) <= 2
    below = next(f for f in summary["findings"] if f["kind"] == "below_pass")
    assert "A2" in below["text"] and "A1" not in below["text"] and "A3" not in below["text"]
    assert below["value"] == pytest.approx(40)
    overdue = next(f for f in summary["findings"] if f["kind"] == "overdue")
    assert overdue["comparison"] == 21  # planned 20 May, as of 10 June
    # 20 sampled of 400 handled = 5 % < 10 %
    sample = next(f for f in summary["findings"] if f["kind"] == "sample")
    assert sample["value"] == pytest.approx(0.05) and "400" in sample["text"]
    # the reader found nothing; the low sampling ratio is the one data-quality warning
    dq = next(f for f in summary["findings"] if f["kind"] == "data_quality")
    assert "0 个数据质量错误、1 个警告" in dq["text"]
    assert kinds.index("target") < kinds.index("change") < kinds.index("pareto")


def test_by_hour_and_the_worst_band(summary: dict) -> None:
    h = summary["by_hour"]
    assert [e["hour"] for e in h] == list(range(24))
    assert h[10] == {
        "hour": 10,
        "contacts": 5,
        "avg_first_response_s": 10,
        "service_level": 1.0,
        "csat_mean": 5,
    }
    assert h[20]["contacts"] == 3 and h[20]["avg_first_response_s"] == 60
    assert h[20]["service_level"] == 0.0 and h[20]["csat_mean"] == 3
    assert h[0] == {
        "hour": 0,
        "contacts": 0,
        "avg_first_response_s": None,
        "service_level": None,
        "csat_mean": None,
    }
    assert sum(e["contacts"] for e in h) == 20
    wd = {e["weekday"]: e["contacts"] for e in summary["by_weekday"]}
    assert wd == {0: 10, 1: 0, 2: 0, 3: 0, 4: 6, 5: 0, 6: 4}
    # 20:00-22:00: 6 contacts at 60 s, service level 0; the other 14: (10*10 + 4*20)/14
    # = 12.86 s, service level 1 -> clearly worse
    peak = next(f for f in summary["findings"] if f["kind"] == "peak_hours")
    assert peak["value"] == 60 and peak["comparison"] == pytest.approx(180 / 14)
    assert peak["text"].startswith("20:00-22:00")


def test_no_peak_finding_when_the_hours_are_alike() -> None:
    data = _data()
    data.monitoring["first_response_s"] = 20.0
    an = analyse(data, AS_OF)
    assert an.peak_band is None
    assert all(f.kind != "peak_hours" for f in an.conclusions)


def test_findings_in_english() -> None:
    data = _data()
    s = build_summary(data, AS_OF, analyse(data, AS_OF), lang="en")
    f = next(f for f in s["findings"] if f["kind"] == "target")
    assert (
        f["text"]
        == "First-contact resolution (FCR) 70.0%, short of the 85.0% target by 15.0 points."
    )
    assert f["recommendation"].startswith("Analyse the contacts not resolved")


def test_pareto_key(summary: dict) -> None:
    assert summary["pareto"] == [
        {"problem": "等待过长", "count": 6, "share": 0.6, "cumulative": 0.6, "class": "A"},
        {"problem": "解答错误", "count": 4, "share": 0.4, "cumulative": 1.0, "class": "A"},
    ]


def test_an_unedited_default_row_follows_the_report_language() -> None:
    from udfs.core.recommendations import DEFAULT_RECOMMENDATIONS, library_from_rows

    en, zh = DEFAULT_RECOMMENDATIONS["process"]
    rows = [
        {"key": "process", "recommendation": zh},  # as a Chinese workbook holds it
        {"key": "knowledge", "recommendation": MY_KNOWLEDGE_ADVICE},  # edited
    ]
    assert library_from_rows(rows, "en")["process"] == en
    assert library_from_rows(rows, "en")["knowledge"] == MY_KNOWLEDGE_ADVICE
    assert library_from_rows(None, "zh")["process"] == zh


def test_targets_table_edited_in_a_real_workbook(tmp_path) -> None:
    """The Config sheet's KPI targets table, edited as a user would, drives the targets."""
    import openpyxl

    from addin.read.workbook import read_workbook
    from workbook_templates.builder import build_workbook

    m = _monitoring().drop(columns=["_row", "period"])
    for c in ("answered", "resolved_first_contact"):
        m[c] = m[c].map({1.0: "Y", 0.0: "N"})
    path = build_workbook(tmp_path / "t.xlsx", lang="en", monitoring=m, as_of=AS_OF)
    wb = openpyxl.load_workbook(path)
    ws = wb["Config"]
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == "First-contact resolution (FCR)":  # the KPI's label
            ws.cell(r, 3).value = 70  # per cent, as typed
        if ws.cell(r, 1).value == "Service level":
            for c in range(1, 5):
                ws.cell(r, c).value = None  # the row deleted: no target
    wb.save(path)
    data = read_workbook(path)
    an = analyse(data, AS_OF)
    assert an.targets["fcr"].target == 0.70 and an.targets["fcr"].met  # 14/20 = 0.70
    assert "service_level" not in an.targets
    assert an.targets["csat_mean"].target == 4.5  # the untouched default row
    assert not [f for f in an.conclusions if f.kind == "target" and f.metric == "fcr"]

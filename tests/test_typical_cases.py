"""Typical cases can be trusted: the rules hold for the team report and every feedback file.

Good case: score at or above the Good mark (80 by default), no critical error, no problem
category, no failing verdict, no coaching note.  Case to improve: below Good (a score under
80 or a failing QC result).  No contact is good in one output and to improve in another.
Checked over generated workbooks (hypothesis) against the input rows themselves.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from udfs.core.analysis import analyse
from udfs.core.config import ScoringConfig
from udfs.core.data import WorkbookData
from udfs.core.feedback import agent_feedback

DIMS = ("speed", "attitude", "solving", "knowledge", "satisfaction", "records")
NOTES = (None, "标杆录音：一次解决", "需辅导：未核实信息即答复", "Coaching: check the facts", "ok")
VERDICTS = (None, None, "合格", "不合格", "不合格(未同步仓库数据)")
AS_OF = dt.date(2024, 6, 10)

row = st.fixed_dictionaries(
    {
        "agent_id": st.sampled_from(("A1", "A2", "A3")),
        "ratings": st.one_of(
            st.just((None,) * 6),
            st.tuples(*[st.sampled_from((1, 2, 3, 4, 5, 5, 5)) for _ in DIMS]),
        ),
        "critical_error": st.sampled_from((None, None, None, "泄露隐私")),
        "problem_category": st.sampled_from((None, None, "解答错误")),
        "qc_note": st.sampled_from(NOTES),
        "problem_description": st.sampled_from((None, "客户询问物流", "需改进：语速过快")),
        "qc_verdict": st.sampled_from(VERDICTS),
    }
)


def _data(rows: list[dict]) -> WorkbookData:
    recs = []
    for i, r in enumerate(rows):
        recs.append(
            {
                "contact_id": f"C{i:03d}",
                "contact_time": pd.Timestamp("2024-05-01 09:00") + pd.Timedelta(hours=i),
                "channel": "phone",
                "agent_id": r["agent_id"],
                "customer_id": f"CU{i:04d}",
                "answered": 1.0,
                **{
                    d: (np.nan if v is None else float(v))
                    for d, v in zip(DIMS, r["ratings"], strict=True)
                },
                "critical_error": r["critical_error"],
                "problem_category": r["problem_category"],
                "problem_description": r["problem_description"],
                "qc_note": r["qc_note"],
                "qc_verdict": r["qc_verdict"],
                "_row": i + 2,
            }
        )
    df = pd.DataFrame(recs)
    df["period"] = df["contact_time"].dt.strftime("%Y-%m")
    return WorkbookData(
        path="t.xlsx",
        monitoring=df,
        problems=pd.DataFrame(),
        actions=pd.DataFrame(),
        config=ScoringConfig(min_agent_sample=1),
    )


def _coaching(text: object) -> bool:
    t = str(text or "").casefold()
    return any(w in t for w in ("辅导", "需改进", "coach"))


def _check(part: pd.DataFrame, data: WorkbookData, good: bool) -> set[str]:
    src = data.monitoring.set_index("contact_id")
    assert len(part) <= 3
    for _, case in part.iterrows():
        r = src.loc[case["contact_id"]]
        verdict_fail = isinstance(r["qc_verdict"], str) and r["qc_verdict"].startswith("不合格")
        if good:
            assert case["score"] >= 80 and case["grade"] in ("good", "excellent")
            assert pd.isna(r["critical_error"]) and pd.isna(r["problem_category"])
            assert not verdict_fail
            assert not _coaching(r["qc_note"]) and not _coaching(r["problem_description"])
        else:
            assert (pd.notna(case["score"]) and case["score"] < 80) or verdict_fail
    return set(part["contact_id"])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(st.lists(row, min_size=1, max_size=18))
def test_case_rules_hold_in_the_team_report_and_every_feedback_file(rows: list[dict]) -> None:
    data = _data(rows)
    an = analyse(data, AS_OF)
    good = _check(an.good_cases, data, good=True)
    bad = _check(an.bad_cases, data, good=False)
    for view in agent_feedback(data, an):
        good |= _check(view.good_cases, data, good=True)
        bad |= _check(view.bad_cases, data, good=False)
        for part in (view.good_cases, view.bad_cases):
            assert set(part["agent_id"].astype(str)) <= {view.agent_id}
    assert not good & bad  # never good in one output and to improve in another


def _row(agent: str, level: int, note: str | None = None, verdict: str | None = None) -> dict:
    return {
        "agent_id": agent,
        "ratings": (level,) * 6 if level else (None,) * 6,
        "critical_error": None,
        "problem_category": None,
        "qc_note": note,
        "problem_description": None,
        "qc_verdict": verdict,
    }


def test_a_described_coaching_contact_is_never_a_good_case() -> None:
    # the demo's bug: a 60-point contact noted "需辅导" outranked a 100-point one without text
    data = _data([_row("A1", 3, "需辅导：未核实信息即答复"), _row("A1", 5)])
    an = analyse(data, AS_OF)
    assert list(an.good_cases["contact_id"]) == ["C001"]
    assert list(an.bad_cases["contact_id"]) == ["C000"]
    (view,) = agent_feedback(data, an)
    assert list(view.good_cases["contact_id"]) == ["C001"]
    assert list(view.bad_cases["contact_id"]) == ["C000"]


def test_cases_to_improve_are_not_padded_with_high_scores() -> None:
    data = _data([_row("A1", 5), _row("A1", 5), _row("A1", 5), _row("A1", 5), _row("A1", 2)])
    an = analyse(data, AS_OF)
    assert list(an.bad_cases["contact_id"]) == ["C004"]
    assert len(an.good_cases) == 3


def test_a_contact_judged_only_by_a_typed_verdict_can_be_a_case_to_improve() -> None:
    data = _data([_row("A1", 0, verdict="不合格(未同步仓库数据)"), _row("A1", 0, verdict="合格")])
    an = analyse(data, AS_OF)
    assert list(an.bad_cases["contact_id"]) == ["C000"]
    assert not len(an.good_cases)  # a pass verdict alone is not a grade of Good

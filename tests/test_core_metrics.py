"""SPEC section 5 metrics on a small table worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from udfs.core import score_frame
from udfs.core.metrics import breakdown, nps, repeat_flags, summary

Y, N, NA = 1.0, 0.0, np.nan


@pytest.fixture()
def table() -> pd.DataFrame:
    # 6 contacts; contact 4 was never answered (no times, no ratings)
    return pd.DataFrame(
        {
            "contact_id": ["c1", "c2", "c3", "c4", "c5", "c6"],
            "contact_time": pd.to_datetime(
                [
                    "2024-06-01 09:00",
                    "2024-06-10 10:00",
                    "2024-06-20 11:00",
                    "2024-06-21 12:00",
                    "2024-07-15 13:00",
                    "2024-06-02 08:00",
                ]
            ),
            "agent_id": ["a1", "a1", "a2", "a2", "a2", "a1"],
            "customer_id": ["C1", "C1", "C2", "C3", "C1", None],
            "answered": [Y, Y, Y, N, Y, Y],
            "resolved_first_contact": [Y, N, Y, NA, Y, N],
            "transferred": [N, Y, N, NA, N, N],
            "first_response_s": [10, 45, 30, NA, 90, 20],
            "handle_time_s": [300, 600, 200, NA, 400, 500],
            "csat": [5, 3, 4, NA, 2, NA],
            "nps": [10, 6, 9, NA, 8, NA],
            "speed": [5, 4, 5, NA, 3, 5],
            "attitude": [5, 4, 5, NA, 3, 5],
            "solving": [5, 4, 5, NA, 3, 5],
            "knowledge": [5, 4, 5, NA, 3, 5],
            "satisfaction": [5, 4, 5, NA, 3, 5],
            "records": [5, 4, 5, NA, 3, 5],
            "critical_error": [None, None, None, None, None, "leaked card number"],
        }
    )


def test_summary_by_hand(table: pd.DataFrame) -> None:
    s = summary(score_frame(table))
    assert s["contacts"] == 6
    assert s["answered"] == 5
    assert s["answer_rate"] == pytest.approx(5 / 6)
    # answered contacts: c1 Y, c2 N, c3 Y, c5 Y, c6 N -> 3 of 5
    assert s["resolved_first_contact"] == 3
    assert s["fcr"] == pytest.approx(3 / 5)
    # rated: 5, 3, 4, 2 -> mean 3.5; 4-5: two of four
    assert s["csat_mean"] == pytest.approx(3.5)
    assert s["csat_pct"] == pytest.approx(0.5)
    # nps 10, 6, 9, 8: promoters 2/4, detractors 1/4 -> 25 points
    assert s["nps"] == pytest.approx(25.0)
    # first response over answered with a value: 10, 45, 30, 90, 20 -> 39 s; <=30 s: 3 of 5
    assert s["avg_first_response_s"] == pytest.approx(39.0)
    assert s["service_level"] == pytest.approx(0.6)
    assert s["transfer_rate"] == pytest.approx(1 / 5)
    # scores: c1 100, c2 80, c3 100, c4 none, c5 60, c6 0 (critical) -> mean 68
    assert s["qa_score_mean"] == pytest.approx(68.0)
    # pass: score >= 60 and no critical error: c1, c2, c3, c5 -> 4 of 5 scored
    assert s["qc_pass_rate"] == pytest.approx(0.8)
    # repeat: C1 at 06-01, 06-10 (9 days: repeat), 07-15 (35 days after 06-10: not);
    # C2 once, C3 once; c6 has no id -> 1 of 5 contacts with an id
    assert s["repeat_rate"] == pytest.approx(1 / 5)
    # composite: qa 68 (w30), csat 3.5/5*100=70 (w30), fcr 60 (w25), 39 s -> band 80 (w15)
    # = (2040 + 2100 + 1500 + 1200) / 100 = 68.4
    expected = (68 * 30 + 70 * 30 + 60 * 25 + 80 * 15) / 100
    assert s["composite_score"] == pytest.approx(round(expected, 2))
    assert s["grade"] == "pass"  # 68.4


def test_missing_fields_report_no_data_not_zero() -> None:
    t = pd.DataFrame(
        {"contact_id": ["x"], "agent_id": ["a"], "contact_time": pd.to_datetime(["2024-01-01"])}
    )
    s = summary(score_frame(t))
    for key in (
        "answer_rate",
        "fcr",
        "csat_mean",
        "nps",
        "service_level",
        "qa_score_mean",
        "qc_pass_rate",
        "repeat_rate",
        "composite_score",
        "grade",
    ):
        assert s[key] is None, key
    assert s["answered"] == 1  # without an answered column every contact counts as answered


def test_breakdown_per_agent_keeps_cross_agent_repeats(table: pd.DataFrame) -> None:
    b = breakdown(score_frame(table), "agent_id").set_index("agent_id")
    assert b.loc["a1", "contacts"] == 3 and b.loc["a2", "contacts"] == 3
    # a1: c1 (100), c2 (80), c6 (0) -> 60; a2: c3 100, c5 60 -> 80
    assert b.loc["a1", "qa_score_mean"] == pytest.approx(60)
    assert b.loc["a2", "qa_score_mean"] == pytest.approx(80)
    # a1 has c2 which repeats C1's 06-01 contact: 1 of 2 contacts with an id
    assert b.loc["a1", "repeat_rate"] == pytest.approx(0.5)


def test_nps_extremes() -> None:
    assert nps([10, 9, 10]) == 100
    assert nps([0, 6, 3]) == -100
    assert nps([7, 8]) == 0
    assert nps([np.nan]) is None


def test_repeat_window_is_inclusive_of_30_days() -> None:
    times = pd.to_datetime(["2024-01-01", "2024-01-31", "2024-03-02"])
    flags = repeat_flags(["A", "A", "A"], times, 30)
    assert list(flags) == [0, 1, 0]  # 30 days: repeat; 31 days: not

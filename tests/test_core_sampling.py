"""The stratified QA sample and the population figures (udfs.core.sampling).

Quotas and figures are worked out by hand in the comments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from udfs.core.errors import UsageError
from udfs.core.sampling import (
    SamplePlan,
    draw,
    in_period,
    population_rows,
    quota,
    stratum_labels,
)


def test_quota_is_ceil_of_ratio_and_at_least_min() -> None:
    # sizes 30, 7, 2, 95 at 10 %: ceil(3.0)=3 (not 4: 0.1*30 is 3.0000000000000004),
    # ceil(0.7)=1, ceil(0.2)=1, ceil(9.5)=10; with --min 5: 5, 5, 2 (all of a small stratum), 10
    assert quota(np.array([30, 7, 2, 95]), 0.10, 0).tolist() == [3, 1, 1, 10]
    assert quota(np.array([30, 7, 2, 95]), 0.10, 5).tolist() == [5, 5, 2, 10]
    assert quota(np.array([4]), 1.0, 0).tolist() == [4]


def _labels() -> np.ndarray:
    # agent A 30 contacts, B 7, C 2
    return np.array(["A"] * 30 + ["B"] * 7 + ["C"] * 2, dtype=object)


def test_each_stratum_gets_its_quota_and_the_draw_is_repeatable() -> None:
    labels = _labels()
    picked = draw(labels, SamplePlan(ratio=0.10, min_n=2, seed=11))
    counts = pd.Series(labels[picked]).value_counts().to_dict()
    assert counts == {"A": 3, "B": 2, "C": 2}
    assert picked.tolist() == sorted(picked.tolist())  # the export's order
    again = draw(labels, SamplePlan(ratio=0.10, min_n=2, seed=11))
    assert again.tolist() == picked.tolist()
    others = {tuple(draw(labels, SamplePlan(0.10, 2, ("agent",), s)).tolist()) for s in range(20)}
    assert len(others) > 1  # another seed, another sample


def test_every_contact_can_be_drawn() -> None:
    labels = np.array(["A"] * 10, dtype=object)
    seen = set()
    for s in range(200):
        seen.update(draw(labels, SamplePlan(ratio=0.1, seed=s)).tolist())
    assert seen == set(range(10))


@pytest.mark.parametrize(
    "plan, text",
    [
        (SamplePlan(ratio=0), "--ratio 0"),
        (SamplePlan(ratio=1.5), "--ratio 1.5"),
        (SamplePlan(min_n=-1), "--min -1"),
        (SamplePlan(by=("agent", "shoe")), "--by shoe: unknown stratum; allowed: agent, team"),
        (SamplePlan(by=("agent", "agent")), "named twice"),
    ],
)
def test_bad_plans_name_the_option(plan: SamplePlan, text: str) -> None:
    with pytest.raises(UsageError, match=text):
        plan.check()


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "agent_id": ["A", "A", "A", "B", None],
            "channel": ["phone", "chat", "phone", "phone", "email"],
            "contact_time": pd.to_datetime(
                [
                    "2026-10-31 23:30",
                    "2026-11-02 09:00",
                    "2026-11-02 13:00",
                    "2026-11-03 19:15",
                    "2026-11-04 07:59",
                ]
            ),  # fmt: skip
            "period": ["2026-10", "2026-11", "2026-11", "2026-11", "2026-11"],
            "answered": [1.0, 1.0, 0.0, 1.0, 1.0],
            "resolved_first_contact": [1.0, 0.0, np.nan, 1.0, np.nan],
            "first_response_s": [10.0, 50.0, np.nan, 20.0, 40.0],
            "csat": [5.0, 3.0, np.nan, 4.0, np.nan],
        }
    )


def test_stratum_labels_by_agent_channel_and_hour_band() -> None:
    df = _frame()
    got = stratum_labels(df, ("agent", "channel", "hour_band"), "en").tolist()
    assert got == [
        "A / Phone / 18-24",
        "A / Chat / 08-12",
        "A / Phone / 12-18",
        "B / Phone / 18-24",
        "- / Email / 00-08",
    ]
    assert stratum_labels(df, ("channel",), "zh").tolist()[1] == "在线客服"


def test_population_figures_per_period_and_stratum_by_hand() -> None:
    df = _frame()
    labels = stratum_labels(df, ("agent",))
    sampled = np.array([True, False, True, False, True])
    rows = {(r["period"], r["stratum"]): r for r in population_rows(df, labels, sampled)}
    nov = rows[("2026-11", "")]
    # November: 4 contacts, 3 answered (row 3 not) -> answer rate 0.75; FCR among answered
    # with a value: rows 2 (N) and 4 (Y) -> 1/2; first response over answered 50, 20, 40 ->
    # mean 36.67, within 30 s: 20 -> 1/3; CSAT 3, 4 -> mean 3.5, 4-5 share 1/2; sampled 2
    assert nov["contacts"] == 4 and nov["answered"] == 3 and nov["sampled"] == 2
    assert nov["answer_rate"] == pytest.approx(0.75)
    assert nov["fcr"] == pytest.approx(0.5)
    assert nov["avg_first_response_s"] == pytest.approx(110 / 3)
    assert nov["service_level"] == pytest.approx(1 / 3)
    assert (nov["csat_mean"], nov["csat_pct"]) == (pytest.approx(3.5), pytest.approx(0.5))
    assert nov["transfer_rate"] is None  # the export has no transfer column
    a = rows[("", "A")]
    assert (a["contacts"], a["sampled"]) == (3, 2)
    assert rows[("", "-")]["contacts"] == 1  # the contact without an agent is its own stratum
    total = rows[("", "")]
    assert (total["contacts"], total["sampled"]) == (5, 3)


def test_period_filter_forms() -> None:
    t = _frame()["contact_time"]
    assert in_period(t, "2026-11").tolist() == [False, True, True, True, True]
    assert in_period(t, "2026-Q4").sum() == 5
    assert in_period(t, "2026-11-02..2026-11-03").tolist() == [False, True, True, True, False]
    with pytest.raises(UsageError, match="--period '2026/11'"):
        in_period(t, "2026/11")

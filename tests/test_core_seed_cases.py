"""The cases from the seed templates (issue 2) that must hold, through the core."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from udfs.core import actions
from udfs.core.config import DEFAULT_CONFIG, RESPONSE_BANDS, SPEED_BANDS
from udfs.core.pareto import pareto_columns, pareto_table
from udfs.core.scoring import band, grade
from udfs.core.values import as_2d, to_days


@pytest.mark.parametrize(
    ("seconds", "points"),
    [(0, 100), (30, 100), (30.5, 80), (31, 80), (60, 80), (60.01, 60), (61, 60), (3600, 60)],
)
def test_first_response_bands(seconds: float, points: float) -> None:
    assert band(np.array([seconds]), *RESPONSE_BANDS)[0] == points


@pytest.mark.parametrize(
    ("seconds", "level"),
    [(0, 5), (3, 5), (3.2, 4), (5, 4), (5.5, 3), (10, 3), (11, 2), (30, 2), (31, 1), (300, 1)],
)
def test_rubric_speed_from_seconds(seconds: float, level: int) -> None:
    assert band(np.array([seconds]), *SPEED_BANDS)[0] == level


@pytest.mark.parametrize(
    ("score", "zh", "en"),
    [
        (100, "优秀", "Excellent"),
        (90, "优秀", "Excellent"),
        (89.99, "良好", "Good"),
        (80, "良好", "Good"),
        (79.5, "合格", "Pass"),
        (60, "合格", "Pass"),
        (59.99, "不合格", "Fail"),
        (0, "不合格", "Fail"),
    ],
)
def test_grades(score: float, zh: str, en: str) -> None:
    assert grade(np.array([score]), DEFAULT_CONFIG.grades, "zh")[0] == zh
    assert grade(np.array([score]), DEFAULT_CONFIG.grades, "en")[0] == en


def test_no_score_has_no_grade() -> None:
    assert grade(np.array([np.nan]))[0] is None


def test_problem_shares_42_and_28_of_120() -> None:
    # 42 + 28 + 50 (split over three smaller problems) = 120
    share, cum, cls = pareto_columns(
        ["系统卡顿", "解答错误", "等待过长", "态度问题", "其他"], np.array([42, 28, 25, 15, 10])
    )
    assert f"{share[0]:.1%}" == "35.0%"
    assert f"{share[1]:.1%}" == "23.3%"
    # cumulative: 42, 70, 95, 110, 120 of 120 -> 35 %, 58.3 %, 79.2 %, 91.7 %, 100 %
    assert [round(c, 3) for c in cum] == [0.35, 0.583, 0.792, 0.917, 1.0]
    # A up to and including the category crossing 80 %: 79.2 % has not crossed yet, so the
    # 4th category (crossing to 91.7 %) is still A; the last one reaches 100 % from 91.7 % -> B
    assert list(cls) == ["A", "A", "A", "A", "B"]


def test_other_is_last_even_when_largest() -> None:
    table = pareto_table(["其他"] * 50 + ["A"] * 30 + ["B"] * 20)
    assert list(table["problem"]) == ["A", "B", "其他"]
    assert list(table["count"]) == [30, 20, 50]
    assert table["cumulative"].iloc[-1] == pytest.approx(1.0)


def _days(*dates: dt.date | None) -> np.ndarray:
    arr, _ = as_2d(list(dates))
    days, errors = to_days(arr, "date")
    assert all(e is None for e in errors.ravel())
    return days[:, 0]


def test_action_done_three_days_late_and_on_time() -> None:
    planned = _days(dt.date(2024, 6, 15), dt.date(2024, 6, 10))
    actual = _days(dt.date(2024, 6, 18), dt.date(2024, 6, 8))
    as_of = _days(dt.date(2024, 7, 1))[0]
    status, days = actions.action_status(planned, actual, as_of)
    assert list(status) == ["done_late", "done_on_time"]
    assert list(actions.days_late(status, days)) == [3, 0]
    assert list(actions.status_text(status, days, "en")) == ["Done 3 days late", "Done on time"]
    assert list(actions.status_text(status, days, "zh")) == ["延期完成 3 天", "按时完成"]


def test_action_overdue_and_open_against_as_of() -> None:
    planned = _days(dt.date(2024, 6, 15), dt.date(2024, 6, 25), dt.date(2024, 6, 20))
    actual = _days(None, None, None)
    as_of = _days(dt.date(2024, 6, 20))[0]
    status, days = actions.action_status(planned, actual, as_of)
    assert list(status) == ["overdue", "open", "open"]
    assert list(days) == [5, 5, 0]
    assert list(actions.status_text(status, days, "en")) == [
        "Overdue by 5 days",
        "Open, due in 5 days",
        "Open, due today",
    ]

"""Improvement-action status and lateness against an explicit as-of date (SPEC section 5).

Dates are day numbers (days since 1970-01-01, NaN when blank); see ``values.to_days``.
"""

from __future__ import annotations

import numpy as np

STATUS_KEYS = ("done_on_time", "done_late", "overdue", "open", "cancelled")


def action_status(
    planned: np.ndarray,
    actual: np.ndarray,
    as_of: float,
    cancelled: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Status key and day count per action.

    - actual date present: ``done_on_time`` (actual <= planned, days 0) or ``done_late``
      (days = actual - planned);
    - no actual date: ``overdue`` by as-of - planned days when as-of > planned, else
      ``open`` with days = planned - as-of (due in N days);
    - ``cancelled`` rows: status ``cancelled``, days 0;
    - no planned date: status None (cannot be judged).
    """
    p = np.asarray(planned, dtype=float)
    a = np.asarray(actual, dtype=float)
    status = np.full(p.shape, None, dtype=object)
    days = np.full(p.shape, np.nan)
    done = ~np.isnan(a)
    has_plan = ~np.isnan(p)
    late = done & has_plan & (a > p)
    status[done & has_plan & ~late] = "done_on_time"
    days[done & has_plan & ~late] = 0
    status[late] = "done_late"
    days[late] = (a - p)[late]
    pending = ~done & has_plan
    over = pending & (as_of > p)
    status[over] = "overdue"
    days[over] = (as_of - p)[over]
    op = pending & ~over
    status[op] = "open"
    days[op] = (p - as_of)[op]
    if cancelled is not None:
        c = np.asarray(cancelled, dtype=bool)
        status[c] = "cancelled"
        days[c] = 0
    return status, days


def days_late(status: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Days late (done late) or overdue; 0 for on-time, open and cancelled; NaN if unknown."""
    s = np.asarray(status, dtype=object)
    late = (s == "done_late") | (s == "overdue")
    known = s != None  # noqa: E711
    return np.where(late, days, np.where(known, 0.0, np.nan))


STATUS_TEXT = {
    "zh": {
        "done_on_time": "按时完成",
        "done_late": "延期完成 {n} 天",
        "overdue": "逾期 {n} 天",
        "open": "进行中，{n} 天后到期",
        "open_today": "进行中，今日到期",
        "cancelled": "已取消",
        "unknown": "无计划日期",
    },
    "en": {
        "done_on_time": "Done on time",
        "done_late": "Done {n} days late",
        "overdue": "Overdue by {n} days",
        "open": "Open, due in {n} days",
        "open_today": "Open, due today",
        "cancelled": "Cancelled",
        "unknown": "No planned date",
    },
}


def status_text(status: np.ndarray, days: np.ndarray, lang: str = "zh") -> np.ndarray:
    """Status keys + days -> the text shown in the Actions sheet (``unknown``: an action
    without a usable planned date, "No planned date"; None or NaN: blank)."""
    texts = STATUS_TEXT["en" if lang == "en" else "zh"]
    out = np.full(np.shape(status), None, dtype=object)
    for idx, key in np.ndenumerate(np.asarray(status, dtype=object)):
        if key is None or (isinstance(key, float) and key != key) or key not in texts:
            continue
        n = int(days[idx]) if not np.isnan(days[idx]) else 0
        if key == "open" and n == 0:
            key = "open_today"
        t = texts[key].format(n=n)
        if lang == "en" and n == 1:
            t = t.replace("1 days", "1 day")
        out[idx] = t
    return out


def effect_met(baseline: np.ndarray, target: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Was the target met?  Higher-is-better when target >= baseline, else lower-is-better.

    1.0 met, 0.0 not met, NaN when target or after is missing.
    """
    b = np.asarray(baseline, dtype=float)
    t = np.asarray(target, dtype=float)
    x = np.asarray(after, dtype=float)
    up = np.isnan(b) | (t >= b)
    met = np.where(up, x >= t, x <= t).astype(float)
    return np.where(np.isnan(t) | np.isnan(x), np.nan, met)

"""Re-measuring an improvement action's effect from the Monitoring rows (SPEC section 5,
``seeds/000`` 效果验证, ``seeds/001`` step 6: "改进措施实施后1-2周，进行针对性复测").

For every action with a metric, :func:`remeasure` computes **before** over the window
before the action started and **after** over a window opening some days after its actual
completion, both from the contacts in the action's scope (linked problem, agent, channel,
service type), each with its n, and the action's effect state:

- ``not_done``: no actual completion date yet (nothing to re-measure);
- ``too_early``: the after-window has not closed by the as-of date;
- ``verified_met`` / ``verified_not_met``: closed, at least the minimum n; met = after
  reaches the action's target in the KPI's direction, or beats before when no target is
  typed;
- ``reverify_due``: closed, too little data (fewer than the minimum n).

Window lengths and the minimum n are :class:`LoopSettings` (the Config sheet's
"improvement loop" table).  Day numbers are days since 1970-01-01; windows are inclusive.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from .config import ScoringConfig
from .fields import choice_lookup
from .metrics import summary
from .targets import RATE_KPIS, Target, metric_key

EFFECT_STATES = ("not_done", "too_early", "verified_met", "verified_not_met", "reverify_due")
"""Effect states of an action with a metric, in the order the report counts them."""

EFFECT_STATE_LABELS: dict[str, tuple[str, str]] = {
    "not_done": ("Not done yet", "措施未完成"),
    "too_early": ("Too early to verify", "未到复测时间"),
    "verified_met": ("Verified: met", "复测达标"),
    "verified_not_met": ("Verified: not met", "复测未达标"),
    "reverify_due": ("Re-verification due", "需重新复测"),
}
"""Each state's label as (English, 简体中文)."""

LOWER_IS_BETTER = frozenset(
    {"avg_first_response_s", "avg_handle_time_s", "avg_resolution_time_h"}
    | {"transfer_rate", "repeat_rate"}
)
"""KPIs that improve when they fall (when the Targets table does not say otherwise)."""

METRIC_BASE: dict[str, str] = {
    "answer_rate": "",
    "fcr": "resolved_first_contact",
    "csat_mean": "csat",
    "csat_pct": "csat",
    "nps": "nps",
    "avg_first_response_s": "first_response_s",
    "avg_handle_time_s": "handle_time_s",
    "avg_resolution_time_h": "resolution_time_h",
    "service_level": "first_response_s",
    "transfer_rate": "transferred",
    "repeat_rate": "",
    "qa_score_mean": "score",
    "qc_pass_rate": "score",
    "composite_score": "",
}
"""The column whose filled cells are a KPI's n (blank: every contact in the window)."""

SCOPE_FIELDS: tuple[tuple[str, str], ...] = (
    ("problem", "problem_category"),
    ("scope_agent", "agent_id"),
    ("scope_channel", "channel"),
    ("scope_service_type", "service_type"),
)
"""An action's scope columns and the Monitoring field each one restricts."""


@dataclass(frozen=True)
class LoopSettings:
    """The improvement loop's settings (Config sheet, "improvement loop" table)."""

    before_days: int = 30
    """Length of the before-window, ending the day before the action started."""
    after_offset_days: int = 7
    """Days after the actual completion the after-window opens ("1-2周")."""
    after_days: int = 14
    """Length of the after-window."""
    min_n: int = 20
    """Contacts a window needs for a verdict (fewer: re-verification due)."""
    stale_days: int = 7
    """An open action with no update for more than this many days is stale (weekly)."""


LOOP_SETTING_KEYS: tuple[str, ...] = tuple(LoopSettings.__dataclass_fields__)


def settings_from_rows(
    rows: Sequence[Mapping[str, Any]] | None,
) -> tuple[LoopSettings, list[tuple[str, Any, int]]]:
    """The settings typed in the Config table's rows (``item``, ``value``, ``_row``), and
    each bad one as ``(item, value, row)``: a value that is not a whole number >= 0
    (>= 1 for a length or the minimum n) keeps its default."""
    s = LoopSettings()
    bad: list[tuple[str, Any, int]] = []
    for r in rows or []:
        item = str(r.get("item") or "").strip()
        if item not in LOOP_SETTING_KEYS:
            continue
        v = r.get("value")
        try:
            n = float(v)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            n = float("nan")
        low = 0 if item == "after_offset_days" else 1
        if not (n == n and n.is_integer() and n >= low):
            bad.append((item, v, int(r.get("_row") or 0)))
            continue
        s = replace(s, **{item: int(n)})
    return s, bad


def day_numbers(values: Any) -> np.ndarray:
    """Dates/datetimes -> whole day numbers since 1970-01-01 (NaN when blank); a
    datetime64 column is converted without a detour through Python objects."""
    col = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    if not pd.api.types.is_datetime64_any_dtype(col):
        col = pd.to_datetime(col.astype(object), errors="coerce")
    if getattr(col.dt, "tz", None) is not None:
        col = col.dt.tz_localize(None)
    ns = col.to_numpy(dtype="datetime64[ns]")
    out = ns.astype("datetime64[D]").astype(np.int64).astype(float)
    out[np.isnat(ns)] = np.nan
    return out


def iso(day: float) -> str | None:
    """A day number as an ISO date (None for NaN)."""
    if day != day:
        return None
    return (_dt.date(1970, 1, 1) + _dt.timedelta(days=int(day))).isoformat()


def as_rate(kpi: str | None, v: Any) -> float:
    """A typed value of a KPI as the figures give it: a rate typed as per cent (85) is
    0.85; blank or text is NaN."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return float("nan")
    if f != f:
        return f
    if kpi in RATE_KPIS and abs(f) > 1:
        return f / 100
    return f


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v).strip()


Factorised = tuple[np.ndarray, list[str]]
"""A column as codes into its distinct values (stripped, case-folded text; -1 blank)."""


def _normalised(work: pd.DataFrame, field: str, cache: dict[str, Factorised]) -> Factorised:
    """A Monitoring column factorised once (each distinct value normalised once)."""
    if field not in cache:
        codes, uniques = pd.factorize(work[field].astype(object), use_na_sentinel=True)
        cache[field] = (codes, [str(u).strip().casefold() for u in uniques])
    return cache[field]


def scope_mask(
    action: Mapping[Any, Any], work: pd.DataFrame, cache: dict[str, Factorised] | None = None
) -> tuple[np.ndarray, str | None]:
    """Which contacts are in the action's scope, and the first scope column that alone
    matches no contact (None when each matches some); ``cache`` keeps the normalised
    Monitoring columns between the actions of one analysis."""
    cache = {} if cache is None else cache
    mask = np.ones(len(work), dtype=bool)
    empty: str | None = None
    for col, field in SCOPE_FIELDS:
        want = _text(action.get(col))
        if not want:
            continue
        if field not in work.columns:
            m = np.zeros(len(work), dtype=bool)
        else:
            wanted = {want.casefold()}
            if field in ("channel", "service_type"):
                key = choice_lookup(field).get(want.casefold())
                if key:
                    wanted.add(key.casefold())
            codes, uniques = _normalised(work, field, cache)
            hits = [i for i, u in enumerate(uniques) if u in wanted]
            m = np.isin(codes, hits) if hits else np.zeros(len(work), dtype=bool)
        if not m.any() and empty is None:
            empty = col
        mask &= m
    return mask, empty


def metric_value(frame: pd.DataFrame, kpi: str, config: ScoringConfig) -> tuple[float | None, int]:
    """A KPI over some contacts and its n (contacts with a value for it)."""
    if not len(frame):
        return None, 0
    base = METRIC_BASE.get(kpi, "")
    if base and base in frame.columns:
        n = int(frame[base].notna().sum())
    elif base:
        n = 0
    else:
        n = len(frame)
    v = summary(frame, config).get(kpi)
    if v is None or (isinstance(v, float) and v != v) or not n:
        return None, n
    return float(v), n


def _span(
    start: np.ndarray | None,
    planned: np.ndarray | None,
    actual: np.ndarray | None,
    s: LoopSettings,
    n: int,
) -> tuple[float, float]:
    """The first and last day any action's before- or after-window covers (an empty span,
    +inf..-inf, when no action has a date)."""
    blank = np.full(n, np.nan)
    st = blank if start is None else start
    begin = np.where(np.isnan(st), blank if planned is None else planned, st)
    done = blank if actual is None else actual
    firsts = np.concatenate([begin - s.before_days, done + s.after_offset_days])
    lasts = np.concatenate([begin - 1, done + s.after_offset_days + s.after_days - 1])
    if np.isnan(firsts).all():
        return float("inf"), float("-inf")
    return float(np.nanmin(firsts)), float(np.nanmax(lasts))


EFFECT_COLUMNS = (
    "action_no",
    "measure",
    "problem",
    "metric",
    "metric_key",
    "higher_is_better",
    "target",
    "before_start",
    "before_end",
    "before",
    "before_n",
    "after_start",
    "after_end",
    "after",
    "after_n",
    "typed_after",
    "state",
    "met",
    "scope_agent",
    "_row",
)
"""The columns of :func:`remeasure`'s table (dates as ISO text, values in the KPI's unit,
rates 0-1, ``met`` True/False/None)."""


def remeasure(
    actions: pd.DataFrame,
    work: pd.DataFrame,
    as_of: _dt.date,
    settings: LoopSettings,
    config: ScoringConfig,
    targets: Mapping[str, Target] | None = None,
    skip: Sequence[int] = (),
    cache: dict[str, Factorised] | None = None,
) -> pd.DataFrame:
    """Before/after, n and state of every action with a recognised metric.

    ``actions``: the Actions rows (``planned_date``, ``actual_date``, ``start_date``,
    ``metric``, ``target``, ``after`` and the scope columns); ``work``: every scored contact
    (``contact_time`` and the figure columns); ``targets``: the KPI targets by key (their
    direction is used); ``skip``: positions of actions not to measure (bad dates);
    ``cache``: see :func:`scope_mask`."""
    rows: list[dict[str, Any]] = []
    if actions is None or not len(actions):
        return pd.DataFrame(columns=list(EFFECT_COLUMNS))
    days = day_numbers(work["contact_time"]) if "contact_time" in work.columns else np.array([])
    as_of_day = float((as_of - _dt.date(1970, 1, 1)).days)
    has = set(actions.columns)
    planned = day_numbers(actions["planned_date"]) if "planned_date" in has else None
    actual = day_numbers(actions["actual_date"]) if "actual_date" in has else None
    start = day_numbers(actions["start_date"]) if "start_date" in has else None
    # only the contacts some window can hold (a few months of a long history)
    lo, hi = _span(start, planned, actual, settings, len(actions))
    keep = (days >= lo) & (days <= hi)
    if not keep.all():
        work, days, cache = work[keep], days[keep], {}
    for i, a in enumerate(actions.to_dict("records")):
        kpi = metric_key(a.get("metric"))
        if kpi is None or i in skip:
            continue
        t = (targets or {}).get(kpi)
        higher = t.higher_is_better if t is not None else kpi not in LOWER_IS_BETTER
        mask, _ = scope_mask(a, work, cache)
        begin = start[i] if start is not None else float("nan")
        if begin != begin and planned is not None:
            begin = planned[i]
        b0 = b1 = float("nan")
        before = None
        before_n = 0
        if begin == begin:
            b1 = begin - 1
            b0 = b1 - settings.before_days + 1
            sel = mask & (days >= b0) & (days <= b1)
            before, before_n = metric_value(work[sel], kpi, config)
        done = actual[i] if actual is not None else float("nan")
        a0 = a1 = float("nan")
        after = None
        after_n = 0
        cancelled = str(a.get("status") or "") == "cancelled"
        if done == done and not cancelled:
            a0 = done + settings.after_offset_days
            a1 = a0 + settings.after_days - 1
            sel = mask & (days >= a0) & (days <= a1)
            after, after_n = metric_value(work[sel], kpi, config)
        target = as_rate(kpi, a.get("target"))
        met: bool | None = None
        if cancelled:
            state = None
        elif done != done:
            state = "not_done"
        elif as_of_day <= a1:
            state = "too_early"
        elif after is None or after_n < settings.min_n:
            state = "reverify_due"
        else:
            if target == target:
                met = after >= target if higher else after <= target
            elif before is not None:
                met = after > before if higher else after < before
            else:
                met = None
            state = None if met is None else ("verified_met" if met else "verified_not_met")
            if met is None:
                state = "reverify_due"  # no target and no before: nothing to verify against
        rows.append(
            {
                "action_no": a.get("action_no"),
                "measure": a.get("measure"),
                "problem": a.get("problem"),
                "metric": a.get("metric"),
                "metric_key": kpi,
                "higher_is_better": higher,
                "target": None if target != target else target,
                "before_start": iso(b0),
                "before_end": iso(b1),
                "before": before,
                "before_n": before_n,
                "after_start": iso(a0),
                "after_end": iso(a1),
                "after": after,
                "after_n": after_n,
                "typed_after": None if (x := as_rate(kpi, a.get("after"))) != x else x,
                "state": state,
                "met": met,
                "scope_agent": _text(a.get("scope_agent")) or None,
                "_row": a.get("_row"),
            }
        )
    return pd.DataFrame(rows, columns=list(EFFECT_COLUMNS))

"""Ticket backlog (issue 23, item 12): for an imported ticket export whose map names a
status column (``[options] status`` and ``open``), the import adds the extra column
``Open (Y/N)`` / ``未结(Y/N)`` (:data:`OPEN_HEADERS`), Y for a ticket whose status is an
open one.  :func:`compute_backlog` then gives

- the tickets open at the end of the report period, by age at that moment (0-1 d,
  1-3 d, 3-7 d, over 7 d): created before the period's end and either still open, or
  closed with a resolution time that ends after the period's end;
- resolution time (hours) over the tickets of the period that are closed (N) and have
  one: count, mean, median; open tickets are left out (their time is not known yet);
- the tickets without a creation time (counted, and how many of them are open): they
  are in no period and in no figure above.

Without such a column it is ``None`` (no backlog section)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd

from .extra_columns import extra_header, extra_keys

OPEN_HEADERS: dict[str, str] = {"en": "Open (Y/N)", "zh": "未结(Y/N)"}
"""The header of the column the import adds, by workbook language."""
AGE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("0-1d", 0.0, 1.0),
    ("1-3d", 1.0, 3.0),
    ("3-7d", 3.0, 7.0),
    (">7d", 7.0, float("inf")),
)
"""(key, from, to) in days: a ticket of exactly 1 day is in 1-3d."""


def open_column(columns: Any) -> str | None:
    """The key of the open-ticket column among a table's columns (None: none)."""
    names = {h.casefold() for h in OPEN_HEADERS.values()}
    for key in extra_keys(columns):
        if extra_header(key).strip().casefold() in names:
            return key
    return None


def open_flags(values: Any, open_values: list[str]) -> list[str | None]:
    """Y for a status among ``open_values`` (ignoring case and surrounding spaces), N for
    another status, blank for a blank one."""
    wanted = {v.strip().casefold() for v in open_values if v.strip()}
    out: list[str | None] = []
    for v in values:
        if v is None or (isinstance(v, float) and v != v) or not str(v).strip():
            out.append(None)
        else:
            out.append("Y" if str(v).strip().casefold() in wanted else "N")
    return out


def _num(v: float) -> float | None:
    return None if v != v else float(v)


def compute_backlog(
    monitoring: pd.DataFrame, start: _dt.date | None, end: _dt.date | None
) -> dict[str, Any] | None:
    """The backlog figures of the period ``start``..``end`` (inclusive days); None without
    an open-ticket column or a period."""
    key = open_column(monitoring.columns)
    if key is None or start is None or end is None or "contact_time" not in monitoring.columns:
        return None
    flag = (
        monitoring[key]
        .astype(object)
        .map(lambda v: None if v is None or v != v else str(v).strip().upper())
    )
    is_open = (flag == "Y").to_numpy(dtype=bool)
    is_closed = (flag == "N").to_numpy(dtype=bool)
    created = pd.to_datetime(monitoring["contact_time"], errors="coerce")
    has_time = created.notna().to_numpy(dtype=bool)
    period_end = pd.Timestamp(end) + pd.Timedelta(days=1)  # the end of the last day
    period_start = pd.Timestamp(start)
    if "resolution_time_h" in monitoring.columns:
        res_h = pd.to_numeric(monitoring["resolution_time_h"], errors="coerce")
    else:
        res_h = pd.Series(np.nan, index=monitoring.index)
    resolved_at = created + pd.to_timedelta(res_h, unit="h")
    before_end = has_time & (created < period_end).to_numpy(dtype=bool)
    closed_late = is_closed & (resolved_at >= period_end).to_numpy(dtype=bool)
    at_end = before_end & (is_open | closed_late)
    age = ((period_end - created) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    bands = {k: int((at_end & (age >= lo) & (age < hi)).sum()) for k, lo, hi in AGE_BANDS}
    in_period = has_time & (created >= period_start).to_numpy(dtype=bool) & before_end
    closed = in_period & is_closed & res_h.notna().to_numpy(dtype=bool)
    times = res_h.to_numpy(dtype=float)[closed]
    return {
        "column": extra_header(key),
        "period_end": end.isoformat(),
        "open_at_end": int(at_end.sum()),
        "by_age": bands,
        "closed": int(closed.sum()),
        "resolution_h_mean": _num(float(times.mean())) if times.size else None,
        "resolution_h_median": _num(float(np.median(times))) if times.size else None,
        "no_created_time": int((~has_time).sum()),
        "no_created_time_open": int((~has_time & is_open).sum()),
    }

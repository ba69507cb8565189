"""Peak hours: contacts, first response, service level and CSAT by hour of day and weekday,
and the worst two-hour band of the day when it is clearly worse than the rest.

All figures use the section 5 definitions of :mod:`udfs.core.metrics` (averages and the
service level over answered contacts with a value, CSAT over rated contacts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import metrics

HOUR_KEYS = ("contacts", "avg_first_response_s", "service_level", "csat_mean")
"""The figures of each hour / weekday (``summary.json``'s ``by_hour`` entries)."""
BAND_HOURS = 2
"""The worst band is looked for among the twelve two-hour bands 00-02 .. 22-24."""
MIN_BAND_CONTACTS = 5
"""A band needs this many answered contacts with a first response to be named."""
WORSE_BY = 1.5
"""A band is clearly worse when its average first response is this many times that of the
other hours and its service level is lower."""

WEEKDAYS: tuple[tuple[str, str], ...] = (
    ("Mon", "周一"),
    ("Tue", "周二"),
    ("Wed", "周三"),
    ("Thu", "周四"),
    ("Fri", "周五"),
    ("Sat", "周六"),
    ("Sun", "周日"),
)


def _figures(part: pd.DataFrame, service_level_s: float) -> dict[str, Any]:
    if not len(part):
        return {
            "contacts": 0,
            "avg_first_response_s": None,
            "service_level": None,
            "csat_mean": None,
        }
    ans = part["answered"].to_numpy(dtype=float) if "answered" in part.columns else None
    fr = (
        part["first_response_s"].to_numpy(dtype=float)
        if "first_response_s" in part.columns
        else None
    )
    cs = part["csat"].to_numpy(dtype=float) if "csat" in part.columns else None
    return {
        "contacts": len(part),
        "avg_first_response_s": metrics.mean_answered(fr, ans) if fr is not None else None,
        "service_level": (
            metrics.service_level(fr, ans, service_level_s) if fr is not None else None
        ),
        "csat_mean": metrics.csat_mean(cs) if cs is not None else None,
    }


def _by(frame: pd.DataFrame, keys: np.ndarray, n: int, col: str, sl: float) -> pd.DataFrame:
    frame = frame[[c for c in ("answered", "first_response_s", "csat") if c in frame.columns]]
    rows = []
    for k in range(n):
        rows.append({col: k, **_figures(frame[keys == k], sl)})
    return pd.DataFrame(rows, columns=[col, *HOUR_KEYS])


def by_hour(frame: pd.DataFrame, service_level_s: float = 30) -> pd.DataFrame:
    """24 rows (hour 0-23): contacts and their figures; no contact -> 0 and ``None``."""
    t = _times(frame)
    return _by(frame, t.dt.hour.to_numpy(dtype=float, na_value=np.nan), 24, "hour", service_level_s)


def by_weekday(frame: pd.DataFrame, service_level_s: float = 30) -> pd.DataFrame:
    """7 rows (weekday 0 = Monday .. 6 = Sunday), like :func:`by_hour`."""
    t = _times(frame)
    keys = t.dt.day_of_week.to_numpy(dtype=float, na_value=np.nan)
    return _by(frame, keys, 7, "weekday", service_level_s)


def _times(frame: pd.DataFrame) -> pd.Series:
    if "contact_time" not in frame.columns:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    t = pd.to_datetime(frame["contact_time"], errors="coerce")
    if "_month_only" in frame.columns:  # a month typed without a day (seeds/001): no hour
        t = t.mask(frame["_month_only"].fillna(False).astype(bool))
    return t


@dataclass(frozen=True)
class PeakBand:
    """The worst two-hour band of the day against the other hours."""

    start_hour: int
    end_hour: int
    contacts: int
    avg_first_response_s: float
    service_level: float | None
    rest_avg_first_response_s: float
    rest_service_level: float | None


def worst_band(frame: pd.DataFrame, service_level_s: float = 30) -> PeakBand | None:
    """The two-hour band with the longest average first response, when it has at least
    :data:`MIN_BAND_CONTACTS` timed contacts and is clearly worse than the other hours
    (:data:`WORSE_BY` times their average first response and a lower service level)."""
    if "first_response_s" not in frame.columns or not len(frame):
        return None
    hours = _times(frame).dt.hour.to_numpy(dtype=float, na_value=np.nan)
    ans = metrics.answered_mask(
        frame["answered"].to_numpy(dtype=float) if "answered" in frame.columns else None,
        len(frame),
    )
    fr = frame["first_response_s"].to_numpy(dtype=float)
    timed = ans & ~np.isnan(fr) & ~np.isnan(hours)
    best: PeakBand | None = None
    for start in range(0, 24, BAND_HOURS):
        inside = timed & (hours >= start) & (hours < start + BAND_HOURS)
        rest = timed & ~inside
        if inside.sum() < MIN_BAND_CONTACTS or not rest.any():
            continue
        avg_in, avg_rest = float(fr[inside].mean()), float(fr[rest].mean())
        sl_in = float((fr[inside] <= service_level_s).mean())
        sl_rest = float((fr[rest] <= service_level_s).mean())
        if avg_in < WORSE_BY * avg_rest or sl_in >= sl_rest:
            continue
        if best is None or avg_in > best.avg_first_response_s:
            best = PeakBand(
                start, start + BAND_HOURS, int(inside.sum()), avg_in, sl_in, avg_rest, sl_rest
            )
    return best

"""Distributions, not only means (issue 23, item 10): first response and handle time
median, 80th and 90th percentile (overall, by channel, by hour of day), the CSAT
distribution (counts of 1-5) and abandonment (the share of contacts not answered) by hour
of day and by weekday.

Times count over answered contacts with a value, as the means do (SPEC section 5; a blank
``answered`` counts as answered); percentiles are linear between the closest ranks (the
default of numpy and pandas).  Abandonment counts contacts with an ``answered`` value:
unanswered / (answered Y + N).  Every figure is ``None`` when there is no data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .metrics import answered_mask

TIME_FIELDS: tuple[str, ...] = ("first_response_s", "handle_time_s")
QUANTILES: dict[str, float] = {"median": 0.5, "p80": 0.8, "p90": 0.9}
PERCENTILE_COLUMNS: tuple[str, ...] = ("metric", "by", "group", "n", *QUANTILES)
"""Rows of :attr:`Distributions.percentiles`: ``by`` is ``all``, ``channel`` or
``hour``; ``group`` the channel key or the hour (``""`` for all)."""
ABANDON_COLUMNS: tuple[str, ...] = ("contacts", "unanswered", "share")


@dataclass
class Distributions:
    """The period's distributions (empty frames / zero counts without data)."""

    percentiles: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(PERCENTILE_COLUMNS))
    )
    csat_counts: dict[int, int] = field(default_factory=dict)
    """Rating 1-5 -> contacts rated so (every rating present, 0 when none)."""
    abandon_by_hour: pd.DataFrame = field(default_factory=pd.DataFrame)
    """24 rows: ``hour``, contacts with an answered value, unanswered, share."""
    abandon_by_weekday: pd.DataFrame = field(default_factory=pd.DataFrame)
    """7 rows: ``weekday`` (0 = Monday), the same."""


def _quantiles(v: np.ndarray) -> dict[str, Any]:
    v = v[~np.isnan(v)]
    out: dict[str, Any] = {"n": int(v.size)}
    qs = np.quantile(v, list(QUANTILES.values())).tolist() if v.size else [None] * len(QUANTILES)
    out.update(zip(QUANTILES, qs, strict=True))
    return out


def _by_group(v: np.ndarray, codes: np.ndarray, labels: list[Any]) -> list[dict[str, Any]]:
    """:func:`_quantiles` per group (``codes`` into ``labels``, -1 none): the values
    ordered by group once (an integer sort), each group's slice then."""
    ok = ~np.isnan(v) & (codes >= 0)
    grp_ok = codes[ok]
    order = np.argsort(grp_ok, kind="stable")
    vals, grp = v[ok][order], grp_ok[order]
    bounds = np.searchsorted(grp, np.arange(len(labels) + 1))
    out = []
    for j, label in enumerate(labels):
        part = vals[bounds[j] : bounds[j + 1]]
        if part.size:
            out.append({"group": label, **_quantiles(part)})
    return out


def time_percentiles(cur: pd.DataFrame) -> pd.DataFrame:
    """Median, P80 and P90 of the time fields over answered contacts with a value."""
    rows: list[dict[str, Any]] = []
    n = len(cur)
    ans = cur["answered"].to_numpy(dtype=float) if "answered" in cur.columns else None
    amask = answered_mask(ans, n)
    groups: list[tuple[str, np.ndarray, list[Any]]] = []
    if "channel" in cur.columns:
        codes, uniques = pd.factorize(cur["channel"], sort=True)
        groups.append(("channel", np.asarray(codes, dtype=np.int64), list(uniques)))
    if "contact_time" in cur.columns:
        hour = pd.to_datetime(cur["contact_time"]).dt.hour.to_numpy(dtype=float, na_value=-1)
        groups.append(("hour", hour.astype(np.int64), list(range(24))))
    for key in TIME_FIELDS:
        if key not in cur.columns:
            continue
        v = np.where(amask, cur[key].to_numpy(dtype=float), np.nan)
        rows.append({"metric": key, "by": "all", "group": "", **_quantiles(v)})
        for by, codes, labels in groups:
            rows += [{"metric": key, "by": by, **r} for r in _by_group(v, codes, labels)]
    return pd.DataFrame(rows, columns=list(PERCENTILE_COLUMNS))


def csat_counts(cur: pd.DataFrame) -> dict[int, int]:
    """Contacts per CSAT rating 1-5."""
    if "csat" not in cur.columns:
        return {}
    c = cur["csat"].to_numpy(dtype=float)
    return {r: int((c == r).sum()) for r in range(1, 6)}


def _abandon(ans: np.ndarray, key: np.ndarray, size: int, name: str) -> pd.DataFrame:
    has = ~np.isnan(ans) & ~np.isnan(key)
    k = key[has].astype(np.int64)
    contacts = np.bincount(k, minlength=size)
    unanswered = np.bincount(k, weights=(ans[has] == 0).astype(float), minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(contacts > 0, unanswered / np.maximum(contacts, 1), np.nan)
    return pd.DataFrame(
        {
            name: np.arange(size),
            "contacts": contacts.astype(np.int64),
            "unanswered": unanswered.astype(np.int64),
            "share": [None if x != x else float(x) for x in share.tolist()],
        }
    )


def abandonment(cur: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Unanswered share by hour of day and by weekday (contacts with an answered value)."""
    if "answered" not in cur.columns or "contact_time" not in cur.columns:
        return pd.DataFrame(), pd.DataFrame()
    ans = cur["answered"].to_numpy(dtype=float)
    t = pd.to_datetime(cur["contact_time"])
    hour = t.dt.hour.to_numpy(dtype=float, na_value=np.nan)
    day = t.dt.day_of_week.to_numpy(dtype=float, na_value=np.nan)
    return _abandon(ans, hour, 24, "hour"), _abandon(ans, day, 7, "weekday")


def distributions(cur: pd.DataFrame) -> Distributions:
    """Every distribution of the period's contacts ``cur`` (typed, canonical columns)."""
    by_hour, by_day = abandonment(cur)
    return Distributions(time_percentiles(cur), csat_counts(cur), by_hour, by_day)

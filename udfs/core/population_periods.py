"""Population figures of several months combined exactly (issue 23, items 13 and 14).

``csq sample`` records the population figures of the whole export per month (the Config
population table, :func:`udfs.core.sampling.population_rows`).  A report over a quarter,
half-year, year or a range of whole months combines the months' rows: counts are summed,
a rate is the summed numerators over the summed denominators and a mean the summed sums
over the summed counts.  For that each row also records the denominators
(:data:`BASES`, computed by :func:`base_counts` with the masks of
:mod:`udfs.core.metrics`); a workbook written before they were recorded still gets the
counts and the answer rate and FCR where the recorded figures give their denominators
back exactly, and no figure it cannot combine exactly.

A month of the period without a row had no contacts when the sample's record says the
population came from the export and that month lies in the export's period (blank: the
whole export): it adds nothing, and the period is still recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .errors import UsageError
from .metrics import answered_mask
from .periods import Period, month_period, parse_period
from .values import number_or_none

BASES: dict[str, str] = {
    "answer_rate": "answer_base",
    "fcr": "fcr_base",
    "avg_first_response_s": "first_response_n",
    "service_level": "first_response_n",
    "avg_handle_time_s": "handle_time_n",
    "transfer_rate": "transfer_base",
    "csat_mean": "csat_n",
    "csat_pct": "csat_n",
}
"""Rate or mean -> the column recording its denominator (contacts it is computed over)."""
BASE_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(BASES.values()))
COUNTS: tuple[str, ...] = ("contacts", "answered", "resolved_first_contact", "sampled")


def _col(df: pd.DataFrame, key: str) -> np.ndarray | None:
    return df[key].to_numpy(dtype=float) if key in df.columns else None


def base_counts(df: pd.DataFrame) -> dict[str, int | None]:
    """The denominators of the population figures of the typed rows ``df`` (None: the
    field is not there), with the masks the figures use: answer rate over contacts with
    an answered value; FCR, times, service level and transfer rate over answered contacts
    with a value; CSAT over rated contacts."""
    n = len(df)
    ans = _col(df, "answered")
    amask = answered_mask(ans, n)
    out: dict[str, int | None] = {}
    out["answer_base"] = None if ans is None else int((~np.isnan(ans)).sum())
    for base, key in (
        ("fcr_base", "resolved_first_contact"),
        ("first_response_n", "first_response_s"),
        ("handle_time_n", "handle_time_s"),
        ("transfer_base", "transferred"),
    ):
        v = _col(df, key)
        out[base] = None if v is None else int((amask & ~np.isnan(v)).sum())
    csat = _col(df, "csat")
    out["csat_n"] = None if csat is None else int((~np.isnan(csat)).sum())
    return out


def _base(row: Mapping[str, Any], figure: str) -> float | None:
    """A month's denominator of ``figure``: recorded, else given back exactly by the
    recorded figures (answer rate: contacts with an answered value are all contacts when
    every one has it, which a recorded rate cannot tell, so only a recorded base; FCR:
    resolved / rate when the rate is not 0)."""
    b = number_or_none(row.get(BASES[figure]))
    if b is not None:
        return b
    if figure == "fcr":
        num, rate = (
            number_or_none(row.get("resolved_first_contact")),
            number_or_none(row.get("fcr")),
        )
        if num is not None and rate:
            return float(round(num / rate))
    return None


def _months_of(p: Period) -> list[str]:
    out = []
    y, m = p.start.year, p.start.month
    while (y, m) <= (p.end.year, p.end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def whole_months(period: str) -> list[str] | None:
    """The months a period is made of (a quarter, half, year, or a date range from a
    month's first day to a month's last day), or None when it is not whole months."""
    try:
        p = parse_period(period)
    except UsageError:
        return None
    if p.kind == "month":
        return [p.label]
    months = _months_of(p)
    first, last = month_period(months[0]), month_period(months[-1])
    if p.start != first.start or p.end != last.end:
        return None
    return months


def combine_months(
    rows: Iterable[Mapping[str, Any]],
    period: str,
    recorded: str | None = None,
) -> dict[str, Any] | None:
    """The population figures of ``period`` from its months' rows (stratum blank), or
    None when some month is not recorded.  ``recorded``: the period the population was
    recorded for by ``csq sample`` ("" for the whole export; None: not written by
    ``csq sample``): a month in it without a row had no contacts."""
    months = whole_months(period)
    if months is None or len(months) < 2:
        return None
    by_month: dict[str, Mapping[str, Any]] = {}
    for r in rows:
        label = str(r.get("period") or "").strip()
        if r.get("stratum") not in (None, "") or label not in months:
            continue
        by_month[label] = r
    missing = [m for m in months if m not in by_month]
    if missing:
        if recorded is None:
            return None
        if recorded.strip():
            inside = set(whole_months(recorded) or [])
            if not inside or any(m not in inside for m in missing):
                return None
        if not by_month:
            return None
    parts = list(by_month.values())
    out: dict[str, Any] = {}
    for k in COUNTS:
        vals = [number_or_none(r.get(k)) for r in parts]
        out[k] = None if any(v is None for v in vals) else sum(v for v in vals if v is not None)
    for figure in BASES:
        num = den = 0.0
        for r in parts:
            b = _base(r, figure)
            if b is None:
                num = den = float("nan")
                break
            if b == 0:
                continue
            v = number_or_none(r.get(figure))
            if v is None:
                num = den = float("nan")
                break
            num += v * b
            den += b
        out[figure] = num / den if den == den and den > 0 else None
    if (
        out.get("answer_rate") is None
        and out.get("contacts")
        and all(
            number_or_none(r.get("answer_rate")) is not None
            and number_or_none(r.get("answer_base")) is None
            for r in parts
        )
    ):
        # an older record: every month's rate is answered / contacts when its answered
        # count equals rate x contacts (every contact had an answered value)
        value = number_or_none
        exact = all(
            abs(value(r["answer_rate"]) * value(r["contacts"]) - value(r["answered"]))  # type: ignore[operator]
            < 1e-6
            for r in parts
            if number_or_none(r.get("answered")) is not None and number_or_none(r.get("contacts"))
        )
        if exact and out.get("answered") is not None:
            out["answer_rate"] = out["answered"] / out["contacts"]
    return out

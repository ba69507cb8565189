"""The QA sample: a stratified random draw from a full ticket export, and the population
figures of that export (SPEC section 5, "Population figures").

Each stratum (a combination of agent, channel, hour band ... values) gets at least
``ceil(ratio x size)`` contacts and at least ``min(min_n, size)``.  The draw is a numpy
``Generator`` seeded with the recorded seed: every contact gets one uniform random key,
and each stratum keeps its contacts with the smallest keys, so the same export and seed
give the same sample, whatever the number of strata.  The sampled contacts keep the
export's order.

The population figures are the core's own KPIs (:func:`udfs.core.metrics.summary`) on the
whole export: per period, per stratum and in total, with the number sampled beside each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import metrics
from .config import DEFAULT_CONFIG, ScoringConfig
from .errors import UsageError
from .fields import choice_label
from .i18n import Catalog
from .periods import PeriodError, parse_period
from .population_periods import base_counts

STRATA: dict[str, tuple[str, str, str]] = {
    # --by name: (source column, zh label, en label)
    "agent": ("agent_id", "客服", "agent"),
    "team": ("team", "班组", "team"),
    "channel": ("channel", "渠道", "channel"),
    "service_type": ("service_type", "服务类型", "service type"),
    "hour_band": ("contact_time", "时段", "hour band"),
    "hour": ("contact_time", "小时", "hour"),
    "weekday": ("contact_time", "星期", "weekday"),
    "period": ("contact_time", "月份", "month"),
}
"""The stratum dimensions ``csq sample --by`` accepts."""

HOUR_BANDS: tuple[tuple[int, int], ...] = ((0, 8), (8, 12), (12, 18), (18, 24))
"""Hour bands of the day (start inclusive, end exclusive): night, morning, afternoon,
evening."""

POPULATION_FIGURES: tuple[str, ...] = (
    "contacts",
    "answered",
    "answer_rate",
    "resolved_first_contact",
    "fcr",
    "avg_first_response_s",
    "avg_handle_time_s",
    "service_level",
    "transfer_rate",
    "csat_mean",
    "csat_pct",
)
"""The population figures (``summary.json`` ``population``), in the section 5 names."""

BLANK = "-"
"""Stratum value of a contact whose field is blank (blank is a stratum of its own)."""


@dataclass(frozen=True)
class SamplePlan:
    """What to draw: the ratio, the minimum per stratum, the strata and the seed."""

    ratio: float = 0.10
    min_n: int = 0
    by: tuple[str, ...] = ("agent",)
    seed: int = 0

    def check(self, lang: str = "en") -> None:
        """``UsageError`` naming the bad option and what is allowed."""
        if not (0 < self.ratio <= 1):
            raise UsageError(_m("ratio", lang, ratio=f"{self.ratio:g}"))
        if self.min_n < 0:
            raise UsageError(_m("min", lang, n=self.min_n))
        unknown = [b for b in self.by if b not in STRATA]
        if unknown:
            raise UsageError(_m("by", lang, by=",".join(unknown), allowed=", ".join(STRATA)))
        if len(set(self.by)) != len(self.by):
            raise UsageError(_m("by_twice", lang, by=",".join(self.by)))
        if self.seed < 0:
            raise UsageError(_m("seed", lang, seed=self.seed))


_m = Catalog(
    {
        "ratio": (
            "--ratio {ratio}: must be more than 0 and at most 1",
            "--ratio {ratio}：须大于 0 且不超过 1",
        ),
        "min": ("--min {n}: must be 0 or more", "--min {n}：须不小于 0"),
        "by": (
            "--by {by}: unknown stratum; allowed: {allowed}",
            "--by {by}：未知的分层维度；允许：{allowed}",
        ),
        "by_twice": ("--by {by}: a stratum is named twice", "--by {by}：分层维度重复"),
        "seed": ("--seed {seed}: must be 0 or more", "--seed {seed}：须不小于 0"),
        "period": (
            "--period {period!r}: expected YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY or "
            "YYYY-MM-DD..YYYY-MM-DD",
            "--period {period!r}：应为 YYYY-MM、YYYY-Qn、YYYY-Hn、YYYY 或 YYYY-MM-DD..YYYY-MM-DD",
        ),
    }
)


def _hour_band_labels(hours: np.ndarray) -> np.ndarray:
    out = np.full(hours.shape, BLANK, dtype=object)
    for lo, hi in HOUR_BANDS:
        out[(hours >= lo) & (hours < hi)] = f"{lo:02d}-{hi:02d}"
    return out


def stratum_values(df: pd.DataFrame, name: str, lang: str = "en") -> np.ndarray:
    """One stratum dimension's value per contact, as text (blank -> ``-``); channels and
    service types by their label in ``lang``."""
    source = STRATA[name][0]
    n = len(df)
    if source not in df.columns:
        return np.full(n, BLANK, dtype=object)
    if source == "contact_time":
        t = pd.to_datetime(df[source], errors="coerce")
        ok = t.notna().to_numpy()
        out = np.full(n, BLANK, dtype=object)
        if name == "period":
            out[ok] = t[ok].dt.strftime("%Y-%m").to_numpy(dtype=object)
        elif name == "weekday":
            out[ok] = (t[ok].dt.weekday + 1).astype(str).to_numpy(dtype=object)  # 1 = Monday
        else:
            hours = t.dt.hour.to_numpy(dtype=float)
            if name == "hour":
                out[ok] = np.char.zfill(hours[ok].astype(int).astype(str), 2).astype(object)
            else:
                out[ok] = _hour_band_labels(hours[ok])
        return out
    # each distinct value once (a million contacts have a few hundred agents)
    codes, uniques = pd.factorize(df[source], use_na_sentinel=True)
    names = [str(v).strip() or BLANK for v in uniques]
    if source in ("channel", "service_type"):
        names = [choice_label(source, k, lang) if k != BLANK else k for k in names]
    table = np.array([*names, BLANK], dtype=object)  # code -1 (blank) -> the last entry
    return table[codes]


def stratum_labels(df: pd.DataFrame, by: Sequence[str], lang: str = "en") -> np.ndarray:
    """Each contact's stratum as one label, the dimensions' values joined by `` / ``."""
    if not by:
        return np.full(len(df), "", dtype=object)
    parts = [stratum_values(df, b, lang) for b in by]
    if len(parts) == 1:
        return parts[0]
    joined = parts[0].astype(str)
    for p in parts[1:]:
        joined = np.char.add(np.char.add(joined, " / "), p.astype(str))
    return joined.astype(object)


def quota(sizes: np.ndarray, ratio: float, min_n: int) -> np.ndarray:
    """Contacts to draw per stratum: max(ceil(ratio x size), min(min_n, size)), at most size.

    ``ratio x size`` is rounded to 9 decimals first, so 0.1 x 30 is 3, not 4."""
    sizes = np.asarray(sizes, dtype=np.int64)
    k = np.ceil(np.round(ratio * sizes, 9)).astype(np.int64)
    k = np.maximum(k, np.minimum(min_n, sizes))
    return np.minimum(k, sizes)


def draw(labels: np.ndarray, plan: SamplePlan) -> np.ndarray:
    """Positions (ascending) of the sampled contacts, given each contact's stratum label."""
    plan.check()
    n = len(labels)
    if not n:
        return np.zeros(0, dtype=np.int64)
    codes, uniques = pd.factorize(pd.Series(labels, dtype=object), sort=True)
    keys = np.random.default_rng(plan.seed).random(n)
    order = np.lexsort((keys, codes))  # by stratum, then by random key
    sizes = np.bincount(codes, minlength=len(uniques))
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - np.repeat(starts, sizes)
    keep = rank < quota(sizes, plan.ratio, plan.min_n)[codes]
    return np.flatnonzero(keep)


def _figures(part: pd.DataFrame, config: ScoringConfig) -> dict[str, Any]:
    """The population figures of ``part`` and their denominators (so the months of a
    quarter combine exactly: :mod:`udfs.core.population_periods`)."""
    s = metrics.summary(part, config)
    return {**{k: s[k] for k in POPULATION_FIGURES}, **base_counts(part)}


_FIGURE_COLUMNS = (
    "answered",
    "resolved_first_contact",
    "transferred",
    "first_response_s",
    "handle_time_s",
    "csat",
)


def population_rows(
    df: pd.DataFrame,
    labels: np.ndarray,
    sampled: np.ndarray,
    config: ScoringConfig = DEFAULT_CONFIG,
) -> list[dict[str, Any]]:
    """The population figures of the whole export: one row per period (``stratum`` ""),
    one per stratum (``period`` ""), and the total (both ""); each with ``sampled``.

    ``df`` is the typed export (``period`` column, canonical keys), ``labels`` each
    contact's stratum, ``sampled`` a boolean mask of the drawn contacts."""
    cols = [c for c in _FIGURE_COLUMNS if c in df.columns]
    work = df[cols].copy()
    work["_period"] = df["period"].to_numpy(dtype=object) if "period" in df.columns else None
    work["_stratum"] = labels
    work["_sampled"] = sampled.astype(np.int64)
    rows: list[dict[str, Any]] = []
    for period, part in work.groupby("_period", sort=True, dropna=True):
        rows.append(
            {
                "period": str(period),
                "stratum": "",
                **_figures(part, config),
                "sampled": int(part["_sampled"].sum()),
            }
        )
    if len(labels) and any(str(x) for x in labels):
        for stratum, part in work.groupby("_stratum", sort=True):
            rows.append(
                {
                    "period": "",
                    "stratum": str(stratum),
                    **_figures(part, config),
                    "sampled": int(part["_sampled"].sum()),
                }
            )
    rows.append(
        {"period": "", "stratum": "", **_figures(work, config), "sampled": int(sampled.sum())}
    )
    return rows


def in_period(times: Any, text: str, lang: str = "en") -> np.ndarray:
    """True for the contacts whose time falls in the period ``text`` (the report period's
    forms, :func:`udfs.core.periods.parse_period`); ``UsageError`` for anything else."""
    try:
        p = parse_period(text, lang)
    except PeriodError:
        raise UsageError(_m("period", lang, period=text)) from None
    return p.mask(times)

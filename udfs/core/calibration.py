"""Reviewer calibration (SPEC section 5): how far several reviewers agree when they score
the same contacts.

- Krippendorff's alpha with the ordinal metric, per rubric dimension and on the score
  (``overall``); missing ratings are allowed (a contact counts where at least two
  reviewers rated it).  1 = perfect agreement, 0 = no better than chance.
- agreement: the share of ratings equal to the panel median of that contact.
- per reviewer: contacts rated, mean score, mean deviation (their rating minus the panel
  median, over every dimension; positive = lenient) and the share of ratings within one
  point of the median.
- the contacts with the widest spread of scores (highest minus lowest).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .config import DEFAULT_CONFIG, ScoringConfig
from .fields import RUBRIC_KEYS

WIDEST = 5
"""Contacts listed with the widest spread."""


def alpha_ordinal(reliability: Any) -> float | None:
    """Krippendorff's alpha, ordinal metric, of a reviewers x units matrix (NaN = missing).

    Coincidences o_ck count each ordered pair of values within a unit, weighted 1/(m_u-1);
    n_c = sum_k o_ck; the ordinal distance is
    d_ck = (sum_{g=c..k} n_g - (n_c + n_k)/2)^2 over the values ranked; and
    alpha = 1 - (n-1) * sum o_ck d_ck / sum n_c n_k d_ck.
    ``None`` when fewer than two pairable ratings exist or every rating is the same value.
    """
    data = np.asarray(reliability, dtype=float)
    if data.ndim != 2 or data.size == 0:
        return None
    values = np.unique(data[~np.isnan(data)])
    if values.size < 2:
        return None
    # per unit (column), the count of each value
    idx = np.searchsorted(values, np.nan_to_num(data, nan=values[0]))
    counts = np.zeros((data.shape[1], values.size))
    for r in range(data.shape[0]):
        ok = ~np.isnan(data[r])
        np.add.at(counts, (np.flatnonzero(ok), idx[r, ok]), 1.0)
    m = counts.sum(axis=1)
    pairable = m >= 2
    counts, m = counts[pairable], m[pairable]
    if not counts.size:
        return None
    weighted = counts / (m - 1)[:, None]
    o = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n <= 1:
        return None
    cum = np.cumsum(n_c)
    lo = np.minimum.outer(np.arange(values.size), np.arange(values.size))
    hi = np.maximum.outer(np.arange(values.size), np.arange(values.size))
    between = cum[hi] - np.where(lo > 0, cum[np.maximum(lo - 1, 0)], 0.0)
    d = (between - (n_c[:, None] + n_c[None, :]) / 2.0) ** 2
    expected = (np.outer(n_c, n_c) * d).sum()
    if expected == 0:
        return None
    return float(1.0 - (n - 1) * (o * d).sum() / expected)


@dataclass
class Calibration:
    """The calibration session's figures (see the module docstring)."""

    contacts: int
    reviewer_count: int
    alpha: dict[str, float | None]
    agreement: dict[str, float | None]
    reviewers: pd.DataFrame
    """reviewer, contacts, mean_score, mean_deviation, within_one."""
    widest: pd.DataFrame
    """contact_id, reviewers, lowest, highest, spread: the widest score spreads first."""
    duplicates: list[str] = field(default_factory=list)
    """``contact / reviewer`` pairs given more than once (the first row is used)."""


def _matrix(df: pd.DataFrame, col: str, contacts: list[str], reviewers: list[str]) -> Any:
    table = df.pivot_table(index="reviewer", columns="contact_id", values=col, aggfunc="first")
    return table.reindex(index=reviewers, columns=contacts).to_numpy(dtype=float)


def calibrate(cal: pd.DataFrame, config: ScoringConfig = DEFAULT_CONFIG) -> Calibration:
    """The figures of a Calibration table (canonical columns; rows without a contact id
    or a reviewer are left out)."""
    from .metrics import score_frame

    df, duplicates = _usable_rows(cal)
    df = score_frame(df, config)
    contacts = sorted(df["contact_id"].unique().tolist())
    reviewers = sorted(df["reviewer"].unique().tolist())
    dims = [k for k in RUBRIC_KEYS if k in df.columns]
    alpha, agreement, dev = _agreement(df, dims, contacts, reviewers)
    return Calibration(
        contacts=len(contacts),
        reviewer_count=len(reviewers),
        alpha=alpha,
        agreement=agreement,
        reviewers=_reviewer_table(df, reviewers, dev),
        widest=_widest(df).head(WIDEST).reset_index(drop=True),
        duplicates=duplicates,
    )


def _usable_rows(cal: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The rows with a contact id and a reviewer (stripped), the first of each pair, and
    the ``contact / reviewer`` pairs given more than once."""
    df = cal.copy()
    for k in ("contact_id", "reviewer"):
        if k not in df.columns:
            df[k] = None
    ok = df["contact_id"].notna() & df["reviewer"].notna()
    df = df[ok].copy()
    df["contact_id"] = df["contact_id"].astype(str).str.strip()
    df["reviewer"] = df["reviewer"].astype(str).str.strip()
    df = df[(df["contact_id"] != "") & (df["reviewer"] != "")]
    dup = df.duplicated(["contact_id", "reviewer"], keep="first")
    duplicates = [f"{c} / {r}" for c, r in df.loc[dup, ["contact_id", "reviewer"]].to_numpy()]
    return df[~dup].reset_index(drop=True), duplicates


Deviations = dict[str, tuple[float, int, int]]
"""Reviewer -> (sum of deviations from the median, ratings compared, ratings within 1)."""


def _agreement(
    df: pd.DataFrame, dims: list[str], contacts: list[str], reviewers: list[str]
) -> tuple[dict[str, float | None], dict[str, float | None], Deviations]:
    """Alpha per dimension and overall, exact agreement with the median per dimension,
    and each reviewer's deviations from the median rating."""
    alpha: dict[str, float | None] = {}
    agreement: dict[str, float | None] = {}
    dev_sum = {r: 0.0 for r in reviewers}
    dev_n = {r: 0 for r in reviewers}
    within = {r: 0 for r in reviewers}
    for key in [*dims, "score"]:
        mat = _matrix(df, key, contacts, reviewers) if len(df) else np.empty((0, 0))
        name = "overall" if key == "score" else key
        alpha[name] = alpha_ordinal(mat) if mat.size else None
        if key == "score" or not mat.size:
            continue
        rated = (~np.isnan(mat)).sum(axis=0)
        mat2 = mat[:, rated >= 2]
        if not mat2.size:
            agreement[key] = None
            continue
        with np.errstate(all="ignore"):
            median = np.nanmedian(mat2, axis=0)
        present = ~np.isnan(mat2)
        agreement[key] = float(
            (mat2[present] == np.broadcast_to(median, mat2.shape)[present]).mean()
        )
        diff = mat2 - median[None, :]
        for i, r in enumerate(reviewers):
            d = diff[i][present[i]]
            dev_sum[r] += float(d.sum())
            dev_n[r] += int(d.size)
            within[r] += int((np.abs(d) <= 1).sum())
    return alpha, agreement, {r: (dev_sum[r], dev_n[r], within[r]) for r in reviewers}


def _reviewer_table(df: pd.DataFrame, reviewers: list[str], dev: Deviations) -> pd.DataFrame:
    """One row per reviewer: contacts, mean score, mean deviation, share within one point."""
    per = df.groupby("reviewer", sort=True)
    rows = []
    for r in reviewers:
        part = per.get_group(r)
        sc = part["score"].to_numpy(dtype=float)
        dev_sum, dev_n, within = dev[r]
        rows.append(
            {
                "reviewer": r,
                "contacts": int(part["contact_id"].nunique()),
                "mean_score": float(np.nanmean(sc)) if (~np.isnan(sc)).any() else None,
                "mean_deviation": dev_sum / dev_n if dev_n else None,
                "within_one": within / dev_n if dev_n else None,
            }
        )
    return pd.DataFrame(
        rows, columns=["reviewer", "contacts", "mean_score", "mean_deviation", "within_one"]
    )


def _widest(df: pd.DataFrame) -> pd.DataFrame:
    """The contacts scored by two reviewers or more, widest score spread first."""
    scored = df[df["score"].notna()]
    spread = scored.groupby("contact_id")["score"].agg(["count", "min", "max"])
    spread = spread[spread["count"] >= 2]
    widest = pd.DataFrame(
        {
            "contact_id": spread.index.astype(str),
            "reviewers": spread["count"].astype(int).to_numpy(),
            "lowest": spread["min"].to_numpy(dtype=float),
            "highest": spread["max"].to_numpy(dtype=float),
            "spread": (spread["max"] - spread["min"]).to_numpy(dtype=float),
        }
    )
    return widest.sort_values(["spread", "contact_id"], ascending=[False, True], kind="stable")

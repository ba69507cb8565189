"""The customer side of quality (seeds/000, seeds/001): customer level, feedback sources,
mystery shoppers and repeat complaints.

- Quality by customer level (seeds/000: 关联客户画像数据……分析服务质量与客户类型的关联性): the
  headline KPIs and the composite per level; the weakest level is the one with the lowest
  composite (at least :data:`MIN_LEVEL_CONTACTS` contacts).
- Feedback sources (seeds/000's 数据来源): contacts from complaints, praise and social media
  counted by problem category and by hour of day.
- Mystery-shopper contacts (seeds/001 主动监测) are scored with the same rubric and shown beside
  the other contacts.
- ``repeat_complaint_rate`` (seeds/001: 投诉重复率，同一客户30天内再次投诉的比例) = complaints
  whose customer had an earlier complaint within the window / complaints with a customer id;
  a complaint is a contact of service type 投诉 (``complaint``) or source 客户投诉.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import metrics
from .config import ScoringConfig

MIN_LEVEL_CONTACTS = 5
"""A customer level needs this many contacts to be named the weakest."""
FEEDBACK_SOURCES: tuple[str, ...] = ("complaint", "praise", "social")


def complaint_mask(frame: pd.DataFrame) -> np.ndarray:
    """Contacts that are complaints: service type ``complaint`` or source ``complaint``."""
    m = np.zeros(len(frame), dtype=bool)
    for col in ("service_type", "source"):
        if col in frame.columns:
            m |= (frame[col].astype(object) == "complaint").to_numpy(dtype=bool)
    return m


def repeat_complaint_flags(frame: pd.DataFrame, window_days: float = 30) -> np.ndarray:
    """Per contact: 1.0 a complaint whose customer complained before within the window,
    0.0 a complaint without, NaN not a complaint or no customer id / time."""
    out = np.full(len(frame), np.nan)
    if "customer_id" not in frame.columns or "contact_time" not in frame.columns:
        return out
    mask = complaint_mask(frame)
    if not mask.any():
        return out
    sub = frame[mask]
    out[mask] = metrics.repeat_flags(sub["customer_id"].tolist(), sub["contact_time"], window_days)
    return out


def repeat_complaint_rate(
    frame: pd.DataFrame, period_index: pd.Index | None, window_days: float = 30
) -> float | None:
    """``repeat_complaint_rate`` of the contacts at ``period_index`` (None: all), an earlier
    complaint counting even when it falls before the period."""
    flags = pd.Series(repeat_complaint_flags(frame, window_days), index=frame.index)
    if period_index is not None:
        flags = flags.reindex(period_index)
    f = flags.dropna().to_numpy(dtype=float)
    return float(f.mean()) if f.size else None


def by_level(cur: pd.DataFrame, config: ScoringConfig) -> pd.DataFrame:
    """The headline KPIs (composite included) per customer level; empty without levels."""
    if "customer_level" not in cur.columns or not cur["customer_level"].notna().any():
        return pd.DataFrame()
    return metrics.breakdown(cur, "customer_level", config)


def weakest_level(levels: pd.DataFrame) -> str | None:
    """The level with the lowest composite among those with enough contacts (two levels
    at least, else there is nothing to compare)."""
    if not len(levels) or "composite_score" not in levels.columns:
        return None
    ok = levels[(levels["contacts"] >= MIN_LEVEL_CONTACTS) & levels["composite_score"].notna()]
    if len(ok) < 2:
        return None
    return str(ok.sort_values("composite_score", kind="stable").iloc[0]["customer_level"])


def feedback_counts(cur: pd.DataFrame, by: str) -> pd.DataFrame:
    """Contacts from complaints, praise and social media per value of ``by``
    (``problem_category`` or ``hour``): one column per source, rows with any count."""
    if "source" not in cur.columns or not len(cur):
        return pd.DataFrame()
    src = cur["source"].astype(object)
    keep = src.isin(FEEDBACK_SOURCES).to_numpy(dtype=bool)
    if not keep.any():
        return pd.DataFrame()
    if by == "hour":
        t = pd.to_datetime(cur["contact_time"], errors="coerce")
        if "_month_only" in cur.columns:
            t = t.mask(cur["_month_only"].fillna(False).astype(bool))
        key = t.dt.hour
    else:
        key = cur[by] if by in cur.columns else pd.Series(None, index=cur.index, dtype=object)
    f = pd.DataFrame({by: key.to_numpy(), "source": src.to_numpy()})[keep].dropna()
    if not len(f):
        return pd.DataFrame()
    table = pd.crosstab(f[by], f["source"])
    for s in FEEDBACK_SOURCES:
        if s not in table.columns:
            table[s] = 0
    table = table[list(FEEDBACK_SOURCES)].reset_index()
    if by == "hour":
        table[by] = table[by].astype(int)
        return table.sort_values(by).reset_index(drop=True)
    return table.sort_values("complaint", ascending=False, kind="stable").reset_index(drop=True)


def mystery_vs_rest(cur: pd.DataFrame, config: ScoringConfig) -> pd.DataFrame:
    """The headline KPIs of mystery-shopper contacts beside the other contacts (two rows,
    ``group`` mystery_shopper / other); empty when there is no mystery-shopper contact."""
    if "source" not in cur.columns:
        return pd.DataFrame()
    mystery = (cur["source"].astype(object) == "mystery_shopper").to_numpy(dtype=bool)
    if not mystery.any():
        return pd.DataFrame()
    group = np.where(mystery, "mystery_shopper", "other")
    return metrics.breakdown(cur.assign(_group=group), "_group", config).rename(
        columns={"_group": "group"}
    )

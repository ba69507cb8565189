"""Pareto analysis of problem categories (SPEC section 5).

Categories are ranked by count (descending, ties keep first-seen order) with "Other/其他"
always last; share = count / total; cumulative share in that order; class A up to and
including the category that crosses 80 %, B up to 95 %, C the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

OTHER_LABELS = frozenset({"other", "others", "其他", "其它"})


def is_other(label: object) -> bool:
    return isinstance(label, str) and label.strip().casefold() in OTHER_LABELS


def pareto_order(labels: Sequence[object], counts: np.ndarray) -> np.ndarray:
    """Indices of the rows in Pareto order (count descending, stable, "Other" last)."""
    c = np.nan_to_num(np.asarray(counts, dtype=float), nan=0.0)
    other = np.array([is_other(x) for x in labels], dtype=bool)
    # lexsort: last key is primary -> (other flag, -count), stable on position
    return np.lexsort((np.arange(len(c)), -c, other.astype(int)))


def pareto_columns(
    labels: Sequence[object], counts: np.ndarray, a: float = 0.80, b: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Share, cumulative share and class per input row, in the input's own row order.

    Rows with a zero count get share 0 and class C; with a zero total every share is NaN.
    """
    c = np.nan_to_num(np.asarray(counts, dtype=float), nan=0.0)
    n = len(c)
    total = c.sum()
    share = np.full(n, np.nan)
    cumulative = np.full(n, np.nan)
    cls = np.full(n, None, dtype=object)
    if n == 0 or total <= 0:
        return share, cumulative, cls
    order = pareto_order(labels, c)
    ranked = c[order]
    cum_counts = np.cumsum(ranked)
    before = cum_counts - ranked
    eps = 1e-9 * total
    ranked_cls = np.where(
        before < a * total - eps, "A", np.where(before < b * total - eps, "B", "C")
    )
    ranked_cls = np.where(ranked > 0, ranked_cls, "C")
    share[order] = ranked / total
    cumulative[order] = cum_counts / total
    cls[order] = ranked_cls
    return share, cumulative, cls


def pareto_table(
    categories: Sequence[object] | pd.Series,
    a: float = 0.80,
    b: float = 0.95,
) -> pd.DataFrame:
    """Count raw problem categories (blanks ignored) into a ranked Pareto table.

    Columns: problem, count, share, cumulative, pareto_class; rows in Pareto order.
    """
    s = pd.Series(categories, dtype=object)
    s = s[s.notna()].astype(str).str.strip()
    s = s[s != ""]
    counts = s.value_counts(sort=False)
    labels = list(counts.index)
    share, cum, cls = pareto_columns(labels, counts.to_numpy(dtype=float), a, b)
    df = pd.DataFrame(
        {
            "problem": labels,
            "count": counts.to_numpy(dtype=int),
            "share": share,
            "cumulative": cum,
            "pareto_class": cls,
        }
    )
    return df.sort_values("cumulative", kind="stable").reset_index(drop=True)


OTHER_SLICE = {"en": "Other", "zh": "其他"}
"""The pie's slice for the share no row of the table names."""


def pie_slices(pareto: pd.DataFrame, lang: str) -> list[tuple[str, float]]:
    """The problem-type pie as (label, share 0-1): each Pareto row's share as the table
    prints it, plus an "Other/其他" slice for the rest when the shares (typed shares of a
    larger total, seeds/001's 35 % / 23 % of 120 complaints) leave some, so each slice
    shows the share the table shows."""
    if not len(pareto):
        return []
    out = [
        (str(p), max(float(s), 0.0))
        for p, s in zip(pareto["problem"], pareto["share"], strict=True)
    ]
    rest = 1.0 - sum(s for _, s in out)
    if rest > 0.005:
        out.append((OTHER_SLICE["zh" if lang == "zh" else "en"], rest))
    return out

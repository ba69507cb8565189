"""The Pareto from the Problems table's typed counts (seeds/001's 表2 as written).

SPEC section 3: "Problems may hold typed counts, used when the Monitoring rows carry no
problem category."  seeds/001's 表2 lists 物流延迟 42 (35 %) and 客服解答不专业 28 (23 %):
the shares are of all 120 complaints, more than the two rows listed, so a typed share is
kept as typed; where none is typed, share = count / total of the typed counts.  The
cumulative share runs over the shares in Pareto order (count descending, "Other" last) and
the class follows it (A up to and including the row that crosses ``a``, B up to ``b``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .pareto import pareto_order

COLUMNS = ("problem", "count", "share", "cumulative", "pareto_class", "share_typed")


def typed_pareto(problems: pd.DataFrame | None, a: float = 0.80, b: float = 0.95) -> pd.DataFrame:
    """The typed rows of the Problems table (a problem and a count) as a Pareto table:
    problem, count, share, cumulative, pareto_class, share_typed (bool); no typed count: empty."""
    empty = pd.DataFrame(columns=list(COLUMNS))
    if problems is None or not len(problems) or "frequency" not in problems.columns:
        return empty
    p = problems[["problem", "frequency", *(["share"] if "share" in problems.columns else [])]]
    p = p[p["problem"].notna() & pd.to_numeric(p["frequency"], errors="coerce").notna()]
    p = p.assign(problem=p["problem"].astype(str).str.strip())
    p = p[p["problem"] != ""].drop_duplicates("problem")
    if not len(p):
        return empty
    counts = pd.to_numeric(p["frequency"]).to_numpy(dtype=float)
    typed = (
        pd.to_numeric(p["share"], errors="coerce").to_numpy(dtype=float)
        if "share" in p.columns
        else np.full(len(p), np.nan)
    )
    total = counts.sum()
    computed = counts / total if total > 0 else np.full(len(p), np.nan)
    share = np.where(np.isnan(typed), computed, typed)
    order = pareto_order(list(p["problem"]), counts)
    ranked = np.nan_to_num(share[order])
    cum = np.cumsum(ranked)
    before = cum - ranked
    eps = 1e-9
    cls = np.where(before < a - eps, "A", np.where(before < b - eps, "B", "C"))
    cls = np.where(counts[order] > 0, cls, "C")
    return pd.DataFrame(
        {
            "problem": p["problem"].to_numpy()[order],
            "count": counts[order].astype(int),
            "share": share[order],
            "cumulative": cum,
            "pareto_class": cls,
            "share_typed": ~np.isnan(typed[order]),
        }
    )

"""KPI definitions (SPEC section 5), over columns and over a whole monitoring table.

Column functions take float arrays (NaN = blank; yes/no as 1.0/0.0) and return a float,
or ``None`` when there is no data ("no data", never 0).  :func:`summary` applies them to a
typed monitoring DataFrame with canonical keys; :func:`breakdown` does it per group.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .config import DEFAULT_CONFIG, ScoringConfig
from .scoring import composite, grade_keys, parse_verdict, qc_pass, qc_result, score_contacts
from .values import critical_mask


def _f(x: float) -> float | None:
    return None if x is None or np.isnan(x) else float(x)


def _arr(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float).ravel()


def csat_mean(csat: Any) -> float | None:
    """Mean rating over rated contacts."""
    c = _arr(csat)
    c = c[~np.isnan(c)]
    return _f(c.mean()) if c.size else None


def csat_pct(csat: Any) -> float | None:
    """Share (0-1) of ratings 4-5 among rated contacts."""
    c = _arr(csat)
    c = c[~np.isnan(c)]
    return _f((c >= 4).mean()) if c.size else None


def nps(scores: Any) -> float | None:
    """% promoters (9-10) minus % detractors (0-6) over rated contacts, in points."""
    s = _arr(scores)
    s = s[~np.isnan(s)]
    if not s.size:
        return None
    return _f(((s >= 9).mean() - (s <= 6).mean()) * 100.0)


def answered_mask(answered: Any, n: int) -> np.ndarray:
    """True for answered contacts; where ``answered`` is absent or blank, the contact counts."""
    if answered is None:
        return np.ones(n, dtype=bool)
    a = _arr(answered)
    return a != 0  # NaN != 0 -> True


def answer_rate(answered: Any) -> float | None:
    """Answered / contacts with an answered value."""
    a = _arr(answered)
    a = a[~np.isnan(a)]
    return _f(a.mean()) if a.size else None


def rate_among_answered(flag: Any, answered: Any = None) -> float | None:
    """Share of Y among answered contacts that have a Y/N value (FCR, transfer rate)."""
    f = _arr(flag)
    m = answered_mask(answered, f.size) & ~np.isnan(f)
    return _f(f[m].mean()) if m.any() else None


def fcr(resolved: Any, answered: Any = None) -> float | None:
    """First-contact resolution: resolved Y / answered contacts."""
    return rate_among_answered(resolved, answered)


def mean_answered(values: Any, answered: Any = None) -> float | None:
    """Average time over answered contacts with a value."""
    v = _arr(values)
    m = answered_mask(answered, v.size) & ~np.isnan(v)
    return _f(v[m].mean()) if m.any() else None


def service_level(
    first_response_s: Any, answered: Any = None, threshold_s: float = 30
) -> float | None:
    """Share of answered contacts (with a first-response value) answered within threshold."""
    v = _arr(first_response_s)
    m = answered_mask(answered, v.size) & ~np.isnan(v)
    return _f((v[m] <= threshold_s).mean()) if m.any() else None


def _id_keys(customer_ids: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """Which contacts have a customer id (not blank), and every id as stripped text."""
    ids = pd.Series(list(customer_ids), dtype=object)
    filled = ids.notna().to_numpy(dtype=bool)  # None and NaN are no id
    keys = np.full(len(ids), "", dtype=object)
    if pd.api.types.infer_dtype(ids[filled].to_numpy(), skipna=False) in ("string", "empty"):
        keys[filled] = ids[filled].str.strip().to_numpy()
        return keys != "", keys
    present = ids.map(lambda v: v is not None and str(v).strip() != "" and v == v).to_numpy(bool)
    keys[present] = ids[present].astype(str).str.strip().to_numpy()
    return present, keys


def repeat_flags(customer_ids: Sequence[object], times: Any, window_days: float = 30) -> np.ndarray:
    """Per contact: 1.0 when the same customer had an earlier contact within the window,
    0.0 when not, NaN when the contact has no customer id or no time."""
    present, keys = _id_keys(customer_ids)
    t = pd.to_datetime(
        pd.Series(list(times) if not isinstance(times, pd.Series) else times.values),
        errors="coerce",
    )
    ok = present & t.notna().to_numpy(dtype=bool)
    out = np.full(len(ok), np.nan)
    if not ok.any():
        return out
    # each returning customer's contacts in time order (ties in table order), then the gap
    # between one contact and the customer's contact before it; a one-off customer's is 0.0
    rows = np.flatnonzero(ok)
    customer = pd.factorize(keys[rows])[0]
    when = t.array[rows]
    again = np.flatnonzero(np.bincount(customer)[customer] > 1)
    order = again[when[again].argsort(kind="stable")]
    order = order[np.argsort(customer[order], kind="stable")]
    follows = np.flatnonzero(customer[order[1:]] == customer[order[:-1]]) + 1
    gap = (when[order[follows]] - when[order[follows - 1]]).total_seconds()
    flag = np.zeros(len(rows))
    flag[order[follows]] = gap <= window_days * 86400
    out[rows] = flag
    return out


def repeat_rate(
    customer_ids: Sequence[object], times: Any, window_days: float = 30
) -> float | None:
    """Contacts whose customer had an earlier contact within the window / contacts with an id."""
    f = repeat_flags(customer_ids, times, window_days)
    f = f[~np.isnan(f)]
    return _f(f.mean()) if f.size else None


def qc_pass_rate(scores: Any, critical: Any = None, pass_mark: float = 60) -> float | None:
    """Share of scored contacts with score >= pass mark and no critical error."""
    s = _arr(scores)
    crit = np.zeros(s.size, dtype=bool) if critical is None else np.asarray(critical, dtype=bool)
    m = ~np.isnan(s)
    if not m.any():
        return None
    return _f(((s[m] >= pass_mark) & ~crit[m]).mean())


def critical_flags(df: pd.DataFrame) -> np.ndarray:
    if "critical_error" not in df.columns:
        return np.zeros(len(df), dtype=bool)
    values = df["critical_error"].to_numpy(dtype=object).reshape(-1, 1)
    return critical_mask(values)[:, 0]


SUMMARY_KEYS = (
    "contacts",
    "answered",
    "answer_rate",
    "resolved_first_contact",
    "fcr",
    "csat_mean",
    "csat_pct",
    "nps",
    "avg_first_response_s",
    "avg_handle_time_s",
    "avg_resolution_time_h",
    "service_level",
    "transfer_rate",
    "repeat_rate",
    "qa_score_mean",
    "qc_pass_rate",
    "composite_score",
    "grade",
)


FIGURE_COLUMNS = (
    "answered",
    "resolved_first_contact",
    "csat",
    "nps",
    "first_response_s",
    "handle_time_s",
    "resolution_time_h",
    "transferred",
    "_repeat",
    "score",
    "qc_pass",
)
"""The numeric columns :func:`summary` reads (``_repeat``: repeat flags computed beforehand)."""


def _figure_columns(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """The columns :func:`summary` reads as float arrays, the critical-error flags beside
    ``score`` and, beside ``qc_pass``, where a reviewer's verdict is filled; absent columns
    are left out.  Every entry is per row, so a group's figures come from slices of these."""
    cols = {k: df[k].to_numpy(dtype=float) for k in FIGURE_COLUMNS if k in df.columns}
    if "score" in cols:
        cols["_critical"] = critical_flags(df)
    if "qc_pass" in cols and "qc_verdict" in df.columns:
        cols["_verdict"] = df["qc_verdict"].notna().to_numpy(dtype=bool)
    return cols


def summary(df: pd.DataFrame, config: ScoringConfig = DEFAULT_CONFIG) -> dict[str, Any]:
    """Headline KPIs of a typed monitoring table (canonical columns; ``score`` computed).

    Keys are the SPEC section 8 names; values are floats, ints, or None for "no data".
    """
    repeat = None
    if "_repeat" not in df.columns and "customer_id" in df.columns and "contact_time" in df.columns:
        repeat = repeat_rate(
            df["customer_id"].tolist(), df["contact_time"], config.repeat_window_days
        )
    return _summary(_figure_columns(df), len(df), config, repeat)


def _summary(
    cols: dict[str, np.ndarray], n: int, config: ScoringConfig, repeat: float | None = None
) -> dict[str, Any]:
    """:func:`summary` of ``n`` contacts given as :func:`_figure_columns`; ``repeat`` is the
    repeat rate used when there are no ``_repeat`` flags."""
    ans = cols.get("answered")
    amask = answered_mask(ans, n)
    res = cols.get("resolved_first_contact")
    out: dict[str, Any] = {"contacts": n}
    out["answered"] = int(amask.sum())
    out["answer_rate"] = answer_rate(ans) if ans is not None else None
    out["resolved_first_contact"] = (
        int(np.nansum(res[amask])) if res is not None and (~np.isnan(res[amask])).any() else None
    )
    out["fcr"] = fcr(res, ans) if res is not None else None
    csat = cols.get("csat")
    out["csat_mean"] = csat_mean(csat) if csat is not None else None
    out["csat_pct"] = csat_pct(csat) if csat is not None else None
    npsv = cols.get("nps")
    out["nps"] = nps(npsv) if npsv is not None else None
    for key, src in (
        ("avg_first_response_s", "first_response_s"),
        ("avg_handle_time_s", "handle_time_s"),
        ("avg_resolution_time_h", "resolution_time_h"),
    ):
        v = cols.get(src)
        out[key] = mean_answered(v, ans) if v is not None else None
    fr = cols.get("first_response_s")
    out["service_level"] = (
        service_level(fr, ans, config.service_level_s) if fr is not None else None
    )
    tr = cols.get("transferred")
    out["transfer_rate"] = rate_among_answered(tr, ans) if tr is not None else None
    rf = cols.get("_repeat")  # flags computed over the whole table (see breakdown)
    if rf is not None:
        out["repeat_rate"] = _f(np.nanmean(rf)) if (~np.isnan(rf)).any() else None
    else:
        out["repeat_rate"] = repeat
    sc = cols.get("score")
    if sc is not None and (~np.isnan(sc)).any():
        out["qa_score_mean"] = _f(np.nanmean(sc))
        out["qc_pass_rate"] = qc_pass_rate(sc, cols["_critical"], config.grades.pass_)
    else:
        out["qa_score_mean"] = out["qc_pass_rate"] = None
    if "_verdict" in cols and cols["_verdict"].any():
        # the QC result used: a reviewer's verdict where filled, else the score's
        qp = cols["qc_pass"]
        out["qc_pass_rate"] = _f(np.nanmean(qp)) if (~np.isnan(qp)).any() else None
    out["composite_score"] = composite_of(out, config)
    g = grade_keys(
        np.array([np.nan if out["composite_score"] is None else out["composite_score"]]),
        config.grades,
    )[0]
    out["grade"] = g
    return out


def composite_of(metrics: dict[str, Any], config: ScoringConfig = DEFAULT_CONFIG) -> float | None:
    """The agent/team composite of already computed metrics (missing ones are skipped)."""
    vals = np.array(
        [
            [
                np.nan if metrics.get(i.source) is None else metrics[i.source]
                for i in config.team_indicators
            ]
        ],
        dtype=float,
    )
    return _f(composite(vals, config.team_indicators)[0])


def breakdown(df: pd.DataFrame, by: str, config: ScoringConfig = DEFAULT_CONFIG) -> pd.DataFrame:
    """:func:`summary` per value of ``by`` (e.g. agent_id, team, channel, period)."""
    if by not in df.columns:
        return pd.DataFrame(columns=[by, *SUMMARY_KEYS])
    if "customer_id" in df.columns and "contact_time" in df.columns:
        # an earlier contact of the same customer counts even when it is in another group
        df = df.assign(
            _repeat=repeat_flags(
                df["customer_id"].tolist(), df["contact_time"], config.repeat_window_days
            )
        )
    groups = df.groupby(by, sort=True, dropna=True)
    group = groups.ngroup().to_numpy(dtype=float)  # NaN: a blank value, in no group
    in_group = np.argsort(group, kind="stable")  # group by group, each in table order
    sizes = groups.size()
    ends = np.cumsum(sizes.to_numpy())
    cols = _figure_columns(df)  # converted once, then sliced per group
    rows = []
    for key, size, end in zip(sizes.index, sizes.to_numpy(), ends, strict=True):
        part = in_group[end - size : end]
        rows.append({by: key, **_summary({k: v[part] for k, v in cols.items()}, int(size), config)})
    return pd.DataFrame(rows, columns=[by, *SUMMARY_KEYS])


def score_frame(df: pd.DataFrame, config: ScoringConfig = DEFAULT_CONFIG) -> pd.DataFrame:
    """Add ``score``, ``grade`` (key), ``qc_pass`` (1/0/NaN) to a typed monitoring table.

    Indicator source columns missing from ``df`` count as blank.  Returns a new frame.
    """
    n = len(df)
    inds = config.contact_indicators
    ratings = (
        np.column_stack(
            [
                df[i.source].to_numpy(dtype=float) if i.source in df.columns else np.full(n, np.nan)
                for i in inds
            ]
        )
        if n
        else np.empty((0, len(inds)))
    )
    crit = critical_flags(df)
    score = score_contacts(ratings, crit, inds, auto_fail=config.critical_auto_fail)
    by_score = qc_pass(score, crit if config.critical_auto_fail else None, config.grades.pass_)
    verdict = None
    if "qc_verdict" in df.columns:
        verdict = parse_verdict(df["qc_verdict"].tolist())[0]
    return df.assign(  # a new frame; df's columns are shared, not copied (copy-on-write)
        score=score,
        grade=grade_keys(score, config.grades),
        qc_pass_score=by_score,  # the score-based result, kept beside the verdict
        qc_pass=qc_result(by_score, verdict),
    )

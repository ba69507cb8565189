"""Sampling noise: is a change between two periods beyond chance, and an agent's interval.

A change is called ``up`` or ``down`` only when it is significant at 95 % (two-sided):
a two-proportion z-test (pooled) for rates, Welch's t-test for means (Student's t from the
regularised incomplete beta function, no scipy at run time); otherwise it is
``stable``; ``None`` when it cannot be tested (a period without data, a KPI without
per-contact counts such as NPS or the composite).  :func:`mean_interval` is the t-based
95 % interval of a mean (an agent's QA score beside the team's).

:func:`kpi_sample` turns a period's contacts into what a KPI is computed from (a 0/1 flag
per counted contact for rates, the values for means), with the same contacts counted as
:mod:`udfs.core.metrics` counts them.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import pandas as pd

from .metrics import answered_mask, critical_flags

LEVEL = 0.95
"""Confidence level of every test and interval."""
ALPHA = 1 - LEVEL
VERDICTS = ("up", "down", "stable")


def _norm_sf(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2))


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 400):
        m2 = 2 * m
        for aa in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + aa / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _betai(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    bt = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return bt * _betacf(a, b, x) / a
    return 1.0 - bt * _betacf(b, a, 1.0 - x) / b


def t_two_sided_p(t: float, df: float) -> float:
    """P(|T| >= |t|) for Student's t with ``df`` degrees of freedom (no scipy needed, so a
    report starts as fast as before)."""
    return _betai(df / 2.0, 0.5, df / (df + t * t))


def _t_pdf(t: float, df: float) -> float:
    return math.exp(
        math.lgamma((df + 1) / 2)
        - math.lgamma(df / 2)
        - 0.5 * math.log(df * math.pi)
        - (df + 1) / 2 * math.log1p(t * t / df)
    )


@functools.lru_cache(maxsize=8)
def _norm_quantile(q: float) -> float:
    """The standard normal ``q`` quantile, by bisection on erfc (no scipy)."""
    lo, hi = -10.0, 10.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if _norm_sf(mid) > 1.0 - q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _cornish_fisher(q: float, df: float) -> float:
    """Student's t quantile from the normal one (Cornish-Fisher, four terms; error below
    1e-9 relative from 200 degrees of freedom)."""
    z = _norm_quantile(q)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def t_quantile(q: float, df: float) -> float:
    """The ``q`` quantile (0.5 < q < 1) of Student's t: Cornish-Fisher for many degrees of
    freedom, else Newton's method on :func:`t_two_sided_p` kept inside a bracket."""
    start = _cornish_fisher(q, df)
    if df >= 200:
        return start
    target = 2.0 * (1.0 - q)
    lo, hi = 0.0, max(start, 1.0)
    while t_two_sided_p(hi, df) > target:
        lo, hi = hi, hi * 2.0
    t = min(max(start, lo), hi)
    for _ in range(100):
        p = t_two_sided_p(t, df)
        if p > target:
            lo = t
        else:
            hi = t
        step = (p - target) / (2.0 * _t_pdf(t, df))
        nxt = t + step
        if not lo < nxt < hi:
            nxt = (lo + hi) / 2.0
        if abs(nxt - t) < 1e-13 * max(1.0, t):
            return nxt
        t = nxt
    return t


def rate_verdict(x1: float, n1: int, x0: float, n0: int, alpha: float = ALPHA) -> str | None:
    """``x1`` of ``n1`` (this period) against ``x0`` of ``n0`` (the other): pooled
    two-proportion z-test, two-sided."""
    if n1 < 1 or n0 < 1:
        return None
    p1, p0 = x1 / n1, x0 / n0
    pooled = (x1 + x0) / (n1 + n0)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    if se == 0:
        return "stable"  # both 0 % or both 100 %
    p = 2 * _norm_sf(abs(p1 - p0) / se)
    if p >= alpha:
        return "stable"
    return "up" if p1 > p0 else "down"


def mean_verdict(v1: Any, v0: Any, alpha: float = ALPHA) -> str | None:
    """Values of this period against the other's: Welch's t-test, two-sided."""
    a, b = _values(v1), _values(v0)
    if a.size < 2 or b.size < 2:
        return None
    m1, m0 = float(a.mean()), float(b.mean())
    s1, s0 = float(a.var(ddof=1)) / a.size, float(b.var(ddof=1)) / b.size
    se2 = s1 + s0
    if se2 == 0:
        return "stable" if m1 == m0 else ("up" if m1 > m0 else "down")
    df = se2**2 / (s1**2 / (a.size - 1) + s0**2 / (b.size - 1))
    p = t_two_sided_p(abs(m1 - m0) / math.sqrt(se2), df)
    if p >= alpha:
        return "stable"
    return "up" if m1 > m0 else "down"


def mean_interval(values: Any, level: float = LEVEL) -> tuple[float | None, float | None]:
    """The t-based interval of the mean of ``values`` (NaN left out); ``(None, None)`` with
    fewer than two values."""
    a = _values(values)
    if a.size < 2:
        return None, None
    m = float(a.mean())
    sd = float(a.std(ddof=1))
    half = t_quantile(0.5 + level / 2, a.size - 1) * sd / math.sqrt(a.size) if sd > 0 else 0.0
    return m - half, m + half


def overlaps(a: tuple[float | None, float | None], b: tuple[float | None, float | None]) -> bool:
    """Do two intervals overlap (an interval with a missing end overlaps everything)?"""
    if None in a or None in b:
        return True
    return not (a[1] < b[0] or b[1] < a[0])  # type: ignore[operator]


def _values(v: Any) -> np.ndarray:
    a = np.asarray(v, dtype=float).ravel()
    return a[~np.isnan(a)]


def _col(frame: pd.DataFrame, col: str) -> np.ndarray | None:
    return frame[col].to_numpy(dtype=float) if col in frame.columns else None


def kpi_sample(
    frame: pd.DataFrame, kpi: str, service_level_s: float, pass_mark: float
) -> tuple[str, np.ndarray] | None:
    """What ``kpi`` is computed from in ``frame`` (a scored work frame): ``("rate", flags)``
    (0/1 per counted contact) or ``("mean", values)``; ``None`` when it has no such sample."""
    n = len(frame)
    ans = _col(frame, "answered")
    amask = answered_mask(ans, n)

    def among_answered(col: str) -> np.ndarray | None:
        v = _col(frame, col)
        return None if v is None else v[amask & ~np.isnan(v)]

    if kpi == "answer_rate":
        return None if ans is None else ("rate", ans[~np.isnan(ans)])
    if kpi in ("fcr", "transfer_rate"):
        v = among_answered("resolved_first_contact" if kpi == "fcr" else "transferred")
        return None if v is None else ("rate", v)
    if kpi == "service_level":
        v = among_answered("first_response_s")
        return None if v is None else ("rate", (v <= service_level_s).astype(float))
    if kpi in ("csat_mean", "csat_pct"):
        c = _col(frame, "csat")
        if c is None:
            return None
        c = c[~np.isnan(c)]
        return ("mean", c) if kpi == "csat_mean" else ("rate", (c >= 4).astype(float))
    if kpi == "repeat_rate":
        r = _col(frame, "_repeat")
        return None if r is None else ("rate", r[~np.isnan(r)])
    times = {
        "avg_first_response_s": "first_response_s",
        "avg_handle_time_s": "handle_time_s",
        "avg_resolution_time_h": "resolution_time_h",
    }
    if kpi in times:
        v = among_answered(times[kpi])
        return None if v is None else ("mean", v)
    if kpi in ("qa_score_mean", "qc_pass_rate"):
        s = _col(frame, "score")
        if kpi == "qa_score_mean":
            return None if s is None else ("mean", s[~np.isnan(s)])
        qp = _col(frame, "qc_pass")
        if qp is not None and "qc_verdict" in frame.columns and frame["qc_verdict"].notna().any():
            return "rate", qp[~np.isnan(qp)]
        if s is None:
            return None
        ok = ~np.isnan(s)
        passed = (s >= pass_mark) & ~critical_flags(frame)
        return "rate", passed[ok].astype(float)
    return None


def kpi_verdict(
    cur: pd.DataFrame, other: pd.DataFrame, kpi: str, service_level_s: float, pass_mark: float
) -> str | None:
    """The verdict on ``kpi`` of ``cur`` against ``other`` (see the module docstring)."""
    if not len(cur) or not len(other):
        return None
    a = kpi_sample(cur, kpi, service_level_s, pass_mark)
    b = kpi_sample(other, kpi, service_level_s, pass_mark)
    if a is None or b is None or not a[1].size or not b[1].size:
        return None
    if a[0] == "rate":
        return rate_verdict(float(a[1].sum()), a[1].size, float(b[1].sum()), b[1].size)
    return mean_verdict(a[1], b[1])

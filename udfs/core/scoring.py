"""Scores, grades, rubric levels, bands, composites and score explanations (SPEC section 4).

All functions take whole columns (numpy arrays) and return whole columns; the scalar
case is the column case with one row.  Missing values are NaN; "no score" is NaN, never 0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from .config import DEFAULT_CONFIG, GradeThresholds, Indicator

SCORE_DECIMALS = 2
"""Scores are rounded to 2 decimals so every engine (Python, Excel, LibreOffice) agrees."""

GRADE_KEYS = ("excellent", "good", "pass", "fail")
GRADE_LABELS: dict[str, dict[str, str]] = {
    "zh": {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"},
    "en": {"excellent": "Excellent", "good": "Good", "pass": "Pass", "fail": "Fail"},
}
LEVEL_LABELS: dict[str, dict[int, str]] = {
    "zh": {5: "优秀", 4: "良好", 3: "合格", 2: "需改进", 1: "需改进"},
    "en": {5: "Excellent", 4: "Good", 3: "Pass", 2: "Needs improvement", 1: "Needs improvement"},
}
QC_LABELS: dict[str, dict[bool, str]] = {
    "zh": {True: "合格", False: "不合格"},
    "en": {True: "Pass", False: "Fail"},
}


def band(values: np.ndarray, bands: Sequence[float], points: Sequence[float]) -> np.ndarray:
    """Upper-inclusive band lookup: value <= bands[i] -> points[i]; above all -> points[-1]."""
    values = np.asarray(values, dtype=float)
    idx = np.searchsorted(np.asarray(bands, dtype=float), values, side="left")
    out = np.asarray(points, dtype=float)[np.minimum(idx, len(points) - 1)]
    return np.where(np.isnan(values), np.nan, out)


def indicator_points(values: np.ndarray, ind: Indicator) -> np.ndarray:
    """An indicator's raw values -> 0-100 points according to its rule (NaN stays NaN)."""
    v = np.asarray(values, dtype=float)
    if ind.rule == "rubric":
        return v / 5.0 * 100.0
    if ind.rule == "bands":
        return band(v, ind.bands, ind.points)
    if ind.rule == "yes_no":
        return np.where(np.isnan(v), np.nan, np.where(v > 0, 100.0, 0.0))
    if ind.rule == "percent":
        return v * 100.0
    return v.copy()  # "score": already on 0-100


def weighted_score(points: np.ndarray, weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """Row-wise weighted mean of 0-100 points, renormalising over the non-NaN cells.

    A row with no rated indicator (or only zero-weight ones) gets NaN: no score, not 0.
    """
    p = np.asarray(points, dtype=float)
    if p.ndim == 1:
        p = p.reshape(1, -1)
    w = np.asarray(weights, dtype=float)
    rated = ~np.isnan(p)
    wsum = rated @ w
    total = np.where(rated, p, 0.0) @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        score = total / wsum
    return np.where(wsum > 0, np.round(score, SCORE_DECIMALS), np.nan)


def score_contacts(
    ratings: np.ndarray,
    critical: np.ndarray | None = None,
    indicators: Sequence[Indicator] = DEFAULT_CONFIG.contact_indicators,
    weights: Sequence[float] | np.ndarray | None = None,
    auto_fail: bool = True,
) -> np.ndarray:
    """Per-contact QA score, 0-100.

    ``ratings`` is an (n, k) array of the indicators' source values in ``indicators``
    order (NaN = blank or N/A); ``critical`` a boolean (n,) array, True where the contact
    has a critical error, which makes its score 0 when ``auto_fail``.  ``weights``
    overrides the indicators' weights (same order).
    """
    r = np.asarray(ratings, dtype=float)
    if r.ndim == 1:
        r = r.reshape(1, -1)
    inds = list(indicators)
    if all(i.rule == "rubric" for i in inds):
        points = r * 20.0  # x/5*100, the common case, in one vector operation
    else:
        points = np.column_stack([indicator_points(r[:, j], ind) for j, ind in enumerate(inds)])
    w = np.asarray([i.weight for i in inds] if weights is None else weights, dtype=float)
    score = weighted_score(points, w)
    if critical is not None and auto_fail:
        score = np.where(np.asarray(critical, dtype=bool), 0.0, score)
    return score


def composite(
    values: np.ndarray,
    indicators: Sequence[Indicator] = DEFAULT_CONFIG.team_indicators,
    weights: Sequence[float] | np.ndarray | None = None,
) -> np.ndarray:
    """Agent/team composite: one row per agent or team, one column per indicator's metric."""
    v = np.asarray(values, dtype=float)
    if v.ndim == 1:
        v = v.reshape(1, -1)
    inds = list(indicators)
    points = np.column_stack([indicator_points(v[:, j], ind) for j, ind in enumerate(inds)])
    w = np.asarray([i.weight for i in inds] if weights is None else weights, dtype=float)
    return weighted_score(points, w)


def grade_keys(
    scores: np.ndarray, thresholds: GradeThresholds | Sequence[float] | np.ndarray | None = None
) -> np.ndarray:
    """Scores -> grade keys (excellent/good/pass/fail); None where there is no score."""
    t = (
        thresholds.as_tuple()
        if isinstance(thresholds, GradeThresholds)
        else tuple(thresholds)
        if thresholds is not None
        else DEFAULT_CONFIG.grades.as_tuple()
    )
    s = np.asarray(scores, dtype=float)
    out = np.full(s.shape, None, dtype=object)
    ok = ~np.isnan(s)
    out[ok] = "fail"
    out[ok & (s >= t[2])] = "pass"
    out[ok & (s >= t[1])] = "good"
    out[ok & (s >= t[0])] = "excellent"
    return out


def grade_labels(keys: np.ndarray, lang: str = "zh") -> np.ndarray:
    labels = GRADE_LABELS["en" if lang == "en" else "zh"]
    return np.array(
        [labels.get(k) if k is not None else None for k in np.ravel(keys)], dtype=object
    ).reshape(np.shape(keys))


def grade(
    scores: np.ndarray,
    thresholds: GradeThresholds | Sequence[float] | np.ndarray | None = None,
    lang: str = "zh",
) -> np.ndarray:
    """Scores -> grade labels (优秀/良好/合格/不合格 or Excellent/Good/Pass/Fail)."""
    return grade_labels(grade_keys(scores, thresholds), lang)


def level(values: np.ndarray, lang: str = "zh") -> np.ndarray:
    """Rubric values 1-5 -> level labels (5 优秀, 4 良好, 3 合格, 1-2 需改进)."""
    labels = LEVEL_LABELS["en" if lang == "en" else "zh"]
    v = np.asarray(values, dtype=float)
    out = np.full(v.shape, None, dtype=object)
    for k, text in labels.items():
        out[v == k] = text
    return out


def qc_pass(
    scores: np.ndarray, critical: np.ndarray | None = None, pass_mark: float = 60
) -> np.ndarray:
    """QC pass per contact: score >= pass mark and no critical error (NaN: not scored)."""
    s = np.asarray(scores, dtype=float)
    ok = s >= pass_mark
    if critical is not None:
        ok &= ~np.asarray(critical, dtype=bool)
    return np.where(np.isnan(s), np.nan, ok.astype(float))


_VERDICT = re.compile(
    r"^\s*(不合格|合格|fail(?:ed)?|pass(?:ed)?)\s*(?:[(（:：,，;；\-—]\s*(.*?)\s*[)）]?)?\s*$",
    re.IGNORECASE,
)


def parse_verdict(texts: Sequence[object]) -> tuple[np.ndarray, list[str | None], np.ndarray]:
    """A reviewer's typed verdicts: 合格/不合格 (Pass/Fail), optionally with a reason.

    ``"不合格(未同步仓库数据)"`` -> fail, reason ``未同步仓库数据``.  Returns the pass flag per
    contact (1.0 pass, 0.0 fail, NaN blank or unreadable), the reasons, and a mask of the
    cells that hold text that is not a verdict.
    """
    n = len(texts)
    flags = np.full(n, np.nan)
    reasons: list[str | None] = [None] * n
    bad = np.zeros(n, dtype=bool)
    for i, t in enumerate(texts):
        if t is None or (isinstance(t, float) and t != t) or not str(t).strip():
            continue
        m = _VERDICT.match(str(t))
        if m is None:
            bad[i] = True
            continue
        word = m.group(1).casefold()
        flags[i] = 0.0 if word in ("不合格", "fail", "failed") else 1.0
        reasons[i] = m.group(2) or None
    return flags, reasons, bad


def qc_result(score_pass: np.ndarray, verdict_pass: np.ndarray | None = None) -> np.ndarray:
    """The QC result used: the reviewer's verdict where there is one, else the score's."""
    s = np.asarray(score_pass, dtype=float)
    if verdict_pass is None:
        return s
    v = np.asarray(verdict_pass, dtype=float)
    return np.where(np.isnan(v), s, v)


def explain(
    ratings: Sequence[float],
    critical_reason: str | None = None,
    indicators: Sequence[Indicator] = DEFAULT_CONFIG.contact_indicators,
    weights: Sequence[float] | np.ndarray | None = None,
    thresholds: GradeThresholds | Sequence[float] | None = None,
    lang: str = "zh",
    auto_fail: bool = True,
) -> str:
    """A one-line account of how one contact's score was reached."""
    inds = list(indicators)
    w = [i.weight for i in inds] if weights is None else list(weights)
    r = np.asarray(ratings, dtype=float).reshape(1, -1)
    score = score_contacts(r, np.array([bool(critical_reason)]), inds, w, auto_fail)[0]
    g = grade(np.array([score]), thresholds, lang)[0]
    en = lang == "en"
    if critical_reason and auto_fail:
        head = "Critical error" if en else "致命错误"
        return f"{head}: {critical_reason} → 0 ({g})"
    parts, skipped = [], []
    rated_w = sum(wj for rj, wj in zip(r[0], w, strict=True) if not np.isnan(rj))
    for ind, rj, wj in zip(inds, r[0], w, strict=True):
        name = ind.label(lang)
        if np.isnan(rj):
            skipped.append(name)
            continue
        pts = float(indicator_points(np.array([rj]), ind)[0])
        share = wj / rated_w * 100 if rated_w else 0.0
        parts.append(f"{name} {_num(rj)}→{_num(pts)}×{_num(round(share, 1))}%")
    if not parts:
        return "No rated indicator → no score" if en else "无评分项 → 无得分"
    text = " + ".join(parts)
    if skipped:
        text += (
            (" (N/A, weight re-spread: " if en else "（不适用，权重重新分配：")
            + ", ".join(skipped)
            + (")" if en else "）")
        )
    return f"{text} = {_num(score)} ({g})"


def _num(v: float) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() else f"{v:.2f}".rstrip("0").rstrip(".")


def grade_label(key: str | None, lang: str) -> str | None:
    """The display text of a grade key (``excellent`` -> 优秀 / Excellent); None stays None."""
    if key is None:
        return None
    return GRADE_LABELS["zh" if lang == "zh" else "en"].get(key, key)

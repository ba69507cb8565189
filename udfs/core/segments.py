"""Chapters per segment (``--by service_type``) and the roll-up's team comparison.

:func:`compute_segments` divides the report period's contacts by one field: every value
with at least ``min_contacts`` contacts is a :class:`Segment` of its own, the smaller ones
(and blanks) are grouped as "其他/Other" and named in ``members``.  A segment holds the
whole report's figures restricted to its contacts: the section 5 KPIs (``kpis``: the keys
of :data:`udfs.core.metrics.SUMMARY_KEYS`, composite and grade included), its share of
contacts, the KPIs against the Config targets, its own Pareto, worst two-hour band, the
share of first responses over the service-level threshold, typical cases, the KPIs of the
baseline period (``--compare``) and a few findings worded in both languages.  Repeat
contacts are flagged over the whole table (an earlier contact in another segment counts),
as in every breakdown.

The renderers read it as plain data: :class:`Segments` ``rows`` in report order (largest
first, choice fields in their list order, Other last); ``Segment.label`` by language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import metrics
from .config import ScoringConfig
from .fields import CHOICES, choice_order
from .hours import PeakBand, worst_band
from .pareto import pareto_table
from .scope import field_name, other_label, value_label
from .targets import RATE_KPIS, Target, TargetCheck, check_targets, kpi_label

OTHER = "__other__"
"""The ``value`` of the grouped small segments."""
BLANK = "__blank__"
"""A member of Other standing for contacts with the field left blank."""
SEGMENT_KPIS: tuple[str, ...] = tuple(
    k for k in metrics.SUMMARY_KEYS if k not in ("answered", "resolved_first_contact")
)
"""The KPIs a segment shows beside the whole, in this order: the headline KPIs
(:data:`udfs.core.metrics.SUMMARY_KEYS`) without the two counts behind the rates."""
CASE_TEXT = ("contact_id", "customer_id", "reviewer", "problem_description", "qc_note")
"""The Monitoring columns the typical cases show beside the figures."""
CASE_FIGURES = (
    "contact_time", "channel", "service_type", "team", "agent_id", "score", "csat",
    "problem_category", "critical_error", "qc_result",
)  # fmt: skip
"""The figure columns a segment's typical cases keep (the cases are picked by score)."""
WORSE_POINTS = 5.0
"""A segment whose composite is this many points below the whole's gets a finding."""


@dataclass
class Segment:
    """One chapter: the contacts of one value of the field (or the grouped small ones)."""

    value: str
    label: dict[str, str]
    contacts: int
    share: float | None
    kpis: dict[str, Any]
    members: list[str] = field(default_factory=list)
    """For Other: the values grouped in it (:data:`BLANK` for blank cells)."""
    targets: dict[str, TargetCheck] = field(default_factory=dict)
    compare: dict[str, Any] | None = None
    """The KPIs of the same segment in the baseline period (``None``: none there)."""
    pareto: pd.DataFrame = field(default_factory=pd.DataFrame)
    peak_band: PeakBand | None = None
    slow_share: float | None = None
    """Share of the answered contacts with a first response over the service-level
    threshold (Config ``service_level_s``)."""
    good_cases: pd.DataFrame = field(default_factory=pd.DataFrame)
    bad_cases: pd.DataFrame = field(default_factory=pd.DataFrame)
    findings: list[dict[str, Any]] = field(default_factory=list)
    """``{kind, metric, value, comparison, text: {zh, en}}``, most important first."""
    rank: int | None = None
    """Rank by composite score among the rows (the team comparison; ``None``: no score)."""


@dataclass
class Segments:
    """The chapters of one field: ``by`` (a Monitoring field key), the minimum size and the
    rows in report order."""

    by: str
    min_contacts: int
    rows: list[Segment]

    def title(self, lang: str) -> str:
        return field_name(self.by, lang)


def slow_share(frame: pd.DataFrame, threshold_s: float) -> float | None:
    """Share of answered contacts with a first response over ``threshold_s`` seconds."""
    if "first_response_s" not in frame.columns or not len(frame):
        return None
    ans = metrics.answered_mask(
        frame["answered"].to_numpy(dtype=float) if "answered" in frame.columns else None,
        len(frame),
    )
    fr = frame["first_response_s"].to_numpy(dtype=float)
    timed = ans & ~np.isnan(fr)
    if not timed.any():
        return None
    return float((fr[timed] > threshold_s).mean())


def _keys(col: pd.Series) -> np.ndarray:
    """The segment key of each contact (blank -> :data:`BLANK`)."""
    s = col.astype(object)
    out = np.array(
        [
            BLANK if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()
            for v in s
        ],
        dtype=object,
    )
    out[out == ""] = BLANK
    return out


def _fmt(kpi: str, v: float | None, lang: str) -> str:
    if v is None:
        return "-"
    if kpi in RATE_KPIS:
        return f"{v:.1%}"
    if kpi.endswith("_s"):
        return f"{v:.0f} 秒" if lang == "zh" else f"{v:.0f} s"
    if kpi.endswith("_h"):
        return f"{v:.1f} 小时" if lang == "zh" else f"{v:.1f} h"
    return f"{v:.1f}"


def _gap(kpi: str, d: float, lang: str) -> str:
    if kpi in RATE_KPIS:
        pp = abs(d) * 100
        return f"{pp:.1f}个百分点" if lang == "zh" else f"{pp:.1f} percentage points"
    return _fmt(kpi, abs(d), lang)


def _findings(seg: Segment, whole: dict[str, Any], sl_s: float) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for key, c in seg.targets.items():
        if c.met or c.value is None or key == "contacts":
            continue
        text = {
            lang: (
                f"{kpi_label(key, lang, unit=False)} {_fmt(key, c.value, lang)}，未达目标 "
                f"{_fmt(key, c.target, lang)}（差{_gap(key, c.gap or 0.0, lang)}）"
                if lang == "zh"
                else f"{kpi_label(key, lang, unit=False)} {_fmt(key, c.value, lang)} misses the "
                f"target {_fmt(key, c.target, lang)} by {_gap(key, c.gap or 0.0, lang)}"
            )
            for lang in ("zh", "en")
        }
        out.append(
            {
                "kind": "target",
                "metric": key,
                "value": c.value,
                "comparison": c.target,
                "text": text,
            }
        )
    mine, all_ = seg.kpis.get("composite_score"), whole.get("composite_score")
    if mine is not None and all_ is not None and all_ - mine >= WORSE_POINTS:
        text = {
            "zh": f"综合得分 {mine:.1f}，低于整体 {all_:.1f}（低 {all_ - mine:.1f} 分）",
            "en": f"composite score {mine:.1f}, {all_ - mine:.1f} points below the whole's {all_:.1f}",
        }
        out.append(
            {
                "kind": "below_whole",
                "metric": "composite_score",
                "value": mine,
                "comparison": all_,
                "text": text,
            }
        )
    if len(seg.pareto):
        top = seg.pareto.iloc[0]
        text = {
            "zh": f"主要问题：{top['problem']}（{int(top['count'])} 次，占 {top['share']:.1%}）",
            "en": f"main problem: {top['problem']} ({int(top['count'])}, {top['share']:.1%} of tagged)",
        }
        out.append(
            {
                "kind": "pareto",
                "metric": str(top["problem"]),
                "value": float(top["share"]),
                "comparison": None,
                "text": text,
            }
        )
    if seg.slow_share is not None and seg.slow_share > 0:
        text = {
            "zh": f"首次响应超过 {sl_s:.0f} 秒的占 {seg.slow_share:.1%}",
            "en": f"{seg.slow_share:.1%} of first responses took over {sl_s:.0f} s",
        }
        out.append(
            {
                "kind": "slow",
                "metric": "first_response_s",
                "value": seg.slow_share,
                "comparison": sl_s,
                "text": text,
            }
        )
    return out


def compute_segments(
    cur: pd.DataFrame,
    full: pd.DataFrame,
    by: str,
    config: ScoringConfig,
    *,
    min_contacts: int,
    targets: Sequence[Target] = (),
    whole: dict[str, Any] | None = None,
    baseline: pd.DataFrame | None = None,
    cases: Callable[[pd.DataFrame, pd.DataFrame], tuple[pd.DataFrame, pd.DataFrame]] | None = None,
    rank: bool = False,
) -> Segments:
    """The chapters of ``cur`` (the report period's scored contacts) by field ``by``.

    ``full``: the Monitoring table (free text of the cases); ``whole``: the report's
    headline (a segment's findings compare with it); ``baseline``: the contacts of the
    ``--compare`` period (scored); ``cases``: the typical-case picker of the analysis;
    ``rank``: number the rows by composite score (the team comparison)."""
    if by not in cur.columns or not len(cur):
        return Segments(by, min_contacts, [])
    keys = _keys(cur[by])
    values, counts = np.unique(keys, return_counts=True)
    big = [v for v, n in zip(values, counts, strict=True) if n >= min_contacts and v != BLANK]
    small = [v for v, n in zip(values, counts, strict=True) if v not in big]
    order = choice_order(by) if by in CHOICES else {}
    size = dict(zip(values, counts, strict=True))
    big.sort(key=lambda v: (order.get(v, 99), -size[v], v) if order else (-size[v], v))
    total = len(cur)
    base_keys = _keys(baseline[by]) if baseline is not None and by in baseline.columns else None
    whole = whole or {}
    # the cases' free text, of the period's contacts only (not the whole table each time)
    text_cols = [c for c in CASE_TEXT if c in full.columns]
    full = full.loc[cur.index, text_cols] if len(text_cols) else full.iloc[0:0]
    slim = cur[[c for c in CASE_FIGURES if c in cur.columns]]  # what a case shows
    rows: list[Segment] = []
    groups: list[tuple[str, list[str]]] = [(v, [v]) for v in big]
    if small:
        groups.append((OTHER, sorted(small, key=lambda v: (v == BLANK, -size[v], v))))
    for value, members in groups:
        mask = np.isin(keys, members)
        part = cur[mask]
        kpis = {k: _plain(v) for k, v in metrics.summary(part, config).items()}
        if value == OTHER:
            label = {lang: other_label(lang) for lang in ("zh", "en")}
        else:
            label = {lang: value_label(by, value, lang) for lang in ("zh", "en")}
        cmp = None
        if base_keys is not None and baseline is not None:
            bpart = baseline[np.isin(base_keys, members)]
            if len(bpart):
                cmp = {k: _plain(v) for k, v in metrics.summary(bpart, config).items()}
        if cases is not None and "score" in slim.columns:
            good, bad = cases(slim[mask], full)
        else:
            good, bad = part.iloc[0:0], part.iloc[0:0]
        seg = Segment(
            value=value,
            label=label,
            contacts=int(mask.sum()),
            share=float(mask.sum() / total) if total else None,
            kpis=kpis,
            members=list(members) if value == OTHER else [],
            targets=check_targets(targets, kpis),
            compare=cmp,
            pareto=pareto_table(part["problem_category"].tolist(), config.pareto_a, config.pareto_b)
            if "problem_category" in part.columns
            else pareto_table([], config.pareto_a, config.pareto_b),
            peak_band=worst_band(part, config.service_level_s),
            slow_share=slow_share(part, config.service_level_s),
            good_cases=good,
            bad_cases=bad,
        )
        seg.findings = _findings(seg, whole, config.service_level_s)
        rows.append(seg)
    if rank:
        scored = sorted(
            (r for r in rows if r.kpis.get("composite_score") is not None and r.value != OTHER),
            key=lambda r: (-r.kpis["composite_score"], r.value),
        )
        for i, r in enumerate(scored, 1):
            r.rank = i
    return Segments(by, min_contacts, rows)


def member_label(by: str, member: str, lang: str) -> str:
    """A member of Other as a reader writes it (blank cells: 空白 / blank)."""
    if member == BLANK:
        return "空白" if lang == "zh" else "blank"
    return value_label(by, member, lang)


def _plain(v: Any) -> Any:
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if np.isnan(f) or np.isinf(f) else f
    return v

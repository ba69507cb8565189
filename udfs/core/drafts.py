"""From findings to actions (``seeds/001`` step 4): one draft action per numbered finding
that has no open action yet, for ``csq actions --from-findings`` and the ribbon's *Add
actions from findings*.

A draft takes the finding's recommendation as its measure, its linked problem, metric and
scope, the metric's current value as baseline and the KPI target as target; owner,
cooperating department and planned date are left for the lead (:data:`TO_FILL`).  A
finding is *covered* when an open action (no actual date, not cancelled) already names the
same KPI (or, for a problem or dimension, the same linked problem; for a re-analysis, the
same metric and scope), so running it twice adds nothing.  An action verified as not met (finding kind ``action``) gives a
re-analysis draft with that action's problem, metric, scope and target.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .fields import choice_label
from .model import Analysis, Conclusion
from .targets import TARGET_KPIS, kpi_label, metric_key

DRAFT_KINDS = ("target", "change", "pareto", "weak_dimension", "below_pass", "peak_hours", "action")
"""Kinds of finding that call for an improvement measure (an overdue action, a small sample
or a data-quality caveat is not one)."""

TO_FILL = ("owner", "cooperating_dept", "planned_date")
"""Columns a draft leaves blank and highlighted, for the lead to fill."""

SCOPE_KEYS = ("scope_agent", "scope_channel", "scope_service_type")

_REANALYSE_OF = {"zh": "（复盘编号 {no}）", "en": " (re-analysis of No. {no})"}


@dataclass
class Draft:
    """One draft row of the Actions table: values by canonical column key."""

    values: dict[str, Any]
    subject: tuple[str, str]
    """What it is about: ``("metric", kpi)``, ``("problem", name)`` or, for a re-analysis,
    ``("scope", metric|problem|agent|channel|service type)``."""
    finding: int
    """The finding's number (1-based, the report's numbering)."""
    to_fill: tuple[str, ...] = field(default=TO_FILL)


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v).strip()


def _open_subjects(actions: pd.DataFrame) -> set[tuple[str, str]]:
    """The subjects the open actions (no actual date, not cancelled) already cover."""
    out: set[tuple[str, str]] = set()
    if actions is None or not len(actions):
        return out
    for a in actions.to_dict("records"):
        done = a.get("actual_date")
        if done is not None and not pd.isna(done):
            continue
        if _text(a.get("status")) == "cancelled":
            continue
        k = metric_key(a.get("metric"))
        if k:
            out.add(("metric", k))
        p = _text(a.get("problem")).casefold()
        if p:
            out.add(("problem", p))
        out.add(("scope", _scope_key(k, a)))
    return out


def _scope_key(kpi: str | None, a: Mapping[Any, Any]) -> str:
    """An action's metric and whole scope as one key (a re-analysis is covered only by an
    open action on the same metric, problem, agent, channel and service type)."""
    parts = [kpi or "", *(_text(a.get(k)).casefold() for k in ("problem", *SCOPE_KEYS))]
    return "|".join(parts)


def _dimension_label(an: Analysis, key: str) -> str:
    for d in an.dim_indicators:
        if d.indicator is not None and d.indicator.source == key:
            return str(d.indicator.label)
    return key


def draft_actions(an: Analysis, lang: str) -> list[Draft]:
    """The drafts for ``an``'s findings not yet covered by an open action, in finding order;
    ``lang``: the workbook's language (measure text, metric and status labels)."""
    lang = "en" if lang == "en" else "zh"
    covered = _open_subjects(an.actions)
    effects = an.loop.effects
    missed = (
        effects[effects["state"] == "verified_not_met"].to_dict("records") if len(effects) else []
    )
    by_row = {}
    if len(an.actions) and "_row" in an.actions.columns:
        by_row = {r["_row"]: r for r in an.actions.to_dict("records")}
    out: list[Draft] = []
    n_action = 0
    for i, c in enumerate(an.conclusions, 1):
        if c.kind not in DRAFT_KINDS or not c.recommendation:
            continue
        d: Draft | None
        if c.kind == "action":
            if n_action >= len(missed):
                continue
            e = missed[n_action]
            n_action += 1
            d = _reanalysis(c, e, by_row.get(e["_row"], {}), lang)
        else:
            d = _draft(an, c, lang)
        if d is None:
            continue
        d.finding = i
        key = (d.subject[0], d.subject[1].casefold() if d.subject[0] == "problem" else d.subject[1])
        if key in covered:
            continue
        covered.add(key)
        out.append(d)
    return out


def _draft(an: Analysis, c: Conclusion, lang: str) -> Draft | None:
    measure = c.recommendation.get(lang) or c.text.get(lang)
    values: dict[str, Any] = {
        "measure": measure,
        "status": choice_label("status", "not_started", lang),
    }
    m = c.metric
    if c.kind == "pareto" and m:
        values["problem"] = m
        return Draft(values, ("problem", m), 0)
    if c.kind == "weak_dimension" and m:
        name = _dimension_label(an, m)
        values["problem"] = name
        return Draft(values, ("problem", name), 0)
    if m in TARGET_KPIS:
        values["metric"] = kpi_label(m, lang)
        v = an.headline.get(m)
        values["baseline"] = None if v is None else float(v)
        t = an.targets.get(m)
        values["target"] = None if t is None else float(t.target)
        return Draft(values, ("metric", m), 0)
    return None


def _reanalysis(c: Conclusion, e: Mapping[Any, Any], a: Mapping[Any, Any], lang: str) -> Draft:
    kpi = str(e["metric_key"])
    values: dict[str, Any] = {
        "measure": c.recommendation.get(lang, "") + _REANALYSE_OF[lang].format(no=e["action_no"]),
        "status": choice_label("status", "not_started", lang),
        "problem": _text(e.get("problem")) or None,
        "metric": kpi_label(kpi, lang),
        "baseline": e.get("after"),
        "target": e.get("target"),
    }
    for k in SCOPE_KEYS:
        if _text(a.get(k)):
            values[k] = _text(a.get(k))
    return Draft(values, ("scope", _scope_key(kpi, values)), 0)

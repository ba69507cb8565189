"""``<name>.summary.json``: the analysis serialised for machines (SPEC section 8).

It lays out the same :class:`~udfs.core.analysis.Analysis` as the xlsx report and computes
nothing of its own, so the two never disagree.

Top-level keys are the SPEC section 5 metric names for the whole report period (by default
the latest month in the data), plus ``period`` (its label as given, e.g. ``2021-Q1``),
``period_start``/``period_end`` (ISO dates), ``previous_period``, ``periods`` (one entry
per month), ``agents`` (one entry per agent in the report period, with rank), ``as_of``,
``input``, ``input_sha256`` and ``csq_version``; ``targets`` (every KPI with a target and a
value), ``findings`` (the numbered findings with their recommendation, in the report's
language), ``by_hour`` (24 entries) and ``by_weekday`` (7), ``pareto`` (report order).  Rates are fractions 0-1, times in seconds/hours, "no data" is ``null``.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import Any

from udfs import __version__
from udfs.core.analysis import analyse, plain, records
from udfs.core.data import WorkbookData
from udfs.core.hours import HOUR_KEYS
from udfs.core.model import Analysis
from udfs.core.narrative import narrative_for, narrative_summary
from udfs.core.sampling import POPULATION_FIGURES
from workbook_templates.output import write_text_atomic

from .operations_sheet import operations_summary
from .scope_summary import scope_summary
from .seed_summary import seed_summary

PERIOD_KEYS = (
    "contacts",
    "answered",
    "answer_rate",
    "fcr",
    "csat_mean",
    "csat_pct",
    "nps",
    "avg_first_response_s",
    "service_level",
    "qa_score_mean",
    "qc_pass_rate",
    "composite_score",
    "grade",
)


def build_summary(
    data: WorkbookData,
    as_of: _dt.date,
    analysis: Analysis | None = None,
    lang: str = "zh",
) -> dict[str, Any]:
    """The summary as a JSON-ready dict (see the module docstring and docs/report.md).

    ``lang``: the language of the findings' ``text`` and ``recommendation`` (the report's)."""
    lang = "en" if lang == "en" else "zh"
    an = analysis if analysis is not None else analyse(data, as_of)
    out: dict[str, Any] = {k: plain(v) for k, v in an.headline.items()}
    out["sampling_ratio"] = an.sampling_ratio
    out["period"] = an.period
    rp = an.report_period
    out["period_start"] = rp.start.isoformat() if rp else None
    out["period_end"] = rp.end.isoformat() if rp else None
    out["previous_period"] = an.previous_period.label if an.previous_period else None
    out["periods"] = [
        {"period": r["period"], **{k: r.get(k) for k in PERIOD_KEYS}} for r in records(an.by_period)
    ]
    agents = []
    for r in records(an.agents):
        agents.append(
            {
                "agent_id": r["agent_id"],
                "team": r.get("team"),
                "rank": None if r.get("rank") is None else int(r["rank"]),
                "scored": r.get("scored"),
                **{k: r.get(k) for k in PERIOD_KEYS},
            }
        )
    out["agents"] = agents
    out["targets"] = {
        k: {"target": c.target, "value": c.value, "gap": c.gap, "met": c.met}
        for k, c in an.targets.items()
    }
    out["findings"] = [
        {
            "kind": f.kind,
            "metric": f.metric,
            "value": plain(f.value),
            "comparison": plain(f.comparison),
            "text": f.text[lang],
            "recommendation": f.recommendation.get(lang),
        }
        for f in an.conclusions
    ]
    out["by_hour"] = [
        {
            "hour": int(r["hour"]),
            "contacts": int(r["contacts"]),
            "avg_first_response_s": r["avg_first_response_s"],
            "service_level": r["service_level"],
            "csat_mean": r["csat_mean"],
        }
        for r in records(an.by_hour)
    ]
    out["by_weekday"] = [
        {"weekday": int(r["weekday"]), **{k: r[k] for k in HOUR_KEYS}}
        for r in records(an.by_weekday)
    ]
    out["pareto"] = [
        {
            "problem": r["problem"],
            "count": int(r["count"]),
            "share": r["share"],
            "cumulative": r["cumulative"],
            "class": r["pareto_class"],
        }
        for r in records(an.pareto)
    ]
    out.update(qa_cycle_summary(an))
    # ---- issue 18: the narrative report (noise verdicts, owed findings)
    out["indicators"] = indicator_summary(an)  # issue 18 (narr): the narrative's figures
    out["narrative"] = narrative_summary(narrative_for(an, lang, data.report_info))

    from .noise_summary import noise_summary  # issue 18: verdicts and intervals

    out.update(noise_summary(an))
    # ---- issue 19: scope: teams, segments, filter, compare
    out.update(scope_summary(an, lang))

    # ---- issue 20: seed templates: process compliance, customer level, source
    out.update(seed_summary(an))

    # ---- issue 21: the improvement loop
    from .loop_summary import loop_summary

    out.update(loop_summary(an))

    # ---- issue 22: hostile inputs, second round

    # ---- issue 23: real exports: distributions, agent KPIs, backlog
    if an.backlog is not None:
        out["backlog"] = an.backlog
    out.update(operations_summary(an))

    # ---- issue 24: the desk: language, Excel versions, selftest

    out["data_quality"] = {"errors": an.errors, "warnings": an.warnings}
    out["as_of"] = an.as_of.isoformat()
    out["as_of_rule"] = an.as_of_rule
    out["input"] = an.source
    out["input_sha256"] = an.sha256
    out["csq_version"] = __version__
    return out


def indicator_summary(an: Analysis) -> list[dict[str, Any]]:
    """``indicators``: the team indicator table (group lines and indicators) with the
    previous period, the same period a year earlier and the noise verdicts."""
    out = []
    for r in an.team_indicators:
        out.append(
            {
                "kind": r.kind,
                "group": r.group,
                "indicator": r.indicator.key if r.indicator is not None else None,
                "weight": r.weight,
                **{k: plain(getattr(r, k)) for k in ("value", "points", "prev", "vs_prev")},
                **{k: plain(getattr(r, k)) for k in ("last_year", "vs_year_ago")},
                "vs_prev_verdict": r.vs_prev_verdict,
                "vs_year_ago_verdict": r.vs_year_ago_verdict,
            }
        )
    return out


def qa_cycle_summary(an: Analysis) -> dict[str, Any]:
    """``population``, ``sampling``, ``keywords``, ``reviewers`` and ``calibration``
    (the QA cycle, :mod:`udfs.core.qa_cycle`)."""
    c = an.qa_cycle
    pop = None
    if c.population is not None:
        pop = {k: plain(c.population.get(k)) for k in POPULATION_FIGURES}
    sampling = None
    if c.sampling or c.sampling_ratio is not None:
        sampling = {
            "ratio": c.sampling_ratio,
            "min_ratio": c.min_ratio,
            "below_min_ratio": c.below_min_ratio,
            "sampled": c.sampled,
            "population_source": c.population_source or None,
            "record": dict(c.sampling),
            "strata": records(c.strata),
        }
    kw = records(c.keywords)
    calibration = None
    if c.calibration is not None:
        cal = c.calibration
        calibration = {
            "contacts": cal.contacts,
            "reviewer_count": cal.reviewer_count,
            "alpha": {k: plain(v) for k, v in cal.alpha.items()},
            "agreement": {k: plain(v) for k, v in cal.agreement.items()},
            "reviewers": records(cal.reviewers),
            "widest_spread": records(cal.widest),
        }
    return {
        "population": pop,
        "sampling": sampling,
        "keywords": {
            "negative": [r for r in kw if r["polarity"] == "negative"],
            "positive": [r for r in kw if r["polarity"] == "positive"],
        },
        "reviewers": {"team_mean_score": c.team_mean_score, "list": records(c.reviewers)},
        "calibration": calibration,
    }


def summary_text(summary: dict[str, Any]) -> str:
    """The summary as UTF-8 JSON text (Chinese text kept readable, strictly no NaN)."""
    return json.dumps(summary, ensure_ascii=False, indent=2, allow_nan=False, default=str) + "\n"


def write_summary(path: str | os.PathLike[str], summary: dict[str, Any]) -> Path:
    """Write the summary atomically as UTF-8 JSON (Chinese text kept readable)."""
    return write_text_atomic(path, summary_text(summary))


def write_summary_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ready summary text atomically (the summary beside a report without xlsx)."""
    return write_text_atomic(path, text)

"""``<name>.summary.json``: the analysis serialised for machines (SPEC section 8).

It lays out the same :class:`~udfs.core.analysis.Analysis` as the xlsx report and computes
nothing of its own, so the two never disagree.

Top-level keys are the SPEC section 5 metric names for the report period (the latest month
in the data), plus ``period``, ``periods`` (one entry per month), ``agents`` (one entry per
agent in the report period, with rank), ``as_of``, ``input``, ``input_sha256`` and
``csq_version``.  Rates are fractions 0-1, times in seconds/hours, "no data" is ``null``.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from pathlib import Path
from typing import Any

from udfs import __version__
from udfs.core.analysis import Analysis, analyse, plain, records
from udfs.core.data import WorkbookData
from udfs.core.sampling import POPULATION_FIGURES
from workbook_templates.output import write_text_atomic

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
    data: WorkbookData, as_of: _dt.date, analysis: Analysis | None = None
) -> dict[str, Any]:
    """The summary as a JSON-ready dict (see the module docstring and docs/report.md)."""
    an = analysis if analysis is not None else analyse(data, as_of)
    out: dict[str, Any] = {k: plain(v) for k, v in an.headline.items()}
    out["sampling_ratio"] = an.sampling_ratio
    out["period"] = an.period
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
    out.update(qa_cycle_summary(an))
    out["data_quality"] = {"errors": an.errors, "warnings": an.warnings}
    out["as_of"] = an.as_of.isoformat()
    out["as_of_rule"] = an.as_of_rule
    out["input"] = an.source
    out["input_sha256"] = an.sha256
    out["csq_version"] = __version__
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

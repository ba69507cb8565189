"""The QA cycle around the monitoring table, for the report: the population figures of the
full export beside the sample, the sampling ratio, keyword frequencies of the feedback,
each reviewer's leniency in daily work and the calibration session's agreement.

:func:`analyse_cycle` is called once by :func:`udfs.core.analysis.analyse`; its result is
the ``qa_cycle`` field of the :class:`~udfs.core.analysis.Analysis`, laid out by
``addin.report.qa_cycle`` (xlsx) and ``addin.report.summary`` (``population``,
``calibration``, ``keywords``, ``reviewers``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .calibration import Calibration, calibrate
from .config import ScoringConfig
from .data import Finding, WorkbookData
from .population_periods import combine_months
from .sampling import POPULATION_FIGURES
from .tagging import keyword_counts, keywords_from_rows
from .values import number_or_none

DEFAULT_MIN_RATIO = 0.10
"""Sampling ratio below which the report warns (the Config sampling table's min_ratio)."""
TOP_KEYWORDS = 10
"""Keywords listed per polarity."""
COUNTS = ("contacts", "answered", "resolved_first_contact", "sampled")
"""Population figures that are counts (whole numbers)."""


@dataclass
class QaCycle:
    """The QA cycle's figures for the report period ("no data" is ``None``)."""

    population: dict[str, Any] | None = None
    """The period's population figures (:data:`~udfs.core.sampling.POPULATION_FIGURES`)
    from the Config population table; ``None`` when the workbook records none."""
    population_source: str = ""
    """``"export"`` (written by ``csq sample``), ``"config"`` (typed on the Config sheet's
    population table) or ``"contacts_handled"`` (the single Config setting) or ``""``."""
    sampled: int | None = None
    """Contacts in the period's sample (the Monitoring rows of the period)."""
    sampling_ratio: float | None = None
    min_ratio: float = DEFAULT_MIN_RATIO
    below_min_ratio: bool = False
    sampling: dict[str, str] = field(default_factory=dict)
    """The sample's record (seed, ratio, min, strata, period, export, export_sha256 ...)."""
    strata: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Population figures per stratum (rows of the population table with a stratum)."""
    keywords: pd.DataFrame = field(default_factory=pd.DataFrame)
    """keyword, category, polarity, count: mentions in the period's problem descriptions."""
    reviewers: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Per reviewer in the period: reviewer, scored, mean_score, team_mean, difference."""
    team_mean_score: float | None = None
    calibration: Calibration | None = None
    findings: list[Finding] = field(default_factory=list)


CONFIG_SHEET = {"zh": "配置", "en": "Config"}
"""The Config sheet's name (``workbook_templates.schema.CONFIG``), for the findings."""
VALUE_COLUMN = "B"
"""Column of the sampling record's values on the Config sheet (item, value, note)."""


def _sampling_record(rows: list[dict[str, Any]] | None) -> tuple[dict[str, str], dict[str, int]]:
    """The record's items as text, and the Excel row of each item."""
    out: dict[str, str] = {}
    at: dict[str, int] = {}
    for r in rows or []:
        item = str(r.get("item") or "").strip()
        if item:
            v = r.get("value")
            out[item] = "" if v is None else str(v).strip()
            at[item] = int(r.get("_row") or 0)
    return out, at


def _population(
    rows: list[dict[str, Any]] | None, period: str | None, recorded: str | None = None
) -> tuple[dict[str, Any] | None, pd.DataFrame]:
    """The period's total row (stratum blank) and the per-stratum rows; ``recorded``:
    the period ``csq sample`` recorded the population for ("" the whole export, None not
    written by csq sample)."""
    rows = rows or []

    def blank(v: Any) -> bool:
        return v is None or not str(v).strip()

    figures = [*POPULATION_FIGURES, "sampled"]
    total = None
    for r in rows:
        if period and str(r.get("period") or "").strip() == period and blank(r.get("stratum")):
            total = r
    if total is None and period:  # a single row for "all periods" stands for the period
        periods = {str(r.get("period") or "").strip() for r in rows if blank(r.get("stratum"))}
        if periods == {""}:
            total = next(r for r in rows if blank(r.get("stratum")))
    if total is None and period:  # whole months: counts summed, rates and means exactly
        total = combine_months(rows, period, recorded)

    def figures_of(r: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k in figures:
            v = number_or_none(r.get(k))
            out[k] = int(round(v)) if v is not None and k in COUNTS else v
        return out

    pop = figures_of(total) if total is not None else None
    strata = pd.DataFrame(
        [
            {"stratum": str(r["stratum"]).strip(), **figures_of(r)}
            for r in rows
            if not blank(r.get("stratum")) and blank(r.get("period"))
        ],
        columns=["stratum", *figures],
    )
    return pop, strata


def _reviewers(cur: pd.DataFrame, full: pd.DataFrame) -> tuple[pd.DataFrame, float | None]:
    """Each reviewer's mean QA score in the period against the team mean (leniency)."""
    cols = ["reviewer", "scored", "mean_score", "team_mean", "difference"]
    if "reviewer" not in full.columns or "score" not in cur.columns:
        return pd.DataFrame(columns=cols), None
    part = pd.DataFrame(
        {"reviewer": full.loc[cur.index, "reviewer"], "score": cur["score"].to_numpy(float)}
    )
    part = part[part["score"].notna()]
    team = float(part["score"].mean()) if len(part) else None
    part = part[part["reviewer"].notna()]
    part["reviewer"] = part["reviewer"].astype(str).str.strip()
    part = part[part["reviewer"] != ""]
    if not len(part) or team is None:
        return pd.DataFrame(columns=cols), team
    g = part.groupby("reviewer", sort=True)["score"]
    out = pd.DataFrame({"scored": g.count(), "mean_score": g.mean()}).reset_index()
    out["team_mean"] = team
    out["difference"] = out["mean_score"] - team
    out = out.sort_values(["difference", "reviewer"], ascending=[False, True], kind="stable")
    return out[cols].reset_index(drop=True), team


def analyse_cycle(
    data: WorkbookData,
    cur: pd.DataFrame,
    period: str | None,
    config: ScoringConfig,
) -> QaCycle:
    """The QA cycle's figures for ``period``; ``cur`` is the period's scored work frame
    (index aligned with ``data.monitoring``)."""
    out = QaCycle()
    tables = data.config_tables
    out.sampling, item_row = _sampling_record(tables.get("sampling"))
    lang = "zh" if data.lang == "zh" else "en"
    sheet = CONFIG_SHEET[lang]
    min_cell = f"{VALUE_COLUMN}{item_row['min_ratio']}" if item_row.get("min_ratio") else ""
    raw_min = out.sampling.get("min_ratio")
    if raw_min:
        v = number_or_none(raw_min)
        if v is None or not 0 <= v <= 1:
            bad = Finding.of(
                "sampling_min_ratio", sheet, min_cell, "", raw_min, {}, lang, "warning"
            )
            out.findings.append(bad)
        else:
            out.min_ratio = v
    recorded = out.sampling.get("period", "") if out.sampling.get("export") else None
    out.population, out.strata = _population(tables.get("population"), period, recorded)
    out.sampled = len(cur) if period else None
    if out.population is not None and out.population.get("contacts"):
        out.population_source = "export" if out.sampling.get("export") else "config"
    elif data.population:
        out.population = {k: None for k in [*POPULATION_FIGURES, "sampled"]}
        out.population["contacts"] = int(data.population)
        out.population_source = "contacts_handled"
    if out.population and out.population.get("contacts") and out.sampled:
        out.sampling_ratio = out.sampled / out.population["contacts"]
        if out.sampling_ratio < out.min_ratio - 1e-12:
            out.below_min_ratio = True
            out.findings.append(
                Finding.of(
                    "sampling_below_min",
                    sheet,
                    min_cell,
                    "",
                    "",
                    {
                        "ratio": out.sampling_ratio,
                        "period": period,
                        "sampled": out.sampled,
                        "population": out.population["contacts"],
                        "min": out.min_ratio,
                    },
                    lang,
                    "warning",
                )
            )

    kws = keywords_from_rows(tables.get("keywords"), data.lang)
    df = data.monitoring
    texts = df.loc[cur.index, "problem_description"] if "problem_description" in df else []
    counts = keyword_counts(list(texts), kws)
    out.keywords = pd.concat(
        [counts[counts["polarity"] == p].head(TOP_KEYWORDS) for p in ("negative", "positive")]
    ).reset_index(drop=True)
    out.reviewers, out.team_mean_score = _reviewers(cur, df)
    cal = getattr(data, "calibration", None)
    if cal is not None and len(cal):
        out.calibration = calibrate(cal, config)
    return out

"""What a standard workbook holds once read and validated: typed tables and findings.

The shared shape between the readers (``addin.read``), ``csq validate``, the analysis
(:mod:`udfs.core.analysis`) and every face that shows it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from .config import DEFAULT_CONFIG, ScoringConfig
from .problems import Problem, render

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One data-quality problem, cell by cell: where, what was found, what is allowed.

    A finding is data: a stable ``code`` (:data:`udfs.core.problems.CODES`) with its
    ``params`` (``{value}`` in a text is the finding's ``value`` unless the params hold
    one); ``rule`` is its text in ``lang``, worded at construction by
    :func:`udfs.core.problems.render`, and :meth:`render` words it in any language.  A
    finding made from a finished text (``code`` empty; none of the project's checks makes
    one) keeps that text in every language."""

    sheet: str
    cell: str  # "F12"; "" when the problem is not tied to one cell (a missing column, a file)
    value: str  # the cell's value as the user would recognise it ("" for empty)
    rule: str = ""  # what is allowed / what is wrong, complete sentence (in ``lang``)
    severity: Severity = "error"
    key: str = ""  # canonical column key (the field), when known
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    lang: str = field(default="en", compare=False)

    def __post_init__(self) -> None:
        if self.code and not self.rule:
            text = render(self.code, self.params, self.lang, value=self.value)
            object.__setattr__(self, "rule", text)

    @classmethod
    def of(
        cls,
        code: str,
        sheet: str,
        cell: str,
        field: str,
        value: str,
        params: Mapping[str, Any],
        lang: str,
        severity: Severity = "error",
    ) -> Finding:
        """A coded finding: ``(code, sheet, cell, field, value, params)`` and severity."""
        return cls(sheet, cell, value, "", severity, field, code, params, lang)

    @property
    def field(self) -> str:
        """The canonical column key (``""`` when the problem is not about one column)."""
        return self.key

    def render(self, lang: str) -> str:
        """The rule in ``lang`` (zh or en), from the code: no second read, no parsing."""
        if not self.code or lang == self.lang:
            return self.rule
        return render(self.code, self.params, lang, value=self.value)

    def problem(self) -> Problem:
        """The code and parameters as a :class:`~udfs.core.problems.Problem` (a finding
        of finished text: that text in every language)."""
        if not self.code:
            return Problem("", {}, {"": (self.rule, self.rule)})
        return Problem(self.code, self.params, value=self.value)

    def where(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def __str__(self) -> str:
        val = f" {self.value!r}" if self.value else ""
        return f"{self.where()}:{val} {self.rule}"


@dataclass
class WorkbookData:
    """A standard workbook as typed tables with canonical column keys.

    - ``monitoring``: one row per contact.  ``contact_time`` datetime64; numbers float
      (NaN blank); Y/N fields 1.0/0.0/NaN; rubric dimensions float 1-5 (NaN blank or N/A);
      ``channel``/``service_type`` canonical choice keys; text fields str or None;
      ``period`` "YYYY-MM"; ``_row`` the Excel row number.  Rows with bad cells keep their
      good fields (the bad cell is NaN/None and listed in ``findings``).
    - ``problems``: problem, direct_cause, root_cause, cause_category, impact_scope, _row.
    - ``actions``: action_no, measure, problem, owner, cooperating_dept, planned_date,
      actual_date (datetime64), status (canonical key), metric, baseline, target, after, _row.
    """

    path: str
    monitoring: pd.DataFrame
    problems: pd.DataFrame
    actions: pd.DataFrame
    config: ScoringConfig = DEFAULT_CONFIG
    findings: list[Finding] = field(default_factory=list)
    lang: str = "zh"
    sha256: str = ""
    population: int | None = None  # the Config sheet's "contacts handled in the period"
    as_of: _dt.date | None = None  # the Config sheet's as-of cell, when it holds a fixed date
    report_period: str | None = None
    """The Config sheet's optional "report period" cell (a checked label such as ``2024-Q3``);
    the ribbon and ``csq report``/``csq feedback`` use it when no ``--period`` is given."""
    report_info: dict[str, str] = field(default_factory=dict)
    """The Config sheet's optional report texts (organisation, monitoring objective and
    team: ``udfs.core.narrative.REPORT_INFO_KEYS``), blank ones absent."""
    report_formats: tuple[str, ...] | None = None
    """The Config sheet's "report formats" cell (known formats only; None: no such cell)."""
    calibration: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The Calibration sheet: contact_id, reviewer, the rubric ratings, critical_error, _row
    (several reviewers' ratings of the same contacts); empty when the workbook has none."""
    config_tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """The Config sheet's lists (``workbook_templates.config_tables``) found in the file,
    by table key: one dict per filled row (column key -> value, ``_row``).  A table the
    file does not have is absent (an older workbook): its defaults apply."""
    rejected: str = ""
    """Why the workbook cannot be used at all (no Monitoring table found, a required
    column missing, an unreadable sheet); empty when it is usable.  Such a workbook is a
    rejected input: no report is written for it."""
    monitoring_sheet: str = ""
    """The Monitoring sheet's name as found in the file (a finding names its cells)."""
    monitoring_columns: dict[str, str] = field(default_factory=dict)
    """The column letter of each Monitoring field read (``contact_time`` -> ``B``)."""
    rejections: tuple[Problem, ...] = ()
    """The reasons of ``rejected`` as coded problems, to word them in any language
    (:meth:`rejected_in`)."""

    def rejected_in(self, lang: str) -> str:
        """Why the workbook cannot be used, in ``lang`` (``""`` when it is usable)."""
        if not self.rejections:
            return self.rejected
        return "; ".join(p.render(lang) for p in self.rejections)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

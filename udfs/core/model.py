"""The analysis model: the plain data every face renders (report workbook, ``summary.json``,
feedback workbooks, the ribbon's messages, ``csq report``'s lines).

:class:`Analysis` holds every figure and table of a report, computed once by
:func:`udfs.core.analysis.analyse`; :class:`IndicatorRow` is one line of its indicator
tables and :class:`Conclusion` one of its numbered conclusions (drawn by
:mod:`udfs.core.conclusions`).  This module computes nothing: it is the shape that the
calculation (``analysis``, ``conclusions``) fills and the renderers read, so neither has to
import the other to know it.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .agent_ops import AgentOps
from .config import Indicator, ScoringConfig
from .data import Finding
from .distributions import Distributions
from .hours import PeakBand
from .loop import ImprovementLoop
from .periods import Period
from .qa_cycle import QaCycle
from .segments import Segments
from .targets import TargetCheck

ACTION_STATES = ("done_on_time", "done_late", "overdue", "open", "cancelled")
"""Action status keys in the order the report counts them."""

AS_OF_RULES = ("option", "config", "today")
"""The one as-of rule of every face: ``--as-of`` (or the caller's date), else a fixed date on
the Config sheet, else today."""


@dataclass(frozen=True)
class IndicatorRow:
    """One line of the indicator tables: a group's score or one indicator's value.

    ``value`` is the indicator's raw figure for the period (a rate, seconds, a mean
    rating) or, on a group line, the group's score 0-100; ``points`` the indicator's score
    0-100; ``vs_prev``/``vs_year_ago`` the change against the previous period of the same
    length and the same period a year earlier (``None`` where that period has no data).
    """

    kind: str  # "group" or "indicator"
    group: str
    indicator: Indicator | None
    weight: float | None
    value: float | None
    points: float | None
    prev: float | None
    vs_prev: float | None
    last_year: float | None
    vs_year_ago: float | None
    vs_prev_verdict: str | None = None
    vs_year_ago_verdict: str | None = None
    """``up``/``down`` when the change is beyond sampling noise (95 %), ``stable`` when it is
    within it, ``None`` when it cannot be tested (no previous data, no counts)."""
    compare: float | None = None
    vs_compare: float | None = None
    """The value in the ``--compare`` baseline period and the change against it (issue 19;
    ``None`` without a baseline or where it has no data)."""


@dataclass
class Analysis:
    """Every figure and table of the report, computed once (rules from ``udfs.core``).

    Tables are pandas frames with canonical column keys; "no data" is ``None``/NaN, never 0.
    """

    source: str
    as_of: _dt.date
    config: ScoringConfig
    sha256: str
    period: str | None
    """The report period's label (``2024-07``, ``2021-Q1``, ``2024-07-01..2024-07-15``)."""
    periods: list[str]
    headline: dict[str, Any]
    """The section 5 KPIs of the report period, plus ``composite_score`` and ``grade``."""
    contacts_total: int
    teams: list[str]
    n_agents: int
    channels: list[str]
    service_types: list[str]
    sampling_ratio: float | None
    by_period: pd.DataFrame
    team_indicators: list[IndicatorRow]
    dim_indicators: list[IndicatorRow]
    agents: pd.DataFrame
    """Every agent of the period, ranked first (``rank`` None: too few scored contacts)."""
    top_agents: pd.DataFrame
    bottom_agents: pd.DataFrame
    """The three lowest-ranked agents not already among the top three, lowest first."""
    by_channel: pd.DataFrame
    by_service_type: pd.DataFrame
    trend: pd.DataFrame
    pareto: pd.DataFrame
    actions: pd.DataFrame
    """Every action with ``status_key``, ``days``, ``days_late``, ``change``, ``met`` and
    ``metric_key`` (the KPI its effect metric names, when recognised)."""
    overdue: pd.DataFrame
    """The overdue actions, most days overdue first."""
    effects: pd.DataFrame
    """The actions that record an effect (a metric, a baseline or an after value)."""
    action_counts: dict[str, int]
    """Actions per status (:data:`ACTION_STATES`), plus ``unknown`` when dates are missing."""
    good_cases: pd.DataFrame
    bad_cases: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    """Data-quality findings by severity."""
    report_period: Period | None = None
    previous_period: Period | None = None
    last_year_period: Period | None = None
    previous: dict[str, Any] | None = None
    """The headline KPIs of the previous period (``None``: no contacts in it)."""
    last_year: dict[str, Any] | None = None
    """The headline KPIs of the same period a year earlier (``None``: no contacts in it)."""
    targets: dict[str, TargetCheck] = field(default_factory=dict)
    """Every headline KPI with a target (Config sheet's Targets table) and a value."""
    by_hour: pd.DataFrame = field(default_factory=pd.DataFrame)
    """24 rows (``hour`` 0-23): contacts, avg first response, service level, CSAT mean."""
    by_weekday: pd.DataFrame = field(default_factory=pd.DataFrame)
    """7 rows (``weekday`` 0 = Monday), the same figures."""
    peak_band: PeakBand | None = None
    """The two-hour band clearly worse than the other hours, if any."""
    conclusions: list[Conclusion] = field(default_factory=list)
    """The numbered findings and recommendations (:mod:`udfs.core.conclusions`)."""
    as_of_rule: str = "option"
    """Where the as-of date came from: one of :data:`AS_OF_RULES`."""
    contacts: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The report period's contacts, scored (figure columns only, no free text): what the
    per-agent feedback (:mod:`udfs.core.feedback`) is computed from."""
    library: dict[str, dict[str, str]] = field(default_factory=dict)
    """The recommendation library in use, by language then key."""
    qa_cycle: QaCycle = field(default_factory=QaCycle)
    """Population beside the sample, keyword frequencies, reviewer leniency, calibration."""
    # ---- issue 18: the narrative report (noise verdicts, owed findings)
    change_verdicts: dict[str, str | None] = field(default_factory=dict)
    """Headline KPI -> ``up``/``down``/``stable``/``None`` against the previous period, beyond
    sampling noise at 95 % (:mod:`udfs.core.significance`)."""
    team_score_interval: tuple[float | None, float | None] = (None, None)
    """The 95 % interval of the team's mean QA score (agents' ``ci_low``/``ci_high`` beside)."""

    # ---- issue 19: scope: teams, segments, filter, compare
    scope_filter: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The special evaluation (``--where``): ``(field, values)`` pairs every contact of the
    report matches; empty for an ordinary report."""
    filter_label: dict[str, str] = field(default_factory=dict)
    """The scope line naming the filter, by language (``专项评价：技术支持``); empty: none."""
    compare_period: Period | None = None
    """The ``--compare`` baseline period (``None``: none asked)."""
    compare: dict[str, Any] | None = None
    """The headline KPIs of the baseline period (``None``: none asked, or no contacts)."""
    segments: Segments | None = None
    """The chapters per segment (``--by``): :class:`~udfs.core.segments.Segments`."""
    team_table: Segments | None = None
    """The roll-up's team comparison: one row per team (every team, ranked)."""
    combined: list[str] = field(default_factory=list)
    """A department roll-up: the workbooks combined (file names), in input order."""
    lacking: list[str] = field(default_factory=list)
    """A department roll-up: the teams whose workbook could not be used."""

    # ---- issue 20: seed templates: process compliance, customer level, source
    process_steps: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Per process step (seeds/003): step, limit, n (contacts it applies to), within, rate."""
    process_by_agent: pd.DataFrame = field(default_factory=pd.DataFrame)
    process_by_channel: pd.DataFrame = field(default_factory=pd.DataFrame)
    """``process_compliance`` per agent / channel: n, compliant, rate (lowest first)."""
    process_trend: pd.DataFrame = field(default_factory=pd.DataFrame)
    """``process_compliance`` of the trend periods: period, rate."""
    customer_levels: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The headline KPIs per customer level (seeds/000)."""
    weakest_level: str | None = None
    feedback_by_category: pd.DataFrame = field(default_factory=pd.DataFrame)
    feedback_by_hour: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Contacts from complaints, praise and social media per problem category / hour."""
    mystery: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Mystery-shopper contacts' KPIs beside the other contacts (rows mystery_shopper, other)."""

    # ---- issue 21: the improvement loop
    loop: ImprovementLoop = field(default_factory=ImprovementLoop)
    """Re-measured effects, weekly tracking, call-backs and the SOP register
    (:mod:`udfs.core.loop`; state labels :data:`udfs.core.remeasure.EFFECT_STATE_LABELS`)."""

    # ---- issue 22: hostile inputs, second round

    # ---- issue 23: real exports: distributions, agent KPIs, backlog
    backlog: dict[str, Any] | None = None
    """Tickets open at the period end by age, resolution time of closed tickets
    (:mod:`udfs.core.backlog`); None without an open-ticket column."""
    distributions: Distributions = field(default_factory=Distributions)
    """Time percentiles, CSAT distribution, abandonment by hour and weekday."""
    agent_ops: AgentOps = field(default_factory=AgentOps)
    """Agents on operational KPIs, ranked (on operational KPIs only without QA scores)."""

    # ---- issue 24: the desk: language, Excel versions, selftest


@dataclass(frozen=True)
class Conclusion:
    """One numbered conclusion of the report.

    ``kind``: ``target``, ``change``, ``pareto``, ``weak_dimension``, ``below_pass``,
    ``overdue``, ``peak_hours``, ``sample``, ``data_quality`` or ``compare`` (against the
    ``--compare`` baseline, :mod:`udfs.core.baseline`); ``metric`` the KPI,
    dimension or problem it is about; ``value`` its figure; ``comparison`` what it is
    compared with (the target, the previous period's value, the other hours' value, 10 %);
    ``text`` and ``recommendation`` by language (``{"zh": ..., "en": ...}``)."""

    kind: str
    metric: str | None
    value: float | None
    comparison: float | None
    text: dict[str, str]
    recommendation: dict[str, str] = field(default_factory=dict)
    library_key: str | None = None

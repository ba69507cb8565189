"""The analysis: every figure the report, ``summary.json`` and the ribbon show, computed once.

:func:`analyse` turns a read workbook (:class:`~udfs.core.data.WorkbookData`) into an
:class:`Analysis`: plain data (dataclasses, dicts of numbers, pandas frames for tables),
with every figure taken from the core's rules (scores, KPIs, breakdowns, Pareto, action
status, composite and grades).  The faces only lay it out: the xlsx report
(``addin.report.xlsx``), ``summary.json`` (``addin.report.summary``), the ribbon's
messages and ``csq report``'s lines.  None of them computes a figure of its own.

The report period (:class:`~udfs.core.periods.Period`) is a month, quarter, half-year,
year or date range, by default the latest month in the monitoring table; the changes
compare it with the previous period of the same kind and length and the same period a
year earlier, the trend shows the six periods of the same kind ending with it.  Customer
ids in the typical cases are masked.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from . import customer, metrics, process, seed_findings
from .actions import action_status, days_late, effect_met
from .agent_ops import agent_operations
from .backlog import compute_backlog
from .baseline import compare_conclusions
from .cases import typical_cases
from .conclusions import draw_conclusions
from .config import GROUP_LABELS, Indicator, ScoringConfig
from .data import Finding, WorkbookData
from .distributions import distributions
from .extra_columns import extra_keys
from .fields import RUBRIC_KEYS, choice_order
from .hours import by_hour, by_weekday, worst_band
from .model import ACTION_STATES, AS_OF_RULES, Analysis, IndicatorRow
from .pareto import pareto_table
from .periods import TREND_PERIODS, Period, month_period, parse_period
from .problems import Problem, Text
from .qa_cycle import analyse_cycle
from .recommendations import library_from_rows
from .scope import (
    Scope,
    ScopeError,
    default_period,
    field_name,
    filter_text,
    require_contacts,
)
from .scope import prepare as prepare_scope
from .scoring import composite, indicator_points, score_contacts
from .segments import compute_segments
from .significance import kpi_verdict, mean_interval, mean_verdict, overlaps
from .targets import check_targets, metric_key, targets_from_rows
from .typed_problems import typed_pareto

TREND_MONTHS = TREND_PERIODS  # the trend shows the last six periods of the same kind

_WORK_COLUMNS = (
    "contact_time",
    "period",
    "channel",
    "service_type",
    "team",
    "agent_id",
    "first_response_s",
    "handle_time_s",
    "resolution_time_h",
    "answered",
    "resolved_first_contact",
    "transferred",
    "csat",
    "nps",
    *RUBRIC_KEYS,
    "critical_error",
    "problem_category",
    "qc_verdict",  # the reviewer's verdict: where filled, the QC result used
    # issue 20: a month-only contact time (no hour), process steps, customer side
    "_month_only",
    "escalation_min",
    "answer_min",
    "update_gap_min",
    "callback_h",
    "process_ok",
    "customer_level",
    "source",
)
"""Monitoring columns the figures need (the free-text columns are read only for cases)."""


def plain(v: Any) -> Any:
    """numpy scalars -> Python; NaN -> None (JSON-safe, "no data")."""
    if v is None:
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, pd.Timestamp):
        return None if pd.isna(v) else v.to_pydatetime()
    if v is pd.NaT:
        return None
    return v


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A table's rows as dicts of plain Python values (see :func:`plain`)."""
    return [{str(k): plain(v) for k, v in row.items()} for row in df.to_dict("records")]


def _day_numbers(values: Any) -> np.ndarray:
    t = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce")
    return ((t - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)).to_numpy(dtype=float)


def _work_frame(df: pd.DataFrame, config: ScoringConfig) -> pd.DataFrame:
    """The columns the figures need, scored, with the repeat flags computed once."""
    cols = [c for c in _WORK_COLUMNS if c in df.columns] + extra_keys(df.columns)  # --by extras
    work = df[cols]  # a new frame (copy-on-write): adding columns leaves df as it is
    if "period" not in work.columns:
        if "contact_time" in work.columns:
            t = pd.to_datetime(work["contact_time"], errors="coerce")
            work = work.assign(period=t.dt.strftime("%Y-%m").where(t.notna(), None))
        else:
            work = work.assign(period=None)
    work = metrics.score_frame(work, config)
    if "customer_id" in df.columns and "contact_time" in df.columns:
        # computed over the whole table once; summary()/breakdown() use "_repeat" when present
        work["_repeat"] = metrics.repeat_flags(
            df["customer_id"].tolist(), df["contact_time"], config.repeat_window_days
        )
    return work


def _team_indicator_rows(
    headline: dict[str, Any],
    prev: dict[str, Any] | None,
    ly: dict[str, Any] | None,
    config: ScoringConfig,
) -> list[IndicatorRow]:
    """Composite indicators by group: value, points, change against the previous period
    and the same period last year (group rows included)."""
    cur = headline
    rows: list[IndicatorRow] = []
    for group in GROUP_LABELS:
        inds = [i for i in config.team_indicators if i.group == group]
        if not inds:
            continue

        def group_score(m: dict[str, Any] | None, inds: list[Indicator] = inds) -> float | None:
            if m is None:
                return None
            vals = np.array([[np.nan if m.get(i.source) is None else m[i.source] for i in inds]])
            return plain(composite(vals, inds)[0])

        rows.append(_change_row("group", group, None, None, *map(group_score, (cur, prev, ly))))
        for ind in inds:
            v = cur.get(ind.source)
            pts = None if v is None else plain(indicator_points(np.array([v]), ind)[0])
            rows.append(
                _change_row(
                    "indicator",
                    group,
                    ind,
                    pts,
                    v,
                    None if prev is None else prev.get(ind.source),
                    None if ly is None else ly.get(ind.source),
                )
            )
    return rows


def _change_row(
    kind: str,
    group: str,
    ind: Indicator | None,
    points: float | None,
    value: float | None,
    prev: float | None,
    ly: float | None,
) -> IndicatorRow:
    return IndicatorRow(
        kind=kind,
        group=group,
        indicator=ind,
        weight=None if ind is None else ind.weight,
        value=value,
        points=points,
        prev=prev,
        vs_prev=None if value is None or prev is None else value - prev,
        last_year=ly,
        vs_year_ago=None if value is None or ly is None else value - ly,
    )


def _dim_indicator_rows(
    frames: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], config: ScoringConfig
) -> list[IndicatorRow]:
    """Per-contact rubric dimensions: mean rating per group in the report period, the
    previous period and the same period last year (``frames`` in that order)."""
    cur = frames[0]
    inds = [i for i in config.contact_indicators if i.source in cur.columns]
    if not inds or not len(cur):
        return []
    means: list[dict[str, float] | None] = [
        {i.source: plain(f[i.source].mean()) for i in inds} if len(f) else None for f in frames
    ]

    def mean_of(k: int, src: str) -> float | None:
        m = means[k]
        return None if m is None else m.get(src)

    rows: list[IndicatorRow] = []
    for group in GROUP_LABELS:
        g_inds = [i for i in inds if i.group == group]
        if not g_inds:
            continue

        def group_score(k: int, g_inds: list[Indicator] = g_inds) -> float | None:
            m = means[k]
            if m is None:
                return None
            ratings = np.array(
                [[np.nan if m[i.source] is None else m[i.source] for i in g_inds]], dtype=float
            )
            return plain(score_contacts(ratings, None, g_inds)[0])

        rows.append(_change_row("group", group, None, None, *(group_score(k) for k in range(3))))
        for ind in g_inds:
            v = mean_of(0, ind.source)
            pts = None if v is None else plain(indicator_points(np.array([v]), ind)[0])
            rows.append(
                _change_row(
                    "indicator", group, ind, pts, v, mean_of(1, ind.source), mean_of(2, ind.source)
                )
            )
    return rows


def _agent_table(cur: pd.DataFrame, config: ScoringConfig) -> pd.DataFrame:
    """Per-agent figures with rank (None when the agent has too few scored contacts)."""
    ab = metrics.breakdown(cur, "agent_id", config)
    if not len(ab):
        return ab.assign(team=[], scored=[], rank=[], ci_low=[], ci_high=[], singled_out=[])
    scored = cur.groupby("agent_id")["score"].count()
    ab["scored"] = ab["agent_id"].map(scored).fillna(0).astype(int)
    if "team" in cur.columns:
        teams = (
            cur[["agent_id", "team"]]
            .dropna(subset=["team"])
            .groupby("agent_id")["team"]
            .agg(lambda s: s.value_counts().index[0])
        )
        ab["team"] = ab["agent_id"].map(teams)
    else:
        ab["team"] = None
    eligible = (ab["scored"] >= config.min_agent_sample) & ab["composite_score"].notna()
    ranked = ab[eligible].sort_values(
        ["composite_score", "qa_score_mean", "agent_id"],
        ascending=[False, False, True],
        kind="stable",
    )
    ab["rank"] = None
    ab.loc[ranked.index, "rank"] = np.arange(1, len(ranked) + 1)
    _add_intervals(ab, cur)
    ab = ab.assign(_r=ab["rank"].fillna(10**9).astype(float))
    ab = ab.sort_values(["_r", "agent_id"], kind="stable").drop(columns="_r")
    return ab.reset_index(drop=True)


def _add_intervals(ab: pd.DataFrame, cur: pd.DataFrame) -> None:
    """``ci_low``/``ci_high``: the 95 % interval of each agent's mean QA score;
    ``singled_out``: it does not overlap the team's interval (see :mod:`.significance`)."""
    team = mean_interval(cur["score"]) if "score" in cur.columns else (None, None)
    lows, highs, out = [], [], []
    groups = (
        {str(k): g.to_numpy(dtype=float) for k, g in cur.groupby("agent_id")["score"]}
        if "score" in cur.columns
        else {}
    )
    for agent in ab["agent_id"]:
        ci = mean_interval(groups.get(str(agent), []))
        lows.append(ci[0])
        highs.append(ci[1])
        out.append(ci[0] is not None and team[0] is not None and not overlaps(ci, team))
    ab["ci_low"] = pd.Series(lows, index=ab.index, dtype=float)
    ab["ci_high"] = pd.Series(highs, index=ab.index, dtype=float)
    ab["singled_out"] = pd.Series(out, index=ab.index, dtype=bool)


def with_verdicts(
    rows: list[IndicatorRow],
    cur: pd.DataFrame,
    prev: pd.DataFrame,
    ly: pd.DataFrame,
    config: ScoringConfig,
    dimensions: bool,
) -> list[IndicatorRow]:
    """The indicator rows with their noise verdicts against the previous period and the
    same period a year earlier (indicator lines only; group lines stay untested)."""

    def verdict(ind: Indicator, other: pd.DataFrame) -> str | None:
        if dimensions:
            if ind.source not in cur.columns or not len(other):
                return None
            return mean_verdict(cur[ind.source], other[ind.source])
        return kpi_verdict(cur, other, ind.source, config.service_level_s, config.grades.pass_)

    out = []
    for r in rows:
        if r.kind == "indicator" and r.indicator is not None:
            r = replace(
                r,
                vs_prev_verdict=None if r.vs_prev is None else verdict(r.indicator, prev),
                vs_year_ago_verdict=None if r.vs_year_ago is None else verdict(r.indicator, ly),
            )
        out.append(r)
    return out


def change_verdicts(
    cur: pd.DataFrame, other: pd.DataFrame, config: ScoringConfig
) -> dict[str, str | None]:
    """Every headline KPI's noise verdict against ``other``'s contacts."""
    return {
        k: kpi_verdict(cur, other, k, config.service_level_s, config.grades.pass_)
        for k in metrics.SUMMARY_KEYS
    }


def composite_basis(headline: dict[str, Any], config: ScoringConfig) -> dict[str, int]:
    """How many of the configured composite indicators (weight above 0) the composite
    rests on: ``composite_indicators`` (with a value) of ``composite_indicators_configured``."""
    inds = [i for i in config.team_indicators if i.weight > 0]
    return {
        "composite_indicators": sum(1 for i in inds if headline.get(i.source) is not None),
        "composite_indicators_configured": len(inds),
    }


def _top_bottom(agents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The three best-ranked agents and the three lowest not among them (lowest first)."""
    ranked = agents[agents["rank"].notna()] if len(agents) else agents
    top = ranked.head(3)
    if len(ranked) <= 3:
        return top, ranked.iloc[0:0]
    return top, ranked[~ranked.index.isin(top.index)].tail(3).iloc[::-1]


def _action_counts(actions: pd.DataFrame) -> dict[str, int]:
    st = actions["status_key"] if len(actions) else pd.Series([], dtype=object)
    counts = {k: int((st == k).sum()) for k in ACTION_STATES}
    unknown = int((st.isna() | (st == "unknown")).sum())
    if unknown:
        counts["unknown"] = unknown
    return counts


def _in_period(work: pd.DataFrame, p: Period | None) -> pd.DataFrame:
    """The contacts whose contact time falls in ``p`` (none when ``p`` is None)."""
    if p is None or "contact_time" not in work.columns:
        return work.iloc[0:0]
    return work[p.mask(work["contact_time"])]


def _headline(frame: pd.DataFrame, config: ScoringConfig) -> dict[str, Any] | None:
    """The section 5 KPIs of some contacts; ``None`` when there are none (no data)."""
    if not len(frame):
        return None
    return {k: plain(v) for k, v in metrics.summary(frame, config).items()}


def _trend(
    work: pd.DataFrame,
    rp: Period | None,
    config: ScoringConfig,
    known: dict[Period, dict[str, Any] | None],
) -> pd.DataFrame:
    """The KPIs of the last six periods of the report period's kind (empty ones blank);
    ``known``: the :func:`_headline` of the periods already computed (the report, previous
    and last-year periods), used instead of computing them again."""
    cols = ["period", *metrics.SUMMARY_KEYS]
    if rp is None:
        return pd.DataFrame(columns=cols)
    rows = []
    for p in rp.trend(TREND_MONTHS):
        h = known[p] if p in known else _headline(_in_period(work, p), config)
        rows.append({"period": p.label, **(h or {k: np.nan for k in metrics.SUMMARY_KEYS})})
    return pd.DataFrame(rows, columns=cols)


def _pareto(
    cur: pd.DataFrame, problems: pd.DataFrame, config: ScoringConfig, work: pd.DataFrame
) -> pd.DataFrame:
    cats = work["problem_category"] if "problem_category" in work.columns else None
    if cats is None or not cats.map(lambda v: isinstance(v, str) and bool(v.strip())).any():
        # no Monitoring row names a category: the Problems table's typed counts (seeds/001)
        table = typed_pareto(problems, config.pareto_a, config.pareto_b)
    elif "problem_category" not in cur.columns:
        table = pareto_table([], config.pareto_a, config.pareto_b)
    else:
        table = pareto_table(cur["problem_category"].tolist(), config.pareto_a, config.pareto_b)
    for col in ("direct_cause", "root_cause", "cause_category", "impact_scope"):
        table[col] = None
    if problems is not None and len(problems) and "problem" in problems.columns:
        causes = problems.dropna(subset=["problem"]).copy()
        causes["problem"] = causes["problem"].astype(str).str.strip()
        causes = causes.drop_duplicates("problem").set_index("problem")
        for col in ("direct_cause", "root_cause", "cause_category", "impact_scope"):
            if col in causes.columns:
                table[col] = table["problem"].map(causes[col])
    return table


def _actions(actions: pd.DataFrame, as_of: _dt.date) -> pd.DataFrame:
    if actions is None or not len(actions):
        return pd.DataFrame(
            columns=[
                "action_no",
                "measure",
                "problem",
                "owner",
                "cooperating_dept",
                "planned_date",
                "actual_date",
                "status_key",
                "days",
                "days_late",
                "metric",
                "baseline",
                "target",
                "after",
                "change",
                "met",
                "metric_key",
            ]
        )
    a = actions.copy()
    for col in (
        "action_no",
        "measure",
        "problem",
        "owner",
        "planned_date",
        "actual_date",
        "status",
        "metric",
        "baseline",
        "target",
        "after",
    ):
        if col not in a.columns:
            a[col] = None
    as_of_day = float((as_of - _dt.date(1970, 1, 1)).days)
    cancelled = (a["status"].astype(object) == "cancelled").to_numpy(dtype=bool)
    status, days = action_status(
        _day_numbers(a["planned_date"]), _day_numbers(a["actual_date"]), as_of_day, cancelled
    )
    a["days_late"] = days_late(status, days)
    # an action without a usable planned date cannot be judged: "no planned date"
    a["status_key"] = np.where(pd.isna(status), "unknown", status).astype(object)
    a["days"] = days
    num = {
        c: pd.to_numeric(a[c], errors="coerce").to_numpy(dtype=float)
        for c in ("baseline", "target", "after")
    }
    for c, v in num.items():
        a[c] = v
    a["change"] = num["after"] - num["baseline"]  # NaN where either is missing
    a["metric_key"] = [metric_key(m) for m in a["metric"]]
    a["met"] = effect_met(num["baseline"], num["target"], num["after"])
    return a.reset_index(drop=True)


def analyse(
    data: WorkbookData,
    as_of: _dt.date,
    period: Period | str | None = None,
    as_of_rule: str = "option",
    scope: Scope | None = None,
) -> Analysis:
    """Compute every figure and table of the report from a read workbook.

    ``period``: the report period (a :class:`Period` or its spelling, see
    :func:`~udfs.core.periods.parse_period`); ``None`` = the latest month with data.
    ``as_of_rule`` says where ``as_of`` came from (:data:`AS_OF_RULES`): the caller's
    explicit date (``option``), the Config sheet's fixed date (``config``) or ``today``.
    ``scope`` (:class:`~udfs.core.scope.Scope`, what every job passes): the filter, the
    baseline period and the chapters; with a scope the default period is the latest month
    up to the as-of date and a report of no contacts is refused (``ScopeError``).
    """
    if scope is not None:
        data, scope = prepare_scope(data, scope, as_of)
    config = data.config
    df = data.monitoring
    work = _work_frame(df, config)
    periods = sorted({p for p in work["period"].dropna().unique()})
    if isinstance(period, str):
        period = parse_period(period)
    if scope is not None and period is None:
        rp = default_period(work, as_of)
    else:
        rp = period if period is not None else (month_period(periods[-1]) if periods else None)
    cur = _in_period(work, rp)
    if scope is not None:
        require_contacts(len(cur), rp, periods, scope.where, data.lang, as_of)
    headline = {k: plain(v) for k, v in metrics.summary(cur, config).items()}
    prev_p = rp.previous() if rp else None
    ly_p = rp.last_year() if rp else None
    prev_frame, ly_frame = _in_period(work, prev_p), _in_period(work, ly_p)
    prev_h, ly_h = _headline(prev_frame, config), _headline(ly_frame, config)
    by_period = metrics.breakdown(work, "period", config)
    known_headlines = {p: h for p, h in ((prev_p, prev_h), (ly_p, ly_h)) if p is not None}
    if rp is not None:
        known_headlines[rp] = headline if len(cur) else None

    order = choice_order("channel", "service_type")
    good, bad = typical_cases(cur, df, config)
    agents = _agent_table(cur, config)
    top, bottom = _top_bottom(agents)
    actions, overdue, effects = _action_tables(data.actions, as_of)
    cycle = analyse_cycle(data, cur, rp.label if rp else None, config)
    an = Analysis(
        source=os.path.basename(data.path) if data.path else "",
        as_of=as_of,
        config=config,
        sha256=data.sha256,
        period=rp.label if rp else None,
        periods=periods,
        headline=headline,
        contacts_total=len(df),
        **_seen(cur, order),
        sampling_ratio=cycle.sampling_ratio,
        by_period=by_period,
        team_indicators=_team_indicator_rows(headline, prev_h, ly_h, config),
        dim_indicators=_dim_indicator_rows((cur, prev_frame, ly_frame), config),
        agents=agents,
        top_agents=top,
        bottom_agents=bottom,
        **_breakdowns(cur, config, order),
        trend=_trend(work, rp, config, known_headlines),
        pareto=_pareto(cur, data.problems, config, work),
        actions=actions,
        overdue=overdue,
        effects=effects,
        action_counts=_action_counts(actions),
        good_cases=good,
        bad_cases=bad,
        **_quality_counts([*data.findings, *cycle.findings]),
        report_period=rp,
        previous_period=prev_p,
        last_year_period=ly_p,
        previous=prev_h,
        last_year=ly_h,
        targets=check_targets(targets_from_rows(data.config_tables.get("targets")), headline),
        **_hour_tables(cur, config),
        as_of_rule=as_of_rule if as_of_rule in AS_OF_RULES else "option",
        qa_cycle=cycle,
    )
    rows = data.config_tables.get("recommendations")
    an.library = {lang: library_from_rows(rows, lang) for lang in ("zh", "en")}
    an.contacts = cur
    # ---- issue 18: the narrative report (noise verdicts, owed findings)
    frames = (cur, prev_frame, ly_frame)
    an.team_indicators = with_verdicts(an.team_indicators, *frames, config, dimensions=False)
    an.dim_indicators = with_verdicts(an.dim_indicators, *frames, config, dimensions=True)
    an.change_verdicts = change_verdicts(cur, prev_frame, config)
    an.team_score_interval = mean_interval(cur["score"]) if "score" in cur.columns else (None, None)
    an.headline.update(composite_basis(an.headline, config))
    if an.headline.get("qa_score_mean") is None:  # no QA scores: no grade (team, agents)
        an.headline["grade"] = None
    for table in (an.agents, an.top_agents, an.bottom_agents):
        if len(table):
            table.loc[table["qa_score_mean"].isna(), "grade"] = None
    an.conclusions = draw_conclusions(an, an.library)  # once the verdicts are in

    # ---- issue 19: scope: teams, segments, filter, compare
    if scope is not None:
        _apply_scope(an, scope, work, df, data)

    # ---- issue 20: seed templates: process compliance, customer level, source
    _seed_side(an, df, work, cur, config, data)

    # ---- issue 21: the improvement loop
    from .loop import analyse_loop
    from .loop_conclusions import with_loop_conclusions

    an.loop = analyse_loop(
        data,
        work,
        as_of,
        config,
        {t.kpi: t for t in targets_from_rows(data.config_tables.get("targets"))},
    )
    if an.loop.findings:
        an.findings = [*an.findings, *an.loop.findings]
        an.errors += sum(1 for f in an.loop.findings if f.severity == "error")
        an.warnings += sum(1 for f in an.loop.findings if f.severity != "error")
    an.conclusions = with_loop_conclusions(an, bool(an.loop.findings))

    # ---- issue 22: hostile inputs, second round

    # ---- issue 23: real exports: distributions, agent KPIs, backlog
    an.backlog = compute_backlog(df, rp.start if rp else None, rp.end if rp else None)
    an.distributions = distributions(cur)
    scored = "score" in cur.columns and bool(cur["score"].notna().any())
    an.agent_ops = agent_operations(an.agents, scored, config)

    # ---- issue 24: the desk: language, Excel versions, selftest

    return an


def _apply_scope(
    an: Analysis, scope: Scope, work: pd.DataFrame, df: pd.DataFrame, data: WorkbookData
) -> None:
    """The scope's fields of ``an``: the filter's line, the baseline period's KPIs and the
    "vs P" change of every indicator, the chapters (``--by``) and the team table."""
    config = an.config
    an.scope_filter = scope.where
    an.filter_label = (
        {lang: filter_text(scope.where, lang) for lang in ("zh", "en")} if scope.where else {}
    )
    cur = an.contacts
    base = None
    if scope.compare is not None:
        base = _in_period(work, scope.compare)
        an.compare_period = scope.compare
        an.compare = _headline(base, config)
        team_cmp = _indicator_values(
            _team_indicator_rows(an.compare, None, None, config) if an.compare else []
        )
        dim_cmp = _indicator_values(_dim_indicator_rows((base, base, base), config))
        an.team_indicators = [_vs(r, team_cmp) for r in an.team_indicators]
        an.dim_indicators = [_vs(r, dim_cmp) for r in an.dim_indicators]
        an.conclusions = [
            *an.conclusions,
            *compare_conclusions(an.headline, an.compare, scope.compare),
        ]
    targets = targets_from_rows(data.config_tables.get("targets"))
    kw: dict[str, Any] = {
        "targets": targets,
        "whole": an.headline,
        "baseline": base,
        "cases": lambda cur, full: typical_cases(cur, full, config),
    }
    if scope.by:
        if scope.by not in work.columns:
            raise ScopeError(
                Problem(
                    "scope_no_field",
                    {"field": Text(field_name(scope.by, "en"), field_name(scope.by, "zh"))},
                ),
                data.lang,
            )
        an.segments = compute_segments(
            cur, df, scope.by, config, min_contacts=scope.min_segment, **kw
        )
    if scope.teams:
        an.team_table = compute_segments(cur, df, "team", config, min_contacts=0, rank=True, **kw)


def _indicator_values(rows: list[IndicatorRow]) -> dict[tuple[str, str, str], float | None]:
    return {(r.kind, r.group, r.indicator.source if r.indicator else ""): r.value for r in rows}


def _vs(row: IndicatorRow, base: dict[tuple[str, str, str], float | None]) -> IndicatorRow:
    """``row`` with its value in the baseline period and the change against it."""
    v = base.get((row.kind, row.group, row.indicator.source if row.indicator else ""))
    change = None if v is None or row.value is None else row.value - v
    return replace(row, compare=v, vs_compare=change)


def _seen(cur: pd.DataFrame, order: dict[str, int]) -> dict[str, Any]:
    """The teams, agent count, channels and service types the period's contacts name."""
    return {
        "teams": _present(cur, "team"),
        "n_agents": len(_present(cur, "agent_id")),
        "channels": sorted(_present(cur, "channel"), key=lambda k: order.get(k, 99)),
        "service_types": sorted(_present(cur, "service_type"), key=lambda k: order.get(k, 99)),
    }


def _breakdowns(cur: pd.DataFrame, config: ScoringConfig, order: dict[str, int]) -> dict[str, Any]:
    """The period's figures by channel and by service type, in the choice lists' order."""
    return {
        "by_channel": _ordered(metrics.breakdown(cur, "channel", config), "channel", order),
        "by_service_type": _ordered(
            metrics.breakdown(cur, "service_type", config), "service_type", order
        ),
    }


def _hour_tables(cur: pd.DataFrame, config: ScoringConfig) -> dict[str, Any]:
    """The period's figures by hour of day and by weekday, and the worst hour band."""
    return {
        "by_hour": by_hour(cur, config.service_level_s),
        "by_weekday": by_weekday(cur, config.service_level_s),
        "peak_band": worst_band(cur, config.service_level_s),
    }


def _quality_counts(findings: list[Finding]) -> dict[str, Any]:
    """The data-quality findings with their error and warning counts."""
    errors = sum(1 for f in findings if f.severity == "error")
    return {"findings": findings, "errors": errors, "warnings": len(findings) - errors}


def _present(frame: pd.DataFrame, col: str) -> list[str]:
    """The distinct non-blank values of a column, sorted (none when it is absent)."""
    if col not in frame.columns:
        return []
    return sorted({str(v) for v in frame[col].dropna().unique() if str(v).strip()})


def _action_tables(
    rows: pd.DataFrame, as_of: _dt.date
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The actions with their status, the overdue ones (most days late first) and those
    with an effect recorded."""
    actions = _actions(rows, as_of)
    overdue = actions[actions["status_key"] == "overdue"].sort_values(
        "days", ascending=False, kind="stable"
    )
    recorded = ~(actions["metric"].isna() & actions["baseline"].isna() & actions["after"].isna())
    effects = actions[recorded.to_numpy(dtype=bool)] if len(actions) else actions
    return actions, overdue, effects


def _ordered(frame: pd.DataFrame, col: str, order: dict[str, int]) -> pd.DataFrame:
    if not len(frame):
        return frame
    return (
        frame.assign(_o=frame[col].map(lambda k: order.get(k, 99)))
        .sort_values(["_o", col], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def _seed_side(
    an: Analysis,
    df: pd.DataFrame,
    work: pd.DataFrame,
    cur: pd.DataFrame,
    config: ScoringConfig,
    data: WorkbookData,
) -> None:
    """Process compliance and the customer side (issue 20) on ``an``: the two KPIs join the
    headline and the targets, their tables and conclusions are added."""
    an.headline["process_compliance"] = process.compliance_rate(cur, config)
    an.headline["repeat_complaint_rate"] = customer.repeat_complaint_rate(
        df, cur.index, config.repeat_window_days
    )
    extra = check_targets(targets_from_rows(data.config_tables.get("targets")), an.headline)
    an.targets = {**an.targets, **{k: v for k, v in extra.items() if k not in an.targets}}
    if process.has_process_data(cur):
        an.process_steps = process.step_table(cur, config)
        an.process_by_agent = process.breakdown(cur, config, "agent_id")
        an.process_by_channel = process.breakdown(cur, config, "channel")
        an.process_trend = pd.DataFrame(
            [
                {"period": p, "rate": process.compliance_rate(work[work["period"] == p], config)}
                for p in an.trend["period"]
            ]
            if "period" in an.trend.columns and "period" in work.columns
            else [],
            columns=["period", "rate"],
        )
    an.customer_levels = seed_findings.level_rows(customer.by_level(cur, config))
    an.weakest_level = customer.weakest_level(an.customer_levels)
    an.feedback_by_category = customer.feedback_counts(cur, "problem_category")
    an.feedback_by_hour = customer.feedback_counts(cur, "hour")
    an.mystery = customer.mystery_vs_rest(cur, config)
    an.conclusions = [*an.conclusions, *seed_findings.seed_conclusions(an)]

"""The analysis: every figure the report, ``summary.json`` and the ribbon show, computed once.

:func:`analyse` turns a read workbook (:class:`~udfs.core.data.WorkbookData`) into an
:class:`Analysis`: plain data (dataclasses, dicts of numbers, pandas frames for tables),
with every figure taken from the core's rules (scores, KPIs, breakdowns, Pareto, action
status, composite and grades).  The faces only lay it out: the xlsx report
(``addin.report.xlsx``), ``summary.json`` (``addin.report.summary``), the ribbon's
messages and ``csq report``'s lines.  None of them computes a figure of its own.

The report period is the latest month (``YYYY-MM``) in the monitoring table; the changes
compare it with the previous month and the same month a year earlier, the trend shows the
six months ending with it.  Customer ids in the typical cases are masked.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import metrics
from .actions import action_status, days_late, effect_met
from .config import GROUP_LABELS, Indicator, ScoringConfig
from .data import Finding, WorkbookData
from .fields import RUBRIC_KEYS, choice_order
from .pareto import pareto_table
from .privacy import mask_id
from .qa_cycle import QaCycle, analyse_cycle
from .scoring import composite, indicator_points, score_contacts

N_CASES = 3
TREND_MONTHS = 6

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


def month_add(period: str, months: int) -> str:
    y, m = int(period[:4]), int(period[5:7])
    idx = y * 12 + (m - 1) + months
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def _day_numbers(values: Any) -> np.ndarray:
    t = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce")
    return ((t - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)).to_numpy(dtype=float)


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
    0-100; ``mom``/``yoy`` the change against the previous month and the same month a
    year earlier (``None`` where that month has no data).
    """

    kind: str  # "group" or "indicator"
    group: str
    indicator: Indicator | None
    weight: float | None
    value: float | None
    points: float | None
    prev: float | None
    mom: float | None
    last_year: float | None
    yoy: float | None


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
    """Every action with ``status_key``, ``days``, ``days_late``, ``change`` and ``met``."""
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
    as_of_rule: str = "option"
    """Where the as-of date came from: one of :data:`AS_OF_RULES`."""
    qa_cycle: QaCycle = field(default_factory=QaCycle)
    """Population beside the sample, keyword frequencies, reviewer leniency, calibration."""


def _work_frame(df: pd.DataFrame, config: ScoringConfig) -> pd.DataFrame:
    """The columns the figures need, scored, with the repeat flags computed once."""
    cols = [c for c in _WORK_COLUMNS if c in df.columns]
    work = df[cols].copy()
    if "period" not in work.columns:
        if "contact_time" in work.columns:
            t = pd.to_datetime(work["contact_time"], errors="coerce")
            work["period"] = t.dt.strftime("%Y-%m").where(t.notna(), None)
        else:
            work["period"] = None
    work = metrics.score_frame(work, config)
    if "customer_id" in df.columns and "contact_time" in df.columns:
        # computed over the whole table once; summary()/breakdown() use "_repeat" when present
        work["_repeat"] = metrics.repeat_flags(
            df["customer_id"].tolist(), df["contact_time"], config.repeat_window_days
        )
    return work


def _team_indicator_rows(
    by_period: pd.DataFrame, period: str | None, headline: dict[str, Any], config: ScoringConfig
) -> list[IndicatorRow]:
    """Composite indicators by group: value, points, MoM and YoY (group rows included)."""
    per = by_period.set_index("period") if len(by_period) else by_period

    def metrics_of(p: str | None) -> dict[str, Any] | None:
        if p is None or not len(per) or p not in per.index:
            return None
        return {str(k): plain(v) for k, v in per.loc[p].items()}

    cur = headline
    prev = metrics_of(month_add(period, -1)) if period else None
    ly = metrics_of(month_add(period, -12)) if period else None
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
        mom=None if value is None or prev is None else value - prev,
        last_year=ly,
        yoy=None if value is None or ly is None else value - ly,
    )


def _dim_indicator_rows(
    work: pd.DataFrame, period: str | None, config: ScoringConfig
) -> list[IndicatorRow]:
    """Per-contact rubric dimensions: mean rating per group with MoM and YoY."""
    inds = [i for i in config.contact_indicators if i.source in work.columns]
    if not inds or period is None:
        return []
    means = work.groupby("period")[[i.source for i in inds]].mean()

    def mean_of(p: str, src: str) -> float | None:
        return plain(means.at[p, src]) if p in means.index else None

    prev_p, ly_p = month_add(period, -1), month_add(period, -12)
    rows: list[IndicatorRow] = []
    for group in GROUP_LABELS:
        g_inds = [i for i in inds if i.group == group]
        if not g_inds:
            continue

        def group_score(p: str, g_inds: list[Indicator] = g_inds) -> float | None:
            if p not in means.index:
                return None
            ratings = np.array([[means.at[p, i.source] for i in g_inds]], dtype=float)
            return plain(score_contacts(ratings, None, g_inds)[0])

        rows.append(
            _change_row(
                "group",
                group,
                None,
                None,
                *(group_score(p) for p in (period, prev_p, ly_p)),
            )
        )
        for ind in g_inds:
            v = mean_of(period, ind.source)
            pts = None if v is None else plain(indicator_points(np.array([v]), ind)[0])
            rows.append(
                _change_row(
                    "indicator",
                    group,
                    ind,
                    pts,
                    v,
                    mean_of(prev_p, ind.source),
                    mean_of(ly_p, ind.source),
                )
            )
    return rows


def _agent_table(cur: pd.DataFrame, config: ScoringConfig) -> pd.DataFrame:
    """Per-agent figures with rank (None when the agent has too few scored contacts)."""
    ab = metrics.breakdown(cur, "agent_id", config)
    if not len(ab):
        return ab.assign(team=[], scored=[], rank=[])
    scored = cur.groupby("agent_id")["score"].count()
    ab["scored"] = ab["agent_id"].map(scored).fillna(0).astype(int)
    if "team" in cur.columns:
        teams = (
            cur.dropna(subset=["team"])
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
    ab = ab.assign(_r=ab["rank"].fillna(10**9).astype(float))
    ab = ab.sort_values(["_r", "agent_id"], kind="stable").drop(columns="_r")
    return ab.reset_index(drop=True)


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


def _trend(by_period: pd.DataFrame, period: str | None) -> pd.DataFrame:
    if period is None:
        return by_period.iloc[0:0]
    months = [month_add(period, k) for k in range(-(TREND_MONTHS - 1), 1)]
    per = by_period.set_index("period")
    return per.reindex(months).rename_axis("period").reset_index()


def _pareto(cur: pd.DataFrame, problems: pd.DataFrame, config: ScoringConfig) -> pd.DataFrame:
    if "problem_category" not in cur.columns:
        return pareto_table([], config.pareto_a, config.pareto_b)
    table = pareto_table(cur["problem_category"].tolist(), config.pareto_a, config.pareto_b)
    for col in ("direct_cause", "root_cause", "cause_category"):
        table[col] = None
    if problems is not None and len(problems) and "problem" in problems.columns:
        causes = problems.dropna(subset=["problem"]).copy()
        causes["problem"] = causes["problem"].astype(str).str.strip()
        causes = causes.drop_duplicates("problem").set_index("problem")
        for col in ("direct_cause", "root_cause", "cause_category"):
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
    a["met"] = effect_met(num["baseline"], num["target"], num["after"])
    return a.reset_index(drop=True)


def _cases(cur: pd.DataFrame, full: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    scored = cur[cur["score"].notna()]
    if not len(scored):
        return scored.iloc[0:0], scored.iloc[0:0]
    order_cols = ["score"] + (["contact_time"] if "contact_time" in scored.columns else [])
    good = scored.sort_values(
        order_cols, ascending=[False] + [True] * (len(order_cols) - 1), kind="stable"
    )
    bad = scored.sort_values(order_cols, ascending=True, kind="stable")
    good = good.head(N_CASES)
    bad = bad[~bad.index.isin(good.index)].head(N_CASES) if len(scored) > N_CASES else bad.iloc[0:0]
    extra = [
        c
        for c in ("contact_id", "customer_id", "problem_description", "qc_note")
        if c in full.columns
    ]

    def with_text(part: pd.DataFrame) -> pd.DataFrame:
        part = part.copy()
        for c in extra:
            part[c] = full.loc[part.index, c]
        if "customer_id" in part.columns:
            part["customer_id"] = [mask_id(v) for v in part["customer_id"]]
        return part.reset_index(drop=True)

    return with_text(good), with_text(bad)


def analyse(data: WorkbookData, as_of: _dt.date, as_of_rule: str = "option") -> Analysis:
    """Compute every figure and table of the report from a read workbook.

    ``as_of_rule`` says where ``as_of`` came from (:data:`AS_OF_RULES`): the caller's
    explicit date (``option``), the Config sheet's fixed date (``config``) or ``today``.
    """
    config = data.config
    df = data.monitoring
    work = _work_frame(df, config)
    periods = sorted({p for p in work["period"].dropna().unique()})
    period = periods[-1] if periods else None
    cur = work[work["period"] == period] if period else work.iloc[0:0]
    headline = {k: plain(v) for k, v in metrics.summary(cur, config).items()}
    by_period = metrics.breakdown(work, "period", config)

    def present(frame: pd.DataFrame, col: str) -> list[str]:
        if col not in frame.columns:
            return []
        return sorted({str(v) for v in frame[col].dropna().unique() if str(v).strip()})

    order = choice_order("channel", "service_type")
    good, bad = _cases(cur, df)
    agents = _agent_table(cur, config)
    top, bottom = _top_bottom(agents)
    actions = _actions(data.actions, as_of)
    overdue = actions[actions["status_key"] == "overdue"].sort_values(
        "days", ascending=False, kind="stable"
    )
    recorded = ~(actions["metric"].isna() & actions["baseline"].isna() & actions["after"].isna())
    effects = actions[recorded.to_numpy(dtype=bool)] if len(actions) else actions
    cycle = analyse_cycle(data, cur, period, config)
    findings = [*data.findings, *cycle.findings]
    errors = sum(1 for f in findings if f.severity == "error")
    an = Analysis(
        source=os.path.basename(data.path) if data.path else "",
        as_of=as_of,
        config=config,
        sha256=data.sha256,
        period=period,
        periods=periods,
        headline=headline,
        contacts_total=len(df),
        teams=present(cur, "team"),
        n_agents=len(present(cur, "agent_id")),
        channels=sorted(present(cur, "channel"), key=lambda k: order.get(k, 99)),
        service_types=sorted(present(cur, "service_type"), key=lambda k: order.get(k, 99)),
        sampling_ratio=cycle.sampling_ratio,
        by_period=by_period,
        team_indicators=_team_indicator_rows(by_period, period, headline, config),
        dim_indicators=_dim_indicator_rows(work, period, config),
        agents=agents,
        top_agents=top,
        bottom_agents=bottom,
        by_channel=_ordered(metrics.breakdown(cur, "channel", config), "channel", order),
        by_service_type=_ordered(
            metrics.breakdown(cur, "service_type", config), "service_type", order
        ),
        trend=_trend(by_period, period),
        pareto=_pareto(cur, data.problems, config),
        actions=actions,
        overdue=overdue,
        effects=effects,
        action_counts=_action_counts(actions),
        good_cases=good,
        bad_cases=bad,
        findings=findings,
        errors=errors,
        warnings=len(findings) - errors,
        as_of_rule=as_of_rule if as_of_rule in AS_OF_RULES else "option",
        qa_cycle=cycle,
    )
    return an


def _ordered(frame: pd.DataFrame, col: str, order: dict[str, int]) -> pd.DataFrame:
    if not len(frame):
        return frame
    return (
        frame.assign(_o=frame[col].map(lambda k: order.get(k, 99)))
        .sort_values(["_o", col], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )

"""The narrative report's parts: the plain-data model (:class:`Narrative`, :class:`Chapter`,
:class:`Table`, :class:`ChartSpec`, :class:`Series`), the context every chapter builder
gets (:class:`NarrativeContext`), the wording helpers (figures, gaps in percentage points
/ 个百分点, case sentences) and the six chapters of seed 000's outline (监测概况, 整体评分,
分项指标分析, 典型案例, 问题总结, 改进建议).

:mod:`udfs.core.narrative` puts the whole story together from these.  Chinese and English
are written separately (not word-for-word twins): rates print as ``78.5%``, a difference of
rates in percentage points (``个百分点``), never "%".

Extension point: :data:`CHAPTER_BUILDERS` is the ordered list of chapter builders.  A
builder is a function ``(ctx: NarrativeContext) -> Chapter | list[Chapter] | None``
(``None``: nothing to say for this analysis).  Later chapters (segments and the team
comparison, :mod:`~udfs.core.narrative_scope`; process compliance and customer levels,
:mod:`~udfs.core.narrative_process`; action effects, :mod:`~udfs.core.narrative_loop`) are
added with :func:`register_chapter` by :mod:`udfs.core.narrative`, which imports them; the
Word report gets one chapter and the deck one slide per chapter, with no change to the
renderers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .conclusions import format_gap, format_value
from .config import GROUP_LABELS
from .fields import choice_label
from .model import Analysis, Conclusion, IndicatorRow
from .pareto import pie_slices
from .scoring import grade_label
from .targets import RATE_KPIS, kpi_label
from .values import number_or_none

RELIABLE_ALPHA = 0.667
"""Krippendorff's alpha below this is "not reliable" (Krippendorff's own floor)."""
MARGIN = 0.05
"""A target met by at least 5 % of its value is a strength."""
DIVERGE = 5.0
"""A group at least 5 points above (below) the composite score is high (low)."""
MAX_NAMED = 4
"""KPIs named in one sentence; more are counted (a slide title stays readable)."""
MAX_CASES = 3
MAX_RECOMMENDATIONS = 5
TREND_POINTS = 6
UNASSIGNED = ("owner to be assigned", "待指定负责人")
"""The owner of a recommendation no action on the Actions sheet answers yet."""
REPORT_INFO_KEYS = (
    "organisation",
    "monitoring_objective",
    "monitoring_lead",
    "qa_specialists",
    "business_experts",
)
"""The Config sheet's optional text cells the overview shows when filled."""


@dataclass
class Table:
    """A table as text: ``columns`` headers, ``rows`` cells already worded for the language;
    ``numeric[i]`` says column ``i`` holds figures (right-aligned)."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool] = field(default_factory=list)


@dataclass
class Series:
    """One data series of a chart: its name and one value per category (None: no data)."""

    name: str
    values: list[float | None]


@dataclass
class ChartSpec:
    """A chart as data: ``kind`` ``line``, ``bar`` (horizontal), ``column`` or ``pie``;
    ``unit`` the values' unit as printed on the axis; ``note`` source, period and unit."""

    key: str
    kind: str
    title: str
    categories: list[str]
    series: list[Series]
    unit: str = ""
    note: str = ""


@dataclass
class Chapter:
    """One chapter of the report (one slide of the deck): ``message`` is its one-sentence
    point (the slide title), ``notes`` the supporting figures (the speaker notes)."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    message: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class Recommendation:
    """One recommendation per cause: its text, the findings it answers, its owner and
    planned date (from a matching action) and its priority (gap x share)."""

    key: str
    text: str
    answers: list[str]
    owner: str
    planned: str | None
    priority: float
    assigned: bool


@dataclass
class Narrative:
    """The story of one analysis in one language (see the module docstring)."""

    lang: str
    title: str
    subtitle: str
    scope: str
    summary: list[str]
    characterisation: str | None
    strengths: list[str]
    weaknesses: list[str]
    recommendations: list[Recommendation]
    chapters: list[Chapter]
    messages: dict[str, str] = field(default_factory=dict)
    """The deck's slide titles: ``overview``, ``kpis``, ``problems``, ``direction``,
    ``actions``."""

    def chapter(self, key: str) -> Chapter | None:
        return next((c for c in self.chapters if c.key == key), None)


@dataclass
class NarrativeContext:
    """What a chapter builder reads: the analysis, the language, the Config sheet's report
    cells, and the pieces already worded (recommendations, strengths)."""

    an: Analysis
    lang: str
    info: Mapping[str, str]
    recommendations: list[Recommendation]
    strengths: list[str]
    weaknesses: list[str]

    @property
    def zh(self) -> bool:
        return self.lang == "zh"

    def t(self, en: str, zh: str, **values: Any) -> str:
        return (zh if self.zh else en).format(**values)


ChapterBuilder = Callable[[NarrativeContext], "Chapter | list[Chapter] | None"]
"""A chapter builder; a list: several chapters (one per segment, issue 19)."""


# ---- wording helpers ------------------------------------------------------------------


def fmt(metric: str, v: Any, lang: str) -> str:
    """A KPI's figure as printed ("—" for no data)."""
    f = number_or_none(v)
    if f is None:
        return "—"
    if metric == "composite_score" or metric == "group":
        return f"{f:.1f}"
    if metric == "nps":
        return f"{f:.1f}"
    if metric.endswith("_s"):
        return f"{f:.1f}秒" if lang == "zh" else f"{f:.1f} s"
    if metric.endswith("_h"):
        return f"{f:.1f}小时" if lang == "zh" else f"{f:.1f} h"
    return format_value(metric, f, lang)


def gap(metric: str, v: Any, lang: str) -> str:
    """A difference of a KPI: percentage points for rates, seconds for times."""
    f = number_or_none(v)
    if f is None:
        return "—"
    if metric in RATE_KPIS:
        return (
            f"{abs(f) * 100:.1f}个百分点"
            if lang == "zh"
            else f"{abs(f) * 100:.1f} percentage points"
        )
    if metric in ("composite_score", "group", "points"):
        return f"{abs(f):.1f}分" if lang == "zh" else f"{abs(f):.1f} points"
    if metric.endswith("_s") or metric.endswith("_h"):
        return fmt(metric, abs(f), lang)
    return format_gap(metric, f, lang)


def kpi_name(kpi: str, lang: str) -> str:
    return kpi_label(kpi, lang, unit=False)


def _group(key: str, lang: str) -> str:
    zh, en = GROUP_LABELS.get(key, (key, key))
    return zh if lang == "zh" else en


def _ind_label(row: IndicatorRow, lang: str) -> str:
    if row.indicator is None:
        return _group(row.group, lang)
    return row.indicator.label_zh if lang == "zh" else row.indicator.label_en


def _ind_metric(row: IndicatorRow) -> str:
    """The metric whose format a row's raw value takes."""
    if row.kind == "group" or row.indicator is None:
        return "group"
    src = row.indicator.source
    if row.indicator.rule == "rubric":
        return "csat_mean"  # a mean rating 1-5, two decimals
    return src


def _join(items: list[str], lang: str) -> str:
    if not items:
        return ""
    if lang == "zh":
        return "、".join(items)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def has_cjk(text: str) -> bool:
    return bool(text) and "\u2e80" <= text[0] <= "\u9fff"


def period_label(an: Analysis, lang: str) -> str:
    """The report period as a reader says it: 2024年7月, 2024年Q3, 2024年下半年 / 2024-07."""
    if an.report_period is not None:
        return an.report_period.text(lang)
    return an.period or ""


def team_label(an: Analysis, info: Mapping[str, str], lang: str) -> str:
    if an.combined:  # issue 19: a department roll-up is named by its --combine NAME
        return an.source
    if an.teams:
        return _join(list(an.teams), lang)
    org = info.get("organisation")
    return org or ("客服团队" if lang == "zh" else "Service team")


def _change_words(row: IndicatorRow, which: str, lang: str) -> str:
    """The change against the previous period (``prev``) or a year earlier (``year``),
    called an improvement or a decline only when the noise test says it is one."""
    delta = row.vs_prev if which == "prev" else row.vs_year_ago
    verdict = row.vs_prev_verdict if which == "prev" else row.vs_year_ago_verdict
    d = number_or_none(delta)
    if d is None:
        return ""
    metric = _ind_metric(row)
    lower = row.indicator is not None and row.indicator.source.endswith("_s")
    if metric == "group":
        amount = gap("points", d, lang)
    elif metric == "csat_mean":
        amount = f"{abs(d):.2f}"
    else:
        amount = gap(metric, d, lang)
    if lang == "zh":
        when = "环比" if which == "prev" else "同比"
    else:
        when = "on the previous period" if which == "prev" else "on a year earlier"
    if verdict == "stable":
        if lang == "zh":
            return f"{when}持平（变化在抽样误差内）"
        return f"stable {when} (within sampling noise)"
    if verdict in ("up", "down"):
        better = (verdict == "up") != lower
        if lang == "zh":
            move = "上升" if verdict == "up" else "下降"
            return f"{when}{move}{amount}，{'改善' if better else '下滑'}超出抽样误差"
        word = "improved" if better else "declined"
        return (
            f"{word} {when} ({'up' if verdict == 'up' else 'down'} {amount}, beyond sampling noise)"
        )
    # untested: the raw move, not called significant
    if lang == "zh":
        return f"{when}{'增加' if d >= 0 else '减少'}{amount}" if d != 0 else f"{when}无变化"
    return f"{'+' if d >= 0 else '-'}{amount} {when}" if d != 0 else f"unchanged {when}"


def _signed(metric: str, d: Any, lang: str) -> str:
    f = number_or_none(d)
    if f is None:
        return "—"
    sign = "+" if f > 0 else ("-" if f < 0 else "±")
    if metric == "csat_mean":
        return f"{sign}{abs(f):.2f}"
    if metric in RATE_KPIS and lang != "zh":  # a table cell: "pp", as the xlsx report prints
        return f"{sign}{abs(f) * 100:.1f} pp"
    return sign + gap(metric, f, lang)


# ---- the pieces ---------------------------------------------------------------------


def strength_lines(an: Analysis, lang: str) -> list[str]:
    """Targets beaten by at least :data:`MARGIN` of the target, the widest margin first,
    then the groups that improved beyond sampling noise."""
    out: list[str] = []
    beaten = [
        c
        for c in an.targets.values()
        if c.met and c.target and abs(c.gap) / abs(c.target) >= MARGIN
    ]
    beaten.sort(key=lambda c: -abs(c.gap) / abs(c.target))
    for c in beaten:
        better = "高于" if c.higher_is_better else "低于"
        if lang == "zh":
            out.append(
                f"{kpi_name(c.kpi, lang)}{fmt(c.kpi, c.value, lang)}，{better}目标"
                f"{fmt(c.kpi, c.target, lang)}（优于目标{gap(c.kpi, c.gap, lang)}）。"
            )
        else:
            out.append(
                f"{kpi_name(c.kpi, lang)} at {fmt(c.kpi, c.value, lang)} beats its "
                f"{fmt(c.kpi, c.target, lang)} target by {gap(c.kpi, c.gap, lang)}."
            )
    for row in an.team_indicators:
        if row.kind != "group" or row.vs_prev_verdict != "up":
            continue
        name = _group(row.group, lang)
        words = _change_words(row, "prev", lang)
        if lang == "zh":
            out.append(f"{name}得分{fmt('group', row.value, lang)}分，{words}。")
        else:
            out.append(f"{name} score {fmt('group', row.value, lang)}, {words}.")
    return out


def weakness_lines(an: Analysis, lang: str) -> list[str]:
    out = []
    for c in an.conclusions:
        if c.kind in ("target", "pareto", "weak_dimension", "below_pass", "peak_hours"):
            out.append(c.text.get(lang, ""))
    return [t for t in out if t]


def characterisation_of(an: Analysis, lang: str) -> str | None:
    score = number_or_none(an.headline.get("composite_score"))
    groups = [
        r for r in an.team_indicators if r.kind == "group" and number_or_none(r.value) is not None
    ]
    if score is None or len(groups) < 2:
        return None
    high = [r for r in groups if (number_or_none(r.value) or 0) >= score + DIVERGE]
    low = [r for r in groups if (number_or_none(r.value) or 0) <= score - DIVERGE]
    if not high or not low:
        return None
    count = {1: "一", 2: "双", 3: "三"}

    def part(rows: list[IndicatorRow]) -> str:
        return _join(
            [
                f"{_group(r.group, lang)}（{fmt('group', r.value, lang)}分）"
                if lang == "zh"
                else f"{_group(r.group, lang).lower()} ({fmt('group', r.value, lang)})"
                for r in rows
            ],
            lang,
        )

    if lang == "zh":
        return (
            f"服务质量呈现“{count.get(len(high), str(len(high)))}高{count.get(len(low), str(len(low)))}低”"
            f"特征：{part(high)}高于综合得分{fmt('group', score, lang)}分，{part(low)}偏低。"
        )
    return (
        f"Strong on {part(high)} but weak on {part(low)}, against a composite score of "
        f"{fmt('group', score, lang)}."
    )


def _conclusion_priority(c: Conclusion, an: Analysis) -> float:
    """Gap x share: a target miss weighs its relative shortfall (the whole team: share 1),
    a class-A problem its share of the problems (an absolute defect: gap 1); others 0."""
    if c.kind == "target" and c.metric in an.targets:
        return float(an.targets[c.metric].shortfall)
    if c.kind == "pareto":
        return float(number_or_none(c.comparison) or 0.0)
    return 0.0


def _matching_action(an: Analysis, c: Conclusion) -> dict[str, Any] | None:
    acts = an.actions
    if acts is None or not len(acts) or c.metric is None:
        return None
    hits = acts[(acts.get("problem") == c.metric) | (acts.get("metric_key") == c.metric)]
    if not len(hits):
        return None
    order = {"overdue": 0, "open": 1, "unknown": 2}  # an action still to do
    hits = hits[hits["status_key"].isin(list(order))]
    if not len(hits):
        return None
    best = hits.assign(_o=hits["status_key"].map(order)).sort_values("_o", kind="stable").iloc[0]
    return dict(best)


def _short(text: str, lang: str) -> str:
    """A finding's sentence without its final full stop (to list it)."""
    return text.rstrip("。.").strip()


def recommendations_of(an: Analysis, lang: str) -> list[Recommendation]:
    groups: dict[str, Recommendation] = {}
    for c in an.conclusions:
        text = c.recommendation.get(lang)
        if not text:
            continue
        key = c.library_key or text
        prio = _conclusion_priority(c, an)
        act = _matching_action(an, c)
        rec = groups.get(key)
        if rec is None:
            rec = groups[key] = Recommendation(
                key, text, [], UNASSIGNED[1] if lang == "zh" else UNASSIGNED[0], None, 0.0, False
            )
        rec.answers.append(_short(c.text.get(lang, ""), lang))
        rec.priority = max(rec.priority, prio)
        if act is not None and not rec.assigned and act.get("owner"):
            rec.owner = str(act["owner"])
            pd_ = act.get("planned_date")
            rec.planned = (
                None if pd_ is None or pd.isna(pd_) else pd.Timestamp(pd_).date().isoformat()
            )
            rec.assigned = True
    out = list(groups.values())
    out.sort(key=lambda r: -r.priority)  # stable: equal priority keeps the findings' order
    return out


# ---- chapters -----------------------------------------------------------------------


def overview_chapter(ctx: NarrativeContext) -> Chapter:
    an, lang = ctx.an, ctx.lang
    h = an.headline
    channels = _join([choice_label("channel", c, lang) for c in an.channels], lang)
    services = _join([choice_label("service_type", s, lang) for s in an.service_types], lang)
    contacts = int(h.get("contacts") or 0)
    scored = int(an.agents["scored"].sum()) if "scored" in an.agents else 0
    if an.sampling_ratio is not None:
        ratio = ctx.t("a sampling ratio of {r:.1%}", "抽样比例{r:.1%}", r=an.sampling_ratio)
    else:
        ratio = ctx.t(
            "the sampling ratio is not recorded (the Config sheet's contacts-handled cell is blank)",
            "抽样比例未记录（配置表未填写报告期总接待量）",
        )
    team = team_label(an, ctx.info, lang)
    paras = [
        ctx.t(
            "This report covers {team} for {period}: {contacts} contacts monitored "
            "({scored} with a QA score) from {agents} agents over {channels}, covering "
            "{services}; {ratio}.",
            "本报告监测对象为{team}，监测周期为{period}：共监测{contacts}条服务记录（其中"
            "{scored}条有质检评分），涉及{agents}名客服，渠道包括{channels}，业务类型包括"
            "{services}；{ratio}。",
            team=team,
            period=period_label(an, lang),
            contacts=contacts,
            scored=scored,
            agents=an.n_agents,
            channels=channels or "—",
            services=services or "—",
            ratio=ratio,
        )
    ]
    info = ctx.info
    if info.get("monitoring_objective"):
        paras.append(ctx.t("Objective: {o}", "监测目标：{o}", o=info["monitoring_objective"]))
    team_parts = []
    for key, en, zh in (
        ("monitoring_lead", "lead", "组长"),
        ("qa_specialists", "QA specialists", "质检专员"),
        ("business_experts", "business experts", "业务专家"),
    ):
        if info.get(key):
            team_parts.append(f"{zh}：{info[key]}" if ctx.zh else f"{en}: {info[key]}")
    if team_parts:
        paras.append(
            ctx.t(
                "Monitoring team: {p}.",
                "监测小组：{p}。",
                p=("；" if ctx.zh else "; ").join(team_parts),
            )
        )
    rows = [
        [ctx.t("Team", "监测对象"), team],
        [ctx.t("Period", "监测周期"), period_label(an, lang)],
        [ctx.t("Channels", "渠道"), channels or "—"],
        [ctx.t("Service types", "业务类型"), services or "—"],
        [ctx.t("Contacts monitored", "监测量"), str(contacts)],
        [
            ctx.t("Sampling ratio", "抽样比例"),
            f"{an.sampling_ratio:.1%}"
            if an.sampling_ratio is not None
            else ctx.t("not recorded", "未记录"),
        ],
    ]
    if info.get("organisation"):
        rows.insert(0, [ctx.t("Organisation", "单位"), info["organisation"]])
    return Chapter(
        "overview",
        ctx.t("Scope of the monitoring", "监测概况"),
        paras,
        [
            Table(
                ctx.t("Scope", "监测范围"),
                [ctx.t("Item", "项目"), ctx.t("Value", "内容")],
                rows,
                [False, False],
            )
        ],
    )


def _kpi_table(ctx: NarrativeContext) -> Table:
    an, lang = ctx.an, ctx.lang
    rows = []
    for k, c in an.targets.items():
        rows.append(
            [
                kpi_name(k, lang) if not k.endswith("_s") else kpi_label(k, lang, unit=False),
                fmt(k, c.value, lang),
                fmt(k, c.target, lang),
                _signed(k, c.gap, lang),
                ctx.t("met", "达标") if c.met else ctx.t("missed", "未达标"),
            ]
        )
        if an.compare_period is not None:  # issue 19: the change against --compare P
            base = number_or_none((an.compare or {}).get(k))
            rows[-1].append(_signed(k, None if base is None else c.value - base, lang))
    vs = [_vs_label(ctx)] if an.compare_period is not None else []
    return Table(
        ctx.t("KPIs against targets", "关键指标与目标对比"),
        [
            ctx.t("KPI", "指标"),
            ctx.t("Value", "实际值"),
            ctx.t("Target", "目标值"),
            ctx.t("Difference", "差值"),
            ctx.t("Status", "状态"),
            *vs,
        ],
        rows,
        [False, True, True, True, False] + [True] * len(vs),
    )


def _vs_label(ctx: NarrativeContext) -> str:
    """The "vs P" column's header (issue 19: ``--compare P``)."""
    cp = ctx.an.compare_period
    return ctx.t("vs {p}", "较{p}", p=cp.text(ctx.lang) if cp is not None else "")


def _trend_chart(ctx: NarrativeContext) -> ChartSpec | None:
    tr = ctx.an.trend.tail(TREND_POINTS) if len(ctx.an.trend) else ctx.an.trend
    if not len(tr) or "csat_pct" not in tr:
        return None
    vals = [None if number_or_none(v) is None else round(float(v) * 100, 1) for v in tr["csat_pct"]]
    first = next((i for i, v in enumerate(vals) if v is not None), len(vals))
    tr, vals = tr.iloc[first:], vals[first:]  # the trend starts with the data
    if sum(v is not None for v in vals) < 2:
        return None  # one month is no trend
    return ChartSpec(
        "csat_trend",
        "line",
        ctx.t("CSAT (share of 4-5 ratings), last {n} months", "近{n}个月客户满意率趋势", n=len(tr)),
        [str(p) for p in tr["period"]],
        [Series(ctx.t("CSAT %", "满意率(%)"), vals)],
        "%",
        ctx.t("Source: Monitoring sheet; unit: %", "数据来源：监测表；单位：%"),
    )


def overall_chapter(ctx: NarrativeContext) -> Chapter:
    an, lang = ctx.an, ctx.lang
    h = an.headline
    score = number_or_none(h.get("composite_score"))
    grade = grade_label(h.get("grade"), lang)
    paras = []
    if score is not None:
        prev = number_or_none((an.previous or {}).get("composite_score"))
        paras.append(
            ctx.t(
                "The composite score is {s} ({g}){p}.",
                "综合得分{s}分，等级为{g}{p}。",
                s=fmt("group", score, lang),
                g=grade or "—",
                p=(
                    ctx.t(
                        ", {d} on the previous period",
                        "，上期为{v}分",
                        d=_signed("points", score - prev, lang),
                        v=fmt("group", prev, lang),
                    )
                    if prev is not None
                    else ""
                ),
            )
        )
    else:
        paras.append(
            ctx.t(
                "No composite score: the sample holds no scored figures.",
                "样本中无可计分数据，未给出综合得分。",
            )
        )
    met = [c for c in an.targets.values() if c.met]
    missed = [c for c in an.targets.values() if not c.met]
    if an.targets and not missed:
        paras.append(
            ctx.t(
                "All {n} KPIs with a target meet it.", "设有目标的{n}项指标全部达标。", n=len(met)
            )
        )
    elif an.targets and not met:
        paras.append(
            ctx.t(
                "None of the {n} KPIs with a target meets it.",
                "设有目标的{n}项指标均未达标。",
                n=len(missed),
            )
        )
    elif an.targets:
        paras.append(
            ctx.t(
                "{m} of {n} KPIs with a target meet it{miss}.",
                "设有目标的{n}项指标中{m}项达标{miss}。",
                m=len(met),
                n=len(an.targets),
                miss=(
                    ctx.t(
                        "; missed: {x}",
                        "；未达标：{x}",
                        x=_join([kpi_name(c.kpi, lang) for c in missed], lang),
                    )
                    if len(missed) <= MAX_NAMED
                    else ""
                ),
            )
        )
    charts = [c for c in [_trend_chart(ctx)] if c]
    message = paras[0]
    notes = [" / ".join(r[:3]) for r in _kpi_table(ctx).rows]
    return Chapter(
        "overall",
        ctx.t("Overall score", "整体评分"),
        paras,
        [_kpi_table(ctx)] if an.targets else [],
        charts,
        message,
        notes,
    )


def _agents_sentence(ctx: NarrativeContext) -> str | None:
    an, lang = ctx.an, ctx.lang
    ranked = an.agents[an.agents["rank"].notna()] if "rank" in an.agents else an.agents.iloc[0:0]
    if not len(ranked):
        return ctx.t(
            "No agent has the {n} scored contacts needed for a ranking.",
            "没有客服达到排名所需的{n}条评分样本。",
            n=an.config.min_agent_sample,
        )
    has_ci = "singled_out" in an.agents.columns

    def names(frame: pd.DataFrame) -> str:
        if has_ci:
            frame = frame[
                frame["agent_id"].isin(
                    an.agents.loc[an.agents["singled_out"].astype(bool), "agent_id"]
                )
            ]
        return _join(
            [
                f"{r.agent_id}（{fmt('group', r.composite_score, lang)}分）"
                if lang == "zh"
                else f"{r.agent_id} ({fmt('group', r.composite_score, lang)})"
                for r in frame.itertuples()
            ],
            lang,
        )

    top, bottom = names(an.top_agents), names(an.bottom_agents)
    parts = [
        ctx.t(
            "{n} agents are ranked (at least {m} scored contacts each)",
            "{n}名客服参与排名（每人至少{m}条评分样本）",
            n=len(ranked),
            m=an.config.min_agent_sample,
        )
    ]
    if top:
        parts.append(ctx.t("top: {t}", "前三名：{t}", t=top))
    if bottom:
        parts.append(ctx.t("bottom: {b}", "后三名：{b}", b=bottom))
    if has_ci and not top and not bottom:
        parts.append(
            ctx.t(
                "no agent stands apart from the team beyond sampling noise",
                "没有客服的得分与团队的差异超出抽样误差",
            )
        )
    return ("；" if ctx.zh else "; ").join(parts) + ("。" if ctx.zh else ".")


def indicators_chapter(ctx: NarrativeContext) -> Chapter:
    an, lang = ctx.an, ctx.lang
    paras = []
    for row in an.team_indicators:
        if row.kind != "group" or number_or_none(row.value) is None:
            continue
        inds = [r for r in an.team_indicators if r.kind == "indicator" and r.group == row.group]
        detail = _join(
            [
                f"{_ind_label(r, lang)}{fmt(_ind_metric(r), r.value, lang)}"
                if ctx.zh
                else f"{_ind_label(r, lang)} {fmt(_ind_metric(r), r.value, lang)}"
                for r in inds
                if number_or_none(r.value) is not None
            ],
            lang,
        )
        changes = [
            w for w in (_change_words(row, "prev", lang), _change_words(row, "year", lang)) if w
        ]
        paras.append(
            ctx.t(
                "{g}: {s} points ({d}){c}.",
                "{g}维度得分{s}分（{d}）{c}。",
                g=_group(row.group, lang),
                s=fmt("group", row.value, lang),
                d=detail or "—",
                c=(("，" if ctx.zh else "; ") + ("，" if ctx.zh else ", ").join(changes))
                if changes
                else "",
            )
        )
    agents = _agents_sentence(ctx)
    if agents:
        paras.append(agents)
    rows = []
    for r in an.team_indicators:
        m = _ind_metric(r)
        rows.append(
            [
                _group(r.group, lang) if r.kind == "group" else "",
                "" if r.kind == "group" else _ind_label(r, lang),
                "" if r.weight is None else f"{r.weight:g}",
                fmt(m, r.value, lang),
                "" if r.points is None else f"{r.points:.1f}",
                _signed(m if m != "group" else "points", r.vs_prev, lang),
                _signed(m if m != "group" else "points", r.vs_year_ago, lang),
            ]
        )
        if an.compare_period is not None:  # issue 19
            rows[-1].append(_signed(m if m != "group" else "points", r.vs_compare, lang))
    ind_table = Table(
        ctx.t("Indicators by group", "分项指标得分"),
        [
            ctx.t("Group", "维度"),
            ctx.t("Indicator", "指标"),
            ctx.t("Weight", "权重"),
            ctx.t("Value", "实际值"),
            ctx.t("Points", "得分"),
            ctx.t("vs previous", "环比"),
            ctx.t("vs year ago", "同比"),
            *([_vs_label(ctx)] if an.compare_period is not None else []),
        ],
        rows,
        [False, False, True, True, True, True, True]
        + ([True] if an.compare_period is not None else []),
    )
    ag = an.agents[an.agents["rank"].notna()] if "rank" in an.agents else an.agents.iloc[0:0]
    short = len(ag) <= 6
    shown = ag if short else pd.concat([an.top_agents, an.bottom_agents])
    arows = []
    has_ci = "ci_low" in an.agents.columns and "ci_high" in an.agents.columns
    for rec in shown.to_dict("records"):
        ar: dict[str, Any] = {str(k): v for k, v in rec.items()}
        line = [
            str(int(ar["rank"])) if number_or_none(ar.get("rank")) is not None else "",
            str(ar["agent_id"]),
            str(int(ar.get("scored") or 0)),
            fmt("group", ar.get("composite_score"), lang),
            grade_label(ar.get("grade"), lang) or "—",
            fmt("csat_pct", ar.get("csat_pct"), lang),
            fmt("fcr", ar.get("fcr"), lang),
        ]
        if has_ci:
            lo, hi = number_or_none(ar.get("ci_low")), number_or_none(ar.get("ci_high"))
            line.append("—" if lo is None or hi is None else f"{lo:.1f}–{hi:.1f}")
        arows.append(line)
    cols = [
        ctx.t("Rank", "排名"),
        ctx.t("Agent", "客服"),
        ctx.t("Scored", "评分样本"),
        ctx.t("Score", "综合得分"),
        ctx.t("Grade", "等级"),
        ctx.t("CSAT %", "满意率"),
        ctx.t("FCR", "首次解决率"),
    ]
    if has_ci:
        cols.append(ctx.t("95% interval", "95%区间"))
    agent_table = Table(
        ctx.t("Agent ranking", "客服排名")
        if short
        else ctx.t("Top 3 and bottom 3 agents", "客服排名前三与后三"),
        cols,
        arows,
        [True, False, True, True, False, True, True] + ([True] if has_ci else []),
    )
    ch = an.by_channel
    charts = []
    if len(ch):
        charts.append(
            ChartSpec(
                "channels",
                "column",
                ctx.t("Efficiency by channel", "各渠道服务效率对比"),
                [choice_label("channel", c, lang) for c in ch["channel"]],
                [
                    Series(ctx.t("Service level %", "服务水平(%)"), _pct(ch["service_level"])),
                    Series(ctx.t("Answer rate %", "接通率(%)"), _pct(ch["answer_rate"])),
                ],
                "%",
                ctx.t(
                    "Source: Monitoring sheet, {p}; unit: %",
                    "数据来源：监测表，{p}；单位：%",
                    p=period_label(an, lang),
                ),
            )
        )
    tables = [ind_table] + ([agent_table] if arows else [])
    groups = [
        r for r in an.team_indicators if r.kind == "group" and number_or_none(r.value) is not None
    ]
    message = paras[0] if paras else ""
    if len(groups) >= 2:
        top = max(groups, key=lambda r: number_or_none(r.value) or 0)
        low = min(groups, key=lambda r: number_or_none(r.value) or 0)
        message = ctx.t(
            "{h} scores highest ({hv}), {l} lowest ({lv})",
            "{h}维度得分最高（{hv}分），{l}维度最低（{lv}分）",
            h=_group(top.group, lang),
            hv=fmt("group", top.value, lang),
            l=_group(low.group, lang).lower() if not ctx.zh else _group(low.group, lang),
            lv=fmt("group", low.value, lang),
        )
    return Chapter(
        "indicators",
        ctx.t("Indicators by group", "分项指标分析"),
        paras,
        tables,
        charts,
        message,
        [" / ".join(x for x in r if x) for r in rows],
    )


def _pct(col: pd.Series) -> list[float | None]:
    return [None if number_or_none(v) is None else round(float(v) * 100, 1) for v in col]


LONG_DIGITS = re.compile(r"\d[\d \-]{5,}\d")
"""A phone, card or account number typed into a description (7 digits or more)."""


def _masked(text: str) -> str:
    """Long digit runs (a customer's phone number in a description) masked to their last
    4 digits, as customer ids are everywhere."""

    def mask(m: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", m.group(0))
        return "*" * (len(digits) - 4) + digits[-4:] if len(digits) >= 7 else m.group(0)

    return LONG_DIGITS.sub(mask, text)


def _case_sentence(ctx: NarrativeContext, r: Mapping[Any, Any], good: bool) -> str:
    lang = ctx.lang
    t = r.get("contact_time")
    when = ""
    if t is not None and not pd.isna(t):
        ts = pd.Timestamp(t)
        when = f"{ts.month}月{ts.day}日{ts:%H:%M}" if ctx.zh else f"{ts:%d %b %H:%M}"
    channel = choice_label("channel", str(r.get("channel") or ""), lang) if r.get("channel") else ""
    what = _masked(str(r.get("problem_description") or "").strip().lstrip("-=+@").strip())
    note = _masked(str(r.get("qc_note") or "").strip().lstrip("-=+@").strip())
    figs = []
    if number_or_none(r.get("score")) is not None:
        figs.append(ctx.t("QA score {v:.0f}", "质检得分{v:.0f}分", v=float(r["score"])))
    if number_or_none(r.get("csat")) is not None:
        figs.append(ctx.t("CSAT {v:.0f} of 5", "满意度{v:.0f}分（满分5分）", v=float(r["csat"])))
    if number_or_none(r.get("handle_time_s")) is not None:
        figs.append(ctx.t("handled in {v:.0f} s", "处理时长{v:.0f}秒", v=float(r["handle_time_s"])))
    head = ctx.t(
        "{w}, {c}, agent {a}",
        "{w}，{c}渠道，客服{a}",
        w=when or "—",
        c=channel or "—",
        a=r.get("agent_id") or "—",
    )
    body = []
    if what:
        body.append(ctx.t("customer: {x}", "客户诉求：{x}", x=what))
    if note:
        body.append(ctx.t("reviewer: {x}", "质检点评：{x}", x=note))
    sep = "；" if ctx.zh else "; "
    text = head + (sep if body else "") + sep.join(body)
    if figs:
        text += ("（" + "，".join(figs) + "）") if ctx.zh else " (" + ", ".join(figs) + ")"
    return text + ("。" if ctx.zh else ".")


def cases_chapter(ctx: NarrativeContext) -> Chapter | None:
    an = ctx.an
    paras = []
    good = (
        [r for r in an.good_cases.head(MAX_CASES).to_dict("records")] if len(an.good_cases) else []
    )
    bad = [r for r in an.bad_cases.head(MAX_CASES).to_dict("records")] if len(an.bad_cases) else []
    if not good and not bad:
        return None
    if good:
        paras.append(ctx.t("Good cases to share:", "优秀案例（可推广）："))
        paras += [_case_sentence(ctx, r, True) for r in good]
    if bad:
        paras.append(ctx.t("Cases to improve:", "问题案例（需整改）："))
        paras += [_case_sentence(ctx, r, False) for r in bad]
    return Chapter(
        "cases",
        ctx.t("Typical cases", "典型案例"),
        paras,
        message=ctx.t(
            "{g} good cases, {b} cases to improve",
            "优秀案例{g}个，问题案例{b}个",
            g=len(good),
            b=len(bad),
        ),
    )


def problems_chapter(ctx: NarrativeContext) -> Chapter:
    an, lang = ctx.an, ctx.lang
    paras: list[str] = []
    par = an.pareto
    a_rows = par[par["pareto_class"] == "A"].to_dict("records") if len(par) else []
    total = int(par["count"].sum()) if len(par) else 0
    if a_rows:
        paras.append(
            ctx.t(
                "{n} problem types account for {s} of the {t} problems recorded (class A of the Pareto):",
                "问题共记录{t}次，其中{n}类问题占{s}（帕累托A类）：",
                n=len(a_rows),
                s=f"{float(a_rows[-1]['cumulative']):.1%}",
                t=total,
            )
        )
        for r in a_rows:
            direct = str(r.get("direct_cause") or "").strip()
            root = str(r.get("root_cause") or "").strip()
            cause = ""
            if direct and root:
                cause = ctx.t(
                    " The direct cause is {d}; the root cause, {r}.",
                    "直接原因是{d}，根本原因在于{r}。",
                    d=direct,
                    r=root,
                )
            elif direct or root:
                cause = ctx.t(" Cause recorded: {d}.", "已记录原因：{d}。", d=direct or root)
            else:
                cause = ctx.t(" No cause is recorded yet.", "尚未记录原因。")
            paras.append(
                ctx.t(
                    "“{p}”: {c} times ({s}).{x}",
                    "“{p}”出现{c}次，占{s}。{x}",
                    p=r["problem"],
                    c=int(r["count"]),
                    s=f"{float(r['share']):.1%}",
                    x=cause,
                )
            )
    elif total == 0:
        paras.append(
            ctx.t("No problem category was recorded in this period.", "本期未记录问题类别。")
        )
    pb = an.peak_band
    if pb is not None:
        paras.append(
            ctx.t(
                "{a:02d}:00-{b:02d}:00 is the weakest time of day: average first response {v} "
                "against {r} in the other hours ({n} contacts).",
                "{a:02d}:00-{b:02d}:00是服务最薄弱的时段：平均首次响应{v}，其他时段为{r}（{n}条服务记录）。",
                a=pb.start_hour,
                b=pb.end_hour,
                v=fmt("avg_first_response_s", pb.avg_first_response_s, lang),
                r=fmt("avg_first_response_s", pb.rest_avg_first_response_s, lang),
                n=pb.contacts,
            )
        )
    cal = an.qa_cycle.calibration
    if cal is not None:
        alpha = number_or_none(cal.alpha.get("overall"))
        if alpha is not None and alpha < RELIABLE_ALPHA:
            paras.append(
                ctx.t(
                    "Reviewer calibration is not reliable yet: Krippendorff's alpha is {a:.2f} "
                    "(reliable from {m}), so agents' QA scores should be compared with care.",
                    "质检校准可靠性不足：克里彭多夫α系数为{a:.2f}（{m}以上为可靠），客服之间的质检得分比较需谨慎。",
                    a=alpha,
                    m=f"{RELIABLE_ALPHA:.3f}",
                )
            )
    tables, charts = [], []
    if len(par):
        tables.append(
            Table(
                ctx.t("Problems (Pareto)", "问题帕累托分析"),
                [
                    ctx.t("Problem", "问题"),
                    ctx.t("Count", "次数"),
                    ctx.t("Share", "占比"),
                    ctx.t("Cumulative", "累计占比"),
                    ctx.t("Class", "类别"),
                    ctx.t("Root cause", "根本原因"),
                ],
                [
                    [
                        str(r["problem"]),
                        str(int(r["count"])),
                        f"{float(r['share']):.1%}",
                        f"{float(r['cumulative']):.1%}",
                        str(r["pareto_class"]),
                        str(r.get("root_cause") or "—")
                        if not pd.isna(r.get("root_cause"))
                        else "—",
                    ]
                    for r in par.to_dict("records")
                ],
                [False, True, True, True, False, False],
            )
        )
        charts.append(
            ChartSpec(
                "pareto",
                "column",
                ctx.t("Problems by count", "问题类型频次"),
                [str(p) for p in par["problem"]],
                [Series(ctx.t("Count", "次数"), [float(v) for v in par["count"]])],
                ctx.t("contacts", "次"),
                ctx.t(
                    "Source: Monitoring sheet, {p}",
                    "数据来源：监测表，{p}",
                    p=period_label(an, lang),
                ),
            )
        )
        charts.append(
            ChartSpec(
                "problem_types",
                "pie",
                ctx.t("Problem types", "问题类型分布"),
                [p for p, _ in pie_slices(par, lang)],  # the table's shares (+ the rest)
                [Series(ctx.t("Share", "占比"), [v for _, v in pie_slices(par, lang)])],
                "",
                ctx.t(
                    "Source: Monitoring sheet, {p}",
                    "数据来源：监测表，{p}",
                    p=period_label(an, lang),
                ),
            )
        )
    hours = an.by_hour[an.by_hour["contacts"] > 0] if len(an.by_hour) else an.by_hour
    if len(hours) and hours["avg_first_response_s"].notna().any():
        charts.append(
            ChartSpec(
                "hours",
                "column",
                ctx.t("Average first response by hour", "各时段平均首次响应时长"),
                [f"{int(h):02d}" for h in hours["hour"]],
                [
                    Series(
                        ctx.t("First response (s)", "首次响应(秒)"),
                        [
                            None if number_or_none(v) is None else round(float(v), 1)
                            for v in hours["avg_first_response_s"]
                        ],
                    )
                ],
                ctx.t("s", "秒"),
                ctx.t("Source: Monitoring sheet; unit: seconds", "数据来源：监测表；单位：秒"),
            )
        )
    message = paras[1] if a_rows and len(paras) > 1 else (paras[0] if paras else "")
    notes = [" / ".join(r[:3]) for r in tables[0].rows] if tables else []
    return Chapter(
        "problems", ctx.t("Problems and causes", "问题总结"), paras, tables, charts, message, notes
    )


def recommendations_chapter(ctx: NarrativeContext) -> Chapter:
    recs = ctx.recommendations[:MAX_RECOMMENDATIONS]
    paras = []
    if not recs:
        paras.append(
            ctx.t(
                "No finding calls for a new action this period.", "本期没有需要新增改进措施的发现。"
            )
        )
    for i, r in enumerate(recs, 1):
        who = r.owner + (ctx.t(", by {d}", "，计划完成日期{d}", d=r.planned) if r.planned else "")
        paras.append(
            ctx.t(
                "{i}. {t} Answers: {a}. Owner: {w}.",
                "{i}. {t}针对：{a}。负责人：{w}。",
                i=i,
                t=r.text,
                a=("；" if ctx.zh else "; ").join(r.answers),
                w=who,
            )
        )
    rows = [
        [str(i), r.text, str(len(r.answers)), r.owner, r.planned or "—"]
        for i, r in enumerate(recs, 1)
    ]
    tables = (
        [
            Table(
                ctx.t("Recommendations", "改进建议"),
                [
                    ctx.t("No.", "序号"),
                    ctx.t("Recommendation", "建议"),
                    ctx.t("Findings", "对应发现"),
                    ctx.t("Owner", "负责人"),
                    ctx.t("Planned", "计划完成"),
                ],
                rows,
                [True, False, True, False, False],
            )
        ]
        if rows
        else []
    )
    return Chapter(
        "recommendations",
        ctx.t("Recommendations", "改进建议"),
        paras,
        tables,
        message=recs[0].text if recs else paras[0],
        notes=[p for p in paras],
    )


CHAPTER_BUILDERS: list[tuple[str, ChapterBuilder]] = [
    ("overview", overview_chapter),
    ("overall", overall_chapter),
    ("indicators", indicators_chapter),
    ("cases", cases_chapter),
    ("problems", problems_chapter),
    ("recommendations", recommendations_chapter),
]
"""The chapters in report order as ``(key, builder)``: the extension point (see the module
docstring and :func:`register_chapter`)."""


def register_chapter(key: str, builder: ChapterBuilder, after: str | None = None) -> None:
    """Add a chapter builder after the chapter ``after`` (default: before the
    recommendations); registering a key again replaces its builder."""
    keys = [k for k, _ in CHAPTER_BUILDERS]
    if key in keys:
        CHAPTER_BUILDERS[keys.index(key)] = (key, builder)
        return
    pos = keys.index(after) + 1 if after in keys else keys.index("recommendations")
    CHAPTER_BUILDERS.insert(pos, (key, builder))


def case_sentence(ctx: NarrativeContext, r: Mapping[Any, Any]) -> str:
    """A typical case as one sentence (when, channel, agent, the customer's request and the
    reviewer's note, long digit runs masked): for chapters registered from other modules."""
    return _case_sentence(ctx, r, True)

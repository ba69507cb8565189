"""The evaluation report: one xlsx workbook per standard workbook (SPEC section 8).

:func:`analyse` turns a :class:`~addin.model.WorkbookData` into report tables, calling
``udfs.core`` for every figure (scores, KPIs, breakdowns, Pareto, action status,
composite and grades); :func:`write_report` writes them with xlsxwriter, with native
charts, in Chinese or English.  The same :class:`Analysis` feeds ``summary.json``
(``addin.summary``).

The report period is the latest month (``YYYY-MM``) in the monitoring table; MoM and YoY
compare it with the previous month and the same month a year earlier, the trend shows
the six months ending with it.  Customer text is always written as text, customer ids
are masked, and no per-contact rows are written except the typical cases.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter

from udfs import __version__
from udfs.core import metrics, score_frame
from udfs.core.actions import action_status, days_late, effect_met, status_text
from udfs.core.config import GROUP_LABELS, Indicator, ScoringConfig
from udfs.core.pareto import pareto_table
from udfs.core.privacy import mask_id
from udfs.core.scoring import GRADE_LABELS, composite, indicator_points, score_contacts
from workbook_templates.schema import CHOICES, RUBRIC_KEYS, choice_label

from .atomic import atomic_path
from .i18n import Catalog
from .model import WorkbookData
from .safety import XLSX_WRITE_OPTIONS

# --------------------------------------------------------------------------- labels
# Every label of the report, in one bilingual table: key -> (English, 简体中文).
LABELS: dict[str, tuple[str, str]] = {
    # sheets
    "sh_overview": ("Overview", "概览"),
    "sh_indicators": ("Indicators", "指标"),
    "sh_agents": ("Agents", "客服排名"),
    "sh_channels": ("Channels", "渠道与服务类型"),
    "sh_trend": ("Trend", "趋势"),
    "sh_pareto": ("Pareto", "问题帕累托"),
    "sh_actions": ("Actions", "改进行动"),
    "sh_cases": ("Cases", "典型案例"),
    "sh_quality": ("Data quality", "数据质量"),
    "sh_method": ("Method", "方法说明"),
    # overview
    "title": ("Customer-service quality report", "客服质量评价报告"),
    "source": ("Source file", "数据文件"),
    "teams": ("Teams", "班组"),
    "agents_n": ("Agents", "客服人数"),
    "report_period": ("Report period", "报告期"),
    "report_period_note": (
        "latest month in the data",
        "数据中最近的月份",
    ),
    "data_range": ("Data range", "数据范围"),
    "months": ("months", "个月"),
    "channels": ("Channels", "渠道"),
    "service_types": ("Service types", "服务类型"),
    "sample_size": ("Sample size (contacts in period)", "样本量（报告期联系数）"),
    "sample_all": ("Contacts in the workbook", "工作簿中联系总数"),
    "sampling_ratio": ("Sampling ratio", "抽样比例"),
    "unknown": ("not recorded", "未记录"),
    "overall": ("Overall composite score", "综合得分"),
    "overall_grade": ("Overall grade", "综合等级"),
    "headline": ("Key figures (report period)", "关键指标（报告期）"),
    "metric": ("Metric", "指标"),
    "value": ("Value", "数值"),
    "no_data": ("no data", "无数据"),
    "quality_line": ("Data-quality findings", "数据质量问题"),
    "quality_counts": ("errors: {e}, warnings: {w}", "{e} 个错误，{w} 个警告"),
    "as_of": ("As-of date", "评价基准日"),
    "csq_version": ("CSQ version", "CSQ 版本"),
    "unit_points": ("points 0-100", "分，0-100"),
    # metrics (SPEC section 5 names)
    "m_contacts": ("Contacts", "联系数"),
    "m_answered": ("Answered", "接通数"),
    "m_answer_rate": ("Answer rate", "接通率"),
    "m_resolved_first_contact": ("Resolved at first contact", "首次解决数"),
    "m_fcr": ("First-contact resolution (FCR)", "首次解决率"),
    "m_csat_mean": ("CSAT mean (1-5)", "满意度均值(1-5)"),
    "m_csat_pct": ("CSAT % (4-5)", "满意率(4-5分)"),
    "m_nps": ("NPS", "净推荐值 NPS"),
    "m_avg_first_response_s": ("Avg first response (s)", "平均首次响应(秒)"),
    "m_avg_handle_time_s": ("Avg handle time (s)", "平均处理时长(秒)"),
    "m_avg_resolution_time_h": ("Avg resolution time (h)", "平均解决时长(小时)"),
    "m_service_level": ("Service level", "服务水平"),
    "m_transfer_rate": ("Transfer rate", "转接率"),
    "m_repeat_rate": ("Repeat-contact rate", "重复来电率"),
    "m_qa_score_mean": ("Mean QA score", "质检均分"),
    "m_qc_pass_rate": ("QC pass rate", "质检合格率"),
    "m_composite_score": ("Composite score", "综合得分"),
    "m_grade": ("Grade", "等级"),
    # short forms for table headers
    "ms_fcr": ("FCR", "首次解决率"),
    "ms_avg_first_response_s": ("Avg 1st response (s)", "平均首响(秒)"),
    "ms_qa_score_mean": ("Mean QA score", "质检均分"),
    # indicators
    "ind_title": ("Indicator scores by group", "分组指标得分"),
    "ind_team": ("Composite indicators (team level)", "综合指标（团队层面）"),
    "ind_dims": ("QA rubric dimensions (mean rating 1-5)", "质检维度（平均评分 1-5）"),
    "group": ("Group", "分组"),
    "indicator": ("Indicator", "指标"),
    "weight": ("Weight", "权重"),
    "points": ("Points", "得分"),
    "prev_month": ("Previous month", "上月"),
    "mom": ("MoM change", "环比变化"),
    "last_year": ("Same month last year", "去年同月"),
    "yoy": ("YoY change", "同比变化"),
    "group_score": ("{g} (group score)", "{g}（分组得分）"),
    "mom_note": (
        "MoM / YoY: change against the previous month / the same month a year earlier; "
        "blank when that month has no data.",
        "环比 / 同比：与上月 / 去年同月相比的变化；该月无数据时留空。",
    ),
    # agents
    "agents_title": ("Agent ranking", "客服排名"),
    "top3": ("Top 3", "前三名"),
    "bottom3": ("Bottom 3", "后三名"),
    "all_agents": ("All agents", "全部客服"),
    "rank": ("Rank", "名次"),
    "agent": ("Agent", "客服工号"),
    "team": ("Team", "班组"),
    "scored": ("Scored contacts", "已评分联系数"),
    "note": ("Note", "备注"),
    "not_ranked": (
        "not ranked: fewer than {n} scored contacts",
        "未排名：已评分联系数少于 {n}",
    ),
    "min_sample": (
        "Ranked by composite score; minimum sample {n} scored contacts.",
        "按综合得分排名；最少样本量为 {n} 条已评分联系。",
    ),
    "bottom_in_top": (
        "Fewer than 4 ranked agents: all of them are listed above.",
        "排名客服少于 4 人：均已列在上方。",
    ),
    "no_ranked": ("No agent has enough scored contacts to rank.", "没有客服达到排名所需样本量。"),
    # channels
    "ch_title": ("Channels and service types", "渠道与服务类型对比"),
    "channel": ("Channel", "渠道"),
    "service_type": ("Service type", "服务类型"),
    "blank": ("(blank)", "（空白）"),
    "chart_channels": ("Mean QA score and composite by channel", "各渠道质检均分与综合得分"),
    # trend
    "trend_title": ("6-month trend", "近 6 个月趋势"),
    "period": ("Month", "月份"),
    "chart_trend": ("QA score and composite score trend", "质检均分与综合得分趋势"),
    # pareto
    "pareto_title": ("Problem Pareto (report period)", "问题帕累托分析（报告期）"),
    "problem": ("Problem", "问题类型"),
    "count": ("Count", "频次"),
    "share": ("Share", "占比"),
    "cumulative": ("Cumulative share", "累计占比"),
    "pareto_class": ("Class", "分类"),
    "line80": ("{p} line", "{p} 线"),
    "direct_cause": ("Direct cause", "直接原因"),
    "root_cause": ("Root cause", "根本原因"),
    "cause_category": ("Cause category", "原因类别"),
    "chart_pareto": ("Problem Pareto", "问题帕累托图"),
    "unit_count": ("contacts; cumulative %", "条；累计 %"),
    "pareto_note": (
        "Class A: up to and including the problem that crosses {a}; B up to {b}; C the rest.",
        "A 类：累计占比越过 {a} 的问题及之前的问题；B 类：至 {b}；其余为 C 类。",
    ),
    "no_problems": ("No problem categories recorded in this period.", "本期没有记录问题类别。"),
    # actions
    "act_title": ("Improvement actions (as of {d})", "改进行动（基准日 {d}）"),
    "act_status_counts": ("Status", "状态"),
    "act_overdue": ("Overdue actions", "逾期行动"),
    "act_all": ("All actions", "全部行动"),
    "act_effect": ("Before / after effect", "改进前后效果"),
    "action_no": ("No.", "编号"),
    "measure": ("Measure", "改进措施"),
    "linked_problem": ("Linked problem", "关联问题"),
    "owner": ("Owner", "责任人"),
    "planned_date": ("Planned date", "计划完成日期"),
    "actual_date": ("Actual date", "实际完成日期"),
    "action_status": ("Action status", "执行判定"),
    "days_late": ("Days late/overdue", "延期/逾期天数"),
    "eff_metric": ("Metric", "效果指标"),
    "baseline": ("Baseline", "基线值"),
    "target": ("Target", "目标值"),
    "after": ("After", "改进后"),
    "change": ("Change", "变化"),
    "met": ("Met?", "是否达标"),
    "yes": ("Yes", "是"),
    "no": ("No", "否"),
    "none_overdue": ("No overdue actions.", "没有逾期行动。"),
    "no_actions": ("No actions recorded.", "没有记录改进行动。"),
    "st_done_on_time": ("Done on time", "按时完成"),
    "st_done_late": ("Done late", "延期完成"),
    "st_overdue": ("Overdue", "逾期"),
    "st_open": ("Open", "进行中"),
    "st_cancelled": ("Cancelled", "已取消"),
    "st_unknown": ("No planned date", "无计划日期"),
    # cases
    "cases_title": ("Typical cases (report period)", "典型案例（报告期）"),
    "good_cases": ("Good cases (highest scores)", "优秀案例（得分最高）"),
    "bad_cases": ("Cases to improve (lowest scores)", "待改进案例（得分最低）"),
    "contact_id": ("Contact ID", "工单编号"),
    "contact_time": ("Contact time", "联系时间"),
    "customer": ("Customer (masked)", "客户（已脱敏）"),
    "score": ("QA score", "质检得分"),
    "grade": ("Grade", "等级"),
    "critical_error": ("Critical error", "致命错误"),
    "problem_description": ("Problem description", "问题描述"),
    "qc_note": ("QC note", "质检备注"),
    "no_cases": ("No scored contacts in this period.", "本期没有已评分的联系。"),
    # data quality
    "dq_title": ("Data-quality findings (cell by cell)", "数据质量问题（逐单元格）"),
    "dq_sheet": ("Sheet", "工作表"),
    "dq_cell": ("Cell", "单元格"),
    "dq_value": ("Value", "单元格内容"),
    "dq_rule": ("Problem / what is allowed", "问题 / 允许的内容"),
    "dq_severity": ("Severity", "级别"),
    "error": ("error", "错误"),
    "warning": ("warning", "警告"),
    "dq_none": ("No data-quality problems found.", "未发现数据质量问题。"),
    "dq_more": (
        "… and {n} more findings (see csq validate)",
        "……另有 {n} 个问题（见 csq validate）",
    ),
    "dq_note": (
        "Rows with bad cells keep their good fields; the bad cells count as blank.",
        "含错误单元格的行仍使用其有效字段；错误单元格按空白处理。",
    ),
    # method
    "method_title": ("Method", "方法说明"),
    "input_file": ("Input file", "输入文件"),
    "input_sha": ("Input SHA-256", "输入文件 SHA-256"),
    "period_rule": ("Report period rule", "报告期规则"),
    "period_rule_text": (
        "The latest month (YYYY-MM of the contact time) in the monitoring table; "
        "contacts without a contact time count only in the workbook total.",
        "监测表中最近的月份（联系时间的年月）；无联系时间的记录只计入工作簿总数。",
    ),
    "figures_rule": (
        "Figures",
        "计算口径",
    ),
    "figures_rule_text": (
        "All figures are computed by the CSQ calculation core, the same code as the "
        "CSQ_ Excel functions (SPEC section 5 definitions).",
        "所有数值均由 CSQ 计算核心得出，与 CSQ_ 系列 Excel 函数为同一代码（规格第 5 节口径）。",
    ),
    "cfg_contact": ("Per-contact QA score indicators", "单条质检得分指标"),
    "cfg_team": ("Composite (agent/team) indicators", "综合（客服/团队）指标"),
    "cfg_params": ("Parameters", "参数"),
    "cfg_json": ("Configuration used (JSON)", "所用配置（JSON）"),
    "source_field": ("Source", "数据来源"),
    "rule": ("Rule", "规则"),
    "bands": ("Bands", "分段阈值"),
    "band_points": ("Band points", "分段得分"),
    "key": ("Key", "代码"),
    "p_grades": ("Grade thresholds (excellent / good / pass)", "等级阈值（优秀/良好/合格）"),
    "p_auto_fail": ("Critical error makes the score 0", "致命错误得分为 0"),
    "p_sl": ("Service-level threshold (s)", "服务水平阈值（秒）"),
    "p_repeat": ("Repeat-contact window (days)", "重复来电窗口（天）"),
    "p_pareto": ("Pareto class limits A / B", "帕累托分类界限 A / B"),
    "p_min_sample": ("Minimum sample for agent ranking", "客服排名最少样本量"),
    "footer": (
        "Source: {src} · period {p} · as of {d} · CSQ {v}",
        "来源：{src} · 报告期 {p} · 基准日 {d} · CSQ {v}",
    ),
}

METRIC_FORMATS: dict[str, str] = {
    "contacts": "int",
    "answered": "int",
    "answer_rate": "pct",
    "resolved_first_contact": "int",
    "fcr": "pct",
    "csat_mean": "dec2",
    "csat_pct": "pct",
    "nps": "dec1",
    "avg_first_response_s": "dec1",
    "avg_handle_time_s": "dec1",
    "avg_resolution_time_h": "dec1",
    "service_level": "pct",
    "transfer_rate": "pct",
    "repeat_rate": "pct",
    "qa_score_mean": "dec1",
    "qc_pass_rate": "pct",
    "composite_score": "dec1",
}

MAX_FINDINGS_ROWS = 50_000
"""Findings written cell by cell; beyond this the sheet says how many more there are."""

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
)
"""Monitoring columns the figures need (the free-text columns are read only for cases)."""


label = Catalog(LABELS)
"""``label(key, lang, **values)``: a report label or sentence in the report's language."""


def metric_label(key: str, lang: str, short: bool = False) -> str:
    if short and f"ms_{key}" in LABELS:
        return label(f"ms_{key}", lang)
    return label(f"m_{key}", lang)


def grade_label(key: str | None, lang: str) -> str | None:
    if key is None:
        return None
    return GRADE_LABELS["zh" if lang == "zh" else "en"].get(key, key)


# --------------------------------------------------------------------------- analysis
def _clean(v: Any) -> Any:
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


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in df.to_dict("records")]


def month_add(period: str, months: int) -> str:
    y, m = int(period[:4]), int(period[5:7])
    idx = y * 12 + (m - 1) + months
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def _day_numbers(values: Any) -> np.ndarray:
    t = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce")
    return ((t - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)).to_numpy(dtype=float)


def file_sha256(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class Analysis:
    """Every table of the report, computed once (figures from ``udfs.core``)."""

    source: str
    as_of: _dt.date
    config: ScoringConfig
    sha256: str
    period: str | None
    periods: list[str]
    headline: dict[str, Any]
    contacts_total: int
    teams: list[str]
    n_agents: int
    channels: list[str]
    service_types: list[str]
    sampling_ratio: float | None
    by_period: pd.DataFrame
    team_indicators: list[dict[str, Any]]
    dim_indicators: list[dict[str, Any]]
    agents: pd.DataFrame
    by_channel: pd.DataFrame
    by_service_type: pd.DataFrame
    trend: pd.DataFrame
    pareto: pd.DataFrame
    actions: pd.DataFrame
    action_counts: dict[str, int]
    good_cases: pd.DataFrame
    bad_cases: pd.DataFrame
    findings: list[Any] = field(default_factory=list)


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
    work = score_frame(work, config)
    if "customer_id" in df.columns and "contact_time" in df.columns:
        # computed over the whole table once; summary()/breakdown() use "_repeat" when present
        work["_repeat"] = metrics.repeat_flags(
            df["customer_id"].tolist(), df["contact_time"], config.repeat_window_days
        )
    return work


def _team_indicator_rows(
    by_period: pd.DataFrame, period: str | None, headline: dict[str, Any], config: ScoringConfig
) -> list[dict[str, Any]]:
    """Composite indicators by group: value, points, MoM and YoY (group rows included)."""
    per = by_period.set_index("period") if len(by_period) else by_period

    def metrics_of(p: str | None) -> dict[str, Any] | None:
        if p is None or not len(per) or p not in per.index:
            return None
        return {k: _clean(v) for k, v in per.loc[p].items()}

    cur = headline
    prev = metrics_of(month_add(period, -1)) if period else None
    ly = metrics_of(month_add(period, -12)) if period else None
    rows: list[dict[str, Any]] = []
    for group in GROUP_LABELS:
        inds = [i for i in config.team_indicators if i.group == group]
        if not inds:
            continue

        def group_score(m: dict[str, Any] | None, inds: list[Indicator] = inds) -> float | None:
            if m is None:
                return None
            vals = np.array([[np.nan if m.get(i.source) is None else m[i.source] for i in inds]])
            return _clean(composite(vals, inds)[0])

        rows.append(
            _change_row("group", group, None, None, "dec1", *map(group_score, (cur, prev, ly)))
        )
        for ind in inds:
            v = cur.get(ind.source)
            pts = None if v is None else _clean(indicator_points(np.array([v]), ind)[0])
            rows.append(
                _change_row(
                    "indicator",
                    group,
                    ind,
                    pts,
                    METRIC_FORMATS.get(ind.source, "dec1"),
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
    fmt: str,
    value: float | None,
    prev: float | None,
    ly: float | None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "group": group,
        "indicator": ind,
        "weight": None if ind is None else ind.weight,
        "value": value,
        "points": points,
        "prev": prev,
        "mom": None if value is None or prev is None else value - prev,
        "last_year": ly,
        "yoy": None if value is None or ly is None else value - ly,
        "fmt": fmt,
    }


def _dim_indicator_rows(
    work: pd.DataFrame, period: str | None, config: ScoringConfig
) -> list[dict[str, Any]]:
    """Per-contact rubric dimensions: mean rating per group with MoM and YoY."""
    inds = [i for i in config.contact_indicators if i.source in work.columns]
    if not inds or period is None:
        return []
    means = work.groupby("period")[[i.source for i in inds]].mean()

    def mean_of(p: str, src: str) -> float | None:
        return _clean(means.at[p, src]) if p in means.index else None

    prev_p, ly_p = month_add(period, -1), month_add(period, -12)
    rows: list[dict[str, Any]] = []
    for group in GROUP_LABELS:
        g_inds = [i for i in inds if i.group == group]
        if not g_inds:
            continue

        def group_score(p: str, g_inds: list[Indicator] = g_inds) -> float | None:
            if p not in means.index:
                return None
            ratings = np.array([[means.at[p, i.source] for i in g_inds]], dtype=float)
            return _clean(score_contacts(ratings, None, g_inds)[0])

        rows.append(
            _change_row(
                "group",
                group,
                None,
                None,
                "dec1",
                *(group_score(p) for p in (period, prev_p, ly_p)),
            )
        )
        for ind in g_inds:
            v = mean_of(period, ind.source)
            pts = None if v is None else _clean(indicator_points(np.array([v]), ind)[0])
            rows.append(
                _change_row(
                    "indicator",
                    group,
                    ind,
                    pts,
                    "dec2",
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
    a["status_key"] = status
    a["days"] = days
    a["days_late"] = days_late(status, days)
    num = {
        c: pd.to_numeric(a[c], errors="coerce").to_numpy(dtype=float)
        for c in ("baseline", "target", "after")
    }
    for c, v in num.items():
        a[c] = v
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


def analyse(data: WorkbookData, as_of: _dt.date) -> Analysis:
    """Compute every figure and table of the report from a read workbook."""
    config = data.config
    df = data.monitoring
    work = _work_frame(df, config)
    periods = sorted({p for p in work["period"].dropna().unique()})
    period = periods[-1] if periods else None
    cur = work[work["period"] == period] if period else work.iloc[0:0]
    headline = {k: _clean(v) for k, v in metrics.summary(cur, config).items()}
    by_period = metrics.breakdown(work, "period", config)

    def present(frame: pd.DataFrame, col: str) -> list[str]:
        if col not in frame.columns:
            return []
        return sorted({str(v) for v in frame[col].dropna().unique() if str(v).strip()})

    order = {c.key: i for name in ("channel", "service_type") for i, c in enumerate(CHOICES[name])}
    sha = data.sha256 or (file_sha256(data.path) if data.path and os.path.isfile(data.path) else "")
    good, bad = _cases(cur, df)
    an = Analysis(
        source=os.path.basename(data.path) if data.path else "",
        as_of=as_of,
        config=config,
        sha256=sha,
        period=period,
        periods=periods,
        headline=headline,
        contacts_total=len(df),
        teams=present(cur, "team"),
        n_agents=len(present(cur, "agent_id")),
        channels=sorted(present(cur, "channel"), key=lambda k: order.get(k, 99)),
        service_types=sorted(present(cur, "service_type"), key=lambda k: order.get(k, 99)),
        sampling_ratio=(
            headline["contacts"] / data.population
            if data.population and headline.get("contacts")
            else None
        ),
        by_period=by_period,
        team_indicators=_team_indicator_rows(by_period, period, headline, config),
        dim_indicators=_dim_indicator_rows(work, period, config),
        agents=_agent_table(cur, config),
        by_channel=_ordered(metrics.breakdown(cur, "channel", config), "channel", order),
        by_service_type=_ordered(
            metrics.breakdown(cur, "service_type", config), "service_type", order
        ),
        trend=_trend(by_period, period),
        pareto=_pareto(cur, data.problems, config),
        actions=_actions(data.actions, as_of),
        action_counts={},
        good_cases=good,
        bad_cases=bad,
        findings=list(data.findings),
    )
    st = an.actions["status_key"] if len(an.actions) else pd.Series([], dtype=object)
    an.action_counts = {
        k: int((st == k).sum())
        for k in ("done_on_time", "done_late", "overdue", "open", "cancelled")
    }
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


# --------------------------------------------------------------------------- writing
def _text_units(text: str) -> float:
    # in units of the column width (one digit): CJK glyphs ~2, Latin letters ~0.9
    return sum(2.0 if ord(ch) > 0x2E80 else 0.9 for ch in text) + 1


class _Sheet:
    """A worksheet written top to bottom (xlsxwriter constant_memory needs row order)."""

    def __init__(self, w: _Writer, key: str, widths: Sequence[float], landscape: bool = True):
        self.w = w
        self.ws = w.wb.add_worksheet(label(key, w.lang))
        self.name = self.ws.get_name()
        self.row = 0
        self.ncols = len(widths)
        self.widths = list(widths)
        for i, width in enumerate(widths):
            self.ws.set_column(i, i, width)
        self.ws.set_paper(9)  # A4
        if landscape:
            self.ws.set_landscape()
        self.ws.fit_to_pages(1, 0)
        self.ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        footer = label(
            "footer",
            w.lang,
            src=w.an.source or "-",
            p=w.an.period or "-",
            d=w.an.as_of.isoformat(),
            v=__version__,
        ).replace("&", "&&")
        self.ws.set_footer(f"&L&8{footer}&R&8&P / &N")

    def title(self, text: str) -> None:
        self.ws.set_row(self.row, 24)
        self.ws.write_string(self.row, 0, text, self.w.f["title"])
        self.row += 2

    def heading(self, text: str) -> None:
        self.ws.write_string(self.row, 0, text, self.w.f["h2"])
        self.row += 1

    def note(self, text: str) -> None:
        self.ws.write_string(self.row, 0, text, self.w.f["note"])
        self.row += 1

    def gap(self, n: int = 1) -> None:
        self.row += n

    def header(self, labels: Sequence[str]) -> None:
        # wrapped header text needs a taller row (CJK characters are about two units wide)
        need = max(
            (_text_units(t) / max(self.widths[c] * 0.85, 1) for c, t in enumerate(labels)),
            default=0,
        )
        if need > 1:
            self.ws.set_row(self.row, 15 * min(3, math.ceil(need)))
        for c, text in enumerate(labels):
            self.ws.write_string(self.row, c, text, self.w.f["th"])
        self.row += 1

    def cells(self, values: Sequence[Any], fmts: Sequence[str | None] | None = None) -> int:
        r = self.row
        # wrapped text: give the row the height of its longest cell (LibreOffice and Excel
        # do not grow rows written by xlsxwriter on their own)
        lines = 1
        for c, v in enumerate(values):
            if fmts and fmts[c] == "wrap" and isinstance(v, str) and c < len(self.widths):
                width = max(self.widths[c] - 1, 1)
                est = sum(math.ceil(_text_units(part) / width) for part in v.split("\n"))
                lines = max(lines, min(est, 15))
        if lines > 1:
            self.ws.set_row(r, 15 * lines)
        for c, v in enumerate(values):
            self.w.cell(self.ws, r, c, v, (fmts[c] if fmts else None))
        self.row += 1
        return r


_NUMBER_FORMATS = frozenset(
    {"int", "dec1", "dec2", "pct", "d_int", "d_dec1", "d_dec2", "d_pct", "date", "datetime",
     "big", "group_dec1", "group_d_dec1"}
)  # fmt: skip


class _Writer:
    FORMATS: dict[str, dict[str, Any]] = {
        "title": {"bold": True, "font_size": 15, "font_color": "#1F3864"},
        "h2": {"bold": True, "font_size": 11, "font_color": "#1F3864", "bottom": 1},
        "note": {"italic": True, "font_color": "#595959", "font_size": 9},
        "th": {
            "bold": True,
            "bg_color": "#D9E1F2",
            "border": 1,
            "text_wrap": True,
            "valign": "vcenter",
        },
        "text": {"border": 1, "valign": "vcenter"},
        "wrap": {"border": 1, "text_wrap": True, "valign": "vcenter"},
        "label": {"border": 1, "bold": True, "bg_color": "#F2F2F2", "valign": "vcenter"},
        "int": {"border": 1, "num_format": "0"},
        "dec1": {"border": 1, "num_format": "0.0"},
        "dec2": {"border": 1, "num_format": "0.00"},
        "pct": {"border": 1, "num_format": "0.0%"},
        "d_int": {"border": 1, "num_format": "+0;-0;0"},
        "d_dec1": {"border": 1, "num_format": "+0.0;-0.0;0.0"},
        "d_dec2": {"border": 1, "num_format": "+0.00;-0.00;0.00"},
        "d_pct": {"border": 1, "num_format": "+0.0%;-0.0%;0.0%"},
        "date": {"border": 1, "num_format": "yyyy-mm-dd"},
        "datetime": {"border": 1, "num_format": "yyyy-mm-dd hh:mm"},
        "big": {"bold": True, "font_size": 14, "border": 1, "num_format": "0.00"},
        "big_text": {"bold": True, "font_size": 14, "border": 1},
        "group": {"bold": True, "border": 1, "bg_color": "#EDEDED"},
        "group_dec1": {"bold": True, "border": 1, "bg_color": "#EDEDED", "num_format": "0.0"},
        "group_d_dec1": {
            "bold": True,
            "border": 1,
            "bg_color": "#EDEDED",
            "num_format": "+0.0;-0.0;0.0",
        },
        "mono": {"font_name": "Consolas", "font_size": 9},
        "bad": {"border": 1, "font_color": "#C00000", "bold": True},
        "good": {"border": 1, "font_color": "#375623", "bold": True},
    }

    def __init__(self, path: Path, an: Analysis, lang: str):
        self.an = an
        self.lang = lang
        self.wb = xlsxwriter.Workbook(str(path), dict(XLSX_WRITE_OPTIONS))
        font = "Microsoft YaHei" if lang == "zh" else "Calibri"
        self.font = font
        self.f = {
            k: self.wb.add_format({"font_name": font, "valign": "vcenter", **v})
            for k, v in self.FORMATS.items()
        }
        self.f["mono"] = self.wb.add_format(self.FORMATS["mono"])
        self.wb.set_properties(
            {
                "title": label("title", lang),
                "subject": an.source,
                "comments": f"CSQ {__version__}; as of {an.as_of.isoformat()}",
            }
        )

    def cell(self, ws: Any, r: int, c: int, v: Any, fmt: str | None) -> None:
        f = self.f.get(fmt or "text", self.f["text"])
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
            ws.write_blank(r, c, None, f)
        elif isinstance(v, (bool, np.bool_)):
            ws.write_string(r, c, label("yes" if v else "no", self.lang), self.f["text"])
        elif isinstance(v, (int, float, np.integer, np.floating)):
            fv = float(v)
            if math.isinf(fv):
                ws.write_blank(r, c, None, f)
            else:
                ws.write_number(r, c, fv, f)
        elif isinstance(v, (pd.Timestamp, _dt.datetime)):
            ws.write_datetime(r, c, pd.Timestamp(v).to_pydatetime().replace(tzinfo=None), f)
        elif isinstance(v, _dt.date):
            ws.write_datetime(r, c, _dt.datetime(v.year, v.month, v.day), f)
        else:
            # customer text and everything else: always a string, never a formula
            ws.write_string(
                r,
                c,
                str(v)[:32767],
                self.f["text"] if fmt in _NUMBER_FORMATS else f,  # "no data" in a number column
            )

    def chart_title(self, name: str, unit: str, period: str) -> dict[str, Any]:
        text = f"{name} ({unit})\n{self.an.source} · {period}"
        return {"name": text, "name_font": {"size": 10, "bold": True, "name": self.font}}

    def axis_font(self) -> dict[str, Any]:
        return {"name": self.font, "size": 8}


def write_report(
    data: WorkbookData,
    out_path: str | os.PathLike[str],
    *,
    lang: str = "zh",
    as_of: _dt.date,
    analysis: Analysis | None = None,
) -> Path:
    """Write the evaluation report workbook atomically; returns ``out_path``."""
    lang = "en" if lang == "en" else "zh"
    an = analysis if analysis is not None else analyse(data, as_of)
    out_path = Path(out_path)
    with atomic_path(out_path) as tmp:
        w = _Writer(tmp, an, lang)
        _overview(w)
        _indicators(w)
        _agents(w)
        _channels(w)
        _trend_sheet(w)
        _pareto_sheet(w)
        _actions_sheet(w)
        _cases_sheet(w)
        _quality(w)
        _method(w)
        w.wb.close()
    return out_path


def _nd(v: Any, lang: str) -> Any:
    return label("no_data", lang) if v is None else v


def _overview(w: _Writer) -> None:
    an, lang = w.an, w.lang
    s = _Sheet(w, "sh_overview", [34, 40, 12, 12], landscape=False)
    s.title(label("title", lang))
    h = an.headline
    sep = "、" if lang == "zh" else ", "

    def choice(name: str, keys: list[str]) -> str:
        return sep.join(choice_label(name, k, lang) for k in keys)

    first, last = (an.periods[0], an.periods[-1]) if an.periods else ("-", "-")
    e = sum(1 for f in an.findings if f.severity == "error")
    wn = len(an.findings) - e
    rows: list[tuple[str, Any, str | None]] = [
        (label("source", lang), an.source or "-", "text"),
        (label("teams", lang), sep.join(an.teams) or "-", "wrap"),
        (label("agents_n", lang), an.n_agents, "int"),
        (
            label("report_period", lang),
            f"{an.period or '-'} ({label('report_period_note', lang)})",
            "text",
        ),
        (
            label("data_range", lang),
            f"{first} – {last} ({len(an.periods)} {label('months', lang)})",
            "text",
        ),
        (label("channels", lang), choice("channel", an.channels) or "-", "wrap"),
        (label("service_types", lang), choice("service_type", an.service_types) or "-", "wrap"),
        (label("sample_size", lang), h["contacts"], "int"),
        (label("sample_all", lang), an.contacts_total, "int"),
        (
            label("sampling_ratio", lang),
            an.sampling_ratio if an.sampling_ratio is not None else label("unknown", lang),
            "pct",
        ),
        (label("as_of", lang), an.as_of, "date"),
        (label("quality_line", lang), label("quality_counts", lang, e=e, w=wn), "text"),
    ]
    for name, v, fmt in rows:
        s.cells([name, v], ["label", fmt])
    s.gap()
    s.cells(
        [label("overall", lang), _nd(h.get("composite_score"), lang)],
        ["label", "big" if h.get("composite_score") is not None else "big_text"],
    )
    s.cells(
        [label("overall_grade", lang), grade_label(h.get("grade"), lang) or label("no_data", lang)],
        ["label", "big_text"],
    )
    s.gap()
    s.heading(label("headline", lang))
    s.header([label("metric", lang), label("value", lang)])
    for key, fmt in METRIC_FORMATS.items():
        if key == "composite_score":
            continue
        s.cells([metric_label(key, lang), _nd(h.get(key), lang)], ["label", fmt])


def _indicators(w: _Writer) -> None:
    an, lang = w.an, w.lang
    s = _Sheet(w, "sh_indicators", [16, 28, 8, 11, 9, 13, 11, 13, 11])
    s.title(f"{label('ind_title', lang)} — {an.period or '-'}")
    cols = [
        label("group", lang),
        label("indicator", lang),
        label("weight", lang),
        label("value", lang),
        label("points", lang),
        f"{label('prev_month', lang)}",
        label("mom", lang),
        label("last_year", lang),
        label("yoy", lang),
    ]
    for title_key, rows in (("ind_team", an.team_indicators), ("ind_dims", an.dim_indicators)):
        s.heading(label(title_key, lang))
        s.header(cols)
        for r in rows:
            g = GROUP_LABELS[r["group"]][0 if lang == "zh" else 1]
            if r["kind"] == "group":
                s.cells(
                    [
                        g,
                        label("group_score", lang, g=g),
                        None,
                        r["value"],
                        None,
                        r["prev"],
                        r["mom"],
                        r["last_year"],
                        r["yoy"],
                    ],
                    [
                        "group",
                        "group",
                        "group",
                        "group_dec1",
                        "group",
                        "group_dec1",
                        "group_d_dec1",
                        "group_dec1",
                        "group_d_dec1",
                    ],
                )
            else:
                fmt = r["fmt"]
                s.cells(
                    [
                        g,
                        r["indicator"].label(lang),
                        r["weight"],
                        _nd(r["value"], lang),
                        r["points"],
                        r["prev"],
                        r["mom"],
                        r["last_year"],
                        r["yoy"],
                    ],
                    ["text", "text", "dec1", fmt, "dec1", fmt, f"d_{fmt}", fmt, f"d_{fmt}"],
                )
        s.gap()
    s.note(label("mom_note", lang))


def _agents(w: _Writer) -> None:
    an, lang = w.an, w.lang
    cfg = an.config
    s = _Sheet(w, "sh_agents", [8, 14, 12, 10, 11, 12, 10, 10, 12, 10, 34])
    s.title(f"{label('agents_title', lang)} — {an.period or '-'}")
    s.note(label("min_sample", lang, n=cfg.min_agent_sample))
    s.gap()
    cols = [
        label("rank", lang),
        label("agent", lang),
        label("team", lang),
        metric_label("contacts", lang),
        label("scored", lang),
        metric_label("qa_score_mean", lang),
        metric_label("csat_mean", lang),
        metric_label("fcr", lang, short=True),
        metric_label("composite_score", lang),
        label("grade", lang),
        label("note", lang),
    ]
    fmts = ["int", "text", "text", "int", "int", "dec1", "dec2", "pct", "dec1", "text", "text"]
    ag = an.agents

    def row(r: pd.Series) -> list[Any]:
        rank = _clean(r["rank"])
        note = None if rank is not None else label("not_ranked", lang, n=cfg.min_agent_sample)
        return [
            rank,
            r["agent_id"],
            r.get("team"),
            r["contacts"],
            r["scored"],
            _clean(r["qa_score_mean"]),
            _clean(r["csat_mean"]),
            _clean(r["fcr"]),
            _clean(r["composite_score"]),
            grade_label(r["grade"], lang),
            note,
        ]

    ranked = ag[ag["rank"].notna()] if len(ag) else ag
    top = ranked.head(3)
    bottom = (
        ranked[~ranked.index.isin(top.index)].tail(3).iloc[::-1]
        if len(ranked) > 3
        else ranked.iloc[0:0]
    )
    for key, part in (("top3", top), ("bottom3", bottom)):
        s.heading(label(key, lang))
        s.header(cols)
        if not len(part):
            s.note(
                label("bottom_in_top" if key == "bottom3" and len(ranked) else "no_ranked", lang)
            )
        for _, r in part.iterrows():
            s.cells(row(r), fmts)
        s.gap()
    s.heading(label("all_agents", lang))
    s.header(cols)
    for _, r in ag.iterrows():
        s.cells(row(r), fmts)


def _breakdown_block(s: _Sheet, frame: pd.DataFrame, col: str, lang: str) -> tuple[int, int]:
    """One comparison table; returns its first and last data row (for a chart)."""
    keys = [
        "contacts",
        "answer_rate",
        "fcr",
        "csat_mean",
        "csat_pct",
        "avg_first_response_s",
        "service_level",
        "qa_score_mean",
        "qc_pass_rate",
        "composite_score",
    ]
    s.header(
        [label(col, lang), *(metric_label(k, lang, short=True) for k in keys), label("grade", lang)]
    )
    first = s.row
    for _, r in frame.iterrows():
        name = choice_label(col, r[col], lang) if r[col] is not None else label("blank", lang)
        s.cells(
            [name, *(_clean(r[k]) for k in keys), grade_label(r["grade"], lang)],
            ["text", *(METRIC_FORMATS[k] for k in keys), "text"],
        )
    return first, s.row - 1


def _channels(w: _Writer) -> None:
    an, lang = w.an, w.lang
    s = _Sheet(w, "sh_channels", [14, 9, 10, 10, 11, 10, 11, 10, 10, 10, 11, 9])
    s.title(f"{label('ch_title', lang)} — {an.period or '-'}")
    s.heading(label("channel", lang))
    first, last = _breakdown_block(s, an.by_channel, "channel", lang)
    chart_row = s.row + 1
    s.gap(18)
    s.heading(label("service_type", lang))
    _breakdown_block(s, an.by_service_type, "service_type", lang)
    if last >= first:
        ch = w.wb.add_chart({"type": "column"})
        for col, key in ((8, "qa_score_mean"), (10, "composite_score")):
            ch.add_series(
                {
                    "name": metric_label(key, lang),
                    "categories": [s.name, first, 0, last, 0],
                    "values": [s.name, first, col, last, col],
                    "data_labels": {"value": True, "num_format": "0.0", "font": {"size": 8}},
                }
            )
        ch.set_title(
            w.chart_title(
                label("chart_channels", lang), label("unit_points", lang), an.period or "-"
            )
        )
        ch.set_y_axis(
            {
                "min": 0,
                "max": 100,
                "num_font": w.axis_font(),
                "name": label("unit_points", lang),
                "name_font": w.axis_font(),
            }
        )
        ch.set_x_axis({"num_font": w.axis_font()})
        ch.set_legend({"position": "bottom", "font": w.axis_font()})
        ch.set_size({"width": 720, "height": 330})
        s.ws.insert_chart(chart_row, 0, ch)


def _trend_sheet(w: _Writer) -> None:
    an, lang = w.an, w.lang
    s = _Sheet(w, "sh_trend", [10, 9, 11, 10, 10, 11, 10, 11, 10, 11, 9])
    s.title(label("trend_title", lang))
    keys = [
        "contacts",
        "qa_score_mean",
        "composite_score",
        "csat_mean",
        "csat_pct",
        "fcr",
        "service_level",
        "avg_first_response_s",
        "qc_pass_rate",
    ]
    s.header(
        [
            label("period", lang),
            *(metric_label(k, lang, short=True) for k in keys),
            label("grade", lang),
        ]
    )
    first = s.row
    for _, r in an.trend.iterrows():
        s.cells(
            [r["period"], *(_clean(r[k]) for k in keys), grade_label(_clean(r["grade"]), lang)],
            ["text", *(METRIC_FORMATS[k] for k in keys), "text"],
        )
    last = s.row - 1
    s.note(label("mom_note", lang))
    if last >= first:
        ch = w.wb.add_chart({"type": "line"})
        for col, key in ((2, "qa_score_mean"), (3, "composite_score")):
            ch.add_series(
                {
                    "name": metric_label(key, lang),
                    "categories": [s.name, first, 0, last, 0],
                    "values": [s.name, first, col, last, col],
                    "marker": {"type": "circle", "size": 5},
                    "data_labels": {
                        "value": True,
                        "num_format": "0.0",
                        "position": "above",
                        "font": {"size": 8},
                    },
                }
            )
        span = f"{an.trend['period'].iloc[0]} – {an.trend['period'].iloc[-1]}"
        ch.set_title(w.chart_title(label("chart_trend", lang), label("unit_points", lang), span))
        ch.set_y_axis(
            {
                "num_font": w.axis_font(),
                "name": label("unit_points", lang),
                "name_font": w.axis_font(),
            }
        )
        ch.set_x_axis({"num_font": w.axis_font()})
        ch.set_legend({"position": "bottom", "font": w.axis_font()})
        ch.set_size({"width": 720, "height": 330})
        s.ws.insert_chart(s.row + 1, 0, ch)


def _pareto_sheet(w: _Writer) -> None:
    an, lang = w.an, w.lang
    cfg = an.config
    s = _Sheet(w, "sh_pareto", [22, 8, 9, 11, 9, 8, 26, 26, 11])
    s.title(f"{label('pareto_title', lang)} — {an.period or '-'}")
    a_txt = f"{cfg.pareto_a:.0%}"
    s.note(label("pareto_note", lang, a=a_txt, b=f"{cfg.pareto_b:.0%}"))
    s.gap()
    s.header(
        [
            label("problem", lang),
            label("count", lang),
            label("share", lang),
            label("cumulative", lang),
            label("pareto_class", lang),
            label("line80", lang, p=a_txt),
            label("direct_cause", lang),
            label("root_cause", lang),
            label("cause_category", lang),
        ]
    )
    first = s.row
    for _, r in an.pareto.iterrows():
        cat = r.get("cause_category")
        cat = choice_label("cause_category", cat, lang) if isinstance(cat, str) else None
        s.cells(
            [
                r["problem"],
                r["count"],
                r["share"],
                r["cumulative"],
                r["pareto_class"],
                cfg.pareto_a,
                r.get("direct_cause"),
                r.get("root_cause"),
                cat,
            ],
            ["text", "int", "pct", "pct", "text", "pct", "wrap", "wrap", "text"],
        )
    last = s.row - 1
    if last < first:
        s.note(label("no_problems", lang))
        return
    bars = w.wb.add_chart({"type": "column"})
    bars.add_series(
        {
            "name": label("count", lang),
            "categories": [s.name, first, 0, last, 0],
            "values": [s.name, first, 1, last, 1],
            "fill": {"color": "#4472C4"},
            "gap": 40,
            "data_labels": {"value": True, "font": {"size": 8}},
        }
    )
    line = w.wb.add_chart({"type": "line"})
    line.add_series(
        {
            "name": label("cumulative", lang),
            "categories": [s.name, first, 0, last, 0],
            "values": [s.name, first, 3, last, 3],
            "y2_axis": True,
            "marker": {"type": "circle", "size": 5},
            "line": {"color": "#ED7D31", "width": 2},
            "data_labels": {
                "value": True,
                "num_format": "0%",
                "position": "above",
                "font": {"size": 8},
            },
        }
    )
    line.add_series(
        {
            "name": label("line80", lang, p=a_txt),
            "categories": [s.name, first, 0, last, 0],
            "values": [s.name, first, 5, last, 5],
            "y2_axis": True,
            "line": {"color": "#C00000", "width": 1.5, "dash_type": "dash"},
            "marker": {"type": "none"},
        }
    )
    bars.combine(line)
    bars.set_title(
        w.chart_title(label("chart_pareto", lang), label("unit_count", lang), an.period or "-")
    )
    bars.set_y_axis(
        {"num_font": w.axis_font(), "name": label("count", lang), "name_font": w.axis_font()}
    )
    line.set_y2_axis({"min": 0, "max": 1, "num_format": "0%", "num_font": w.axis_font()})
    bars.set_x_axis({"num_font": {**w.axis_font(), "rotation": -30}})
    bars.set_legend({"position": "bottom", "font": w.axis_font()})
    bars.set_size({"width": 760, "height": 360})
    s.ws.insert_chart(s.row + 1, 0, bars)


def _actions_sheet(w: _Writer) -> None:
    an, lang = w.an, w.lang
    s = _Sheet(w, "sh_actions", [7, 30, 16, 10, 12, 12, 20, 12, 12, 10, 10, 10, 9])
    s.title(label("act_title", lang, d=an.as_of.isoformat()))
    a = an.actions
    if not len(a):
        s.note(label("no_actions", lang))
        return
    s.heading(label("act_status_counts", lang))
    counts = [(label(f"st_{k}", lang), n) for k, n in an.action_counts.items()]
    unknown = int(a["status_key"].isna().sum())
    if unknown:
        counts.append((label("st_unknown", lang), unknown))
    for r, (name, n) in enumerate(
        [(label("act_status_counts", lang), label("count", lang)), *counts]
    ):
        fmt = w.f["th"] if r == 0 else w.f["label"]
        s.ws.merge_range(s.row, 0, s.row, 1, name, fmt)  # the No. column alone is too narrow
        w.cell(s.ws, s.row, 2, n, "int" if r else "th")
        s.row += 1
    s.gap()
    texts = status_text(
        a["status_key"].to_numpy(dtype=object), a["days"].to_numpy(dtype=float), lang
    )
    base_cols = [
        label("action_no", lang),
        label("measure", lang),
        label("linked_problem", lang),
        label("owner", lang),
        label("planned_date", lang),
        label("actual_date", lang),
        label("action_status", lang),
        label("days_late", lang),
    ]

    def base(i: int, r: pd.Series) -> list[Any]:
        return [
            r["action_no"],
            r["measure"],
            r["problem"],
            r["owner"],
            _clean(r["planned_date"]),
            _clean(r["actual_date"]),
            texts[i],
            _clean(r["days_late"]),
        ]

    base_f = ["text", "wrap", "wrap", "text", "date", "date", "text", "int"]
    s.heading(label("act_overdue", lang))
    over = a[a["status_key"] == "overdue"].sort_values("days", ascending=False, kind="stable")
    if not len(over):
        s.note(label("none_overdue", lang))
    else:
        s.header(base_cols)
        for i, r in over.iterrows():
            s.cells(base(i, r), [*base_f[:6], "bad", "int"])
    s.gap()
    s.heading(label("act_effect", lang))
    s.header(
        [
            label("action_no", lang),
            label("measure", lang),
            label("eff_metric", lang),
            label("baseline", lang),
            label("target", lang),
            label("after", lang),
            label("change", lang),
            label("met", lang),
        ]
    )
    for _, r in a.iterrows():
        if r["metric"] is None and pd.isna(r["baseline"]) and pd.isna(r["after"]):
            continue
        change = (
            None
            if pd.isna(r["after"]) or pd.isna(r["baseline"])
            else float(r["after"] - r["baseline"])
        )
        met = _clean(r["met"])
        met_txt = None if met is None else label("yes" if met else "no", lang)
        s.cells(
            [
                r["action_no"],
                r["measure"],
                r["metric"],
                _clean(r["baseline"]),
                _clean(r["target"]),
                _clean(r["after"]),
                change,
                met_txt,
            ],
            [
                "text",
                "wrap",
                "wrap",
                "dec2",
                "dec2",
                "dec2",
                "d_dec2",
                "good" if met else "bad" if met == 0 else "text",
            ],
        )
    s.gap()
    s.heading(label("act_all", lang))
    s.header(base_cols)
    for i, r in a.iterrows():
        st = r["status_key"]
        s.cells(base(i, r), [*base_f[:6], "bad" if st == "overdue" else "text", "int"])


def _cases_sheet(w: _Writer) -> None:
    an, lang = w.an, w.lang
    s = _Sheet(w, "sh_cases", [10, 16, 9, 10, 13, 8, 8, 14, 12, 28, 24])
    s.title(f"{label('cases_title', lang)} — {an.period or '-'}")
    cols = [
        "contact_id",
        "contact_time",
        "agent",
        "channel",
        "customer",
        "score",
        "grade",
        "critical_error",
        "problem",
        "problem_description",
        "qc_note",
    ]
    fmts = [
        "text",
        "datetime",
        "text",
        "text",
        "text",
        "dec1",
        "text",
        "wrap",
        "wrap",
        "wrap",
        "wrap",
    ]
    for key, part in (("good_cases", an.good_cases), ("bad_cases", an.bad_cases)):
        s.heading(label(key, lang))
        if not len(part):
            s.note(label("no_cases", lang))
            s.gap()
            continue
        s.header([label(c, lang) for c in cols])
        for _, r in part.iterrows():
            ch = r.get("channel")
            s.cells(
                [
                    r.get("contact_id"),
                    _clean(r.get("contact_time")),
                    r.get("agent_id"),
                    choice_label("channel", ch, lang) if isinstance(ch, str) else None,
                    r.get("customer_id"),
                    _clean(r["score"]),
                    grade_label(r["grade"], lang),
                    r.get("critical_error"),
                    r.get("problem_category"),
                    r.get("problem_description"),
                    r.get("qc_note"),
                ],
                fmts,
            )
        s.gap()


def _quality(w: _Writer) -> None:
    an, lang = w.an, w.lang
    s = _Sheet(w, "sh_quality", [16, 9, 22, 60, 9])
    s.title(label("dq_title", lang))
    if not an.findings:
        s.note(label("dq_none", lang))
        return
    s.note(label("dq_note", lang))
    s.gap()
    s.header(
        [
            label("dq_sheet", lang),
            label("dq_cell", lang),
            label("dq_value", lang),
            label("dq_rule", lang),
            label("dq_severity", lang),
        ]
    )
    for f in an.findings[:MAX_FINDINGS_ROWS]:
        value = mask_id(f.value) if f.key == "customer_id" else f.value
        s.cells(
            [f.sheet, f.cell, value, f.rule, label(f.severity, lang)],
            ["text", "text", "text", "wrap", "bad" if f.severity == "error" else "text"],
        )
    if len(an.findings) > MAX_FINDINGS_ROWS:
        s.note(label("dq_more", lang, n=len(an.findings) - MAX_FINDINGS_ROWS))


def _method(w: _Writer) -> None:
    an, lang = w.an, w.lang
    cfg = an.config
    s = _Sheet(w, "sh_method", [30, 18, 14, 8, 22, 10, 16, 16])
    s.title(label("method_title", lang))
    for name, v, fmt in (
        (label("csq_version", lang), __version__, "text"),
        (label("as_of", lang), an.as_of, "date"),
        (label("input_file", lang), an.source or "-", "text"),
        (label("input_sha", lang), an.sha256 or "-", "text"),
        (label("report_period", lang), an.period or "-", "text"),
        (label("period_rule", lang), label("period_rule_text", lang), "wrap"),
        (label("figures_rule", lang), label("figures_rule_text", lang), "wrap"),
    ):
        if fmt == "wrap":  # long text across the table's width
            s.ws.set_row(s.row, 30)
            s.ws.write_string(s.row, 0, name, w.f["label"])
            s.ws.merge_range(s.row, 1, s.row, 7, str(v), w.f["wrap"])
            s.row += 1
        else:
            s.cells([name, v], ["label", fmt])
    s.gap()
    ind_cols = [
        label("key", lang),
        label("indicator", lang),
        label("group", lang),
        label("weight", lang),
        label("source_field", lang),
        label("rule", lang),
        label("bands", lang),
        label("band_points", lang),
    ]
    for key, inds in (("cfg_contact", cfg.contact_indicators), ("cfg_team", cfg.team_indicators)):
        s.heading(label(key, lang))
        s.header(ind_cols)
        for i in inds:
            s.cells(
                [
                    i.key,
                    i.label(lang),
                    GROUP_LABELS[i.group][0 if lang == "zh" else 1],
                    i.weight,
                    i.source,
                    i.rule,
                    " / ".join(f"{b:g}" for b in i.bands) or None,
                    " / ".join(f"{p:g}" for p in i.points) or None,
                ],
                ["text", "text", "text", "dec1", "text", "text", "text", "text"],
            )
        s.gap()
    s.heading(label("cfg_params", lang))
    g = cfg.grades
    for name, v in (
        (label("p_grades", lang), f"{g.excellent:g} / {g.good:g} / {g.pass_:g}"),
        (label("p_auto_fail", lang), label("yes" if cfg.critical_auto_fail else "no", lang)),
        (label("p_sl", lang), f"{cfg.service_level_s:g}"),
        (label("p_repeat", lang), f"{cfg.repeat_window_days}"),
        (label("p_pareto", lang), f"{cfg.pareto_a:.0%} / {cfg.pareto_b:.0%}"),
        (label("p_min_sample", lang), f"{cfg.min_agent_sample}"),
    ):
        s.cells([name, v], ["label", "text"])
    s.gap()
    s.heading(label("cfg_json", lang))
    for line in config_json_lines(cfg):
        s.ws.write_string(s.row, 0, line, w.f["mono"])
        s.row += 1


def config_json_lines(config: ScoringConfig) -> list[str]:
    """The configuration as valid JSON, one indicator or parameter per line (printable)."""
    data = json.loads(config.to_json())
    lines = ["{"]
    items = list(data.items())
    for n, (key, value) in enumerate(items):
        comma = "," if n < len(items) - 1 else ""
        if isinstance(value, list):
            lines.append(f"  {json.dumps(key)}: [")
            for m, item in enumerate(value):
                sep = "," if m < len(value) - 1 else ""
                lines.append(f"    {json.dumps(item, ensure_ascii=False)}{sep}")
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return lines

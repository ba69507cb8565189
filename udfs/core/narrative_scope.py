"""The narrative of issue 19's scope: a special evaluation, a department roll-up, chapters
per segment and a baseline period, in Chinese and English.

:func:`scoped` names the special evaluation (``--where``: "专项评价：技术支持") and the
department roll-up (``--combine``: the department, its teams, the teams it lacks) in the
title and scope line, and cites the ``--compare`` baseline in the executive summary
("综合得分较2026年上半年提升4.5分").  Two chapter builders are registered with
:func:`udfs.core.narrative_parts.register_chapter` when this module is imported (which
:func:`~udfs.core.narrative.build_narrative` does before it assembles the chapters):

- :func:`segment_chapters`: one chapter per segment of ``--by`` (seed 004's 第二章
  技术支持类…): its KPIs beside the whole, composite and grade, share of contacts, its own
  top problems, worst hours, slow first responses, repeat rate, resolution time, transfer
  rate and typical cases, as sentences, a table and a chart;
- :func:`team_chapter`: the roll-up's team comparison (table, bar chart of composites, the
  best and the weakest team).

Every figure is one of the analysis's (:mod:`udfs.core.segments`); this module only words.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .model import Analysis
from .narrative_parts import (
    Chapter,
    ChartSpec,
    NarrativeContext,
    Series,
    Table,
    case_sentence,
    fmt,
    gap,
    register_chapter,
)
from .scope import field_name
from .scoring import grade_label
from .segments import OTHER, Segment, member_label
from .targets import kpi_label

SEGMENT_TABLE_KPIS: tuple[str, ...] = (
    "composite_score",
    "fcr",
    "csat_pct",
    "avg_first_response_s",
    "avg_resolution_time_h",
    "repeat_rate",
    "transfer_rate",
    "service_level",
    "answer_rate",
    "csat_mean",
    "nps",
    "avg_handle_time_s",
    "qa_score_mean",
    "qc_pass_rate",
)
"""A segment's KPI table rows, the ones the seed's chapters cite first (the deck shows 8)."""
SEGMENT_PROSE_KPIS: tuple[str, ...] = (
    "fcr",
    "repeat_rate",
    "avg_resolution_time_h",
    "transfer_rate",
)
"""The KPIs a segment's chapter words beside the whole's."""
TEAM_KPIS: dict[str, tuple[str, str]] = {
    "fcr": ("FCR rate", "首次解决率"),
    "csat_pct": ("CSAT % (4-5)", "客户满意率"),
    "avg_first_response_s": ("First response", "首次响应"),
    "repeat_rate": ("Repeat rate", "重复来电率"),
}
"""The KPIs of the team comparison table and their short headers (English, 简体中文); their
targets are the table's first row."""
TOP_PROBLEMS = 3
PARETO_BARS = 8


# ---- wording helpers (public names of udfs.core.narrative only) -------------------------


def _join(items: list[str], zh: bool) -> str:
    if zh:
        return "、".join(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _val(kpi: str, v: Any, lang: str) -> str:
    """A KPI's figure as printed (composite and NPS: one decimal)."""
    if kpi == "composite_score":
        return fmt("group", v, lang)
    return fmt(kpi, v, lang)


def _change(kpi: str, d: Any, lang: str) -> str:
    """A signed change: rates in percentage points, the composite in points."""
    if d is None or pd.isna(d):
        return "—"
    f = float(d)
    sign = "+" if f > 0 else ("-" if f < 0 else "±")
    if kpi == "composite_score":
        return sign + gap("points", f, lang)
    if kpi == "csat_mean":
        return f"{sign}{abs(f):.2f}"
    if kpi == "nps":
        return f"{sign}{abs(f):.1f}"
    return sign + gap(kpi, f, lang)


def _name(kpi: str, lang: str) -> str:
    return kpi_label(kpi, lang, unit=False)


def _compare_label(an: Analysis, lang: str) -> str:
    cp = an.compare_period
    return "" if cp is None else cp.text(lang)


def _vs_header(ctx: NarrativeContext) -> str:
    return ctx.t("vs {p}", "较{p}", p=_compare_label(ctx.an, ctx.lang))


def _diff(a: Any, b: Any) -> float | None:
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return None
    return float(a) - float(b)


def _points_diff(a: Any, b: Any) -> float | None:
    """Two composite scores' difference as the reader computes it from the printed
    one-decimal figures (86.2 - 82.2 = 4.0, never 3.9)."""
    d = _diff(a, b)
    return None if d is None else round(round(float(a), 1) - round(float(b), 1), 1)


def _seg_name(ctx: NarrativeContext, by: str, seg: Segment) -> str:
    """A segment named in a sentence: 技术支持类, 电话渠道 / Technical, Phone."""
    label = seg.label[ctx.lang]
    if ctx.zh and seg.value != OTHER:
        if by == "service_type":
            return f"{label}类"
        if by == "channel":
            return f"{label}渠道"
    if not ctx.zh and seg.value == OTHER:
        return f"{label} ({field_name(by, 'en').lower()})"
    return label


# ---- title, scope line, summary --------------------------------------------------------


def _filter_values(an: Analysis, lang: str) -> str:
    """The special evaluation's values without its "专项评价：" prefix."""
    text = an.filter_label.get(lang, "")
    for prefix in ("专项评价：", "Special evaluation: "):
        text = text.removeprefix(prefix)
    return text


def _teams_line(ctx: NarrativeContext, lead: str = "department roll-up of ") -> str:
    """A roll-up's teams and the teams it lacks (``lead``: the English words before)."""
    an = ctx.an
    teams = [r.label[ctx.lang] for r in an.team_table.rows] if an.team_table else list(an.teams)
    text = ctx.t(
        "{lead}{n} teams ({t})",
        "部门汇总，共{n}个班组（{t}）",
        lead=lead,
        n=len(teams),
        t=_join(teams, ctx.zh) or "—",
    )
    if an.lacking:
        text += ctx.t(
            "; missing: {x} (workbook unusable, not in any figure)",
            "；缺少{x}的数据（工作簿无法使用，未计入任何数据）",
            x=_join(list(an.lacking), ctx.zh),
        )
    return text


def scoped(
    ctx: NarrativeContext, title: str, scope: str, summary: list[str]
) -> tuple[str, str, list[str]]:
    """The title, scope line and summary naming the special evaluation, the department
    roll-up and the baseline (unchanged for an ordinary report)."""
    an = ctx.an
    if an.scope_filter:
        values = _filter_values(an, ctx.lang)
        several = len(an.scope_filter) > 1  # 服务类型：技术支持；渠道：电话
        if ctx.zh:
            title = title.replace(
                "服务质量监测及评价报告",
                f"服务质量专项评价报告（{values}）" if several else f"{values}服务质量专项评价报告",
            )
        else:
            title = title.replace(
                "service quality report",
                f"special evaluation ({values})" if several else f"special evaluation of {values}",
            )
        scope = an.filter_label.get(ctx.lang, "") + ctx.t(". ", "。") + scope
    if an.combined:
        scope = scope.rstrip("。.") + ctx.t("; {x}.", "；{x}。", x=_teams_line(ctx))
    cited = next((c for c in an.conclusions if c.kind == "compare"), None)
    if cited is not None and cited.text.get(ctx.lang):
        summary = [*summary[:1], cited.text[ctx.lang], *summary[1:]]
    return title, scope, summary


# ---- chapters per segment --------------------------------------------------------------


def _segment_title(ctx: NarrativeContext, by: str, seg: Segment) -> str:
    label = seg.label[ctx.lang]
    if seg.value == OTHER:
        return ctx.t("{f}: {l}", "{f}：{l}", f=field_name(by, ctx.lang), l=label) + ctx.t(
            " (smaller segments)", "（合并的小分段）"
        )
    if by == "service_type":
        return ctx.t("{l} contacts", "{l}类服务质量分析", l=label)
    if by == "channel":
        return ctx.t("The {l} channel", "{l}渠道服务质量分析", l=label)
    return ctx.t("{f}: {l}", "{f}：{l}", f=field_name(by, ctx.lang), l=label)


def _segment_table(ctx: NarrativeContext, seg: Segment) -> Table:
    an, lang = ctx.an, ctx.lang
    cmp = seg.compare if an.compare_period is not None else None
    rows = []
    for k in SEGMENT_TABLE_KPIS:
        mine, whole = seg.kpis.get(k), an.headline.get(k)
        if mine is None and whole is None:
            continue
        tc = seg.targets.get(k)
        row = [
            _name(k, lang),
            _val(k, mine, lang),
            _val(k, whole, lang),
            _val(k, tc.target, lang) if tc is not None else "—",
        ]
        if an.compare_period is not None:
            row.append(_change(k, _diff(mine, (cmp or {}).get(k)), lang))
        rows.append(row)
    cols = [
        ctx.t("KPI", "指标"),
        seg.label[lang],
        ctx.t("Whole", "整体"),
        ctx.t("Target", "目标值"),
    ]
    if an.compare_period is not None:
        cols.append(_vs_header(ctx))
    return Table(
        ctx.t("{l}: KPIs beside the whole", "{l}：关键指标与整体对比", l=seg.label[lang]),
        cols,
        rows,
        [False] + [True] * (len(cols) - 1),
    )


def _segment_paragraphs(ctx: NarrativeContext, by: str, seg: Segment) -> list[str]:
    an, lang, zh = ctx.an, ctx.lang, ctx.zh
    label = _seg_name(ctx, by, seg)
    paras = []
    share = "—" if seg.share is None else f"{seg.share:.1%}"
    score = seg.kpis.get("composite_score")
    whole = an.headline.get("composite_score")
    if score is not None:
        d = _points_diff(score, whole)
        versus = ""
        if d is not None:
            versus = (
                ctx.t(", level with the whole", "，与整体持平")
                if d == 0
                else ctx.t(
                    ", {g} {w} the whole's {v}",
                    "，{w}整体（{v}分）{g}",
                    g=gap("points", d, lang),
                    w=ctx.t("above", "高于") if d > 0 else ctx.t("below", "低于"),
                    v=fmt("group", whole, lang),
                )
            )
        paras.append(
            ctx.t(
                "{l}: {n} contacts, {s} of the period's; composite score {c} ({g}){v}.",
                "{l}共监测{n}条服务记录，占本期{s}；综合得分{c}分，等级为{g}{v}。",
                l=label,
                n=seg.contacts,
                s=share,
                c=fmt("group", score, lang),
                g=grade_label(seg.kpis.get("grade"), lang) or "—",
                v=versus,
            )
        )
    else:
        paras.append(
            ctx.t(
                "{l}: {n} contacts, {s} of the period's; no composite score.",
                "{l}共监测{n}条服务记录，占本期{s}，无综合得分。",
                l=label,
                n=seg.contacts,
                s=share,
            )
        )
    if seg.value == OTHER and seg.members:
        paras.append(
            ctx.t(
                "Grouped here (fewer than {n} contacts each): {m}.",
                "此处合并了不足{n}条服务记录的分段：{m}。",
                n=an.segments.min_contacts if an.segments else 0,
                m=_join([member_label(by, m, lang) for m in seg.members], zh),
            )
        )
    parts = []
    for k in SEGMENT_PROSE_KPIS:
        mine = seg.kpis.get(k)
        if mine is None:
            continue
        parts.append(
            ctx.t(
                "{k} {v} (whole: {w})",
                "{k}{v}（整体{w}）",
                k=_name(k, lang),
                v=_val(k, mine, lang),
                w=_val(k, an.headline.get(k), lang),
            )
        )
    if parts:
        text = ("，" if zh else ", ").join(parts)
        paras.append((text[0].upper() + text[1:] if not zh else text) + ("。" if zh else "."))
    missed = [k for k, c in seg.targets.items() if not c.met and k != "contacts"]
    if seg.targets:
        if missed:
            paras.append(
                ctx.t(
                    "Targets missed: {x}.",
                    "未达标指标：{x}。",
                    x=_join(
                        [
                            ctx.t(
                                "{k} {v} against {t}",
                                "{k}{v}（目标{t}）",
                                k=_name(k, lang),
                                v=_val(k, seg.targets[k].value, lang),
                                t=_val(k, seg.targets[k].target, lang),
                            )
                            for k in missed
                        ],
                        zh,
                    ),
                )
            )
        else:
            paras.append(ctx.t("Every KPI with a target meets it.", "设有目标的指标全部达标。"))
    sl = an.config.service_level_s
    hours = []
    if seg.slow_share is not None:
        hours.append(
            ctx.t(
                "{x} of first responses took over {s:.0f} s",
                "首次响应超过{s:.0f}秒的占{x}",
                x=f"{seg.slow_share:.1%}",
                s=sl,
            )
        )
    pb = seg.peak_band
    if pb is not None:
        hours.append(
            ctx.t(
                "{a:02d}:00-{b:02d}:00 is its weakest time of day (average first response {v} "
                "against {r} in the other hours)",
                "{a:02d}:00-{b:02d}:00是最薄弱的时段（平均首次响应{v}，其他时段为{r}）",
                a=pb.start_hour,
                b=pb.end_hour,
                v=fmt("avg_first_response_s", pb.avg_first_response_s, lang),
                r=fmt("avg_first_response_s", pb.rest_avg_first_response_s, lang),
            )
        )
    if hours:
        text = ("；" if zh else "; ").join(hours)
        paras.append((text[0].upper() + text[1:] if not zh else text) + ("。" if zh else "."))
    par = seg.pareto
    if len(par):
        top = par.head(TOP_PROBLEMS).to_dict("records")
        paras.append(
            ctx.t(
                "Main problems: {x}.",
                "主要问题：{x}。",
                x=_join(
                    [
                        ctx.t(
                            "“{p}” {c} times ({s})",
                            "“{p}”{c}次（占{s}）",
                            p=r["problem"],
                            c=int(r["count"]),
                            s=f"{float(r['share']):.1%}",
                        )
                        for r in top
                    ],
                    zh,
                ),
            )
        )
    else:
        paras.append(ctx.t("No problem category was recorded.", "未记录问题类别。"))
    if seg.compare is not None and an.compare_period is not None:
        moves = []
        for k in ("composite_score", "fcr", "csat_pct", "repeat_rate"):
            d = _diff(seg.kpis.get(k), seg.compare.get(k))
            if d is not None:
                moves.append(ctx.t("{k} {d}", "{k}{d}", k=_name(k, lang), d=_change(k, d, lang)))
        if moves:
            paras.append(
                ctx.t(
                    "Against {p}: {x}.",
                    "较{p}：{x}。",
                    p=_compare_label(an, lang),
                    x=("，" if zh else ", ").join(moves),
                )
            )
    good = seg.good_cases.head(1).to_dict("records") if len(seg.good_cases) else []
    bad = seg.bad_cases.head(1).to_dict("records") if len(seg.bad_cases) else []
    for r in good:
        paras.append(ctx.t("Good case: ", "优秀案例：") + case_sentence(ctx, r))
    for r in bad:
        paras.append(ctx.t("Case to improve: ", "问题案例：") + case_sentence(ctx, r))
    return paras


def _segment_chart(ctx: NarrativeContext, seg: Segment) -> ChartSpec | None:
    par = seg.pareto.head(PARETO_BARS) if len(seg.pareto) else seg.pareto
    if not len(par):
        return None
    label = seg.label[ctx.lang]
    return ChartSpec(
        f"segment_pareto_{seg.value}",
        "column",
        ctx.t("{l}: problems by count", "{l}：问题类型频次", l=label),
        [str(p) for p in par["problem"]],
        [Series(ctx.t("Count", "次数"), [float(v) for v in par["count"]])],
        ctx.t("contacts", "次"),
        ctx.t(
            "Source: Monitoring sheet, {l}, {p}",
            "数据来源：监测表，{l}，{p}",
            l=label,
            p=ctx.an.report_period.text(ctx.lang) if ctx.an.report_period else ctx.an.period or "",
        ),
    )


def _segment_message(ctx: NarrativeContext, by: str, seg: Segment) -> str:
    lang = ctx.lang
    label = _seg_name(ctx, by, seg)
    score = seg.kpis.get("composite_score")
    head = (
        ctx.t(
            "{l}: composite {c} against the whole's {w}",
            "{l}：综合得分{c}分（整体{w}分）",
            l=label,
            c=fmt("group", score, lang),
            w=fmt("group", ctx.an.headline.get("composite_score"), lang),
        )
        if score is not None
        else ctx.t("{l}: {n} contacts", "{l}：{n}条服务记录", l=label, n=seg.contacts)
    )
    if len(seg.pareto):
        head += ctx.t("; main problem “{p}”", "，主要问题是“{p}”", p=seg.pareto.iloc[0]["problem"])
    return head


def segment_chapters(ctx: NarrativeContext) -> list[Chapter] | None:
    """One chapter per segment of ``--by`` (``None``: no ``--by``)."""
    segs = ctx.an.segments
    if segs is None or not segs.rows:
        return None
    out = []
    for seg in segs.rows:
        paras = _segment_paragraphs(ctx, segs.by, seg)
        table = _segment_table(ctx, seg)
        chart = _segment_chart(ctx, seg)
        out.append(
            Chapter(
                f"segment:{segs.by}:{seg.value}",
                _segment_title(ctx, segs.by, seg),
                paras,
                [table],
                [chart] if chart is not None else [],
                _segment_message(ctx, segs.by, seg),
                [" / ".join(r[:3]) for r in table.rows],
            )
        )
    return out


# ---- the team comparison ---------------------------------------------------------------


def _team_table(ctx: NarrativeContext, rows: list[Segment]) -> Table:
    an, lang = ctx.an, ctx.lang
    kpis = [k for k in TEAM_KPIS if any(r.kpis.get(k) is not None for r in rows)]
    cols = [ctx.t("Team", "班组"), ctx.t("Contacts", "监测量")]
    cols += [ctx.t(*TEAM_KPIS[k]) for k in kpis]
    cols += [
        ctx.t("Targets met", "达标指标"),
        ctx.t("Composite (grade)", "综合得分（等级）"),
        ctx.t("Rank", "排名"),
    ]
    cmp = an.compare_period is not None
    if cmp and an.compare_period is not None:  # a narrow column: the period's short label
        cols.append(ctx.t("vs {p}", "较{p}", p=an.compare_period.short))
    body = []
    if any(k in an.targets for k in kpis):  # the targets, as the table's first row
        body.append(
            [ctx.t("Target", "目标值"), ""]
            + [_val(k, an.targets[k].target, lang) if k in an.targets else "—" for k in kpis]
            + ["", _val("composite_score", an.targets["composite_score"].target, lang)
               if "composite_score" in an.targets else "", ""]
            + ([""] if cmp else [])
        )  # fmt: skip
    for r in rows:
        checks = [c for k, c in r.targets.items() if k != "contacts"]
        line = [r.label[lang], str(r.contacts)]
        line += [_val(k, r.kpis.get(k), lang) for k in kpis]
        line += [
            f"{sum(c.met for c in checks)}/{len(checks)}" if checks else "—",
            ctx.t(
                "{s} ({g})",
                "{s}（{g}）",
                s=fmt("group", r.kpis.get("composite_score"), lang),
                g=grade_label(r.kpis.get("grade"), lang) or "—",
            ),
            "—" if r.rank is None else str(r.rank),
        ]
        if cmp:
            line.append(
                _change(
                    "composite_score",
                    _diff(r.kpis.get("composite_score"), (r.compare or {}).get("composite_score")),
                    lang,
                )
            )
        body.append(line)
    return Table(
        ctx.t("Team comparison", "班组对比"),
        cols,
        body,
        [False] + [True] * (len(cols) - 1),
    )


def team_chapter(ctx: NarrativeContext) -> Chapter | None:
    """The roll-up's team comparison (``None``: not a roll-up)."""
    an, lang, zh = ctx.an, ctx.lang, ctx.zh
    tt = an.team_table
    if tt is None or not tt.rows:
        return None
    rows = sorted(tt.rows, key=lambda r: (r.rank is None, r.rank or 0, r.label[lang]))
    paras = [ctx.t("This report rolls up {x}.", "本报告为{x}。", x=_teams_line(ctx, ""))]
    ranked = [r for r in rows if r.rank is not None]
    message = paras[0]
    if len(ranked) >= 2:
        best, worst = ranked[0], ranked[-1]
        b, w = best.kpis["composite_score"], worst.kpis["composite_score"]
        spread = _points_diff(b, w) or 0.0
        message = ctx.t(
            "{b} leads with {bs}; {w} is weakest at {ws}, {d} behind",
            "{b}综合得分最高（{bs}分），{w}最低（{ws}分），相差{d}",
            b=best.label[lang],
            bs=fmt("group", b, lang),
            w=worst.label[lang],
            ws=fmt("group", w, lang),
            d=gap("points", spread, lang),
        )
        paras.append(message + ("。" if zh else "."))
        missed = [k for k, c in worst.targets.items() if not c.met and k != "contacts"]
        if missed:
            paras.append(
                ctx.t(
                    "{w} misses the targets of {x}.",
                    "{w}未达标的指标：{x}。",
                    w=worst.label[lang],
                    x=_join([_name(k, lang) for k in missed], zh),
                )
            )
    elif ranked:
        message = ctx.t(
            "{b}: composite {s}", "{b}综合得分{s}分", b=ranked[0].label[lang],
            s=fmt("group", ranked[0].kpis["composite_score"], lang),
        )  # fmt: skip
        paras.append(message + ("。" if zh else "."))
    table = _team_table(ctx, rows)
    bars = rows[::-1]  # a bar chart draws its first category at the bottom: rank 1 on top
    chart = ChartSpec(
        "team_composite",
        "bar",
        ctx.t("Composite score by team", "各班组综合得分"),
        [r.label[lang] for r in bars],
        [
            Series(
                ctx.t("Composite", "综合得分"),
                [
                    None
                    if r.kpis.get("composite_score") is None
                    else round(float(r.kpis["composite_score"]), 1)
                    for r in bars
                ],  # fmt: skip
            )
        ],
        ctx.t("points", "分"),
        ctx.t("Source: the teams' Monitoring sheets", "数据来源：各班组监测表"),
    )
    return Chapter(
        "teams",
        ctx.t("Team comparison", "班组对比"),
        paras,
        [table],
        [chart],
        message,
        [" / ".join(x for x in r if x) for r in table.rows],
    )


# ---- registration (runs once, on import) ----------------------------------------------

register_chapter("teams", team_chapter, after="overall")
register_chapter("segments", segment_chapters, after="indicators")

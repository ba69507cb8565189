"""The narrative report: the story of an analysis as plain data, in Chinese or English.

:func:`build_narrative` turns an :class:`~udfs.core.model.Analysis` into a
:class:`~udfs.core.narrative_parts.Narrative`: a title (team and period), a scope line, the
executive summary, a characterisation when the four groups diverge (seed 004's "双高双低"),
strengths, key messages (the deck's slide titles), prioritised and deduplicated
recommendations, and the chapters (:data:`~udfs.core.narrative_parts.CHAPTER_BUILDERS`:
seed 000's outline from :mod:`udfs.core.narrative_parts`, and the chapters registered
below from :mod:`~udfs.core.narrative_scope`, :mod:`~udfs.core.narrative_process` and
:mod:`~udfs.core.narrative_loop`).  Every renderer (the Word report, the deck,
``summary.json``'s ``narrative``, the xlsx report's findings texts) lays out this one
model; none words a sentence of its own.  Every figure in a sentence is one the analysis
holds.  The model's classes are importable from here as from the parts module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from .model import Analysis
from .narrative_loop import actions_chapter
from .narrative_parts import (
    CHAPTER_BUILDERS,
    MAX_RECOMMENDATIONS,
    REPORT_INFO_KEYS,
    Chapter,
    ChartSpec,
    Narrative,
    NarrativeContext,
    Recommendation,
    Series,
    Table,
    characterisation_of,
    fmt,
    gap,
    has_cjk,
    kpi_name,
    period_label,
    recommendations_of,
    register_chapter,
    strength_lines,
    team_label,
    weakness_lines,
)
from .narrative_process import customers_chapter, process_chapter
from .narrative_scope import scoped
from .scoring import grade_label
from .values import number_or_none

__all__ = [
    "CHAPTER_BUILDERS",
    "REPORT_INFO_KEYS",
    "Chapter",
    "ChartSpec",
    "Narrative",
    "NarrativeContext",
    "Series",
    "Table",
    "build_narrative",
    "narrative_for",
    "narrative_summary",
    "register_chapter",
]

# the chapters of later issues, in every narrative (segments and teams register themselves
# when narrative_scope is imported above)
register_chapter("process", process_chapter, after="indicators")  # issue 20
register_chapter("customers", customers_chapter, after="process")  # issue 20
register_chapter("actions", actions_chapter, after="recommendations")  # issue 21


# ---- the whole ----------------------------------------------------------------------


def build_narrative(
    an: Analysis, lang: str = "zh", info: Mapping[str, str] | None = None
) -> Narrative:
    """The narrative of ``an`` in ``lang`` (``zh``/``en``); ``info``: the Config sheet's
    report cells (:data:`REPORT_INFO_KEYS`), shown in the overview when filled."""
    lang = "en" if lang == "en" else "zh"
    info = {k: str(v).strip() for k, v in (info or {}).items() if v is not None and str(v).strip()}
    recs = recommendations_of(an, lang)
    strengths = strength_lines(an, lang)
    weaknesses = weakness_lines(an, lang)
    ctx = NarrativeContext(an, lang, info, recs, strengths, weaknesses)
    chapters: list[Chapter] = []
    for _, b in CHAPTER_BUILDERS:
        c = b(ctx)
        chapters += c if isinstance(c, list) else ([] if c is None else [c])
    team = team_label(an, info, lang)
    period = period_label(an, lang)
    joint = "" if has_cjk(team[-1:]) or has_cjk(period[:1]) else " "  # "North 2024年7月"
    title = ctx.t(
        "{t}: service quality report, {p}",
        "{t}{j}{p}服务质量监测及评价报告",
        t=team,
        j=joint,
        p=period,
    )
    subtitle = info.get("organisation", "")
    h = an.headline
    scope = ctx.t(
        "{t}, {p}: {n} contacts monitored.",
        "{t}，{p}，监测{n}条服务记录。",
        t=team,
        p=period,
        n=int(h.get("contacts") or 0),
    )
    summary = _summary(ctx, recs, strengths)
    title, scope, summary = scoped(ctx, title, scope, summary)  # issue 19
    charac = characterisation_of(an, lang)
    messages = _messages(ctx, summary, charac, chapters)
    return Narrative(
        lang,
        title,
        subtitle,
        scope,
        summary,
        charac,
        strengths,
        weaknesses,
        recs,
        chapters,
        messages,
    )


def _summary(ctx: NarrativeContext, recs: list[Recommendation], strengths: list[str]) -> list[str]:
    an, lang = ctx.an, ctx.lang
    h = an.headline
    out = []
    score = number_or_none(h.get("composite_score"))
    n = int(h.get("contacts") or 0)
    if score is not None:
        out.append(
            ctx.t(
                "In {p}, {t} scored {s} ({g}) on {n} monitored contacts.",
                "{p}，{t}综合得分{s}分，等级为{g}（监测{n}条服务记录）。",
                p=period_label(an, lang),
                t=team_label(an, ctx.info, lang),
                s=fmt("group", score, lang),
                g=grade_label(h.get("grade"), lang) or "—",
                n=n,
            )
        )
    else:
        out.append(
            ctx.t(
                "In {p}, {t} had {n} monitored contacts and no composite score.",
                "{p}，{t}监测{n}条服务记录，无综合得分。",
                p=period_label(an, lang),
                t=team_label(an, ctx.info, lang),
                n=n,
            )
        )
    if strengths:
        out.append(ctx.t("Biggest strength: {x}", "最大优势：{x}", x=strengths[0]))
    missed = sorted((c for c in an.targets.values() if not c.met), key=lambda c: -c.shortfall)
    if missed:
        c = missed[0]
        side = "short" if c.higher_is_better else "over"
        out.append(
            ctx.t(
                "The largest gap is {k}: {v} against a {tg} target, {g} " + side + ".",
                "差距最大的是{k}：实际{v}，目标{tg}，相差{g}。",
                k=kpi_name(c.kpi, lang),
                v=fmt(c.kpi, c.value, lang),
                tg=fmt(c.kpi, c.target, lang),
                g=gap(c.kpi, c.gap, lang),
            )
        )
    par = an.pareto
    if len(par):
        r = par.iloc[0]
        root = r.get("root_cause")
        root = None if root is None or pd.isna(root) else str(root)
        out.append(
            ctx.t(
                "The most frequent problem is “{p}” ({s} of the problems){c}.",
                "最主要的问题是“{p}”（占问题总数{s}）{c}。",
                p=r["problem"],
                s=f"{float(r['share']):.1%}",
                c=(ctx.t("; root cause: {x}", "，根本原因：{x}", x=root) if root else ""),
            )
        )
    if recs:
        r0 = recs[0]
        if r0.assigned:
            who = ctx.t(
                " (owner: {o}{d})",
                "（负责人：{o}{d}）",
                o=r0.owner,
                d=(ctx.t(", by {x}", "，计划{x}完成", x=r0.planned) if r0.planned else ""),
            )
        else:
            who = ctx.t(" (no owner yet)", "（尚未指定负责人）")
        out.append(
            ctx.t("Most urgent: {t}{w}.", "最紧迫的措施：{t}{w}。", t=r0.text.rstrip("。."), w=who)
        )
    return out[:6]


def _messages(
    ctx: NarrativeContext, summary: list[str], charac: str | None, chapters: list[Chapter]
) -> dict[str, str]:
    by = {c.key: c for c in chapters}
    overall = by.get("overall")
    problems = by.get("problems")
    recs = ctx.recommendations
    return {
        "overview": summary[0] if summary else "",
        "kpis": (
            overall.paragraphs[1]
            if overall and len(overall.paragraphs) > 1
            else (overall.message if overall else "")
        ),
        "problems": problems.message if problems else "",
        "direction": charac
        or (summary[2] if len(summary) > 2 else (summary[-1] if summary else "")),
        "actions": ctx.t(
            "{n} recommendations, {a} with an owner",
            "改进建议{n}项，其中{a}项已有负责人",
            n=min(len(recs), MAX_RECOMMENDATIONS),
            a=sum(r.assigned for r in recs[:MAX_RECOMMENDATIONS]),
        ),
    }


_MEMO: list[tuple[Any, str, tuple[tuple[str, str], ...], Narrative]] = []


def narrative_for(
    an: Analysis, lang: str = "zh", info: Mapping[str, str] | None = None
) -> Narrative:
    """:func:`build_narrative`, made once per analysis, language and report cells: the
    summary, the xlsx Findings sheet, the Word report and the deck of one report share
    it (an analysis is not changed once computed)."""
    import weakref

    key = tuple(sorted((k, str(v)) for k, v in (info or {}).items()))
    lang = "en" if lang == "en" else "zh"
    for ref, lg, k, n in _MEMO:
        if ref() is an and lg == lang and k == key:
            return n
    n = build_narrative(an, lang, info)
    _MEMO[:] = [m for m in _MEMO if m[0]() is not None][-7:]
    _MEMO.append((weakref.ref(an), lang, key, n))
    return n


def narrative_summary(n: Narrative) -> dict[str, Any]:
    """``summary.json``'s ``narrative``: the summary, characterisation, strengths and
    recommendations (with the findings each answers, owner and planned date)."""
    return {
        "summary": "".join(n.summary) if n.lang == "zh" else " ".join(n.summary),
        "characterisation": n.characterisation,
        "strengths": list(n.strengths),
        "recommendations": [
            {
                "text": r.text,
                "answers": list(r.answers),
                "owner": r.owner if r.assigned else None,
                "planned_date": r.planned,
                "priority": round(r.priority, 4),
            }
            for r in n.recommendations
        ],
    }

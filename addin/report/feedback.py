"""One agent's feedback workbook (``csq feedback``): that agent's figures beside the team's
averages, strengths and weaknesses, their own cases and the actions linked to them.

It lays out an :class:`~udfs.core.feedback.AgentFeedback` (computed by the core from the
same analysis as the report) and writes it atomically.  The template: "向客服团队/个人反馈
监测结果：明确得分、优势、不足及改进方向".
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, cast

from udfs.core.actions import status_text
from udfs.core.analysis import plain
from udfs.core.feedback import AgentFeedback
from udfs.core.fields import choice_label
from udfs.core.i18n import Catalog
from udfs.core.model import Analysis
from udfs.core.scoring import grade_label
from workbook_templates.output import atomic_path

from .labels import ACTION_COLUMNS, label, metric_label
from .layout import METRIC_FORMATS, Sheet, Writer
from .loop_sheet import effect_format, effect_headers, state_label

_fb = Catalog(
    {
        "title": ("Quality feedback — {agent}", "个人质检反馈 — {agent}"),
        "intro": (
            "Your results for {period} beside the team's averages ({n} agents, {contacts} "
            "contacts). Only your own contacts are listed.",
            "{period}，你的质检结果与团队平均（{n} 名客服，{contacts} 条服务记录）对比；仅列出你本人的服务记录。",
        ),
        "figures": ("Your figures", "我的指标"),
        "mine": ("You", "本人"),
        "team": ("Team average", "团队平均"),
        "diff": ("Difference", "差异"),
        "grade": ("Grade", "等级"),
        "rank_band": ("Rank band", "排名区间"),
        "band_top": ("top third of {n} ranked agents", "{n} 名排名客服中的前 1/3"),
        "band_middle": ("middle third of {n} ranked agents", "{n} 名排名客服中的中间 1/3"),
        "band_bottom": ("bottom third of {n} ranked agents", "{n} 名排名客服中的后 1/3"),
        "not_ranked": (
            "not ranked: fewer than {m} scored contacts ({s})",
            "未排名：已评分服务记录少于 {m} 条（{s} 条）",
        ),
        "scored": ("Scored contacts", "已评分服务记录数"),
        "dims": (
            "Rubric dimensions against the team (mean rating 1-5)",
            "评分维度与团队对比（平均评分 1-5）",
        ),
        "dimension": ("Dimension", "维度"),
        "strengths": ("Strengths", "优势"),
        "weaknesses": ("To improve", "不足"),
        "advice": ("Improvement direction", "改进方向"),
        "no_strengths": (
            "No dimension at or above the team average this period.",
            "本期没有达到或高于团队平均的维度。",
        ),
        "no_weaknesses": (
            "No dimension below the team average this period.",
            "本期没有低于团队平均的维度。",
        ),
        "good": ("Good cases", "优秀案例"),
        "bad": ("Cases to improve", "待改进案例"),
        "reviewer": ("Reviewer", "质检员"),
        "no_cases": ("No scored contacts in this period.", "本期没有已评分的服务记录。"),
        "actions": ("Improvement actions linked to your contacts", "与你的服务记录相关的改进行动"),
        "no_actions": (
            "No action is linked to the problems of your contacts.",
            "没有与你的服务记录问题相关的改进行动。",
        ),
    }
)

CASE_COLS = ("contact_id", "contact_time", "channel", "customer", "score", "grade",
             "critical_error", "problem", "problem_description", "qc_note")  # fmt: skip


def write_feedback(
    view: AgentFeedback, an: Analysis, out_path: str | os.PathLike[str], *, lang: str = "zh"
) -> Path:
    """Write one agent's feedback workbook atomically; returns ``out_path``."""
    lang = "en" if lang == "en" else "zh"
    out_path = Path(out_path)
    with atomic_path(out_path) as tmp:
        w = Writer(tmp, an, lang)
        w.wb.set_properties(
            {
                "title": _fb("title", lang, agent=view.agent_id),
                "subject": view.agent_id,
                "comments": f"CSQ feedback; period {an.period}; as of {an.as_of.isoformat()}",
            }
        )
        _summary_sheet(w, view)
        _cases_sheet(w, view)
        _actions_sheet(w, view)
        w.wb.close()
    return out_path


def _summary_sheet(w: Writer, v: AgentFeedback) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_feedback", [30, 14, 14, 14, 60])
    s.ws.fit_to_pages(1, 1)
    s.title(_fb("title", lang, agent=v.agent_id))
    period = an.report_period.text(lang) if an.report_period else (an.period or "-")
    s.note(_fb("intro", lang, period=period, n=an.n_agents, contacts=an.headline.get("contacts")))
    s.gap()
    if v.band is not None:
        band = _fb(f"band_{v.band}", lang, n=v.ranked)
    else:
        band = _fb("not_ranked", lang, m=an.config.min_agent_sample, s=v.scored)
    for name, value in (
        (label("team", lang), v.team or "-"),
        (_fb("grade", lang), grade_label(v.grade, lang) or label("no_data", lang)),
        (_fb("rank_band", lang), band),
        (_fb("scored", lang), str(v.scored)),
    ):
        s.ws.write_string(s.row, 0, name, w.f["label"])
        s.ws.merge_range(s.row, 1, s.row, 3, value, w.f["text"])  # a band needs the width
        s.row += 1
    s.gap()
    s.heading(_fb("figures", lang))
    s.header([label("metric", lang), _fb("mine", lang), _fb("team", lang), _fb("diff", lang)])
    for key in v.figures:
        mine, team = v.figures[key], v.team_figures.get(key)
        diff = None if mine is None or team is None else mine - team
        fmt = METRIC_FORMATS.get(key, "dec1")
        s.cells(
            [metric_label(key, lang), _nd(mine, lang), team, diff],
            ["label", fmt, fmt, f"d_{fmt}"],
        )
    s.gap()
    s.heading(_fb("dims", lang))
    dim_head = [_fb("dimension", lang), _fb("mine", lang), _fb("team", lang), _fb("diff", lang)]
    s.header(dim_head)
    for d in v.dimensions:
        s.cells(
            [d.indicator.label(lang), d.agent, d.team, d.diff], ["text", "dec2", "dec2", "d_dec2"]
        )
    s.gap()
    for key, points in (("strengths", v.strengths), ("weaknesses", v.weaknesses)):
        s.heading(_fb(key, lang))
        if not points:
            s.note(_fb("no_strengths" if key == "strengths" else "no_weaknesses", lang))
            s.gap()
            continue
        weak = key == "weaknesses"
        s.header([*dim_head, _fb("advice", lang)] if weak else dim_head)
        for d in points:
            advice = v.advice.get(d.indicator.source, {}).get(lang) if weak else None
            s.cells(
                [d.indicator.label(lang), d.agent, d.team, d.diff, advice],
                ["text", "dec2", "dec2", "d_dec2", "wrap"],
            )
        s.gap()


def _nd(v: Any, lang: str) -> Any:
    return label("no_data", lang) if v is None else v


def _cases_sheet(w: Writer, v: AgentFeedback) -> None:
    lang = w.lang
    s = Sheet(w, "sh_fb_cases", [12, 16, 10, 13, 8, 8, 14, 12, 30, 30, 10])
    s.title(_fb("title", lang, agent=v.agent_id))
    heads = [label(c, lang) for c in CASE_COLS] + [_fb("reviewer", lang)]
    fmts = ["text", "datetime", "text", "text", "dec1", "text", "wrap", "wrap", "wrap", "wrap",
            "text"]  # fmt: skip
    for key, part in (("good", v.good_cases), ("bad", v.bad_cases)):
        s.heading(_fb(key, lang))
        if not len(part):
            s.note(_fb("no_cases", lang))
            s.gap()
            continue
        s.header(heads)
        for _, r in part.iterrows():
            ch = r.get("channel")
            s.cells(
                [
                    r.get("contact_id"),
                    plain(r.get("contact_time")),
                    choice_label("channel", ch, lang) if isinstance(ch, str) else None,
                    r.get("customer_id"),  # masked by the core
                    plain(r["score"]),
                    grade_label(r["grade"], lang) or _verdict(r),
                    r.get("critical_error"),
                    r.get("problem_category"),
                    r.get("problem_description"),
                    r.get("qc_note"),
                    r.get("reviewer"),
                ],
                fmts,
            )
        s.gap()


def _actions_sheet(w: Writer, v: AgentFeedback) -> None:
    lang = w.lang
    s = Sheet(w, "sh_fb_actions", [8, 34, 18, 12, 13, 13, 22, 10, 10, 18])
    s.title(_fb("actions", lang))
    a = v.actions
    if not len(a):
        s.note(_fb("no_actions", lang))
        return
    texts = status_text(
        a["status_key"].to_numpy(dtype=object), a["days"].to_numpy(dtype=float), lang
    )
    s.header([label(k, lang) for k in ACTION_COLUMNS] + effect_headers(lang), repeat=True)
    for i, r in a.iterrows():
        f = effect_format(r.get("metric_key"))
        st = r.get("state")
        s.cells(
            [r["action_no"], r["measure"], r["problem"], r["owner"], plain(r["planned_date"]),
             plain(r["actual_date"]), texts[cast(int, i)], plain(r.get("before")),
             plain(r.get("after")), state_label(st, lang)],
            ["text", "wrap", "wrap", "text", "date", "date",
             "bad" if r["status_key"] == "overdue" else "text", f, f,
             "good" if st == "verified_met" else "bad" if st == "verified_not_met" else "text"],
        )  # fmt: skip


def _verdict(r: Any) -> Any:
    """A contact without a score shows the reviewer's typed verdict in the grade column."""
    v = r.get("qc_verdict")
    return v if isinstance(v, str) and v.strip() else None

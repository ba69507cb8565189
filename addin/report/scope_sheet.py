"""The report's scope sheets (issue 19), written only when asked for:

- Teams (班组对比): the department roll-up's team comparison, one row per team (contacts,
  share, KPIs, composite, grade, rank, targets missed);
- Segments (分章): one block per segment of ``--by`` (its KPIs beside the whole and the
  baseline, composite and grade, findings, own Pareto, worst hours, typical cases);
- Baseline (对比基期): every indicator of the Indicators sheet with its value in the
  ``--compare`` period and the change ("vs P");

and :func:`scope_facts`, the Overview lines naming the special evaluation, the baseline
and the workbooks combined.  Every figure comes from the analysis
(:mod:`udfs.core.segments`, :mod:`udfs.core.scope`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from udfs.core.config import GROUP_LABELS
from udfs.core.i18n import Catalog
from udfs.core.model import Analysis, IndicatorRow
from udfs.core.scoring import grade_label
from udfs.core.segments import OTHER, SEGMENT_KPIS, Segment, Segments, member_label

from .labels import label, metric_label
from .layout import METRIC_FORMATS, Sheet, Writer

t = Catalog(
    {
        "scope": ("Scope", "评价范围"),
        "baseline": ("Baseline period", "对比基期"),
        "combined": ("Workbooks combined", "合并的工作簿"),
        "lacking": ("Teams missing (workbook unusable)", "缺少的班组（工作簿无法使用）"),
        "teams_title": ("Team comparison", "班组对比"),
        "seg_title": ("Chapters by {field}", "按{field}分章"),
        "team": ("Team", "班组"),
        "share": ("Share", "占比"),
        "rank": ("Rank", "排名"),
        "missed": ("Targets missed", "未达标指标"),
        "segment": ("This segment", "本分段"),
        "whole": ("Whole report", "整体"),
        "target": ("Target", "目标"),
        "vs": ("vs {p}", "较{p}"),
        "block": (
            "{name}: {n} contacts ({share:.1%} of the period)",
            "{name}：{n} 条联系（占报告期 {share:.1%}）",
        ),
        "members": (
            "Grouped here (fewer than {n} contacts each): {names}",
            "合并于此（各少于 {n} 条）：{names}",
        ),
        "findings": ("Findings", "发现"),
        "pareto": ("Problems (Pareto)", "问题帕累托"),
        "problem": ("Problem", "问题"),
        "count": ("Count", "次数"),
        "class": ("Class", "类别"),
        "peak": (
            "Worst hours {a:02d}:00-{b:02d}:00: average first response {v:.0f} s against {r:.0f} s the other hours",
            "最差时段 {a:02d}:00-{b:02d}:00：平均首次响应 {v:.0f} 秒，其他时段 {r:.0f} 秒",
        ),
        "slow": (
            "First responses over {s:.0f} s: {v:.1%}",
            "首次响应超过 {s:.0f} 秒的占比：{v:.1%}",
        ),
        "cases": ("Typical cases (contact id, QA score)", "典型案例（工单编号、质检得分）"),
        "good": ("Good", "优秀"),
        "bad": ("To improve", "待改进"),
        "indicator": ("Indicator", "指标"),
        "value": ("Value", "本期"),
        "in_base": ("In {p}", "{p}"),
        "change": ("Change", "变化"),
        "no_base": ("The baseline period {p} has no contacts.", "对比基期 {p} 没有联系记录。"),
        "base_title": ("Against the baseline {p}", "与对比基期（{p}）比较"),
        "none": ("none", "无"),
    }
)


def scope_facts(an: Analysis, lang: str) -> list[tuple[str, Any, str | None]]:
    """Overview lines naming the special evaluation, the baseline, the roll-up's inputs."""
    out: list[tuple[str, Any, str | None]] = []
    if an.filter_label:
        out.append((t("scope", lang), an.filter_label[lang], "wrap"))
    if an.compare_period is not None:
        out.append((t("baseline", lang), an.compare_period.text(lang), "text"))
    sep = "、" if lang == "zh" else ", "
    if an.combined:
        out.append((t("combined", lang), sep.join(an.combined), "wrap"))
    if an.lacking:
        out.append((t("lacking", lang), sep.join(an.lacking), "bad"))
    return out


def compare_columns(
    an: Analysis, lang: str
) -> tuple[list[str], Callable[..., tuple[list[Any], list[str]]]]:
    """The Indicators sheet's "vs P" columns (none without ``--compare``): their headers and
    a function giving a row's cells and formats (``cells(row, fmt)``)."""
    if an.compare_period is None:
        return [], lambda r, fmt="dec1": ([], [])
    p = an.compare_period.short

    def cells(r: IndicatorRow, fmt: str = "dec1") -> tuple[list[Any], list[str]]:
        if fmt.startswith("group"):
            return [r.compare, r.vs_compare], ["group_dec1", "group_d_dec1"]
        return [r.compare, r.vs_compare], [fmt, f"d_{fmt}"]

    return [t("in_base", lang, p=p), t("vs", lang, p=p)], cells


def scope_sheets(w: Writer) -> None:
    """The Teams, Segments and Baseline sheets the analysis holds data for."""
    if w.an.team_table is not None and w.an.team_table.rows:
        _teams(w, w.an.team_table)
    if w.an.segments is not None and w.an.segments.rows:
        _segments(w, w.an.segments)
    if w.an.compare_period is not None:
        _baseline(w)


_TABLE_KPIS = (
    "answer_rate", "fcr", "csat_mean", "avg_first_response_s", "service_level",
    "qa_score_mean", "qc_pass_rate", "composite_score",
)  # fmt: skip
"""The team comparison's KPIs (every KPI of a team is in summary.json's ``teams``)."""


def _teams(w: Writer, table: Segments) -> None:
    lang = w.lang
    s = Sheet(w, "sh_teams", [14, 8, 7, *([9] * len(_TABLE_KPIS)), 7, 5, 28])
    s.title(f"{t('teams_title', lang)} — {w.an.period or '-'}")
    s.header(
        [
            t("team", lang),
            metric_label("contacts", lang, short=True),
            t("share", lang),
            *(metric_label(k, lang, short=True) for k in _TABLE_KPIS),
            label("grade", lang),
            t("rank", lang),
            t("missed", lang),
        ],
        repeat=True,
    )
    for r in table.rows:
        missed = [metric_label(k, lang, short=True) for k, c in r.targets.items() if not c.met]
        s.cells(
            [
                r.label[lang],
                r.contacts,
                r.share,
                *(r.kpis.get(k) for k in _TABLE_KPIS),
                grade_label(r.kpis.get("grade"), lang) or "-",
                r.rank if r.rank is not None else "-",
                ("、" if lang == "zh" else ", ").join(missed) or t("none", lang),
            ],
            [
                "text",
                "int",
                "pct",
                *(METRIC_FORMATS[k] for k in _TABLE_KPIS),
                "text",
                "text",
                "wrap",
            ],
        )


def _segments(w: Writer, segs: Segments) -> None:
    an, lang = w.an, w.lang
    cmp = an.compare_period
    s = Sheet(w, "sh_segments", [30, 14, 14, 12, 14, 14])
    name = segs.title(lang)
    if lang != "zh" and name[:1].isupper() and not name[1:2].isupper():
        name = name[:1].lower() + name[1:]  # "Chapters by service type"
    s.title(f"{t('seg_title', lang, field=name)} — {an.period or '-'}")
    breaks = []
    for i, r in enumerate(segs.rows):
        if i:
            breaks.append(s.row)  # one chapter a page (or more)
        _block(s, r, segs, an, lang, cmp.text(lang) if cmp is not None else None)
        s.gap()
    if breaks:
        s.ws.set_h_pagebreaks(breaks)


def _block(s: Sheet, r: Segment, segs: Segments, an: Analysis, lang: str, cmp: str | None) -> None:
    s.heading(t("block", lang, name=r.label[lang], n=r.contacts, share=r.share or 0.0))
    if r.value == OTHER and r.members:
        names = ("、" if lang == "zh" else ", ").join(
            member_label(segs.by, m, lang) for m in r.members
        )
        s.note(t("members", lang, n=segs.min_contacts, names=names))
    head = [label("metric", lang), t("segment", lang), t("whole", lang), t("target", lang)]
    if cmp is not None:
        head += [t("in_base", lang, p=cmp), t("vs", lang, p=cmp)]
    s.header(head)
    for k in SEGMENT_KPIS:
        fmt = METRIC_FORMATS.get(k, "text")
        values: list[Any]
        fmts: list[str]
        if k == "grade":
            values = [label("grade", lang), grade_label(r.kpis.get(k), lang) or "-",
                      grade_label(an.headline.get(k), lang) or "-", None]  # fmt: skip
            fmts = ["label", "text", "text", "text"]
        else:
            c = r.targets.get(k)
            values = [metric_label(k, lang), r.kpis.get(k), an.headline.get(k),
                      c.target if c else None]  # fmt: skip
            fmts = ["label", fmt, fmt, fmt]
        if cmp is not None:
            b = r.compare.get(k) if r.compare else None
            mine = r.kpis.get(k)
            if k == "grade":
                values += [grade_label(b, lang) or "-", None]
                fmts += ["text", "text"]
            else:
                # contacts: a count over periods of other lengths, no change shown
                d = None if b is None or mine is None or k == "contacts" else mine - b
                values += [b, d]
                fmts += [fmt, f"d_{fmt}" if fmt != "text" else "text"]
        s.cells(values, fmts)
    if r.findings:
        s.heading(t("findings", lang))
        for f in r.findings:
            s.note(f"• {f['text'][lang]}")
    if r.peak_band is not None:
        p = r.peak_band
        s.note(t("peak", lang, a=p.start_hour, b=p.end_hour, v=p.avg_first_response_s,
                 r=p.rest_avg_first_response_s))  # fmt: skip
    if len(r.pareto):
        s.heading(t("pareto", lang))
        s.header([t("problem", lang), t("count", lang), t("share", lang), t("class", lang)])
        for _, row in r.pareto.head(5).iterrows():
            s.cells([str(row["problem"]), int(row["count"]), float(row["share"]), str(row["pareto_class"])],
                    ["text", "int", "pct", "text"])  # fmt: skip
    cases = []
    for key, frame in (("good", r.good_cases), ("bad", r.bad_cases)):
        if len(frame) and "contact_id" in frame.columns:
            items = [
                f"{cid} ({sc:.0f})" if sc == sc else str(cid)
                for cid, sc in zip(frame["contact_id"], frame["score"], strict=True)
            ]
            sep = "、" if lang == "zh" else ", "
            colon = "：" if lang == "zh" else ": "
            cases.append(f"{t(key, lang)}{colon}{sep.join(str(i) for i in items)}")
    if cases:
        colon = "：" if lang == "zh" else ": "
        s.note(f"{t('cases', lang)}{colon}" + ("；" if lang == "zh" else "; ").join(cases))


def _baseline(w: Writer) -> None:
    an, lang = w.an, w.lang
    assert an.compare_period is not None
    p = an.compare_period.text(lang)
    s = Sheet(w, "sh_baseline", [16, 28, 12, 12, 12])
    s.title(f"{t('base_title', lang, p=p)} — {an.period or '-'}")
    if an.compare is None:
        s.note(t("no_base", lang, p=p))
        return
    s.header([label("group", lang), t("indicator", lang), t("value", lang),
              t("in_base", lang, p=p), t("vs", lang, p=p)])  # fmt: skip
    for title_key, rows in (("ind_team", an.team_indicators), ("ind_dims", an.dim_indicators)):
        for r in rows:
            if r.kind == "group":
                continue
            assert r.indicator is not None
            fmt = (
                "dec2"
                if title_key == "ind_dims"
                else METRIC_FORMATS.get(r.indicator.source, "dec1")
            )
            g = GROUP_LABELS[r.group][0 if lang == "zh" else 1]
            s.cells([g, r.indicator.label(lang), r.value, r.compare, r.vs_compare],
                    ["text", "text", fmt, fmt, f"d_{fmt}"])  # fmt: skip
    for k in ("contacts", "composite_score"):
        v, b = an.headline.get(k), an.compare.get(k)
        fmt = METRIC_FORMATS[k]
        d = None if v is None or b is None or k == "contacts" else v - b
        s.cells(["", metric_label(k, lang), v, b, d],
                ["text", "text", fmt, fmt, f"d_{fmt}"])  # fmt: skip

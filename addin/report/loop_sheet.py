"""The improvement loop on the report's Actions sheet: re-measured effects (before/after
with n and state), the effect chart, re-verifications due, weekly tracking (stale and
slipped actions), customer call-backs and the SOP register (``udfs.core.loop``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from udfs.core.analysis import plain
from udfs.core.i18n import Catalog
from udfs.core.remeasure import EFFECT_STATE_LABELS, EFFECT_STATES

from .charts import BLUE, ORANGE
from .layout import METRIC_FORMATS, Sheet, Writer

_L = Catalog(
    {
        "remeasure": (
            "Re-measured effect (from the Monitoring rows in each action's scope)",
            "效果复测（按各措施范围内的监测记录计算）",
        ),
        "remeasure_note": (
            "Before: the {b} days before the start; after: {l} days opening {o} days after "
            "completion; a verdict needs at least {n} contacts.",
            "改进前：开始日期前 {b} 天；改进后：完成后第 {o} 天起 {l} 天；结论至少需要 {n} 条记录。",
        ),
        "no_effects": ("No action names a KPI to re-measure.", "没有填写可复测指标的措施。"),
        "no": ("No.", "编号"),
        "measure": ("Measure", "改进措施"),
        "metric": ("Metric", "效果指标"),
        "before_window": ("Before window", "改进前区间"),
        "before": ("Before", "改进前"),
        "after_window": ("After window", "改进后区间"),
        "after": ("After", "改进后"),
        "n": ("n", "样本数"),
        "typed_after": ("After (typed)", "改进后(填写)"),
        "target": ("Target", "目标值"),
        "state": ("Effect", "效果判定"),
        "chart": ("Before vs after (verified actions)", "改进前后对比（已复测措施）"),
        "chart_unit": ("each action's metric", "各措施指标单位"),
        "reverify": ("Re-verifications due", "需重新复测"),
        "reverify_note": (
            "The after-window has closed with fewer than {n} contacts: re-measure later or "
            "widen the scope.",
            "复测窗口已结束但记录不足 {n} 条：请延后复测或扩大范围。",
        ),
        "none": ("None.", "无。"),
        "stale": ("Stale actions (no update for more than {d} days)", "超过 {d} 天未更新的措施"),
        "owner": ("Owner", "责任人"),
        "progress": ("Progress %", "进度%"),
        "last_update": ("Last update", "最近更新"),
        "since": ("Days since", "未更新天数"),
        "checkpoint": ("Next checkpoint", "下次检查"),
        "slipped": ("Delayed actions (planned date moved)", "延期措施（计划日期已调整）"),
        "original": ("Original planned date", "原计划日期"),
        "planned": ("Planned date", "计划完成日期"),
        "slip": ("Slip (days)", "延期天数"),
        "callbacks": ("Customer re-verification (call-backs)", "客户二次验证（回访）"),
        "problem": ("Linked problem", "关联问题"),
        "resolved": ("Resolved", "解决"),
        "unresolved": ("Unresolved", "未解决"),
        "unreachable": ("Unreachable", "未接通"),
        "called": ("Called back", "回访数"),
        "resolved_rate": ("Confirmed resolved", "确认解决率"),
        "sop": ("SOP register (纳入SOP)", "SOP 登记（纳入《标准操作手册》）"),
        "sop_doc": ("SOP document", "SOP文件"),
        "counts": ("Effect states", "效果判定统计"),
        "count": ("Actions", "数量"),
    }
)


SHOWN_ORDER = ("verified_met", "verified_not_met", "reverify_due", "too_early", "not_done")
"""Effect rows in the report: verified first (the chart reads those rows)."""


def state_label(state: Any, lang: str) -> str | None:
    """An effect state's label in ``lang`` (None for none)."""
    if not isinstance(state, str) or state not in EFFECT_STATE_LABELS:
        return None
    en, zh = EFFECT_STATE_LABELS[state]
    return zh if lang == "zh" else en


def effect_format(kpi: Any) -> str:
    """The number format of a KPI's before/after (% for rates)."""
    f = METRIC_FORMATS.get(str(kpi), "dec2")
    return "int" if f == "int" else f


_fmt = effect_format


def effect_headers(lang: str) -> list[str]:
    """Headers of the before / after / state columns (the per-agent feedback's)."""
    return [_L("before", lang), _L("after", lang), _L("state", lang)]


def _window(a: Any, b: Any) -> str | None:
    """A window as its first and last day, one per line (the column is narrow)."""
    return f"{a}\n{b}" if isinstance(a, str) and isinstance(b, str) else None


def _small_wrap(w: Writer) -> str:
    """A small wrapped format for the two-line windows (made once per report)."""
    if "small_wrap" not in w.f:
        w.f["small_wrap"] = w.wb.add_format(
            {"font_name": w.font, "border": 1, "font_size": 8, "text_wrap": True,
             "valign": "vcenter"}
        )  # fmt: skip
    return "small_wrap"


def loop_sections(w: Writer, s: Sheet) -> None:
    """Every section of the improvement loop, in the order a weekly meeting reads them."""
    lang, loop = w.lang, w.an.loop
    st = loop.settings
    s.heading(_L("remeasure", lang))
    s.note(
        _L(
            "remeasure_note",
            lang,
            b=st.before_days,
            o=st.after_offset_days,
            l=st.after_days,
            n=st.min_n,
        )
    )
    e = loop.effects
    if not len(e):
        s.note(_L("no_effects", lang))
    else:
        _counts(w, s)
        order = {k: i for i, k in enumerate(SHOWN_ORDER)}
        e = e.assign(_o=e["state"].map(lambda k: order.get(k, 99))).sort_values(
            ["_o"], kind="stable"
        )
        s.header(
            [
                _L(k, lang)
                for k in (
                    "no",
                    "measure",
                    "metric",
                    "before_window",
                    "before",
                    "n",
                    "after_window",
                    "after",
                    "n",
                    "typed_after",
                    "target",
                    "state",
                )
            ]
        )
        first = s.row
        sw = _small_wrap(w)
        for r in e.to_dict("records"):
            f = _fmt(r["metric_key"])
            state = r["state"]
            row = s.cells(
                [
                    r["action_no"],
                    r["measure"],
                    r["metric"],
                    _window(r["before_start"], r["before_end"]),
                    plain(r["before"]),
                    int(r["before_n"]),
                    _window(r["after_start"], r["after_end"]),
                    plain(r["after"]),
                    int(r["after_n"]),
                    plain(r["typed_after"]),
                    plain(r["target"]),
                    state_label(state, lang),
                ],
                [
                    "text",
                    "wrap",
                    "text",
                    sw,
                    f,
                    "int",
                    sw,
                    f,
                    "int",
                    f,
                    f,
                    "good"
                    if state == "verified_met"
                    else "bad"
                    if state in ("verified_not_met", "reverify_due")
                    else "text",
                ],
            )
            s.ws.set_row(row, 30)  # two lines: the windows, a measure of up to two lines
        verified = int(e["state"].isin(["verified_met", "verified_not_met"]).sum())
        if verified:
            s.ws.insert_chart(s.row + 1, 1, _effect_chart(w, s, first, first + verified - 1))
            s.gap(17)
    s.gap()
    _table(
        s,
        lang,
        _L("reverify", lang),
        loop.reverify_due,
        ["no", "measure", "metric", "after_window", "n"],
        lambda r: [
            r["action_no"],
            r["measure"],
            r["metric"],
            _window(r["after_start"], r["after_end"]),
            int(r["after_n"]),
        ],
        ["text", "wrap", "text", _small_wrap(w), "int"],
        note=_L("reverify_note", lang, n=st.min_n),
    )
    _table(
        s,
        lang,
        _L("stale", lang, d=st.stale_days),
        loop.stale,
        ["no", "measure", "owner", "progress", "last_update", "since", "checkpoint"],
        lambda r: [
            r["action_no"],
            r["measure"],
            r["owner"],
            plain(r["progress"]),
            r["last_update"],
            plain(r["days_since_update"]),
            r["next_checkpoint"],
        ],
        ["text", "wrap", "text", "int", "text", "int", "text"],
    )
    _table(
        s,
        lang,
        _L("slipped", lang),
        loop.slipped,
        ["no", "measure", "owner", "original", "planned", "slip"],
        lambda r: [
            r["action_no"],
            r["measure"],
            r["owner"],
            r["original_planned_date"],
            r["planned_date"],
            plain(r["slip_days"]),
        ],
        ["text", "wrap", "text", "text", "text", "int"],
    )
    _table(
        s,
        lang,
        _L("callbacks", lang),
        loop.callbacks,
        ["no", "problem", "resolved", "unresolved", "unreachable", "called", "resolved_rate"],
        lambda r: [
            r["action_no"],
            r["problem"],
            int(r["resolved"]),
            int(r["unresolved"]),
            int(r["unreachable"]),
            int(r["called"]),
            plain(r["resolved_rate"]),
        ],
        ["text", "wrap", "int", "int", "int", "int", "pct"],
    )
    _table(
        s,
        lang,
        _L("sop", lang),
        loop.sop_register,
        ["no", "measure", "problem", "metric", "sop_doc", "state"],
        lambda r: [
            r["action_no"],
            r["measure"],
            r["problem"],
            r["metric"],
            r["sop_document"],
            state_label(r["state"], lang),
        ],
        ["text", "wrap", "text", "text", "wrap", "text"],
    )


def _counts(w: Writer, s: Sheet) -> None:
    """How many actions are in each effect state."""
    lang = w.lang
    s.ws.merge_range(s.row, 0, s.row, 1, _L("counts", lang), w.f["th"])
    w.cell(s.ws, s.row, 2, _L("count", lang), "th")
    s.row += 1
    for k in EFFECT_STATES:
        r = s.row
        s.ws.merge_range(r, 0, r, 1, state_label(k, lang), w.f["label"])
        w.cell(s.ws, r, 2, w.an.loop.state_counts.get(k, 0), "int")
        s.row += 1
    s.gap()


def _table(
    s: Sheet,
    lang: str,
    title: str,
    frame: pd.DataFrame,
    heads: list[str],
    row: Any,
    fmts: list[str],
    note: str | None = None,
) -> None:
    s.heading(title)
    if note:
        s.note(note)
    if not len(frame):
        s.note(_L("none", lang))
    else:
        s.header([_L(h, lang) for h in heads])
        for r in frame.to_dict("records"):
            at = s.cells(row(r), fmts)
            if "small_wrap" in fmts:
                s.ws.set_row(at, 26)
    s.gap()


def _effect_chart(w: Writer, s: Sheet, first: int, last: int) -> Any:
    """Before and after of each verified action, side by side (columns per action No.)."""
    lang = w.lang
    ch = w.wb.add_chart({"type": "column"})
    for col, key, colour in ((4, "before", BLUE), (7, "after", ORANGE)):
        ch.add_series(
            {
                "name": _L(key, lang),
                "categories": [s.name, first, 0, last, 0],
                "values": [s.name, first, col, last, col],
                "fill": {"color": colour},
                "data_labels": {"value": True, "font": {"size": 8}},
            }
        )
    ch.set_title(w.chart_title(_L("chart", lang), _L("chart_unit", lang), w.an.as_of.isoformat()))
    ch.set_y_axis({"num_font": w.axis_font(), "min": 0})
    ch.set_x_axis({"num_font": w.axis_font(), "name": _L("no", lang), "name_font": w.axis_font()})
    ch.set_legend({"position": "bottom", "font": w.axis_font()})
    ch.set_size({"width": 560, "height": 300})
    return ch

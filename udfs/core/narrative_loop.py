"""The narrative's action-tracking chapter (issue 21): the improvement loop as told in the
Word report and on the deck's actions slide.

:func:`actions_chapter` words :attr:`udfs.core.model.Analysis.loop` (computed by
:mod:`udfs.core.loop`): one table row per action with its re-measured before → after (n)
and its effect state (the labels of :data:`udfs.core.remeasure.EFFECT_STATE_LABELS`, the
states ``summary.json``'s ``actions`` holds), sentences naming the verified-met measures
(and their SOP entry), the measures that missed their target (to be re-analysed), the
re-verifications due, the stale, slipped and overdue actions and the call-backs'
confirmed-resolved rates, and an effect chart (before vs after per verified action).
Registered in :data:`udfs.core.narrative.CHAPTER_BUILDERS` after the recommendations.
The narrative module is imported inside the builder (it registers this one on import).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from .remeasure import EFFECT_STATE_LABELS
from .targets import RATE_KPIS, kpi_label

if TYPE_CHECKING:
    from .narrative_parts import Chapter, NarrativeContext

VERIFIED = ("verified_met", "verified_not_met")
EN_COUNTS = {
    "not_done": "{n} not done yet",
    "too_early": "{n} too early to verify",
    "verified_met": "{n} verified as met",
    "verified_not_met": "{n} verified as not met",
    "reverify_due": "{n} due for re-verification",
}
"""The English count of actions in a state, as a sentence says it."""
MAX_ROWS = 12
"""Actions in the table (the deck shows its first eight)."""


def state_label(state: Any, lang: str) -> str:
    """An effect state's label ("—" for an action without one: no metric, cancelled)."""
    if not isinstance(state, str) or state not in EFFECT_STATE_LABELS:
        return "—"
    en, zh = EFFECT_STATE_LABELS[state]
    return zh if lang == "zh" else en


def _s(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
        return ""
    return str(v).strip()


def _no(v: Any) -> str:
    return _s(v) or "—"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return (
        [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")] if len(frame) else []
    )


def _value(ctx: NarrativeContext, metric: str, v: Any, n: Any) -> str:
    from .narrative_parts import fmt

    k = int(n) if n is not None and n == n else 0
    if not k:
        return "—"  # nothing measured in that window
    return ctx.t("{v} ({n})", "{v}（{n}）", v=fmt(metric, v, ctx.lang), n=k)


def _name(ctx: NarrativeContext, r: dict[str, Any]) -> str:
    return ctx.t(
        "action {no} “{m}”", "措施{no}“{m}”", no=_no(r.get("action_no")), m=_s(r.get("measure"))
    )


def actions_chapter(ctx: NarrativeContext) -> Chapter | None:
    """改进措施跟踪与效果验证: ``None`` when the Actions sheet is empty."""
    from .narrative_parts import Chapter, ChartSpec, Series, Table, fmt

    an, lang = ctx.an, ctx.lang
    if not len(an.actions):
        return None
    loop = an.loop
    effects = {r["_row"]: r for r in _records(loop.effects)}
    sep = "；" if ctx.zh else "; "
    rows = []
    for a in _records(an.actions)[:MAX_ROWS]:
        e = effects.get(a.get("_row"), {})
        metric = _s(e.get("metric_key")) or _s(a.get("metric_key"))
        if e:
            change = "{b} → {a}".format(
                b=_value(ctx, metric, e.get("before"), e.get("before_n")),
                a=_value(ctx, metric, e.get("after"), e.get("after_n")),
            )
        else:
            change = "—"
        rows.append(
            [
                _no(a.get("action_no")),
                _s(a.get("measure")) or "—",
                (kpi_label(metric, lang) if metric else _s(a.get("metric"))) or "—",
                change,
                fmt(metric, e.get("target"), lang) if e and metric else "—",
                state_label(e.get("state"), lang),
            ]
        )
    table = Table(
        ctx.t("Actions and their re-measured effect", "改进措施及复测效果"),
        [
            ctx.t("Action no.", "措施编号"),
            ctx.t("Measure", "措施"),
            ctx.t("Metric", "指标"),
            ctx.t("Before → after (n)", "实施前 → 实施后（n）"),
            ctx.t("Target", "目标"),
            ctx.t("State", "状态"),
        ],
        rows,
        [False, False, False, True, True, False],
    )
    paras: list[str] = []
    counts = {k: v for k, v in loop.state_counts.items() if v}
    if counts:
        parts = [
            ctx.t(EN_COUNTS.get(k, "{n} {l}"), "{l}{n}项", l=state_label(k, lang), n=v)
            for k, v in counts.items()
        ]
        paras.append(
            ctx.t(
                "{n} actions, {m} of them with a metric re-measured from the monitoring data ({p}).",
                "共{n}项改进措施，其中{m}项按监测数据复测（{p}）。",
                n=len(an.actions),
                m=sum(counts.values()),
                p=("，" if ctx.zh else ", ").join(parts),
            )
        )
    sop = {r["_row"]: r for r in _records(loop.sop_register)}
    met = [e for e in effects.values() if e.get("state") == "verified_met"]
    if met:
        items = []
        for e in met:
            m = _s(e.get("metric_key"))
            s = ctx.t(
                "{a} ({k} {b} → {v})",
                "{a}（{k}由{b}变为{v}）",
                a=_name(ctx, e),
                k=kpi_label(m, lang, unit=False),
                b=fmt(m, e.get("before"), lang),
                v=fmt(m, e.get("after"), lang),
            )
            doc = _s(sop.get(e["_row"], {}).get("sop_document"))
            if doc:
                s += ctx.t(", now in the SOP: {d}", "，已纳入SOP：{d}", d=doc)
            items.append(s)
        paras.append(ctx.t("Verified as met: {x}.", "复测达标：{x}。", x=sep.join(items)))
    missed = [e for e in effects.values() if e.get("state") == "verified_not_met"]
    if missed:
        items = []
        for e in missed:
            m = _s(e.get("metric_key"))
            items.append(
                ctx.t(
                    "{a} ({k} {v} against a {t} target)",
                    "{a}（{k}为{v}，目标{t}）",
                    a=_name(ctx, e),
                    k=kpi_label(m, lang, unit=False),
                    v=fmt(m, e.get("after"), lang),
                    t=fmt(m, e.get("target"), lang),
                )
            )
        paras.append(
            ctx.t(
                "Missed the target after re-measurement, the causes to be re-analysed: {x}.",
                "复测未达标，需重新分析原因：{x}。",
                x=sep.join(items),
            )
        )
    due = _records(loop.reverify_due)
    if due:
        items = [
            ctx.t(
                "{a} (n={n} after)",
                "{a}（实施后仅{n}条记录）" if r.get("after_n") else "{a}（实施后无记录）",
                a=_name(ctx, r),
                n=int(r.get("after_n") or 0),
            )
            for r in due
        ]
        paras.append(
            ctx.t(
                "Re-verification due (too little data after the change): {x}.",
                "需重新复测（实施后数据不足）：{x}。",
                x=sep.join(items),
            )
        )
    if len(an.overdue):
        items = [
            ctx.t(
                "{a}, {d} days overdue",
                "{a}逾期{d}天",
                a=_name(ctx, r),
                d=int(r.get("days_late") or 0),
            )
            for r in _records(an.overdue)
        ]
        paras.append(ctx.t("Overdue: {x}.", "逾期未完成：{x}。", x=sep.join(items)))
    stale = _records(loop.stale)
    if stale:
        items = [
            ctx.t(
                "{a} (owner {o}, last update {d})",
                "{a}（负责人{o}，最近更新{d}）",
                a=_name(ctx, r),
                o=_s(r.get("owner")) or "—",
                d=_s(r.get("last_update")) or "—",
            )
            for r in stale
        ]
        paras.append(
            ctx.t(
                "No progress update for more than {k} days: {x}.",
                "超过{k}天未更新进度：{x}。",
                k=loop.settings.stale_days,
                x=sep.join(items),
            )
        )
    slipped = _records(loop.slipped)
    if slipped:
        items = [
            ctx.t(
                "{a} from {o} to {p} ({d} days)",
                "{a}由{o}推迟到{p}（{d}天）",
                a=_name(ctx, r),
                o=_s(r.get("original_planned_date")) or "—",
                p=_s(r.get("planned_date")) or "—",
                d=int(r.get("slip_days") or 0),
            )
            for r in slipped
        ]
        paras.append(ctx.t("Slipped: {x}.", "延期：{x}。", x=sep.join(items)))
    measures = {r.get("_row"): r.get("measure") for r in _records(an.actions)}
    cbs = [{**r, "measure": measures.get(r.get("_row"))} for r in _records(loop.callbacks)]
    if cbs:
        items = [
            ctx.t(
                "{a}: {r} of {c} called back confirmed resolved",
                "{a}：回访{c}位，确认解决率{r}",
                a=_name(ctx, r),
                r=f"{float(r['resolved_rate']) * 100:.1f}%" if r.get("called") else "—",
                c=int(r.get("called") or 0),
            )
            for r in cbs
        ]
        paras.append(ctx.t("Customer call-backs: {x}.", "客户二次验证：{x}。", x=sep.join(items)))
    charts = []
    verified = [e for e in effects.values() if e.get("state") in VERIFIED]
    if verified:
        # one unit per chart: the unit most verified actions share (rates in %)
        def unit(e: dict[str, Any]) -> str:
            m = _s(e.get("metric_key"))
            return "%" if m in RATE_KPIS else m

        units = [unit(e) for e in verified]
        u = max(dict.fromkeys(units), key=units.count)
        shown = [e for e in verified if unit(e) == u]
        scale = 100.0 if u == "%" else 1.0

        def vals(key: str) -> list[float | None]:
            out: list[float | None] = []
            for e in shown:
                v = e.get(key)
                out.append(None if v is None or v != v else round(float(v) * scale, 4))
            return out

        charts.append(
            ChartSpec(
                "action_effects",
                "column",
                ctx.t("Verified actions: before and after", "已复测措施：实施前后对比"),
                [ctx.t("Action {n}", "措施{n}", n=_no(e.get("action_no"))) for e in shown],
                [
                    Series(ctx.t("Before", "实施前"), vals("before")),
                    Series(ctx.t("After", "实施后"), vals("after")),
                ],
                unit="%" if u == "%" else "",
                note=ctx.t(
                    "{k}; re-measured from the monitoring data",
                    "{k}；按监测数据复测",
                    k=kpi_label(_s(shown[0].get("metric_key")), lang)
                    if u != "%"
                    else ctx.t("rates in %", "比率，%"),
                ),
            )
        )
    if counts:
        en = {
            "verified_met": "{n} met",
            "verified_not_met": "{n} missed",
            "reverify_due": "{n} to re-verify",
        }
        said = [
            ctx.t(en[k], "{l}{n}项", l=state_label(k, lang), n=v)
            for k, v in counts.items()
            if k in en
        ]
        message = ctx.t(
            "Re-measured actions: {x}",
            "改进措施复测：{x}",
            x=("，" if ctx.zh else ", ").join(said) or ctx.t("none verified yet", "尚无已复测措施"),
        )
    else:
        message = paras[0] if paras else table.title
    return Chapter(
        "actions",
        ctx.t("Action tracking and effects", "改进措施跟踪与效果验证"),
        paras,
        [table],
        charts,
        message=message,
        notes=list(paras),
    )

"""The narrative's service-process and customer chapters (issue 20), for the Word report
and the deck.

:func:`process_chapter` (服务流程合规 / Service-process compliance) words
``process_compliance`` against its target, the late steps (the same sentences as the
findings, :mod:`udfs.core.seed_findings`: "回访超时：12.0% 的已解决联系超过 24 小时才回访"),
the weakest agents and channels, with the per-step table and a chart of each step's
compliance.  :func:`customers_chapter` (客户分层与反馈来源 / Customer levels and feedback
sources) words the KPIs per customer level, the weakest level, the repeat-complaint rate
beside the repeat-contact rate, complaints and praise by category and hour and the
mystery-shopper contacts.  Each chapter is ``None`` when the data has no such columns.
The narrative module is imported inside the builders (it registers these on import).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from .fields import choice_label
from .process import STEPS
from .targets import kpi_label

if TYPE_CHECKING:
    from .narrative_parts import Chapter, NarrativeContext

MAX_NAMED = 3
"""Agents / channels / categories named in one sentence."""


def _pct(v: Any) -> str:
    return "—" if v is None or v != v else f"{float(v) * 100:.1f}%"


def _limit(step_key: str, limit: float, lang: str) -> str:
    step = next(s for s in STEPS if s.key == step_key)
    unit = step.column.rsplit("_", 1)[-1]
    en, zh = {"s": ("s", "秒"), "min": ("min", "分钟"), "h": ("h", "小时")}[unit]
    return f"≤{limit:g}{zh}" if lang == "zh" else f"≤ {limit:g} {en}"


def _step_name(key: str, lang: str) -> str:
    step = next(s for s in STEPS if s.key == key)
    return step.zh if lang == "zh" else step.en


def _target_sentence(ctx: NarrativeContext, kpi: str, value: Any) -> str:
    t = ctx.an.targets.get(kpi)
    label = kpi_label(kpi, ctx.lang)
    if t is None or t.target is None:
        return ctx.t("{k} is {v}.", "{k}为{v}。", k=label, v=_pct(value))
    pts = f"{abs(float(t.gap)) * 100:.1f}"
    if t.met:
        return ctx.t(
            "{k} is {v}, meeting the {t} target.",
            "{k}为{v}，达到{t}的目标。",
            k=label,
            v=_pct(t.value),
            t=_pct(t.target),
        )
    side = "short of" if t.higher_is_better else "over"
    return ctx.t(
        "{k} is {v}, {g} percentage points " + side + " the {t} target.",
        "{k}为{v}，未达到{t}的目标（相差{g}个百分点）。",
        k=label,
        v=_pct(t.value),
        t=_pct(t.target),
        g=pts,
    )


def _lowest(
    ctx: NarrativeContext, frame: pd.DataFrame, by: str, what: tuple[str, str]
) -> str | None:
    """The lowest process compliance per agent / channel, when there are two at least."""
    if len(frame) < 2:
        return None
    low = frame.head(MAX_NAMED)
    items = [
        ctx.t(
            "{k} {r} ({c} of {n})",
            "{k}为{r}（{n}条中{c}条合规）",
            k=str(r[by]) if by == "agent_id" else choice_label("channel", str(r[by]), ctx.lang),
            r=_pct(r["rate"]),
            c=int(r["compliant"]),
            n=int(r["n"]),
        )
        for r in low.to_dict("records")
        if r["rate"] < 1
    ]
    if not items:
        return None
    return ctx.t(
        "Lowest by {w}: {x}.",
        "{w}合规率最低：{x}。",
        w=ctx.t(*what),
        x=("；" if ctx.zh else "; ").join(items),
    )


def process_chapter(ctx: NarrativeContext) -> Chapter | None:
    """服务流程合规: ``None`` when no contact has a process-step time or a 流程合规 Y/N."""
    from .narrative_parts import Chapter, ChartSpec, Series, Table

    an, lang = ctx.an, ctx.lang
    steps = an.process_steps
    rate = an.headline.get("process_compliance")
    if not len(steps) or rate is None:
        return None
    paras = [_target_sentence(ctx, "process_compliance", rate)]
    late = [c.text.get(lang, "") for c in an.conclusions if c.kind == "process_step" and c.text]
    if late:
        paras.extend(t if t.endswith(("。", ".")) else t + ("。" if ctx.zh else ".") for t in late)
        named = {c.metric for c in an.conclusions if c.kind == "process_step"}
        more = [
            ctx.t(
                "{s} {p} ({k} of {n} late)",
                "{s}{p}（{n}条中{k}条超时）",
                s=_step_name(r["step"], lang),
                p=_pct(1 - r["within"] / r["n"]),
                k=int(r["n"] - r["within"]),
                n=int(r["n"]),
            )
            for r in steps.to_dict("records")
            if r["n"] and r["within"] < r["n"] and r["step"] not in named
        ]
        if more:
            paras.append(
                ctx.t(
                    "Other steps late: {x}.",
                    "其他超时环节：{x}。",
                    x=("，" if ctx.zh else ", ").join(more),
                )
            )
    else:
        paras.append(
            ctx.t(
                "Every step the contacts went through was within its time limit.",
                "各流程环节均在时限内完成。",
            )
        )
    for frame, by, what in (
        (an.process_by_agent, "agent_id", ("agent", "坐席")),
        (an.process_by_channel, "channel", ("channel", "渠道")),
    ):
        s = _lowest(ctx, frame, by, what)
        if s:
            paras.append(s)
    rows, cats, vals = [], [], []
    for r in steps.to_dict("records"):
        n = int(r["n"])
        rows.append(
            [
                _step_name(r["step"], lang),
                _limit(r["step"], float(r["limit"]), lang),
                str(n),
                str(int(r["within"])),
                _pct(r["rate"]) if n else "—",
            ]
        )
        if n:
            cats.append(_step_name(r["step"], lang))
            vals.append(round(float(r["rate"]) * 100, 4))
    table = Table(
        ctx.t("Compliance per process step", "各流程环节合规情况"),
        [
            ctx.t("Step", "环节"),
            ctx.t("Time limit", "时限"),
            ctx.t("Contacts", "适用联系数"),
            ctx.t("Within limit", "时限内"),
            ctx.t("Compliance", "合规率"),
        ],
        rows,
        [False, False, True, True, True],
    )
    tables = [table]
    if len(an.process_by_channel) > 1:
        tables.append(
            Table(
                ctx.t("Process compliance per channel", "各渠道服务流程合规率"),
                [
                    ctx.t("Channel", "渠道"),
                    ctx.t("Contacts", "联系数"),
                    ctx.t("Compliant", "合规"),
                    ctx.t("Compliance", "合规率"),
                ],  # fmt: skip
                [
                    [
                        choice_label("channel", str(r["channel"]), lang),
                        str(int(r["n"])),
                        str(int(r["compliant"])),
                        _pct(r["rate"]),
                    ]  # fmt: skip
                    for r in an.process_by_channel.to_dict("records")
                ],
                [False, True, True, True],
            )
        )
    charts = []
    if cats:
        charts.append(
            ChartSpec(
                "process_steps",
                "bar",
                ctx.t("Compliance per process step (%)", "各流程环节合规率（%）"),
                cats,
                [Series(ctx.t("Compliance", "合规率"), list(vals))],
                unit="%",
                note=ctx.t(
                    "Share of the contacts a step applies to that were within its limit",
                    "适用该环节的联系中在时限内完成的比例",
                ),
            )
        )
    return Chapter(
        "process",
        ctx.t("Service-process compliance", "服务流程合规"),
        paras,
        tables,
        charts,
        message=paras[0],  # the compliance against its target: the slide title
        notes=list(paras),
    )


LEVEL_KPIS = ("composite_score", "fcr", "csat_mean", "qa_score_mean")


def customers_chapter(ctx: NarrativeContext) -> Chapter | None:
    """客户分层与反馈来源: ``None`` without customer levels, feedback sources or complaints."""
    from .narrative_parts import Chapter, ChartSpec, Series, Table, fmt

    an, lang = ctx.an, ctx.lang
    levels = an.customer_levels
    by_cat, by_hour, mystery = an.feedback_by_category, an.feedback_by_hour, an.mystery
    repeat = an.headline.get("repeat_complaint_rate")
    if not (len(levels) or len(by_cat) or len(by_hour) or len(mystery)):
        return None
    paras: list[str] = []
    tables = []
    charts = []
    if len(levels):
        kpis = [k for k in LEVEL_KPIS if k in levels.columns and levels[k].notna().any()]
        rows = [
            [
                choice_label("customer_level", str(r["customer_level"]), lang),
                str(int(r["contacts"])),
            ]
            + [fmt(k, r[k], lang) for k in kpis]
            for r in levels.to_dict("records")
        ]
        tables.append(
            Table(
                ctx.t("Service quality per customer level", "各客户等级服务质量"),
                [ctx.t("Customer level", "客户等级"), ctx.t("Contacts", "联系数")]
                + [kpi_label(k, lang) for k in kpis],
                rows,
                [False, True] + [True] * len(kpis),
            )
        )
        weak = [c.text.get(lang, "") for c in an.conclusions if c.kind == "customer_level"]
        if weak:
            paras.append(weak[0])
        else:
            paras.append(
                ctx.t(
                    "Composite score per customer level: {x}.",
                    "各客户等级综合得分：{x}。",
                    x=("，" if ctx.zh else ", ").join(
                        ctx.t(
                            "{l} {v}",
                            "{l}{v}分",
                            l=choice_label("customer_level", str(r["customer_level"]), lang),
                            v=fmt("composite_score", r.get("composite_score"), lang),
                        )
                        for r in levels.to_dict("records")
                    ),
                )
            )
    if repeat is not None:
        s = _target_sentence(ctx, "repeat_complaint_rate", repeat)
        rc = an.headline.get("repeat_rate")
        if rc is not None:
            s = s[:-1] + ctx.t(" (repeat-contact rate: {v}).", "（重复来电率为{v}）。", v=_pct(rc))
        paras.append(s)
    if len(by_cat) and "complaint" in by_cat.columns:
        top = by_cat[by_cat["complaint"] > 0].head(MAX_NAMED)
        if len(top):
            paras.append(
                ctx.t(
                    "Complaints by problem category: {x}.",
                    "客户投诉按问题类别：{x}。",
                    x=("，" if ctx.zh else ", ").join(
                        ctx.t(
                            "{c} {n}",
                            "{c}{n}条",
                            c=str(r["problem_category"]),
                            n=int(r["complaint"]),
                        )
                        for r in top.to_dict("records")
                    ),
                )
            )
        praise = by_cat[by_cat["praise"] > 0] if "praise" in by_cat.columns else by_cat.iloc[0:0]
        if len(praise):
            r = praise.sort_values("praise", ascending=False, kind="stable").iloc[0]
            paras.append(
                ctx.t(
                    "Most praise: {c} ({n}).",
                    "客户表扬最多的是{c}（{n}条）。",
                    c=str(r["problem_category"]),
                    n=int(r["praise"]),
                )
            )
    if len(by_hour) and "complaint" in by_hour.columns and by_hour["complaint"].sum() > 0:
        peak = by_hour.sort_values("complaint", ascending=False, kind="stable").iloc[0]
        h = int(peak["hour"])
        paras.append(
            ctx.t(
                "Complaints peak at {h}:00-{e}:00 ({n} of {t}).",
                "客户投诉在{h}:00-{e}:00最多（{t}条中{n}条）。",
                h=h,
                e=h + 1,
                n=int(peak["complaint"]),
                t=int(by_hour["complaint"].sum()),
            )
        )
        hours = by_hour.set_index("hour")
        cats = [f"{h}:00" for h in range(24)]
        charts.append(
            ChartSpec(
                "complaints_by_hour",
                "column",
                ctx.t("Complaints and praise by hour", "客户投诉与表扬按时段分布"),
                cats,
                [
                    Series(
                        choice_label("source", s, lang),
                        [
                            float(hours[s].get(h, 0)) if s in hours.columns else 0.0
                            for h in range(24)
                        ],
                    )
                    for s in ("complaint", "praise")
                ],
                note=ctx.t("Contacts by source and hour", "按来源和时段统计的联系数"),
            )
        )
    if len(mystery):
        groups = {r["group"]: r for r in mystery.to_dict("records")}
        m, o = groups.get("mystery_shopper"), groups.get("other")
        if m is not None:
            paras.append(
                ctx.t(
                    "Mystery-shopper contacts scored {v} on {n} contacts (other contacts: {o}).",
                    "神秘客户检查{n}条，综合得分{v}（其他联系为{o}）。",
                    v=fmt("composite_score", m.get("composite_score"), lang),
                    n=int(m.get("contacts") or 0),
                    o=fmt("composite_score", (o or {}).get("composite_score"), lang),
                )
            )
    if not charts and len(levels) and "composite_score" in levels.columns:
        charts.append(
            ChartSpec(
                "customer_levels",
                "bar",
                ctx.t("Composite score per customer level", "各客户等级综合得分"),
                [choice_label("customer_level", str(v), lang) for v in levels["customer_level"]],
                [
                    Series(
                        kpi_label("composite_score", lang),
                        [None if v != v else round(float(v), 4) for v in levels["composite_score"]],
                    )
                ],
            )
        )
    if not paras and not tables:
        return None
    return Chapter(
        "customers",
        ctx.t("Customer levels and feedback sources", "客户分层与反馈来源"),
        paras,
        tables,
        charts,
        message=paras[0] if paras else "",
        notes=list(paras),
    )

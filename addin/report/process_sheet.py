"""The Process & customers sheet (流程与客户, issue 20): process-step compliance (per step,
agent, channel and period; seeds/003) and the customer side (quality per customer level,
repeat complaints, complaints/praise/social media by problem category and hour, mystery
shoppers beside the other contacts; seeds/000, seeds/001)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from udfs.core.analysis import plain
from udfs.core.fields import choice_label
from udfs.core.process import STEPS

from .labels import metric_label, or_no_data
from .layout import Sheet, Writer

_T: dict[str, tuple[str, str]] = {
    "title": ("Service process and customers", "服务流程与客户"),
    "process": ("Process compliance (service-process steps)", "服务流程合规（各步骤时限）"),
    "no_process": (
        "No process-step times or reviewer's Y/N in this period.",
        "本期没有流程步骤用时或质检员的流程合规判定。",
    ),
    "kpi": ("Process compliance", "服务流程合规率"),
    "target": ("Target", "目标"),
    "step": ("Step", "步骤"),
    "limit": ("Limit", "时限"),
    "applies": ("Contacts the step applies to", "适用联系数"),
    "within": ("Within the limit", "时限内"),
    "rate": ("Compliance", "合规率"),
    "by_agent": ("By agent", "按客服"),
    "by_channel": ("By channel", "按渠道"),
    "by_period": ("By period", "按期间"),
    "agent": ("Agent", "客服"),
    "channel": ("Channel", "渠道"),
    "period": ("Period", "期间"),
    "n": ("Contacts judged", "判定联系数"),
    "compliant": ("Compliant", "合规数"),
    "customers": ("Customers", "客户"),
    "repeat_complaint_rate": ("Repeat-complaint rate (30 days)", "投诉重复率（30 天内）"),
    "by_level": ("Quality by customer level", "按客户等级的服务质量"),
    "level": ("Customer level", "客户等级"),
    "no_levels": ("No customer level in this period.", "本期没有客户等级数据。"),
    "feedback": (
        "Complaints, praise and social media by problem category",
        "投诉、表扬与社交媒体反馈：按问题类别",
    ),
    "feedback_hour": (
        "Complaints, praise and social media by hour",
        "投诉、表扬与社交媒体反馈：按时段",
    ),
    "category": ("Problem category", "问题类别"),
    "hour": ("Hour", "时段"),
    "mystery": ("Mystery shoppers beside the other contacts", "神秘客户与其他联系对比"),
    "group": ("Group", "联系类别"),
    "other": ("Other contacts", "其他联系"),
}
_UNITS = {"first_response": ("s", "秒"), "callback": ("h", "小时")}


def _t(key: str, lang: str) -> str:
    en, zh = _T[key]
    return zh if lang == "zh" else en


def _limit(step: str, v: float, lang: str) -> str:
    en, zh = _UNITS.get(step, ("min", "分钟"))
    return f"{v:g} {zh if lang == 'zh' else en}"


def _rate_table(s: Sheet, frame: pd.DataFrame, key: str, head: str, lang: str) -> None:
    if not len(frame):
        return
    s.heading(_t(head, lang))
    s.header([_t(key, lang), _t("n", lang), _t("compliant", lang), _t("rate", lang)])
    for r in frame.to_dict("records"):
        name = r[key if key != "agent" else "agent_id"] if key != "period" else r["period"]
        if key == "channel":
            name = choice_label("channel", str(name), lang)
        s.cells([str(name), plain(r["n"]), plain(r["compliant"]), plain(r["rate"])],
                ["text", "int", "int", "pct"])  # fmt: skip
    s.gap()


def process_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_process", [30, 14, 14, 14, 14, 14, 14])
    s.title(f"{_t('title', lang)} — {an.period or '-'}")
    s.heading(_t("process", lang))
    value = an.headline.get("process_compliance")
    t = an.targets.get("process_compliance")
    s.cells(
        [_t("kpi", lang), or_no_data(value, lang), _t("target", lang), t.target if t else None],
        ["label", "pct" if value is not None else "text", "label", "pct"],
    )
    for c in an.conclusions:
        if c.kind == "process_step" or (c.kind == "target" and c.metric == "process_compliance"):
            s.note(c.text[lang])
    if not len(an.process_steps):
        s.note(_t("no_process", lang))
    else:
        s.gap()
        s.header([_t(k, lang) for k in ("step", "limit", "applies", "within", "rate")])
        for r in an.process_steps.to_dict("records"):
            step = next(x for x in STEPS if x.key == r["step"])
            s.cells(
                [
                    step.zh if lang == "zh" else step.en,
                    _limit(step.key, float(r["limit"]), lang),
                    plain(r["n"]),
                    plain(r["within"]),
                    or_no_data(plain(r["rate"]), lang),
                ],
                ["text", "text", "int", "int", "pct" if r["rate"] is not None else "text"],
            )
        s.gap()
        _rate_table(s, an.process_by_agent, "agent", "by_agent", lang)
        _rate_table(s, an.process_by_channel, "channel", "by_channel", lang)
        trend = (
            an.process_trend.dropna(subset=["rate"]) if len(an.process_trend) else an.process_trend
        )
        if len(trend):
            s.heading(_t("by_period", lang))
            s.header([_t("period", lang), _t("rate", lang)])
            for r in trend.to_dict("records"):
                s.cells([r["period"], plain(r["rate"])], ["text", "pct"])
            s.gap()
    _customers(s, w, lang)


def _customers(s: Sheet, w: Writer, lang: str) -> None:
    an = w.an
    s.gap()
    s.heading(_t("customers", lang))
    for key, name in (
        ("repeat_complaint_rate", _t("repeat_complaint_rate", lang)),
        ("repeat_rate", metric_label("repeat_rate", lang)),
    ):
        v = an.headline.get(key)
        s.cells([name, or_no_data(v, lang)], ["label", "pct" if v is not None else "text"])
    for c in an.conclusions:
        if c.kind == "customer_level" or (
            c.kind == "target" and c.metric == "repeat_complaint_rate"
        ):
            s.note(c.text[lang])
    s.gap()
    s.heading(_t("by_level", lang))
    kpis = ("contacts", "qa_score_mean", "csat_mean", "fcr", "composite_score")
    fmts = ["text", "int", "dec1", "dec2", "pct", "dec1"]
    if not len(an.customer_levels):
        s.note(_t("no_levels", lang))
    else:
        s.header([_t("level", lang), *(metric_label(k, lang, short=True) for k in kpis)])
        for r in an.customer_levels.to_dict("records"):
            s.cells(
                [choice_label("customer_level", str(r["customer_level"]), lang)]
                + [plain(r.get(k)) for k in kpis],
                fmts,
            )
    if len(an.mystery):
        s.gap()
        s.heading(_t("mystery", lang))
        s.header([_t("group", lang), *(metric_label(k, lang, short=True) for k in kpis)])
        for r in an.mystery.to_dict("records"):
            group = (
                choice_label("source", "mystery_shopper", lang)
                if r["group"] == "mystery_shopper"
                else _t("other", lang)
            )
            s.cells([group] + [plain(r.get(k)) for k in kpis], fmts)
    sources = [choice_label("source", k, lang) for k in ("complaint", "praise", "social")]
    for frame, key, head in (
        (an.feedback_by_category, "problem_category", "feedback"),
        (an.feedback_by_hour, "hour", "feedback_hour"),
    ):
        if not len(frame):
            continue
        s.gap()
        s.heading(_t(head, lang))
        s.header([_t("category" if key != "hour" else "hour", lang), *sources])
        for r in frame.to_dict("records"):
            row_name: Any = f"{int(r['hour']):02d}:00" if key == "hour" else r[key]
            s.cells([row_name, *(plain(r[k]) for k in ("complaint", "praise", "social"))],
                    ["text", "int", "int", "int"])  # fmt: skip

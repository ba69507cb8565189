"""The improvement loop's conclusions: an action verified as not met becomes a numbered
finding of kind ``action`` ("措施未达预期，需重新分析原因"), placed after the overdue
actions, so the next *Add actions from findings* drafts a re-analysis item for it."""

from __future__ import annotations

from .conclusions import format_value, redraw_data_quality
from .i18n import Catalog
from .model import Analysis, Conclusion
from .targets import kpi_label

REANALYSE = {
    "zh": "措施未达预期，需重新分析原因",
    "en": "The measure missed its target; re-analyse the cause",
}
"""The recommendation of an action verified as not met (``seeds/000`` 效果验证)."""

_t = Catalog(
    {
        "missed": (
            "Action No. {no} \u201c{measure}\u201d missed its target: {kpi} {after} after it "
            "(n = {n}) against the {target} target, {before} before it.",
            "编号 {no} 措施“{measure}”未达预期：实施后{kpi} {after}（n = {n}），目标 {target}，"
            "实施前 {before}。",
        ),
        "none": ("no data", "无数据"),
    }
)

AFTER_KINDS = ("target", "change", "pareto", "weak_dimension", "below_pass", "overdue")
"""Kinds of conclusion the action findings follow."""


def action_conclusions(an: Analysis) -> list[Conclusion]:
    """One ``action`` conclusion per action verified as not met."""
    e = an.loop.effects
    if not len(e):
        return []
    out = []
    for r in e[e["state"] == "verified_not_met"].to_dict("records"):
        kpi = str(r["metric_key"])

        def fmt(v: object, lang: str, kpi: str = kpi) -> str:
            if v is None or v != v:
                return _t("none", lang)
            return format_value(kpi, float(v), lang)  # type: ignore[arg-type]

        text = {
            lang: _t(
                "missed",
                lang,
                no=r["action_no"],
                measure=r["measure"],
                kpi=kpi_label(kpi, lang, unit=False),
                after=fmt(r["after"], lang),
                n=int(r["after_n"]),
                target=fmt(r["target"], lang),
                before=fmt(r["before"], lang),
            )
            for lang in ("zh", "en")
        }
        out.append(
            Conclusion(
                "action",
                "action",
                r["after"],
                r["target"],
                text,
                dict(REANALYSE),
                None,
            )
        )
    return out


def with_loop_conclusions(an: Analysis, recount: bool) -> list[Conclusion]:
    """``an.conclusions`` with the action findings inserted after the last conclusion of
    :data:`AFTER_KINDS`; ``recount``: the data-quality caveat worded again from the
    current counts (the loop added findings)."""
    base = redraw_data_quality(an, an.library) if recount else list(an.conclusions)
    extra = action_conclusions(an)
    at = 0
    for i, c in enumerate(base):
        if c.kind in AFTER_KINDS:
            at = i + 1
    return base[:at] + extra + base[at:]

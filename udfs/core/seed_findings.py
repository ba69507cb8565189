"""The report's conclusions about process steps and the customer side (issue 20).

Appended to the other conclusions (:mod:`udfs.core.conclusions`) after them: the process
steps most often missed ("回访超时：12.0% 的已解决联系超过 24 小时才回访"), process compliance
and repeat complaints against their targets (gaps in percentage points), the weakest
customer level by composite.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .fields import choice_label
from .model import Analysis, Conclusion
from .process import STEPS
from .targets import kpi_label

MAX_STEPS = 2
"""At most this many late steps are named (the largest shares first)."""

_STEP_TEXT: dict[str, tuple[str, str]] = {
    "first_response": (
        "First response late: {p} of contacts waited more than {limit} s for a first response",
        "首次响应超时：{p} 的联系超过 {limit} 秒才首次响应",
    ),
    "escalation": (
        "Escalation late: {p} of complex issues took more than {limit} min to reach the "
        "departments concerned",
        "协调超时：{p} 的复杂问题超过 {limit} 分钟才协调相关部门",
    ),
    "answer": (
        "Answer late: {p} of contacts waited more than {limit} min for a definite answer",
        "答复超时：{p} 的联系超过 {limit} 分钟才得到明确答复",
    ),
    "update_gap": (
        "Updates late: for {p} of waiting customers the gap between progress updates "
        "exceeded {limit} min",
        "进度反馈超时：{p} 的等待中联系进度反馈间隔超过 {limit} 分钟",
    ),
    "callback": (
        "Call-back late: {p} of resolved contacts were called back after more than {limit} h",
        "回访超时：{p} 的已解决联系超过 {limit} 小时才回访",
    ),
}
_TEXT: dict[str, tuple[str, str]] = {
    "target": (
        "{kpi} {value}, short of the {target} target (by {gap})",
        "{kpi} {value}，未达到目标 {target}（差 {gap}）",
    ),
    "weakest": (
        "Customer level {level} has the lowest composite score, {value} ({n} contacts), "
        "against {best} for {best_level}",
        "{level}客户的综合得分最低，为 {value}（{n} 条），{best_level}客户为 {best}",
    ),
}


def _pct(v: float) -> str:
    return f"{v * 100:.1f}%"


def _num(v: float) -> str:
    return f"{v:g}"


def _both(texts: tuple[str, str], **values: Any) -> dict[str, str]:
    out = {}
    for i, lang in enumerate(("en", "zh")):
        vals = {k: (v(lang) if callable(v) else v) for k, v in values.items()}
        out[lang] = texts[i].format(**vals) + ("。" if lang == "zh" else ".")
    return out


def seed_conclusions(an: Analysis) -> list[Conclusion]:
    """The process-step, process-compliance, repeat-complaint and customer-level findings."""
    out: list[Conclusion] = []
    steps = an.process_steps
    if len(steps):
        late = steps[(steps["n"] > 0) & (steps["within"] < steps["n"])].copy()
        late["late"] = 1 - late["within"] / late["n"]
        for _, r in (
            late.sort_values("late", ascending=False, kind="stable").head(MAX_STEPS).iterrows()
        ):
            step = next(s for s in STEPS if s.key == r["step"])
            text = _both(_STEP_TEXT[step.key], p=_pct(float(r["late"])), limit=_num(r["limit"]))
            out.append(
                Conclusion("process_step", step.key, float(r["late"]), float(r["limit"]), text)
            )
    for kpi in ("process_compliance", "repeat_complaint_rate"):
        t = an.targets.get(kpi)
        if t is None or t.met:
            continue
        text = _both(
            _TEXT["target"],
            kpi=lambda lang, k=kpi: kpi_label(k, lang),
            value=_pct(t.value),
            target=_pct(t.target),
            gap=lambda lang, g=t.gap: (
                f"{abs(g) * 100:.1f} " + ("个百分点" if lang == "zh" else "percentage points")
            ),
        )
        out.append(Conclusion("target", kpi, t.value, t.target, text))
    if an.weakest_level is not None:
        levels = an.customer_levels.dropna(subset=["composite_score"])
        weak = levels[levels["customer_level"] == an.weakest_level].iloc[0]
        best = levels.sort_values("composite_score", ascending=False).iloc[0]
        text = _both(
            _TEXT["weakest"],
            level=lambda lang: choice_label("customer_level", an.weakest_level or "", lang),
            best_level=lambda lang: choice_label(
                "customer_level", str(best["customer_level"]), lang
            ),
            value=f"{float(weak['composite_score']):.1f}",
            best=f"{float(best['composite_score']):.1f}",
            n=int(weak["contacts"]),
        )
        out.append(
            Conclusion(
                "customer_level",
                an.weakest_level,
                float(weak["composite_score"]),
                float(best["composite_score"]),
                text,
            )
        )
    return out


def level_rows(levels: pd.DataFrame) -> pd.DataFrame:
    """The per-level table in the Config list's order (VIP, 普通, 新客, then typed ones)."""
    from .fields import choice_order

    if not len(levels):
        return levels
    order = choice_order("customer_level")
    key = levels["customer_level"].map(lambda v: order.get(v, len(order)))
    return levels.assign(_o=key).sort_values(["_o", "customer_level"]).drop(columns="_o")

"""Conclusions against the ``--compare`` baseline period ("较上半年提升5.2个百分点").

:func:`compare_conclusions` words the composite score's change against the baseline and
the largest other moves (the KPIs of :data:`udfs.core.conclusions.CHANGE_KPIS`, at least
:data:`~udfs.core.conclusions.MIN_MOVE`), rates in percentage points, in both languages.
They are appended to the report's numbered conclusions with kind ``compare``.
"""

from __future__ import annotations

from typing import Any

from .conclusions import CHANGE_KPIS, MIN_MOVE, format_value
from .model import Conclusion
from .periods import Period
from .targets import RATE_KPIS, kpi_label

MAX_COMPARE = 3
"""At most this many compare conclusions (the composite first)."""

_WORDS = {
    # (zh up, zh down, en up, en down)
    "time": ("延长", "缩短", "longer", "shorter"),
    "other": ("提升", "下降", "up", "down"),
}


def _text(m: str, v: float, b: float, period: Period, lang: str) -> str:
    d = v - b
    kind = "time" if m.endswith(("_s", "_h")) else "other"
    zh_up, zh_down, en_up, en_down = _WORDS[kind]
    if m in RATE_KPIS:
        pp = f"{abs(d) * 100:.1f}"
        gap = f"{pp}个百分点" if lang == "zh" else f"{pp} percentage points"
    else:
        gap = format_value(m, abs(d), lang)
    name = kpi_label(m, lang, unit=False)
    arrow = f"{format_value(m, b, lang)} → {format_value(m, v, lang)}"
    if lang == "zh":
        if m == "composite_score":
            gap += "分"
        word = zh_up if d > 0 else zh_down
        if d == 0:
            return f"{name}与{period.text(lang)}持平（{arrow}）。"
        return f"{name}较{period.text(lang)}{word}{gap}（{arrow}）。"
    if m == "composite_score":
        gap += " points"
    if d == 0:
        return f"{name} unchanged against {period.text(lang)} ({arrow})."
    if kind == "time":
        word = f"{gap} {en_up if d > 0 else en_down}"
    else:
        word = f"{en_up if d > 0 else en_down} {gap}"
    return (
        f"{name} {word} than in {period.text(lang)} ({arrow})."
        if kind == "time"
        else (f"{name} {word} against {period.text(lang)} ({arrow}).")
    )


def compare_conclusions(
    headline: dict[str, Any], compare: dict[str, Any] | None, period: Period | None
) -> list[Conclusion]:
    """The composite's change against the baseline and the largest other moves."""
    if compare is None or period is None:
        return []
    moves = []
    for m in CHANGE_KPIS:
        v, b = headline.get(m), compare.get(m)
        if v is None or b is None:
            continue
        d = float(v) - float(b)
        size = abs(d) if m in RATE_KPIS else abs(d) / (abs(float(b)) or 1.0)
        if m == "composite_score":
            size = float("inf")  # always cited first
        elif size < MIN_MOVE:
            continue
        moves.append((size, m, float(v), float(b)))
    moves.sort(key=lambda x: x[0], reverse=True)
    out = []
    for _, m, v, b in moves[:MAX_COMPARE]:
        text = {lang: _text(m, v, b, period, lang) for lang in ("zh", "en")}
        out.append(Conclusion("compare", m, v, b, text))
    return out

"""The Findings sheet (发现与建议): the analysis's numbered findings, each with its
recommendation, right after the Overview (the template's 问题总结 and 改进建议)."""

from __future__ import annotations

from .labels import label
from .layout import Sheet, Writer


def conclusions_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_findings", [6, 70, 62])
    s.title(f"{label('fd_title', lang)} — {an.period or '-'}")
    s.note(label("fd_note", lang))
    s.gap()
    if not an.conclusions:
        s.note(label("fd_none", lang))
        return
    s.header([label("fd_no", lang), label("fd_finding", lang), label("fd_rec", lang)], True)
    for n, f in enumerate(an.conclusions, start=1):
        s.cells([n, f.text[lang], f.recommendation.get(lang)], ["int", "wrap", "wrap"])

"""The Findings sheet (发现与建议): the analysis's numbered findings, each with its
recommendation, right after the Overview (the template's 问题总结 and 改进建议).  The
executive summary above them and the prioritised, deduplicated recommendations below them
are the narrative's (:mod:`udfs.core.narrative`), the same texts as the Word report's and
``summary.json``'s ``narrative``."""

from __future__ import annotations

import math

from udfs.core.narrative import narrative_for

from .labels import label
from .layout import Sheet, Writer


def conclusions_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_findings", [6, 70, 62])
    s.title(f"{label('fd_title', lang)} — {an.period or '-'}")
    s.note(label("fd_note", lang))
    s.gap()
    story = narrative_for(an, lang, w.info)
    s.heading(label("fd_summary", lang))
    for sentence in [*story.summary, *([story.characterisation] if story.characterisation else [])]:
        paragraph(s, sentence)
    s.gap()
    if story.recommendations:
        s.heading(label("fd_priorities", lang))
        s.header([label("fd_no", lang), label("fd_rec", lang), label("fd_owner", lang)])
        for n, r in enumerate(story.recommendations, start=1):
            owner = r.owner + (f" {r.planned}" if r.planned else "")
            s.cells([n, r.text, owner], ["int", "wrap", "wrap"])
        s.gap()
    if not an.conclusions:
        s.note(label("fd_none", lang))
        return
    s.header([label("fd_no", lang), label("fd_finding", lang), label("fd_rec", lang)], True)
    # one recommendation, printed once beside the first finding it answers, with the others
    answers: dict[str, list[int]] = {}
    for n, f in enumerate(an.conclusions, start=1):
        rec = f.recommendation.get(lang)
        if rec:
            answers.setdefault(rec, []).append(n)
    sep = "、" if lang == "zh" else ", "
    for n, f in enumerate(an.conclusions, start=1):
        rec = f.recommendation.get(lang)
        if rec and answers[rec][0] != n:
            rec = label("fd_same_rec", lang, n=answers[rec][0])
        elif rec and len(answers[rec]) > 1:
            nos = sep.join(str(i) for i in answers[rec])
            rec = f"{rec}\n{label('fd_answers', lang, nos=nos)}"
        s.cells([n, f.text[lang], rec], ["int", "wrap", "wrap"])


def paragraph(s: Sheet, text: str) -> None:
    """One sentence across the sheet's three columns, wrapped, its row as tall as its
    lines (CJK characters count two units)."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    lines = math.ceil(units / (sum(s.widths) * 0.95))
    s.ws.set_row(s.row, 15 * max(1, lines))
    s.ws.merge_range(s.row, 0, s.row, 2, text, s.w.f["wrap"])
    s.row += 1

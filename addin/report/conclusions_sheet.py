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

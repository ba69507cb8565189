"""The meeting deck, ``<name>.report.pptx``, for the quality meeting (质量分析会): the
narrative (:mod:`udfs.core.narrative`) as 16:9 slides with python-pptx.

One message per slide, the message as the slide title (seed 004's pages): a title slide,
现状概述 (the executive summary), 关键指标 (KPIs against targets, the CSAT trend), 问题分类
(the Pareto and its pie), 现状总结与改进方向 (characterisation, strengths, directions),
then one slide per further narrative chapter (typical cases and any chapter later work
registers), and actions and next steps.  Charts are native, editable PowerPoint charts;
the speaker notes hold the supporting figures.  This module only lays out.  Imported only
when a pptx is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Pt

from udfs.core.model import Analysis
from udfs.core.narrative import Chapter, ChartSpec, Narrative, Table
from workbook_templates.output import atomic_path

from .office_charts import EAST_ASIAN_FONT, chart_data, chart_type, style_chart

IN = 914400
"""EMU per inch: every position and size below is a whole number of EMU."""
W, H = int(13.333 * IN), int(7.5 * IN)
MARGIN = IN // 2
TOP, BODY_H = int(1.9 * IN), int(4.8 * IN)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)
MAX_TABLE_ROWS = 8
WIDE_TABLE = 7
"""A chapter table with more columns takes the slide's full width (the team comparison)."""

LABELS = {
    # key: (English, 简体中文): the small label above each slide's message
    "overview": ("Where we stand", "现状概述"),
    "kpis": ("Key indicators", "关键指标"),
    "problems": ("Problems by type", "问题分类"),
    "direction": ("Summary and direction", "现状总结与改进方向"),
    "actions": ("Actions and next steps", "改进行动与下一步"),
    "strengths": ("Strengths", "优势"),
    "gaps": ("Gaps", "不足"),
}


def _l(key: str, lang: str) -> str:
    en, zh = LABELS[key]
    return zh if lang == "zh" else en


def write_pptx(n: Narrative, an: Analysis, out_path: str | os.PathLike[str]) -> Path:
    """Write the deck atomically; returns ``out_path``."""
    out_path = Path(out_path)
    prs = build_deck(n, an)
    with atomic_path(out_path) as tmp:
        prs.save(str(tmp))
    return out_path


def build_deck(n: Narrative, an: Analysis) -> Any:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(W), Emu(H)
    lang = n.lang
    _title_slide(prs, n, an)
    overall, problems = n.chapter("overall"), n.chapter("problems")
    # 现状概述
    s = _slide(prs, _l("overview", lang), n.messages.get("overview") or n.title)
    _bullets(s, n.summary[1:] or n.summary, MARGIN, TOP, W - 2 * MARGIN, BODY_H)
    _notes(s, n.summary + ([n.scope] if n.scope else []))
    # 关键指标
    if overall is not None:
        s = _slide(prs, _l("kpis", lang), n.messages.get("kpis") or overall.message)
        half = (W - 3 * MARGIN) // 2
        if overall.tables:
            _table(s, overall.tables[0], MARGIN, TOP, half, BODY_H)
        if overall.charts:
            _chart(s, overall.charts[0], lang, MARGIN * 2 + half, TOP, half, BODY_H)
        _notes(s, overall.paragraphs + overall.notes)
    # 问题分类
    if problems is not None:
        s = _slide(prs, _l("problems", lang), n.messages.get("problems") or problems.message)
        half = (W - 3 * MARGIN) // 2
        charts = {c.key: c for c in problems.charts}
        first = charts.get("pareto")
        second = charts.get("problem_types")
        if first is not None:
            _chart(s, first, lang, MARGIN, TOP, half, BODY_H)
        if second is not None:
            _chart(s, second, lang, MARGIN * 2 + half, TOP, half, BODY_H)
        if first is None and second is None:
            _bullets(s, problems.paragraphs, MARGIN, TOP, W - 2 * MARGIN, BODY_H)
        _notes(s, problems.paragraphs + problems.notes)
    # 现状总结与改进方向
    s = _slide(prs, _l("direction", lang), n.messages.get("direction") or "")
    half = (W - 3 * MARGIN) // 2
    if n.strengths:
        _bullets(s, n.strengths[:4], MARGIN, TOP, half, BODY_H, _l("strengths", lang))
    else:  # nothing to praise yet: the gaps
        _bullets(s, n.weaknesses[:4] or ["—"], MARGIN, TOP, half, BODY_H, _l("gaps", lang))
    directions = [r.text for r in n.recommendations[:3]]
    label = "改进方向" if lang == "zh" else "Directions"
    _bullets(s, directions or ["—"], MARGIN * 2 + half, TOP, half, BODY_H, label)
    _notes(s, ([n.characterisation] if n.characterisation else []) + n.weaknesses)
    # the other chapters, one slide each
    shown = {"overview", "overall", "problems", "recommendations", "actions"}
    for ch in n.chapters:
        if ch.key in shown:
            continue
        _chapter_slide(prs, ch, lang)
    # actions and next steps
    rec = n.chapter("recommendations")
    if rec is not None:
        s = _slide(prs, _l("actions", lang), n.messages.get("actions") or rec.message)
        if rec.tables:
            _table(s, rec.tables[0], MARGIN, TOP, W - 2 * MARGIN, BODY_H)
        else:
            _bullets(s, rec.paragraphs, MARGIN, TOP, W - 2 * MARGIN, BODY_H)
        _notes(s, rec.paragraphs)
    act = n.chapter("actions")  # issue 21: the actions' re-measured states and effects
    if act is not None:
        _actions_slide(prs, act, lang)
    return prs


def _actions_slide(prs: Any, ch: Chapter, lang: str) -> None:
    """The actions with before -> after (n) and state; the effect chart beside them."""
    s = _slide(prs, ch.title, ch.message)
    if ch.charts:
        wide = (W - 3 * MARGIN) * 7 // 10
        _table(s, ch.tables[0], MARGIN, TOP, wide, BODY_H, 12)
        _chart(s, ch.charts[0], lang, MARGIN * 2 + wide, TOP, W - 3 * MARGIN - wide, BODY_H)
    elif ch.tables:
        _table(s, ch.tables[0], MARGIN, TOP, W - 2 * MARGIN, BODY_H, 12)
    _notes(s, ch.paragraphs)


def _chapter_slide(prs: Any, ch: Chapter, lang: str) -> None:
    s = _slide(prs, ch.title, ch.message or (ch.paragraphs[0] if ch.paragraphs else ch.title))
    top, height = TOP, BODY_H
    if ch.tables and len(ch.tables[0].columns) > WIDE_TABLE:  # a wide table: the full width
        _table(s, ch.tables[0], MARGIN, top, W - 2 * MARGIN, height)
        used = int(0.45 * IN) * (min(len(ch.tables[0].rows), MAX_TABLE_ROWS) + 1)
        if ch.charts and height - used >= 2 * IN:  # the chart below, when it fits
            _chart(s, ch.charts[0], lang, MARGIN, top + used, W - 2 * MARGIN, height - used)
    elif ch.charts:
        half = (W - 3 * MARGIN) // 2
        if ch.tables:
            _table(s, ch.tables[0], MARGIN, top, half, height)
        else:
            _bullets(s, ch.paragraphs, MARGIN, top, half, height)
        _chart(s, ch.charts[0], lang, MARGIN * 2 + half, top, half, height)
    elif ch.tables and not ch.paragraphs:
        _table(s, ch.tables[0], MARGIN, top, W - 2 * MARGIN, height)
    else:
        _bullets(s, ch.paragraphs, MARGIN, top, W - 2 * MARGIN, height)
    _notes(s, ch.paragraphs + ch.notes)


def _blank(prs: Any) -> Any:
    return prs.slides.add_slide(prs.slide_layouts[6])


def _text(
    shape: Any, text: str, size: int, bold: bool = False, color: RGBColor | None = None
) -> None:
    tf = shape.text_frame
    tf.word_wrap = True
    tf.text = text
    for p in tf.paragraphs:
        for r in p.runs:
            _font(r, size, bold, color)


def _font(run: Any, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._r.get_or_add_rPr()
    from pptx.oxml.ns import qn

    if rpr.find(qn("a:ea")) is None:
        rpr.append(rpr.makeelement(qn("a:ea"), {"typeface": EAST_ASIAN_FONT}))


def _title_slide(prs: Any, n: Narrative, an: Analysis) -> None:
    s = _blank(prs)
    box = s.shapes.add_textbox(MARGIN, int(2.4 * IN), W - 2 * MARGIN, int(1.6 * IN))
    _text(box, n.title, 36, True, ACCENT)
    sub = " · ".join(x for x in (n.subtitle, an.as_of.isoformat()) if x)
    box = s.shapes.add_textbox(MARGIN, int(4.2 * IN), W - 2 * MARGIN, int(0.8 * IN))
    _text(box, sub, 18, False, GREY)
    if n.scope:  # what the deck covers: a special evaluation, a department's teams
        box = s.shapes.add_textbox(MARGIN, int(5.0 * IN), W - 2 * MARGIN, int(1.0 * IN))
        _text(box, n.scope, 14, False, GREY)
    _notes(s, [n.scope])


def _slide(prs: Any, label: str, message: str) -> Any:
    s = _blank(prs)
    box = s.shapes.add_textbox(MARGIN, int(0.3 * IN), W - 2 * MARGIN, int(0.4 * IN))
    _text(box, label, 14, True, GREY)
    box = s.shapes.add_textbox(MARGIN, int(0.7 * IN), W - 2 * MARGIN, int(1.1 * IN))
    size = 24 if len(message) <= 60 else (20 if len(message) <= 110 else 16)
    _text(box, message, size, True, ACCENT)
    return s


def _bullets(
    s: Any, items: list[str], x: int, y: int, w: int, h: int, head: str | None = None
) -> None:
    box = s.shapes.add_textbox(x, y, w, h)
    tf = box.text_frame
    tf.word_wrap = True
    first = True
    total = sum(len(i) for i in items)
    size = 16 if total < 300 else (14 if total < 600 else 12)
    if head:
        tf.text = head
        _font(tf.paragraphs[0].runs[0], size + 2, True, ACCENT)
        first = False
    for item in items:
        p = tf.paragraphs[0] if first else tf.add_paragraph()
        first = False
        r = p.add_run()
        r.text = "• " + item
        _font(r, size)
        p.space_after = Pt(6)


def _table(
    s: Any, tb: Table, x: int, y: int, w: int, h: int, max_rows: int = MAX_TABLE_ROWS
) -> None:
    rows = tb.rows[:max_rows]
    shape = s.shapes.add_table(
        len(rows) + 1, len(tb.columns), x, y, w, int(0.35 * IN) * (len(rows) + 1)
    )
    t = shape.table
    size = 12 if len(tb.columns) <= 5 else 10
    for i, c in enumerate(tb.columns):
        t.cell(0, i).text = c
    for r, row in enumerate(rows, 1):
        for i, v in enumerate(row):
            t.cell(r, i).text = v
    for r in range(len(rows) + 1):
        for i in range(len(tb.columns)):
            for p in t.cell(r, i).text_frame.paragraphs:
                for run in p.runs:
                    _font(run, size, r == 0)
    weights = []
    for i, c in enumerate(tb.columns):
        cells = [c] + [r[i] for r in rows if i < len(r)]
        longest = max(_units(t) for t in cells)
        word = max(_units(x) for t in cells for x in (t.split() or [""]))  # never broken
        weights.append(max(min(longest, 40), min(word, 20), 7) + 2)
    for i, wt in enumerate(weights):
        t.columns[i].width = int(w * wt / sum(weights))


def _units(text: str) -> int:
    """A text's width in Latin characters (a Chinese character counts two)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _chart(s: Any, spec: ChartSpec, lang: str, x: int, y: int, w: int, h: int) -> None:
    gf = s.shapes.add_chart(chart_type(spec), x, y, w, h, chart_data(spec))
    style_chart(gf.chart, spec, lang)


def _notes(s: Any, lines: list[str]) -> None:
    s.notes_slide.notes_text_frame.text = "\n".join(x for x in lines if x)

"""The Word report, ``<name>.report.docx``: the narrative (:mod:`udfs.core.narrative`) laid
out with python-docx for a QA lead to edit before sending.

A4 portrait; a cover (title with team and period, organisation from the Config sheet,
date, CSQ version), a table-of-contents field (Word fills it on opening; the chapter titles
stand in until then), the executive summary, then one chapter per narrative chapter in the
real ``Heading 1``/``Heading 2`` styles, tables in a Word table style, native Word charts
(python-pptx's chart XML as a chart part with its data embedded: right-click, Edit Data)
and page numbers in the footer.  This module only lays out: every sentence and figure
comes from the narrative.  Imported only when a docx is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Mm, Pt, RGBColor

from udfs import __version__
from udfs.core.model import Analysis
from udfs.core.narrative import ChartSpec, Narrative, Table
from workbook_templates.output import atomic_path

from .office_charts import chart_part_xml

TABLE_STYLE = "Light Grid Accent 1"
EAST_ASIAN_FONT = "Microsoft YaHei"
"""Chinese text's font (Windows, Office for Mac; LibreOffice substitutes its CJK font)."""
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_W, CHART_H = Cm(15.5), Cm(7.5)
TEXT_TWIPS = 166 * 1440 * 10 // 254
"""The text width (A4 less 22 mm margins) in twips."""

TEXT = {
    # key: (English, 简体中文)
    "contents": ("Contents", "目录"),
    "toc_hint": (
        "(right-click and choose Update Field to refresh)",
        "（右键单击并选择“更新域”可刷新目录）",
    ),
    "summary": ("Executive summary", "执行摘要"),
    "characterisation": ("Characterisation", "总体特征"),
    "strengths": ("Strengths", "优势"),
    "date": ("Date: {d}", "报告日期：{d}"),
    "made_by": ("Written by CSQ {v} from {src}", "由 CSQ {v} 根据 {src} 生成"),
    "page": ("Page ", "第 "),
    "page_end": ("", " 页"),
}
NUMERALS = "一二三四五六七八九十"


def _t(key: str, lang: str, **v: Any) -> str:
    en, zh = TEXT[key]
    return (zh if lang == "zh" else en).format(**v)


def write_docx(n: Narrative, an: Analysis, out_path: str | os.PathLike[str]) -> Path:
    """Write the Word report atomically; returns ``out_path``."""
    out_path = Path(out_path)
    doc = build_document(n, an)
    with atomic_path(out_path) as tmp:
        doc.save(str(tmp))
    return out_path


def build_document(n: Narrative, an: Analysis) -> Any:
    doc = Document()
    lang = n.lang
    _page_setup(doc)
    _fonts(doc)
    _cover(doc, n, an)
    _toc(doc, n)
    doc.add_heading(_t("summary", lang), level=1)
    for s in n.summary:
        doc.add_paragraph(s)
    if n.characterisation:
        doc.add_heading(_t("characterisation", lang), level=2)
        doc.add_paragraph(n.characterisation)
    if n.strengths:
        doc.add_heading(_t("strengths", lang), level=2)
        bullet = _style(doc, "List Bullet")
        for s in n.strengths:
            doc.add_paragraph(s, style=bullet)
    charts = 0
    for i, ch in enumerate(n.chapters):
        doc.add_heading(_chapter_title(i, ch.title, lang), level=1)
        for p in ch.paragraphs:
            doc.add_paragraph(p)
        for tb in ch.tables:
            _table(doc, tb)
        for spec in ch.charts:
            charts += 1
            _chart(doc, spec, lang, charts)
    _footer(doc, lang)
    _update_fields_on_open(doc)
    return doc


def _chapter_title(i: int, title: str, lang: str) -> str:
    if lang == "zh":
        return f"{_zh_number(i + 1)}、{title}"
    return f"{i + 1}. {title}"


def _zh_number(n: int) -> str:
    """1-99 in Chinese numerals (十一, 二十); larger numbers in digits."""
    if n < 1 or n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens - 1] + "十")
    return head + (NUMERALS[ones - 1] if ones else "")


def _page_setup(doc: Any) -> None:
    for s in doc.sections:
        s.orientation = WD_ORIENT.PORTRAIT
        s.page_width, s.page_height = Mm(210), Mm(297)
        s.left_margin = s.right_margin = Mm(22)
        s.top_margin = s.bottom_margin = Mm(22)


def _fonts(doc: Any) -> None:
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet"):
        st = doc.styles[name]
        rpr = st.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
            rpr.insert(0, fonts)
        fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        fonts.set(qn("w:ascii"), "Calibri")
        fonts.set(qn("w:hAnsi"), "Calibri")
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.styles["Normal"].paragraph_format.space_after = Pt(6)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.25


def _cover(doc: Any, n: Narrative, an: Analysis) -> None:
    for _ in range(6):
        doc.add_paragraph()
    title = doc.add_paragraph(n.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if n.subtitle:
        sub = doc.add_paragraph(n.subtitle, style="Subtitle")
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if n.scope:  # what the report covers: a special evaluation, a department's teams
        doc.add_paragraph(n.scope).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph()
    for line in (
        _t("date", n.lang, d=an.as_of.isoformat()),
        _t("made_by", n.lang, v=__version__, src=Path(an.source).name),
    ):
        p = doc.add_paragraph(line)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for r in p.runs:
            r.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _toc(doc: Any, n: Narrative) -> None:
    """A TOC field whose shown result lists the chapters until Word updates it."""
    lang = n.lang
    h = doc.add_paragraph(
        _t("contents", lang), style=_style(doc, "TOC Heading") or _style(doc, "Heading 1")
    )
    h.paragraph_format.keep_with_next = True
    p = doc.add_paragraph()
    run = p.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin" w:dirty="true"/>'))
    run = p.add_run()
    instr = parse_xml(
        f'<w:instrText {nsdecls("w")} xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText>'
    )
    run._r.append(instr)
    run = p.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    titles = [_t("summary", lang)] + [
        _chapter_title(i, c.title, lang) for i, c in enumerate(n.chapters)
    ]
    for i, t in enumerate(titles):
        r = p.add_run(t)
        if i < len(titles) - 1:
            r.add_break()
    run = p.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
    hint = doc.add_paragraph(_t("toc_hint", lang))
    for r in hint.runs:
        r.font.size = Pt(8)
        r.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _table(doc: Any, tb: Table) -> None:
    """A table in the Word table style, its header row repeated on every page, no row
    split across pages, short tables kept on one page; written as one XML fragment
    (python-docx's cell by cell API costs a second on the report's tables)."""
    from xml.sax.saxutils import escape

    if tb.title:
        cap = doc.add_paragraph(tb.title, style=_style(doc, "Caption"))
        cap.paragraph_format.keep_with_next = True
    widths = _widths(tb)
    style_id = doc.styles[TABLE_STYLE].style_id
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    rows = [tb.columns, *tb.rows]
    last = len(rows) - 1
    body = []
    for k, row in enumerate(rows):
        tr = ["<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if k == 0 else "") + "</w:trPr>"]
        # the header never stands alone at a page foot; a short table stays on one page
        keep = "<w:keepNext/>" if k == 0 or (last <= 8 and k < last) else ""
        for i, w in enumerate(widths):
            text = row[i] if i < len(row) else ""
            right = k > 0 and i < len(tb.numeric) and tb.numeric[i]
            jc = '<w:jc w:val="right"/>' if right else ""
            tr.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr><w:p><w:pPr>{keep}'
                f'<w:spacing w:after="0"/>{jc}</w:pPr><w:r><w:rPr><w:sz w:val="18"/></w:rPr>'
                f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'
            )
        tr.append("</w:tr>")
        body.append("".join(tr))
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{style_id}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
        'w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"
    )
    tbl = parse_xml(xml)
    sect = doc.element.body.sectPr
    if sect is not None:  # the section properties stay the body's last child
        sect.addprevious(tbl)
    else:
        doc.element.body.append(tbl)
    doc.add_paragraph()


def _widths(tb: Table) -> list[int]:
    """Column widths (twips) in proportion to their longest text (Chinese characters
    count double), within the text width."""

    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    weights = []
    for i, c in enumerate(tb.columns):
        cells = [c] + [r[i] for r in tb.rows if i < len(r)]
        longest = max(width(t) for t in cells)
        word = max(width(w) for t in cells for w in (t.split() or [""]))  # never broken
        weights.append(max(min(longest, 44), word if word < 24 else 24) + 3)
    total = sum(weights)
    return [int(TEXT_TWIPS * w / total) for w in weights]


def _style(doc: Any, name: str) -> Any:
    """The style ``name`` when the template has it, else None (Normal)."""
    try:
        return doc.styles[name]
    except KeyError:
        return None


def _chart(doc: Any, spec: ChartSpec, lang: str, no: int) -> None:
    """A native Word chart: a chart part (with its workbook) inline in a paragraph."""
    xml, xlsx = chart_part_xml(spec, lang)
    package = doc.part.package
    chart_part = Part(PackURI(f"/word/charts/chart{no}.xml"), CHART_CT, b"", package)
    xlsx_part = Part(
        PackURI(f"/word/embeddings/Microsoft_Excel_Sheet{no}.xlsx"), XLSX_CT, xlsx, package
    )
    x_rid = chart_part.relate_to(xlsx_part, RT.PACKAGE)
    from lxml import etree

    root = etree.fromstring(xml)
    c_ns = "http://schemas.openxmlformats.org/drawingml/2006/chart"
    r_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ext = etree.SubElement(root, f"{{{c_ns}}}externalData", nsmap={"r": r_ns})
    ext.set(f"{{{r_ns}}}id", x_rid)
    etree.SubElement(ext, f"{{{c_ns}}}autoUpdate").set("val", "0")
    chart_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    rid = doc.part.relate_to(chart_part, RT.CHART)
    cx, cy = int(Emu(CHART_W)), int(Emu(CHART_H))
    inline = parse_xml(
        f'<wp:inline {nsdecls("wp", "a", "r")} distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{1000 + no}" name="Chart {no}"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f'<c:chart xmlns:c="{c_ns}" r:id="{rid}"/>'
        "</a:graphicData></a:graphic></wp:inline>"
    )
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    drawing = parse_xml(f"<w:drawing {nsdecls('w')}/>")
    drawing.append(inline)
    p.add_run()._r.append(drawing)
    if spec.note:
        note = doc.add_paragraph(spec.note)
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for r in note.runs:
            r.font.size = Pt(8)
            r.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _footer(doc: Any, lang: str) -> None:
    for s in doc.sections:
        p = s.footer.paragraphs[0] if s.footer.paragraphs else s.footer.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(_t("page", lang))
        r = p.add_run()
        r._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
        r = p.add_run()
        r._r.append(
            parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>')
        )
        r = p.add_run()
        r._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
        p.add_run("1")
        r = p.add_run()
        r._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
        if _t("page_end", lang):
            p.add_run(_t("page_end", lang))


def _update_fields_on_open(doc: Any) -> None:
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        settings.append(parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))

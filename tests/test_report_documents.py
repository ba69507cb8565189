"""The Word report and the meeting deck (issue 18): every number they print is one of
summary.json's figures, the docx follows seed 000's outline, the deck's charts are chart
parts holding the analysis's series, formats come from --format or the Config cell, and a
format that cannot be written leaves no partial file."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from addin import cli

AS_OF = "2026-12-06"
OUTLINE = {
    "zh": ["执行摘要", "一、监测概况", "二、整体评分", "三、分项指标分析", "四、典型案例",
           "五、问题总结", "六、改进建议", "七、改进措施跟踪与效果验证"],
    "en": ["Executive summary", "1. Scope of the monitoring", "2. Overall score",
           "3. Indicators by group", "4. Typical cases", "5. Problems and causes",
           "6. Recommendations", "7. Action tracking and effects"],
}  # fmt: skip
NUMBER = re.compile(r"(?<![\w.])[-+±]?\d+(?:\.\d+)?")


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = cli.main(list(args))
    return rc, out.getvalue()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from addin.jobs.demo_data import demo_data
    from workbook_templates.builder import build_workbook

    folder = tmp_path_factory.mktemp("demo")
    team = demo_data(seed=7, lang="zh", as_of=dt.date.fromisoformat(AS_OF))[0]
    book = folder / "team.xlsx"
    build_workbook(
        book,
        lang="zh",
        monitoring=team.monitoring,
        problems=team.problems,
        actions=team.actions,
        as_of=dt.date.fromisoformat(AS_OF),
    )
    return book


@pytest.fixture(scope="module", params=["zh", "en"])
def written(request: pytest.FixtureRequest, demo: Path, tmp_path_factory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp(f"out-{request.param}")
    rc, text = _run("report", str(demo), "-o", str(out), "--as-of", AS_OF,
                    "--lang", request.param, "--format", "xlsx,docx,pptx")  # fmt: skip
    assert rc == 0, text
    for suffix in (".report.xlsx", ".report.docx", ".report.pptx", ".summary.json"):
        assert (out / f"team{suffix}").is_file()
        assert str(out / f"team{suffix}") in text  # every file written is named
    return request.param, out


def _allowed(summary: dict) -> set[str]:
    """Every way a figure of summary.json may be printed: as is, per cent, rounded to 0-2
    decimals, its absolute value; differences between consecutive periods; the digits
    of its dates; small counts and numbering."""
    values: list[float] = []
    texts: list[str] = []

    def walk(v: object, key: str = "") -> None:
        if key == "narrative" and isinstance(v, dict):  # the wording itself: not a source
            for r in v.get("recommendations", []):
                texts.append(str(r.get("planned_date") or ""))
            return
        if isinstance(v, bool) or v is None:
            return
        if isinstance(v, (int, float)):
            values.append(float(v))
        elif isinstance(v, str):
            texts.append(v)
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(x, k)
        elif isinstance(v, list):
            for x in v:
                walk(x, key)

    walk(summary)
    periods = summary["periods"]
    for a, b in zip(periods, periods[1:], strict=False):
        for k, v in b.items():
            if isinstance(v, (int, float)) and isinstance(a.get(k), (int, float)):
                values.append(float(v) - float(a[k]))
    values.append(float(sum(a.get("scored") or 0 for a in summary["agents"])))  # scored
    out = {str(i) for i in range(0, 11)} | {"0.667"}
    for v in values:
        for x in (v, v * 100):
            for d in (0, 1, 2):
                out.add(f"{x:.{d}f}")
                out.add(f"{abs(x):.{d}f}")
    for t in texts:
        for m in NUMBER.findall(t):
            out.add(m.lstrip("-+"))
            out.add(m.lstrip("-+").lstrip("0") or "0")
    return out


def _numbers(text: str) -> list[str]:
    return [m.lstrip("-+±") for m in NUMBER.findall(text.replace("，", " "))]


def _docx_texts(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    import docx

    d = docx.Document(str(path))
    paras = [(p.style.name, p.text) for p in d.paragraphs]
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return paras, cells


def test_docx_headings_follow_the_outline(written: tuple[str, Path]) -> None:
    lang, out = written
    paras, _ = _docx_texts(out / "team.report.docx")
    assert [t for s, t in paras if s == "Heading 1"] == OUTLINE[lang]


def test_every_number_in_the_docx_and_pptx_is_a_figure_of_the_summary(
    written: tuple[str, Path],
) -> None:
    lang, out = written
    summary = json.loads((out / "team.summary.json").read_text(encoding="utf-8"))
    allowed = _allowed(summary)
    paras, cells = _docx_texts(out / "team.report.docx")
    texts, in_cases = [], False
    for style, t in paras:
        if style == "Heading 1":  # the typical cases quote contacts, not summary figures
            in_cases = t == OUTLINE[lang][4]
        if not in_cases and style != "Title" and "CSQ" not in t:
            texts.append(t)
    from pptx import Presentation

    deck = Presentation(str(out / "team.report.pptx"))
    case_title = "典型案例" if lang == "zh" else "Typical cases"
    for slide in list(deck.slides)[1:]:
        shapes = list(slide.shapes)
        if any(s.has_text_frame and s.text_frame.text == case_title for s in shapes):
            continue
        for s in shapes:
            if s.has_text_frame:
                texts.append(s.text_frame.text)
            if s.has_table:
                texts += [c.text for row in s.table.rows for c in row.cells]
        texts.append(slide.notes_slide.notes_text_frame.text)
    bad = [(n, t) for t in texts + cells for n in _numbers(t) if n not in allowed]
    assert bad == []


def test_summary_json_narrative_is_the_docx_executive_summary(written) -> None:
    lang, out = written
    summary = json.loads((out / "team.summary.json").read_text(encoding="utf-8"))
    nar = summary["narrative"]
    assert set(nar) >= {"summary", "characterisation", "strengths", "recommendations"}
    paras, _ = _docx_texts(out / "team.report.docx")
    texts = [t for _, t in paras]
    start = texts.index(OUTLINE[lang][0]) + 1
    body = []
    for t in texts[start:]:
        if t in ("总体特征", "Characterisation", "优势", "Strengths"):
            break
        body.append(t)
    assert ("" if lang == "zh" else " ").join(body) == nar["summary"]
    assert 4 <= len(body) <= 6
    for s in nar["strengths"]:
        assert s in texts
    if lang == "zh":  # written natively: no ASCII space between two Chinese characters
        assert not [t for t in texts if re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", t)]
        assert not [t for t in texts if re.search(r"差.{0,4}\d+(\.\d+)?%", t)]


def test_pptx_charts_are_chart_parts_whose_series_equal_the_analysis(written) -> None:
    lang, out = written
    from pptx import Presentation

    summary = json.loads((out / "team.summary.json").read_text(encoding="utf-8"))
    deck = Presentation(str(out / "team.report.pptx"))
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.01
    charts = [s.chart for sl in deck.slides for s in sl.shapes if s.has_chart]
    assert charts
    for c in charts:
        assert c.part.content_type.endswith("drawingml.chart+xml")
    by_title = {c.chart_title.text_frame.text: c for c in charts}
    shares = [r["share"] for r in summary["pareto"]]  # the table's shares (they sum to 1 here)
    pies = [c for c in charts if c.chart_type is not None and "PIE" in str(c.chart_type)]
    assert pies and list(pies[0].plots[0].series[0].values) == pytest.approx(shares)
    assert list(pies[0].plots[0].categories) == [r["problem"] for r in summary["pareto"]]
    trend = next(c for t, c in by_title.items() if "6" in t)
    want = [round(p["csat_pct"] * 100, 1) for p in summary["periods"][-6:]]
    assert list(trend.plots[0].series[0].values) == pytest.approx(want)
    titles = [s.notes_slide.notes_text_frame.text for s in deck.slides]
    assert all(titles[1:])  # every slide carries its figures in the notes


def test_unknown_format_in_the_config_cell_is_a_finding_and_the_rest_is_written(
    tmp_path: Path,
) -> None:
    import openpyxl

    from addin.read.workbook import read_workbook
    from tests.report_fixtures import build_fixture_workbook

    book = tmp_path / "t.xlsx"
    build_fixture_workbook(book)
    wb = openpyxl.load_workbook(book)
    ws = wb["配置"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "report_formats")
    ws.cell(row, 3).value = "xlsx, pptx, word"
    wb.save(book)
    data = read_workbook(str(book))
    hits = [f for f in data.findings if f.code == "config_report_format"]
    assert [(f.sheet, f.cell, f.value) for f in hits] == [("配置", f"C{row}", "word")]
    rc, text = _run("report", str(book), "-o", str(tmp_path / "o"), "--as-of", "2026-11-10")
    assert rc == 0, text
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [
        "t.report.pptx", "t.report.xlsx", "t.summary.json"]  # fmt: skip


def test_a_folder_in_the_way_leaves_no_partial_file_and_names_it(tmp_path: Path) -> None:
    from tests.report_fixtures import build_fixture_workbook

    book = tmp_path / "t.xlsx"
    build_fixture_workbook(book)
    out = tmp_path / "o"
    (out / "t.report.docx").mkdir(parents=True)
    rc, text = _run("report", str(book), "-o", str(out), "--as-of", "2026-11-10",
                    "--format", "xlsx,docx,pptx")  # fmt: skip
    assert rc == 1
    assert str(out / "t.report.docx") in text
    assert "Traceback" not in text
    names = sorted(p.name for p in out.iterdir())
    assert names == ["t.report.docx", "t.report.pptx", "t.report.xlsx", "t.summary.json"]
    assert (out / "t.report.docx").is_dir() and not any((out / "t.report.docx").iterdir())


def test_pdf_without_libreoffice_is_one_line_and_exit_1(tmp_path: Path, monkeypatch) -> None:
    from addin.jobs import documents
    from tests.report_fixtures import build_fixture_workbook

    book = tmp_path / "t.xlsx"
    build_fixture_workbook(book)
    monkeypatch.setattr(documents.shutil, "which", lambda name: None)
    rc, text = _run("report", str(book), "-o", str(tmp_path / "o"), "--as-of", "2026-11-10",
                    "--format", "xlsx,pdf")  # fmt: skip
    assert rc == 1
    lines = [ln for ln in text.splitlines() if "t.report.pdf" in ln]
    assert len(lines) == 1 and "LibreOffice" in lines[0]
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["t.report.xlsx", "t.summary.json"]


def test_unknown_format_option_is_a_usage_error(tmp_path: Path) -> None:
    from tests.report_fixtures import build_fixture_workbook

    book = tmp_path / "t.xlsx"
    build_fixture_workbook(book)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        rc = cli.main(["report", str(book), "--format", "xlsx,odt"])
    assert rc == 2 and "'odt'" in err.getvalue()
    assert not (tmp_path / "t.report.xlsx").exists()


def test_the_word_report_is_a4_with_a_contents_field_and_page_numbers(written) -> None:
    import docx
    from docx.shared import Mm

    lang, out = written
    d = docx.Document(str(out / "team.report.docx"))
    sec = d.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (round(Mm(210).mm), 297)
    body = d.element.body.xml
    assert " TOC " in body and "w:tbl" in body
    footer = sec.footer.paragraphs[0]._p.xml
    assert " PAGE " in footer
    styles = {t.style.name for t in d.tables}
    assert styles == {"Light Grid Accent 1"}  # a real Word table style, every table
    charts = [r for r in d.part.rels.values() if r.reltype.endswith("/chart")]
    assert len(charts) >= 4  # CSAT line, channels, Pareto, pie, hours: native chart parts
    for rel in charts:
        assert rel.target_part.content_type.endswith("drawingml.chart+xml")

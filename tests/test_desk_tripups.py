"""What a new user trips over (issue 24): a CSQ report given to convert or feedback is
refused as validate and report refuse it; a rejection line names the file once, in
either language; the demo keeps edited workbooks without --force."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from addin.cli import main
from workbook_templates.output import REPORT_MARKER


def _report_file(path: Path) -> Path:
    """A small file carrying the report marker, as every report CSQ writes does."""
    wb = xlsxwriter.Workbook(str(path))
    wb.set_custom_property(REPORT_MARKER, "CSQ 0.1.0")
    ws = wb.add_worksheet("Overview")
    ws.write_row(0, 0, ["Metric", "Value"])
    ws.write_row(1, 0, ["Contacts", 3])
    wb.close()
    return path


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "a report CSQ wrote, not a workbook"), ("zh", "这是 CSQ 生成的报告，不是工作簿")],
)
def test_convert_refuses_a_report(tmp_path, capsys, monkeypatch, lang, words):
    monkeypatch.setenv("CSQ_LANG", lang)
    src = _report_file(tmp_path / "team.report.xlsx")
    before = src.read_bytes()
    out = tmp_path / "converted.xlsx"
    assert main(["convert", str(src), "--portable", "-o", str(out)]) == 1
    assert words in capsys.readouterr().err
    assert not out.exists() and src.read_bytes() == before


def test_feedback_refuses_a_report(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CSQ_LANG", "en")
    src = _report_file(tmp_path / "team.report.xlsx")
    out = tmp_path / "fb"
    assert main(["feedback", str(src), "-o", str(out)]) == 1
    assert "a report CSQ wrote, not a workbook" in capsys.readouterr().out
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_rejected_file_is_named_once(tmp_path, capsys, monkeypatch, lang):
    monkeypatch.setenv("CSQ_LANG", lang)
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a zip at all")
    assert main(["report", str(bad), "-o", str(tmp_path / "out")]) == 1
    line = next(ln for ln in capsys.readouterr().out.splitlines() if "broken.xlsx" in ln)
    assert line.count("broken.xlsx") == 1, line
    assert ("zip" in line) and (("压缩包" in line) == (lang == "zh"))


def test_demo_refuses_to_overwrite_a_workbook_without_force(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CSQ_LANG", "zh")
    edited = tmp_path / "team-online.xlsx"
    edited.write_bytes(b"my edits")
    assert main(["demo", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "team-online.xlsx" in err and "--force" in err and "已存在" in err
    assert edited.read_bytes() == b"my edits"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team-online.xlsx"]


def _print_areas(path: Path) -> dict[str, str]:
    import zipfile
    from xml.etree import ElementTree as ET

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    root = ET.fromstring(zipfile.ZipFile(path).read("xl/workbook.xml"))
    sheets = [s.get("name") for s in root.find("m:sheets", ns)]
    return {
        sheets[int(d.get("localSheetId"))]: d.text
        for d in root.iter(f"{{{ns['m']}}}definedName")
        if d.get("name") == "_xlnm.Print_Area"
    }


def test_print_area_is_the_data_and_twenty_blank_rows(tmp_path):
    """A blank template prints its header and 20 blank rows, not every blank Table row;
    the area grows with the contacts typed in column A (Excel evaluates the formula)."""
    from workbook_templates.builder import build_workbook
    from workbook_templates.example_rows import monitoring_rows

    blank = _print_areas(build_workbook(tmp_path / "b.xlsx", lang="zh"))
    assert set(blank) == {"监测表", "问题分析", "改进跟踪", "校准"}
    # every column of the sheet is printed (the Table's and the computed ones right of it)
    book = openpyxl.load_workbook(tmp_path / "b.xlsx")
    n_cols = {title: book[title].max_column for title in blank}
    for title, formula in blank.items():
        assert formula == (
            f"OFFSET('{title}'!$A$1,0,0,MAX(21,COUNTA('{title}'!$A:$A)+20),{n_cols[title]})"
        )
    rows = monitoring_rows(12, "en")
    filled = _print_areas(build_workbook(tmp_path / "f.xlsx", lang="en", monitoring=rows))
    assert f"MAX({1 + len(rows) + 20}," in filled["Monitoring"]


def test_guide_steps_wrap_inside_the_page(tmp_path):
    """Each numbered step of the Guide spans columns A:C, wrapped, with room for its lines."""
    import openpyxl

    from workbook_templates.builder import build_workbook

    for lang in ("en", "zh"):
        ws = openpyxl.load_workbook(
            build_workbook(tmp_path / f"{lang}.xlsx", lang=lang)
        ).worksheets[0]
        merged = {str(r) for r in ws.merged_cells.ranges}
        steps = [
            r
            for r in range(4, 14)
            if str(ws.cell(r, 1).value or "")[:2] in {f"{i}." for i in range(1, 10)}
        ]
        assert len(steps) >= 8, lang
        for r in steps:
            assert f"A{r}:C{r}" in merged and ws.cell(r, 1).alignment.wrap_text
            text = ws.cell(r, 1).value
            # about 140 Latin characters (60 Chinese ones) fit on a line of A:C (LibreOffice)
            per_line = 60 if lang == "zh" else 140
            need = -(-len(text) // per_line)
            assert (ws.row_dimensions[r].height or 15) >= 15 * need, (lang, r, text)


def test_zh_config_targets_show_labels_and_keys_still_read(tmp_path):
    """The KPI targets table names each KPI by its label in the sheet's language (no raw
    key such as answer_rate); a key typed by hand, or left by an older workbook, still
    counts, as does a label of the other language."""
    import openpyxl

    from addin.read.workbook import read_workbook
    from udfs.core.targets import DEFAULT_TARGETS, TARGET_KPIS, targets_from_rows
    from workbook_templates.builder import build_workbook

    path = build_workbook(tmp_path / "zh.xlsx", lang="zh")
    ws = openpyxl.load_workbook(path)["配置"]
    col_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    start = col_a.index("table.targets") + 2  # the marker row, then the header row
    shown = [v for v in col_a[start : start + len(DEFAULT_TARGETS)]]
    assert shown[:2] == ["接通率", "首次解决率"]
    assert not set(shown) & set(TARGET_KPIS)
    assert ws.cell(start, 1).value == "指标"  # the header (1-based row = start)
    got = targets_from_rows(read_workbook(path).config_tables["targets"])
    assert got == DEFAULT_TARGETS
    rows = [{"kpi": "answer_rate", "target": 0.9}, {"kpi": "Service level", "target": 0.7}]
    assert [(t.kpi, t.target) for t in targets_from_rows(rows)] == [
        ("answer_rate", 0.9),
        ("service_level", 0.7),
    ]


def test_recommendation_library_shows_labels_and_reads_keys_and_labels(tmp_path):
    """ "Applies to" shows 人员/流程/工具/客户 … in a Chinese workbook, not people/process/…;
    an edited text is used whether its row names the key or a label of either language."""
    import openpyxl

    from addin.read.workbook import read_workbook
    from udfs.core.recommendations import DEFAULT_RECOMMENDATIONS, library_from_rows
    from workbook_templates.builder import build_workbook

    path = build_workbook(tmp_path / "zh.xlsx", lang="zh")
    ws = openpyxl.load_workbook(path)["配置"]
    col_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    start = col_a.index("table.recommendations") + 2
    shown = col_a[start : start + len(DEFAULT_RECOMMENDATIONS)]
    assert shown[:4] == ["人员", "流程", "工具", "客户"]
    assert not set(shown) & set(DEFAULT_RECOMMENDATIONS)
    data = read_workbook(path)
    assert not [f for f in data.findings if f.sheet == "配置"]
    lib = library_from_rows(data.config_tables["recommendations"], "zh")
    assert lib["people"] == DEFAULT_RECOMMENDATIONS["people"][1]
    rows = [
        {"key": "流程", "recommendation": "每月修订流程"},
        {"key": "Tools", "recommendation": "fix the CRM"},
        {"key": "customer", "recommendation": "FAQ 上线"},
    ]
    lib = library_from_rows(rows, "zh")
    assert (lib["process"], lib["tools"], lib["customer"]) == (
        "每月修订流程",
        "fix the CRM",
        "FAQ 上线",
    )

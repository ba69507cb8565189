"""The ribbon's Python side: every button, run on a real workbook file (no Excel).

The workbook has three contacts rated all 5, all 4 and all 3 on the six rubric dimensions
(default weights 15/20/25/15/15/10): scores 100, 80 and 60, mean 80.  The third contact's
CSAT is 7, outside 1-5: one error, in the Monitoring sheet's CSAT cell of its row.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from addin.excel import ribbon
from addin.excel.ribbon import FileBook, on_button
from workbook_templates.builder import build_workbook

RUBRIC = ("speed", "attitude", "solving", "knowledge", "satisfaction", "records")


def _row(i: int, rating: int, csat: int) -> dict:
    row = {
        "contact_id": f"C{i}",
        "contact_time": dt.datetime(2026, 10, i, 9),
        "agent_id": "A1",
        "csat": csat,
    }
    row.update({k: rating for k in RUBRIC})
    return row


@pytest.fixture
def workbook(tmp_path) -> Path:
    return build_workbook(
        tmp_path / "team.xlsx",
        lang="en",
        monitoring=[_row(1, 5, 5), _row(2, 4, 4), _row(3, 3, 7)],
        as_of=dt.date(2026, 11, 10),
        as_of_fixed=True,
    )


def _csat_cell(path: Path) -> str:
    """Where the third contact's CSAT is, found from the header (not from the code)."""
    ws = openpyxl.load_workbook(path)["Monitoring"]
    for row in ws.iter_rows():
        for c in row:
            if c.value == "C3":
                contact_row = c.row
            if isinstance(c.value, str) and c.value.startswith("CSAT"):
                csat_col = c.column_letter
    return f"{csat_col}{contact_row}"


def test_validate_lists_findings_and_selects_the_first_bad_cell(workbook):
    book = FileBook(workbook)
    text = on_button("csqValidate", book)
    bad = _csat_cell(workbook)
    assert "Errors: 1, warnings: 0" in text and "1 个错误" in text
    assert f"Monitoring!{bad}" in text
    # a UDF workbook is never re-saved by the file stand-in (it would drop the CSQ_
    # columns' dynamic-array metadata): what Excel would be given is recorded
    rows = book.tables["CSQ Findings"]
    assert rows[0] == ["Sheet", "Cell", "Value", "Problem", "Severity"]
    assert rows[1][:3] == ["Monitoring", bad, "7"] and rows[1][4] == "error"
    assert len(rows) == 2
    assert book.selected == ("Monitoring", bad)
    assert book.alerts == [("CSQ", text)]


def test_validate_twice_replaces_the_conclusions_sheet(tmp_path):
    path = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Monitoring"
    wb.active.append(["Contact ID", "Contact time", "Agent ID", "CSAT (1-5)"])
    wb.active.append(["C1", dt.datetime(2026, 10, 5, 9), "A1", 7])
    wb.save(path)
    on_button("csqValidate", FileBook(path))
    on_button("csqValidate", FileBook(path))
    names = openpyxl.load_workbook(path).sheetnames
    assert names.count("CSQ Findings") == 1


def test_findings_are_written_as_text_never_formulas(tmp_path):
    path = tmp_path / "f.xlsx"
    openpyxl.Workbook().save(path)
    FileBook(path).write_table("CSQ Findings", [["Sheet"], ['=HYPERLINK("x","y")']])
    cell = openpyxl.load_workbook(path)["CSQ Findings"]["A2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x","y")'


def test_generate_report_writes_beside_the_workbook_and_opens_it(workbook):
    book = FileBook(workbook)
    text = on_button("csqReport", book)
    report = workbook.with_name("team.report.xlsx")
    assert report.exists() and workbook.with_name("team.summary.json").exists()
    assert book.opened == [report]
    assert "3 contacts" in text and "3 条服务记录" in text and "2026-10" in text
    assert "Data-quality findings listed in the report: 1" in text
    openpyxl.load_workbook(report)  # a real workbook
    # the Config sheet's report formats (a new workbook: xlsx, docx), every file named
    docx = workbook.with_name("team.report.docx")
    assert docx.exists() and str(docx) in text and str(report) in text


def test_report_is_the_same_as_csq_report(workbook, tmp_path):
    import json

    from addin.cli import main

    on_button("csqReport", FileBook(workbook))
    ribbon_summary = json.loads(workbook.with_name("team.summary.json").read_text("utf-8"))
    out = tmp_path / "cli"
    assert main(["report", str(workbook), "-o", str(out), "--lang", "en"]) == 0
    cli_summary = json.loads((out / "team.summary.json").read_text("utf-8"))
    for key in ("contacts", "qa_score_mean", "csat_mean", "grade"):
        assert ribbon_summary[key] == cli_summary[key], key


def test_refresh_recalculates_and_shows_the_mean_score(workbook):
    book = FileBook(workbook)
    text = on_button("csqRefresh", book)
    assert book.recalculated == 1
    assert "3 contacts, mean QA score 80.0" in text  # (100 + 80 + 60) / 3
    assert "平均质检得分 80.0" in text


def test_new_workbook_is_created_beside_and_opened(workbook):
    book = FileBook(workbook)
    text = on_button("csqNew", book)
    assert len(book.opened) == 1
    new = book.opened[0]
    assert new.parent == workbook.parent and new.exists() and str(new) in text
    names = openpyxl.load_workbook(new).sheetnames
    assert "Monitoring" in names or "监测表" in names


def test_help_names_version_python_and_settings(workbook):
    from udfs import __version__
    from udfs.functions import FUNCTIONS

    text = on_button("csqHelp", FileBook(workbook))
    assert f"CSQ {__version__}" in text and "csq.conf" in text
    assert f"Functions: {len(FUNCTIONS)} " in text


def test_unknown_button_is_one_message_not_an_exception(workbook):
    book = FileBook(workbook)
    text = on_button("csqNope", book)
    assert "unknown button 'csqNope'" in text and "未知按钮" in text
    assert book.alerts == [("CSQ", text)]


def test_a_broken_file_gives_one_clear_message(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_text("this is not a workbook")
    book = FileBook(path)
    for button in ("csqReport", "csqValidate", "csqRefresh"):
        text = on_button(button, book)
        assert "could not finish" in text and "未能完成" in text, text
        assert "Traceback" not in text


def test_an_unexpected_error_is_logged_not_shown(workbook, monkeypatch, tmp_path):
    def boom(book):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(ribbon.ACTIONS, "csqRefresh", boom)
    monkeypatch.setattr(ribbon, "_log_path", lambda: tmp_path / "csq-addin.log")
    text = on_button("csqRefresh", FileBook(workbook))
    assert "unexpected problem: ZeroDivisionError: division by zero" in text
    assert "Traceback" not in text
    assert "Traceback" in (tmp_path / "csq-addin.log").read_text(encoding="utf-8")


def test_chinese_workbook_gets_chinese_conclusions_sheet(tmp_path):
    path = build_workbook(
        tmp_path / "zh.xlsx",
        lang="zh",
        monitoring=[_row(1, 5, 5), _row(2, 3, 7)],
        as_of=dt.date(2026, 11, 10),
        as_of_fixed=True,
    )
    book = FileBook(path)
    text = on_button("csqValidate", book)
    rows = book.tables["CSQ 校验结果"]
    assert rows[0] == ["工作表", "单元格", "值", "问题", "级别"]
    assert rows[1][0] == "监测表" and rows[1][2] == "7" and rows[1][4] == "错误"
    assert book.selected is not None and book.selected[0] == "监测表"
    assert "“CSQ 校验结果”表" in text

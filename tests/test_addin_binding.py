"""Binding: *Refresh scores* re-enters every CSQ_ formula once, with each protected sheet
opened for macros only (``UserInterfaceOnly``) and its protection put back as it was; the
add-in does the same once when a CSQ workbook (document property ``CSQ`` = ``udf``) opens.

Run on Linux through the book interface (``FileBook`` records what Excel would be asked to
do).  The expected anchors are counted by hand from the template: Monitoring has three
spilling columns (QA score, Grade, QC result), Problems three (share, cumulative, class),
Actions three (status, days late, met?), Calibration one (QA score): 10 formulas, one per
column.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest

from addin.excel import ribbon, xlam
from addin.excel.ribbon import FileBook, on_button, on_open, rebind_formulas
from workbook_templates.builder import build_workbook


@pytest.fixture
def udf_book(tmp_path) -> Path:
    return build_workbook(
        tmp_path / "team.xlsx",
        lang="en",
        monitoring=[
            {
                "contact_id": f"C{i}",
                "contact_time": dt.datetime(2026, 10, i, 9),
                "agent_id": "A1",
                **dict.fromkeys(
                    ("speed", "attitude", "solving", "knowledge", "satisfaction", "records"), r
                ),
            }
            for i, r in ((1, 5), (2, 4), (3, 3))
        ],
        as_of=dt.date(2026, 11, 10),
        as_of_fixed=True,
    )


def test_each_anchor_is_reentered_once_with_protection_restored(udf_book):
    book = FileBook(udf_book)
    before = {s: book.protection(s) for s in book.sheet_names()}
    n = rebind_formulas(book)
    assert n == 11
    cells = [(s, c) for s, c, _ in book.reentered]
    assert len(cells) == len(set(cells)) == 11  # each anchor once
    assert {s for s, _ in cells} == {"Monitoring", "Problems", "Actions", "Calibration"}
    from workbook_templates.schema import MONITORING, col_letter

    # the computed columns right of the input columns
    computed = [i for i, c in enumerate(MONITORING.columns) if c.role == "computed"]
    assert computed == list(range(len(MONITORING.input_keys), len(MONITORING.columns)))
    assert {c for s, c in cells if s == "Monitoring"} == {f"{col_letter(i)}2" for i in computed}
    # every re-entry happened while its sheet was open to macros only
    assert {mode for _, _, mode in book.reentered} == {"ui_only"}
    # per sheet: protect for macros with the sheet's own options, then protect as before
    for sheet in ("Monitoring", "Problems", "Actions", "Calibration"):
        calls = [(opts, ui) for s, opts, ui in book.protect_calls if s == sheet]
        assert calls == [(before[sheet], True), (before[sheet], False)]
        assert before[sheet] is not None and before[sheet]["Sorting"] is True
    after = {s: book.protection(s) for s in book.sheet_names()}
    assert after == before
    # sheets without CSQ_ formulas are not touched
    assert not [c for c in book.protect_calls if c[0] in ("Guide", "Config", "Evaluation form")]


def test_refresh_scores_reenters_then_recalculates(udf_book):
    book = FileBook(udf_book)
    text = on_button("csqRefresh", book)
    assert book.recalculated == 1
    assert len(book.reentered) == 11
    assert "CSQ_ formulas re-entered so that they use this add-in's functions: 11." in text
    assert "已重新输入 11 个 CSQ_ 公式" in text
    assert "mean QA score 80.0" in text  # (100 + 80 + 60) / 3


def test_portable_workbook_has_nothing_to_bind(tmp_path):
    path = build_workbook(tmp_path / "p.xlsx", lang="zh", portable=True)
    book = FileBook(path)
    assert rebind_formulas(book) == 0
    assert book.protect_calls == [] and book.reentered == []


def test_password_protected_sheet_is_named_in_the_message(udf_book, tmp_path):
    import openpyxl

    wb = openpyxl.load_workbook(udf_book)
    wb["Problems"].protection.password = "secret"
    path = tmp_path / "locked.xlsx"
    wb.save(path)
    text = on_button("csqRefresh", FileBook(path))
    assert "sheet 'Problems' is protected with a password" in text
    assert "Traceback" not in text


def test_on_open_never_raises(udf_book):
    class Broken(FileBook):
        def sheet_names(self) -> list[str]:
            raise RuntimeError("Excel went away")

    assert on_open("team.xlsx", Broken(udf_book)) == 0
    book = FileBook(udf_book)
    assert on_open("team.xlsx", book) == 11


@pytest.mark.parametrize("portable", [False, True])
def test_workbooks_carry_the_csq_marker(tmp_path, portable):
    path = build_workbook(tmp_path / "w.xlsx", lang="en", portable=portable)
    with zipfile.ZipFile(path) as z:
        custom = z.read("docProps/custom.xml").decode()
    m = re.search(r'name="CSQ"[^>]*>\s*<vt:lpwstr>(\w+)</vt:lpwstr>', custom)
    assert m and m.group(1) == ("portable" if portable else "udf")


def test_the_add_in_reenters_on_open_of_a_marked_workbook():
    """The VBA that runs on open: ThisWorkbook listens to Excel's WorkbookOpen and calls
    CSQRibbon.RebindOnOpen, which checks the marker and calls ribbon.on_open."""
    assert "Private WithEvents CSQApp As Application" in xlam.OPEN_HANDLER
    assert "Set CSQApp = Application" in xlam.OPEN_HANDLER
    assert "Private Sub CSQApp_WorkbookOpen(ByVal Wb As Workbook)" in xlam.OPEN_HANDLER
    assert "CSQRibbon.RebindOnOpen Wb" in xlam.OPEN_HANDLER
    bas = xlam.ribbon_source()
    body = bas[bas.index("Sub RebindOnOpen") :]
    assert 'Wb.CustomDocumentProperties("CSQ")' in body
    assert 'If marker <> "udf" Then Exit Sub' in body
    assert "addin.excel.ribbon.on_open(" in body
    assert callable(ribbon.on_open)


def test_the_csq_tab_keytip_is_not_q():
    """Alt+Q opens Microsoft 365's search box; the CSQ tab uses another keytip."""
    text = xlam.CUSTOM_UI.read_text(encoding="utf-8")
    tab = re.search(r'<tab id="csqTab"[^>]*keytip="([^"]+)"', text)
    assert tab and tab.group(1).upper() != "Q"
    assert tab.group(1) == "CS"

"""The streamed reader of very large sheets (``addin.read.xlsxstream``) against openpyxl.

openpyxl (read-only, cached values) is the independent reference: every cell of each
workbook must come back with the same value and type, at the same row and column.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from addin.read.xlsxstream import StreamedBook, is_date_format
from workbook_templates import example_rows as sample
from workbook_templates.builder import build_workbook


def _trim(rows: list[list]) -> list[list]:
    out = []
    for r in rows:
        r = ["" if v is None else v for v in r]
        while r and r[-1] == "":
            r.pop()
        out.append(r)
    while out and not out[-1]:
        out.pop()
    return out


def _same_as_openpyxl(path: Path) -> None:
    ref = openpyxl.load_workbook(path, read_only=True, data_only=True)
    book = StreamedBook(io.BytesIO(path.read_bytes()))
    assert book.names == ref.sheetnames
    for name in ref.sheetnames:
        want = _trim([list(r) for r in ref[name].iter_rows(values_only=True)])
        got = _trim(book.sheet(name).to_python())
        assert got == want, name
        for rw, rg in zip(want, got, strict=True):  # and the same Python types
            assert [type(v) for v in rg] == [type(v) for v in rw], (name, rw)


def _mixed(path: Path, date1904: bool) -> Path:
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    ws = wb.active
    ws.title = "数据"
    ws.append(["a", 1, 2.5, True, False, dt.datetime(2024, 6, 15, 9, 30), "=SUM(B1:C1)"])
    ws["B3"] = CellRichText([TextBlock(InlineFont(b=True), "rich "), "text"])
    ws["C5"] = dt.datetime(1900, 1, 15)  # before Excel's phantom 1900-02-29
    ws["D5"] = 12345678901234
    ws["E5"] = 1e-7
    for ref, value, fmt in (
        ("F5", 45000.5, 'yyyy"年"m"月"d"日"'),
        ("G5", 3.5, '"days "0.0'),  # quoted text is not a date
        ("H5", 0.25, "[h]:mm"),  # elapsed time
        ("I5", 0.25, "h:mm"),  # a time of day
        ("J5", 0.25, "0.00%"),
    ):
        ws[ref] = value
        ws[ref].number_format = fmt
    wb.create_sheet("Far")["C10"] = "far"  # rows 1-9 and columns A-B blank
    wb.save(path)
    return path


@pytest.mark.parametrize("date1904", [False, True])
def test_mixed_cells_and_both_date_systems(tmp_path: Path, date1904: bool) -> None:
    _same_as_openpyxl(_mixed(tmp_path / "m.xlsx", date1904))


def test_far_cell_keeps_its_row_and_column(tmp_path: Path) -> None:
    path = _mixed(tmp_path / "m.xlsx", False)
    rows = StreamedBook(io.BytesIO(path.read_bytes())).sheet("Far").to_python()
    assert len(rows) == 10 and rows[9][2] == "far" and not any(any(r) for r in rows[:9])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_filled_template_inline_strings_and_cached_formulas(tmp_path: Path, lang: str) -> None:
    path = build_workbook(tmp_path / "t.xlsx", lang, monitoring=sample.monitoring_rows(120, lang))
    _same_as_openpyxl(path)


def _shared_strings_book(path: Path) -> Path:
    """Shared strings (as Excel writes them), rich text runs included: xlsxwriter's
    default mode, unlike the inline strings of openpyxl and of its constant-memory mode."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    bold = wb.add_format({"bold": True})
    ws.write_string(0, 0, "東京")
    ws.write_rich_string(0, 1, bold, "rich ", "text")
    ws.write_string(3, 2, "東京")  # the same shared string again
    ws.write_number(3, 0, 7)
    wb.close()
    return path


def test_shared_and_rich_strings(tmp_path: Path) -> None:
    _same_as_openpyxl(_shared_strings_book(tmp_path / "s.xlsx"))


def test_phonetic_runs_are_not_part_of_the_text(tmp_path: Path) -> None:
    path = _shared_strings_book(tmp_path / "s.xlsx")
    out = tmp_path / "rph.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/sharedStrings.xml":  # Japanese reading of 東京
                ruby = '<rPh sb="0" eb="2"><t>トウキョウ</t></rPh>'.encode()
                assert "<t>東京</t>".encode() in data
                data = data.replace("<t>東京</t>".encode(), "<t>東京</t>".encode() + ruby)
            dst.writestr(item, data)
    rows = StreamedBook(io.BytesIO(out.read_bytes())).sheet("S").to_python()
    assert rows[0][:2] == ["東京", "rich text"] and rows[3][2] == "東京"


@pytest.mark.parametrize(
    ("code", "is_date"),
    [
        ("yyyy-mm-dd", True),
        ("yyyy-mm-dd hh:mm", True),
        ("[h]:mm:ss", True),
        ('yyyy"年"m"月"', True),
        ("0.00", False),
        ("#,##0", False),
        ('"days "0.0', False),
        ("[Red]0.0;[Blue]-0.0", False),
        ("0%", False),
        ("@", False),
        ("General", False),
    ],
)
def test_date_formats(code: str, is_date: bool) -> None:
    assert is_date_format(code) is is_date


def test_a_dtd_is_refused_even_without_the_safety_check(tmp_path: Path) -> None:
    path = _shared_strings_book(tmp_path / "s.xlsx")
    out = tmp_path / "dtd.xlsx"
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, _, rest = data.partition(b"?>")
                data = head + b"?>" + bomb + rest.replace(b"<v>7</v>", b"<v>&b;</v>")
            dst.writestr(item, data)
    book = StreamedBook(io.BytesIO(out.read_bytes()))
    with pytest.raises(ValueError, match="DTD"):
        book.sheet("S").to_python()


@pytest.mark.parametrize("constant_memory", [True, False], ids=["inline", "shared"])
def test_escaped_characters_read_as_calamine_reads_them(
    tmp_path: Path, constant_memory: bool
) -> None:
    """xlsxwriter stores a control character as ``_x0001_`` (and a typed ``_x0041_`` as
    ``_x005F_x0041_``); the stream gives back the text calamine gives."""
    import io

    import python_calamine as pc
    import xlsxwriter

    from addin.read.xlsxstream import StreamedBook

    texts = ["tab\x01end", "_x0041_", "x_x4E2D_y", "_x00", "\x1f", " a\x02 ", "plain"]
    path = tmp_path / "escaped.xlsx"
    book = xlsxwriter.Workbook(path, {"constant_memory": constant_memory})
    sheet = book.add_worksheet("S")
    for i, text in enumerate(texts):
        sheet.write_string(i, 0, text)
    book.close()
    calamine = [
        r[0] for r in pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S").to_python()
    ]
    streamed = [r[0] for r in StreamedBook(io.BytesIO(path.read_bytes())).sheet("S").iter_rows()]
    assert calamine == texts  # what was written
    assert streamed == calamine


def test_error_cells_are_blank_as_calamine_gives_them(tmp_path: Path) -> None:
    import io

    import python_calamine as pc
    import xlsxwriter

    from addin.read.xlsxstream import StreamedBook

    path = tmp_path / "errors.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("S")
    sheet.write_formula(0, 0, "=NA()", None, "#N/A")
    sheet.write_formula(0, 1, "=1/0", None, "#DIV/0!")
    sheet.write_number(0, 2, 4)
    book.close()
    calamine = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S").to_python()
    streamed = list(StreamedBook(io.BytesIO(path.read_bytes())).sheet("S").iter_rows())
    assert calamine == [["", "", 4.0]]
    assert streamed[0][:2] == ["", ""] and float(streamed[0][2]) == 4.0

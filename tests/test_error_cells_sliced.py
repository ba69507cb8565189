"""The formula-error and NaN/INF cells of a large sheet are found on the XML its slices are
cut from (no second decompression), and they are the same cells, head rows included, as a
separate scan of the whole worksheet part finds."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from addin.read.chunked import ChunkedSheet
from addin.read.columnar import ColumnarSheet
from addin.read.error_cells import error_cells
from addin.read.workbook import read_workbook
from workbook_templates.schema import MONITORING

ERRORS = {5: "#DIV/0!", 1500: "#N/A", 3999: "#REF!"}  # Excel rows with an error in column D


def _book(path: Path, n: int = 4000) -> Path:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Monitoring")
    heads = [c.header("en") for c in MONITORING.columns if c.role != "computed"][:8]
    ws.write_row(0, 0, heads)
    for r in range(1, n):
        ws.write_string(r, 0, f"C{r}")
        ws.write_datetime(r, 1, __import__("datetime").datetime(2026, 10, 1 + r % 28, 9))
        for c in range(2, 8):
            if c == 3 and r + 1 in ERRORS:
                ws.write_formula(r, c, "=1/0", None, ERRORS[r + 1])
            else:
                ws.write_string(r, c, "x" * 20) if c != 3 else ws.write_number(r, c, 40)
    wb.close()
    return path


@pytest.mark.parametrize("cls", [ChunkedSheet, ColumnarSheet])
def test_sliced_sheets_find_the_same_error_cells_as_a_whole_scan(tmp_path, cls) -> None:
    path = _book(tmp_path / "big.xlsx")
    zf = zipfile.ZipFile(path)
    part = "xl/worksheets/sheet1.xml"
    sheet = cls(zf, part, "Monitoring")
    sheet.slice_bytes = 4096  # many slices
    list(sheet.iter_rows()) if cls is ChunkedSheet else None
    if cls is ColumnarSheet:
        for _ in sheet._slices():  # noqa: SLF001 - drive the slicing as the reader does
            pass
    assert sheet.scanned
    whole = error_cells(zf, part)
    assert whole == {(row, 3): text for row, text in ERRORS.items()}
    assert sheet.error_cells == whole


@pytest.mark.parametrize(
    "how", [{"columnar_above": 10_000}, {"stream_above": 10_000, "columnar_above": None}, {}]
)
def test_every_reader_names_every_error_cell(tmp_path, how, monkeypatch) -> None:
    """Typed columns, calamine slices and the whole-sheet read (a second scan) agree."""
    import addin.read.workbook as wbmod

    calls = []
    whole = wbmod.error_cells
    monkeypatch.setattr(wbmod, "error_cells", lambda *a: calls.append(a) or whole(*a))
    data = read_workbook(_book(tmp_path / "big.xlsx"), **how)
    got = {(f.cell, f.value) for f in data.findings if f.code == "formula_error"}
    assert got == {(f"D{row}", text) for row, text in ERRORS.items()}
    # a sliced sheet found its error cells while slicing: no second decompression
    assert len(calls) == (0 if how else 1)

"""Very large sheets read a slice at a time (addin/read/chunked.py) give calamine's values.

The slices are made tiny here (a few kB instead of 64 MB), so a small sheet is cut into
many slices and every boundary case is crossed: a slice starting with blank rows, a slice
whose first used column is not A, text with XML characters, dates, booleans.
"""

from __future__ import annotations

import datetime as dt
import zipfile

import pandas as pd
import pytest
import python_calamine as pc
import xlsxwriter

from addin.read import chunked
from addin.read.workbook import read_workbook
from workbook_templates.builder import build_workbook

AS_OF = dt.date(2026, 1, 15)


def _stripped(rows: list[list]) -> list[list]:
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] == "":
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


def test_slices_give_the_cells_calamine_gives_for_the_whole_sheet(tmp_path, monkeypatch) -> None:
    path = tmp_path / "odd.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    dfmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.write_string(2, 3, "header & <more>")  # the sheet starts at D3
    for r in range(3, 400):
        if 100 <= r < 160:
            continue  # blank rows: whole slices start with them
        col = 5 if 200 <= r < 260 else 1  # for a while nothing left of column F
        ws.write_number(r, col, r * 1.5)
        ws.write_string(r, col + 1, f'row {r} "quoted" & <b>')
        ws.write_datetime(r, col + 2, dt.datetime(2024, 6, 1 + r % 28, 9, r % 60), dfmt)
        ws.write_boolean(r, col + 3, r % 2 == 0)
    wb.close()
    monkeypatch.setattr(chunked, "SLICE_BYTES", 2_000)
    with zipfile.ZipFile(path) as zf:
        sheet = chunked.ChunkedSheet(zf, chunked.sheet_parts(zf)["S"], "S")
        got = sheet.to_python()
    want = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S")
    assert _stripped(got) == _stripped(want.to_python(skip_empty_area=False))
    assert got[3][1] == 4.5 and got[3][2] == 'row 3 "quoted" & <b>'  # row 4, B and C


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_big_sheet_path_reads_the_same_tables_and_findings(tmp_path, monkeypatch, lang) -> None:
    from addin.jobs.demo_data import demo_monitoring

    df = demo_monitoring(600, seed=5, lang=lang, as_of=AS_OF)
    csat = df["csat"].astype(object).copy()
    csat.iat[7] = 9  # out of range: a finding with its cell address
    csat.iat[450] = "good"
    df["csat"] = csat
    path = build_workbook(tmp_path / "m.xlsx", lang=lang, monitoring=df, as_of=AS_OF)
    whole = read_workbook(path)
    monkeypatch.setattr(chunked, "SLICE_BYTES", 20_000)
    sliced = read_workbook(path, stream_above=0)  # every sheet through the slices
    for key in ("monitoring", "problems", "actions"):
        pd.testing.assert_frame_equal(getattr(whole, key), getattr(sliced, key))
    assert [str(f) for f in whole.findings] == [str(f) for f in sliced.findings]
    cells = {f.cell for f in whole.findings}
    assert {"O9", "O452"} <= cells  # csat is column O; data row i sits in Excel row i + 2


def test_unusual_sheet_xml_is_left_to_the_expat_stream(tmp_path) -> None:
    path = tmp_path / "e.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Empty")  # <sheetData/>
    wb.close()
    with zipfile.ZipFile(path) as zf, pytest.raises(chunked.NotSliceable):
        chunked.ChunkedSheet(zf, chunked.sheet_parts(zf)["Empty"], "Empty")
    assert read_workbook(path, stream_above=0).monitoring.empty

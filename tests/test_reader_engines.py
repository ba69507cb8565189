"""The two engines and the one fallback of the workbook reader (addin/read/).

A large data sheet is read in slices by fastexcel as typed columns (addin/read/columnar.py);
every other sheet by python-calamine, whole or (very large) a slice at a time
(addin/read/chunked.py).  Both hand column blocks to one conversion (addin/read/blocks.py).

- the engine test: a fastexcel slice equals a calamine slice of the same bytes (tables and
  findings after the one conversion), on a sheet of messy values;
- the fallback, each case against hand-written expectations: a slice the typed columns
  cannot vouch for (a number written as text with decimals, a boolean) is read by calamine,
  that slice only; a cell calamine panics on (a date-formatted -1e14) is a finding with its
  address, the other rows kept; merged header cells are reported;
- calamine's slices give the cells calamine gives for the whole sheet.

The slices are made tiny here (a few kB instead of megabytes), so a small sheet is cut into
many of them.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
import python_calamine as pc
import xlsxwriter

from addin.read import chunked, columnar, workbook
from addin.read.blocks import Block, convert_block
from addin.read.cells import Converter
from addin.read.headers import find_header
from addin.read.package import sheet_parts
from addin.read.workbook import read_workbook
from workbook_templates.builder import build_workbook
from workbook_templates.schema import MONITORING

T = dt.datetime(2026, 1, 5, 9, 30)
AS_OF = dt.date(2026, 1, 15)
HEAD = ["工单编号", "联系时间", "客服工号", "渠道", "首次响应(秒)", "是否接通", "满意度(1-5)",
        "致命错误", "响应速度", "服务态度", "问题描述"]  # fmt: skip
ODD: list[list[Any]] = [
    # contact id, time, agent, channel, first response, answered, csat, critical, speed,
    # attitude, description: texts in number columns, blanks, numbers as text, date texts
    ["C-x", "2026-01-03 09:30", 1001, "phone", "12", "yes", "N/A", "无", "NA", "不适用", 'a"b\\c'],
    [" C-y ", " 2026/1/3 x", "E01", "Phone ", " 3.5 ", 1, " abc ", "-", 3.5, " 2 ", "é\u0301中"],
    ["C-z", "03/01/2026", "E02", "x", -1, 0, "", "否", 0, 6, "line\nbreak\ttab\x01"],
    ["", 46000, "E03", 3, 1e9, 2, " ", "=1+1", "x", "n/a", '=HYPERLINK("x")'],
    ["C-w", 46000.5, "", "在线", "1,000", "TRUE", "½", "N", "３", 5, "\u0301start"],
    ["C-v", "14:30", "E04", "", "3e2", " y ", 5, "", "", "", ""],
    ["C-u", "2026年1月3日 9点", "E05", "邮件", "", "maybe", 4, None, 4, 4, "x" * 70],
    ["C-t", "3024-01-01", "E06", "电话", 10, "", 3, None, 4, 4, "ok"],
    ["C-s", "2026-02-30", "E07", "电话", 10, "N", 3, None, 4, 4, "ok"],
    [None, None, None, None, None, None, None, None, None, None, None],  # a blank row
    ["C-r", "x", "E08", "电话", 10, "Y", 3, None, 4, 4, "ok"],
]  # fmt: skip


def _row(i: int) -> list[Any]:
    good = [f"G{i}", T + dt.timedelta(minutes=37 * i), f"E{i % 7:02d}", "电话", 20 + i % 9,
            "Y", 1 + i % 5, None, 1 + i % 5, 5 - i % 5, f"note {i % 13}"]  # fmt: skip
    return ODD[(i // 6) % len(ODD)] if i % 6 == 3 else good


def _write(path: Path, body: list[list[Any]], engine: str = "openpyxl", extra: Any = None) -> Path:
    """The sheet with shared strings (openpyxl, like Excel) or inline strings (xlsxwriter in
    constant-memory mode, like CSQ's own writer)."""
    if engine == "openpyxl":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "监测表"
        ws.append(HEAD)
        for r in body:  # openpyxl refuses control characters; xlsxwriter escapes them
            ws.append([v.replace("\x01", "") if isinstance(v, str) else v for v in r])
        if extra:
            extra(ws)
        wb.save(path)
        return path
    book = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("监测表")
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(0, 0, HEAD)
    for i, r in enumerate(body, 1):
        for j, v in enumerate(r):
            if v is None:
                continue
            if isinstance(v, dt.datetime):
                sheet.write_datetime(i, j, v, stamp)
            elif isinstance(v, str):
                sheet.write_string(i, j, v)
            else:
                sheet.write(i, j, v)
    book.close()
    return path


@pytest.fixture
def engines(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Tiny typed slices; the engine of every block converted below the head rows."""
    monkeypatch.setattr(columnar.ColumnarSheet, "slice_bytes", 4_000)
    used: list[str] = []
    convert = workbook.convert_block

    def spy(conv: Any, cols: Any, block: Block, findings: Any) -> Any:
        if block.rows.size and block.rows[0] > columnar.HEAD_ROWS:
            typed = all(isinstance(v, tuple) or v.dtype != object for v in block.cells.values())
            used.append("fastexcel" if typed else "calamine")
        return convert(conv, cols, block, findings)

    monkeypatch.setattr(workbook, "convert_block", spy)
    return used


def _findings(d: Any) -> list[tuple[str, str, str]]:
    return [(f.cell, f.value, f.rule) for f in d.findings if f.cell]


@pytest.mark.parametrize("engine", ["openpyxl", "xlsxwriter"])
def test_a_fastexcel_slice_equals_a_calamine_slice_of_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    path = _write(tmp_path / "messy.xlsx", [_row(i) for i in range(400)], engine)
    monkeypatch.setattr(columnar.ColumnarSheet, "slice_bytes", 4_000)
    read: dict[bool, tuple[list[dict[str, Any]], list[Any], list[str]]] = {}
    for typed in (True, False):
        with zipfile.ZipFile(path) as zf:
            sheet = columnar.ColumnarSheet(zf, sheet_parts(zf)["监测表"], "监测表")
            h = find_header(MONITORING, list(sheet.iter_rows()))
            assert h is not None
            conv = Converter(MONITORING, "zh", sheet="监测表")
            columns = {h.cols[c.key]: c for c in conv.columns if c.key in h.cols}
            parts: list[dict[str, Any]] = []
            findings: list[Any] = []
            kinds: list[str] = []
            for block in sheet.blocks(columns, typed=typed):
                kinds.append("object" if any(
                    not isinstance(v, tuple) and v.dtype == object for v in block.cells.values()
                ) else "typed")  # fmt: skip
                parts.append(convert_block(conv, h.cols, block, findings))
        read[typed] = (parts, findings, kinds)
    fast, exact = read[True], read[False]
    assert len(fast[2]) > 5 and set(exact[2]) == {"object"}
    # most slices by typed columns, odd values included (a rating of 3.5 is a slice by calamine)
    assert fast[2].count("typed") > len(fast[2]) * 3 // 4
    assert len(fast[1]) > 50 and fast[1] == exact[1]  # the same findings, cell for cell
    for a, b in zip(fast[0], exact[0], strict=True):
        assert a.keys() == b.keys()
        for key in a:
            x, y = pd.Series(a[key]), pd.Series(b[key])
            pd.testing.assert_series_equal(x, y, check_dtype=True, check_exact=True, obj=key)


def test_a_slice_the_typed_columns_cannot_vouch_for_is_read_by_calamine(
    tmp_path: Path, engines: list[str]
) -> None:
    body = [_row(i) for i in range(240) if i % 6 != 3]  # no odd values: typed slices
    body[150][4] = "12.5"  # a text in a number column (Excel row 152): read as a text
    body[151][6] = True  # a boolean in csat (row 153): TRUE would be 1 to fastexcel
    body[152][6] = "abc"  # a text in csat (row 154)
    body[60][1] = "2026-01-05 10:00"  # a date written as text in the time column (row 62)
    path = _write(tmp_path / "mismatch.xlsx", body)
    d = read_workbook(path, lang="en", columnar_above=0)
    assert engines.count("calamine") == 1 and engines.count("fastexcel") > 5  # one slice
    m = d.monitoring.set_index("_row")
    assert len(m) == 200
    assert m.loc[152, "first_response_s"] == 12.5 and m.loc[152, "contact_id"] == "G180"
    # issue 22: an Excel TRUE in a rating cell is no rating (a finding), never read as 1
    assert np.isnan(m.loc[153, "csat"]) and np.isnan(m.loc[154, "csat"])
    assert m.loc[155, "csat"] == 1 + 184 % 5
    assert m.loc[62, "contact_time"] == pd.Timestamp("2026-01-05 10:00")
    assert [(c, v) for c, v, _rule in _findings(d)] == [("G153", "TRUE"), ("G154", "abc")]


def test_a_cell_calamine_panics_on_is_a_finding_and_the_other_rows_are_kept(
    tmp_path: Path, engines: list[str]
) -> None:
    body = [_row(i) for i in range(240) if i % 6 != 3]
    body[150][1] = -1e14  # a date-formatted number far outside the calendar (row 152)
    path = tmp_path / "panic.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("监测表")
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.write_row(0, 0, HEAD)
    for i, r in enumerate(body, 1):
        for j, v in enumerate(r):
            if isinstance(v, (dt.datetime, float)) and j == 1:
                ws.write_number(i, j, -1e14, stamp) if isinstance(v, float) else ws.write_datetime(
                    i, j, v, stamp
                )
            elif v is not None:
                ws.write(i, j, v)
    wb.close()
    for columnar_above in (0, None):  # typed slices, or calamine whole
        engines.clear()
        d = read_workbook(path, lang="en", columnar_above=columnar_above)
        m = d.monitoring.set_index("_row")
        assert len(m) == 200 and m.loc[153, "contact_id"] == "G181"  # every row kept
        assert pd.isna(m.loc[152, "contact_time"]) and m.loc[152, "contact_id"] == "G180"
        found = _findings(d)
        assert [(c, v) for c, v, _rule in found] == [("B152", "-100000000000000")]
        assert "Contact time: is not a date" in found[0][2]
        # typed slices: that one slice again by calamine, which panics, then by openpyxl
        assert engines.count("calamine") == (1 if columnar_above == 0 else 0)


def test_merged_header_cells_are_reported_and_the_rows_still_read(
    tmp_path: Path, engines: list[str]
) -> None:
    path = _write(
        tmp_path / "merged.xlsx",
        [_row(i) for i in range(200) if i % 6 != 3],
        extra=lambda ws: ws.merge_cells("A1:B1"),
    )
    d = read_workbook(path, lang="en", columnar_above=0)
    assert set(engines) == {"fastexcel"}
    merged = [f for f in d.findings if "A1:B1" in f.rule]
    assert [(f.cell, f.value) for f in merged] == [("A1", "工单编号")]
    assert len(d.monitoring) == 0 or d.monitoring["_row"].min() > 1


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


def test_calamine_slices_give_the_cells_calamine_gives_for_the_whole_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many slices cross every boundary case: a slice starting with blank rows, a slice
    whose first used column is not A, text with XML characters, dates, booleans."""
    path = tmp_path / "s.xlsx"
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
        got = list(chunked.ChunkedSheet(zf, sheet_parts(zf)["S"], "S").iter_rows())
    want = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S")
    assert _stripped(got) == _stripped(want.to_python(skip_empty_area=False))
    assert got[3][1] == 4.5 and got[3][2] == 'row 3 "quoted" & <b>'  # row 4, B and C


def test_a_very_large_sheet_read_in_calamine_slices_gives_its_cells_addresses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from addin.jobs.demo_data import demo_monitoring

    df = demo_monitoring(600, seed=5, lang="en", as_of=AS_OF)
    csat = df["csat"].astype(object).copy()
    csat.iat[7] = 9  # out of range: a finding with its cell address
    csat.iat[450] = "good"
    df["csat"] = csat
    path = build_workbook(tmp_path / "m.xlsx", lang="en", monitoring=df, as_of=AS_OF)
    monkeypatch.setattr(chunked, "SLICE_BYTES", 20_000)
    d = read_workbook(path, stream_above=0, columnar_above=None)  # every sheet in slices
    assert len(d.monitoring) == 600
    bad = [(f.cell, f.value) for f in d.findings if f.key == "csat"]
    assert bad == [("O9", "9"), ("O452", "good")]  # data row i sits in Excel row i + 2
    assert d.monitoring.set_index("_row").loc[10, "contact_id"] == df["contact_id"].iat[8]


def test_an_empty_sheet_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "e.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Empty")  # <sheetData/>: no slices
    wb.close()
    with zipfile.ZipFile(path) as zf, pytest.raises(chunked.NotSliceable):
        chunked.ChunkedSheet(zf, sheet_parts(zf)["Empty"], "Empty")
    assert read_workbook(path, stream_above=0).monitoring.empty


def test_csq_report_reads_a_large_sheet_by_columns_with_pandas_on_its_own_text(
    tmp_path: Path,
) -> None:
    """The command reads a sheet above the threshold through fastexcel, and pandas, imported
    with pyarrow out of sight, keeps its own text storage (as where pyarrow is missing)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    book = tmp_path / "big.xlsx"
    build = (
        "import datetime as dt, sys\n"
        "from addin.jobs.demo_data import demo_monitoring\n"
        "from workbook_templates.builder import build_workbook\n"
        "d = dt.date(2026, 1, 15)\n"
        "build_workbook(sys.argv[1], monitoring=demo_monitoring(6000, seed=2, lang='zh',"
        " as_of=d), as_of=d)\n"
    )
    subprocess.run([sys.executable, "-c", build, str(book)], check=True, cwd=root)
    probe = (
        "import sys\n"
        "from addin import cli\n"
        "cli._import_pandas()  # what cli.main does first; the spy below imports the reader\n"
        "from addin.read import columnar\n"
        "used = []\n"
        "blocks = columnar.ColumnarSheet.blocks\n"
        "columnar.ColumnarSheet.blocks = lambda *a: used.append(1) or blocks(*a)\n"
        "rc = cli.main(['report', sys.argv[1], '-o', sys.argv[2], '--as-of', '2026-01-15'])\n"
        "import pandas as pd\n"
        "print(rc, bool(used), 'fastexcel' in sys.modules, pd.Series(['a']).dtype.storage)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(book), str(tmp_path / "out")],
        capture_output=True, text=True, check=True, cwd=root,
    ).stdout  # fmt: skip
    assert out.strip().splitlines()[-1] == "0 True True python"

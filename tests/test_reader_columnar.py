"""The columnar path (addin/read/columnar.py) reads what the exact path reads.

Every workbook is read twice: ``columnar_above=None`` (every cell through python-calamine,
as before) and ``columnar_above=0`` (every data sheet through fastexcel's typed columns, in
slices of a few rows so several slices and both worker threads are used).  Tables (values,
dtypes, row numbers) and findings (sheet, cell, value, text, severity, key) must be equal.
The messy sheets are checked to have been read by the columnar path itself, and the sheets
it must not read (booleans, decimals in a text column, dates out of the window, merged
cells) to have fallen back - the slice that holds them, or for merged cells the sheet - so
equality is never won by falling back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from hostile import workbook_cases

from addin.read import columnar
from addin.read.workbook import read_workbook

T = dt.datetime(2026, 1, 5, 9, 30)
HEAD = ["工单编号", "联系时间", "客服工号", "渠道", "首次响应(秒)", "是否接通", "满意度(1-5)",
        "致命错误", "响应速度", "服务态度", "问题描述"]  # fmt: skip
ODD: list[list[Any]] = [
    # contact id, time, agent, channel, first response, answered, csat, critical, speed,
    # attitude, description: texts fastexcel hands back as cell errors, blanks, numbers as
    # text, date texts, escapes only Rust's Debug form spells out
    ["C-x", "2026-01-03 09:30", 1001, "phone", "12", "yes", "N/A", "无", "NA", "不适用", 'a"b\\c'],
    [
        " C-y ",
        " 2026/1/3 x",
        "E01",
        "Phone ",
        " 3.5 ",
        1,
        " abc ",
        "-",
        3.5,
        " 2 ",
        "é\u0301中\u200b",
    ],
    ["C-z", "03/01/2026", "E02", "x", -1, 0, "", "否", 0, 6, "line\nbreak\ttab\x01"],
    ["", 46000, "E03", 3, 1e9, 2, " ", "=1+1", "x", "n/a", '=HYPERLINK("x")'],
    ["C-w", 46000.5, "", "在线", "1,000", "TRUE", "½", "N", "３", 5, "\u0301start"],
    ["C-v", "14:30", "E04", "", "3e2", " y ", 5, "", "", "", ""],
    ["C-u", "2026年1月3日 9点", "E05", "邮件", "", "maybe", 4, None, 4, 4, "x" * 70],
    ["C-t", "3024-01-01", "E06", "电话", 10, "", 3, None, 4, 4, "ok"],
    ["C-s", "2026-02-30", "E07", "电话", 10, "N", 3, None, 4, 4, "ok"],
    [None, None, None, None, None, None, None, None, None, None, None],  # a blank row
    ["C-r", "x", "E08", "电话", 10, "Y", 3, None, 4, 4, "ok"],
]


def _row(i: int) -> list[Any]:
    good = [f"G{i}", T + dt.timedelta(minutes=37 * i), f"E{i % 7:02d}", "电话", 20 + i % 9,
            "Y", 1 + i % 5, None, 1 + i % 5, 5 - i % 5, f"note {i % 13}"]  # fmt: skip
    if i % 6 == 3:
        return ODD[(i // 6) % len(ODD)]
    return good


def _write(path: Path, body: list[list[Any]], engine: str, extra: Any = None) -> Path:
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


def _read(path: Path, columnar_on: bool, lang: str = "zh") -> tuple[Any, ...]:
    d = read_workbook(path, lang=lang, columnar_above=0 if columnar_on else None)
    return (
        d.monitoring,
        d.problems,
        d.actions,
        d.calibration,
        [(f.sheet, f.cell, f.value, f.rule, f.severity, f.key) for f in d.findings],
    )


def _assert_same(a: tuple[Any, ...], b: tuple[Any, ...]) -> None:
    for x, y in zip(a[:4], b[:4], strict=True):
        pd.testing.assert_frame_equal(x, y, check_dtype=True, check_exact=True)
    assert a[4] == b[4]


@pytest.fixture
def fallbacks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Small slices (many per sheet) and the reasons the columnar path gave up, if any."""
    reasons: list[str] = []

    class Recorded(columnar.NotColumnar):
        def __init__(self, why: str) -> None:
            reasons.append(why)
            super().__init__(why)

    monkeypatch.setattr(columnar, "NotColumnar", Recorded)
    monkeypatch.setattr(columnar.ColumnarSheet, "slice_bytes", 4_000)
    convert = columnar.convert_slice

    def counted(*args: Any) -> Any:
        reasons.append("slice")  # a slice converted by the columnar path
        return convert(*args)

    monkeypatch.setattr(columnar, "convert_slice", counted)
    return reasons


@pytest.mark.parametrize("engine", ["openpyxl", "xlsxwriter"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_messy_sheet_read_by_columns_equals_cell_by_cell(
    tmp_path: Path, fallbacks: list[str], engine: str, lang: str
) -> None:
    path = _write(tmp_path / "messy.xlsx", [_row(i) for i in range(400)], engine)
    exact = _read(path, False, lang)
    assert not fallbacks
    fast = _read(path, True, lang)
    assert set(fallbacks) == {"slice"} and len(fallbacks) > 5  # the columnar path read it
    _assert_same(exact, fast)
    # the odd values were there to be read: e.g. the N/A rubric cells are blank, not errors
    cells = {f[1] for f in exact[4]}
    assert len(exact[0]) == 400 - sum(1 for i in range(400) if i % 6 == 3 and (i // 6) % 11 == 9)
    assert len(cells) > 50


@pytest.mark.parametrize(
    ("name", "cell", "reason"),
    [
        ("boolean", True, "boolean cells"),
        ("decimal_in_text", 12.5, "a number with decimals or a date in a text column"),
        ("date_in_text", dt.datetime(2026, 1, 5, 10, 0), "date in a text column"),
        ("old_date", dt.datetime(1950, 1, 1), "a date outside the window"),
    ],
)
def test_a_slice_the_columns_cannot_vouch_for_is_read_cell_by_cell(
    tmp_path: Path, fallbacks: list[str], name: str, cell: Any, reason: str
) -> None:
    body = [_row(i) for i in range(200)]
    col = {"boolean": 6, "decimal_in_text": 2, "date_in_text": 2, "old_date": 1}[name]
    body[150][col] = cell
    path = _write(tmp_path / f"{name}.xlsx", body, "openpyxl")
    exact = _read(path, False)
    fast = _read(path, True)
    gave_up = [r for r in fallbacks if r != "slice"]
    assert len(gave_up) == 1 and reason in gave_up[0]  # that one slice, cell by cell
    assert fallbacks.count("slice") > 5  # the others by columns
    _assert_same(exact, fast)


@pytest.mark.parametrize(
    ("merged", "gave_up"),
    [("A1:B1", ["merged cells"]), ("K120:K122", [])],
    ids=["header: the sheet cell by cell", "below the head: still by columns"],
)
def test_merged_cells(tmp_path: Path, fallbacks: list[str], merged: str, gave_up: list) -> None:
    path = _write(
        tmp_path / "merged.xlsx",
        [_row(i) for i in range(200)],
        "openpyxl",
        extra=lambda ws: ws.merge_cells(merged),
    )
    exact = _read(path, False)
    fast = _read(path, True)
    assert [r for r in fallbacks if r != "slice"] == gave_up
    _assert_same(exact, fast)
    if merged == "A1:B1":
        assert any("A1:B1" in f[3] for f in fast[4])  # the merged header is reported


def test_hostile_corpus_reads_the_same_through_the_columns(
    tmp_path: Path, fallbacks: list[str]
) -> None:
    books = sorted({c.path for c in workbook_cases(tmp_path) if c.path.suffix == ".xlsx"})
    assert len(books) > 10
    for book in books:
        try:
            exact: Any = _read(book, False)
        except Exception as exc:  # noqa: BLE001 - a refusal must be the same refusal
            exact = (type(exc).__name__, str(exc))
        try:
            fast: Any = _read(book, True)
        except Exception as exc:  # noqa: BLE001
            fast = (type(exc).__name__, str(exc))
        if isinstance(exact[0], str):
            assert fast == exact, book.name
        else:
            _assert_same(exact, fast)


def test_rust_debug_text_is_decoded_to_the_cell_text() -> None:
    assert columnar.rust_text(r"a\"b\\c\n\t\u{1}é\u{301}中") == 'a"b\\c\n\t\x01é\u0301中'
    assert columnar.cell_value("Expected float but got 'String(\"N/A\")'") == "N/A"
    assert columnar.cell_value("Expected float but got 'Error(NA)'") == ""
    with pytest.raises(columnar.NotColumnar):
        columnar.cell_value("Expected float but got 'DateTime(ExcelDateTime { value: 0.5 })'")


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
        "convert = columnar.convert_slice\n"
        "columnar.convert_slice = lambda *a: used.append(1) or convert(*a)\n"
        "rc = cli.main(['report', sys.argv[1], '-o', sys.argv[2], '--as-of', '2026-01-15'])\n"
        "import pandas as pd\n"
        "print(rc, bool(used), 'fastexcel' in sys.modules, pd.Series(['a']).dtype.storage)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(book), str(tmp_path / "out")],
        capture_output=True, text=True, check=True, cwd=root,
    ).stdout  # fmt: skip
    assert out.strip().splitlines()[-1] == "0 True True python"

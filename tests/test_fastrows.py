"""The fast row writer (workbook_templates/fastrows.py) writes exactly what xlsxwriter writes.

Every workbook here is built twice, once with the fast path and once with xlsxwriter's own
per-cell calls for every row (``builder.FAST_ROWS = False``), and every part of the two
files must be byte-for-byte equal: sheets, styles (format numbering), tables, everything.
The inputs carry what the fast path must get right or hand back to xlsxwriter: XML
characters, leading/trailing spaces, control characters, ``_xHHHH_`` escapes, rich-text
markup, texts over Excel's 32,767-character limit, dates, blanks, bad numbers as text.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import workbook_templates.builder as builder
import workbook_templates.cell_values as cell_values
from addin.jobs.demo_data import demo_monitoring

AS_OF = dt.date(2026, 1, 15)

ODD_TEXTS = [
    "A&B <fast> \"quoted\" 'single'",
    "  leading spaces",
    "trailing tab\t",
    "bell\x07inside",
    "_x0041_ looks like an escape",
    "<r><t>rich-looking</t></r>",
    "x" * 40_000,  # over Excel's limit: xlsxwriter truncates it
    "line one\nline two",
    "\ufffe non-character",
    "=1+1",  # stays text
    "中文备注，含全角标点：（）",
]


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **kw) -> tuple[dict, dict]:
    out = []
    for fast in (True, False):
        monkeypatch.setattr(builder, "FAST_ROWS", fast)
        p = tmp_path / f"{'fast' if fast else 'slow'}.xlsx"
        builder.build_workbook(p, as_of=AS_OF, **kw)
        out.append(_parts(p))
    return out[0], out[1]


def _assert_same(fast: dict, slow: dict) -> None:
    assert sorted(fast) == sorted(slow)
    for name in slow:
        assert fast[name] == slow[name], f"{name} differs between the fast and xlsxwriter paths"


def _odd_frame(n: int, lang: str) -> pd.DataFrame:
    df = demo_monitoring(n, seed=3, lang=lang, as_of=AS_OF)
    note = df["qc_note"].astype(object).copy()
    desc = df["problem_description"].astype(object).copy()
    for i, text in enumerate(ODD_TEXTS):
        note.iat[5 + 7 * i] = text  # spread over the rows, first row included below
        desc.iat[n - 1 - 3 * i] = text
    note.iat[0] = "first row & <text>"
    df["qc_note"] = note
    df["problem_description"] = desc
    csat = df["csat"].astype(object).copy()
    csat.iat[11] = "seven"  # a bad number stays visible as text
    csat.iat[12] = None
    df["csat"] = csat
    df.loc[df.index[n - 1], "team"] = "last row only team"  # a text first used in the last row
    return df


@pytest.mark.parametrize("lang,portable", [("zh", False), ("en", True)])
def test_filled_workbook_is_byte_identical_to_xlsxwriter(tmp_path, monkeypatch, lang, portable):
    df = _odd_frame(400, lang)
    fast, slow = _both(tmp_path, monkeypatch, lang=lang, portable=portable, monitoring=df)
    _assert_same(fast, slow)
    # and the special texts really are in the sheet (not silently dropped by both paths)
    sheet = next(v for k, v in fast.items() if k.startswith("xl/worksheets/") and b"A&amp;B" in v)
    assert b'xml:space="preserve">  leading spaces' in sheet
    assert b"bell_x0007_inside" in sheet
    assert b"_x005F_x0041_ looks like an escape" in sheet


@pytest.mark.parametrize("portable", [False, True])
def test_empty_template_is_byte_identical_to_xlsxwriter(tmp_path, monkeypatch, portable):
    fast, slow = _both(tmp_path, monkeypatch, lang="zh", portable=portable, blank_rows=1000)
    _assert_same(fast, slow)


def test_chunked_monitoring_is_byte_identical(tmp_path, monkeypatch):
    # more rows than one chunk, so the chunk boundary is crossed on the fast path
    monkeypatch.setattr(builder, "CHUNK_ROWS", 150)
    df = _odd_frame(400, "zh")
    fast, slow = _both(tmp_path, monkeypatch, lang="zh", monitoring=df)
    _assert_same(fast, slow)


@pytest.mark.parametrize(
    "key,values",
    [
        ("csat", [1.0, 2.5, float("nan"), 5.0, -0.0, 1e300, float("inf"), 2.0**60]),
        ("handle_time_s", pd.Series([3, 4, 5], dtype="int64")),
        ("csat", pd.Series([1.0, None, "seven", True], dtype=object)),
        (
            "contact_time",
            pd.to_datetime(
                ["2024-06-15 09:30:15.123456", None, "2025-01-01 00:00:00"], format="ISO8601"
            ),
        ),
        ("contact_id", ["C1", None, 12.0, 12.5, "C1", float("nan"), "  x  "]),
        ("channel", ["phone", "电话", "Phone ", "fax", None, "phone"]),
        ("answered", ["Y", "n", True, False, None, "是"]),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_column_values_equal_the_per_cell_rule(key, values, lang) -> None:
    # the column-at-a-time preparation gives exactly what _cell_value gives cell by cell
    from workbook_templates.schema import MONITORING

    col = MONITORING.column(key)
    df = pd.DataFrame({key: values})
    want = [cell_values.cell_value(col, v, lang) for v in df[key].tolist()]
    got = cell_values.column_values(df, col, lang, len(df))
    assert [(type(x), x) for x in got] == [(type(x), x) for x in want]

"""Finding sheets and headers: either language, reordered, extra columns, lower tables,
renamed or missing sheets, merged / moved / duplicate headers, missing required columns."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest

from addin.read.workbook import read_workbook
from workbook_templates.builder import build_workbook

Cells = dict[str, Any]


def write_book(
    path: Path, sheets: dict[str, Cells], merges: dict[str, list[str]] | None = None
) -> Path:
    """A workbook from {sheet name: {"B3": value, ...}} (first sheet first)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, cells in sheets.items():
        ws = wb.create_sheet(name)
        for addr, v in cells.items():
            ws[addr] = v
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


def table(top_left: str, headers: list[str], rows: list[list[Any]]) -> Cells:
    """Cells of a table whose header row starts at ``top_left``."""
    col0 = openpyxl.utils.column_index_from_string("".join(c for c in top_left if c.isalpha()))
    row0 = int("".join(c for c in top_left if c.isdigit()))
    out: Cells = {}
    for j, h in enumerate(headers):
        out[f"{openpyxl.utils.get_column_letter(col0 + j)}{row0}"] = h
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if v is not None:
                out[f"{openpyxl.utils.get_column_letter(col0 + j)}{row0 + 1 + i}"] = v
    return out


T = dt.datetime(2024, 6, 3, 9, 5)


def test_english_headers_reordered_with_extra_columns_and_table_lower(tmp_path: Path) -> None:
    cells = {"A1": "June QA sample", "A2": "exported by Lin"}
    cells |= table(
        "C4",
        ["CSAT (1-5)", "Notes from the floor", "Agent ID", "Contact time", "Contact ID", "Channel"],
        [
            [5, "x", "A1", T, "C1", "Phone"],
            [3, None, "A2", T + dt.timedelta(days=31), "C2", "chat"],
        ],
    )
    data = read_workbook(write_book(tmp_path / "en.xlsx", {"Monitoring": cells}))
    m = data.monitoring
    assert data.lang == "en"
    assert [e for e in data.findings if e.severity == "error"] == []
    assert m["contact_id"].tolist() == ["C1", "C2"]
    assert m["agent_id"].tolist() == ["A1", "A2"]
    assert m["csat"].tolist() == [5.0, 3.0]
    assert m["channel"].tolist() == ["phone", "chat"]
    assert m["_row"].tolist() == [5, 6]  # Excel rows below the header in row 4
    assert m["period"].tolist() == ["2024-06", "2024-07"]
    assert m["contact_time"].iloc[0] == pd.Timestamp("2024-06-03 09:05")
    assert "Notes from the floor" not in m.columns
    # absent optional fields are blank, never 0
    assert m["nps"].isna().all() and m["answered"].isna().all()


def test_chinese_headers_full_width_brackets_and_sheet_name(tmp_path: Path) -> None:
    cells = table(
        "A1",
        ["工单编号", "联系时间", "客服工号", "满意度（1-5）", "是否接通", "渠道"],
        [
            ["C1", "2024-06-03 09:05", "A1", 4, "是", "电话"],
            ["C2", "2024/6/4", "A1", 2, "否", "邮件"],
        ],
    )
    data = read_workbook(write_book(tmp_path / "zh.xlsx", {"监测表": cells}))
    m = data.monitoring
    assert data.lang == "zh"
    assert data.errors == []
    assert m["csat"].tolist() == [4.0, 2.0]
    assert m["answered"].tolist() == [1.0, 0.0]
    assert m["channel"].tolist() == ["phone", "email"]
    assert m["contact_time"].tolist() == [
        pd.Timestamp("2024-06-03 09:05"),
        pd.Timestamp("2024-06-04"),
    ]


def test_renamed_sheet_is_found_by_its_headers(tmp_path: Path) -> None:
    cells = table("B2", ["Contact ID", "Contact time", "Agent ID"], [["C1", T, "A1"]])
    data = read_workbook(
        write_book(tmp_path / "r.xlsx", {"Notes": {"A1": "hi"}, "June data": cells})
    )
    assert data.monitoring["contact_id"].tolist() == ["C1"]
    warn = [f for f in data.findings if f.sheet == "June data"]
    assert [f.severity for f in warn] == ["warning", "warning"]
    assert (
        warn[0].rule == "sheet June data is read as 监测表 / Monitoring (recognised by its headers)"
    )
    assert warn[1].rule.startswith("24 optional column(s) not found")  # + qc_verdict


def test_missing_monitoring_sheet_is_an_error_listing_the_sheets(tmp_path: Path) -> None:
    data = read_workbook(write_book(tmp_path / "m.xlsx", {"Sheet1": {"A1": "nothing"}}), lang="en")
    assert data.monitoring.empty
    err = [f for f in data.errors if f.sheet == "Monitoring"]
    assert [f.rule for f in err] == [
        "sheet 监测表 / Monitoring not found (sheets in the file: Sheet1)"
    ]


def test_missing_required_column_names_the_header_row(tmp_path: Path) -> None:
    cells = table("A3", ["Contact ID", "Agent ID", "CSAT (1-5)"], [["C1", "A1", 5]])
    data = read_workbook(write_book(tmp_path / "q.xlsx", {"Monitoring": cells}))
    msgs = [f.rule for f in data.errors]
    assert msgs == [
        "required column Contact time (联系时间) not found "
        "(header row 3: Contact ID, Agent ID, CSAT (1-5))"
    ]
    # the rows are still read
    assert data.monitoring["csat"].tolist() == [5.0]


def test_merged_and_moved_headers_are_reported_with_their_cells(tmp_path: Path) -> None:
    cells = table("A2", ["Contact ID", "Contact time", "Agent ID", "CSAT (1-5)", None], [])
    cells |= {"E2": "Channel", "F1": "NPS (0-10)"}  # merged E2:F2; NPS one row too high
    cells |= {"A3": "C1", "B3": T, "C3": "A1", "D3": 4, "E3": "Phone", "F3": 9}
    path = write_book(tmp_path / "mm.xlsx", {"Monitoring": cells}, {"Monitoring": ["E2:F2"]})
    data = read_workbook(path)
    by_cell = {f.cell: f for f in data.findings if f.sheet == "Monitoring"}
    assert by_cell["E2"].rule.startswith("header cells E2:F2 are merged")
    assert by_cell["F1"].rule == (
        "header NPS (0-10) is in row 1, not in the header row 2; the column is not read "
        "(move the header into row 2)"
    )
    assert data.monitoring["nps"].isna().all()
    assert data.monitoring["csat"].tolist() == [4.0]


def test_duplicate_header_keeps_the_first_column(tmp_path: Path) -> None:
    cells = table(
        "A1",
        ["Contact ID", "Contact time", "Agent ID", "CSAT (1-5)", "满意度(1-5)"],
        [["C1", T, "A1", 5, 1]],
    )
    data = read_workbook(write_book(tmp_path / "d.xlsx", {"Monitoring": cells}))
    assert data.monitoring["csat"].tolist() == [5.0]
    w = [f for f in data.findings if f.severity == "warning" and f.key == "csat"]
    assert [(f.cell, f.rule) for f in w] == [
        ("E1", "column CSAT (1-5) appears twice (D1 and E1); only D1 is read")
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_standard_workbook_round_trip(tmp_path: Path, lang: str) -> None:
    rows = pd.DataFrame(
        {
            "contact_id": ["C1", "C2", "C3"],
            "contact_time": [T, T + dt.timedelta(hours=2), T + dt.timedelta(days=40)],
            "channel": ["phone", "chat", "email"],
            "agent_id": ["A1", "A1", "A2"],
            "answered": ["Y", "N", "Y"],
            "csat": [5, None, 2],
            "speed": [5, None, "N/A"],
            "first_response_s": [12.5, None, 40],
        }
    )
    path = build_workbook(tmp_path / f"std_{lang}.xlsx", lang=lang, monitoring=rows)  # type: ignore[arg-type]
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    data = read_workbook(path)
    assert data.lang == lang
    assert data.sha256 == before
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # input untouched
    assert data.errors == []
    m = data.monitoring
    assert m["contact_id"].tolist() == ["C1", "C2", "C3"]
    assert m["answered"].tolist() == [1.0, 0.0, 1.0]
    np.testing.assert_array_equal(m["csat"].to_numpy(), [5.0, np.nan, 2.0])
    np.testing.assert_array_equal(m["speed"].to_numpy(), [5.0, np.nan, np.nan])
    np.testing.assert_array_equal(m["first_response_s"].to_numpy(), [12.5, np.nan, 40.0])
    assert m["period"].tolist() == ["2024-06", "2024-06", "2024-07"]
    assert m["contact_time"].iloc[1] == pd.Timestamp("2024-06-03 11:05")

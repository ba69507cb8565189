"""Bad cells: each one a finding with its exact address, value and what is allowed; the
rest of its row is kept.  Expected counts and texts are worked out by hand below."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from test_reader_headers import table, write_book

from addin.read.workbook import read_workbook
from udfs.core.problems import cell_text

T = dt.datetime(2024, 6, 3, 9, 5)
HEADERS = [
    "Contact ID",  # A
    "Contact time",  # B
    "Channel",  # C
    "Service type",  # D
    "Agent ID",  # E
    "CSAT (1-5)",  # F
    "NPS (0-10)",  # G
    "Answered",  # H
    "Speed",  # I
    "First response (s)",  # J
]
ROWS = [
    # row 3: clean
    ["C1", T, "Phone", "Inquiry", "A1", 5, 10, "Y", 5, 12],
    # row 4: csat 7, nps 11, answered "maybe", speed 0  -> 4 errors
    ["C2", T, "Chat", "Complaint", "A1", 7, 11, "maybe", 0, 30],
    # row 5: impossible date, text in a number -> 2 (an unknown channel and service type
    # are counted as typed, one warning each: SPEC section 3, issue 20)
    ["C3", "2024-02-30", "Fax", "Gossip", "A2", 4, 8, "N", "N/A", "fast"],
    # row 6: duplicate id, fraction rating -> 2 (a blank agent is one warning per column)
    ["C1", T, "email", "billing", None, 4.5, 0, "是", 3, 0],
    # row 7: date before 2000, nps -1 -> 2
    ["C5", dt.datetime(1999, 12, 31), "ticket", "technical", "A3", 1, -1, "no", 2, 5],
]


def _book(tmp_path: Path) -> Path:
    return write_book(tmp_path / "bad.xlsx", {"Monitoring": table("A2", HEADERS, ROWS)})


def test_every_bad_cell_is_listed_with_its_address(tmp_path: Path) -> None:
    data = read_workbook(_book(tmp_path), lang="en")
    cells = [(f.cell, f.value) for f in data.errors if f.sheet == "Monitoring"]
    assert cells == [
        ("F4", "7"),
        ("G4", "11"),
        ("H4", "maybe"),
        ("I4", "0"),
        ("B5", "2024-02-30"),
        ("J5", "fast"),
        ("A6", "C1"),
        ("F6", "4.5"),
        ("B7", "1999-12-31"),
        ("G7", "-1"),
    ]  # 4 + 2 + 2 + 2 = 10, hand-counted in ROWS
    warnings = [(f.cell, f.code, f.value) for f in data.findings if f.severity == "warning"]
    assert ("C5", "new_choice", "Fax") in warnings and ("D5", "new_choice", "Gossip") in warnings
    assert ("E6", "agent_id_blank", "") in warnings


def test_messages_say_what_was_found_and_what_is_allowed(tmp_path: Path) -> None:
    data = read_workbook(_book(tmp_path), lang="en")
    rule = {f.cell: f.rule for f in data.findings}
    assert rule["F4"] == "CSAT (1-5): not in 1-5; allowed: a whole number from 1 to 5, or blank"
    assert rule["G4"] == "NPS (0-10): not in 0-10; allowed: a whole number from 0 to 10, or blank"
    assert rule["H4"] == "Answered: is not Y/N; allowed: Y or N (also yes/no, 是/否, 1/0), or blank"
    assert rule["B5"] == (
        "Contact time: is not a date; allowed: a date and time from 2000-01-01 to "
        "2100-01-01, e.g. 2024-06-15 09:30"
    )
    assert rule["C5"] == (
        "Channel: Fax is not on the Config list; accepted and counted as typed (1 row(s))"
    )
    assert rule["J5"] == (
        "First response (s): is not a number; allowed: a number from 0 to 2592000, or blank"
    )
    assert rule["A6"] == "Contact ID: C1 is a duplicate of row 3; each contact needs its own id"
    assert rule["E6"] == "Agent ID: blank in 1 row(s): agent rankings and feedback skip them"
    assert (
        rule["F6"]
        == "CSAT (1-5): not a whole number; allowed: a whole number from 1 to 5, or blank"
    )
    assert rule["B7"] == (
        "Contact time: 1999-12-31 is outside 2000-01-01 to 2100-01-01; allowed: a date and "
        "time from 2000-01-01 to 2100-01-01, e.g. 2024-06-15 09:30"
    )


def test_messages_in_chinese(tmp_path: Path) -> None:
    data = read_workbook(_book(tmp_path), lang="zh")
    rule = {f.cell: f.rule for f in data.findings}
    assert rule["F4"] == "满意度(1-5)：不在 1-5 范围内；允许：1 到 5 之间的整数，或留空"
    assert rule["J5"] == "首次响应(秒)：不是数字；允许：0 到 2592000 之间的数字，或留空"
    assert rule["E6"] == "客服工号：1 行为空，客服排名与个人反馈不含这些行"


def test_rows_with_bad_cells_keep_their_good_fields(tmp_path: Path) -> None:
    m = read_workbook(_book(tmp_path)).monitoring
    assert len(m) == 5
    row4 = m.iloc[1]
    assert np.isnan(row4["csat"]) and np.isnan(row4["nps"]) and np.isnan(row4["answered"])
    assert row4["channel"] == "chat" and row4["service_type"] == "complaint"
    assert row4["first_response_s"] == 30.0
    row5 = m.iloc[2]
    assert pd.isna(row5["contact_time"]) and row5["period"] is None
    assert row5["channel"] == "Fax" and row5["csat"] == 4.0 and row5["answered"] == 0.0
    assert np.isnan(row5["speed"])  # N/A is blank, not an error
    row6 = m.iloc[3]
    assert row6["contact_id"] == "C1" and row6["agent_id"] is None
    assert row6["answered"] == 1.0 and row6["nps"] == 0.0


def test_dates_as_text_serials_and_datetimes(tmp_path: Path) -> None:
    rows = [
        ["C1", "2024-06-15 09:30", "A1"],
        ["C2", "2024/6/16", "A1"],
        ["C3", 45460.75, "A1"],  # Excel serial of 2024-06-17 18:00
        ["C4", dt.datetime(2024, 6, 18, 23, 59, 59), "A1"],
    ]
    path = write_book(
        tmp_path / "d.xlsx",
        {"Monitoring": table("A1", ["Contact ID", "Contact time", "Agent ID"], rows)},
    )
    data = read_workbook(path)
    assert data.errors == []
    assert data.monitoring["contact_time"].tolist() == [
        pd.Timestamp("2024-06-15 09:30"),
        pd.Timestamp("2024-06-16"),
        pd.Timestamp("2024-06-17 18:00"),
        pd.Timestamp("2024-06-18 23:59:59"),
    ]


def test_actions_and_problems_tables(tmp_path: Path) -> None:
    sheets = {
        "Monitoring": table("A1", ["Contact ID", "Contact time", "Agent ID"], [["C1", T, "A1"]]),
        "Problems": table(
            "A1",
            ["Problem", "Frequency", "Cause category", "Root cause"],
            [["Slow reply", 99, "Process", "rota"], ["Wrong info", None, "Weather", None]],
        ),
        "Actions": table(
            "A1",
            ["No.", "Measure", "Planned date", "Actual date", "Status", "Baseline"],
            [
                [1, "Training", dt.datetime(2024, 7, 1), dt.datetime(2024, 7, 3), "Done", 0.6],
                [2, "Rota", "2024-13-01", None, "doing", "n/a"],
            ],
        ),
    }
    data = read_workbook(write_book(tmp_path / "pa.xlsx", sheets), lang="en")
    p, a = data.problems, data.actions
    assert p["problem"].tolist() == ["Slow reply", "Wrong info"]
    assert p["cause_category"].tolist() == ["process", None]
    assert "count" not in p.columns  # computed columns are recomputed, not read
    assert a["action_no"].tolist() == ["1", "2"]
    assert a["status"].tolist() == ["done", "in_progress"]
    assert a["planned_date"].iloc[0] == pd.Timestamp("2024-07-01")
    assert a["actual_date"].iloc[0] == pd.Timestamp("2024-07-03")
    assert a["_row"].tolist() == [2, 3]
    errs = {(f.sheet, f.cell, f.value) for f in data.errors}
    assert errs == {
        ("Problems", "C3", "Weather"),
        ("Actions", "C3", "2024-13-01"),
        ("Actions", "F3", "n/a"),
    }


def test_core_text_and_yes_no_converters_used_by_the_reader() -> None:
    """The reader relies on these core converters (sped up for whole columns)."""
    from udfs.core.values import to_text, to_yes_no

    cells = np.array([[" a "], [1001.0], [None], [np.nan], ["   "], [2.5]], dtype=object)
    assert to_text(cells)[:, 0].tolist() == ["a", "1001", None, None, None, "2.5"]
    yn = np.array(
        [["Y"], ["yes"], ["是"], [True], [0.0], ["N"], [" "], ["maybe"], [2]], dtype=object
    )
    vals, errs = to_yes_no(yn, "answered")
    np.testing.assert_array_equal(vals[:, 0], [1, 1, 1, 1, 0, 0, np.nan, np.nan, np.nan])
    assert [e if e is None else cell_text(e) for e in errs[:, 0].tolist()] == [None] * 7 + [
        "#CSQ! answered 'maybe' is not Y/N",
        "#CSQ! answered 2 is not Y/N",
    ]


def test_streamed_reading_of_big_sheets_gives_the_same_result(tmp_path: Path) -> None:
    """Very large sheets are streamed with openpyxl instead of calamine (memory); forcing
    that path on the small workbook must give the same table and the same findings."""
    path = _book(tmp_path)
    loaded = read_workbook(path, lang="en")
    streamed = read_workbook(path, lang="en", stream_above=0)
    pd.testing.assert_frame_equal(loaded.monitoring, streamed.monitoring)
    assert [str(f) for f in loaded.findings] == [str(f) for f in streamed.findings]
    assert len(loaded.errors) == 10


def test_repeated_texts_each_reported_at_their_own_cell(tmp_path: Path) -> None:
    # text-only columns are converted once per distinct text and given back to each cell:
    # a bad text on two rows is two findings, each at its own address
    headers = ["Contact ID", "Contact time", "Agent ID", "Channel", "Answered", "Team"]
    rows = [
        ["C1", T, "A1", "Phone", "Y", "T1"],  # row 2
        ["C2", T, "A1", "Fax", "maybe", " T1 "],  # row 3: channel D3, answered E3
        ["C3", T, "A2", "Fax", "maybe", "T1"],  # row 4: channel D4, answered E4
        ["C4", T, "A2", " chat ", "是", None],  # row 5: fine (chat, 是 = Y)
    ]
    book = write_book(tmp_path / "r.xlsx", {"Monitoring": table("A1", headers, rows)})
    d = read_workbook(book, lang="en")
    m = d.monitoring
    assert m["channel"].tolist() == ["phone", "Fax", "Fax", "chat"]  # counted as typed
    assert m["answered"].tolist()[0] == 1.0 and m["answered"].tolist()[3] == 1.0
    assert m["answered"].isna().tolist() == [False, True, True, False]
    assert m["team"].tolist() == ["T1", "T1", "T1", None]
    cells = [(f.cell, f.value) for f in d.findings if f.cell]
    assert cells == [("D3", "Fax"), ("E3", "maybe"), ("E4", "maybe")]  # Fax: one warning
    assert [f.severity for f in d.findings if f.cell] == ["warning", "error", "error"]


def test_a_column_mixing_booleans_numbers_and_text_is_read_cell_by_cell(tmp_path: Path) -> None:
    # TRUE, 1 and "Y" all mean yes; 2 and "2" are not Y/N: one finding each, at E5 and E6
    headers = ["Contact ID", "Contact time", "Agent ID", "Channel", "Answered"]
    rows = [[f"C{i}", T, "A1", "Phone", v] for i, v in enumerate([True, 1, "Y", 2, "2"])]
    book = write_book(tmp_path / "m.xlsx", {"Monitoring": table("A1", headers, rows)})
    d = read_workbook(book, lang="en")
    assert d.monitoring["answered"].tolist()[:3] == [1.0, 1.0, 1.0]
    assert d.monitoring["answered"].isna().tolist() == [False, False, False, True, True]
    assert [(f.cell, f.value) for f in d.findings if f.cell] == [("E5", "2"), ("E6", "2")]

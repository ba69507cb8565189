"""Columns of an export that the map does not name are kept (issue 23, item 5): written on
the imported workbook's Monitoring sheet as the Table's last columns (after the inputs,
before the computed columns), read back as ``extra:<header>`` without a finding, kept by ``csq sample`` too.
Expected values come from the export read with pandas alone."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from addin.cli import main
from addin.read.workbook import read_workbook

EXPORT = """Ticket ID,Created,Status,Priority,Team,Channel,Note,Description
T1,2024-07-01 09:00:00,Closed,High,North,Email,=1+1,refund please
T2,2024-07-01 10:00:00,Open,Low,South,Chat,,cannot log in
T3,2024-07-02 10:00:00,Open,,North,Email,@x,
T4,2024-07-02 11:00:00,Closed,Medium,,Chat,plain,slow
T5,2024-07-03 08:00:00,Pending,High,South,Email,+7,
"""
MAP = """[constants]
agent_id = "queue"

[columns]
contact_id = "Ticket ID"
contact_time = "Created"
channel = "Channel"
problem_description = "Description"
"""
EXTRAS = ["Status", "Priority", "Team", "Note"]


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    export = tmp_path / "tickets.csv"
    export.write_text(EXPORT, encoding="utf-8")
    m = tmp_path / "tickets.toml"
    m.write_text(MAP, encoding="utf-8")
    return export, m


def _expected(export: Path) -> pd.DataFrame:
    return pd.read_csv(export, dtype=str, keep_default_na=False).set_index("Ticket ID")


def _sheet_columns(path: Path) -> tuple[dict[str, int], list[tuple], str]:
    wb = openpyxl.load_workbook(path)
    ws = wb["Monitoring"]
    rows = list(ws.iter_rows(values_only=True))
    header = {str(v): j for j, v in enumerate(rows[0]) if v is not None}
    (table,) = ws.tables.values()
    return header, rows[1:], table.ref


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_export_column_is_kept_in_the_imported_workbook(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    export, m = files
    out = tmp_path / "t.xlsx"
    assert main(["import", str(export), "--map", str(m), "-o", str(out), "--lang", "en"]) == 0
    want = _expected(export)
    header, rows, ref = _sheet_columns(out)
    # a header the reader would take for the template's Team column is marked as the export's
    kept = {"Status": "Status", "Priority": "Priority", "Team": "Team (export)", "Note": "Note"}
    assert "Team" in header  # the template's own Team column (filled by no map entry)
    last_table_col = openpyxl.utils.column_index_from_string(ref.split(":")[1].rstrip("0123456789"))
    cid = header["Contact ID"]
    # the Table's last columns, in the export's order: after the template's input columns,
    # before the computed ones
    assert [header[h] for h in kept.values()] == list(range(last_table_col - 4, last_table_col))
    assert header["QA score"] == last_table_col
    for src, h in kept.items():
        got = {r[cid]: r[header[h]] for r in rows if r[cid]}
        assert got == {k: (v or None) for k, v in want[src].items()}
    # customer text is never a formula
    wb = openpyxl.load_workbook(out)
    ws = wb["Monitoring"]
    assert ws.cell(2, header["Note"] + 1).data_type == "s"
    assert ws.cell(2, header["Note"] + 1).value == "=1+1"

    data = read_workbook(out, lang=lang)
    assert data.findings == []
    mon = data.monitoring.set_index("contact_id")
    for src, h in kept.items():
        col = mon[f"extra:{h}"]
        assert {k: (None if pd.isna(v) else v) for k, v in col.items()} == {
            k: (v or None) for k, v in want[src].items()
        }
    capsys.readouterr()
    assert main(["validate", str(out), "--lang", lang]) == 0
    printed = capsys.readouterr()
    assert "warning" not in printed.out.lower().replace("0 warning", "")
    assert "Status" not in printed.out + printed.err


def test_a_blank_template_has_no_extra_columns(tmp_path: Path) -> None:
    out = tmp_path / "blank.xlsx"
    assert main(["new", str(out), "--lang", "en"]) == 0
    data = read_workbook(out)
    assert not [c for c in data.monitoring.columns if str(c).startswith("extra:")]


def test_sample_keeps_the_extra_columns(files: tuple[Path, Path], tmp_path: Path) -> None:
    export, m = files
    out = tmp_path / "s.xlsx"
    args = ["sample", str(export), "--map", str(m), "-o", str(out), "--lang", "en"]
    assert main([*args, "--ratio", "1", "--seed", "3"]) == 0
    want = _expected(export)
    data = read_workbook(out)
    assert data.findings == []
    mon = data.monitoring.set_index("contact_id")
    assert len(mon) == 5
    for src in ("Status", "Priority", "Note"):
        got = {k: (None if pd.isna(v) else v) for k, v in mon[f"extra:{src}"].items()}
        assert got == {k: (v or None) for k, v in want[src].items()}


def test_convert_keeps_the_extra_columns(files: tuple[Path, Path], tmp_path: Path) -> None:
    export, m = files
    out = tmp_path / "t.xlsx"
    assert main(["import", str(export), "--map", str(m), "-o", str(out), "--lang", "zh"]) == 0
    portable = tmp_path / "p.xlsx"
    assert main(["convert", str(out), "--portable", "-o", str(portable)]) == 0
    data = read_workbook(portable)
    assert data.findings == []
    mon = data.monitoring.set_index("contact_id")
    want = _expected(export)
    got = {k: (None if pd.isna(v) else v) for k, v in mon["extra:Priority"].items()}
    assert got == {k: (v or None) for k, v in want["Priority"].items()}


def test_an_xlsx_exports_extra_cells_keep_their_values(tmp_path: Path) -> None:
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(["Id", "When", "Agent", "Amount", "Due", "Flag"])
    ws.append(["A1", dt.datetime(2024, 6, 1, 9), "ann", 12.5, dt.datetime(2024, 6, 9), True])
    ws.append(["A2", dt.datetime(2024, 6, 2, 9), "bob", None, dt.datetime(2024, 6, 9, 8, 30), None])
    export = tmp_path / "e.xlsx"
    wb.save(export)
    m = tmp_path / "e.toml"
    m.write_text('[columns]\ncontact_id="Id"\ncontact_time="When"\nagent_id="Agent"\n', "utf-8")
    out = tmp_path / "o.xlsx"
    assert main(["import", str(export), "--map", str(m), "-o", str(out), "--lang", "en"]) == 0
    data = read_workbook(out)
    assert data.findings == []
    mon = data.monitoring
    assert mon["extra:Amount"].tolist()[0] == "12.5" and pd.isna(mon["extra:Amount"].tolist()[1])
    assert mon["extra:Due"].tolist() == ["2024-06-09", "2024-06-09 08:30"]
    assert mon["extra:Flag"].tolist()[0] == "TRUE"

"""Lists on the Config sheet (``workbook_templates.config_tables``): written, edited, read.

A table declared once is written below the settings with its defaults and spare rows,
editable on the protected sheet, and read back from the file as the user left it: rows
added in the spare rows count, blank rows are skipped, a bad cell is a finding with its
address and its row is left out.  The scoring configuration above it is unaffected.
"""

from __future__ import annotations

import openpyxl
import pytest

from addin.read.workbook import read_workbook
from udfs.core.config import DEFAULT_CONFIG
from workbook_templates import config_tables
from workbook_templates.builder import build_workbook
from workbook_templates.config_tables import ConfigTable, TableColumn

LIMITS = ConfigTable(
    "limits",
    "测试上限",
    "Test limits",
    (
        TableColumn("name", "名称", "Name", required=True),
        TableColumn("limit", "上限", "Limit", "number"),
        TableColumn("side", "方向", "Side", "choice", ("higher", "lower")),
    ),
    defaults=lambda lang: [("响应" if lang == "zh" else "speed", 30, "lower")],
    spare_rows=3,
)


@pytest.fixture
def with_table(monkeypatch):
    monkeypatch.setattr(config_tables, "CONFIG_TABLES", (LIMITS,))


def _config_sheet(wb):
    return wb["配置"] if "配置" in wb.sheetnames else wb["Config"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_defaults_are_written_and_read_back(tmp_path, with_table, lang):
    path = tmp_path / "t.xlsx"
    build_workbook(path, lang=lang)
    data = read_workbook(path)
    rows = data.config_tables["limits"]
    assert [(r["name"], r["limit"], r["side"]) for r in rows] == [
        ("响应" if lang == "zh" else "speed", 30.0, "lower")
    ]
    assert data.config == DEFAULT_CONFIG  # the settings above still parse
    assert not [f for f in data.findings if f.sheet == ("配置" if lang == "zh" else "Config")]


def test_edited_rows_are_read_and_bad_cells_reported(tmp_path, with_table):
    path = tmp_path / "t.xlsx"
    build_workbook(path, lang="en")
    wb = openpyxl.load_workbook(path)
    ws = _config_sheet(wb)
    marker = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "table.limits")
    first = marker + 2  # marker, header, then the default row
    assert ws.cell(first, 1).value == "speed"
    assert ws.cell(first, 2).protection.locked is False  # editable on the protected sheet
    ws.cell(first + 2, 1, "csat")  # a spare row, one blank row left between
    ws.cell(first + 2, 2, 4.2)
    ws.cell(first + 2, 3, "higher")
    ws.cell(first + 3, 1, "fcr")
    ws.cell(first + 3, 2, "85%?")  # not a number
    ws.cell(first + 1, 3, "sideways")  # a choice that is not allowed (name blank too)
    wb.save(path)

    data = read_workbook(path)
    rows = data.config_tables["limits"]
    assert [(r["name"], r["limit"], r["_row"]) for r in rows] == [
        ("speed", 30.0, first),
        ("csat", 4.2, first + 2),
    ]
    where = {(f.cell, f.value) for f in data.findings if f.sheet == "Config"}
    assert (f"B{first + 3}", "85%?") in where
    assert (f"C{first + 1}", "sideways") in where
    assert (f"A{first + 1}", "") in where  # required name missing in a filled row


def test_a_workbook_without_the_table_falls_back(tmp_path):
    path = tmp_path / "old.xlsx"
    build_workbook(path, lang="en")  # no table registered when it was written
    data = read_workbook(path)
    assert "limits" not in data.config_tables


def test_a_dropdown_longer_than_excel_allows_lists_every_choice_from_cells(tmp_path):
    """Excel refuses a typed list validation over 255 characters (xlsxwriter drops it with
    a warning): the English KPI dropdown of the Targets table lists every KPI from cells."""
    import warnings

    import openpyxl

    from udfs.core.targets import TARGET_KPIS
    from workbook_templates.builder import build_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # xlsxwriter's "exceeds Excel's limit of 255"
        path = build_workbook(tmp_path / "en.xlsx", lang="en")
    ws = openpyxl.load_workbook(path)["Config"]
    sources = {dv.formula1 for dv in ws.data_validations.dataValidation}
    ranged = [s for s in sources if s and "$" in s and ":" in s and not s.startswith('"')]
    assert ranged, sources
    first, last = ranged[0].lstrip("=").split(":")
    listed = [c.value for row in ws[f"{first}:{last}"] for c in row]
    assert len(listed) == len(TARGET_KPIS) and all(listed)
    assert len(",".join(listed)) > 255

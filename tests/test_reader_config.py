"""The Config sheet through the reader: indicator weights, bad cells as findings, and the
as-of date only when it is a fixed date (not the =TODAY() formula)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd

from addin.jobs.validate import validate_workbook
from addin.read.workbook import read_workbook
from udfs.core.config import DEFAULT_CONFIG
from workbook_templates.builder import build_workbook

ROWS = pd.DataFrame(
    {"contact_id": ["C1"], "contact_time": [dt.datetime(2024, 6, 1, 9)], "agent_id": ["A1"]}
)


def _row_of(ws: openpyxl.worksheet.worksheet.Worksheet, key: str) -> int:
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        if cell.value == key:
            return cell.row
    raise AssertionError(key)


def test_as_of_is_read_only_when_fixed(tmp_path: Path) -> None:
    today = build_workbook(
        tmp_path / "t.xlsx", lang="en", monitoring=ROWS, as_of=dt.date(2024, 7, 1)
    )
    fixed = build_workbook(
        tmp_path / "f.xlsx", lang="zh", monitoring=ROWS, as_of=dt.date(2024, 7, 1), as_of_fixed=True
    )
    assert read_workbook(today).as_of is None  # =TODAY(): the report uses its own as-of
    assert read_workbook(fixed).as_of == dt.date(2024, 7, 1)


def test_edited_weight_is_used_and_a_bad_weight_is_a_finding(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "c.xlsx", lang="en", monitoring=ROWS)
    wb = openpyxl.load_workbook(path)
    ws = wb["Config"]
    r_speed, r_att = _row_of(ws, "contact.speed"), _row_of(ws, "contact.attitude")
    ws.cell(r_speed, 3).value = 30
    ws.cell(r_att, 3).value = "heavy"
    wb.save(path)
    data = read_workbook(path)
    weights = {i.key: i.weight for i in data.config.contact_indicators}
    assert weights["speed"] == 30
    assert weights["attitude"] == 20  # the default, because the cell was bad
    bad = [f for f in validate_workbook(path) if f.sheet == "Config"]
    assert [(f.cell, f.value, f.severity) for f in bad] == [(f"C{r_att}", "heavy", "error")]


def test_explicit_config_wins(tmp_path: Path) -> None:
    path = build_workbook(tmp_path / "x.xlsx", lang="en", monitoring=ROWS)
    cfg = DEFAULT_CONFIG.model_copy(update={"min_agent_sample": 9})
    assert read_workbook(path, config=cfg).config.min_agent_sample == 9

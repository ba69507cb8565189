"""Identical findings grouped (issue 23, items 6 and 7): ``csq validate`` (text and
``--json``), the report's Data quality sheet and the import summary show one line per
rule x column x value with the count and the first cells; one wording of what the figures
do with the cells that is true for each rule."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from test_reader_headers import table, write_book

from addin.cli import main
from udfs.core.data import Finding
from udfs.core.grouping import effect, group_findings

T = dt.datetime(2024, 6, 3, 9, 5)


def _book(tmp_path: Path, n: int = 12) -> Path:
    # n contacts whose problem category "Billing" is on no list, two CSAT 9, one CSAT 7
    rows = [[f"C{i}", T, "A1", 4, "Billing"] for i in range(n)]
    rows[3][3] = rows[5][3] = 9
    rows[6][3] = 7
    heads = ["Contact ID", "Contact time", "Agent ID", "CSAT (1-5)", "Problem category"]
    probs = table("A1", ["Problem", "Direct cause"], [["Slow reply", "staff"]])
    return write_book(
        tmp_path / "g.xlsx", {"Monitoring": table("A1", heads, rows), "Problems": probs}
    )


def test_validate_text_groups_identical_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _book(tmp_path)
    assert main(["validate", str(path), "--lang", "en"]) == 1
    out = capsys.readouterr().out.splitlines()
    billing = [x for x in out if "'Billing'" in x]
    assert billing == [
        "  [warning] Monitoring!E2, E3, E4, E5, E6 and 7 more 'Billing'  Problem category: not "
        "on the Config list 'Problem category choices' nor among the Problems sheet's problems; "
        "add it to one of them (it is counted as typed)"
    ]
    nines = [x for x in out if "'9'" in x]
    assert len(nines) == 1 and nines[0].startswith("  [error] Monitoring!D5, D7 '9'")
    sevens = [x for x in out if "'7'" in x]
    assert len(sevens) == 1 and sevens[0].startswith("  [error] Monitoring!D8 '7'")
    # the counts are still per cell: 12 Billing + optional columns + no Actions, no Config
    assert out[-1].endswith("3 error(s), 15 warning(s) in 12 monitoring row(s)"), out[-1]
    assert main(["validate", str(path), "--lang", "zh"]) == 1
    zh = [x for x in capsys.readouterr().out.splitlines() if "'Billing'" in x]
    assert len(zh) == 1 and "!E2、E3、E4、E5、E6 等 12 处 'Billing'" in zh[0]


def test_validate_json_keeps_every_finding_and_adds_the_groups(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _book(tmp_path)
    main(["validate", str(path), "--lang", "en", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert sum(1 for f in doc["findings"] if f["value"] == "Billing") == 12
    groups = {(g["code"], g["value"]): g for g in doc["groups"]}
    g = groups[("unknown_category", "Billing")]
    assert g["count"] == 12 and g["cells"] == ["E2", "E3", "E4", "E5", "E6"]
    assert g["effect"] == "counted as typed" and g["field"] == "problem_category"
    g9 = groups[("not_in_range", "9")]
    assert g9["count"] == 2 and g9["cells"] == ["D5", "D7"]
    assert g9["effect"] == "left out of the figures (counted as blank)"
    assert sum(g["count"] for g in doc["groups"]) == len(doc["findings"])


def test_report_quality_sheet_and_finding_say_what_happens_to_each_kind(tmp_path: Path) -> None:
    path = _book(tmp_path)
    out = tmp_path / "out"
    assert main(["report", str(path), "-o", str(out), "--lang", "en", "--as-of", "2024-07-01"]) == 0
    wb = openpyxl.load_workbook(out / "g.report.xlsx", read_only=True)
    rows = [r for r in wb["Data quality"].iter_rows(values_only=True) if r and r[0] == "Monitoring"]
    billing = [r for r in rows if r[2] == "Billing"]
    assert len(billing) == 1 and billing[0][5] == 12 and billing[0][7] == "counted as typed"
    assert billing[0][6] == "E3, E4, E5, E6 and 7 more"
    summary = json.loads((out / "g.summary.json").read_text(encoding="utf-8"))
    dq = next(f for f in summary["findings"] if f["kind"] == "data_quality")
    assert "3 cell(s) with errors are left out of the figures" in dq["text"]
    assert "12 value(s) not on a list are counted as typed" in dq["text"]
    assert "leave those cells out" not in dq["text"]


def test_groups_are_a_view_in_first_order() -> None:
    fs = [
        Finding("M", "A2", "x", "r1", "error", "csat"),
        Finding("M", "B2", "y", "r2", "warning", "team"),
        Finding("M", "A3", "x", "r1", "error", "csat"),
        Finding("M", "A4", "z", "r1", "error", "csat"),
        Finding("calls.csv:7", "", "x", "r1", "error", "csat"),
        Finding("calls.csv:9", "", "x", "r1", "error", "csat"),
    ]
    gs = group_findings(fs)
    assert [(g.first.cell or g.first.sheet, g.count) for g in gs] == [
        ("A2", 2), ("B2", 1), ("A4", 1), ("calls.csv:7", 2)
    ]  # fmt: skip
    assert gs[0].where() == "M!A2, A3" and gs[3].where() == "calls.csv:7, 9"
    assert effect(fs[1], "en") == "" and effect(fs[0], "zh") == "未计入统计（按空白处理）"

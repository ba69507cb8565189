"""``csq validate``: grouped findings with exact texts, counts, exit codes, JSON; the
workbook is never modified."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from test_reader_headers import table, write_book

from addin.cli import main
from addin.jobs.validate import validate_workbook
from workbook_templates.builder import build_workbook

T = dt.datetime(2024, 6, 3, 9, 5)


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _bad(tmp_path: Path) -> Path:
    rows = [["C1", T, "A1", 5], ["C2", T, "A2", 9], ["C2", "soon", "A3", 4]]
    return write_book(
        tmp_path / "bad.xlsx",
        {"Monitoring": table("A1", ["Contact ID", "Contact time", "Agent ID", "CSAT (1-5)"], rows)},
    )


def test_errors_exit_1_with_every_problem_grouped_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _bad(tmp_path)
    before = _sha(path)
    code = main(["validate", str(path), "--lang", "en"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[:5] == [
        "Monitoring: 3 error(s), 1 warning(s)",
        # rule 5: every optional field that has no column is stated (CSAT is there)
        "  [warning] Monitoring  23 optional column(s) not found, so the figures that need "
        "them show no data: Channel, Service type, Team, Reviewer, Customer ID, First response "
        "(s), Handle time (s), Resolution time (h), Answered, Resolved first contact, "
        "Transferred, NPS (0-10), Speed, Attitude, Solving, Knowledge, Satisfaction, Records, "
        "Critical error, Problem category, Problem description, QC note, Reviewer's verdict",
        "  [error] Monitoring!D3 '9'  CSAT (1-5): not in 1-5; allowed: a whole number from 1 to 5, or blank",
        "  [error] Monitoring!A4 'C2'  Contact ID: C2 is a duplicate of row 3; each contact needs its own id",
        "  [error] Monitoring!B4 'soon'  Contact time: is not a date; allowed: a date and time "
        "from 2000-01-01 to 2100-01-01, e.g. 2024-06-15 09:30",
    ]
    # no Problems/Actions/Config sheets: warnings, listed but not failing on their own
    assert out[-1] == f"{path}: 3 error(s), 4 warning(s) in 3 monitoring row(s)"
    assert _sha(path) == before


def test_chinese_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(_bad(tmp_path)), "--lang", "zh"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0] == "Monitoring：3 个错误，1 个警告"
    assert out[1].startswith(
        "  [警告] Monitoring  未找到 23 个可选列，依赖它们的指标显示为无数据：渠道、"
    )
    assert (
        out[2]
        == "  [错误] Monitoring!D3 '9'  满意度(1-5)：不在 1-5 范围内；允许：1 到 5 之间的整数，或留空"
    )


def test_clean_standard_workbook_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = pd.DataFrame(
        {
            "contact_id": ["C1", "C2"],
            "contact_time": [T, T],
            "agent_id": ["A1", "A2"],
            "csat": [5, 4],
        }
    )
    path = build_workbook(tmp_path / "ok.xlsx", lang="en", monitoring=rows)
    before = _sha(path)
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"{path}: no problems found (2 monitoring rows)"
    assert _sha(path) == before


def test_warnings_alone_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cells = table("A1", ["Contact ID", "Contact time", "Agent ID"], [["C1", T, "A1"]])
    path = write_book(tmp_path / "w.xlsx", {"Monitoring": cells})
    assert main(["validate", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "0 error(s), 4 warning(s) in 1 monitoring row(s)" in out


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _bad(tmp_path)
    assert main(["validate", str(path), "--json", "--lang", "en"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["errors"] == 3 and doc["warnings"] == 4 and doc["monitoring_rows"] == 3
    assert doc["sha256"] == _sha(path)
    first = next(f for f in doc["findings"] if f["cell"])
    assert first == {
        "sheet": "Monitoring",
        "cell": "D3",
        "value": "9",
        "rule": "CSAT (1-5): not in 1-5; allowed: a whole number from 1 to 5, or blank",
        "severity": "error",
        "key": "csat",
    }


def test_unreadable_file_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "x.xlsx"
    p.write_bytes(b"not a workbook")
    assert main(["validate", str(p), "--lang", "en"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"csq: error: {p}: not a valid .xlsx file (it is not a zip archive; was it renamed, or is it damaged?)"
    )


def test_library_twin_gives_the_same_findings(tmp_path: Path) -> None:
    found = validate_workbook(_bad(tmp_path), lang="en")
    assert [(f.cell, f.severity) for f in found if f.severity == "error"] == [
        ("D3", "error"),
        ("A4", "error"),
        ("B4", "error"),
    ]

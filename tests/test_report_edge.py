"""Reports of thin or odd workbooks: no data is "no data" (never 0), findings are capped
and masked, and a report is always a complete workbook."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from addin.report import quality_sheet
from addin.report.summary import build_summary
from addin.report.xlsx import write_report
from udfs.core.data import Finding, WorkbookData

AS_OF = dt.date(2026, 1, 31)


def _data(monitoring: pd.DataFrame, findings=None) -> WorkbookData:
    return WorkbookData(
        path="thin.xlsx",
        monitoring=monitoring,
        problems=pd.DataFrame(),
        actions=pd.DataFrame(),
        findings=findings or [],
    )


def _sheet_values(path: Path, sheet: str) -> list[tuple]:
    """The sheet's rows without their trailing empty cells."""
    wb = openpyxl.load_workbook(path, read_only=True)
    out = []
    for r in wb[sheet].iter_rows(values_only=True):
        r = list(r)
        while len(r) > 1 and r[-1] is None:
            r.pop()
        out.append(tuple(r))
    return out


def test_empty_monitoring_gives_a_complete_report_with_no_data(tmp_path: Path) -> None:
    data = _data(pd.DataFrame(columns=["contact_id", "contact_time", "agent_id"]))
    out = write_report(data, tmp_path / "e.report.xlsx", lang="en", as_of=AS_OF)
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == [
        "Overview", "Findings", "Indicators", "Agents", "Channels", "Trend", "Hours",
        "Operations", "Pareto", "Process & customers", "Actions", "Cases",
        "Sample vs population", "Reviewers & calibration", "Data quality",
        "Method",
    ]  # fmt: skip
    rows = _sheet_values(out, "Overview")
    assert ("Overall composite score", "no data") in rows
    assert ("CSAT mean (1-5)", "no data") in rows
    s = build_summary(data, AS_OF)
    assert s["contacts"] == 0 and s["composite_score"] is None and s["grade"] is None
    json.dumps(s, allow_nan=False)  # strictly valid JSON (no NaN)


def test_only_required_columns(tmp_path: Path) -> None:
    mon = pd.DataFrame(
        {
            "contact_id": ["a", "b", "c"],
            "contact_time": pd.to_datetime(["2026-01-02", "2026-01-03", "2025-12-30"]),
            "agent_id": ["x", "y", "x"],
        }
    )
    data = _data(mon)
    s = build_summary(data, AS_OF)
    # 2 contacts in January (the latest month); with no answered column all count as
    # answered; nothing else was recorded, so every other figure is "no data", not 0
    assert s["period"] == "2026-01" and s["contacts"] == 2 and s["answered"] == 2
    for key in ("answer_rate", "fcr", "csat_mean", "nps", "qa_score_mean", "qc_pass_rate"):
        assert s[key] is None, key
    assert [a["rank"] for a in s["agents"]] == [None, None]
    out = write_report(data, tmp_path / "r.report.xlsx", lang="zh", as_of=AS_OF)
    assert ("综合得分", "无数据") in _sheet_values(out, "概览")


def test_findings_listed_cell_by_cell_capped_and_customer_ids_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mon = pd.DataFrame(
        {"contact_id": ["a"], "contact_time": pd.to_datetime(["2026-01-02"]), "agent_id": ["x"]}
    )
    findings = [
        Finding("Monitoring", "H7", "13912345678", "Customer ID: duplicate", "warning", "customer_id"),
        *[Finding("Monitoring", f"O{r}", "7", "CSAT (1-5): not in 1-5", "error", "csat")
          for r in range(2, 7)],
    ]  # fmt: skip
    findings += [
        Finding("Monitoring", f"P{r}", str(r), "NPS (0-10): not in 0-10", "error", "nps")
        for r in range(11, 14)
    ]  # three different values: three rows
    monkeypatch.setattr(quality_sheet, "MAX_FINDINGS_ROWS", 4)
    out = write_report(_data(mon, findings), tmp_path / "q.report.xlsx", lang="en", as_of=AS_OF)
    rows = _sheet_values(out, "Data quality")
    listed = [r for r in rows if r[0] == "Monitoring"]
    assert listed[0][:3] == ("Monitoring", "H7", "*******5678")
    # the five identical CSAT findings are one row: their count, the other cells, the effect
    assert listed[1][:2] == ("Monitoring", "O2") and listed[1][5] == 5
    assert listed[1][6] == "O3, O4, O5, O6"
    assert listed[1][7] == "left out of the figures (counted as blank)"
    assert [r[1] for r in listed] == ["H7", "O2", "P11", "P12"]  # capped at 4 rows
    assert any(r[0] and "1 more findings" in r[0] for r in rows)
    assert ("Data-quality findings", "errors: 8, warnings: 1") in _sheet_values(out, "Overview")

"""What a new user trips over (issue 24): a CSQ report given to convert or feedback is
refused as validate and report refuse it; a rejection line names the file once, in
either language; the demo keeps edited workbooks without --force."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from addin.cli import main
from workbook_templates.output import REPORT_MARKER


def _report_file(path: Path) -> Path:
    """A small file carrying the report marker, as every report CSQ writes does."""
    wb = xlsxwriter.Workbook(str(path))
    wb.set_custom_property(REPORT_MARKER, "CSQ 0.1.0")
    ws = wb.add_worksheet("Overview")
    ws.write_row(0, 0, ["Metric", "Value"])
    ws.write_row(1, 0, ["Contacts", 3])
    wb.close()
    return path


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "a report CSQ wrote, not a workbook"), ("zh", "这是 CSQ 生成的报告，不是工作簿")],
)
def test_convert_refuses_a_report(tmp_path, capsys, monkeypatch, lang, words):
    monkeypatch.setenv("CSQ_LANG", lang)
    src = _report_file(tmp_path / "team.report.xlsx")
    before = src.read_bytes()
    out = tmp_path / "converted.xlsx"
    assert main(["convert", str(src), "--portable", "-o", str(out)]) == 1
    assert words in capsys.readouterr().err
    assert not out.exists() and src.read_bytes() == before


def test_feedback_refuses_a_report(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CSQ_LANG", "en")
    src = _report_file(tmp_path / "team.report.xlsx")
    out = tmp_path / "fb"
    assert main(["feedback", str(src), "-o", str(out)]) == 1
    assert "a report CSQ wrote, not a workbook" in capsys.readouterr().out
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_rejected_file_is_named_once(tmp_path, capsys, monkeypatch, lang):
    monkeypatch.setenv("CSQ_LANG", lang)
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a zip at all")
    assert main(["report", str(bad), "-o", str(tmp_path / "out")]) == 1
    line = next(ln for ln in capsys.readouterr().out.splitlines() if "broken.xlsx" in ln)
    assert line.count("broken.xlsx") == 1, line
    assert ("zip" in line) and (("压缩包" in line) == (lang == "zh"))


def test_demo_refuses_to_overwrite_a_workbook_without_force(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CSQ_LANG", "zh")
    edited = tmp_path / "team-online.xlsx"
    edited.write_bytes(b"my edits")
    assert main(["demo", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "team-online.xlsx" in err and "--force" in err and "已存在" in err
    assert edited.read_bytes() == b"my edits"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team-online.xlsx"]

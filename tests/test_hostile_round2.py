"""Messy and hostile inputs, second round (issue 22): no false success, nothing silently
changed or lost, a message that says where and what.  One test (or more) per numbered
item of the issue; the cases are built by ``tests/hostile.py``."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hostile import HEAD_ZH, T, monitoring_book, rows

from addin.cli import main

AS_OF = "2026-11-01"


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSQ_LANG", "en")
    monkeypatch.delenv("CSQ_DEBUG", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        rc = main(list(argv))
    except SystemExit as exc:
        rc = int(exc.code or 0)
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


# ---- 1: every contact time unreadable is a rejection, not "ok, 0 contacts" ------------


def test_item01_all_contact_times_unreadable_is_rejected_naming_the_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from addin.excel import ribbon

    book = monitoring_book(
        tmp_path / "times.xlsx",
        [["D1", "garbage", "A1", 5, None, 5, 5], ["D2", "31/31/2026", "A1", 5, None, 5, 5]],
    )
    rc, out, _ = run(capsys, "report", str(book), "-o", str(tmp_path / "o"), "--as-of", AS_OF)
    assert rc == 1
    assert "rejected" in out and "监测表!B2, 监测表!B3" in out
    assert "0 report(s) written" in out
    assert not (tmp_path / "o" / "times.report.xlsx").exists()
    os.environ["CSQ_LANG"] = "zh"
    rc, out, _ = run(capsys, "report", str(book), "-o", str(tmp_path / "o"), "--as-of", AS_OF)
    assert rc == 1 and "联系时间" in out and "监测表!B2" in out
    text = ribbon.on_button("csqReport", ribbon.FileBook(book))
    assert "监测表!B2" in text and "0 contacts" not in text


# ---- 2: a glob or path that matches nothing is named -----------------------------------


def test_item02_a_glob_matching_nothing_is_named_exit_1_or_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    monitoring_book(folder / "a.xlsx", rows())
    argv = ("--as-of", AS_OF, "-o", str(tmp_path / "o"))
    rc, out, _ = run(capsys, "report", str(folder / "*.xlsx"), str(tmp_path / "nomatch*.xlsx"), *argv)
    assert rc == 1
    assert f"rejected  {tmp_path / 'nomatch*.xlsx'}: matched no .xlsx/.xlsm workbook" in out
    assert "1 report(s) written, 1 input(s) rejected" in out
    rc, _, err = run(capsys, "report", str(tmp_path / "nomatch*.xlsx"), *argv)
    assert rc == 2 and "nomatch*.xlsx" in err
    rc, out, _ = run(capsys, "feedback", str(folder / "*.xlsx"), str(tmp_path / "zz*.xlsx"), *argv)
    assert rc == 1 and "zz*.xlsx" in out
    rc, _, err = run(capsys, "feedback", str(tmp_path / "zz*.xlsx"), *argv)
    assert rc == 2 and "zz*.xlsx" in err

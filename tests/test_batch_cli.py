"""``csq report`` end to end: a real workbook in, hand-checked figures out; batches with a
corrupt input; folders and globs; usage errors; progress only on a terminal."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from report_fixtures import build_fixture_workbook

from addin.cli import main
from addin.commands.report import Progress
from addin.jobs.batch import expand_inputs

AS_OF = "2026-11-10"


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_workbook(tmp_path_factory.mktemp("src") / "team_t1.xlsx")


def test_report_of_a_real_workbook_matches_hand_arithmetic(book: Path, tmp_path: Path) -> None:
    src = tmp_path / "team_t1.xlsx"
    shutil.copy(book, src)
    assert main(["report", str(src), "--as-of", AS_OF, "--lang", "en"]) == 0
    s = json.loads((tmp_path / "team_t1.summary.json").read_text(encoding="utf-8"))
    # the hand arithmetic is in tests/test_report_numbers.py (same 10 contacts)
    assert s["contacts"] == 8 and s["answered"] == 7
    assert s["fcr"] == pytest.approx(5 / 7)
    assert s["csat_mean"] == pytest.approx(23 / 6)
    assert s["nps"] == pytest.approx(100 / 6)
    assert s["qa_score_mean"] == pytest.approx(508 / 7)
    assert s["qc_pass_rate"] == pytest.approx(6 / 7)
    assert s["composite_score"] == pytest.approx(74.63)  # hand arithmetic: test_report_numbers
    assert s["grade"] == "pass"
    assert s["as_of"] == AS_OF
    assert s["input_sha256"] == _sha(src)
    assert (tmp_path / "team_t1.report.xlsx").stat().st_size > 0


def test_corrupt_and_valid_batch_exits_1_and_still_reports_the_valid_one(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    good = src / "good.xlsx"
    shutil.copy(book, good)
    bad = src / "broken.xlsx"
    bad.write_bytes(bytes(range(256)) * 40)  # random bytes named .xlsx
    before = {p.name: _sha(p) for p in src.iterdir()}
    out = tmp_path / "out"
    rc = main(["report", str(good), str(bad), "-o", str(out), "--jobs", "2", "--as-of", AS_OF,
               "--lang", "en"])  # fmt: skip
    assert rc == 1
    text = capsys.readouterr().out
    assert "rejected" in text and "broken.xlsx" in text and "zip" in text
    assert f"ok        {good}" in text
    assert "1 report(s) written, 1 input(s) rejected" in text
    assert (out / "good.report.xlsx").is_file() and (out / "good.summary.json").is_file()
    assert not (out / "broken.report.xlsx").exists()
    # inputs are never modified, and nothing else appeared beside them
    assert {p.name: _sha(p) for p in src.iterdir()} == before
    # no temporary files left behind
    assert sorted(p.name for p in out.iterdir()) == [
        "good.report.docx", "good.report.xlsx", "good.summary.json"]  # fmt: skip


def test_summary_lines_in_chinese(book: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    # messages follow CSQ_LANG (the report's own language is --lang / the workbook's)
    monkeypatch.setenv("CSQ_LANG", "zh")
    shutil.copy(book, tmp_path / "a.xlsx")
    (tmp_path / "b.xlsx").write_text("not a workbook")
    assert main(["report", str(tmp_path), "--as-of", AS_OF, "--lang", "en"]) == 1
    text = capsys.readouterr().out
    assert "已拒绝" in text and "b.xlsx" in text
    assert "已生成 1 份报告，1 个文件被拒绝；基准日 2026-11-10" in text


def test_folder_skips_reports_and_lock_files_and_globs_work(book: Path, tmp_path: Path) -> None:
    shutil.copy(book, tmp_path / "t1.xlsx")
    shutil.copy(book, tmp_path / "t2.xlsm")
    (tmp_path / "~$t1.xlsx").write_bytes(b"lock")
    (tmp_path / "notes.txt").write_text("x")
    sub = tmp_path / "sub"
    sub.mkdir()
    shutil.copy(book, sub / "deep.xlsx")
    assert main(["report", str(tmp_path), "--as-of", AS_OF]) == 0
    assert (tmp_path / "t1.report.xlsx").is_file() and (tmp_path / "t2.report.xlsx").is_file()
    assert not (sub / "deep.report.xlsx").exists()  # folders are not searched recursively
    # running again over the same folder does not report the reports
    found, missing = expand_inputs([str(tmp_path)])
    assert [p.name for p in found] == ["t1.xlsx", "t2.xlsm"] and missing == []
    found, _ = expand_inputs([str(tmp_path / "t*.xls*")])
    assert [p.name for p in found] == ["t1.xlsx", "t2.xlsm"]


@pytest.mark.parametrize(
    ("argv", "text"),
    [
        (["report", "{d}/nothing-*.xlsx"], "no workbook matched"),
        (["report", "{d}/missing.xlsx"], "no workbook matched"),
        (["report", "{d}/a.xlsx", "--as-of", "2026-13-01"], "--as-of '2026-13-01' is not a date"),
        (["report", "{d}/a.xlsx", "--jobs", "0"], "--jobs 0 must be a whole number of 1 or more"),
    ],
)
def test_usage_errors_exit_2(book: Path, tmp_path: Path, capsys, argv, text) -> None:
    shutil.copy(book, tmp_path / "a.xlsx")
    rc = main([a.format(d=tmp_path) for a in argv] + ["--lang", "en"])
    assert rc == 2
    assert text in capsys.readouterr().err
    assert not (tmp_path / "a.report.xlsx").exists()


def test_missing_file_among_good_ones_is_rejected_not_fatal(book, tmp_path, capsys) -> None:
    shutil.copy(book, tmp_path / "a.xlsx")
    rc = main(["report", str(tmp_path / "a.xlsx"), str(tmp_path / "gone.xlsx"), "--lang", "en"])
    assert rc == 1
    out = capsys.readouterr().out
    assert "gone.xlsx: file not found" in out
    assert (tmp_path / "a.report.xlsx").is_file()


def test_progress_bar_only_on_a_terminal(book, tmp_path, capsys) -> None:
    shutil.copy(book, tmp_path / "a.xlsx")
    assert main(["report", str(tmp_path / "a.xlsx"), "--as-of", AS_OF]) == 0
    assert capsys.readouterr().err == ""  # quiet in a pipe

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    bar = Progress(2, tty)
    bar.step("a.xlsx")
    bar.step("b.xlsx")
    bar.close()
    assert "[##############--------------] 1/2" in tty.getvalue()
    assert "2/2" in tty.getvalue()
    pipe = io.StringIO()
    quiet = Progress(2, pipe)
    quiet.step("a.xlsx")
    quiet.close()
    assert pipe.getvalue() == ""


def test_outputs_get_normal_file_permissions(book: Path, tmp_path: Path) -> None:
    import os
    import stat

    shutil.copy(book, tmp_path / "a.xlsx")
    assert main(["report", str(tmp_path / "a.xlsx"), "--as-of", AS_OF]) == 0
    mask = os.umask(0)
    os.umask(mask)
    for name in ("a.report.xlsx", "a.summary.json"):
        mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
        assert mode == 0o666 & ~mask, oct(mode)  # like any file the user saves, not 0600

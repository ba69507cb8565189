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
    rc, out, _ = run(
        capsys, "report", str(folder / "*.xlsx"), str(tmp_path / "nomatch*.xlsx"), *argv
    )
    assert rc == 1
    assert f"rejected  {tmp_path / 'nomatch*.xlsx'}: matched no .xlsx/.xlsm workbook" in out
    assert "1 report(s) written, 1 input(s) rejected" in out
    rc, _, err = run(capsys, "report", str(tmp_path / "nomatch*.xlsx"), *argv)
    assert rc == 2 and "nomatch*.xlsx" in err
    rc, out, _ = run(capsys, "feedback", str(folder / "*.xlsx"), str(tmp_path / "zz*.xlsx"), *argv)
    assert rc == 1 and "zz*.xlsx" in out
    rc, _, err = run(capsys, "feedback", str(tmp_path / "zz*.xlsx"), *argv)
    assert rc == 2 and "zz*.xlsx" in err


# ---- 4: feedback masks other agents' ids as whole tokens only -------------------------


def test_item04_feedback_masks_whole_tokens_only() -> None:
    from udfs.core.feedback import HIDDEN, _scrub  # noqa: PLC2701 - the masking rule itself

    note = "Customer called 12 times since 2026-10-21; Order 1200; Lily said 2, Li agreed"
    masked, n = _scrub(note, ["1", "2", "Li"])
    assert (
        masked
        == f"Customer called 12 times since 2026-10-21; Order 1200; Lily said {HIDDEN}, {HIDDEN} agreed"
    )
    assert n == 2
    assert _scrub("客服张三说过", ["张三"]) == (f"客服{HIDDEN}说过", 1)
    assert _scrub("A12 and A1", ["A1", "A12"]) == (f"{HIDDEN} and {HIDDEN}", 2)


# ---- 5: visible sheets first; the ones not read are named -------------------------------


def test_item05_a_visible_monitoring_sheet_beats_a_very_hidden_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hostile import HEAD_EN

    wb = openpyxl.Workbook()
    old = wb.active
    old.title = "Monitoring"
    old.append(HEAD_EN)
    old.append(["OLD1", T, "Z9", 1, None, 1])
    old.sheet_state = "veryHidden"
    new = wb.create_sheet("Monitoring (2)")
    new.append(HEAD_EN)
    for r in rows(3):
        new.append(r[:6])
    wb.active = 1
    wb.save(tmp_path / "two.xlsx")
    rc, out, _ = run(capsys, "validate", str(tmp_path / "two.xlsx"))
    assert rc == 0
    assert "Monitoring (2) is read, Monitoring not" in out
    rc, out, _ = run(capsys, "report", str(tmp_path / "two.xlsx"), "-o", str(tmp_path / "o"),
                     "--as-of", AS_OF)  # fmt: skip
    assert rc == 0 and "3 contacts" in out


# ---- 10: formula errors are findings; an error never clears a critical error ----------


def _error_book(path: Path) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("监测表")
    fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for j, h in enumerate(HEAD_ZH):
        ws.write_string(0, j, h)
    for i in range(4):
        ws.write_string(i + 1, 0, f"C{i}")
        ws.write_datetime(i + 1, 1, T + dt.timedelta(days=i), fmt)
        ws.write_string(i + 1, 2, "A1")
        for j, v in ((3, 4), (5, 4), (6, 5)):
            ws.write_number(i + 1, j, v)
    ws.write_formula(1, 3, "=1/0", None, "#DIV/0!")
    ws.write_formula(2, 4, "=NA()", None, "#N/A")
    ws.write_formula(3, 5, '=1+"a"', None, "#VALUE!")
    ws.write_formula(4, 6, "=#REF!", None, "#REF!")
    wb.close()
    return path


def test_item10_formula_errors_are_findings_and_keep_the_critical_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    book = _error_book(tmp_path / "errors.xlsx")
    rc, out, _ = run(capsys, "validate", str(book))
    assert rc == 1
    for cell, err in (("D2", "#DIV/0!"), ("E3", "#N/A"), ("F4", "#VALUE!"), ("G5", "#REF!")):
        line = next(x for x in out.splitlines() if f"监测表!{cell} " in x)
        assert err in line and "formula" in line, line
    assert "counted as a critical error" in next(x for x in out.splitlines() if "!E3 " in x)
    rc, out, _ = run(capsys, "report", str(book), "-o", str(tmp_path / "o"), "--as-of", AS_OF)
    assert rc == 0
    summary = json.loads((tmp_path / "o" / "errors.summary.json").read_text(encoding="utf-8"))
    assert summary["contacts"] == 4
    assert summary["qc_pass_rate"] == pytest.approx(3 / 4)  # the #N/A critical error fails


def test_item10_import_of_an_xlsx_export_keeps_formula_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import xlsxwriter

    export = tmp_path / "calls.xlsx"
    wb = xlsxwriter.Workbook(str(export))
    ws = wb.add_worksheet("Calls")
    ws.write_row(0, 0, ["Call Id", "Time", "Agent", "Speed", "Critical"])
    ws.write_row(1, 0, ["C1", "2026-10-01 09:00", "A1", 4])
    ws.write_row(2, 0, ["C2", "2026-10-02 09:00", "A2"])
    ws.write_formula(2, 3, "=1/0", None, "#DIV/0!")
    ws.write_formula(2, 4, "=NA()", None, "#N/A")
    wb.close()
    m = tmp_path / "m.toml"
    m.write_text('[columns]\ncontact_id = "Call Id"\ncontact_time = "Time"\nagent_id = "Agent"\n'
                 'speed = "Speed"\ncritical_error = "Critical"\n', encoding="utf-8")  # fmt: skip
    out = tmp_path / "qa.xlsx"
    rc, _, err = run(capsys, "import", str(export), "--map", str(m), "-o", str(out))
    assert rc == 1
    assert "calls.xlsx!Calls!D3: '#DIV/0!'" in err
    from addin.read.workbook import read_workbook

    got = read_workbook(out).monitoring
    assert got["critical_error"].tolist() == [None, "#N/A"]  # never cleared


# ---- 11 / 12: feedback files never replace another workbook's; long ids ----------------


def _feedback_book(path: Path, agents: list[str]) -> Path:
    body = [
        [f"G{i}", T + dt.timedelta(days=i), agents[i % len(agents)], 4, None, 4, 5]
        for i in range(2 * len(agents))
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    return monitoring_book(path, body)


def test_item11_feedback_name_clash_across_workbooks_is_refused_and_counted_right(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    north = _feedback_book(tmp_path / "north" / "team.xlsx", ["A1", "A2"])
    south = _feedback_book(tmp_path / "south" / "team.xlsx", ["A1", "A2"])
    out = tmp_path / "out"
    rc, text, _ = run(capsys, "feedback", str(north), str(south), "-o", str(out), "--as-of", AS_OF)
    assert rc == 1
    assert f"rejected  {south}: its output name is the same as that of {north}" in text
    assert "2 feedback file(s) written for 1 workbook(s), 1 rejected" in text
    assert len(list(out.iterdir())) == 2
    fb = openpyxl.load_workbook(out / "team.A1.feedback.xlsx", read_only=True)
    fb.close()


def test_item12_long_agent_ids_get_short_unique_file_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = ["X" * 300 + "1", "X" * 300 + "2", "短" * 200]
    book = _feedback_book(tmp_path / "long.xlsx", ids)
    other = _feedback_book(tmp_path / "other.xlsx", ["B1"])
    out = tmp_path / "out"
    rc, text, _ = run(capsys, "feedback", str(book), str(other), "-o", str(out), "--as-of", AS_OF)
    assert rc == 0, text
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 4 and all(len(n.encode()) <= 255 for n in names)
    assert "4 feedback file(s) written for 2 workbook(s), 0 rejected" in text


# ---- 14: report and summary are replaced both or neither ----------------------------------


def test_item14_a_summary_that_cannot_be_replaced_keeps_the_old_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import addin.jobs.report_pair as pair

    src = monitoring_book(tmp_path / "a.xlsx", rows())
    out = tmp_path / "out"
    rc, _, _ = run(capsys, "report", str(src), "-o", str(out), "--as-of", AS_OF)
    assert rc == 0
    old = {p.name: p.read_bytes() for p in out.iterdir()}
    real = os.replace

    def refuse_summary(a: object, b: object) -> None:
        if str(b).endswith("a.summary.json"):
            raise PermissionError(13, "Permission denied", str(b))
        real(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(pair.os, "replace", refuse_summary)
    rc, text, _ = run(capsys, "report", str(src), "-o", str(out), "--as-of", "2026-11-02")
    assert rc == 1 and "a.summary.json" in text
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old  # both old, no temp file


def test_item22_a_folder_named_as_the_report_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = monitoring_book(tmp_path / "a.xlsx", rows())
    out = tmp_path / "out"
    (out / "a.report.xlsx").mkdir(parents=True)
    rc, text, _ = run(capsys, "report", str(src), "-o", str(out), "--as-of", AS_OF)
    assert rc == 1
    assert f"cannot write {out / 'a.report.xlsx'}: Is a directory" in text
    assert sorted(p.name for p in out.iterdir()) == ["a.report.xlsx"]


# ---- 13: csq convert never drops columns it does not know --------------------------------


def test_item13_convert_refuses_naming_the_columns_it_would_drop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = [[*r, "check tone", "https://t/1"] for r in rows()]
    src = monitoring_book(
        tmp_path / "a.xlsx", body, headers=[*HEAD_ZH, "Supervisor comment", "Ticket URL"]
    )
    out = tmp_path / "b.xlsx"
    rc, text, err = run(capsys, "convert", str(src), "--portable", "-o", str(out))
    assert rc == 1 and not out.exists()
    assert "H1 'Supervisor comment', I1 'Ticket URL'" in text + err
    assert "would be lost" in text + err


# ---- 15: the ribbon's Validate through the file stand-in never loses the CSQ_ metadata ----


def test_item15_ribbon_validate_on_a_file_never_drops_dynamic_array_metadata(
    tmp_path: Path,
) -> None:
    from addin.excel.ribbon import FileBook, validate
    from workbook_templates.builder import build_workbook

    path = tmp_path / "udf.xlsx"
    build_workbook(path, lang="en", blank_rows=5)
    before = path.read_bytes()
    with zipfile.ZipFile(path) as z:
        assert "xl/metadata.xml" in z.namelist()
    book = FileBook(path)
    message = validate(book)
    assert message
    assert path.read_bytes() == before  # not re-saved: nothing lost
    assert book.tables  # what Excel would show is still produced


# ---- 8: values silently changed: each a finding at the cell holding the value ----------


def test_item08_true_and_nan_text_in_number_cells_are_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = monitoring_book(
        tmp_path / "b.xlsx",
        [
            *rows(),
            ["B1", T, "A1", True, None, 5, 5],
            ["B2", T, "A1", 4, None, True, 5],
            ["B3", T, "A1", "NaN", None, "nan", "NaN"],  # G: the only text among numbers
        ],
    )
    rc, out, _ = run(capsys, "validate", str(book))
    assert rc == 1
    for cell in ("D4", "F5", "D6", "F6", "G6"):
        assert f"监测表!{cell} " in out, cell
    rc, out, _ = run(capsys, "report", str(book), "-o", str(tmp_path / "o"), "--as-of", AS_OF)
    wb = openpyxl.load_workbook(tmp_path / "o" / "b.report.xlsx", read_only=True)
    dq = wb["数据质量" if "数据质量" in wb.sheetnames else "Data quality"]
    listed = {f"{r[0]}!{r[1]}" for r in dq.iter_rows(values_only=True) if r and r[1]}
    assert {"监测表!D4", "监测表!F5", "监测表!D6", "监测表!F6"} <= listed


def test_item08_a_duration_of_25_61_00_is_refused() -> None:
    from addin.read.ticket_export_values import BAD_DURATION, unit_seconds

    assert unit_seconds("25:59:00", "hh:mm:ss") == 25 * 3600 + 59 * 60
    bad = unit_seconds("25:61:00", "hh:mm:ss")
    assert bad is BAD_DURATION or bad != bad
    assert unit_seconds("01:00:60", "hh:mm:ss") != 3660
    assert unit_seconds("90:75", "hh:mm:ss") != 90 * 60 + 75


def _config_grid(tmp_path: Path, edit: dict[str, dict[int, object]], twice: str = "") -> Path:
    from workbook_templates.builder import build_workbook

    path = tmp_path / "cfg.xlsx"
    build_workbook(path, lang="en", blank_rows=5)
    wb = openpyxl.load_workbook(path)
    ws = wb["Config"]
    for row in list(ws.iter_rows()):
        key = row[0].value
        for col, v in edit.get(key, {}).items():
            row[col].value = v
        if key == twice:
            dup = ws.max_row + 0
            ws.insert_rows(row[0].row + 1)
            for c in row:
                ws.cell(row[0].row + 1, c.column, c.value)
            ws.cell(row[0].row + 1, 3, 99)
            assert dup
    m = wb["Monitoring"]
    for i, r in enumerate(rows()):
        m.cell(2 + i, 1, r[0])
        m.cell(2 + i, 2, r[1])
        m.cell(2 + i, 6, r[2])
    wb.save(path)
    return path


def _config_row(path: Path, key: str, nth: int = 0) -> int:
    ws = openpyxl.load_workbook(path)["Config"]
    return [c.row for (c,) in ws.iter_rows(max_col=1) if c.value == key][nth]


def test_item08_band_points_not_matching_their_limits_is_a_finding_at_the_points_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _config_grid(tmp_path, {"team.first_response": {6: "30;60", 7: "100;80"}})
    r = _config_row(path, "team.first_response")
    rc, out, _ = run(capsys, "validate", str(path))
    line = next(x for x in out.splitlines() if f"Config!H{r} " in x)
    assert "'100;80'" in line and "3 band points" in line


def test_item08_a_config_key_typed_twice_is_a_finding_at_the_second(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _config_grid(tmp_path, {}, twice="contact.speed")
    first, second = _config_row(path, "contact.speed"), _config_row(path, "contact.speed", 1)
    rc, out, _ = run(capsys, "validate", str(path))
    line = next(x for x in out.splitlines() if f"Config!A{second} " in x)
    assert f"first on row {first}" in line


def test_item08_an_edited_source_cell_is_a_finding_at_that_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _config_grid(tmp_path, {"contact.speed": {4: "csat"}})
    r = _config_row(path, "contact.speed")
    rc, out, _ = run(capsys, "validate", str(path))
    line = next(x for x in out.splitlines() if f"Config!E{r} " in x)
    assert "'csat'" in line and "fixed" in line


# ---- 21: a NaN number cell is a finding with its address ---------------------------------


def test_item21_a_nan_number_cell_is_a_finding_with_its_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import re

    from hostile import rezip

    good = monitoring_book(tmp_path / "_g.xlsx", rows(3))
    with zipfile.ZipFile(good) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
    bad = re.sub(rb'(<c r="D3"[^>]*>)<v>[^<]*</v>', rb"\1<v>NaN</v>", xml)
    assert bad != xml
    book = rezip(good, tmp_path / "nan.xlsx", {"xl/worksheets/sheet1.xml": bad})
    for kw in ({}, {"columnar_above": 0}):
        from addin.read.workbook import read_workbook

        data = read_workbook(book, **kw)
        assert not data.rejected
        assert [(f.where(), f.value) for f in data.errors] == [("监测表!D3", "NaN")]
    rc, out, _ = run(capsys, "validate", str(book))
    assert rc == 1 and "监测表!D3 'NaN'" in out


# ---- 9: duplicates are findings, not silent choices -------------------------------------


def test_item09_a_zip_holding_a_sheet_part_twice_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import warnings

    good = monitoring_book(tmp_path / "_g.xlsx", rows())
    book = tmp_path / "dup.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zout:
        for n in zin.namelist():
            zout.writestr(n, zin.read(n))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Duplicate name": the point of the case
            zout.writestr("xl/worksheets/sheet1.xml", zin.read("xl/worksheets/sheet1.xml"))
    rc, _, err = run(capsys, "validate", str(book))
    assert rc == 1
    assert "holds 'xl/worksheets/sheet1.xml' twice" in err


def test_item09_a_duplicate_problems_row_and_an_id_hidden_by_a_zero_width_char(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = monitoring_book(tmp_path / "d.xlsx", [*rows(), ["G0\u200b", T, "A1", 4, None, 4, 5]])
    wb = openpyxl.load_workbook(book)
    ws = wb.create_sheet("问题分析")
    ws.append(["问题类型", "直接原因", "根本原因", "原因类别", "影响范围"])
    ws.append(["物流延迟", "a", "b", "流程", "x"])
    ws.append(["物流延迟", "c", "d", "人员", "y"])
    wb.save(book)
    rc, out, _ = run(capsys, "validate", str(book))
    assert rc == 1
    line = next(x for x in out.splitlines() if "监测表!A4 " in x)
    assert "\\u200b" in line and "duplicate of row 2" in line and "\u200b" not in line
    line = next(x for x in out.splitlines() if "问题分析!A3 " in x)
    assert "listed again (first on row 2)" in line


# ---- 20: say what the file really is and what to do --------------------------------------


def test_item20_an_xls_renamed_xlsx_is_named_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a minimal OLE compound file holding a "Workbook" stream name (as every .xls does)
    fake = tmp_path / "old.xlsx"
    fake.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 504
        + "Workbook".encode("utf-16-le")
        + b"\0" * 1024
    )
    rc, _, err = run(capsys, "validate", str(fake))
    assert rc == 1
    assert "Excel 97-2003 workbook (.xls)" in err and "encrypted (" not in err
    enc = tmp_path / "enc.xlsx"
    enc.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + b"\0" * 1024
    )
    rc, _, err = run(capsys, "validate", str(enc))
    assert "password-protected" in err


def test_item20_a_utf16_sheet_part_and_a_damaged_deflate_stream_say_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import struct

    from hostile import rezip

    good = monitoring_book(tmp_path / "_g.xlsx", rows(200))
    with zipfile.ZipFile(good) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
        info = z.getinfo("xl/worksheets/sheet1.xml")
    u16 = xml.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    book = rezip(good, tmp_path / "u16.xlsx", {"xl/worksheets/sheet1.xml": u16})
    rc, _, err = run(capsys, "validate", str(book))
    assert rc == 1 and "UTF-16" in err and "save it again" in err
    data = bytearray(good.read_bytes())
    off = info.header_offset
    nl, el = struct.unpack("<HH", data[off + 26 : off + 30])
    start = off + 30 + nl + el
    for k in range(start + 40, start + info.compress_size - 10, 7):
        data[k] ^= 0x55
    zipfile.ZipFile(io.BytesIO(bytes(data)))  # still a zip: the deflate stream is damaged
    bad = tmp_path / "deflate.xlsx"
    bad.write_bytes(bytes(data))
    rc, _, err = run(capsys, "validate", str(bad))
    assert rc == 1 and "damaged" in err and "zip bomb" not in err and "save it again" in err


# ---- 6 / 7 / 20: CSV exports: encodings and ragged records -------------------------------

HEAD = "Call Id,Time,Agent,Speed,Desc\n"
MAP_TEXT = (
    '[columns]\ncontact_id = "Call Id"\ncontact_time = "Time"\nagent_id = "Agent"\n'
    'speed = "Speed"\nproblem_description = "Desc"\n'
)


def _import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: bytes, map_extra: str = ""
) -> tuple[int, str, str, Path]:
    export = tmp_path / "calls.csv"
    export.write_bytes(data)
    m = tmp_path / "m.toml"
    m.write_text(MAP_TEXT + map_extra, encoding="utf-8")
    out = tmp_path / "qa.xlsx"
    rc, o, e = run(capsys, "import", str(export), "--map", str(m), "-o", str(out), "--force")
    return rc, o, e, out


def test_item06_a_cp1252_export_that_also_reads_as_gb18030_is_never_mojibake(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from addin.read.workbook import read_workbook

    data = (HEAD + "C1,2026-10-01 09:00,Müller,4,Grüße aus Köln\n").encode("cp1252")
    data.decode("gb18030")  # the trap: it decodes
    rc, _, err, out = _import(capsys, tmp_path, data)
    assert rc == 1 and not out.exists()
    assert "'Müller'" in err and "'M黮ler'" in err and 'encoding = "cp1252"' in err
    rc, _, err, out = _import(capsys, tmp_path, data, '[options]\nencoding = "cp1252"\n')
    assert rc == 0, err
    assert read_workbook(out).monitoring["agent_id"].tolist() == ["Müller"]
    gbk = (HEAD + "C1,2026-10-01 09:00,张三,4,客户投诉物流延迟\n").encode("gbk")
    rc, _, err, out = _import(capsys, tmp_path, gbk)
    assert rc == 0, err
    assert read_workbook(out).monitoring["agent_id"].tolist() == ["张三"]


def test_item07_ragged_records_are_named_with_their_line_and_field_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from addin.read.workbook import read_workbook

    text = (
        HEAD
        + "C1,2026-10-01 09:00,A1,4,fine\n"
        + "C2,2026-10-02 09:00,A2,4,slow, really slow,13800138000\n"
        + "C3,2026-10-03 09:00,A3\n"
        + "C4,2026-10-04 09:00,A4,5,ok\n"
    )
    rc, _, err, out = _import(capsys, tmp_path, text.encode())
    assert rc == 1
    assert "calls.csv:3: the record has 7 fields, the header 5" in err
    assert "calls.csv:4: the record has 3 fields, the header 5" in err
    assert "13800138000" not in err  # the shifted customer number is never printed
    assert read_workbook(out).monitoring["contact_id"].tolist() == ["C1", "C3", "C4"]


def test_item20_a_utf16_export_without_a_byte_order_mark_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from addin.read.workbook import read_workbook

    text = HEAD + "C1,2026-10-01 09:00,A1,4,很好\nC2,2026-10-02 09:00,A2,4,ok\n"
    for codec in ("utf-16-le", "utf-16-be"):
        rc, _, err, out = _import(capsys, tmp_path, text.encode(codec))
        assert rc == 0, err
        assert read_workbook(out).monitoring["problem_description"].tolist() == ["很好", "ok"]


# ---- 23: an XLSX export's hidden first sheet; a wrong [options] sheet ----------------------


def test_item23_an_export_whose_first_sheet_is_hidden_is_read_from_the_visible_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import xlsxwriter

    export = tmp_path / "calls.xlsx"
    wb = xlsxwriter.Workbook(str(export))
    old = wb.add_worksheet("Old")
    old.write_row(0, 0, ["x", "y"])
    old.hide()
    ws = wb.add_worksheet("Calls")
    ws.write_row(0, 0, ["Call Id", "Time", "Agent", "Speed", "Desc"])
    ws.write_row(1, 0, ["C1", "2026-10-01 09:00", "A1", 4, "ok"])
    ws.activate()
    wb.close()
    m = tmp_path / "m.toml"
    m.write_text(MAP_TEXT, encoding="utf-8")
    out = tmp_path / "qa.xlsx"
    rc, _, err = run(capsys, "import", str(export), "--map", str(m), "-o", str(out))
    assert rc == 0, err
    m.write_text(MAP_TEXT.replace("Desc", "Notes"), encoding="utf-8")
    rc, _, err = run(capsys, "import", str(export), "--map", str(m), "-o", str(out), "--force")
    assert rc == 2 and "calls.xlsx!Calls" in err  # the sheet read is named
    m.write_text(MAP_TEXT + '[options]\nsheet = "Nope"\n', encoding="utf-8")
    rc, _, err = run(capsys, "import", str(export), "--map", str(m), "-o", str(out), "--force")
    assert rc == 2 and "'Nope'" in err


# ---- 17: a console that cannot show every character loses none of the output -------------


def test_item17_a_cp1252_stdout_gets_every_finding_escaped(tmp_path: Path) -> None:
    import subprocess
    import sys

    book = monitoring_book(tmp_path / "b.xlsx", [*rows(), ["B1", T, "A1", 9, None, 5, 5]])
    env = {**os.environ, "CSQ_LANG": "en", "PYTHONIOENCODING": "cp1252",
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}  # fmt: skip
    p = subprocess.run(
        [sys.executable, "-m", "addin.cli", "validate", str(book)],
        capture_output=True, env=env, timeout=120, cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    out = p.stdout.decode("cp1252")
    assert p.returncode == 1 and p.stderr == b""
    assert "\\u76d1\\u6d4b\\u8868!D4 '9'" in out  # 监测表 escaped, the finding kept
    assert "1 error(s)" in out


# ---- 18: file names that are not UTF-8; names and ids that would forge lines -------------


def test_item18_a_gbk_file_name_is_read_and_printed_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = monitoring_book(tmp_path / "_g.xlsx", rows())
    raw = os.path.join(os.fsencode(tmp_path), "团队".encode("gbk") + b".xlsx")
    os.rename(good, raw)
    name = os.fsdecode(raw)
    rc, out, _ = run(capsys, "report", name, "-o", str(tmp_path / "o"), "--as-of", AS_OF)
    assert rc == 0, out
    assert "\\xcd" in out and "1 report(s) written" in out
    out.encode("utf-8")  # printable
    # the report, its summary and (the default formats) the Word report
    assert len(list((tmp_path / "o").iterdir())) == 3


def test_item18_new_lines_and_direction_overrides_in_names_cannot_forge_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = tmp_path / "a\nok        fake.xlsx -> x (period 2026-10)\u202e.xlsx"
    monitoring_book(evil, rows())
    rc, out, _ = run(capsys, "report", str(evil), "-o", str(tmp_path / "o"), "--as-of", AS_OF)
    assert rc == 0
    assert not any(line.startswith("ok        fake") for line in out.splitlines())
    assert "\u202e" not in out and "\\u202e" in out and "\\x0a" in out
    rc, out, _ = run(capsys, "validate", str(evil))
    assert not any(line.startswith("ok        fake") for line in out.splitlines())
    assert "\u202e" not in out


# ---- 22: one clear line each ------------------------------------------------------------


def test_item22_period_out_of_range_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = monitoring_book(tmp_path / "a.xlsx", rows())
    rc, _, err = run(capsys, "report", str(book), "--period", "0001-01", "-o", str(tmp_path))
    assert rc == 2 and err.count("\n") == 1
    assert "2000-01 to 2099-12" in err and "ValueError" not in err


def test_item22_garbage_in_csq_max_input_mb_is_one_usage_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    a = monitoring_book(tmp_path / "a.xlsx", rows())
    b = monitoring_book(tmp_path / "b.xlsx", rows())
    monkeypatch.setenv("CSQ_MAX_INPUT_MB", "abc")
    rc, out, err = run(capsys, "report", str(a), str(b), "-o", str(tmp_path / "o"))
    assert rc == 2 and out == ""
    assert err == "csq: error: CSQ_MAX_INPUT_MB='abc' is not a number of megabytes\n"


def test_item22_a_full_disk_on_csq_new_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import xlsxwriter
    from xlsxwriter.exceptions import FileCreateError

    def full(self: object) -> None:
        raise FileCreateError(OSError(errno.ENOSPC, "No space left on device"))

    monkeypatch.setattr(xlsxwriter.Workbook, "_store_workbook", full)
    target = tmp_path / "qa.xlsx"
    rc, _, err = run(capsys, "new", str(target))
    assert rc == 1
    assert err == f"csq: error: cannot write {target}: No space left on device\n"
    assert not target.exists() and not list(tmp_path.iterdir())


def test_item22_a_read_only_output_folder_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    src = monitoring_book(tmp_path / "a.xlsx", rows())
    out = tmp_path / "ro"
    out.mkdir()
    real = tempfile.mkstemp

    def refused(*a: object, **kw: object) -> tuple[int, str]:
        if str(kw.get("dir")) == str(out):
            raise PermissionError(13, "Permission denied", str(out / ".a.report.xlsx.x1.tmp"))
        return real(*a, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    rc, text, _ = run(capsys, "report", str(src), "-o", str(out), "--as-of", AS_OF)
    assert rc == 1
    assert f"rejected  {src}: cannot write {out}: Permission denied" in text
    assert ".tmp" not in text


def test_item22_stdout_closed_or_full_is_one_line_on_stderr(tmp_path: Path) -> None:
    import subprocess
    import sys

    book = monitoring_book(tmp_path / "a.xlsx", rows())
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "CSQ_LANG": "en", "PYTHONPATH": str(root)}
    argv = [sys.executable, "-m", "addin.cli", "validate", str(book)]
    with open("/dev/full", "w") as full:
        p = subprocess.run(argv, stdout=full, stderr=subprocess.PIPE, env=env, cwd=root,
                           timeout=120, text=True)  # fmt: skip
    assert p.returncode == 1
    assert (
        p.stderr == "csq: error: the output could not be printed (No space left on device); "
        "nothing of it reached the terminal or file\n"
    )
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                       cwd=root, timeout=120, text=True, pass_fds=(),
                       preexec_fn=lambda: os.close(1))  # fmt: skip
    assert p.returncode == 1 and p.stderr.count("\n") == 1 and "could not be printed" in p.stderr


def test_item22_other_spreadsheets_in_a_folder_are_named_as_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    monitoring_book(folder / "a.xlsx", rows())
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "calc.ods").write_bytes(b"PK")
    rc, out, _ = run(capsys, "report", str(folder), "-o", str(tmp_path / "o"), "--as-of", AS_OF)
    assert rc == 0
    assert f"skipped   {folder / 'calc.ods'}: a .ods file is not read" in out
    assert f"skipped   {folder / 'old.xls'}: a .xls file is not read" in out


# ---- 16: Ctrl-C during --jobs 2 stops the workers and lists what was written ---------------


def _slow_report_one(src: str, *args: object) -> object:
    """``report_one``, 60 s late for the workbook called slow (run in a forked worker)."""
    import time

    from addin.jobs.report import report_one

    if Path(src).name == "slow.xlsx":
        time.sleep(60)
    return report_one(src, *args)  # type: ignore[arg-type]


def test_item16_ctrl_c_during_jobs_2_stops_promptly_and_lists_what_was_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures
    import multiprocessing
    import time

    import addin.jobs.batch as batch

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the slow worker is patched in through fork")
    fast = monitoring_book(tmp_path / "fast.xlsx", rows())
    slow = monitoring_book(tmp_path / "slow.xlsx", rows())
    monkeypatch.setattr(batch, "report_one", _slow_report_one)
    real = concurrent.futures.as_completed

    def then_ctrl_c(futures: object, *a: object, **kw: object):  # type: ignore[no-untyped-def]
        for f in real(futures, *a, **kw):  # type: ignore[arg-type]
            yield f
            raise KeyboardInterrupt  # the user presses Ctrl-C after the first one

    monkeypatch.setattr(concurrent.futures, "as_completed", then_ctrl_c)
    out = tmp_path / "out"
    t0 = time.monotonic()
    rc, text, err = run(capsys, "report", str(fast), str(slow), "-o", str(out), "--jobs", "2",
                        "--as-of", AS_OF)  # fmt: skip
    assert time.monotonic() - t0 < 30  # the slow worker was stopped, not waited for
    assert rc == 130
    assert f"ok        {fast} -> {out / 'fast.report.xlsx'}" in text
    assert "interrupted: 1 of 2 workbook(s) finished" in err
    assert sorted(p.name for p in out.iterdir()) == [
        "fast.report.docx",
        "fast.report.xlsx",
        "fast.summary.json",
    ]
    assert not (tmp_path / "slow.report.xlsx").exists()


# ---- 23: the ribbon's messages; a duration of 1e308 -------------------------------------


def test_item23_the_ribbon_on_a_workbook_not_on_disk_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from addin.excel import ribbon

    monkeypatch.setattr(ribbon, "_log_path", lambda: tmp_path / "csq.log")
    gone = tmp_path / "gone.xlsx"
    for button in ("csqValidate", "csqReport", "csqFeedback", "csqRefresh"):
        text = ribbon.on_button(button, ribbon.FileBook(gone))
        assert "unexpected" not in text and "FileNotFoundError" not in text, (button, text)
        assert f"the workbook {gone} is not on disk" in text and "不在磁盘上" in text
    assert not (tmp_path / "csq.log").exists()


def test_item23_ribbon_new_beside_a_file_in_the_way_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from addin.excel import ribbon

    monkeypatch.setattr(ribbon, "_log_path", lambda: tmp_path / "csq.log")
    blocker = tmp_path / "folder"
    blocker.write_text("")  # a file where the workbook's folder would be
    book = ribbon.FileBook(blocker / "team.xlsx")
    text = ribbon.on_button("csqNew", book)
    assert "unexpected" not in text and "Traceback" not in text
    assert str(blocker) in text
    assert not (tmp_path / "csq.log").exists()


def test_item23_a_duration_of_1e308_is_printed_as_typed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = monitoring_book(
        tmp_path / "h.xlsx",
        [[*r, 300] for r in rows()] + [["H1", T, "A1", 4, None, 4, 5, 1e308]],
        headers=[*HEAD_ZH, "处理时长(秒)"],
    )
    rc, out, _ = run(capsys, "validate", str(book))
    line = next(x for x in out.splitlines() if "监测表!H4 " in x)
    assert "'1e+308'" in line and len(line) < 200

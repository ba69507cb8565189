"""``csq convert``: the demo workbook (UDF variant, CSQ_ functions) converted to the portable
variant is recalculated by LibreOffice headless, an independent engine, and every computed
cell equals the value the UDF workbook caches (computed by the Python functions).  The
report and the portable workbooks show no ``#NAME?`` and no ``Err:`` cell in LibreOffice,
while the UDF workbook does (what docs/addin.md says LibreOffice users see)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pytest
from test_templates_engines import recalc_with_libreoffice

from addin.cli import main as csq
from addin.jobs.demo_data import demo_data
from addin.read.workbook import read_workbook
from addin.report.xlsx import write_report
from workbook_templates.builder import build_workbook
from workbook_templates.schema import DATA_SHEETS

AS_OF = dt.date(2026, 11, 30)
EXCEL_ERRORS = ("#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")


def _computed(path: Path, lang: str) -> dict[str, dict[str, list[object]]]:
    """The computed columns' values (cached or recalculated) of each data sheet, by header."""
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    out: dict[str, dict[str, list[object]]] = {}
    for sheet in DATA_SHEETS:
        rows = list(wb[sheet.name(lang)].iter_rows(values_only=True))
        hdr = list(rows[0])
        out[sheet.key] = {
            c.key: [None if r[hdr.index(c.header(lang))] == "" else r[hdr.index(c.header(lang))]
                    for r in rows[1:]]
            for c in sheet.columns
            if c.role == "computed"
        }  # fmt: skip
    wb.close()
    return out


def _error_cells(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    bad = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, str) and v.startswith(EXCEL_ERRORS):
                    bad.append(f"{ws.title}!{cell.coordinate}: {v}")
    wb.close()
    return bad


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("convert")
    team = demo_data(7, "zh", AS_OF)[0]
    udf = build_workbook(
        root / "team.xlsx",
        lang="zh",
        monitoring=team.monitoring,
        problems=team.problems,
        actions=team.actions,
        as_of=AS_OF,
        as_of_fixed=True,
    )
    portable = root / "team-portable.xlsx"
    before = hashlib.sha256(udf.read_bytes()).hexdigest()
    assert csq(["convert", str(udf), "--portable", "-o", str(portable)]) == 0
    assert hashlib.sha256(udf.read_bytes()).hexdigest() == before  # input untouched
    report = root / "team.report.xlsx"
    data = read_workbook(udf)
    write_report(data, report, lang="zh", as_of=AS_OF)
    back = root / "team-back.xlsx"
    assert csq(["convert", str(portable), "--udf", "-o", str(back)]) == 0
    lo = root / "lo"
    return {
        "back": back,
        "udf": udf,
        "portable": portable,
        "portable_lo": recalc_with_libreoffice(portable, lo / "p"),
        "udf_lo": recalc_with_libreoffice(udf, lo / "u"),
        "report_lo": recalc_with_libreoffice(report, lo / "r"),
    }


def _same(a: object, b: object) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-9
    return a == b


def test_libreoffice_recalculates_the_converted_demo_to_the_udf_cached_values(demo) -> None:
    want = _computed(demo["udf"], "zh")  # what the CSQ_ functions computed (cached)
    spare = _computed(demo["back"], "zh")  # the same rows + the spare blank rows, UDF again
    got = _computed(demo["portable_lo"], "zh")  # what LibreOffice computes itself
    compared = 0
    for sheet, cols in want.items():
        for key, values in cols.items():
            lo, more = got[sheet][key], spare[sheet][key]
            assert len(lo) > len(values), (sheet, key)  # the spare rows are there
            more = more + [None] * (len(lo) - len(more))  # blank trailing rows are not stored
            for i, b in enumerate(lo):
                a = values[i] if i < len(values) else more[i]
                if isinstance(a, str) and a.startswith("#CSQ!"):
                    continue  # a bad input cell: the add-in's message (test below)
                assert _same(a, b), (
                    f"{sheet}.{key} row {i + 2}: UDF cached {a!r}, LibreOffice {b!r}"
                )
                compared += 1
    # (1683 contacts + 50 spare) x 3 + (7 + 10) problems x 4 + (7 + 10) actions x 3, less
    # the few #CSQ! cells of the demo's deliberate typos
    assert compared >= (1683 + 50) * 3 + 17 * 4 + 17 * 3 - 5


def test_bad_cells_are_copied_as_they_were(demo) -> None:
    src, out = read_workbook(demo["udf"]), read_workbook(demo["portable"])
    key = [(f.cell, f.value, f.rule) for f in src.errors]
    assert key and [(f.cell, f.value, f.rule) for f in out.errors] == key
    assert len(out.monitoring) == len(src.monitoring)
    assert out.monitoring["contact_id"].tolist() == src.monitoring["contact_id"].tolist()


def test_what_libreoffice_shows(demo) -> None:
    assert _error_cells(demo["portable_lo"]) == []
    assert _error_cells(demo["report_lo"]) == []
    # the UDF variant: LibreOffice recalculates every spill formula on load and has no
    # CSQ_ functions, so the computed columns show #NAME? (docs/addin.md says so)
    names = [c for c in _error_cells(demo["udf_lo"]) if c.endswith("#NAME?")]
    assert len(names) > 1683


def test_convert_back_to_udf_keeps_rows_and_config(demo) -> None:
    a, b = read_workbook(demo["udf"]), read_workbook(demo["back"])
    assert b.as_of == a.as_of == AS_OF
    assert b.config == a.config
    for key in ("monitoring", "problems", "actions"):
        fa, fb = getattr(a, key).drop(columns="_row"), getattr(b, key).drop(columns="_row")
        assert fa.equals(fb), key
    want, got = _computed(demo["udf"], "zh"), _computed(demo["back"], "zh")
    for sheet, cols in want.items():
        for key, values in cols.items():
            assert got[sheet][key][: len(values)] == values, (sheet, key)


def test_convert_usage_errors(tmp_path, capsys, demo) -> None:
    out = tmp_path / "x.xlsx"
    with pytest.raises(SystemExit) as e:
        csq(["convert", str(demo["udf"]), "-o", str(out)])  # neither --portable nor --udf
    assert e.value.code == 2
    assert csq(["convert", str(demo["udf"]), "--portable", "-o", str(tmp_path / "x.csv")]) == 2
    assert "must end in .xlsx" in capsys.readouterr().err
    assert csq(["convert", str(tmp_path / "missing.xlsx"), "--udf", "-o", str(out)]) == 1
    assert not out.exists()
    # a file with no Monitoring table is rejected, nothing written
    empty = openpyxl.Workbook()
    empty.active.title = "Sheet1"
    empty.save(tmp_path / "other.xlsx")
    assert csq(["convert", str(tmp_path / "other.xlsx"), "--udf", "-o", str(out)]) == 1
    assert "not converted" in capsys.readouterr().err
    assert not out.exists()


def test_a_monitoring_table_without_a_required_column_is_not_converted(tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Monitoring"
    ws.append(["Contact ID", "Agent ID"])  # no Contact time (the one required column)
    ws.append(["C1", "A1"])
    wb.save(tmp_path / "hand.xlsx")
    out = tmp_path / "out.xlsx"
    assert csq(["convert", str(tmp_path / "hand.xlsx"), "--portable", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "not converted" in err and "Contact time" in err
    assert not out.exists()


def test_why_a_workbook_is_not_converted_is_worded_in_the_message_language(tmp_path):
    from addin.jobs.convert import convert_workbook, unusable_reason

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Monitoring"  # an English workbook without its Contact time column
    ws.append(["Contact ID", "Agent ID"])
    ws.append(["C1", "A1"])
    wb.save(tmp_path / "hand.xlsx")
    zh = "Monitoring: 缺少必需的列 联系时间 (Contact time)（表头行 1：Contact ID, Agent ID）"
    data = read_workbook(tmp_path / "hand.xlsx", lang="en")  # read in English
    assert unusable_reason(data, "zh") == zh
    assert unusable_reason(data, "en") == (
        "Monitoring: required column Contact time (联系时间) not found (header row 1: Contact ID, "
        "Agent ID)"
    )
    done = convert_workbook(tmp_path / "hand.xlsx", tmp_path / "o.xlsx", True, None, "zh")
    assert (done.path, done.reason) == (None, zh)

"""Unit-aware time headers (issue 12): the Config unit of first response / handle time is
written into the Monitoring header and the Guide; the reader accepts the header in any unit
and converts with the Config setting; a header unit that disagrees is a warning.

Conversions by hand: 1.5 min = 90 s, 2 min = 120 s, 0.25 h = 900 s, 1.5 h = 5400 s.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from addin.cli import main as csq
from addin.read.workbook import read_workbook
from udfs.core.config import DEFAULT_CONFIG, ScoringConfig
from workbook_templates.builder import build_workbook

MIN_H = ScoringConfig.model_validate(
    {
        **DEFAULT_CONFIG.model_dump(by_alias=True),
        "first_response_unit": "min",
        "handle_time_unit": "h",
    }
)


def _rows(fr: float, ht: float) -> list[dict]:
    return [
        {
            "contact_id": "U1",
            "contact_time": dt.datetime(2026, 10, 1, 9),
            "agent_id": "KF01",
            "first_response_s": fr,
            "handle_time_s": ht,
        }
    ]


def _headers(path, sheet: str) -> list[str]:
    return [c.value for c in openpyxl.load_workbook(path)[sheet][1]]


def _set_setting(path, sheet: str, key: str, value: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    row = next(r for r in range(1, 80) if ws.cell(r, 1).value == key)
    ws.cell(row, 3).value = value
    wb.save(path)


@pytest.mark.parametrize(
    ("lang", "sheet", "fr", "ht"),
    [
        ("zh", "监测表", "首次响应(分钟)", "处理时长(小时)"),
        ("en", "Monitoring", "First response (min)", "Handle time (h)"),
    ],
)
def test_the_written_header_and_guide_say_the_config_unit(tmp_path, lang, sheet, fr, ht):
    path = build_workbook(
        tmp_path / f"{lang}.xlsx", lang=lang, monitoring=_rows(1.5, 0.25), config=MIN_H
    )
    hdr = _headers(path, sheet)
    assert fr in hdr and ht in hdr
    assert "首次响应(秒)" not in hdr and "First response (s)" not in hdr
    guide = openpyxl.load_workbook(path)["说明" if lang == "zh" else "Guide"]
    rows = {r[0].value: r[2].value for r in guide.iter_rows() if r[0].value in (fr, ht)}
    # the range is a month in the column's unit: 30 x 24 x 60 = 43,200 min, 30 x 24 = 720 h
    assert "0-43,200" in rows[fr] and "0-720" in rows[ht]
    if lang == "zh":
        assert "单位：分钟" in rows[fr] and "first_response_unit" in rows[fr]
        assert "单位：小时" in rows[ht]
    else:
        assert "unit: min" in rows[fr] and "unit: h" in rows[ht]
    # minutes and hours keep their decimals on screen (not the seconds' whole numbers)
    ws = openpyxl.load_workbook(path)[sheet]
    assert ws.cell(2, hdr.index(fr) + 1).number_format == "0.##"
    col = openpyxl.utils.get_column_letter(hdr.index(ht) + 1)
    dv = next(d for d in ws.data_validations.dataValidation if str(d.sqref).startswith(col + "2"))
    assert (dv.type, dv.formula1, dv.formula2) == ("decimal", "0", "720")


def test_seconds_stay_the_standard_header(tmp_path):
    hdr = _headers(build_workbook(tmp_path / "s.xlsx", lang="zh"), "监测表")
    assert "首次响应(秒)" in hdr and "处理时长(秒)" in hdr


def test_unit_headers_are_read_and_converted_with_the_setting(tmp_path):
    path = build_workbook(tmp_path / "m.xlsx", lang="zh", monitoring=_rows(1.5, 0.25), config=MIN_H)
    data = read_workbook(path)
    assert data.findings == []
    # 1.5 min = 90 s; 0.25 h = 900 s
    assert list(data.monitoring["first_response_s"]) == [90.0]
    assert list(data.monitoring["handle_time_s"]) == [900.0]


def test_old_seconds_header_with_a_minutes_setting_is_converted_and_warned(tmp_path):
    path = build_workbook(tmp_path / "old.xlsx", lang="zh", monitoring=_rows(2, 1.5))
    _set_setting(path, "配置", "first_response_unit", "min")
    _set_setting(path, "配置", "handle_time_unit", "h")
    data = read_workbook(path, lang="en")
    assert data.errors == []
    # the setting decides: 2 min = 120 s; 1.5 h = 5400 s
    assert list(data.monitoring["first_response_s"]) == [120.0]
    assert list(data.monitoring["handle_time_s"]) == [5400.0]
    hdr = _headers(path, "监测表")
    letter = openpyxl.utils.get_column_letter(hdr.index("首次响应(秒)") + 1)
    warn = [f for f in data.findings if f.key == "first_response_s"]
    assert [(f.cell, f.severity) for f in warn] == [(f"{letter}1", "warning")]
    assert warn[0].rule == (
        "首次响应(秒): the header says s but the Config setting first_response_unit is min; "
        "the values are read as min (the setting)"
    )
    assert [f.key for f in data.findings if f.severity == "warning"] == [
        "first_response_s",
        "handle_time_s",
    ]


def test_an_english_minutes_header_with_a_seconds_setting(tmp_path, capsys):
    path = build_workbook(tmp_path / "en.xlsx", lang="en", monitoring=_rows(3, 0.5), config=MIN_H)
    _set_setting(path, "Config", "first_response_unit", "s")  # handle time stays h
    data = read_workbook(path)
    assert list(data.monitoring["first_response_s"]) == [3.0]  # read as seconds
    assert list(data.monitoring["handle_time_s"]) == [1800.0]  # 0.5 h, header agrees
    warn = [f for f in data.findings if f.severity == "warning"]
    assert [(f.key, f.value) for f in warn] == [("first_response_s", "First response (min)")]
    capsys.readouterr()
    assert csq(["validate", str(path)]) == 0  # a warning, not an error
    out = capsys.readouterr()
    assert "Monitoring!I1" in out.out + out.err


def test_convert_writes_the_unit_into_the_header(tmp_path):
    path = build_workbook(tmp_path / "u.xlsx", lang="zh", monitoring=_rows(1.5, 0.25), config=MIN_H)
    out = tmp_path / "p.xlsx"
    assert csq(["convert", str(path), "--portable", "-o", str(out)]) == 0
    hdr = _headers(out, "监测表")
    assert "首次响应(分钟)" in hdr
    ws = openpyxl.load_workbook(out)["监测表"]
    assert ws.cell(2, hdr.index("首次响应(分钟)") + 1).value == 1.5  # the typed minutes
    back = read_workbook(out)
    assert back.findings == [] and list(back.monitoring["first_response_s"]) == [90.0]


def test_the_range_check_is_in_the_config_unit(tmp_path):
    """A month is the upper bound: 30 x 24 = 720 h (= 2,592,000 s)."""
    rows = _rows(1, 700) + [{**_rows(1, 800)[0], "contact_id": "U2"}]
    path = build_workbook(tmp_path / "r.xlsx", lang="en", monitoring=rows, config=MIN_H)
    data = read_workbook(path)
    hdr = _headers(path, "Monitoring")
    letter = openpyxl.utils.get_column_letter(hdr.index("Handle time (h)") + 1)
    bad = [f for f in data.errors if f.key == "handle_time_s"]
    assert [(f.cell, f.value) for f in bad] == [(f"{letter}3", "800")]  # 800 h > 720 h
    assert "720" in bad[0].rule
    assert data.monitoring["handle_time_s"].iloc[0] == 700 * 3600  # 2,520,000 s, accepted
    # the same 800 typed in seconds is well inside a month
    ok = build_workbook(tmp_path / "s.xlsx", lang="en", monitoring=rows)
    assert [f for f in read_workbook(ok).errors if f.key == "handle_time_s"] == []

"""``csq import``: the shipped example end to end with hand-checked values, map errors
naming the map line, bad export values with file:line, encodings, XLSX exports, and the
export never modified."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from addin.cli import main
from addin.read.import_map import load_map
from addin.read.ticket_export import import_export
from addin.read.workbook import read_workbook
from udfs.core.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
EXPORT = ROOT / "addin" / "maps" / "example_export.csv"
MAP = ROOT / "addin" / "maps" / "example_map.toml"


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_example_export_becomes_a_clean_standard_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "june.xlsx"
    before = _sha(EXPORT), _sha(MAP)
    code = main(["import", str(EXPORT), "--map", str(MAP), "-o", str(out), "--lang", "en"])
    printed = capsys.readouterr().out
    assert code == 0
    assert (_sha(EXPORT), _sha(MAP)) == before
    assert "8 contacts imported (2 not answered" in printed
    data = read_workbook(out)
    assert data.errors == []
    assert data.lang == "en"
    m = data.monitoring.set_index("contact_id")
    assert list(m.index) == [f"T-{n}" for n in range(1001, 1009)]
    # 03/06/2024 + 09:40 with %d/%m/%Y %H:%M -> 3 June
    assert m.loc["T-1002", "contact_time"] == pd.Timestamp("2024-06-03 09:40")
    # hh:mm:ss -> seconds: 00:12:10 = 12*60+10 = 730; 00:15:45 = 945
    assert m.loc["T-1002", "handle_time_s"] == 730.0
    assert m.loc["T-1005", "handle_time_s"] == 945.0
    # minutes -> hours: 90 min = 1.5 h, 45 min = 0.75 h
    assert m.loc["T-1002", "resolution_time_h"] == 1.5
    assert m.loc["T-1003", "resolution_time_h"] == 0.75
    # value maps: Voice/Live Chat/WeChat/Web, Refund/Tech, Solved/Not solved
    assert m["channel"].tolist() == [
        "phone", "phone", "chat", "phone", "email", "social", "phone", "ticket"
    ]  # fmt: skip
    assert m.loc["T-1003", "service_type"] == "after_sales"
    assert m.loc["T-1006", "service_type"] == "technical"
    assert m["resolved_first_contact"].tolist()[:3] == [1.0, 0.0, 1.0]
    assert m.loc["T-1003", "records"] != m.loc["T-1003", "records"]  # N/A -> blank
    # never answered (Missed, Abandoned): answered N, no times, ratings or FCR; the
    # export's CSAT 0 for T-1004 is dropped instead of being reported as out of range
    for cid in ("T-1004", "T-1008"):
        assert m.loc[cid, "answered"] == 0.0
        for key in (
            "handle_time_s",
            "first_response_s",
            "csat",
            "nps",
            "speed",
            "resolved_first_contact",
        ):
            assert np.isnan(m.loc[cid, key]), (cid, key)
        assert m.loc[cid, "agent_id"] in ("A102", "A202")
    assert m["answered"].sum() == 6  # answer rate 6/8
    # customer text stays text
    assert m.loc["T-1007", "problem_description"] == '=HYPERLINK("http://x.example")'
    with _open(out) as ws:
        texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert '=HYPERLINK("http://x.example")' in texts


class _open:  # a tiny context manager around openpyxl's read-only workbook
    def __init__(self, path: Path) -> None:
        self.wb = openpyxl.load_workbook(path, read_only=True)

    def __enter__(self):  # noqa: ANN204
        return self.wb["Monitoring"]

    def __exit__(self, *exc: object) -> None:
        self.wb.close()


def _map(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "m.toml"
    p.write_text(text, encoding="utf-8")
    return p


MINI = '[columns]\ncontact_id = "Id"\ncontact_time = "When"\nagent_id = "Agent"\n'


def test_unknown_canonical_key_names_the_map_line(tmp_path: Path) -> None:
    p = _map(tmp_path, MINI + 'agnet_name = "Agent"\n')
    with pytest.raises(UsageError) as exc:
        load_map(p, "en")
    assert str(exc.value).startswith(
        f"{p}:5: [columns] 'agnet_name' is not a monitoring field; allowed: contact_id, contact_time,"
    )


def test_missing_source_columns_list_the_export_headers(tmp_path: Path) -> None:
    csv = tmp_path / "e.csv"
    csv.write_text("Id,When,Agent Name\nX1,2024-06-01 10:00,A1\n", encoding="utf-8")
    with pytest.raises(UsageError) as exc:
        import_export(csv, _map(tmp_path, MINI), "en")
    assert str(exc.value) == (
        f"{tmp_path / 'm.toml'}: source column(s) not in e.csv: 'Agent'\n"
        "  headers in the export: 'Id', 'When', 'Agent Name'"
    )


def test_map_checks_values_units_and_required(tmp_path: Path) -> None:
    with pytest.raises(
        UsageError, match=r"m.toml:7: \[values.answered\] 'ok' = 'maybe': 'maybe' is not allowed"
    ):
        load_map(_map(tmp_path, MINI + 'answered = "A"\n[values.answered]\nok = "maybe"\n'), "en")
    with pytest.raises(
        UsageError, match=r"m.toml:7: \[units\] handle_time_s = 'days': unknown unit"
    ):
        load_map(
            _map(tmp_path, MINI + 'handle_time_s = "T"\n[units]\nhandle_time_s = "days"\n'), "en"
        )
    with pytest.raises(UsageError, match=r"must map the required field\(s\) agent_id"):
        load_map(_map(tmp_path, '[columns]\ncontact_id = "Id"\ncontact_time = "When"\n'), "en")


def test_bad_values_are_listed_with_file_line_and_column_rows_kept(tmp_path: Path) -> None:
    csv = tmp_path / "calls.csv"
    csv.write_text(
        "Id;When;Agent;Score;Talk\n"
        "X1;2024-06-01 10:00;A1;5;0:01:05\n"
        "\n"
        "X2;2024-06-01 11:00;A2;seven;1:02\n"
        'X3;"2024-06-31 12:00";A3;4;abc\n',
        encoding="utf-8",
    )
    m = _map(
        tmp_path,
        MINI + 'csat = "Score"\nhandle_time_s = "Talk"\n[units]\nhandle_time_s = "hh:mm:ss"\n',
    )
    res = import_export(csv, m, "en")
    got = [(f.where(), f.value, f.rule) for f in res.findings]
    assert got == [
        (
            "calls.csv:4",
            "seven",
            "column 'Score': CSAT (1-5): is not a number; allowed: a whole number from 1 to 5, or blank",
        ),
        (
            "calls.csv:5",
            "2024-06-31 12:00",
            "column 'When': Contact time: is not a date; allowed: a date and time from "
            "2000-01-01 to 2100-01-01, e.g. 2024-06-15 09:30",
        ),
        (
            "calls.csv:5",
            "abc",
            "column 'Talk': Handle time (s): abc is not a duration hh:mm:ss; allowed: a number "
            "from 0 to 2592000, or blank",
        ),
    ]
    df = res.monitoring
    assert df["contact_id"].tolist() == ["X1", "X2", "X3"]  # every row kept
    np.testing.assert_array_equal(
        df["handle_time_s"].to_numpy(), [65.0, 62.0, np.nan]
    )  # 1:02 = mm:ss
    np.testing.assert_array_equal(df["csat"].to_numpy(), [5.0, np.nan, 4.0])


def test_gbk_export_with_chinese_values(tmp_path: Path) -> None:
    csv = tmp_path / "gbk.csv"
    csv.write_bytes(
        "编号,时间,坐席,是否接通,满意度,渠道\nA,2024-06-01 09:00,王,已接通,5,热线\nB,2024-06-01 10:00,李,未接通,3,在线\n".encode(
            "gbk"
        )
    )
    m = _map(
        tmp_path,
        '[columns]\ncontact_id = "编号"\ncontact_time = "时间"\nagent_id = "坐席"\n'
        'answered = "是否接通"\ncsat = "满意度"\nchannel = "渠道"\n'
        '[values.answered]\n"已接通" = "Y"\n"未接通" = "N"\n',
    )
    res = import_export(csv, m, "zh")
    assert res.findings == []
    df = res.monitoring
    assert df["agent_id"].tolist() == ["王", "李"]
    assert df["answered"].tolist() == [1.0, 0.0]
    np.testing.assert_array_equal(df["csat"].to_numpy(), [5.0, np.nan])  # unanswered: no rating
    assert df["channel"].tolist() == ["phone", "chat"]  # schema aliases 热线 / 在线
    assert res.unanswered == 1


def test_xlsx_export_with_time_cells_and_cell_addresses(tmp_path: Path) -> None:
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(["Report generated 2024-07-01"])
    ws.append(["Id", "Date", "Time", "Agent", "Talk", "Score"])
    ws.append(["X1", dt.date(2024, 6, 1), dt.time(9, 30), "A1", dt.time(0, 4, 5), 4])
    ws.append(["X2", dt.date(2024, 6, 2), dt.time(14, 0), "A2", "0:10:00", 11])
    path = tmp_path / "calls.xlsx"
    wb.save(path)
    m = _map(
        tmp_path,
        '[columns]\ncontact_id = "Id"\ncontact_time = ["Date", "Time"]\nagent_id = "Agent"\n'
        'handle_time_s = "Talk"\ncsat = "Score"\n[units]\nhandle_time_s = "hh:mm:ss"\n',
    )
    res = import_export(path, m, "en")
    df = res.monitoring
    assert df["contact_time"].tolist() == [
        pd.Timestamp("2024-06-01 09:30"),
        pd.Timestamp("2024-06-02 14:00"),
    ]
    assert df["handle_time_s"].tolist() == [245.0, 600.0]
    assert [(f.where(), f.value) for f in res.findings] == [("calls.xlsx!Calls!F4", "11")]
    # a date_format meant for text does not spoil real date and time cells
    m2 = _map(tmp_path, m.read_text() + '[options]\ndate_format = "%d/%m/%Y %H:%M"\n')
    again = import_export(path, m2, "en").monitoring
    assert again["contact_time"].tolist() == df["contact_time"].tolist()


def test_refuses_to_overwrite_without_force_and_never_the_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "e.csv"
    shutil.copy(EXPORT, export)
    out = tmp_path / "o.xlsx"
    out.write_bytes(b"keep me")
    assert main(["import", str(export), "--map", str(MAP), "-o", str(out), "--lang", "en"]) == 2
    assert "already exists; pass --force" in capsys.readouterr().err
    assert out.read_bytes() == b"keep me"
    assert main(["import", str(export), "--map", str(MAP), "-o", str(out), "--force"]) == 0
    assert read_workbook(out).monitoring.shape[0] == 8
    assert _sha(export) == _sha(EXPORT)


def test_cli_exit_1_on_bad_values_still_writes_the_good_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "c.csv"
    csv.write_text("Id,When,Agent,Score\nX1,2024-06-01 10:00,A1,5\nX2,2024-06-02 10:00,A2,9\n")
    m = _map(tmp_path, MINI + 'csat = "Score"\n')
    out = tmp_path / "o.xlsx"
    assert main(["import", str(csv), "--map", str(m), "-o", str(out), "--lang", "en"]) == 1
    cap = capsys.readouterr()
    assert cap.err.strip() == (
        "c.csv:3: '9' column 'Score': CSAT (1-5): not in 1-5; allowed: a whole number from 1 to 5, or blank"
    )
    assert "2 contacts imported (0 not answered" in cap.out
    data = read_workbook(out)
    assert data.errors == []  # the bad cell was left blank
    np.testing.assert_array_equal(data.monitoring["csat"].to_numpy(), [5.0, np.nan])


def test_unanswered_contacts_count_only_in_the_answer_rate(tmp_path: Path) -> None:
    """Headline figures of the imported sample, worked out by hand from example_export.csv
    (T-1004 Missed and T-1008 Abandoned are the unanswered ones)."""
    from udfs.core import summary

    out = tmp_path / "june.xlsx"
    assert main(["import", str(EXPORT), "--map", str(MAP), "-o", str(out), "--lang", "zh"]) == 0
    s = summary(read_workbook(out).monitoring)
    assert s["contacts"] == 8 and s["answered"] == 6
    assert s["answer_rate"] == pytest.approx(6 / 8)
    assert s["fcr"] == pytest.approx(4 / 6)  # Solved: T-1001, 1003, 1005, 1006
    assert s["csat_mean"] == pytest.approx((5 + 2 + 4 + 4 + 5 + 1) / 6)
    assert s["avg_first_response_s"] == pytest.approx((12 + 45 + 8 + 600 + 20 + 35) / 6)
    # 4:30, 12:10, 6:00, 15:45, 9:30, 20:00 in seconds
    assert s["avg_handle_time_s"] == pytest.approx((270 + 730 + 360 + 945 + 570 + 1200) / 6)
    assert s["transfer_rate"] == pytest.approx(2 / 6)

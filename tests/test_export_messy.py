"""Messy ticket exports through the one reading pipeline (:mod:`addin.read.ticket_export`)
against hand-written expectations: a small export with every kind of bad value gives
these typed rows and these findings at these lines, whatever its line ends, encoding,
delimiter or format (CSV read by pandas, CSV read by the ``csv`` module, XLSX); a record
over two lines moves the findings after it by one line; ``csq sample``'s drawn rows get
their other fields from their own lines."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from addin.cli import main
from addin.jobs.population import POPULATION_KEYS, read_population
from addin.read.ticket_export import import_export
from addin.read.ticket_export_values import parse_dates
from addin.read.workbook import read_workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_MAP = ROOT / "addin" / "maps" / "example_map.toml"

MAP = """
[columns]
contact_id = "Id"
contact_time = ["Date", "Time"]
channel = "Channel"
agent_id = "Agent"
handle_time_s = "Talk"
first_response_s = "Wait (min)"
answered = "Status"
csat = "CSAT"
speed = "Speed"
problem_description = "Note"

[values.channel]
Voice = "phone"
"Live Chat" = "chat"

[values.answered]
Answered = "Y"
Missed = "N"

[units]
handle_time_s = "hh:mm:ss"
first_response_s = "min"

[options]
date_format = "%d/%m/%Y %H:%M"
"""
LONG = "x" * 40_000
HEADER = ["Id", "Date", "Time", "Channel", "Agent", "Talk", "Wait (min)", "Status", "CSAT"]
HEADER += ["Speed", "Note", "Agent"]  # a second Agent column: the first is used
RECORDS = [  # physical line 1: a title; 2: empty; 3: the header; data from line 4
    ["T-1", "05/10/2026", "09:05", "Voice", "A1", "00:05:10", "2.5", "Answered", "5", "4",
     'said "slow", twice', "X1"],
    ["T-2", "05/10/2026", "7:5", "voice", "A2", "5:10", "n/a", "answered", "6", "N/A", "", "X2"],
    [""] * 12,  # a record blank in every field: no contact
    ["T-3", "31/02/2026", "10:00", "Fax", "A3", "x:y", "15", "Missed", "0", "9", "", "X3"],
    ["T-1", " 06/10/2026 ", "12:00", "LIVE CHAT", " A1 ", "1:02:03.5", "", "Y", "4.5", "",
     LONG, "X4"],
    ["", "", "", "", "", "", "", "", "", "", "客户反映响应慢", "X5"],  # a note, nothing else
    ["T-5", "2026-10-03", "noon", "E-mail", "", "", "", "?", "good", "", "", "X6"],
]  # fmt: skip

ALLOWED_TIME = "allowed: a date and time from 2000-01-01 to 2100-01-01, e.g. 2024-06-15 09:30"
ALLOWED_CSAT = "allowed: a whole number from 1 to 5, or blank"
ALLOWED_SECONDS = "allowed: a number from 0 to 2592000, or blank"
ALLOWED_TEXT = "allowed: any text (required)"
FINDINGS = [  # (line, source column, value, rule after "column '<source>': ")
    (5, "Wait (min)", "n/a", f"First response (s): is not a number; {ALLOWED_SECONDS}"),
    (5, "CSAT", "6", f"CSAT (1-5): not in 1-5; {ALLOWED_CSAT}"),
    (7, "Date + Time", "31/02/2026 10:00",
     f"Contact time: 31/02/2026 10:00 does not match the date format %d/%m/%Y %H:%M; {ALLOWED_TIME}"),
    (7, "Talk", "x:y", f"Handle time (s): x:y is not a duration hh:mm:ss; {ALLOWED_SECONDS}"),
    (8, "Id", "T-1", "Contact ID: T-1 is a duplicate of row 4; each contact needs its own id"),
    (8, "CSAT", "4.5", f"CSAT (1-5): not a whole number; {ALLOWED_CSAT}"),
    (8, "Note", "x" * 59 + "…", "Problem description: text of 40,000 characters is longer than an Excel "
     "cell holds; the first 32,767 are kept"),
    (9, "Id", "", f"Contact ID: required but blank; {ALLOWED_TEXT}"),
    (9, "Date + Time", "", f"Contact time: required but blank; {ALLOWED_TIME}"),
    (9, "Agent", "", f"Agent ID: required but blank; {ALLOWED_TEXT}"),
    (10, "Date + Time", "2026-10-03 noon",
     f"Contact time: 2026-10-03 noon does not match the date format %d/%m/%Y %H:%M; {ALLOWED_TIME}"),
    (10, "Agent", "", f"Agent ID: required but blank; {ALLOWED_TEXT}"),
    (10, "Status", "?", "Answered: is not Y/N; allowed: Y or N (also yes/no, 是/否, 1/0), or blank"),
    (10, "CSAT", "good", f"CSAT (1-5): is not a number; {ALLOWED_CSAT}"),
]  # fmt: skip
WARNINGS = {"Note"}  # the long text is a warning; every other finding an error
NAN = float("nan")
ROWS = {  # the typed rows: the blank record (line 6) is no contact, every other row is kept
    "_row": [4, 5, 7, 8, 9, 10],
    "contact_id": ["T-1", "T-2", "T-3", "T-1", None, "T-5"],
    "contact_time": [pd.Timestamp("2026-10-05 09:05"), pd.Timestamp("2026-10-05 07:05"),
                     pd.NaT, pd.Timestamp("2026-10-06 12:00"), pd.NaT, pd.NaT],
    # value map in any case; Fax, no built-in channel, is kept as typed (and joins the
    # workbook's Config list of channels: ImportResult.added_choices)
    "channel": ["phone", "phone", "Fax", "chat", None, "email"],
    "agent_id": ["A1", "A2", "A3", "A1", None, None],  # not the second Agent column
    "handle_time_s": [310.0, 310.0, NAN, 3723.5, NAN, NAN],  # hh:mm:ss, mm:ss
    "first_response_s": [150.0, NAN, NAN, NAN, NAN, NAN],  # 2.5 min
    "answered": [1.0, 1.0, 0.0, 1.0, NAN, NAN],
    "csat": [5.0, NAN, NAN, NAN, NAN, NAN],  # T-3 was missed: its 0 is dropped, not reported
    "speed": [4.0, NAN, NAN, NAN, NAN, NAN],  # T-3's 9 likewise
}  # fmt: skip


def _findings(name: str, shift_after: int | None = None) -> list[tuple[str, str, str, str]]:
    """The expected findings of a CSV export called ``name`` (with every line after
    ``shift_after`` one further down)."""
    out = [(f"{name}:3", "Agent", "header 'Agent' appears 2 times (columns 5, 12); the first, "
            "column 5, is used", "warning")]  # fmt: skip
    for line, source, value, rule in FINDINGS:
        if shift_after is not None and line > shift_after:
            line += 1
        severity = "warning" if source in WARNINGS else "error"
        out.append((f"{name}:{line}", value, f"column {source!r}: {rule}", severity))
    return out


def _got(result) -> list[tuple[str, str, str, str]]:  # noqa: ANN001
    return [(f.where(), f.value, f.rule, f.severity) for f in result.findings]


def _check_rows(result, shift_after: int | None = None) -> None:  # noqa: ANN001
    df = result.monitoring
    for key, want in ROWS.items():
        got = df[key].tolist()
        if key == "_row" and shift_after is not None:
            want = [x + 1 if x > shift_after else x for x in want]
        assert len(got) == len(want), key
        for g, w in zip(got, want, strict=True):
            assert (g is w) or (g == w) or (pd.isna(g) and pd.isna(w)), (key, got, want)
    notes = df["problem_description"].tolist()
    assert notes[0] == 'said "slow", twice' and notes[4] == "客户反映响应慢"
    assert notes[3] == "x" * 32_767  # kept up to an Excel cell's limit
    assert result.unanswered == 1
    assert result.added_choices == {"channel": ["Fax"]}
    assert result.not_applicable["speed"].tolist() == [False, True, False, False, False, False]


def _write_csv(
    path: Path,
    records: list[list[str]] = RECORDS,
    *,
    delimiter: str = ",",
    newline: str = "\n",
    encoding: str = "utf-8",
) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    w.writerow(["Call export", "", "generated 2026-11-30"])
    buf.write(newline)
    w.writerow(HEADER)
    w.writerows(records)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


@pytest.fixture
def map_path(tmp_path: Path) -> Path:
    p = tmp_path / "map.toml"
    p.write_text(MAP, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("lf.csv", {}),
        ("crlf.csv", {"newline": "\r\n"}),
        ("cr.csv", {"newline": "\r"}),  # old Mac line ends: read by the csv module
        ("bom.csv", {"encoding": "utf-8-sig", "newline": "\r\n"}),
        ("gbk.csv", {"encoding": "gbk"}),
        ("semicolon.csv", {"delimiter": ";"}),
        ("tabs.tsv", {"delimiter": "\t"}),
    ],
)
def test_a_messy_csv_gives_these_rows_and_findings(
    tmp_path: Path, map_path: Path, name: str, options: dict
) -> None:
    export = _write_csv(tmp_path / name, **options)
    result = import_export(export, map_path, "en")
    assert _got(result) == _findings(name)
    _check_rows(result)


def test_more_fields_than_the_header_are_reported_and_the_record_left_out(
    tmp_path: Path, map_path: Path
) -> None:
    """Issue 22: fields past the header are an unquoted delimiter that shifted the
    record's tail; the record is named with both field counts and not imported."""
    records = [list(r) for r in RECORDS]
    width = len(records[0])
    records[0] += ["extra", "more"]
    export = _write_csv(tmp_path / "wide.csv", records)
    result = import_export(export, map_path, "en")
    got = _got(result)
    n = len(HEADER)
    assert got[0] == (
        "wide.csv:4",
        "",
        f"the record has {width + 2} fields, the header {n}: a delimiter in an unquoted text "
        "shifts the rest; the record is not imported (put such a text in quotes)",
        "error",
    )
    left_out = [f for f in _findings("wide.csv") if not f[0].endswith(":4")]
    # T-1 on line 8 is no longer a duplicate of the record left out
    assert got[1:] == [f for f in left_out if "duplicate of row 4" not in f[2]]
    assert 4 not in result.monitoring["_row"].tolist()


def test_a_record_over_two_lines_moves_the_lines_after_it(tmp_path: Path, map_path: Path) -> None:
    records = [list(r) for r in RECORDS]
    records[0][10] = "said\nslow"  # T-1's note over lines 4 and 5
    export = _write_csv(tmp_path / "two.csv", records)
    result = import_export(export, map_path, "en")
    assert _got(result) == _findings("two.csv", shift_after=4)
    assert result.monitoring["problem_description"].iloc[0] == "said\nslow"
    records[0][10] = 'said "slow", twice'
    _check_rows(import_export(_write_csv(tmp_path / "one.csv", records), map_path, "en"))


def test_an_xlsx_export_gives_the_same_rows_with_cell_addresses(
    tmp_path: Path, map_path: Path
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calls"
    ws.append(["Call export", None, "generated 2026-11-30"])
    ws.append([])
    ws.append(HEADER)
    for r in RECORDS:
        ws.append([v if v != "" else None for v in r])
    # typed cells where a sheet has them: a date and a time cell joined, a time as duration
    ws["B4"], ws["C4"], ws["F4"] = dt.date(2026, 10, 5), dt.time(9, 5), dt.time(0, 5, 10)
    ws["I4"] = 5
    path = tmp_path / "calls.xlsx"
    wb.save(path)
    result = import_export(path, map_path, "en")
    letter = {h: chr(ord("A") + HEADER.index(h)) for h in HEADER}
    letter["Date + Time"] = "B"
    want = [("calls.xlsx!Calls!L3", "Agent", "header 'Agent' appears 2 times (columns E, L); "
             "the first, column E, is used", "warning")]  # fmt: skip
    for line, source, value, rule in FINDINGS:
        if source == "Note":  # a sheet's cell holds 32,767 characters at most: no warning
            continue
        severity = "warning" if source in WARNINGS else "error"
        cell = f"calls.xlsx!Calls!{letter[source]}{line}"
        want.append((cell, value, f"column {source!r}: {rule}", severity))
    assert _got(result) == want
    _check_rows(result)


def test_csq_import_writes_the_rows_and_prints_each_finding(
    tmp_path: Path, map_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = _write_csv(tmp_path / "calls.csv", newline="\r\n")
    out = tmp_path / "out.xlsx"
    assert (
        main(["import", str(export), "--map", str(map_path), "-o", str(out), "--lang", "en"]) == 1
    )
    got = capsys.readouterr()
    want = [f"{w}: {v!r} {r}" if v else f"{w}: {r}" for w, v, r, _ in _findings("calls.csv")]
    # identical findings (rule x column x value) share one line: the blank agents of lines
    # 9 and 10 are one line, at the place of the first
    blank_agent = "column 'Agent': Agent ID: required but blank"
    at = [i for i, x in enumerate(want) if blank_agent in x]
    assert [want[i].split(":")[1] for i in at] == ["9", "10"]
    want[at[0]] = want[at[0]].replace("calls.csv:9:", "calls.csv:9, 10:")
    del want[at[1]]
    assert got.err.splitlines() == want
    assert "6 contacts imported (1 not answered" in got.out
    assert "13 bad values, 2 warnings" in got.out
    assert "added to the Config list 'Channel choices': Fax" in got.out
    mon = read_workbook(out).monitoring
    assert mon["contact_id"].tolist() == ["T-1", "T-2", "T-3", "T-1", None, "T-5"]
    assert mon["handle_time_s"].tolist()[:2] == [310.0, 310.0]
    wb = openpyxl.load_workbook(out, read_only=True)
    cells = list(wb.worksheets[2].iter_rows(values_only=True))  # Guide, Config, Monitoring
    wb.close()
    assert sum(row.count("N/A") for row in cells) == 1  # T-2's speed N/A is written back


def test_dates_parsed_as_a_column_equal_strptime_text_by_text() -> None:
    fmt = "%d/%m/%Y %H:%M"
    tricky = [
        "05/10/2026 09:05",
        " 05/10/2026 09:05 ",  # strptime gets the stripped text
        "5/10/2026 9:05",  # strptime takes one digit; not its own strftime spelling
        "05/10/2026  09:05",  # two spaces: strptime's \s+ takes them
        "31/02/2026 10:00",  # no such day
        "05/10/2026 24:00",
        "05/10/3024 09:05",  # beyond pandas' nanosecond range, a datetime for strptime
        "05/10/0999 09:05",
        "2026-10-05 09:05",
        "05/10/2026",
        "noon",
        "",
    ]
    texts = tricky + [f"{d:02d}/{m:02d}/2026 {h:02d}:{mi:02d}" for d in (1, 28) for m in (1, 12)
                      for h in (0, 23) for mi in (0, 59)]  # fmt: skip
    memo: dict = {}
    parse_dates(texts, fmt, memo)

    def strptime(v: str) -> dt.datetime | None:
        try:
            return dt.datetime.strptime(v.strip(), fmt)
        except ValueError:
            return None

    for v in texts:
        got = memo[(fmt, v)]
        assert got == strptime(v), v
        assert type(got) is type(strptime(v)), v
    assert memo[(fmt, "05/10/3024 09:05")] == dt.datetime(3024, 10, 5, 9, 5)
    assert memo[(fmt, "31/02/2026 10:00")] is None
    # a format with other directives (%b) goes through strptime alone, same answers
    memo = {}
    parse_dates(["05 Oct 2026", "05 oct 2026", "5 Okt 2026"], "%d %b %Y", memo)
    assert memo[("%d %b %Y", "05 oct 2026")] == dt.datetime(2026, 10, 5)
    assert memo[("%d %b %Y", "5 Okt 2026")] is None


def test_odd_quoting_reads_as_the_csv_module_reads_it(tmp_path: Path) -> None:
    """Fields the pandas parser and the csv module could split differently: a NUL byte,
    doubled quotes, a quote inside a field, text after a closing quote, a semicolon."""
    headers = EXAMPLE_HEADERS
    lines = [",".join(headers)]
    odd = ["A\x00B", '"A""1"', 'A"2', '"A"3', '"A;4"', " A5 ", '""']
    for i, agent in enumerate(odd * 20):
        cells = dict.fromkeys(headers, "")
        cells.update({"Ticket No": f"T-{i}", "Created Date": "05/10/2026"})
        cells.update({"Created Time": "09:00", "Agent": agent, "Call Status": "Answered"})
        lines.append(",".join(cells[h] for h in headers))
    export = tmp_path / "calls.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_export(export, EXAMPLE_MAP, "en")
    agents = result.monitoring["agent_id"].tolist()
    assert agents[:7] == ["A\x00B", 'A"1', 'A"2', "A3", "A;4", "A5", None]
    assert agents == agents[:7] * 20
    blank = "column 'Agent': Agent ID: required but blank; allowed: any text (required)"
    assert _got(result) == [(f"calls.csv:{8 + 7 * k}", "", blank, "error") for k in range(20)]


_spec = importlib.util.spec_from_file_location(
    "bench_sample", ROOT / "benchmarks" / "bench_sample.py"
)
assert _spec and _spec.loader
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)
EXAMPLE_HEADERS = bench.HEADERS.split(",")


def _messy_rows(n: int, seed: int) -> list[list[str]]:
    """Rows of the example export's layout with the values real exports get wrong."""
    rng = np.random.default_rng(seed)
    pick = lambda xs: xs[int(rng.integers(0, len(xs)))]  # noqa: E731
    rows = []
    for i in range(n):
        day = int(rng.integers(1, 29))
        row = dict.fromkeys(EXAMPLE_HEADERS, "")
        # the first 1,100 ids all differ (read as a column of ids), then blanks, padding,
        # a duplicate and one longer than an Excel cell
        row["Ticket No"] = (
            f"T-{i}"
            if i < 1100
            else ("T" * 40_000 if i == 1300 else pick([f"T-{i}", f"T-{i}", " ", f" T-{i} ", "T-1"]))
        )
        row["Created Date"] = pick(
            [f"{day:02d}/10/2026", f"{day:02d}/11/2026", "", "  ", "2026-10-03", "31/02/2026"]
        )
        row["Created Time"] = pick(["09:05", "23:59", "", "7:5", "12:00:00", "noon"])
        row["Channel"] = pick(["Voice", "voice", "LIVE CHAT", "E-mail", "Fax", "", "电话", "Web "])
        row["Category"] = pick(["Question", "Refund", "question", "Other", ""])
        row["Team"] = pick(["Team 1", " Team 2", "", "班组3"])
        row["Agent"] = pick(["A1", "A2", "A3", "", " A1", "客服07"])
        row["First Reply (s)"] = pick(["12", " 30 ", "1e2", "abc", "", "-5", "1_000", "7.5"])
        row["Talk Time"] = pick(["00:05:10", "5:10", "1:02:03.5", "00:00:00", "x:y", "", "90"])
        row["Resolve Time (min)"] = pick(["15", "2.5", "n/a", ""])
        row["Call Status"] = pick(["Answered", "answered", "Missed", "Abandoned", "?", "", "Y"])
        row["Solved First Time"] = pick(["Solved", "Not solved", "solved", "maybe", "", "是"])
        row["Transferred"] = pick(["Yes", "No", "1", "0", "2", "", "否"])
        row["CSAT"] = pick(["5", "4", "0", "6", "4.5", "", "good"])
        row["Speed"] = pick(["", "4", "N/A", "9"])
        row["Fatal Error"] = pick(["", "无", "rude"])
        row["Issue Type"] = pick(["", "Slow reply", "Refund"])
        row["Issue Detail"] = pick(["", "客户反映响应慢", 'said "slow", twice', "a,b"])
        if i == 1200:
            row["Team"] = "团队" * 17_000  # 34,000 characters: kept up to 32,767, a warning
        rows.append([row[h] for h in EXAMPLE_HEADERS])
    return rows


def _write_messy(path: Path, rows: list[list[str]], newline: str = "\n") -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerow(["Call export", "", "generated 2026-11-30"])
    w.writerow([])
    w.writerow(EXAMPLE_HEADERS)
    for k, r in enumerate(rows):
        w.writerow(r)
        if k > 1100 and k % 97 == 5:
            w.writerow([""] * len(EXAMPLE_HEADERS))  # a record blank in every field
        if k > 1100 and k % 131 == 7:
            buf.write(newline)  # an empty line
    path.write_bytes(buf.getvalue().encode("utf-8"))
    return path


def test_a_big_messy_export_reads_alike_whatever_its_line_ends(tmp_path: Path) -> None:
    """1,500 contacts with every kind of bad value: LF and CRLF files are read whole by
    pandas, a CR-only file by the csv module; the rows and findings are the same, every
    kind of finding is there, and csq sample's first pass agrees with csq import."""
    rows = _messy_rows(1500, 1)
    results = [
        import_export(_write_messy(tmp_path / "calls.csv", rows, nl), EXAMPLE_MAP, "en")
        for nl in ("\n", "\r\n", "\r")
    ]
    first = results[0]
    for other in results[1:]:
        pd.testing.assert_frame_equal(other.monitoring, first.monitoring)
        assert other.findings == first.findings
        assert other.unanswered == first.unanswered
    rules = " ".join(f.rule for f in first.findings)
    for text in ("is not a number", "hh:mm:ss", "date format", "duplicate", "Y/N", "32,767"):
        assert text in rules, text
    assert len(first.findings) > 300
    assert first.monitoring["contact_time"].isna().any()  # blank dates stay blank
    # csq sample, pass 1: the population fields only, the same rows and the same findings
    # for those fields; pass 2: the drawn rows with every field, as csq import has them
    _write_messy(tmp_path / "calls.csv", rows)
    imap, whole, drawn = read_population(tmp_path / "calls.csv", str(EXAMPLE_MAP), "en")
    keys = [k for k in POPULATION_KEYS if k in imap.columns]
    pd.testing.assert_frame_equal(whole.monitoring[keys], first.monitoring[keys])
    assert whole.findings == [f for f in first.findings if f.key in keys or not f.key]
    lines = whole.monitoring["_row"].to_numpy()[::3]
    part = drawn(lines)
    at = first.monitoring["_row"].isin(lines).to_numpy()
    pd.testing.assert_frame_equal(
        part.monitoring.drop(columns="period"),
        first.monitoring[at].drop(columns="period").reset_index(drop=True),
    )


@pytest.mark.parametrize("layout", ["plain", "two-line record", "cr", "xlsx"])
def test_drawn_rows_get_their_other_fields_from_their_own_lines(
    tmp_path: Path, layout: str
) -> None:
    """A row blank in every population field is no contact; the drawn contacts after it
    still get their own descriptions (the second pass finds them by line number), also
    where a record spans two lines, the file has CR line ends or is a workbook."""
    rows = []
    for i in range(40):
        row = dict.fromkeys(EXAMPLE_HEADERS, "")
        row.update({"Ticket No": f"T-{i}", "Created Date": "05/10/2026", "Created Time": "09:00"})
        row.update(
            {"Agent": f"A{i % 4}", "Call Status": "Answered", "Issue Detail": f"about T-{i}"}
        )
        if layout == "two-line record" and i == 1:
            row["QA Note"] = "first line\nsecond line"
        rows.append([row[h] for h in EXAMPLE_HEADERS])
    lone = dict.fromkeys(EXAMPLE_HEADERS, "")
    lone["Issue Detail"] = "a note without a contact"
    rows.insert(3, [lone[h] for h in EXAMPLE_HEADERS])
    if layout == "xlsx":
        wb = openpyxl.Workbook()
        wb.active.append(EXAMPLE_HEADERS)
        for r in rows:
            wb.active.append([v or None for v in r])
        export = tmp_path / "calls.xlsx"
        wb.save(export)
    else:
        export = _write_messy(tmp_path / "calls.csv", rows, "\r" if layout == "cr" else "\n")
    out = tmp_path / "s.xlsx"
    args = ["sample", str(export), "--map", str(EXAMPLE_MAP), "-o", str(out), "--ratio", "1"]
    assert main([*args, "--seed", "1", "--lang", "en"]) == 0
    mon = read_workbook(out).monitoring
    assert len(mon) == 40  # every contact (ratio 1), the lone note is not one
    for cid, text in zip(mon["contact_id"], mon["problem_description"], strict=True):
        assert text == f"about {cid}"

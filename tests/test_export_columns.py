"""The columnar path of ``csq sample`` (:mod:`addin.read.ticket_export_columns`) against the row
path it replaces (``csq import``'s :func:`addin.read.ticket_export.convert_mapped`): on exports
with messy values both give the same typed columns, the same findings (file:line, column,
value, text) and, end to end, the same Monitoring sheet byte for byte, the same population
figures on the Config sheet and the same messages and exit code.  Where only the ``csv``
module reads an export exactly (a quoted field over several lines, old Mac line ends) the
columnar reader declines and the row path is taken."""

from __future__ import annotations

import csv
import importlib.util
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from addin.cli import main
from addin.jobs import population as sample_cmd
from addin.jobs.population import POPULATION_KEYS, read_population
from addin.read.import_map import load_map
from addin.read.ticket_export_columns import read_csv_columns

ROOT = Path(__file__).resolve().parents[1]
MAP = ROOT / "addin" / "maps" / "example_map.toml"

_spec = importlib.util.spec_from_file_location(
    "bench_sample", ROOT / "benchmarks" / "bench_sample.py"
)
assert _spec and _spec.loader
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

HEADERS = bench.HEADERS.split(",")


def _messy_rows(n: int, seed: int) -> list[list[str]]:
    """Rows of the benchmark's export layout with the values real exports get wrong."""
    rng = np.random.default_rng(seed)
    pick = lambda xs: xs[int(rng.integers(0, len(xs)))]  # noqa: E731
    rows = []
    for i in range(n):
        day = int(rng.integers(1, 29))
        row = dict.fromkeys(HEADERS, "")
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
        rows.append([row[h] for h in HEADERS])
    return rows


def _write(
    path: Path,
    rows: list[list[str]],
    *,
    title: bool = False,
    crlf: bool = False,
    dup: bool = False,
) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    if title:
        w.writerow(["Call export", "", "generated 2026-11-30"])
        w.writerow([])
    w.writerow([*HEADERS, "Agent"] if dup else HEADERS)  # dup: a second Agent column
    for k, r in enumerate(rows):
        w.writerow([*r, f"X{k}"] if dup else r)
        if k > 1100 and k % 97 == 5:
            w.writerow([""] * len(HEADERS))  # a record blank in every field
        if k > 1100 and k % 131 == 7:
            buf.write("\n" if not crlf else "\r\n")  # an empty line
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _both(export: Path) -> tuple[tuple, tuple]:
    out = []
    for columnar in (True, False):
        imap, whole, drawn = read_population(export, str(MAP), "en", columnar=columnar)
        out.append((whole, drawn(whole.monitoring["_row"].to_numpy()[::3])))
    return out[0], out[1]


@pytest.mark.parametrize(
    ("seed", "title", "crlf", "dup"),
    [(1, False, False, False), (2, True, False, False), (3, False, True, True)],
)
def test_columnar_pass_equals_the_row_conversion_on_messy_values(
    tmp_path: Path, seed: int, title: bool, crlf: bool, dup: bool
) -> None:
    rows_in = _messy_rows(1500, seed)
    export = _write(tmp_path / "calls.csv", rows_in, title=title, crlf=crlf, dup=dup)
    assert read_csv_columns(export, load_map(MAP, "en").only(POPULATION_KEYS), "en") is not None
    (fast, fast_drawn), (rows, rows_drawn) = _both(export)
    pd.testing.assert_frame_equal(fast.monitoring, rows.monitoring)
    assert fast.unanswered == rows.unanswered
    assert fast.findings == rows.findings
    # the export is messy: every kind of finding is there to compare (bad number, bad
    # duration, bad date format, unknown choice, not Y/N, out of range, duplicate id,
    # required blank) - a few hundred of them
    rules = " ".join(f.rule for f in rows.findings)
    for text in ("is not a number", "hh:mm:ss", "date format", "duplicate", "Y/N", "32,767"):
        assert text in rules, text
    assert len(rows.findings) > 300
    if dup:  # the second Agent column is ignored, with the row reader's warning
        assert "appears 2 times" in rows.findings[0].rule
        assert not rows.monitoring["agent_id"].astype(str).str.startswith("X").any()
    # blank dates stay blank (NaT), not a default date
    assert rows.monitoring["contact_time"].isna().any()
    # the drawn rows, converted in full from their lines, equal the row reader's rows
    pd.testing.assert_frame_equal(fast_drawn.monitoring, rows_drawn.monitoring)
    assert fast_drawn.findings == rows_drawn.findings
    assert set(fast_drawn.not_applicable) == set(rows_drawn.not_applicable)
    for key, na in rows_drawn.not_applicable.items():
        assert (fast_drawn.not_applicable[key] == na).all()


def _cli(export: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    rc = main(
        [
            "sample",
            str(export),
            "--map",
            str(MAP),
            "-o",
            str(out),
            "--by",
            "agent,channel",
            "--ratio",
            "0.2",
            "--min",
            "2",
            "--seed",
            "42",
            "--lang",
            "en",
        ]
    )
    got = capsys.readouterr()
    return rc, got.out.replace(str(out), "OUT"), got.err


def _sheets(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {
            n: z.read(n)
            for n in z.namelist()
            if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml"
        }


@pytest.mark.parametrize("messy", [False, True])
def test_csq_sample_writes_the_same_workbook_sheets_either_way(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    messy: bool,
) -> None:
    if messy:
        export = _write(tmp_path / "calls.csv", _messy_rows(2000, 7), title=True)
    else:
        export = tmp_path / "calls.csv"
        bench.write_export(export, 4000, seed=3, agents=15)
    fast = _cli(export, tmp_path / "fast.xlsx", capsys)
    monkeypatch.setattr(sample_cmd, "COLUMNAR", False)
    rows = _cli(export, tmp_path / "rows.xlsx", capsys)
    assert fast[0] == rows[0] == (1 if messy else 0)
    assert fast[2] == rows[2]  # every finding, in order, and nothing else on stderr
    assert fast[1] == rows[1]
    a, b = _sheets(tmp_path / "fast.xlsx"), _sheets(tmp_path / "rows.xlsx")
    assert a.keys() == b.keys()
    # Monitoring (sheet3) byte for byte; Config (sheet2) holds the population figures and
    # the record (seed, export SHA-256 ...): equal too, as is every other sheet
    for name in sorted(a):
        assert a[name] == b[name], name


def test_a_quoted_field_over_two_lines_takes_the_row_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _messy_rows(300, 4)
    rows[10][HEADERS.index("Issue Detail")] = "first line\nsecond line"
    export = _write(tmp_path / "calls.csv", rows)
    imap = load_map(MAP, "en").only(POPULATION_KEYS)
    assert read_csv_columns(export, imap, "en") is None
    # and csq sample still gives the row path's workbook (the line numbers after the
    # two-line record are the csv module's)
    fast = _cli(export, tmp_path / "fast.xlsx", capsys)
    monkeypatch.setattr(sample_cmd, "COLUMNAR", False)
    slow = _cli(export, tmp_path / "rows.xlsx", capsys)
    assert fast == slow
    assert _sheets(tmp_path / "fast.xlsx") == _sheets(tmp_path / "rows.xlsx")


def test_old_mac_line_ends_take_the_row_path(tmp_path: Path) -> None:
    export = _write(tmp_path / "calls.csv", _messy_rows(50, 5))
    export.write_bytes(export.read_bytes().replace(b"\n", b"\r"))
    imap = load_map(MAP, "en").only(POPULATION_KEYS)
    assert read_csv_columns(export, imap, "en") is None


def test_dates_parsed_as_a_column_equal_strptime_text_by_text() -> None:
    from datetime import datetime

    from addin.read.ticket_export_columns import _parse_dates

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
    _parse_dates(texts, fmt, memo)

    def strptime(v: str) -> datetime | None:
        try:
            return datetime.strptime(v.strip(), fmt)
        except ValueError:
            return None

    for v in texts:
        got = memo[(fmt, v)]
        assert got == strptime(v), v
        assert type(got) is type(strptime(v)), v
    assert memo[(fmt, "05/10/3024 09:05")] == datetime(3024, 10, 5, 9, 5)
    assert memo[(fmt, "31/02/2026 10:00")] is None
    # a format with other directives (%b) goes through strptime alone, same answers
    memo = {}
    _parse_dates(["05 Oct 2026", "05 oct 2026", "5 Okt 2026"], "%d %b %Y", memo)
    assert memo[("%d %b %Y", "05 oct 2026")] == datetime(2026, 10, 5)
    assert memo[("%d %b %Y", "5 Okt 2026")] is None


@pytest.mark.parametrize("columnar", [True, False])
def test_a_row_with_only_a_description_does_not_shift_the_drawn_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columnar: bool
) -> None:
    """A row blank in every population field is no contact; the drawn contacts after it
    still get their own descriptions (the second pass finds them by line number)."""
    monkeypatch.setattr(sample_cmd, "COLUMNAR", columnar)
    rows = []
    for i in range(40):
        row = dict.fromkeys(HEADERS, "")
        row.update({"Ticket No": f"T-{i}", "Created Date": "05/10/2026", "Created Time": "09:00"})
        row.update(
            {"Agent": f"A{i % 4}", "Call Status": "Answered", "Issue Detail": f"about T-{i}"}
        )
        rows.append([row[h] for h in HEADERS])
    lone = dict.fromkeys(HEADERS, "")
    lone["Issue Detail"] = "a note without a contact"
    rows.insert(3, [lone[h] for h in HEADERS])
    export = _write(tmp_path / "calls.csv", rows)
    out = tmp_path / "s.xlsx"
    args = ["sample", str(export), "--map", str(MAP), "-o", str(out), "--ratio", "1"]
    assert main([*args, "--seed", "1", "--lang", "en"]) == 0
    from addin.read.workbook import read_workbook

    mon = read_workbook(out).monitoring
    assert len(mon) == 40  # every contact (ratio 1), the lone note is not one
    for cid, text in zip(mon["contact_id"], mon["problem_description"], strict=True):
        assert text == f"about {cid}"


def test_odd_quoting_reads_as_the_csv_module_reads_it(tmp_path: Path) -> None:
    """Fields the pandas parser and the csv module could split differently: a NUL byte,
    doubled quotes, a quote inside a field, text after a closing quote, a semicolon."""
    lines = [",".join(HEADERS)]
    odd = ["A\x00B", '"A""1"', 'A"2', '"A"3', '"A;4"', " A5 ", '""']
    for i, agent in enumerate(odd * 20):
        cells = dict.fromkeys(HEADERS, "")
        cells.update({"Ticket No": f"T-{i}", "Created Date": "05/10/2026"})
        cells.update({"Created Time": "09:00", "Agent": agent, "Call Status": "Answered"})
        lines.append(",".join(cells[h] for h in HEADERS))
    export = tmp_path / "calls.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    imap = load_map(MAP, "en").only(POPULATION_KEYS)
    assert read_csv_columns(export, imap, "en") is not None
    (fast, fast_drawn), (rows, rows_drawn) = _both(export)
    pd.testing.assert_frame_equal(fast.monitoring, rows.monitoring)
    assert fast.findings == rows.findings
    pd.testing.assert_frame_equal(fast_drawn.monitoring, rows_drawn.monitoring)
    # as the csv module reads them (stripped by the text converter; '""' is a blank agent)
    assert set(rows.monitoring["agent_id"].dropna()) == {"A\x00B", 'A"1', 'A"2', "A3", "A;4", "A5"}


def _import_cli(
    export: Path, out: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    rc = main(["import", str(export), "--map", str(MAP), "-o", str(out), "--force", *extra])
    got = capsys.readouterr()
    return rc, got.out.replace(str(out), "OUT"), got.err


@pytest.mark.parametrize(
    ("seed", "title", "crlf", "dup", "extra"),
    [
        (1, False, False, False, ("--lang", "en")),
        (2, True, False, False, ("--lang", "zh", "--tag")),
        (3, False, True, True, ("--lang", "en", "--portable")),
    ],
)
def test_csq_import_writes_the_same_workbook_either_way(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    title: bool,
    crlf: bool,
    dup: bool,
    extra: tuple[str, ...],
) -> None:
    """``csq import`` reads a CSV export through the columnar path: the messages, the exit
    code and every part of the workbook are the row path's."""
    from addin.jobs import ticket_import as import_cmd

    export = _write(
        tmp_path / "calls.csv", _messy_rows(1500, seed), title=title, crlf=crlf, dup=dup
    )
    assert read_csv_columns(export, load_map(MAP, "en"), "en") is not None
    fast = _import_cli(export, tmp_path / "fast.xlsx", capsys, *extra)
    monkeypatch.setattr(import_cmd, "COLUMNAR", False)
    rows = _import_cli(export, tmp_path / "rows.xlsx", capsys, *extra)
    assert fast == rows
    assert fast[0] == 1 and fast[2].count("\n") > 300  # the messy values are all reported
    with zipfile.ZipFile(tmp_path / "fast.xlsx") as a, zipfile.ZipFile(tmp_path / "rows.xlsx") as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name


def test_csq_import_takes_the_row_path_where_the_columnar_reader_declines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from addin.jobs import ticket_import as import_cmd

    rows = _messy_rows(300, 4)
    rows[10][HEADERS.index("Issue Detail")] = "first line\nsecond line"
    export = _write(tmp_path / "calls.csv", rows)
    assert read_csv_columns(export, load_map(MAP, "en"), "en") is None
    fast = _import_cli(export, tmp_path / "fast.xlsx", capsys, "--lang", "en")
    monkeypatch.setattr(import_cmd, "COLUMNAR", False)
    assert fast == _import_cli(export, tmp_path / "rows.xlsx", capsys, "--lang", "en")
    assert _sheets(tmp_path / "fast.xlsx") == _sheets(tmp_path / "rows.xlsx")

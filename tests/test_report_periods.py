"""Report periods: a quarter and a date range computed by hand on a six-contact workbook,
the previous / last-year comparison, the trend of the same kind, ``--period`` and the
Config sheet's report-period cell.

Every contact has all six rubric dimensions equal to d, so its QA score is d * 20.
"""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest

from addin.cli import main
from addin.report.summary import build_summary
from udfs.core.analysis import analyse
from udfs.core.config import ScoringConfig
from udfs.core.data import WorkbookData
from udfs.core.periods import PeriodError, parse_period

AS_OF = dt.date(2024, 6, 30)
DIMS = ("speed", "attitude", "solving", "knowledge", "satisfaction", "records")
# id, time, csat, resolved at first contact, first response (s), rubric level d
CONTACTS = [
    ("P1", "2024-01-10 10:00", 5, 1, 20, 5),  # 2024-Q1, score 100
    ("P2", "2024-02-15 10:00", 3, 0, 50, 3),  # 2024-Q1, score 60
    ("P3", "2024-03-31 23:30", 4, 1, 10, 4),  # 2024-Q1 (last minutes), score 80
    ("P4", "2024-04-01 00:10", 2, 0, 70, 2),  # 2024-Q2, score 40
    ("P5", "2023-02-01 10:00", 4, 1, 30, 4),  # 2023-Q1 (same quarter last year), score 80
    ("P6", "2023-12-20 10:00", 1, 0, 90, 1),  # 2023-Q4 (previous quarter), score 20
]


def _monitoring() -> pd.DataFrame:
    rows = []
    for i, (cid, t, csat, fcr, fr, d) in enumerate(CONTACTS):
        rows.append(
            {
                "contact_id": cid,
                "contact_time": pd.Timestamp(t),
                "agent_id": "A1",
                "answered": 1.0,
                "resolved_first_contact": float(fcr),
                "csat": float(csat),
                "first_response_s": float(fr),
                **{k: float(d) for k in DIMS},
                "_row": i + 2,
            }
        )
    df = pd.DataFrame(rows)
    df["period"] = df["contact_time"].dt.strftime("%Y-%m")
    return df


def _data() -> WorkbookData:
    empty = pd.DataFrame()
    return WorkbookData("p.xlsx", _monitoring(), empty, empty, ScoringConfig(min_agent_sample=1))


def test_a_quarter_by_hand() -> None:
    an = analyse(_data(), AS_OF, "2024-Q1")
    h = an.headline
    # 2024-Q1 = P1, P2, P3 (P3 at 23:30 on 31 March is inside; P4 at 00:10 on 1 April is not)
    assert h["contacts"] == 3
    assert h["csat_mean"] == pytest.approx((5 + 3 + 4) / 3)  # 4.0
    assert h["fcr"] == pytest.approx(2 / 3)  # P1, P3
    assert h["avg_first_response_s"] == pytest.approx((20 + 50 + 10) / 3)  # 26.67
    assert h["service_level"] == pytest.approx(2 / 3)  # 20 s and 10 s are <= 30 s
    assert h["qa_score_mean"] == pytest.approx((100 + 60 + 80) / 3)  # 80
    # composite (defaults qa 30, csat 30, fcr 25, first response 15):
    #   30*80 + 30*(4/5*100) + 25*(2/3*100) + 15*100 (26.7 s <= 30 s band)
    #   = 2400 + 2400 + 1666.67 + 1500 = 7966.67 -> 79.67
    assert h["composite_score"] == pytest.approx(79.667, abs=0.01)
    assert (an.report_period.start, an.report_period.end) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 3, 31),
    )
    # previous quarter 2023-Q4 = P6 (CSAT 1); same quarter last year 2023-Q1 = P5 (CSAT 4)
    assert an.previous_period.label == "2023-Q4"
    assert an.last_year_period.label == "2023-Q1"
    csat = next(
        r
        for r in an.team_indicators
        if r.indicator is not None and r.indicator.source == "csat_mean"
    )
    assert (csat.value, csat.prev, csat.vs_prev) == (pytest.approx(4), 1, pytest.approx(3))
    assert (csat.last_year, csat.vs_year_ago) == (4, pytest.approx(0))
    # the trend: six quarters ending 2024-Q1; contacts 0 shown as no data
    assert list(an.trend["period"]) == [
        "2022-Q4",
        "2023-Q1",
        "2023-Q2",
        "2023-Q3",
        "2023-Q4",
        "2024-Q1",
    ]
    counts = [None if pd.isna(v) else int(v) for v in an.trend["contacts"]]
    assert counts == [None, 1, None, None, 1, 3]


def test_a_date_range_by_hand() -> None:
    data = _data()
    an = analyse(data, AS_OF, "2024-03-15..2024-04-14")
    h = an.headline
    # 15 March - 14 April 2024 (31 days, inclusive) = P3, P4
    assert h["contacts"] == 2
    assert h["csat_mean"] == pytest.approx((4 + 2) / 2)  # 3
    assert h["fcr"] == pytest.approx(1 / 2)
    assert h["avg_first_response_s"] == pytest.approx((10 + 70) / 2)  # 40
    assert h["service_level"] == pytest.approx(1 / 2)
    assert h["qa_score_mean"] == pytest.approx((80 + 40) / 2)  # 60
    s = build_summary(data, AS_OF, an)
    assert s["period"] == "2024-03-15..2024-04-14"
    assert (s["period_start"], s["period_end"]) == ("2024-03-15", "2024-04-14")
    # the 31 days before: 13 February (2024 is a leap year) - 14 March = P2 only
    assert s["previous_period"] == "2024-02-13..2024-03-14"
    assert an.previous is not None and an.previous["contacts"] == 1
    assert an.previous["csat_mean"] == 3


def test_default_is_still_the_latest_month() -> None:
    an = analyse(_data(), AS_OF)
    # the latest contact is P4 (2024-04): one contact, previous month 2024-03 = P3
    assert an.period == "2024-04"
    assert an.headline["contacts"] == 1
    assert an.previous_period.label == "2024-03"
    assert an.previous["contacts"] == 1


@pytest.mark.parametrize(
    "text,label,start,end,previous,last_year",
    [
        ("2024-07", "2024-07", "2024-07-01", "2024-07-31", "2024-06", "2023-07"),
        ("2024-1", "2024-01", "2024-01-01", "2024-01-31", "2023-12", "2023-01"),
        ("2024-q3", "2024-Q3", "2024-07-01", "2024-09-30", "2024-Q2", "2023-Q3"),
        ("2024-Q1", "2024-Q1", "2024-01-01", "2024-03-31", "2023-Q4", "2023-Q1"),
        ("2024-H1", "2024-H1", "2024-01-01", "2024-06-30", "2023-H2", "2023-H1"),
        ("2024", "2024", "2024-01-01", "2024-12-31", "2023", "2023"),
        (
            "2024-07-01..2024-07-15",
            "2024-07-01..2024-07-15",
            "2024-07-01",
            "2024-07-15",
            "2024-06-16..2024-06-30",  # the 15 days before
            "2023-07-01..2023-07-15",
        ),
    ],
)
def test_period_forms(
    text: str, label: str, start: str, end: str, previous: str, last_year: str
) -> None:
    p = parse_period(text)
    assert p.label == label
    assert (p.start.isoformat(), p.end.isoformat()) == (start, end)
    assert p.previous().label == previous
    assert p.last_year().label == last_year


def test_period_texts() -> None:
    assert parse_period("2024-Q3").text("zh") == "2024年Q3"
    assert parse_period("2024-07-01..2024-07-15").text("zh") == "2024年7月1日-7月15日"
    assert parse_period("2024-H2").text("en") == "2024 H2"


@pytest.mark.parametrize(
    "bad", ["2024-13", "24-Q1", "2024-Q5", "2024-H3", "July", "2024-02-30..2024-03-01", ""]
)
def test_malformed_periods(bad: str) -> None:
    with pytest.raises(PeriodError) as exc:
        parse_period(bad)
    assert "YYYY-Qn" in str(exc.value)


def test_range_must_not_end_before_it_starts() -> None:
    with pytest.raises(PeriodError, match="ends before it starts"):
        parse_period("2024-07-15..2024-07-01")


def _workbook(path, period_cell: object = None):
    from workbook_templates.builder import build_workbook

    m = _monitoring().drop(columns=["_row", "period"])
    for c in ("answered", "resolved_first_contact"):
        m[c] = m[c].map({1.0: "Y", 0.0: "N"})
    build_workbook(path, lang="en", monitoring=m, as_of=AS_OF)
    if period_cell is not None:
        wb = openpyxl.load_workbook(path)
        ws = wb["Config"]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "report_period")
        ws.cell(row, 3).value = period_cell
        wb.save(path)
    return path


def test_cli_period(tmp_path, capsys) -> None:
    src = _workbook(tmp_path / "q.xlsx")
    out = tmp_path / "out"
    rc = main(["report", str(src), "-o", str(out), "--period", "2024-Q1", "--as-of", "2024-06-30"])
    assert rc == 0
    s = json.loads((out / "q.summary.json").read_text(encoding="utf-8"))
    assert (s["period"], s["contacts"], s["previous_period"]) == ("2024-Q1", 3, "2023-Q4")
    assert "2024-Q1" in capsys.readouterr().out


def test_cli_malformed_period_is_a_usage_error(tmp_path, capsys) -> None:
    src = _workbook(tmp_path / "q.xlsx")
    rc = main(["report", str(src), "-o", str(tmp_path), "--period", "2024-Q5", "--lang", "en"])
    assert rc == 2
    err = capsys.readouterr().err
    assert "2024-Q5" in err and "YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY, YYYY-MM-DD..YYYY-MM-DD" in err
    assert not list(tmp_path.glob("*.summary.json"))


def test_config_sheet_period_is_used_without_period(tmp_path) -> None:
    src = _workbook(tmp_path / "c.xlsx", "2024-H1")
    assert main(["report", str(src), "-o", str(tmp_path / "o"), "--as-of", "2024-06-30"]) == 0
    s = json.loads((tmp_path / "o" / "c.summary.json").read_text(encoding="utf-8"))
    # 2024-H1 = P1 .. P4
    assert (s["period"], s["contacts"]) == ("2024-H1", 4)
    # --period wins over the cell
    args = ["report", str(src), "-o", str(tmp_path / "o2"), "--period", "2024-04"]
    assert main(args) == 0
    s2 = json.loads((tmp_path / "o2" / "c.summary.json").read_text(encoding="utf-8"))
    assert (s2["period"], s2["contacts"]) == ("2024-04", 1)


def test_bad_config_period_is_a_finding_and_ignored(tmp_path) -> None:
    from addin.read.workbook import read_workbook

    data = read_workbook(_workbook(tmp_path / "b.xlsx", "Q3 2024"))
    assert data.report_period is None
    bad = [f for f in data.findings if f.key == "report_period"]
    assert len(bad) == 1 and bad[0].sheet == "Config" and bad[0].value == "Q3 2024"
    assert "YYYY-Qn" in bad[0].rule


def test_short_labels_for_narrow_columns() -> None:
    assert parse_period("2024-07-01..2024-07-15").short == "07-01–07-15"
    assert parse_period("2024-Q3").short == "2024-Q3"

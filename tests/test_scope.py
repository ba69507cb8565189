"""Issue 19 (scope) and issue 22 items 3 and 19: department roll-up, chapters per segment,
special evaluations, any baseline, no empty reports, future-dated contacts.

Expected figures come from pandas over the rows the test made (or from a report of one
workbook holding the same rows), never from the code under test's own tables."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from report_fixtures import AS_OF, build_fixture_workbook, workbook_data

from addin.cli import main
from udfs.core.analysis import analyse
from udfs.core.config import ScoringConfig
from udfs.core.periods import parse_period
from udfs.core.scope import Scope, ScopeError
from workbook_templates.builder import build_workbook

HEADLINE = (
    "contacts", "answered", "answer_rate", "fcr", "csat_mean", "csat_pct", "nps",
    "avg_first_response_s", "service_level", "transfer_rate", "repeat_rate", "qa_score_mean",
    "qc_pass_rate", "composite_score", "grade",
)  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        rc = main(list(argv))
    except SystemExit as exc:
        rc = int(exc.code or 0)
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def _rows(n: int, team: str, seed: int, start: str = "2026-10-01") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp(start)
    types = ["inquiry", "complaint", "technical", "billing"]
    df = pd.DataFrame(
        {
            "contact_id": [f"{team}-{i:03d}" for i in range(n)],
            "contact_time": [t0 + pd.Timedelta(hours=int(h)) for h in rng.integers(0, 24 * 28, n)],
            "channel": rng.choice(["phone", "chat"], n),
            "service_type": [types[i % 4] if i % 7 else "repair" for i in range(n)],
            "team": team,
            "agent_id": [f"{team}-A{i % 3}" for i in range(n)],
            "customer_id": [f"CU{int(x)}" for x in rng.integers(0, 40, n)],
            "first_response_s": rng.integers(5, 90, n).astype(float),
            "answered": rng.choice(["Y", "Y", "Y", "N"], n),
            "resolved_first_contact": rng.choice(["Y", "N", "Y"], n),
            "csat": rng.integers(1, 6, n).astype(float),
            "speed": rng.integers(2, 6, n).astype(float),
            "attitude": rng.integers(2, 6, n).astype(float),
            "problem_category": rng.choice(["等待过长", "态度", "流程", None], n),
        }
    )
    return df


def _book(path: Path, mon: pd.DataFrame, lang: str = "zh") -> Path:
    build_workbook(path, lang=lang, monitoring=mon, config=ScoringConfig(), as_of=AS_OF)
    return path


# ---- 1. department roll-up ------------------------------------------------------------


def test_rollup_of_three_workbooks_equals_one_workbook_of_all_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parts = [_rows(40, "北区", 1), _rows(35, "南区", 2), _rows(30, "东区", 3)]
    books = [
        _book(tmp_path / "north.xlsx", parts[0]),
        _book(tmp_path / "south.xlsx", parts[1], lang="en"),  # mixed languages combine
        _book(tmp_path / "east.xlsx", parts[2]),
    ]
    _book(tmp_path / "all.xlsx", pd.concat(parts, ignore_index=True))
    out = tmp_path / "out"
    rc, o, _ = run(capsys, "report", *map(str, books), "--combine", "dept", "-o", str(out),
                   "--as-of", AS_OF.isoformat())  # fmt: skip
    assert rc == 0, o
    rc, o, _ = run(capsys, "report", str(tmp_path / "all.xlsx"), "-o", str(out), "--as-of",
                   AS_OF.isoformat())  # fmt: skip
    assert rc == 0, o
    dept = json.loads((out / "dept.summary.json").read_text(encoding="utf-8"))
    one = json.loads((out / "all.summary.json").read_text(encoding="utf-8"))
    for k in HEADLINE:
        assert (
            dept[k] == pytest.approx(one[k]) if isinstance(one[k], float) else dept[k] == one[k]
        ), k
    assert dept["contacts"] == 105 and dept["period"] == one["period"] == "2026-10"
    assert dept["pareto"] == one["pareto"]
    assert [a["agent_id"] for a in dept["agents"]] == [a["agent_id"] for a in one["agents"]]
    # the team comparison: every team, its contacts counted by pandas, ranked by composite
    teams = {r["team"]: r for r in dept["teams"]["rows"]}
    assert {k: v["contacts"] for k, v in teams.items()} == {"北区": 40, "南区": 35, "东区": 30}
    ranked = sorted(teams.values(), key=lambda r: -r["composite_score"])
    assert [r["rank"] for r in ranked] == [1, 2, 3]
    assert dept["teams"]["combined"] == ["north.xlsx", "south.xlsx", "east.xlsx"]
    assert dept["input"] == "dept"


def test_rollup_duplicate_id_config_difference_and_unusable_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _rows(20, "T1", 4)
    b = _rows(20, "T2", 5)
    b.loc[0, "contact_id"] = a.loc[3, "contact_id"]  # the same contact in two workbooks
    _book(tmp_path / "a.xlsx", a)
    build_workbook(tmp_path / "b.xlsx", lang="zh", monitoring=b,
                   config=ScoringConfig(service_level_s=20), as_of=AS_OF)  # fmt: skip
    (tmp_path / "c.xlsx").write_bytes(b"not a workbook")
    out = tmp_path / "out"
    rc, o, _ = run(capsys, "report", *(str(tmp_path / n) for n in ("a.xlsx", "b.xlsx", "c.xlsx")),
                   "--combine", "dept", "-o", str(out), "--as-of", AS_OF.isoformat())  # fmt: skip
    assert rc == 1  # a rejected input
    assert "c.xlsx" in o and ("lacks team(s): c" in o or "缺少班组：c" in o)
    s = json.loads((out / "dept.summary.json").read_text(encoding="utf-8"))
    assert s["contacts"] == 39  # 40 rows, one id counted once
    assert s["teams"]["lacking"] == ["c"]
    wb = pd.read_excel(out / "dept.report.xlsx", sheet_name=None, header=None, engine="openpyxl")
    quality = next(v for k, v in wb.items() if k in ("数据质量", "Data quality"))
    text = " ".join(str(x) for x in quality.to_numpy().ravel())
    assert "[b.xlsx]" in text and "service_level_s" in text  # the differing Config cell
    assert a.loc[3, "contact_id"] in text  # the duplicate id named


# ---- 2. chapters per segment -----------------------------------------------------------


def test_segment_figures_equal_the_whole_restricted_to_the_segment() -> None:
    data = workbook_data()
    an = analyse(data, AS_OF, scope=Scope(by="service_type", min_segment=1))
    assert an.segments is not None
    mon = data.monitoring
    cur = mon[mon["contact_time"].dt.strftime("%Y-%m") == an.period]
    rows = {r.value: r for r in an.segments.rows}
    assert set(rows) == set(cur["service_type"])
    for value, part in cur.groupby("service_type"):
        seg = rows[value]
        ans = part[part["answered"] == 1]
        assert seg.contacts == len(part)
        assert seg.share == pytest.approx(len(part) / len(cur))
        assert seg.kpis["fcr"] == pytest.approx(ans["resolved_first_contact"].mean())
        assert seg.kpis["csat_mean"] == pytest.approx(part["csat"].mean())
        assert seg.kpis["avg_first_response_s"] == pytest.approx(ans["first_response_s"].mean())
        slow = (ans["first_response_s"] > data.config.service_level_s).mean()
        assert seg.slow_share == pytest.approx(slow)
        counts = part["problem_category"].dropna().value_counts()
        assert dict(zip(seg.pareto["problem"], seg.pareto["count"], strict=True)) == dict(counts)
        # and a workbook of only the segment's rows gives the same composite score
        alone = analyse(
            type(data)(**{**data.__dict__, "monitoring": mon[mon["service_type"] == value]}),
            AS_OF,
            an.period,
        )
        assert seg.kpis["composite_score"] == pytest.approx(alone.headline["composite_score"])


def test_small_segments_are_grouped_as_other_and_named() -> None:
    an = analyse(workbook_data(), AS_OF, scope=Scope(by="channel", min_segment=6))
    assert an.segments is not None
    rows = an.segments.rows
    assert rows[-1].value == "__other__" and rows[-1].label == {"zh": "其他", "en": "Other"}
    assert sum(r.contacts for r in rows) == an.headline["contacts"]
    assert rows[-1].members  # the values grouped in it are named


def test_by_service_type_in_the_report_and_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _book(tmp_path / "t.xlsx", _rows(120, "T", 7))
    rc, o, _ = run(capsys, "report", str(src), "-o", str(tmp_path), "--by", "service_type",
                   "--as-of", AS_OF.isoformat(), "--lang", "en")  # fmt: skip
    assert rc == 0, o
    s = json.loads((tmp_path / "t.summary.json").read_text(encoding="utf-8"))
    seg = s["segments"]
    assert seg["by"] == "service_type" and seg["min_contacts"] == 30
    # 120 rows: repair every 7th row (18), the rest 4 types of ~25 each: all below 30
    assert sum(r["contacts"] for r in seg["rows"]) == s["contacts"]
    assert "Segments" in pd.ExcelFile(tmp_path / "t.report.xlsx", engine="openpyxl").sheet_names


# ---- 3. special evaluations ------------------------------------------------------------


def test_where_restricts_every_figure_and_names_the_filter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mon = _rows(80, "T", 8)
    src = _book(tmp_path / "t.xlsx", mon)
    only = _book(tmp_path / "only.xlsx", mon[mon["service_type"] == "technical"])
    rc, o, _ = run(capsys, "report", str(src), "-o", str(tmp_path / "w"), "--where",
                   "service_type=技术支持", "--as-of", AS_OF.isoformat())  # fmt: skip
    assert rc == 0, o
    rc, o, _ = run(capsys, "report", str(only), "-o", str(tmp_path / "w"), "--as-of",
                   AS_OF.isoformat())  # fmt: skip
    w = json.loads((tmp_path / "w" / "t.summary.json").read_text(encoding="utf-8"))
    alone = json.loads((tmp_path / "w" / "only.summary.json").read_text(encoding="utf-8"))
    assert w["contacts"] == int((mon["service_type"] == "technical").sum())
    for k in HEADLINE:
        assert (
            w[k] == pytest.approx(alone[k]) if isinstance(alone[k], float) else w[k] == alone[k]
        ), k
    assert w["filter"]["text"] == "专项评价：技术支持"
    overview = pd.read_excel(
        tmp_path / "w" / "t.report.xlsx", sheet_name="概览", header=None, engine="openpyxl"
    )
    assert "专项评价：技术支持" in set(overview[1].astype(str))


def test_contact_id_list_from_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mon = _rows(30, "T", 9)
    src = _book(tmp_path / "t.xlsx", mon)
    ids = tmp_path / "ids.txt"
    ids.write_text("T-001\nT-002\n\nT-005\n", encoding="utf-8")
    rc, o, _ = run(capsys, "report", str(src), "-o", str(tmp_path), "--where",
                   f"contact_id=@{ids}", "--as-of", AS_OF.isoformat())  # fmt: skip
    assert rc == 0, o
    assert json.loads((tmp_path / "t.summary.json").read_text(encoding="utf-8"))["contacts"] == 3


def test_a_filter_matching_nothing_is_rejected_with_the_counts_that_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSQ_LANG", "en")
    src = build_fixture_workbook(tmp_path / "t.xlsx")
    rc, o, _ = run(capsys, "report", str(src), "-o", str(tmp_path), "--where",
                   "channel=social", "--as-of", AS_OF.isoformat())  # fmt: skip
    assert rc == 1
    assert "no contact has Channel social; the values present: Phone 6, Chat 3, Email 1" in o
    assert not (tmp_path / "t.report.xlsx").exists()


# ---- 4. any baseline ---------------------------------------------------------------------


def test_compare_with_a_hand_made_half_year() -> None:
    data = workbook_data()
    # the half-year 2026-H1: four contacts, three answered, one of them resolved
    h1 = data.monitoring.iloc[:4].copy()
    h1["contact_id"] = ["H1", "H2", "H3", "H4"]
    h1["contact_time"] = pd.to_datetime(["2026-01-05", "2026-02-05", "2026-03-05", "2026-06-30"])
    h1["answered"] = [1.0, 1.0, 1.0, 0.0]
    h1["resolved_first_contact"] = [1.0, 0.0, 0.0, np.nan]
    h1["period"] = h1["contact_time"].dt.strftime("%Y-%m")
    data.monitoring = pd.concat([data.monitoring, h1], ignore_index=True)
    an = analyse(data, AS_OF, "2026-10", scope=Scope(compare=parse_period("2026-H1")))
    assert an.compare is not None and an.compare["contacts"] == 4
    assert an.compare["fcr"] == pytest.approx(1 / 3)  # 1 resolved of 3 answered
    fcr = next(r for r in an.team_indicators if r.indicator and r.indicator.source == "fcr")
    assert fcr.compare == pytest.approx(1 / 3)
    assert fcr.vs_compare == pytest.approx(fcr.value - 1 / 3)
    cited = next(c for c in an.conclusions if c.kind == "compare" and c.metric == "composite_score")
    assert cited.comparison == pytest.approx(an.compare["composite_score"])
    assert cited.text["zh"].startswith("综合得分较2026年上半年")
    moved = 5 / 7 - 1 / 3  # October: 5 of 7 answered resolved (test_report_numbers)
    fcr_text = next(
        c.text["zh"] for c in an.conclusions if c.kind == "compare" and c.metric == "fcr"
    )
    word = "提升" if moved > 0 else "下降"
    assert f"首次解决率较2026年上半年{word}{abs(moved) * 100:.1f}个百分点" in fcr_text


def test_compare_that_does_not_parse_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = build_fixture_workbook(tmp_path / "t.xlsx")
    for argv in (["--compare", "2026-H3"], ["--where", "weight=1"], ["--where", "team="],
                 ["--by", "csat"]):  # fmt: skip
        rc, _, e = run(capsys, "report", str(src), "-o", str(tmp_path), *argv)
        assert rc == 2, argv
        assert "service_type" in e or "YYYY-Hn" in e or "no value given for team" in e, (argv, e)


# ---- 5. no empty reports; future-dated contacts ---------------------------------------


def test_a_period_with_no_contacts_is_rejected_naming_the_periods_with_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSQ_LANG", "en")
    src = build_fixture_workbook(tmp_path / "t.xlsx")
    rc, o, _ = run(capsys, "report", str(src), "-o", str(tmp_path), "--period", "2025-03")
    assert rc == 1
    assert "no contacts in the report period 2025-03; periods with data: 2026-09, 2026-10" in o
    assert not (tmp_path / "t.report.xlsx").exists()
    rc, o, _ = run(capsys, "feedback", str(src), "-o", str(tmp_path / "fb"), "--period", "2025-03")
    assert rc == 1 and "periods with data: 2026-09, 2026-10" in o


def test_one_contact_dated_2099_does_not_move_the_default_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mon = _rows(20, "T", 10)
    mon.loc[5, "contact_time"] = pd.Timestamp("2099-10-03 10:00")
    src = _book(tmp_path / "t.xlsx", mon)
    rc, o, _ = run(capsys, "report", str(src), "-o", str(tmp_path), "--as-of", "2026-11-10")
    assert rc == 0, o
    s = json.loads((tmp_path / "t.summary.json").read_text(encoding="utf-8"))
    assert s["period"] == "2026-10" and s["contacts"] == 19
    quality = pd.read_excel(
        tmp_path / "t.report.xlsx", sheet_name="数据质量", header=None, engine="openpyxl"
    )
    text = " ".join(str(x) for x in quality.to_numpy().ravel())
    assert "B7" in text and "2099-10-03" in text  # row 7: the sixth contact, column B


def test_every_contact_after_the_as_of_date_is_rejected() -> None:
    data = workbook_data()
    with pytest.raises(ScopeError) as exc:
        analyse(data, dt.date(2026, 9, 1), scope=Scope())
    assert "after the as-of date 2026-09-01" in exc.value.render("en")


# ---- the ribbon's Department report ------------------------------------------------------


def test_ribbon_department_report_combines_the_picked_folder(tmp_path: Path) -> None:
    from addin.excel.books import FileBook
    from addin.excel.ribbon import on_button

    folder = tmp_path / "客服部"
    folder.mkdir()
    _book(folder / "north.xlsx", _rows(20, "北区", 11))
    _book(folder / "south.xlsx", _rows(25, "南区", 12))
    (folder / "broken.xlsx").write_bytes(b"PK not really")
    book = FileBook(folder / "north.xlsx")
    book.folder = folder
    text = on_button("csqDepartment", book)
    report = folder / "客服部.report.xlsx"
    assert book.opened == [report] and report.exists()
    assert "2 workbook(s) combined" in text and "45 contacts" in text
    assert "broken.xlsx" in text  # the team the department figures lack is named
    s = json.loads((folder / "客服部.summary.json").read_text(encoding="utf-8"))
    assert {r["team"]: r["contacts"] for r in s["teams"]["rows"]} == {"北区": 20, "南区": 25}
    book.folder = None  # cancelled: nothing written
    assert "nothing written" in on_button("csqDepartment", book)


def test_config_cells_set_chapters_and_the_special_evaluation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    mon = _rows(60, "T", 13)
    src = _book(tmp_path / "t.xlsx", mon)
    wb = openpyxl.load_workbook(src)
    ws = wb["配置"]
    r = ws.max_row + 2
    for i, (name, value) in enumerate(
        (("报告分章", "服务类型"), ("专项评价", "渠道=电话"), ("分章最少联系数", "abc"))
    ):
        ws.cell(r + i, 2, name)
        ws.cell(r + i, 3, value)
    wb.save(src)
    rc, o, _ = run(capsys, "report", str(src), "-o", str(tmp_path / "o"), "--as-of",
                   AS_OF.isoformat())  # fmt: skip
    assert rc == 0, o
    s = json.loads((tmp_path / "o" / "t.summary.json").read_text(encoding="utf-8"))
    assert s["segments"]["by"] == "service_type" and s["segments"]["min_contacts"] == 30
    assert s["filter"]["fields"] == {"channel": ["电话"]}
    assert s["contacts"] == int((mon["channel"] == "phone").sum())
    quality = pd.read_excel(tmp_path / "o" / "t.report.xlsx", sheet_name="数据质量", header=None,
                            engine="openpyxl")  # fmt: skip
    text = " ".join(str(x) for x in quality.to_numpy().ravel())
    assert f"C{r + 2}" in text and "分章最少联系数：abc 无法使用" in text
    # the command line wins over the cell
    rc, o, _ = run(capsys, "report", str(src), "-o", str(tmp_path / "o"), "--by", "channel",
                   "--as-of", AS_OF.isoformat())  # fmt: skip
    s = json.loads((tmp_path / "o" / "t.summary.json").read_text(encoding="utf-8"))
    assert s["segments"]["by"] == "channel"


def test_ribbon_generate_report_and_feedback_refuse_an_empty_period(tmp_path: Path) -> None:
    import openpyxl

    from addin.excel.books import FileBook
    from addin.excel.ribbon import on_button

    src = build_fixture_workbook(tmp_path / "team.xlsx")
    wb = openpyxl.load_workbook(src)
    ws = wb["配置"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "report_period")
    ws.cell(row, 3).value = "2025-03"  # the Config sheet's report period: no contacts in it
    wb.save(src)
    for button in ("csqReport", "csqFeedback"):
        text = on_button(button, FileBook(src))
        assert "could not finish" in text and "periods with data: 2026-09, 2026-10" in text, text
    assert not (tmp_path / "team.report.xlsx").exists()
    assert not list((tmp_path / "team-feedback").glob("*.xlsx"))


def test_indicators_sheet_shows_vs_the_baseline_beside_the_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = build_fixture_workbook(tmp_path / "t.xlsx", lang="en")
    rc, o, _ = run(capsys, "report", str(src), "-o", str(tmp_path), "--period", "2026-10",
                   "--compare", "2026-09", "--as-of", AS_OF.isoformat())  # fmt: skip
    assert rc == 0, o
    sheet = pd.read_excel(tmp_path / "t.report.xlsx", sheet_name="Indicators", header=None,
                          engine="openpyxl")  # fmt: skip
    head = next(i for i, v in enumerate(sheet[1]) if v == "Indicator")
    cols = list(sheet.iloc[head])
    assert cols[-2:] == ["In 2026-09", "vs 2026-09"]
    mon = workbook_data().monitoring
    sept = mon[mon["contact_time"].dt.strftime("%Y-%m") == "2026-09"]
    fcr_sept = sept.loc[sept["answered"] == 1, "resolved_first_contact"].mean()
    row = sheet[sheet[1] == "First-contact resolution"].iloc[0]
    assert row.iloc[-2] == pytest.approx(fcr_sept)
    # October's FCR is 5/7; a rate change is printed in percentage points (issue 18)
    assert row.iloc[-1] == pytest.approx((5 / 7 - fcr_sept) * 100)


def test_department_pareto_merges_problems_by_name_and_keeps_each_teams_cause(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def book(name: str, team: str, seed: int, cause: str) -> Path:
        problems = pd.DataFrame(
            [("等待过长", "排班不足", cause, "process", "全部渠道")],
            columns=["problem", "direct_cause", "root_cause", "cause_category", "impact_scope"],
        )
        path = tmp_path / name
        build_workbook(path, lang="zh", monitoring=_rows(30, team, seed), problems=problems,
                       config=ScoringConfig(), as_of=AS_OF)  # fmt: skip
        return path

    a = book("a.xlsx", "一组", 21, "排班模型过时")
    b = book("b.xlsx", "二组", 22, "人手不足")
    rc, o, _ = run(capsys, "report", str(a), str(b), "--combine", "dept", "-o",
                   str(tmp_path / "o"), "--as-of", AS_OF.isoformat())  # fmt: skip
    assert rc == 0, o
    s = json.loads((tmp_path / "o" / "dept.summary.json").read_text(encoding="utf-8"))
    both = pd.concat([_rows(30, "一组", 21), _rows(30, "二组", 22)])
    counts = both["problem_category"].dropna().value_counts()
    assert {p["problem"]: p["count"] for p in s["pareto"]} == dict(counts)
    pareto = pd.read_excel(tmp_path / "o" / "dept.report.xlsx", sheet_name="问题帕累托",
                           header=None, engine="openpyxl")  # fmt: skip
    text = " ".join(str(x) for x in pareto.to_numpy().ravel())
    assert "一组：排班模型过时；二组：人手不足" in text
    assert "排班不足" in text  # the same direct cause: written once

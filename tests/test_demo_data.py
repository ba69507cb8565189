"""``csq demo``: the sample data a newcomer sees first is realistic, deterministic and
reported end to end."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from addin.cli import main
from addin.jobs.demo_data import demo_data, demo_monitoring
from udfs.core.actions import action_status
from udfs.core.fields import CHOICES, RUBRIC_KEYS
from udfs.core.metrics import repeat_rate

AS_OF = dt.date(2026, 11, 10)


@pytest.fixture(scope="module")
def teams():
    return demo_data(seed=7, lang="zh", as_of=AS_OF)


def test_same_seed_same_data_other_seed_other_data(teams) -> None:
    again = demo_data(seed=7, lang="zh", as_of=AS_OF)
    for a, b in zip(teams, again, strict=True):
        pd.testing.assert_frame_equal(a.monitoring, b.monitoring)
        pd.testing.assert_frame_equal(a.actions, b.actions)
    other = demo_data(seed=8, lang="zh", as_of=AS_OF)
    assert not teams[0].monitoring["agent_id"].equals(other[0].monitoring["agent_id"])


def test_three_teams_twenty_agents_a_year_of_months(teams) -> None:
    assert len(teams) == 3
    mon = pd.concat([t.monitoring for t in teams])
    assert mon["team"].nunique() == 3
    assert mon["agent_id"].nunique() == 20
    months = sorted(mon["contact_time"].dt.strftime("%Y-%m").unique())
    assert len(months) >= 6
    assert months[-1] == "2026-10"  # the month before the as-of date
    assert months[0] == "2025-10"  # 13 months, so the report month has a YoY comparison
    # agents differ in skill: mean rubric rating per agent spreads by more than half a level
    rated = mon[["agent_id", "solving"]].copy()
    rated["solving"] = pd.to_numeric(rated["solving"], errors="coerce")
    means = rated.groupby("agent_id")["solving"].mean()
    assert means.max() - means.min() > 0.5


def test_every_channel_and_service_type(teams) -> None:
    mon = pd.concat([t.monitoring for t in teams])
    assert set(mon["channel"]) == {c.key for c in CHOICES["channel"]}
    # every service type but repair and suggestion (added for the seed templates, issue 12)
    assert set(mon["service_type"]) == {c.key for c in CHOICES["service_type"]} - {
        "repair",
        "suggestion",
    }


def test_skewed_problems_with_other_last_candidate(teams) -> None:
    mon = pd.concat([t.monitoring for t in teams])
    counts = mon["problem_category"].dropna().value_counts()
    assert "其他" in counts.index
    # a few categories dominate: the top two carry over half of all problem mentions
    assert counts.iloc[:2].sum() / counts.sum() > 0.5
    assert len(counts) >= 6


def test_edge_cases_a_qa_lead_meets(teams) -> None:
    mon = pd.concat([t.monitoring for t in teams])
    assert mon["critical_error"].notna().sum() >= 3
    assert (mon["records"] == "N/A").sum() > 0
    unanswered = mon[mon["answered"] == "N"]
    assert len(unanswered) > 10
    # never answered: no times, no ratings
    for col in ("first_response_s", "handle_time_s", "csat", "nps"):
        assert unanswered[col].isna().all(), col
    for col in RUBRIC_KEYS:
        assert unanswered[col].isna().all(), col
    # repeat customers (same customer within 30 days), by the core's definition
    t0 = teams[0].monitoring
    assert repeat_rate(t0["customer_id"].tolist(), t0["contact_time"], 30) > 0.02
    # customer text that looks like a formula is in the data (it must stay text)
    assert mon["problem_description"].dropna().str.startswith(("=", "+", "-", "@")).any()


def test_actions_on_time_late_overdue_open_cancelled(teams) -> None:
    a = teams[0].actions
    day = lambda s: ((pd.to_datetime(s) - pd.Timestamp("1970-01-01")).dt.days).to_numpy(float)  # noqa: E731
    as_of_day = float((AS_OF - dt.date(1970, 1, 1)).days)
    status, _ = action_status(
        day(a["planned_date"]),
        day(a["actual_date"]),
        as_of_day,
        (a["status"] == "cancelled").to_numpy(),
    )
    assert {"done_on_time", "done_late", "overdue", "open", "cancelled"} <= set(status)
    assert a["baseline"].notna().sum() >= 3 and a["after"].notna().sum() >= 3


def test_problems_sheet_has_causes(teams) -> None:
    p = teams[0].problems
    assert p["root_cause"].notna().sum() >= 5
    assert set(p["cause_category"]) <= {c.key for c in CHOICES["cause_category"]}


def test_benchmark_sample_has_requested_rows() -> None:
    df = demo_monitoring(5000, seed=1)
    assert len(df) == 5000 and df["contact_id"].is_unique
    assert np.isin(df["channel"].unique(), [c.key for c in CHOICES["channel"]]).all()


def test_csq_demo_writes_workbooks_and_reports(tmp_path: Path, capsys) -> None:
    out = tmp_path / "demo"
    assert main(["demo", str(out), "--lang", "en", "--seed", "7"]) == 0
    printed = capsys.readouterr().out
    books = sorted(out.glob("team-*.xlsx"))
    names = sorted(p.name for p in books)
    assert names == [
        "team-aftersales.report.xlsx",
        "team-aftersales.xlsx",
        "team-hotline.report.xlsx",
        "team-hotline.xlsx",
        "team-online.report.xlsx",
        "team-online.xlsx",
    ]
    for p in books:
        assert str(p) in printed  # tells the user where everything is
    summaries = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json")}
    assert len(summaries) == 3
    hot = summaries["team-hotline.summary.json"]
    assert len(hot["periods"]) == 13
    assert hot["grade"] in ("excellent", "good", "pass", "fail")
    assert hot["data_quality"]["errors"] == 3  # the three typed-in mistakes
    unranked = [a for a in hot["agents"] if a["rank"] is None]
    assert len(unranked) == 1 and unranked[0]["scored"] < 5  # the new hire
    # room to add a contact, problem or action on the protected sheets (as a blank template)
    import openpyxl

    wb = openpyxl.load_workbook(out / "team-hotline.xlsx")
    for title, data_rows in (
        ("Monitoring", hot["contacts"]),
        ("Problems", None),
        ("Actions", None),
    ):
        ws = wb[title]
        table = next(iter(ws.tables.values()))
        last = int(table.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        filled = max(r for r in range(2, last + 1) if ws.cell(r, 1).value not in (None, ""))
        assert last - filled >= 20, title  # blank rows inside the Table
        if data_rows is not None:
            assert filled - 1 >= data_rows
        assert ws.protection.sheet
    from test_templates_sortable import locked_cells_in_tables

    assert not any(locked_cells_in_tables(out / "team-hotline.xlsx").values())  # spare rows too
    # a second run keeps the workbooks a user may have edited
    before = (out / "team-hotline.xlsx").read_bytes()
    assert main(["demo", str(out), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "already exist" in err and "--force" in err and "team-hotline.xlsx" in err
    assert (out / "team-hotline.xlsx").read_bytes() == before


@pytest.mark.parametrize("team", [0, 2])
def test_the_improvement_loop_shows_every_state(teams, tmp_path: Path, team: int) -> None:
    """Every section of the report's improvement loop has something to show (issue 21)."""
    from addin.read.workbook import read_workbook
    from udfs.core.analysis import analyse
    from workbook_templates.builder import build_workbook

    t = teams[team]
    path = build_workbook(
        tmp_path / "t.xlsx", lang="zh", monitoring=t.monitoring, problems=t.problems,
        actions=t.actions, as_of=AS_OF,
    )  # fmt: skip
    an = analyse(read_workbook(path), AS_OF)
    loop = an.loop
    assert set(loop.effects["state"]) >= {
        "verified_met", "verified_not_met", "reverify_due", "too_early", "not_done",
    }  # fmt: skip
    assert len(loop.stale) and len(loop.slipped) and len(loop.sop_register)
    assert len(loop.callbacks) and not loop.findings  # no bad action in the demo
    assert [c.kind for c in an.conclusions].count("action") == 1

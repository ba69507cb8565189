"""The improvement loop's re-measurement, tracking, call-backs and SOP register
(issue 21), on the purpose-built workbook of ``tests/loop_fixtures.py`` (hand calculation
in its docstring; the windows are also recounted here with pandas, independently of the
core)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import loop_fixtures as lf
import openpyxl
import pandas as pd
import pytest

from addin.read.workbook import read_workbook
from addin.report.summary import build_summary
from udfs.core.analysis import analyse


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return lf.build(tmp_path_factory.mktemp("loop") / "loop.xlsx")


@pytest.fixture(scope="module")
def an(book: Path):
    return analyse(read_workbook(book), lf.AS_OF)


def _effect(an, no: str) -> dict:
    e = an.loop.effects
    return e[e["action_no"].astype(str) == no].iloc[0].to_dict()


def _pandas_fcr(agent: str, first: str, last: str) -> tuple[float, int]:
    m = lf.monitoring()
    day = m["contact_time"].dt.normalize()
    sel = m[
        (m["agent_id"] == agent)
        & (m["problem_category"] == lf.P)
        & (day >= pd.Timestamp(first))
        & (day <= pd.Timestamp(last))
    ]
    return float((sel["resolved_first_contact"] == "Y").mean()), len(sel)


def test_before_and_after_by_hand(an) -> None:
    e = _effect(an, "1")
    # before: the 30 days ending the day before the start (2026-03-01)
    assert (e["before_start"], e["before_end"]) == ("2026-01-30", "2026-02-28")
    # after: opens 7 days after the completion (2026-03-10), 14 days long
    assert (e["after_start"], e["after_end"]) == ("2026-03-17", "2026-03-30")
    assert e["before"] == pytest.approx(2 / 5) and e["before_n"] == 5
    assert e["after"] == pytest.approx(4 / 5) and e["after_n"] == 5
    assert (e["before"], e["before_n"]) == pytest.approx(
        _pandas_fcr("A1", "2026-01-30", "2026-02-28")
    )
    assert (e["after"], e["after_n"]) == pytest.approx(
        _pandas_fcr("A1", "2026-03-17", "2026-03-30")
    )
    assert e["typed_after"] == pytest.approx(0.85)  # kept beside the computed one


def test_every_state_is_reached(an) -> None:
    e = an.loop.effects
    states = dict(zip(e["action_no"].astype(str), e["state"], strict=True))
    assert states["1"] == "verified_met"  # 80 % reaches the 80 % target
    assert states["2"] == "verified_not_met"  # target typed as 90 (per cent)
    assert states["3"] == "reverify_due"  # A2: one contact in the after window, min n 4
    assert states["4"] == "too_early"  # after window 04-08..04-21 open on 04-15
    assert states["5"] == "not_done"
    assert _effect(an, "3")["after_n"] == 1
    assert an.loop.state_counts == {
        "not_done": 1,
        "too_early": 1,
        "verified_met": 1,
        "verified_not_met": 1,
        "reverify_due": 2,  # action 3 and action 7 (its scope matches nothing)
    }


def test_bad_actions_are_findings_with_their_cell_and_the_rest_is_computed(an) -> None:
    loop = {(f.code, f.cell, f.severity) for f in an.loop.findings}
    assert loop == {
        ("action_metric_unknown", "I7", "warning"),  # 满意度指数X
        ("action_scope_empty", "O8", "warning"),  # agent ZZ9
        ("action_done_before_start", "G9", "error"),  # done 02-20, started 03-01
    }
    assert set(an.loop.findings) <= set(an.findings)
    nos = set(an.loop.effects["action_no"].astype(str))
    assert "6" not in nos and "8" not in nos and {"1", "2", "3", "4", "5", "7"} <= nos
    zh = next(f for f in an.loop.findings if f.code == "action_done_before_start")
    assert zh.render("zh") == "实际完成日期：2026-02-20 早于开始日期 2026-03-01，未计算效果"


def test_weekly_tracking_stale_and_slip(an) -> None:
    t = an.loop.stale.iloc[0]
    assert str(t["action_no"]) == "5"
    assert t["days_since_update"] == 14  # 2026-04-01 -> 2026-04-15, more than 7
    assert bool(t["checkpoint_passed"])  # next checkpoint 04-08 passed
    s = an.loop.slipped.iloc[0]
    assert (s["original_planned_date"], s["planned_date"]) == ("2026-03-20", "2026-04-30")
    assert s["slip_days"] == 41


def test_sop_register_and_call_backs(an) -> None:
    sop = an.loop.sop_register
    assert sop[["action_no", "sop_document", "state"]].values.tolist() == [
        ["1", "SOP-客服-003", "verified_met"]
    ]
    cb = an.loop.callbacks.set_index(an.loop.callbacks["action_no"].astype(str)).loc["1"]
    assert (cb["resolved"], cb["unresolved"], cb["unreachable"]) == (3, 1, 1)
    assert cb["resolved_rate"] == pytest.approx(3 / 5)


def test_not_met_becomes_a_numbered_finding(an) -> None:
    found = [c for c in an.conclusions if c.kind == "action"]
    assert len(found) == 1 and found[0].metric == "action"
    assert found[0].recommendation == {
        "zh": "措施未达预期，需重新分析原因",
        "en": "The measure missed its target; re-analyse the cause",
    }
    assert "编号 2" in found[0].text["zh"] and "80.0%" in found[0].text["zh"]
    assert "No. 2" in found[0].text["en"] and "90.0%" in found[0].text["en"]
    # the data-quality caveat counts the loop's findings too, and stays last
    assert an.conclusions[-1].kind == "data_quality"
    assert an.conclusions[-1].value == an.errors


def test_summary_json_actions(book: Path, an) -> None:
    s = json.loads(json.dumps(build_summary(read_workbook(book), lf.AS_OF, an), default=str))
    a1 = next(a for a in s["actions"] if a["no"] == "1")
    assert {k: a1[k] for k in ("metric", "before", "before_n", "after", "after_n", "state")} == {
        "metric": "fcr",
        "before": pytest.approx(0.4),
        "before_n": 5,
        "after": pytest.approx(0.8),
        "after_n": 5,
        "state": "verified_met",
    }
    assert a1["sop_document"] == "SOP-客服-003" and a1["callbacks"]["called"] == 5
    loop = s["action_loop"]
    assert loop["stale"] == ["5"] and loop["slipped"] == ["5"]
    assert loop["reverify_due"] == ["3", "7"]
    assert loop["sop_register"] == [
        {"no": "1", "sop_document": "SOP-客服-003", "state": "verified_met"}
    ]
    assert loop["settings"]["min_n"] == 4


def test_config_minimum_n_changes_the_verdict(book: Path) -> None:
    data = read_workbook(book)
    rows = [dict(r, value=6) if r["item"] == "min_n" else r for r in data.config_tables["loop"]]
    data = dataclasses.replace(data, config_tables={**data.config_tables, "loop": rows})
    an = analyse(data, lf.AS_OF)
    assert _effect(an, "1")["state"] == "reverify_due"  # 5 contacts < 6


def test_before_window_from_the_planned_date_without_a_start(book: Path) -> None:
    data = read_workbook(book)
    acts = data.actions.copy()
    acts.loc[acts["action_no"] == "1", "start_date"] = pd.NaT
    an = analyse(dataclasses.replace(data, actions=acts), lf.AS_OF)
    e = _effect(an, "1")
    # planned 2026-03-10: the 30 days ending 03-09 hold the start-day contact (Y) too
    assert (e["before_start"], e["before_end"]) == ("2026-02-08", "2026-03-09")
    assert (e["before"], e["before_n"]) == pytest.approx(
        _pandas_fcr("A1", "2026-02-08", "2026-03-09")
    )


def test_feedback_lists_the_agents_actions_and_effects(book: Path, an) -> None:
    from udfs.core.feedback import agent_feedback

    views = {v.agent_id: v for v in agent_feedback(read_workbook(book), an)}
    mine = views["A1"].actions
    row = mine[mine["action_no"].astype(str) == "1"].iloc[0]
    assert row["state"] == "verified_met" and row["after"] == pytest.approx(0.8)


def test_scope_by_channel_label_and_a_bad_loop_setting(book: Path) -> None:
    data = read_workbook(book)
    acts = data.actions.copy()
    acts.loc[acts["action_no"] == "1", "scope_channel"] = "电话"  # the label of "phone"
    rows = [
        dict(r, value="两周") if r["item"] == "after_days" else r
        for r in data.config_tables["loop"]
    ]
    data = dataclasses.replace(
        data, actions=acts, config_tables={**data.config_tables, "loop": rows}
    )
    an = analyse(data, lf.AS_OF)
    e = _effect(an, "1")
    assert (e["after"], e["after_n"]) == (pytest.approx(0.8), 5)  # every contact is by phone
    bad = [f for f in an.loop.findings if f.code == "loop_setting"]
    assert len(bad) == 1 and bad[0].severity == "warning"
    # the finding names the value cell of the after_days row of the Config sheet's loop table
    ws = openpyxl.load_workbook(book, read_only=True)[bad[0].sheet]
    row = int(bad[0].cell[1:])
    assert bad[0].cell[0] == "B" and "after_days" in str(ws[f"A{row}"].value)
    assert an.loop.settings.after_days == 14  # the default kept

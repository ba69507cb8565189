"""A purpose-built workbook for the improvement loop (tests/test_loop_*.py): contacts on
both sides of the actions' dates, scope one problem and one agent.

Hand calculation (windows inclusive; before = the 30 days ending the day before the start,
after = 14 days opening 7 days after the actual completion; min n = 4 on Config):

- actions 1 and 2: start 2026-03-01, done 2026-03-10, scope 等待过长 + agent A1.
  before window 2026-01-30..2026-02-28: A1/等待过长 FCR Y,Y,N,N,N -> 2/5 = 0.40 (n 5);
  the contact of 2026-01-29 and the one on the start day are outside, A2's and A1's other
  problem's contacts are out of scope.  after window 2026-03-17..2026-03-30: Y,Y,Y,Y,N ->
  4/5 = 0.80 (n 5); 2026-03-16 and 2026-03-31 are outside.
  action 1 target 80 % -> verified: met; action 2 target 90 % -> verified: not met.
- action 3: scope agent A2, same dates: one contact after -> re-verification due.
- action 4: done 2026-04-01 -> after window 04-08..04-21 not closed at 04-15 -> too early.
- action 5: open, last update 2026-04-01 (14 days before the as-of) -> stale; its
  planned date moved from 2026-03-20 to 2026-04-30 -> slip 41 days.
- actions 6-8: an unknown metric, a scope matching no contact, done before its start.
- call-backs from 2026-03-01 on A1/等待过长: resolved 3, unresolved 1, unreachable 1 -> 60 %.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

AS_OF = dt.date(2026, 4, 15)
P = "等待过长"


def _c(i: int, day: str, agent: str, problem: str | None, fcr: str, cb: str | None = None):
    return {
        "contact_id": f"L{i:03d}",
        "contact_time": pd.Timestamp(f"{day} 10:00"),
        "channel": "phone",
        "agent_id": agent,
        "team": "T1",
        "answered": "Y",
        "resolved_first_contact": fcr,
        "csat": 4,
        "speed": 4,
        "attitude": 4,
        "solving": 4,
        "knowledge": 4,
        "satisfaction": 4,
        "records": 4,
        "problem_category": problem,
        "callback_result": cb,
    }


def monitoring() -> pd.DataFrame:
    rows = [
        # before window, in scope: 2 of 5 resolved
        ("2026-01-30", "A1", P, "Y"),
        ("2026-02-05", "A1", P, "Y"),
        ("2026-02-10", "A1", P, "N"),
        ("2026-02-20", "A1", P, "N"),
        ("2026-02-28", "A1", P, "N"),
        # outside the before window or out of scope
        ("2026-01-29", "A1", P, "N"),
        ("2026-03-01", "A1", P, "Y"),
        ("2026-02-10", "A2", P, "Y"),
        ("2026-02-11", "A2", P, "Y"),
        ("2026-02-12", "A2", P, "Y"),
        ("2026-02-10", "A1", "系统卡顿", "Y"),
        ("2026-02-11", "A1", "系统卡顿", "Y"),
        # after window, in scope: 4 of 5 resolved
        ("2026-03-17", "A1", P, "Y", "resolved"),
        ("2026-03-20", "A1", P, "Y", "resolved"),
        ("2026-03-25", "A1", P, "Y", "resolved"),
        ("2026-03-28", "A1", P, "N", "unresolved"),
        ("2026-03-30", "A1", P, "Y", "unreachable"),
        # just outside the after window
        ("2026-03-16", "A1", P, "N"),
        ("2026-03-31", "A1", P, "N"),
        # A2 after the action: one contact only
        ("2026-03-20", "A2", P, "Y"),
        # the latest month
        ("2026-04-02", "A1", "系统卡顿", "Y"),
        ("2026-04-09", "A2", "系统卡顿", "N"),
    ]
    return pd.DataFrame([_c(i, *r) for i, r in enumerate(rows, 1)])


def actions() -> pd.DataFrame:
    d = pd.Timestamp
    nat = pd.NaT
    base = {
        "owner": "王",
        "cooperating_dept": "运营部",
        "status": "done",
        "metric": "FCR",
        "problem": P,
        "scope_agent": "A1",
        "start_date": d("2026-03-01"),
        "planned_date": d("2026-03-10"),
        "actual_date": d("2026-03-10"),
        "baseline": 0.4,
    }
    rows = [
        {**base, "action_no": "1", "measure": "话术培训", "target": 0.8, "after": 0.85,
         "in_sop": "Y", "sop_document": "SOP-客服-003"},
        {**base, "action_no": "2", "measure": "排班优化", "target": 90},
        {**base, "action_no": "3", "measure": "二线支援", "target": 0.8, "scope_agent": "A2"},
        {**base, "action_no": "4", "measure": "知识库更新", "target": 0.8,
         "actual_date": d("2026-04-01"), "planned_date": d("2026-04-01")},
        {**base, "action_no": "5", "measure": "系统升级", "target": 0.8, "status": "in_progress",
         "actual_date": nat, "planned_date": d("2026-04-30"),
         "original_planned_date": d("2026-03-20"), "last_update": d("2026-04-01"),
         "progress": 40, "next_checkpoint": d("2026-04-08")},
        {**base, "action_no": "6", "measure": "未知指标", "metric": "满意度指数X"},
        {**base, "action_no": "7", "measure": "范围错误", "scope_agent": "ZZ9"},
        {**base, "action_no": "8", "measure": "日期颠倒", "actual_date": d("2026-02-20")},
    ]  # fmt: skip
    return pd.DataFrame(rows)


LOOP_ROWS = [
    {"item": "before_days", "value": 30},
    {"item": "after_offset_days", "value": 7},
    {"item": "after_days", "value": 14},
    {"item": "min_n", "value": 4},
    {"item": "stale_days", "value": 7},
]
"""The Config sheet's improvement-loop table: the defaults with a minimum n of 4."""


def build(path, lang: str = "zh"):
    """The rows above as a real standard workbook (template builder)."""
    from workbook_templates.builder import build_workbook

    return build_workbook(
        path,
        lang=lang,
        monitoring=monitoring(),
        problems=[{"problem": P}, {"problem": "系统卡顿"}],
        actions=actions(),
        as_of=AS_OF,
        as_of_fixed=True,
        config_rows={"loop": LOOP_ROWS},
    )

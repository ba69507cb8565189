"""A small hand-checkable workbook (10 contacts) shared by the report/batch tests.

Every figure the tests assert is worked out by hand in ``tests/test_report_numbers.py``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from udfs.core.config import ScoringConfig
from udfs.core.data import Finding, WorkbookData

NA = np.nan
AS_OF = dt.date(2026, 11, 10)
EVIL = '=HYPERLINK("http://evil.example","click")'

# contact, time, channel, agent, team, answered, fcr, csat, nps, first response (s),
# rubric speed/attitude/solving/knowledge/satisfaction/records, critical error, problem
ROWS = [
    (
        "C01",
        "2026-10-01 09:00",
        "phone",
        "A1",
        "T1",
        1,
        1,
        5,
        10,
        20,
        (5, 5, 5, 5, 5, 5),
        None,
        None,
    ),
    (
        "C02",
        "2026-10-02 09:00",
        "phone",
        "A1",
        "T1",
        1,
        0,
        4,
        8,
        40,
        (4, 4, 4, 4, 4, 4),
        None,
        "等待过长",
    ),
    (
        "C03",
        "2026-10-03 09:00",
        "chat",
        "A1",
        "T1",
        1,
        1,
        3,
        6,
        10,
        (3, 3, 3, 3, 3, 3),
        None,
        "解答错误",
    ),
    (
        "C04",
        "2026-10-04 09:00",
        "chat",
        "A1",
        "T1",
        1,
        1,
        5,
        9,
        25,
        (NA, 5, 5, 5, 5, 5),
        None,
        None,
    ),
    (
        "C05",
        "2026-10-05 09:00",
        "email",
        "A2",
        "T1",
        1,
        0,
        2,
        3,
        90,
        (5, 5, 5, 5, 5, 5),
        "泄露客户信息",
        "解答错误",
    ),
    (
        "C06",
        "2026-10-06 09:00",
        "phone",
        "A2",
        "T1",
        1,
        1,
        NA,
        NA,
        30,
        (4, 2, 4, 4, 4, 4),
        None,
        "态度问题",
    ),
    (
        "C07",
        "2026-10-07 09:00",
        "phone",
        "A2",
        "T1",
        0,
        NA,
        NA,
        NA,
        NA,
        (NA,) * 6,
        None,
        "等待过长",
    ),
    (
        "C08",
        "2026-10-08 09:00",
        "chat",
        "A2",
        "T1",
        1,
        1,
        4,
        10,
        5,
        (5, 5, 5, 5, 5, 3),
        None,
        "其他",
    ),
    (
        "C09",
        "2026-09-10 09:00",
        "phone",
        "A1",
        "T1",
        1,
        1,
        4,
        9,
        20,
        (4, 4, 4, 4, 4, 4),
        None,
        "系统卡顿",
    ),
    (
        "C10",
        "2026-09-11 09:00",
        "phone",
        "A1",
        "T1",
        1,
        1,
        5,
        10,
        10,
        (5, 5, 5, 5, 5, 5),
        None,
        "系统卡顿",
    ),
]
DIMS = ("speed", "attitude", "solving", "knowledge", "satisfaction", "records")


def monitoring() -> pd.DataFrame:
    recs = []
    for i, (cid, t, ch, ag, team, ans, res, csat, nps, fr, dims, crit, prob) in enumerate(ROWS):
        rec = {
            "contact_id": cid,
            "contact_time": pd.Timestamp(t),
            "channel": ch,
            "service_type": "complaint" if i % 2 else "inquiry",
            "team": team,
            "agent_id": ag,
            "customer_id": "13800138000" if cid == "C08" else f"CU{i:06d}",
            "first_response_s": float(fr),
            "answered": float(ans),
            "resolved_first_contact": float(res),
            "csat": float(csat),
            "nps": float(nps),
            **{d: float(v) for d, v in zip(DIMS, dims, strict=True)},
            "critical_error": crit,
            "problem_category": prob,
            "problem_description": EVIL if cid == "C08" else f"描述 {cid}",
            "qc_note": f"note {cid}",
            "_row": i + 2,
        }
        recs.append(rec)
    df = pd.DataFrame(recs)
    df["period"] = df["contact_time"].dt.strftime("%Y-%m")
    return df


def actions() -> pd.DataFrame:
    d = pd.Timestamp
    return pd.DataFrame(
        [
            (
                "1",
                "话术培训",
                "解答错误",
                "王",
                d("2026-10-15"),
                d("2026-10-14"),
                "done",
                "FCR",
                0.6,
                0.75,
                0.714,
            ),
            (
                "2",
                "增加排班",
                "等待过长",
                "李",
                d("2026-10-20"),
                d("2026-10-25"),
                "done",
                "首次响应",
                45,
                35,
                31.4,
            ),
            (
                "3",
                "知识库更新",
                "解答错误",
                "张",
                d("2026-11-01"),
                pd.NaT,
                "in_progress",
                None,
                NA,
                NA,
                NA,
            ),
            (
                "4",
                "系统升级",
                "系统卡顿",
                "赵",
                d("2026-11-30"),
                pd.NaT,
                "not_started",
                None,
                NA,
                NA,
                NA,
            ),
            (
                "5",
                "=cmd|' /C calc'!A0",
                "其他",
                "钱",
                d("2026-10-01"),
                pd.NaT,
                "cancelled",
                None,
                NA,
                NA,
                NA,
            ),
        ],
        columns=[
            "action_no",
            "measure",
            "problem",
            "owner",
            "planned_date",
            "actual_date",
            "status",
            "metric",
            "baseline",
            "target",
            "after",
        ],
    )


def problems() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("等待过长", "高峰排班不足", "排班模型过时", "process", "全部渠道"),
            ("解答错误", "知识库过期", "更新无责任人", "tools", "电话"),
        ],
        columns=["problem", "direct_cause", "root_cause", "cause_category", "impact_scope"],
    )


def workbook_data(path: str = "team_t1.xlsx") -> WorkbookData:
    return WorkbookData(
        path=path,
        monitoring=monitoring(),
        problems=problems(),
        actions=actions(),
        config=ScoringConfig(min_agent_sample=4),
        findings=[Finding("监测表", "O9", "7", "满意度应为 1-5 的整数", "error", "csat")],
        sha256="ab" * 32,
    )


def build_fixture_workbook(path, lang: str = "zh"):
    """The same 10 contacts written as a real standard workbook (template builder)."""
    from workbook_templates.builder import build_workbook

    m = monitoring().drop(columns=["_row", "period"])
    for c in ("answered", "resolved_first_contact"):
        m[c] = m[c].map({1.0: "Y", 0.0: "N"})
    return build_workbook(
        path,
        lang=lang,
        monitoring=m,
        problems=problems(),
        actions=actions(),
        config=ScoringConfig(min_agent_sample=4),
        as_of=AS_OF,
    )

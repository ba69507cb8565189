"""The demo data: realistic teams, contacts, problems and actions for ``csq demo``
(:mod:`.demo`), the tests and the benchmarks (not the QA draw, :mod:`udfs.core.sampling`,
nor the template's example rows, :mod:`workbook_templates.example_rows`).

The generator is seeded and deterministic (same seed and as-of date, same rows): three
teams with 20 agents of different skill (one new hire with too few contacts to rank),
13 months ending with the month before the as-of date, every channel and service type,
a skewed problem distribution with "Other", a few critical errors, N/A and blank rubric
cells, unanswered calls with no times or ratings, repeat customers, problem causes, and
improvement actions done on time, done late, overdue, open and cancelled.  The contacts
themselves are drawn by :mod:`.demo_contacts`.

``csq demo`` writes one standard workbook per team (its whole history, so the report can
show the previous period, a year ago and the 6-month trend).  The benchmarks use
:func:`demo_monitoring` for large tables.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from udfs.core.fields import RUBRIC_KEYS

from .demo_contacts import PROBLEMS, REVIEWERS, contacts

MONTHS = 13
"""Months of history per team: a full year plus the report month (so YoY has data)."""

TEAMS: tuple[dict[str, Any], ...] = (
    {
        "slug": "hotline",
        "zh": "热线一组",
        "en": "Hotline",
        "agents": 7,
        "contacts": 130,
        # phone, chat, email, social, ticket
        "channels": (0.70, 0.12, 0.06, 0.04, 0.08),
        "types": (0.40, 0.15, 0.20, 0.10, 0.15),
    },
    {
        "slug": "online",
        "zh": "在线二组",
        "en": "Online",
        "agents": 7,
        "contacts": 120,
        "channels": (0.08, 0.60, 0.07, 0.20, 0.05),
        "types": (0.50, 0.10, 0.20, 0.10, 0.10),
    },
    {
        "slug": "aftersales",
        "zh": "售后三组",
        "en": "After-sales",
        "agents": 6,
        "contacts": 100,
        "channels": (0.30, 0.15, 0.20, 0.05, 0.30),
        "types": (0.15, 0.25, 0.35, 0.15, 0.10),
    },
)


# customer text that must stay text in every output
@dataclass
class TeamData:
    slug: str
    name: str
    monitoring: pd.DataFrame
    problems: pd.DataFrame
    actions: pd.DataFrame
    calibration: pd.DataFrame | None = None


CALIBRATION_BIAS = (0.0, 0.45, -0.6)
"""Each demo reviewer's lean in the calibration session (the second lenient, the third
strict), so the report's calibration section has something to show."""


def _calibration(mon: pd.DataFrame, seed: int, lang: str) -> pd.DataFrame:
    """Six contacts of the last month rated again by the three reviewers (own generator,
    so the rest of the demo data does not change)."""
    rng = np.random.default_rng(seed)
    last = mon["contact_time"].dt.to_period("M").max()
    rated = mon[(mon["contact_time"].dt.to_period("M") == last) & mon["speed"].notna()]
    picked = rated.iloc[np.sort(rng.choice(len(rated), min(6, len(rated)), replace=False))]
    rows = []
    for _, c in picked.iterrows():
        for reviewer, bias in zip(REVIEWERS[lang], CALIBRATION_BIAS, strict=True):
            row: dict[str, Any] = {"contact_id": c["contact_id"], "reviewer": reviewer}
            for k in RUBRIC_KEYS:
                v = c[k]
                if isinstance(v, str) or v is None or v != v:  # N/A or blank stays
                    row[k] = v
                else:
                    row[k] = int(np.clip(round(float(v) + bias + rng.normal(0, 0.45)), 1, 5))
            row["critical_error"] = c.get("critical_error")
            rows.append(row)
    return pd.DataFrame(rows)


def months_ending_before(as_of: _dt.date, n: int = MONTHS) -> list[pd.Timestamp]:
    """The first days of the ``n`` months ending with the month before ``as_of``."""
    last = pd.Timestamp(as_of.year, as_of.month, 1) - pd.DateOffset(months=1)
    return [last - pd.DateOffset(months=k) for k in range(n - 1, -1, -1)]


def _agents(rng: np.random.Generator, lang: str) -> pd.DataFrame:
    """20 agents over the three teams, each with a skill level (about -1 weak .. +1 strong)."""
    rows = []
    n = 0
    for t in TEAMS:
        for _ in range(t["agents"]):
            n += 1
            rows.append({"agent_id": f"E{n:03d}", "team": t[lang], "slug": t["slug"]})
    df = pd.DataFrame(rows)
    df["skill"] = np.clip(rng.normal(0.1, 0.55, len(df)), -1.2, 1.2)
    return df


def _typos(mon: pd.DataFrame, rng: np.random.Generator, lang: str) -> None:
    """A few cells as QA staff really type them, for the report's data-quality sheet."""
    last = mon.index[-60:]
    rows = rng.choice(last, 3, replace=False)
    mon["csat"] = mon["csat"].astype(object)
    mon.loc[rows[0], "csat"] = "满意" if lang == "zh" else "happy"  # text in a 1-5 rating
    mon["attitude"] = mon["attitude"].astype(object)
    mon.loc[rows[1], "attitude"] = 6  # out of the 1-5 rubric
    mon.loc[rows[2], "answered"] = "接通" if lang == "zh" else "OK"  # not Y/N


def _callbacks(mon: pd.DataFrame, rng: np.random.Generator, as_of: _dt.date, lang: str) -> None:
    """Customer call-backs (客户二次验证) on about a third of the contacts with a problem in
    the last 90 days: resolved, unresolved or unreachable.  Its own generator, so the rest
    of the demo is drawn as before."""
    from udfs.core.fields import choice_label

    recent = mon["contact_time"] >= pd.Timestamp(as_of) - pd.Timedelta(days=90)
    called = recent & mon["problem_category"].notna() & (rng.random(len(mon)) < 0.35)
    keys = np.array(["resolved", "unresolved", "unreachable"], dtype=object)
    drawn = keys[rng.choice(3, len(mon), p=[0.65, 0.25, 0.10])]
    labels = np.array([choice_label("callback_result", k, lang) for k in drawn], dtype=object)
    labels[~called.to_numpy(dtype=bool)] = None
    mon["callback_result"] = labels


def _problems(lang: str) -> pd.DataFrame:
    i = 1 if lang == "en" else 0
    rows = [
        {
            "problem": p[i],
            "direct_cause": p[4][i] or None,
            "root_cause": p[5][i] or None,
            "cause_category": p[3],
            "impact_scope": p[6][i] or None,
        }
        for p in PROBLEMS
    ]
    return pd.DataFrame(rows)


OWNERS = {
    "zh": ("王敏", "李强", "张伟", "刘洋", "陈静"),
    "en": ("Wang", "Li", "Zhang", "Liu", "Chen"),
}

# measure zh, measure en, problem (index into PROBLEMS), planned and actual date (days from
# the as-of date; "team" adds minus the team's number), status, metric zh/en, baseline,
# target, after
ACTION_PLAN: tuple[tuple[Any, ...], ...] = (
    ("高峰时段弹性排班", "Flexible rostering at peak hours", 0, -75, -78, "done",
     ("服务水平", "Service level"), 0.72, 0.85, 0.88),
    ("新政策上线前全员培训", "Train everyone before new policies go live", 1, -60, -52, "done",
     ("首次解决率", "FCR"), 0.68, 0.78, 0.75),
    ("知识库指定责任人", "Give the knowledge base an owner", 1, -20, None, "in_progress",
     ("质检均分", "Mean QA score"), 80, 88, None),
    ("工单系统扩容", "Add ticket-system capacity", 2, "team-6", None, "in_progress",
     ("平均首次响应(秒)", "Avg first response (s)"), 45, 30, None),
    ("退款审批下放到组长", "Team leads approve refunds", 3, 14, None, "not_started",
     ("平均解决时长(小时)", "Avg resolution time (h)"), 72, 24, None),
    ("情绪管理辅导", "Stress coaching", 4, -35, -35, "done", ("满意度", "CSAT"), 3.9, 4.2, 4.3),
    ("简化身份核实", "Simplify identity checks", 5, -40, None, "cancelled", (None, None),
     None, None, None),
    # the improvement loop (issue 21): team-wide measures re-measured from the contacts
    ("首问负责制：一次解决到底", "First-contact ownership: solve it in one go", None, -45, -47,
     "done", ("首次解决率", "FCR"), 0.62, 0.55, None),
    ("复杂问题二线专家支持", "Second-line experts for complex cases", None, -50, -50,
     "done", ("首次解决率", "FCR"), 0.80, 0.97, 0.90),
    ("投诉升级快速通道", "Fast lane for complaint escalation", 1, -8, -6, "done",
     ("满意度均值", "CSAT mean"), 3.9, 4.3, None),
)  # fmt: skip

LOOP_PLAN: dict[int, dict[str, Any]] = {
    # action number -> the improvement loop's columns (days from the as-of date)
    1: {"start_date": -100},
    3: {"start_date": -60, "progress": 60, "last_update": -3, "next_checkpoint": 4},
    4: {"start_date": -40, "progress": 30, "last_update": -12, "next_checkpoint": -5,
        "original_planned_date": -20},
    8: {"start_date": -75, "in_sop": "Y",
        "sop_document": ("《标准操作手册》3.2 首问负责制", "SOP 3.2 First-contact ownership")},
    9: {"start_date": -80},
    10: {"start_date": -20},
}  # fmt: skip
"""The loop's columns of the demo actions: every effect state (verified met / not met,
re-verification due, too early, not done), a stale and a delayed action, an SOP entry."""


def _actions(as_of: _dt.date, lang: str, team_no: int) -> pd.DataFrame:
    """Actions done on time, done late, overdue, open and cancelled, with before/after."""
    en = lang == "en"
    d = pd.Timestamp(as_of)
    day = pd.Timedelta(days=1)
    p = [x[1 if en else 0] for x in PROBLEMS]
    owners = OWNERS["en" if en else "zh"]

    def when(offset: Any) -> pd.Timestamp | None:
        if offset is None:
            return None
        if offset == "team-6":
            return d - 6 * day - team_no * day
        return d + offset * day

    rows = []
    for i, (mz, me, k, planned, actual, st, metric, b, t, a) in enumerate(ACTION_PLAN, start=1):
        prob = None if k is None else p[k]
        rows.append(
            {
                "action_no": f"{team_no}-{i:02d}",
                "measure": me if en else mz,
                "problem": prob,
                "owner": owners[(i + team_no) % len(owners)],
                "cooperating_dept": (
                    "IT"
                    if prob == p[2]
                    else ("Finance" if en else "财务部")
                    if prob == p[3]
                    else None
                ),
                "planned_date": when(planned),
                "actual_date": when(actual),
                "status": st,
                "metric": metric[1 if en else 0],
                "baseline": b,
                "target": t,
                "after": a,
                **_loop_columns(LOOP_PLAN.get(i, {}), when, en),
            }
        )
    return pd.DataFrame(rows)


def _loop_columns(plan: dict[str, Any], when: Any, en: bool) -> dict[str, Any]:
    """An action's improvement-loop columns (dates from day offsets, texts by language)."""
    out: dict[str, Any] = {}
    for k, v in plan.items():
        if k in ("start_date", "last_update", "next_checkpoint", "original_planned_date"):
            out[k] = when(v)
        elif isinstance(v, tuple):
            out[k] = v[1 if en else 0]
        else:
            out[k] = v
    return out


def demo_data(seed: int = 7, lang: str = "zh", as_of: _dt.date | None = None) -> list[TeamData]:
    """The three teams' demo data (deterministic for a seed and as-of date)."""
    lang = "en" if lang == "en" else "zh"
    as_of = as_of or _dt.date.today()
    rng = np.random.default_rng(seed)
    agents = _agents(rng, lang)
    months = months_ending_before(as_of)
    out = []
    for t_no, t in enumerate(TEAMS, start=1):
        team_agents = agents[agents["slug"] == t["slug"]].reset_index(drop=True)
        # the hotline's last agent is a new hire in the report month: listed, not ranked
        regular = team_agents.iloc[:-1] if t_no == 1 else team_agents
        per_month = rng.poisson(t["contacts"], len(months))
        month_idx = np.repeat(np.arange(len(months)), per_month)
        mix = np.array(t["channels"]), np.array(t["types"])
        prefix = t["slug"][:2].upper()
        frames = [contacts(rng, len(month_idx), months, regular, *mix, lang, prefix, month_idx)]
        if t_no == 1:
            last = np.full(3, len(months) - 1)
            frames.append(contacts(rng, 3, months, team_agents.iloc[-1:], *mix, lang, "NEW", last))
        mon = pd.concat(frames, ignore_index=True).sort_values("contact_time", kind="stable")
        mon = mon.reset_index(drop=True)
        if t_no == 1:
            _typos(mon, rng, lang)
        _callbacks(mon, np.random.default_rng(seed * 1000 + t_no), as_of, lang)
        out.append(
            TeamData(
                slug=t["slug"],
                name=t[lang],
                monitoring=mon,
                problems=_problems(lang),
                actions=_actions(as_of, lang, t_no),
                calibration=_calibration(mon, seed * 100 + t_no, lang),
            )
        )
    return out


def demo_monitoring(
    n: int, seed: int = 7, lang: str = "zh", as_of: _dt.date | None = None
) -> pd.DataFrame:
    """One large monitoring table (all teams and agents) for benchmarks."""
    as_of = as_of or _dt.date(2026, 1, 15)
    rng = np.random.default_rng(seed)
    agents = _agents(rng, lang)
    months = months_ending_before(as_of)
    return contacts(
        rng,
        n,
        months,
        agents,
        np.array(TEAMS[0]["channels"]),
        np.array(TEAMS[0]["types"]),
        lang,
        "B",
    )

"""Deterministic sample rows for filled workbooks (tests, template previews, benchmarks).

The rows exercise the edge cases a QA lead meets: N/A and blank ratings, critical errors,
customer text that looks like a formula, "Other" problems, cancelled and overdue actions.
"""

from __future__ import annotations

import datetime as _dt
import random

import pandas as pd

from udfs.core.fields import CHOICES, RUBRIC_KEYS, Lang

PROBLEMS = {
    "zh": ("等待时间长", "答复不准确", "态度冷淡", "系统故障", "流程繁琐", "退款慢", "其他"),
    "en": (
        "Long wait",
        "Wrong answer",
        "Cold attitude",
        "System outage",
        "Red tape",
        "Slow refund",
        "Other",
    ),
}
TRICKY_TEXT = (
    "=1+1",
    "+86 138 0013 8000",
    "-5 off coupon",
    "@agent please call back",
    '=HYPERLINK("http://x")',
    '客户说："太慢了"',
)


def monitoring_rows(n: int = 200, lang: Lang = "zh", seed: int = 3) -> pd.DataFrame:
    rnd = random.Random(seed)
    start = _dt.datetime(2024, 5, 1, 8, 0)
    channels = [c.key for c in CHOICES["channel"]]
    types = [c.key for c in CHOICES["service_type"]]
    rows = []
    for i in range(n):
        answered = "N" if rnd.random() < 0.05 else "Y"
        r = {
            "contact_id": f"C{2024050000 + i}",
            "contact_time": start + _dt.timedelta(minutes=rnd.randint(0, 60 * 24 * 60)),
            "channel": rnd.choice(channels),
            "service_type": rnd.choice(types),
            "team": rnd.choice(("A", "B", "C")),
            "agent_id": f"E{rnd.randint(1, 12):03d}",
            "reviewer": rnd.choice(("QA1", "QA2")),
            "customer_id": f"1380013{rnd.randint(0, 9999):04d}",
            "first_response_s": rnd.choice((None, rnd.randint(1, 90))),
            "handle_time_s": rnd.randint(30, 1500),
            "resolution_time_h": round(rnd.random() * 48, 1),
            "answered": answered,
            "resolved_first_contact": rnd.choice(("Y", "Y", "N", None)),
            "transferred": rnd.choice(("Y", "N", "N", "N")),
            "csat": rnd.choice((None, 1, 2, 3, 4, 5, 5, 4)),
            "nps": rnd.choice((None, rnd.randint(0, 10))),
        }
        for k in RUBRIC_KEYS:
            x = rnd.random()
            r[k] = (
                "N/A" if x < 0.06 else None if x < 0.09 else rnd.choice((1, 2, 3, 3, 4, 4, 5, 5, 5))
            )
        if i % 17 == 0:  # a contact with no rating at all: no score, not 0
            for k in RUBRIC_KEYS:
                r[k] = None
        r["critical_error"] = (
            ("泄露客户信息" if lang == "zh" else "Disclosed customer data") if i % 23 == 5 else None
        )
        r["problem_category"] = rnd.choice(PROBLEMS[lang] + PROBLEMS[lang][:3] + (None,))
        r["problem_description"] = TRICKY_TEXT[i % len(TRICKY_TEXT)] if i % 5 == 0 else None
        r["qc_note"] = "=SUM(A1:A9)" if i == 7 else None
        # process steps and customer side (issue 20), from the row number: blank = the
        # step did not apply; a few reviewer's Y/N, one disagreeing with the steps
        r["escalation_min"] = (i * 7) % 45 if i % 3 == 0 else None
        r["answer_min"] = (i * 13) % 90 if i % 4 == 0 else None
        r["update_gap_min"] = (i * 11) % 80 if i % 5 == 1 else None
        r["callback_h"] = (i * 5) % 36 if i % 2 == 0 else None
        r["process_ok"] = "N" if i % 29 == 3 else "Y" if i % 31 == 4 else None
        r["customer_level"] = ("vip", "regular", "regular", "new")[i % 4]
        sources = ("sample",) * 6 + ("complaint", "praise", "social", "mystery_shopper")
        r["source"] = sources[i % 10]
        rows.append(r)
    return pd.DataFrame(rows)


def problem_rows(lang: Lang = "zh") -> pd.DataFrame:
    causes = ("people", "process", "tools", "customer")
    rows = [
        {
            "problem": p,
            "direct_cause": ("高峰期人手不足" if lang == "zh" else "Too few staff at peak")
            if i == 0
            else None,
            "root_cause": "=排班规则" if i == 0 else None,
            "cause_category": causes[i % 4],
            "impact_scope": ("全渠道" if lang == "zh" else "All channels") if i < 2 else None,
        }
        for i, p in enumerate(PROBLEMS[lang])
    ]
    rows.append({"problem": "没人提过的问题" if lang == "zh" else "Never mentioned"})
    return pd.DataFrame(rows)


def action_rows(as_of: _dt.date, lang: Lang = "zh") -> pd.DataFrame:
    d = as_of
    day = _dt.timedelta(days=1)
    spec = [  # planned, actual, status, baseline, target, after
        (d - 10 * day, d - 12 * day, "done", 60, 80, 85),
        (d - 10 * day, d - 7 * day, "done", 120, 60, 70),
        (d - 10 * day, d - 9 * day, "done", 0.7, 0.8, 0.8),
        (d - 5 * day, None, "in_progress", 30, 20, None),
        (d - 1 * day, None, "in_progress", None, 90, 95),
        (d, None, "not_started", None, None, None),
        (d + 1 * day, None, "not_started", 5, 3, 2),
        (d + 14 * day, None, "in_progress", 10, 20, 15),
        (d - 30 * day, None, "cancelled", None, None, None),
        (None, None, "not_started", None, None, None),
    ]
    rows = []
    for i, (p, a, st, b, t, x) in enumerate(spec, start=1):
        rows.append(
            {
                "action_no": i,
                "measure": ("高峰期增加排班" if lang == "zh" else "Add staff at peak hours")
                if i == 1
                else f"{'措施' if lang == 'zh' else 'Measure'} {i}",
                "problem": PROBLEMS[lang][(i - 1) % len(PROBLEMS[lang])],
                "owner": f"{'张' if lang == 'zh' else 'Owner '}{i}",
                "cooperating_dept": "IT" if i % 3 == 0 else None,
                "planned_date": p,
                "actual_date": a,
                "status": st,
                "metric": ("满意度" if lang == "zh" else "CSAT") if b is not None else None,
                "baseline": b,
                "target": t,
                "after": x,
            }
        )
    return pd.DataFrame(rows)

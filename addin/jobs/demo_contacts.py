"""The demo's contacts: ``n`` monitoring rows of a team (times, channels, handling, ratings,
problems, critical errors, descriptions, notes), drawn from a seeded generator, vectorised
for 100 or 1,000,000 rows alike (:mod:`.demo_data` assembles the teams from them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from udfs.core.config import SPEED_BANDS
from udfs.core.fields import CHOICES, RUBRIC_KEYS
from udfs.core.scoring import band

NONE = np.array(None, dtype=object)
"""A blank cell for ``np.where`` (None as a 0-d object array)."""

# problem -> (weight, cause category, direct cause zh/en, root cause zh/en, impact zh/en)
PROBLEMS: tuple[
    tuple[str, str, float, str, tuple[str, str], tuple[str, str], tuple[str, str]], ...
] = (
    (
        "等待时间长",
        "Long wait",
        34,
        "process",
        ("高峰时段排班不足", "Too few agents at peak hours"),
        ("排班按历史均值而非高峰预测", "Rostering uses averages, not peak forecasts"),
        ("电话、在线", "Phone, chat"),
    ),
    (
        "答复不准确",
        "Wrong answer",
        24,
        "people",
        ("新政策未及时培训", "New policy not trained in time"),
        ("知识库更新无人负责", "No owner for knowledge-base updates"),
        ("全部渠道", "All channels"),
    ),
    (
        "系统故障",
        "System outage",
        14,
        "tools",
        ("工单系统响应慢", "Ticket system slow"),
        ("服务器容量不足", "Server capacity too low"),
        ("工单、邮件", "Ticket, email"),
    ),
    (
        "退款慢",
        "Slow refund",
        9,
        "process",
        ("退款需三级审批", "Refunds need three approvals"),
        ("审批权限未下放", "Approval rights not delegated"),
        ("售后", "After-sales"),
    ),
    (
        "态度冷淡",
        "Cold attitude",
        6,
        "people",
        ("个别客服情绪管理差", "Some agents handle stress badly"),
        ("缺少情绪辅导机制", "No coaching on stress"),
        ("电话", "Phone"),
    ),
    (
        "流程繁琐",
        "Red tape",
        5,
        "process",
        ("重复核实身份", "Identity checked twice"),
        ("流程未按风险分级", "Process not risk-based"),
        ("全部渠道", "All channels"),
    ),
    ("其他", "Other", 8, "customer", ("", ""), ("", ""), ("", "")),
)


CRITICAL = (
    ("泄露客户隐私信息", "Disclosed customer data"),
    ("承诺无法兑现的赔偿", "Promised compensation we cannot give"),
    ("辱骂客户", "Insulted the customer"),
)


DESCRIPTIONS = {
    "zh": ("客户反映{p}，情绪{m}", "来电咨询后仍提到{p}", "回访时客户再次提到{p}"),
    "en": (
        "Customer reports {p}, {m}",
        "Called again about {p}",
        "On call-back the customer mentioned {p}",
    ),
}


MOODS = {"zh": ("平稳", "不满", "激动"), "en": ("calm", "unhappy", "angry")}


TRICKY = (
    "=客户说要投诉到12315",
    "+86 138 0013 8000 回拨未接通",
    "-客户要求撤销订单",
    "@主管 请回电",
)


GOOD_NOTES = {
    "zh": "标杆录音：主动确认需求并一次解决",
    "en": "Model call: confirmed the need and solved it at once",
}


BAD_NOTES = {"zh": "需辅导：未核实信息即答复", "en": "Coaching: answered before checking the facts"}


REVIEWERS = {"zh": ("质检-林", "质检-周", "质检-吴"), "en": ("QA Lin", "QA Zhou", "QA Wu")}


def contacts(
    rng: np.random.Generator,
    n: int,
    month_starts: list[pd.Timestamp],
    agents: pd.DataFrame,
    channel_p: np.ndarray,
    type_p: np.ndarray,
    lang: str,
    id_prefix: str,
    month_idx: np.ndarray | None = None,
) -> pd.DataFrame:
    """``n`` sampled contacts (vectorised, for 100 or 1,000,000 rows alike).  The helpers
    draw from ``rng`` in turn, so the order of the calls below is the data."""
    if month_idx is None:
        month_idx = rng.integers(0, len(month_starts), n)
    month_idx = np.sort(month_idx)
    times, ai, skill, quality = _when_and_who(rng, n, month_starts, agents, month_idx)
    ch, channel, service = _channel_and_service(rng, n, channel_p, type_p)
    h = _handling(rng, n, ch, month_idx, skill, quality)
    dims, csat, nps = _ratings(rng, n, quality, ch, h["fr"])
    crit_i, crit_reason, has_problem, problem = _critical_and_problems(
        rng, n, quality, h["unanswered"], lang == "en"
    )
    cust_pool = max(10, int(n * 0.72))
    cust = rng.integers(0, cust_pool, n)
    customer = np.char.add("13", np.char.zfill((cust * 7919 % 10**9).astype(str), 9))
    ans = h["ans"]
    df = pd.DataFrame(
        {
            "contact_id": [f"{id_prefix}{i:07d}" for i in range(1, n + 1)],
            "contact_time": times.astype("datetime64[ns]"),
            "channel": channel,
            "service_type": service,
            "team": agents["team"].to_numpy()[ai],
            "agent_id": agents["agent_id"].to_numpy()[ai],
            "reviewer": np.array(REVIEWERS[lang], dtype=object)[rng.integers(0, 3, n)],
            "customer_id": customer.astype(object),
            "first_response_s": np.where(ans, np.round(h["fr"]), np.nan),
            "handle_time_s": np.where(ans, np.round(h["handle"]), np.nan),
            "resolution_time_h": np.where(ans, np.round(h["resolution"], 1), np.nan),
            "answered": np.where(ans, "Y", "N").astype(object),
            "resolved_first_contact": np.where(ans, np.where(h["fcr"], "Y", "N"), NONE).astype(
                object
            ),
            "transferred": np.where(ans, np.where(h["transferred"], "Y", "N"), NONE).astype(object),
            "csat": np.where(ans, csat, np.nan),
            "nps": np.where(ans, nps, np.nan),
        }
    )
    _rubric_columns(df, rng, n, dims, ans, service)
    df["critical_error"] = np.where(crit_i & ans, crit_reason, NONE)
    df["problem_category"] = np.where(has_problem, problem, NONE)
    _descriptions_and_notes(df, rng, n, lang, quality, problem, has_problem, ans)
    return df


def _when_and_who(
    rng: np.random.Generator,
    n: int,
    month_starts: list[pd.Timestamp],
    agents: pd.DataFrame,
    month_idx: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Contact times in their months, the agent of each (index), the agent's skill and the
    contact's quality (skill, the team's slow improvement, chance)."""
    starts = np.array([m.to_datetime64() for m in month_starts], dtype="datetime64[s]")[month_idx]
    days_in = np.array([m.days_in_month for m in month_starts])[month_idx]
    secs = (rng.random(n) * days_in).astype(int) * 86400 + rng.integers(8 * 3600, 21 * 3600, n)
    times = starts + secs.astype("timedelta64[s]")
    ai = rng.integers(0, len(agents), n)
    skill = agents["skill"].to_numpy()[ai]
    trend = 0.04 * month_idx  # the team slowly improves after its actions
    quality = skill + trend + rng.normal(0, 0.55, n)
    return times, ai, skill, quality


def _channel_and_service(
    rng: np.random.Generator, n: int, channel_p: np.ndarray, type_p: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each contact's channel (index and key) and service type, by the team's mix."""
    ch_keys = np.array([c.key for c in CHOICES["channel"]], dtype=object)
    # the teams' mixes name the first service types (repair, suggestion: not in the demo)
    st_keys = np.array([c.key for c in CHOICES["service_type"]], dtype=object)[: len(type_p)]
    ch = rng.choice(len(ch_keys), n, p=channel_p)
    channel = ch_keys[ch]
    service = st_keys[rng.choice(len(st_keys), n, p=type_p)]
    return ch, channel, service


def _handling(
    rng: np.random.Generator,
    n: int,
    ch: np.ndarray,
    month_idx: np.ndarray,
    skill: np.ndarray,
    quality: np.ndarray,
) -> dict[str, np.ndarray]:
    """Answered or not, first response and handle time (s), first-contact resolution,
    resolution time (h), transfers."""
    unanswered = ((ch == 0) & (rng.random(n) < 0.07)) | ((ch == 1) & (rng.random(n) < 0.03))
    # first response (s): live channels in seconds; email and tickets are not timed
    mu = np.array([np.log(19), np.log(24), np.nan, np.log(75), np.nan])
    fr = np.exp(mu[ch] - 0.03 * month_idx + rng.normal(0, 0.55, n) - 0.15 * skill)
    handle = np.exp(np.array([5.7, 6.0, 6.3, 6.0, 6.4])[ch] + rng.normal(0, 0.4, n))
    fcr_p = 1 / (1 + np.exp(-(1.3 + 1.1 * quality)))
    fcr = rng.random(n) < fcr_p
    resolution = np.where(fcr, handle / 3600, np.exp(np.log(14) + rng.normal(0, 0.7, n)))
    transferred = rng.random(n) < 0.08
    return {
        "unanswered": unanswered,
        "ans": ~unanswered,
        "fr": fr,
        "handle": handle,
        "fcr": fcr,
        "resolution": resolution,
        "transferred": transferred,
    }


def _ratings(
    rng: np.random.Generator, n: int, quality: np.ndarray, ch: np.ndarray, fr: np.ndarray
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """The rubric ratings (speed from the first response on live channels), CSAT and NPS
    (asked of some customers only)."""

    def rating(base: float, spread: float, noise: float) -> np.ndarray:
        return np.clip(np.round(base + spread * quality + rng.normal(0, noise, n)), 1, 5)

    dims = {k: rating(3.9, 0.9, 0.55) for k in RUBRIC_KEYS}
    dims["attitude"] = rating(4.2, 0.7, 0.5)
    live = ch <= 1
    dims["speed"] = np.where(live, band(np.round(fr / 4), *SPEED_BANDS), rating(3.8, 0.5, 0.6))
    csat = np.where(
        rng.random(n) < 0.68,
        np.clip(np.round(3.8 + 0.9 * quality + rng.normal(0, 0.7, n)), 1, 5),
        np.nan,
    )
    nps = np.where(
        rng.random(n) < 0.45,
        np.clip(np.round(7.6 + 1.9 * quality + rng.normal(0, 1.4, n)), 0, 10),
        np.nan,
    )
    return dims, csat, nps


def _critical_and_problems(
    rng: np.random.Generator, n: int, quality: np.ndarray, unanswered: np.ndarray, en: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Critical errors (which, and why) and problem categories (skewed; an abandoned call
    mostly waited too long)."""
    crit_i = rng.random(n) < 0.006
    crit_reason = np.array([c[1 if en else 0] for c in CRITICAL], dtype=object)[
        rng.integers(0, len(CRITICAL), n)
    ]
    names = np.array([p[1] if en else p[0] for p in PROBLEMS], dtype=object)
    weights = np.array([p[2] for p in PROBLEMS], dtype=float)
    has_problem = rng.random(n) < np.clip(0.42 - 0.22 * quality, 0.08, 0.85)
    problem = names[rng.choice(len(names), n, p=weights / weights.sum())]
    problem = np.where(unanswered & (rng.random(n) < 0.6), names[0], problem)  # abandoned: waited
    has_problem |= unanswered & (rng.random(n) < 0.6)
    return crit_i, crit_reason, has_problem, problem


def _rubric_columns(
    df: pd.DataFrame,
    rng: np.random.Generator,
    n: int,
    dims: dict[str, np.ndarray],
    ans: np.ndarray,
    service: np.ndarray,
) -> None:
    """The rubric columns: blank for unanswered and unreviewed contacts, a few N/A."""
    not_reviewed = rng.random(n) < 0.02
    for k in RUBRIC_KEYS:
        v = dims[k].astype(object)
        v[~ans | not_reviewed] = None  # unanswered and unreviewed contacts: no ratings
        df[k] = v
    df.loc[(rng.random(n) < 0.03) & ans, "records"] = "N/A"
    df.loc[(rng.random(n) < 0.02) & ans & (service == "inquiry"), "solving"] = "N/A"


def _descriptions_and_notes(
    df: pd.DataFrame,
    rng: np.random.Generator,
    n: int,
    lang: str,
    quality: np.ndarray,
    problem: np.ndarray,
    has_problem: np.ndarray,
    ans: np.ndarray,
) -> None:
    """Problem descriptions (a few tricky texts among them) and the QC notes."""
    mood = np.array(MOODS[lang], dtype=object)[np.clip((1 - quality).astype(int), 0, 2)]
    tmpl = np.array(DESCRIPTIONS[lang], dtype=object)[rng.integers(0, 3, n)]
    desc = [
        t.format(p=p, m=m) if hp else None
        for t, p, m, hp in zip(tmpl, problem, mood, has_problem, strict=True)
    ]
    tricky = np.flatnonzero(rng.random(n) < 0.004)
    for j, i in enumerate(tricky):
        desc[i] = TRICKY[j % len(TRICKY)]
    df["problem_description"] = desc
    note = np.full(n, None, dtype=object)
    note[quality > 1.3] = GOOD_NOTES[lang]
    note[(quality < -0.9) & ans] = BAD_NOTES[lang]
    df["qc_note"] = note

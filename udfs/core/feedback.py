"""Feedback for each agent: one agent's figures of the report period beside the team's.

:func:`agent_feedback` turns an :class:`~udfs.core.analysis.Analysis` (and the read
workbook, for the cases' text) into one :class:`AgentFeedback` per agent of the period:
score, grade, rank band, the rubric dimensions against the team (strengths and
weaknesses, with the library's recommendation for each weakness), the agent's good cases
and cases to improve with the reviewers' notes, and the improvement actions linked to the
problems of their contacts.  Nothing in a view names another agent: their ids are
removed from every free text it carries, and customer ids are masked.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from .config import Indicator

if TYPE_CHECKING:
    from .data import WorkbookData
    from .model import Analysis

FEEDBACK_KPIS = (
    "contacts",
    "qa_score_mean",
    "composite_score",
    "qc_pass_rate",
    "csat_mean",
    "csat_pct",
    "fcr",
    "avg_first_response_s",
    "service_level",
    "answer_rate",
)
"""The figures an agent sees beside the team's, in this order."""


def _team_figures(an: Analysis) -> dict[str, Any]:
    """The team's side of the comparison: the team's rates and means, and for the count of
    contacts the per-agent average (the team's total would dwarf any one agent's)."""
    out = {k: an.headline.get(k) for k in FEEDBACK_KPIS}
    total, agents = out.get("contacts"), an.n_agents
    out["contacts"] = round(total / agents, 1) if total is not None and agents else None
    return out


MAX_POINTS = 2
"""Strengths / weaknesses named."""
HIDDEN = "***"
"""What another agent's id becomes in a free text of an agent's file."""
_TEXT_COLUMNS = ("problem_description", "qc_note", "critical_error", "reviewer")


@dataclass(frozen=True)
class DimensionCompare:
    """One rubric dimension: the agent's mean rating against the team's (1-5)."""

    indicator: Indicator
    agent: float | None
    team: float | None

    @property
    def diff(self) -> float | None:
        return None if self.agent is None or self.team is None else self.agent - self.team


@dataclass
class AgentFeedback:
    """What one agent's feedback file holds (see the module docstring)."""

    agent_id: str
    team: str | None
    figures: dict[str, Any]
    team_figures: dict[str, Any]
    grade: str | None
    rank: int | None
    ranked: int
    band: str | None
    """``top``, ``middle`` or ``bottom`` third of the ranked agents; None when not ranked."""
    scored: int
    dimensions: list[DimensionCompare]
    strengths: list[DimensionCompare]
    weaknesses: list[DimensionCompare]
    advice: dict[str, dict[str, str]]
    """Recommendation for each weak dimension: dimension key -> {lang: text}."""
    good_cases: pd.DataFrame
    bad_cases: pd.DataFrame
    actions: pd.DataFrame
    others_hidden: int = 0
    """How many other agents' ids were removed from free text."""
    notes: list[str] = field(default_factory=list)


def rank_band(rank: int | None, ranked: int) -> str | None:
    """The third of the ranked agents a rank falls in (a band, not the exact place)."""
    if rank is None or ranked < 1:
        return None
    third = math.ceil(ranked / 3)
    if rank <= third:
        return "top"
    if rank > ranked - third:
        return "bottom"
    return "middle"


@functools.lru_cache(maxsize=64)
def _id_pattern(others: tuple[str, ...]) -> re.Pattern[str]:
    """Other agents' ids as whole tokens: never inside a word or a number (``1`` is not
    hidden in ``12`` nor in ``2026-10-21``, ``Li`` not in ``Lily``); the longest first."""
    alts = "|".join(re.escape(o) for o in sorted(others, key=len, reverse=True))
    return re.compile(
        rf"(?<![A-Za-z0-9_])(?<![0-9][-./:,])(?:{alts})(?![A-Za-z0-9_])(?![-./:,][0-9])"
    )


def _scrub(value: Any, others: list[str]) -> tuple[Any, int]:
    others = [o for o in others if o]
    if not isinstance(value, str) or not others:
        return value, 0
    value, n = _id_pattern(tuple(others)).subn(HIDDEN, value)
    return value, n


def _scrub_frame(
    frame: pd.DataFrame, cols: tuple[str, ...], others: list[str]
) -> tuple[pd.DataFrame, int]:
    out = frame.copy()
    hidden = 0
    for c in cols:
        if c not in out.columns:
            continue
        values = []
        for v in out[c]:
            v2, n = _scrub(v, others)
            hidden += n
            values.append(v2)
        out[c] = values
    return out, hidden


def agent_feedback(data: WorkbookData, an: Analysis) -> list[AgentFeedback]:
    """One view per agent of the report period (agents in ranking order)."""
    from .analysis import plain
    from .cases import typical_cases

    cur = an.contacts
    if not len(cur) or "agent_id" not in cur.columns:
        return []
    ids = [str(a) for a in an.agents["agent_id"]]
    by_length = sorted(ids, key=len, reverse=True)
    ranked = int(an.agents["rank"].notna().sum())
    inds = [i for i in an.config.contact_indicators if i.source in cur.columns]
    team_means = {i.source: plain(cur[i.source].mean()) for i in inds}
    views: list[AgentFeedback] = []
    for row in an.agents.to_dict("records"):
        agent = str(row["agent_id"])
        others = [a for a in by_length if a != agent]
        mine = cur[cur["agent_id"].astype(str) == agent]
        dims = [
            DimensionCompare(i, plain(mine[i.source].mean()), team_means[i.source]) for i in inds
        ]
        rated = [d for d in dims if d.diff is not None]
        strengths = sorted((d for d in rated if (d.diff or 0) >= 0), key=lambda d: -(d.diff or 0))
        weaknesses = sorted((d for d in rated if (d.diff or 0) < 0), key=lambda d: d.diff or 0)
        weaknesses = weaknesses[:MAX_POINTS]
        advice = {
            d.indicator.source: {
                lang: an.library[lang][d.indicator.source]
                for lang in ("zh", "en")
                if d.indicator.source in an.library.get(lang, {})
            }
            for d in weaknesses
        }
        good, bad = typical_cases(mine, data.monitoring, an.config)
        good, n1 = _scrub_frame(good, _TEXT_COLUMNS, others)
        bad, n2 = _scrub_frame(bad, _TEXT_COLUMNS, others)
        actions, n3 = _linked_actions(an, mine, agent, others)
        rank = plain(row.get("rank"))
        views.append(
            AgentFeedback(
                agent_id=agent,
                team=row.get("team") if isinstance(row.get("team"), str) else None,
                figures={k: plain(row.get(k)) for k in FEEDBACK_KPIS},
                team_figures=_team_figures(an),
                grade=row.get("grade"),
                rank=None if rank is None else int(rank),
                ranked=ranked,
                band=rank_band(None if rank is None else int(rank), ranked),
                scored=int(row.get("scored") or 0),
                dimensions=dims,
                strengths=strengths[:MAX_POINTS],
                weaknesses=weaknesses,
                advice=advice,
                good_cases=good,
                bad_cases=bad,
                actions=actions,
                others_hidden=n1 + n2 + n3,
            )
        )
    return views


EFFECT_KEYS = ("before", "before_n", "after", "after_n", "state", "metric_key")
"""The re-measured effect of a linked action (:mod:`udfs.core.loop`), beside its status."""


def _with_effects(part: pd.DataFrame, an: Analysis, rows: pd.DataFrame) -> pd.DataFrame:
    """``part`` with each action's re-measured effect (blank where none)."""
    e = an.loop.effects
    by_row = {r: i for i, r in enumerate(e["_row"])} if len(e) and "_row" in e.columns else {}
    src = rows["_row"].tolist() if "_row" in rows.columns else [None] * len(rows)
    for k in EFFECT_KEYS:
        part[k] = [e[k].iloc[by_row[r]] if r in by_row else None for r in src]
    return part


def _linked_actions(
    an: Analysis, mine: pd.DataFrame, agent: str, others: list[str]
) -> tuple[pd.DataFrame, int]:
    """The actions on the problems of the agent's contacts, or owned by the agent."""
    a = an.actions
    cols = ["action_no", "measure", "problem", "owner", "planned_date", "actual_date",
            "status_key", "days"]  # fmt: skip
    if not len(a):
        return pd.DataFrame(columns=cols), 0
    problems: set[str] = set()
    if "problem_category" in mine.columns:
        problems = {str(p).strip() for p in mine["problem_category"].dropna() if str(p).strip()}
    linked = a["problem"].map(lambda p: isinstance(p, str) and p.strip() in problems)
    owned = a["owner"].map(lambda o: isinstance(o, str) and o.strip() == agent)
    if "scope_agent" in a.columns:  # an action scoped to this agent (the improvement loop)
        owned |= a["scope_agent"].map(lambda o: o is not None and str(o).strip() == agent)
    part = a[(linked | owned).to_numpy(dtype=bool)][[c for c in cols if c in a.columns]].copy()
    part = _with_effects(part, an, a[(linked | owned).to_numpy(dtype=bool)])
    # an owner who is another agent is not named in this agent's file
    part["owner"] = [
        o if isinstance(o, str) and o.strip() not in others else None for o in part["owner"]
    ]
    return _scrub_frame(part.reset_index(drop=True), ("measure", "problem", "owner"), others)

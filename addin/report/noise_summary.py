"""``summary.json``'s sampling-noise entries: the headline KPIs' verdicts against the
previous period, the team's 95 % interval of the mean QA score and each agent's."""

from __future__ import annotations

from typing import Any

from udfs.core.analysis import plain, records
from udfs.core.model import Analysis


def noise_summary(an: Analysis) -> dict[str, Any]:
    """``change_verdicts`` (KPI -> up/down/stable/None), ``team_score_interval`` and
    ``agent_intervals`` (agent id -> ci_low, ci_high, singled_out)."""
    lo, hi = an.team_score_interval
    return {
        "change_verdicts": dict(an.change_verdicts),
        "team_score_interval": None if lo is None else [plain(lo), plain(hi)],
        "agent_intervals": {
            str(r["agent_id"]): {
                "ci_low": r.get("ci_low"),
                "ci_high": r.get("ci_high"),
                "singled_out": bool(r.get("singled_out")),
            }
            for r in records(an.agents)
        },
    }

"""Agents on operational KPIs (issue 23, item 11): per agent the contacts, answer rate,
FCR, average speed of answer (first response), talk time (handle time), CSAT mean and
service level, from a population export before any rubric scoring.

The agents are ranked by the composite of :func:`udfs.core.metrics.composite_of` (the
Config sheet's team indicators, a missing one skipped and the weights re-spread).  When
no contact of the period has a QA score, that ranking rests on the operational KPIs only
(CSAT, FCR, first response), and :attr:`AgentOps.basis` says so (``operational``);
with QA scores it is the usual composite (``composite``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .config import DEFAULT_CONFIG, ScoringConfig
from .metrics import composite_of

OPS_KPIS: tuple[str, ...] = (
    "contacts",
    "answer_rate",
    "fcr",
    "avg_first_response_s",
    "avg_handle_time_s",
    "csat_mean",
    "service_level",
)
"""The operational KPIs of the table, in column order."""


@dataclass
class AgentOps:
    """The agent table: ``agent_id``, :data:`OPS_KPIS`, ``composite``, ``rank`` (1 best; none below the
    Config sheet's minimum contacts per agent);
    ``basis``: ``operational`` (no QA score in the period) or ``composite``."""

    table: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["agent_id", *OPS_KPIS, "composite", "rank"])
    )
    basis: str = "operational"


def agent_operations(
    agents: pd.DataFrame, scored: bool, config: ScoringConfig = DEFAULT_CONFIG
) -> AgentOps:
    """The per-agent operational table from the period's per-agent figures ``agents``
    (``Analysis.agents``: :func:`udfs.core.metrics.summary` per agent); ``scored``: some
    contact of the period has a QA score."""
    if not len(agents) or "agent_id" not in agents.columns:
        return AgentOps()
    basis = "composite" if scored else "operational"
    comp = []
    for r in agents.to_dict("records"):
        m = {str(k): v for k, v in r.items()}
        if not scored:
            m["qa_score_mean"] = None
        comp.append(composite_of(m, config))
    table = pd.DataFrame({"agent_id": agents["agent_id"].tolist()})
    for k in OPS_KPIS:
        table[k] = agents[k].to_numpy() if k in agents.columns else np.nan
    table["composite"] = comp
    # ranked like the Agents sheet: only agents with enough contacts
    enough = table["contacts"].to_numpy(dtype=float) >= config.min_agent_sample
    order = table["composite"].where(enough).rank(method="min", ascending=False)
    table["rank"] = [None if x != x else int(x) for x in order.tolist()]
    table = table.sort_values(["rank", "agent_id"], na_position="last", kind="stable")
    return AgentOps(table.reset_index(drop=True), basis)

"""The summary.json entries of issue 20: process steps and the customer side (the headline
already holds ``process_compliance`` and ``repeat_complaint_rate``)."""

from __future__ import annotations

from typing import Any

from udfs.core.analysis import records
from udfs.core.model import Analysis


def seed_summary(an: Analysis) -> dict[str, Any]:
    """``process`` (per step, agent, channel) and ``customers`` (per level, mystery
    shoppers, feedback sources by problem category and hour); absent parts are empty."""
    return {
        "process": {
            "steps": records(an.process_steps),
            "by_agent": records(an.process_by_agent),
            "by_channel": records(an.process_by_channel),
        },
        "customers": {
            "by_level": records(an.customer_levels),
            "weakest_level": an.weakest_level,
            "mystery_shopper": records(an.mystery),
            "feedback_by_category": records(an.feedback_by_category),
            "feedback_by_hour": records(an.feedback_by_hour),
        },
    }

"""``summary.json``'s improvement loop: ``actions`` (one entry per action with its status,
re-measured effect and tracking) and ``action_loop`` (the overdue, stale, slipped and
re-verification lists, the effect-state counts, the SOP register and the call-backs);
serialised from :attr:`udfs.core.model.Analysis.loop`, nothing computed here."""

from __future__ import annotations

from typing import Any

from udfs.core.analysis import plain, records
from udfs.core.model import Analysis


def _no(v: Any) -> str | None:
    v = plain(v)
    return None if v is None else str(v)


def loop_summary(an: Analysis) -> dict[str, Any]:
    """The ``actions`` and ``action_loop`` keys (see docs/qa-cycle.md)."""
    loop = an.loop
    effects = {r["_row"]: r for r in records(loop.effects)} if len(loop.effects) else {}
    tracking = {r["_row"]: r for r in records(loop.tracking)} if len(loop.tracking) else {}
    sop = {r["_row"]: r for r in records(loop.sop_register)} if len(loop.sop_register) else {}
    cbs = {r["_row"]: r for r in records(loop.callbacks)} if len(loop.callbacks) else {}
    actions = []
    for a in records(an.actions):
        row = a.get("_row")
        e = effects.get(row, {})
        t = tracking.get(row, {})
        cb = cbs.get(row)
        actions.append(
            {
                "no": _no(a.get("action_no")),
                "measure": a.get("measure"),
                "problem": a.get("problem"),
                "owner": a.get("owner"),
                "status": a.get("status_key"),
                "days_late": a.get("days_late"),
                "metric": e.get("metric_key") or a.get("metric"),
                "before": e.get("before"),
                "before_n": e.get("before_n"),
                "before_window": [e.get("before_start"), e.get("before_end")] if e else None,
                "after": e.get("after"),
                "after_n": e.get("after_n"),
                "after_window": [e.get("after_start"), e.get("after_end")] if e else None,
                "typed_after": e.get("typed_after"),
                "target": e.get("target"),
                "state": e.get("state"),
                "progress": t.get("progress"),
                "last_update": t.get("last_update"),
                "stale": bool(t.get("stale")) if t else False,
                "slip_days": t.get("slip_days"),
                "sop_document": sop[row]["sop_document"] if row in sop else None,
                "callbacks": None
                if cb is None
                else {
                    k: cb[k]
                    for k in ("resolved", "unresolved", "unreachable", "called", "resolved_rate")
                },
            }
        )
    return {
        "actions": actions,
        "action_loop": {
            "settings": dict(vars(loop.settings)),
            "effect_states": dict(loop.state_counts),
            "overdue": [_no(v) for v in an.overdue["action_no"]] if len(an.overdue) else [],
            "stale": [_no(v) for v in loop.stale["action_no"]] if len(loop.stale) else [],
            "slipped": [_no(v) for v in loop.slipped["action_no"]] if len(loop.slipped) else [],
            "reverify_due": [_no(v) for v in loop.reverify_due["action_no"]]
            if len(loop.reverify_due)
            else [],
            "sop_register": [
                {"no": _no(r["action_no"]), "sop_document": r["sop_document"], "state": r["state"]}
                for r in records(loop.sop_register)
            ],
        },
    }

"""``summary.json``'s scope keys (issue 19), laid out from the analysis:

- ``filter``: ``null``, or ``{"fields": {FIELD: [values]}, "text": "专项评价：…"}``;
- ``compare``: ``null``, or ``{"period", "period_start", "period_end", "contacts",
  KPI..., "changes": {KPI: change}}`` (the baseline's headline and this period minus it);
- ``segments``: ``null``, or ``{"by", "min_contacts", "rows": [{"value", "label",
  "members", "contacts", "share", KPI..., "slow_share", "pareto": [...], "findings":
  [...], "compare": {KPI...} | null}]}``;
- ``teams``: ``null``, or the roll-up's ``{"combined": [files], "lacking": [teams],
  "rows": [{"team", "contacts", "share", KPI..., "rank", "targets_missed": [...]}]}``.
"""

from __future__ import annotations

from typing import Any

from udfs.core.analysis import plain, records
from udfs.core.model import Analysis
from udfs.core.segments import SEGMENT_KPIS, Segment


def _kpis(d: dict[str, Any] | None) -> dict[str, Any]:
    return {k: plain((d or {}).get(k)) for k in SEGMENT_KPIS}


def _row(r: Segment, lang: str) -> dict[str, Any]:
    return {
        "value": r.value,
        "label": r.label[lang],
        "members": list(r.members),
        "contacts": r.contacts,
        "share": r.share,
        **_kpis(r.kpis),
        "slow_share": r.slow_share,
        "targets_missed": [k for k, c in r.targets.items() if not c.met],
        "pareto": [
            {
                "problem": p["problem"],
                "count": int(p["count"]),
                "share": p["share"],
                "class": p["pareto_class"],
            }  # fmt: skip
            for p in records(r.pareto)
        ],
        "findings": [
            {
                "kind": f["kind"],
                "metric": f["metric"],
                "value": plain(f["value"]),
                "comparison": plain(f["comparison"]),
                "text": f["text"][lang],
            }  # fmt: skip
            for f in r.findings
        ],
        "compare": _kpis(r.compare) if r.compare is not None else None,
        "rank": r.rank,
    }


def scope_summary(an: Analysis, lang: str) -> dict[str, Any]:
    """The ``filter``, ``compare``, ``segments`` and ``teams`` keys."""
    out: dict[str, Any] = {"filter": None, "compare": None, "segments": None, "teams": None}
    if an.scope_filter:
        out["filter"] = {
            "fields": {f: list(v) for f, v in an.scope_filter},
            "text": an.filter_label.get(lang),
        }
    cp = an.compare_period
    if cp is not None:
        base = an.compare or {}
        out["compare"] = {
            "period": cp.label,
            "period_start": cp.start.isoformat(),
            "period_end": cp.end.isoformat(),
            **(_kpis(an.compare) if an.compare else {"contacts": 0}),
            "changes": {
                k: (
                    None
                    if base.get(k) is None or an.headline.get(k) is None
                    else an.headline[k] - base[k]
                )  # fmt: skip
                for k in SEGMENT_KPIS
                if k not in ("grade",)
            },
        }
    if an.segments is not None:
        out["segments"] = {
            "by": an.segments.by,
            "min_contacts": an.segments.min_contacts,
            "rows": [_row(r, lang) for r in an.segments.rows],
        }
    if an.team_table is not None:
        out["teams"] = {
            "combined": list(an.combined),
            "lacking": list(an.lacking),
            "rows": [{"team": r.value, **_row(r, lang)} for r in an.team_table.rows],
        }
    return out

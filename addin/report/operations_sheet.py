"""The Operations sheet (运营分布) and its ``summary.json`` keys (issue 23, items 10-11):
first response and handle time median / P80 / P90 overall, by channel and by hour, the
CSAT distribution, abandonment by hour and weekday, and the agents on operational KPIs
(ranked on them only when the period has no QA score, and labelled so).  The figures are
the analysis's (:mod:`udfs.core.distributions`, :mod:`udfs.core.agent_ops`)."""

from __future__ import annotations

from typing import Any

from udfs.core.analysis import plain
from udfs.core.fields import choice_label
from udfs.core.hours import WEEKDAYS
from udfs.core.model import Analysis

from .labels import label, metric_label
from .layout import METRIC_FORMATS, Sheet, Writer


def _group(by: str, group: Any, lang: str) -> str:
    if by == "all":
        return label("op_all", lang)
    if by == "hour":
        return f"{int(group):02d}:00"
    return choice_label("channel", group, lang) or str(group)


def operations_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    d = an.distributions
    s = Sheet(w, "sh_operations", [16, 12, 10, 12, 14, 14, 12, 12, 12])
    s.title(f"{label('op_title', lang)} — {an.period or '-'}")
    s.heading(label("op_times", lang))
    s.header(
        [
            label("op_metric", lang),
            label("op_group", lang),
            label("op_n", lang),
            label("op_median", lang),
            label("op_p80", lang),
            label("op_p90", lang),
        ]
    )
    for r in d.percentiles.to_dict("records"):
        s.cells(
            [
                label(f"op_{r['metric']}", lang),
                _group(r["by"], r["group"], lang),
                r["n"],
                plain(r["median"]),
                plain(r["p80"]),
                plain(r["p90"]),
            ],
            ["text", "text", "int", "dec1", "dec1", "dec1"],
        )
    s.gap()
    s.heading(label("op_csat", lang))
    s.header([label("op_rating", lang), label("op_n", lang), label("op_share", lang)])
    total = sum(d.csat_counts.values())
    for rating, n in d.csat_counts.items():
        s.cells([rating, n, n / total if total else None], ["int", "int", "pct"])
    s.gap()
    s.heading(label("op_abandon", lang))
    s.header(
        [
            label("hr_hour", lang),
            label("op_n", lang),
            label("op_unanswered", lang),
            label("op_share", lang),
            "",
            label("hr_weekday", lang),
            label("op_n", lang),
            label("op_unanswered", lang),
            label("op_share", lang),
        ]
    )
    days = d.abandon_by_weekday.to_dict("records") if len(d.abandon_by_weekday) else []
    for i, r in enumerate(d.abandon_by_hour.to_dict("records") if len(d.abandon_by_hour) else []):
        values: list[Any] = [f"{int(r['hour']):02d}:00", r["contacts"], r["unanswered"], r["share"]]
        fmts: list[str | None] = ["text", "int", "int", "pct"]
        if i < len(days):
            day = days[i]
            values += [None, WEEKDAYS[int(day["weekday"])][0 if lang == "en" else 1],
                       day["contacts"], day["unanswered"], day["share"]]  # fmt: skip
            fmts += ["plain", "text", "int", "int", "pct"]
        s.cells(values, fmts)
    s.gap()
    ops = an.agent_ops
    s.heading(label("op_agents", lang))
    s.note(label(f"op_basis_{ops.basis}", lang))
    keys = ["contacts", "answer_rate", "fcr", "avg_first_response_s", "avg_handle_time_s",
            "csat_mean", "service_level"]  # fmt: skip
    s.header(
        [
            label("rank", lang),
            label("agent", lang),
            *(metric_label(k, lang, short=True) for k in keys),
        ]
    )
    for r in ops.table.to_dict("records"):
        s.cells(
            [plain(r["rank"]), r["agent_id"], *(plain(r[k]) for k in keys)],
            ["int", "text", *(METRIC_FORMATS[k] for k in keys)],
        )
    if an.backlog is not None:
        _backlog(s, an.backlog, lang)


def _backlog(s: Sheet, b: dict[str, Any], lang: str) -> None:
    """The ticket backlog (issue 23, item 12; :mod:`udfs.core.backlog`)."""
    s.gap()
    s.heading(label("bl_title", lang, end=b["period_end"]))
    s.note(label("bl_note", lang, col=b["column"]))
    s.header([label("bl_age", lang), label("bl_tickets", lang)])
    for band, n in b["by_age"].items():
        s.cells([label(f"bl_{band}", lang), n], ["text", "int"])
    s.cells([label("bl_total", lang), b["open_at_end"]], ["text", "int"])

    def hours(v: Any) -> str:
        return "-" if v is None else f"{v:.1f}"

    mean, median = hours(b["resolution_h_mean"]), hours(b["resolution_h_median"])
    s.note(label("bl_resolution", lang, n=b["closed"], mean=mean, median=median))
    if b["no_created_time"]:
        s.note(label("bl_no_time", lang, n=b["no_created_time"], open=b["no_created_time_open"]))


def operations_summary(an: Analysis) -> dict[str, Any]:
    """``summary.json`` ``distributions`` and ``agent_operations``."""
    d = an.distributions

    def records(df: Any) -> list[dict[str, Any]]:
        return (
            [{k: plain(v) for k, v in r.items()} for r in df.to_dict("records")] if len(df) else []
        )

    return {
        "distributions": {
            "time_percentiles": records(d.percentiles),
            "csat_counts": {str(k): v for k, v in d.csat_counts.items()},
            "abandonment_by_hour": records(d.abandon_by_hour),
            "abandonment_by_weekday": records(d.abandon_by_weekday),
        },
        "agent_operations": {
            "ranked_on": an.agent_ops.basis,
            "agents": records(an.agent_ops.table),
        },
    }

"""The evaluation report as an xlsx workbook: one sheet per part of SPEC section 8.

:func:`write_report` lays out an :class:`~udfs.core.analysis.Analysis` with native charts,
in Chinese or English, and writes it atomically.  Every figure comes from the analysis;
this module only chooses labels, number formats and places.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Any

import pandas as pd

from udfs import __version__
from udfs.core.actions import status_text
from udfs.core.analysis import Analysis, IndicatorRow, analyse, plain
from udfs.core.config import GROUP_LABELS
from udfs.core.data import WorkbookData
from udfs.core.fields import choice_label
from udfs.core.periods import parse_period
from udfs.core.privacy import mask_id
from udfs.core.scoring import grade_label
from workbook_templates.output import atomic_path

from . import charts
from .conclusions_sheet import conclusions_sheet
from .hours_sheet import hours_sheet
from .labels import ACTION_COLUMNS, label, metric_label
from .layout import METRIC_FORMATS, Sheet, Writer
from .qa_cycle import write_qa_cycle

MAX_FINDINGS_ROWS = 50_000
"""Findings written cell by cell; beyond this the sheet says how many more there are."""


def write_report(
    data: WorkbookData,
    out_path: str | os.PathLike[str],
    *,
    lang: str = "zh",
    as_of: _dt.date,
    analysis: Analysis | None = None,
) -> Path:
    """Write the evaluation report workbook atomically; returns ``out_path``."""
    lang = "en" if lang == "en" else "zh"
    an = analysis if analysis is not None else analyse(data, as_of)
    out_path = Path(out_path)
    with atomic_path(out_path) as tmp:
        w = Writer(tmp, an, lang)
        _overview(w)
        conclusions_sheet(w)
        _indicators(w)
        _agents(w)
        _channels(w)
        _trend_sheet(w)
        hours_sheet(w)
        _pareto_sheet(w)
        _actions_sheet(w)
        _cases_sheet(w)
        write_qa_cycle(w)
        _quality(w)
        _method(w)
        w.wb.close()
    return out_path


def _nd(v: Any, lang: str) -> Any:
    return label("no_data", lang) if v is None else v


def _overview(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_overview", [32, 44, 11, 11, 10])
    s.ws.fit_to_pages(1, 1)  # the page a manager reads first: one page
    s.title(label("title", lang))
    h = an.headline
    sep = "、" if lang == "zh" else ", "

    def choice(name: str, keys: list[str]) -> str:
        return sep.join(choice_label(name, k, lang) for k in keys)

    first, last = (an.periods[0], an.periods[-1]) if an.periods else ("-", "-")
    rows: list[tuple[str, Any, str | None]] = [
        (label("source", lang), an.source or "-", "text"),
        (label("teams", lang), sep.join(an.teams) or "-", "wrap"),
        (label("agents_n", lang), an.n_agents, "int"),
        (label("report_period", lang), _period_line(an, lang), "text"),
        (
            label("data_range", lang),
            f"{first} – {last} ({len(an.periods)} {label('months', lang)})",
            "text",
        ),
        (label("channels", lang), choice("channel", an.channels) or "-", "wrap"),
        (label("service_types", lang), choice("service_type", an.service_types) or "-", "wrap"),
        (label("sample_size", lang), h["contacts"], "int"),
        (label("sample_all", lang), an.contacts_total, "int"),
        (
            label("sampling_ratio", lang),
            an.sampling_ratio if an.sampling_ratio is not None else label("unknown", lang),
            "pct",
        ),
        (label("as_of", lang), an.as_of, "date"),
        (
            label("quality_line", lang),
            label("quality_counts", lang, e=an.errors, w=an.warnings),
            "text",
        ),
    ]
    for name, v, fmt in rows:
        s.cells([name, v], ["label", fmt])
    s.gap()
    overall = an.targets.get("composite_score")
    if overall is None:
        s.cells(
            [label("overall", lang), _nd(h.get("composite_score"), lang)],
            ["label", "big" if h.get("composite_score") is not None else "big_text"],
        )
    else:
        s.cells(
            [
                label("overall", lang),
                overall.value,
                overall.target,
                overall.gap,
                label("met_yes" if overall.met else "met_no", lang),
            ],
            ["label", "big", "dec1", "d_dec1", "good" if overall.met else "bad"],
        )
    s.cells(
        [label("overall_grade", lang), grade_label(h.get("grade"), lang) or label("no_data", lang)],
        ["label", "big_text"],
    )
    s.gap()
    s.heading(label("headline", lang))
    s.header(
        [
            label("metric", lang),
            label("value", lang),
            label("kpi_target", lang),
            label("gap", lang),
            label("met_status", lang),
        ]
    )
    for key, fmt in METRIC_FORMATS.items():
        if key == "composite_score":
            continue
        c = an.targets.get(key)
        if c is None:
            s.cells([metric_label(key, lang), _nd(h.get(key), lang)], ["label", fmt])
            continue
        met = label("met_yes" if c.met else "met_no", lang)
        s.cells(
            [metric_label(key, lang), c.value, c.target, c.gap, met],
            ["label", fmt, fmt, f"d_{fmt}", "good" if c.met else "bad"],
        )
    s.note(label("targets_note", lang))


def _value_format(table: str, r: IndicatorRow) -> str:
    """Team indicators show their KPI's own format; rubric dimensions a mean rating."""
    if table == "ind_dims" or r.indicator is None:
        return "dec2"
    return METRIC_FORMATS.get(r.indicator.source, "dec1")


def _unit(table: str, r: IndicatorRow, lang: str) -> str:
    """The unit of an indicator line's value (and of its changes)."""
    if r.kind == "group":
        return label("u_points", lang)
    src = r.indicator.source if r.indicator is not None else ""
    if table == "ind_dims" or src == "csat_mean":
        return label("u_rating", lang)
    if METRIC_FORMATS.get(src) == "pct":
        return label("u_pct", lang)
    if src.endswith("_s"):
        return label("u_s", lang)
    if src.endswith("_h"):
        return label("u_h", lang)
    if src == "nps":
        return label("u_nps", lang)
    return label("u_points", lang)


def _indicators(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_indicators", [14, 26, 8, 11, 10, 9, 12, 12, 12, 12])
    s.title(f"{label('ind_title', lang)} — {an.period or '-'}")
    cols = [
        label("group", lang),
        label("indicator", lang),
        label("weight", lang),
        label("unit", lang),
        label("value", lang),
        label("points", lang),
        label("prev_month", lang),
        label("vs_prev", lang),
        label("last_year", lang),
        label("vs_year_ago", lang),
    ]
    for title_key, rows in (("ind_team", an.team_indicators), ("ind_dims", an.dim_indicators)):
        s.heading(label(title_key, lang))
        s.header(cols)
        sizes: dict[str, int] = {}
        for r in rows:
            if r.kind == "indicator":
                sizes[r.group] = sizes.get(r.group, 0) + 1
        for r in rows:
            g = GROUP_LABELS[r.group][0 if lang == "zh" else 1]
            if r.kind == "group":
                if sizes.get(r.group, 0) < 2:
                    continue  # its score is its one indicator's points, shown on that line
                s.cells(
                    [
                        g,
                        label("group_score", lang, g=g),
                        None,
                        _unit(title_key, r, lang),
                        None,
                        r.value,
                        r.prev,
                        r.vs_prev,
                        r.last_year,
                        r.vs_year_ago,
                    ],
                    ["group", "group", "group", "group", "group", "group_dec1", "group_dec1",
                     "group_d_dec1", "group_dec1", "group_d_dec1"],
                )  # fmt: skip
            else:
                fmt = _value_format(title_key, r)
                assert r.indicator is not None
                s.cells(
                    [
                        g,
                        r.indicator.label(lang),
                        r.weight,
                        _unit(title_key, r, lang),
                        _nd(r.value, lang),
                        r.points,
                        r.prev,
                        r.vs_prev,
                        r.last_year,
                        r.vs_year_ago,
                    ],
                    ["text", "text", "dec1", "text", fmt, "dec1", fmt, f"d_{fmt}", fmt, f"d_{fmt}"],
                )
        s.gap()
    s.note(_change_note(an, lang))
    s.note(label("single_group_note", lang))


def _period_line(an: Analysis, lang: str) -> str:
    """``2024年Q3 (2024-07-01 至 2024-09-30)``."""
    rp = an.report_period
    if rp is None:
        return "-"
    span = label("report_period_given", lang, start=rp.start.isoformat(), end=rp.end.isoformat())
    return f"{rp.text(lang)} ({span})"


def _change_note(an: Analysis, lang: str) -> str:
    prev = an.previous_period.text(lang) if an.previous_period else "-"
    ly = an.last_year_period.text(lang) if an.last_year_period else "-"
    return label("change_note", lang, prev=prev, ly=ly)


def _agents(w: Writer) -> None:
    an, lang = w.an, w.lang
    cfg = an.config
    s = Sheet(w, "sh_agents", [8, 14, 12, 10, 11, 12, 10, 10, 12, 10, 34])
    s.title(f"{label('agents_title', lang)} — {an.period or '-'}")
    s.note(label("min_sample", lang, n=cfg.min_agent_sample))
    s.gap()
    cols = [
        label("rank", lang),
        label("agent", lang),
        label("team", lang),
        metric_label("contacts", lang),
        label("scored", lang),
        metric_label("qa_score_mean", lang),
        metric_label("csat_mean", lang),
        metric_label("fcr", lang, short=True),
        metric_label("composite_score", lang),
        label("grade", lang),
        label("note", lang),
    ]
    fmts = ["int", "text", "text", "int", "int", "dec1", "dec2", "pct", "dec1", "text", "text"]
    ag = an.agents

    def row(r: pd.Series) -> list[Any]:
        rank = plain(r["rank"])
        note = None if rank is not None else label("not_ranked", lang, n=cfg.min_agent_sample)
        return [
            rank,
            r["agent_id"],
            r.get("team"),
            r["contacts"],
            r["scored"],
            plain(r["qa_score_mean"]),
            plain(r["csat_mean"]),
            plain(r["fcr"]),
            plain(r["composite_score"]),
            grade_label(r["grade"], lang),
            note,
        ]

    for key, part in (("top3", an.top_agents), ("bottom3", an.bottom_agents)):
        s.heading(label(key, lang))
        s.header(cols)
        if not len(part):
            some_ranked = len(an.top_agents) > 0
            s.note(
                label("bottom_in_top" if key == "bottom3" and some_ranked else "no_ranked", lang)
            )
        for _, r in part.iterrows():
            s.cells(row(r), fmts)
        s.gap()
    s.heading(label("all_agents", lang))
    s.header(cols)
    for _, r in ag.iterrows():
        s.cells(row(r), fmts)


def _breakdown_block(s: Sheet, frame: pd.DataFrame, col: str, lang: str) -> tuple[int, int]:
    """One comparison table; returns its first and last data row (for a chart)."""
    keys = [
        "contacts",
        "answer_rate",
        "fcr",
        "csat_mean",
        "csat_pct",
        "avg_first_response_s",
        "service_level",
        "qa_score_mean",
        "qc_pass_rate",
        "composite_score",
    ]
    s.header(
        [label(col, lang), *(metric_label(k, lang, short=True) for k in keys), label("grade", lang)]
    )
    first = s.row
    for _, r in frame.iterrows():
        name = choice_label(col, r[col], lang) if r[col] is not None else label("blank", lang)
        s.cells(
            [name, *(plain(r[k]) for k in keys), grade_label(r["grade"], lang)],
            ["text", *(METRIC_FORMATS[k] for k in keys), "text"],
        )
    return first, s.row - 1


def _channels(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_channels", [14, 9, 10, 10, 11, 10, 11, 10, 10, 10, 11, 9])
    s.title(f"{label('ch_title', lang)} — {an.period or '-'}")
    s.heading(label("channel", lang))
    first, last = _breakdown_block(s, an.by_channel, "channel", lang)
    chart_row = s.row + 1
    s.gap(18)
    s.heading(label("service_type", lang))
    _breakdown_block(s, an.by_service_type, "service_type", lang)
    if last >= first:
        chart = charts.channel_efficiency(w, s, first, last, 6, 7, an.period or "-")
        s.ws.insert_chart(chart_row, 0, chart)


def _trend_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_trend", [12, 9, 11, 10, 10, 11, 10, 11, 10, 11, 9])
    s.title(label("trend_title", lang))
    keys = [
        "contacts",
        "qa_score_mean",
        "composite_score",
        "csat_mean",
        "csat_pct",
        "fcr",
        "service_level",
        "avg_first_response_s",
        "qc_pass_rate",
    ]
    s.header(
        [
            label("period", lang),
            *(metric_label(k, lang, short=True) for k in keys),
            label("grade", lang),
        ]
    )
    first = s.row
    periods = [parse_period(p) for p in an.trend["period"]]
    for p, (_, r) in zip(periods, an.trend.iterrows(), strict=True):
        s.cells(
            [p.short, *(plain(r[k]) for k in keys), grade_label(plain(r["grade"]), lang)],
            ["text", *(METRIC_FORMATS[k] for k in keys), "text"],
        )
    last = s.row - 1
    s.note(_change_note(an, lang))
    if last >= first:
        if periods[0].kind == "range":
            span = f"{periods[0].start.isoformat()} – {periods[-1].end.isoformat()}"
        else:
            span = f"{periods[0].label} – {periods[-1].label}"
        s.ws.insert_chart(s.row + 1, 0, charts.csat_trend(w, s, first, last, 4, span))
        chart = charts.score_trend(w, s, first, last, (2, 3), span)
        s.ws.insert_chart(s.row + 1, 5, chart, {"x_offset": 20})  # side by side: one page


def _pareto_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    cfg = an.config
    s = Sheet(w, "sh_pareto", [22, 8, 9, 11, 9, 8, 26, 26, 11])
    s.title(f"{label('pareto_title', lang)} — {an.period or '-'}")
    a_txt = f"{cfg.pareto_a:.0%}"
    s.note(label("pareto_note", lang, a=a_txt, b=f"{cfg.pareto_b:.0%}"))
    s.gap()
    s.header(
        [
            label("problem", lang),
            label("count", lang),
            label("share", lang),
            label("cumulative", lang),
            label("pareto_class", lang),
            label("line80", lang, p=a_txt),
            label("direct_cause", lang),
            label("root_cause", lang),
            label("cause_category", lang),
        ]
    )
    first = s.row
    for _, r in an.pareto.iterrows():
        cat = r.get("cause_category")
        cat = choice_label("cause_category", cat, lang) if isinstance(cat, str) else None
        s.cells(
            [
                r["problem"],
                r["count"],
                r["share"],
                r["cumulative"],
                r["pareto_class"],
                cfg.pareto_a,
                r.get("direct_cause"),
                r.get("root_cause"),
                cat,
            ],
            ["text", "int", "pct", "pct", "text", "pct", "wrap", "wrap", "text"],
        )
    last = s.row - 1
    if last < first:
        s.note(label("no_problems", lang))
        return
    bars = w.wb.add_chart({"type": "column"})
    bars.add_series(
        {
            "name": label("count", lang),
            "categories": [s.name, first, 0, last, 0],
            "values": [s.name, first, 1, last, 1],
            "fill": {"color": "#4472C4"},
            "gap": 40,
            "data_labels": {"value": True, "font": {"size": 8}},
        }
    )
    line = w.wb.add_chart({"type": "line"})
    line.add_series(
        {
            "name": label("cumulative", lang),
            "categories": [s.name, first, 0, last, 0],
            "values": [s.name, first, 3, last, 3],
            "y2_axis": True,
            "marker": {"type": "circle", "size": 5},
            "line": {"color": "#ED7D31", "width": 2},
            "data_labels": {
                "value": True,
                "num_format": "0%",
                "position": "above",
                "font": {"size": 8},
            },
        }
    )
    line.add_series(
        {
            "name": label("line80", lang, p=a_txt),
            "categories": [s.name, first, 0, last, 0],
            "values": [s.name, first, 5, last, 5],
            "y2_axis": True,
            "line": {"color": "#C00000", "width": 1.5, "dash_type": "dash"},
            "marker": {"type": "none"},
        }
    )
    bars.combine(line)
    bars.set_title(
        w.chart_title(label("chart_pareto", lang), label("unit_count", lang), an.period or "-")
    )
    bars.set_y_axis(
        {"num_font": w.axis_font(), "name": label("count", lang), "name_font": w.axis_font()}
    )
    line.set_y2_axis({"min": 0, "max": 1, "num_format": "0%", "num_font": w.axis_font()})
    bars.set_x_axis({"num_font": {**w.axis_font(), "rotation": -30}})
    bars.set_legend({"position": "bottom", "font": w.axis_font()})
    bars.set_size({"width": 560, "height": 360})
    s.ws.insert_chart(s.row + 1, 0, bars)
    pie = charts.problem_pie(w, s, first, last, 2, an.period or "-")
    s.ws.insert_chart(s.row + 1, 6, pie, {"x_offset": 80})


def _actions_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_actions", [7, 30, 16, 10, 12, 12, 20, 12, 12, 10, 10, 10, 9])
    s.title(label("act_title", lang, d=an.as_of.isoformat()))
    a = an.actions
    if not len(a):
        s.note(label("no_actions", lang))
        return
    s.heading(label("act_status_counts", lang))
    counts = [(label(f"st_{k}", lang), n) for k, n in an.action_counts.items()]
    for r, (name, n) in enumerate(
        [(label("act_status_counts", lang), label("count", lang)), *counts]
    ):
        fmt = w.f["th"] if r == 0 else w.f["label"]
        s.ws.merge_range(s.row, 0, s.row, 1, name, fmt)  # the No. column alone is too narrow
        w.cell(s.ws, s.row, 2, n, "int" if r else "th")
        s.row += 1
    s.gap()
    texts = status_text(
        a["status_key"].to_numpy(dtype=object), a["days"].to_numpy(dtype=float), lang
    )
    base_cols = [label(k, lang) for k in (*ACTION_COLUMNS, "days_late")]

    def base(i: int, r: pd.Series) -> list[Any]:
        return [
            r["action_no"],
            r["measure"],
            r["problem"],
            r["owner"],
            plain(r["planned_date"]),
            plain(r["actual_date"]),
            texts[i],
            plain(r["days_late"]),
        ]

    base_f = ["text", "wrap", "wrap", "text", "date", "date", "text", "int"]
    s.heading(label("act_overdue", lang))
    over = an.overdue
    if not len(over):
        s.note(label("none_overdue", lang))
    else:
        s.header(base_cols)
        for i, r in over.iterrows():
            s.cells(base(i, r), [*base_f[:6], "bad", "int"])
    s.gap()
    s.heading(label("act_effect", lang))
    s.header(
        [
            label("action_no", lang),
            label("measure", lang),
            label("eff_metric", lang),
            label("baseline", lang),
            label("target", lang),
            label("after", lang),
            label("change", lang),
            label("met", lang),
        ]
    )
    for _, r in an.effects.iterrows():
        change = plain(r["change"])
        met = plain(r["met"])
        met_txt = None if met is None else label("yes" if met else "no", lang)
        fmt = _effect_format(r)
        s.cells(
            [
                r["action_no"],
                r["measure"],
                r["metric"],
                plain(r["baseline"]),
                plain(r["target"]),
                plain(r["after"]),
                change,
                met_txt,
            ],
            [
                "text",
                "wrap",
                "wrap",
                fmt,
                fmt,
                fmt,
                f"d_{fmt}",
                "good" if met else "bad" if met == 0 else "text",
            ],
        )
    s.gap()
    s.heading(label("act_all", lang))
    s.header(base_cols, repeat=True)
    for i, r in a.iterrows():
        st = r["status_key"]
        s.cells(base(i, r), [*base_f[:6], "bad" if st == "overdue" else "text", "int"])


def _effect_format(r: pd.Series) -> str:
    """A before/after effect in its metric's own format (% for a rate given as 0-1)."""
    fmt = METRIC_FORMATS.get(str(r.get("metric_key")), "dec2")
    values = [plain(r[c]) for c in ("baseline", "target", "after")]
    if fmt == "pct" and any(v is not None and abs(v) > 1 for v in values):
        return "dec1"  # typed as per cent (60 for 60 %): shown as typed
    return "int" if fmt == "int" else fmt


def _cases_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_cases", [12, 16, 9, 10, 13, 8, 8, 14, 12, 28, 24])
    s.title(f"{label('cases_title', lang)} — {an.period or '-'}")
    cols = [
        "contact_id",
        "contact_time",
        "agent",
        "channel",
        "customer",
        "score",
        "grade",
        "critical_error",
        "problem",
        "problem_description",
        "qc_note",
    ]
    fmts = [
        "text",
        "datetime",
        "text",
        "text",
        "text",
        "dec1",
        "text",
        "wrap",
        "wrap",
        "wrap",
        "wrap",
    ]
    for key, part in (("good_cases", an.good_cases), ("bad_cases", an.bad_cases)):
        s.heading(label(key, lang))
        if not len(part):
            s.note(label("no_cases", lang))
            s.gap()
            continue
        s.header([label(c, lang) for c in cols])
        for _, r in part.iterrows():
            ch = r.get("channel")
            s.cells(
                [
                    r.get("contact_id"),
                    plain(r.get("contact_time")),
                    r.get("agent_id"),
                    choice_label("channel", ch, lang) if isinstance(ch, str) else None,
                    r.get("customer_id"),
                    plain(r["score"]),
                    grade_label(r["grade"], lang),
                    r.get("critical_error"),
                    r.get("problem_category"),
                    r.get("problem_description"),
                    r.get("qc_note"),
                ],
                fmts,
            )
        s.gap()


def _quality(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_quality", [16, 9, 22, 60, 9])
    s.title(label("dq_title", lang))
    if not an.findings:
        s.note(label("dq_none", lang))
        return
    s.note(label("dq_note", lang))
    s.gap()
    s.header(
        [
            label("dq_sheet", lang),
            label("dq_cell", lang),
            label("dq_value", lang),
            label("dq_rule", lang),
            label("dq_severity", lang),
        ]
    )
    for f in an.findings[:MAX_FINDINGS_ROWS]:
        value = mask_id(f.value) if f.key == "customer_id" else f.value
        s.cells(
            [f.sheet, f.cell, value, f.rule, label(f.severity, lang)],
            ["text", "text", "text", "wrap", "bad" if f.severity == "error" else "text"],
        )
    if len(an.findings) > MAX_FINDINGS_ROWS:
        s.note(label("dq_more", lang, n=len(an.findings) - MAX_FINDINGS_ROWS))


def _method(w: Writer) -> None:
    an, lang = w.an, w.lang
    cfg = an.config
    s = Sheet(w, "sh_method", [30, 18, 14, 8, 22, 10, 16, 16])
    s.title(label("method_title", lang))
    for name, v, fmt in (
        (label("csq_version", lang), __version__, "text"),
        (label("as_of", lang), an.as_of, "date"),
        (label("as_of_rule", lang), label(f"as_of_rule_{an.as_of_rule}", lang), "wrap"),
        (label("input_file", lang), an.source or "-", "text"),
        (label("input_sha", lang), an.sha256 or "-", "wide"),
        (label("report_period", lang), an.period or "-", "text"),
        (label("period_rule", lang), label("period_rule_text", lang), "wrap"),
        (label("figures_rule", lang), label("figures_rule_text", lang), "wrap"),
    ):
        if fmt == "wrap":  # long text across the table's width
            s.ws.set_row(s.row, 30)
            s.ws.write_string(s.row, 0, name, w.f["label"])
            s.ws.merge_range(s.row, 1, s.row, 7, str(v), w.f["wrap"])
            s.row += 1
        elif fmt == "wide":  # one line that needs more than one column (the SHA-256)
            s.ws.write_string(s.row, 0, name, w.f["label"])
            s.ws.merge_range(s.row, 1, s.row, 7, str(v), w.f["text"])
            s.row += 1
        else:
            s.cells([name, v], ["label", fmt])
    s.gap()
    ind_cols = [
        label("key", lang),
        label("indicator", lang),
        label("group", lang),
        label("weight", lang),
        label("source_field", lang),
        label("rule", lang),
        label("bands", lang),
        label("band_points", lang),
    ]
    for key, inds in (("cfg_contact", cfg.contact_indicators), ("cfg_team", cfg.team_indicators)):
        s.heading(label(key, lang))
        s.header(ind_cols)
        for i in inds:
            s.cells(
                [
                    i.key,
                    i.label(lang),
                    GROUP_LABELS[i.group][0 if lang == "zh" else 1],
                    i.weight,
                    i.source,
                    i.rule,
                    " / ".join(f"{b:g}" for b in i.bands) or None,
                    " / ".join(f"{p:g}" for p in i.points) or None,
                ],
                ["text", "text", "text", "dec1", "text", "text", "text", "text"],
            )
        s.gap()
    s.heading(label("cfg_params", lang))
    g = cfg.grades
    for name, v in (
        (label("p_grades", lang), f"{g.excellent:g} / {g.good:g} / {g.pass_:g}"),
        (label("p_auto_fail", lang), label("yes" if cfg.critical_auto_fail else "no", lang)),
        (label("p_sl", lang), f"{cfg.service_level_s:g}"),
        (label("p_repeat", lang), f"{cfg.repeat_window_days}"),
        (label("p_pareto", lang), f"{cfg.pareto_a:.0%} / {cfg.pareto_b:.0%}"),
        (label("p_min_sample", lang), f"{cfg.min_agent_sample}"),
    ):
        s.cells([name, v], ["label", "text"])

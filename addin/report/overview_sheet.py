"""The Overview sheet (概览): what the report covers, the overall score and grade, and the
headline KPIs against their targets, on one page."""

from __future__ import annotations

from typing import Any

from udfs.core.fields import choice_label
from udfs.core.model import Analysis
from udfs.core.scoring import grade_label

from .labels import label, metric_label, or_no_data
from .layout import METRIC_FORMATS, Sheet, Writer
from .scope_sheet import scope_facts


def overview_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_overview", [32, 40, 11, 15, 10])
    s.ws.fit_to_pages(1, 1)  # the page a manager reads first: one page
    s.title(report_title(an, lang))
    h = an.headline
    for name, v, fmt in _facts(an, lang):
        s.cells([name, v], ["label", fmt])
    s.gap()
    overall = an.targets.get("composite_score")
    if overall is None:
        s.cells(
            [label("overall", lang), or_no_data(h.get("composite_score"), lang)],
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
    n, m = h.get("composite_indicators"), h.get("composite_indicators_configured")
    if h.get("composite_score") is not None and n is not None and m is not None and n < m:
        s.note(label("composite_basis", lang, n=n, m=m))
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
            s.cells([metric_label(key, lang), or_no_data(h.get(key), lang)], ["label", fmt])
            continue
        met = label("met_yes" if c.met else "met_no", lang)
        s.cells(
            [metric_label(key, lang), c.value, c.target, c.gap, met],
            ["label", fmt, fmt, f"d_{fmt}", "good" if c.met else "bad"],
        )
    s.note(label("targets_note", lang))


def report_title(an: Analysis, lang: str) -> str:
    """The report's title with the team(s) and the period: ``客服质量评价报告 — 热线一组 · 2024年7月``."""
    sep = "、" if lang == "zh" else ", "
    parts = [
        p
        for p in (sep.join(an.teams), an.report_period.text(lang) if an.report_period else "")
        if p
    ]
    head = label("title", lang)
    return f"{head} — {' · '.join(parts)}" if parts else head


def period_line(an: Analysis, lang: str) -> str:
    """``2024年Q3 (2024-07-01 至 2024-09-30)``."""
    rp = an.report_period
    if rp is None:
        return "-"
    span = label("report_period_given", lang, start=rp.start.isoformat(), end=rp.end.isoformat())
    return f"{rp.text(lang)} ({span})"


def _facts(an: Analysis, lang: str) -> list[tuple[str, Any, str | None]]:
    """What the report covers: source, teams, period, channels, sample, as-of date,
    data quality; each with its format."""
    h = an.headline
    sep = "、" if lang == "zh" else ", "

    def choice(name: str, keys: list[str]) -> str:
        return sep.join(choice_label(name, k, lang) for k in keys)

    first, last = (an.periods[0], an.periods[-1]) if an.periods else ("-", "-")
    return [
        (label("source", lang), an.source or "-", "text"),
        *scope_facts(an, lang),  # issue 19: the special evaluation, baseline, roll-up
        (label("teams", lang), sep.join(an.teams) or "-", "wrap"),
        (label("agents_n", lang), an.n_agents, "int"),
        (label("report_period", lang), period_line(an, lang), "text"),
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

"""The Indicators sheet (指标): the team indicators and rubric dimensions with their
weights, points and changes against the previous period and a year ago."""

from __future__ import annotations

from udfs.core.config import GROUP_LABELS
from udfs.core.model import Analysis, IndicatorRow

from .labels import label, or_no_data
from .layout import METRIC_FORMATS, Sheet, Writer
from .scope_sheet import compare_columns


def indicators_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    extra, extra_cells = compare_columns(an, lang)  # issue 19: "vs P" beside 环比/同比
    s = Sheet(
        w, "sh_indicators", [14, 24, 8, 11, 10, 9, 11, 14, 11, 11, 14, 11, *[12] * len(extra)]
    )
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
        label("verdict", lang),
        label("last_year", lang),
        label("vs_year_ago", lang),
        label("verdict", lang),
        *extra,
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
                        None,
                        r.last_year,
                        r.vs_year_ago,
                        None,
                        *extra_cells(r)[0],
                    ],
                    ["group", "group", "group", "group", "group", "group_dec1", "group_dec1",
                     "group_d_dec1", "group", "group_dec1", "group_d_dec1", "group",
                     *extra_cells(r, "group_dec1")[1]],
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
                        or_no_data(r.value, lang),
                        r.points,
                        r.prev,
                        r.vs_prev,
                        _verdict(r.vs_prev_verdict, lang),
                        r.last_year,
                        r.vs_year_ago,
                        _verdict(r.vs_year_ago_verdict, lang),
                        *extra_cells(r)[0],
                    ],
                    ["text", "text", "dec1", "text", fmt, "dec1", fmt, f"d_{fmt}", "text", fmt,
                     f"d_{fmt}", "text", *extra_cells(r, fmt)[1]],
                )  # fmt: skip
        s.gap()
    s.note(change_note(an, lang))
    s.note(label("verdict_note", lang))
    s.note(label("single_group_note", lang))


def _verdict(v: str | None, lang: str) -> str | None:
    """A change's noise verdict as the table prints it (blank when untested)."""
    return None if v is None else label(f"verdict_{v}", lang)


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


def change_note(an: Analysis, lang: str) -> str:
    prev = an.previous_period.text(lang) if an.previous_period else "-"
    ly = an.last_year_period.text(lang) if an.last_year_period else "-"
    return label("change_note", lang, prev=prev, ly=ly)

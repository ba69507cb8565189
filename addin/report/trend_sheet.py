"""The Trend sheet (趋势): the figures of each period with the CSAT and score charts."""

from __future__ import annotations

from udfs.core.analysis import plain
from udfs.core.periods import parse_period
from udfs.core.scoring import grade_label

from . import charts
from .indicators_sheet import change_note
from .labels import label, metric_label
from .layout import METRIC_FORMATS, Sheet, Writer


def trend_sheet(w: Writer) -> None:
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
    s.note(change_note(an, lang))
    if last >= first:
        if periods[0].kind == "range":
            span = f"{periods[0].start.isoformat()} – {periods[-1].end.isoformat()}"
        else:
            span = f"{periods[0].label} – {periods[-1].label}"
        s.ws.insert_chart(s.row + 1, 0, charts.csat_trend(w, s, first, last, 4, span))
        chart = charts.score_trend(w, s, first, last, (2, 3), span)
        s.ws.insert_chart(s.row + 1, 5, chart, {"x_offset": 20})  # side by side: one page

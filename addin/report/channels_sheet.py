"""The Channels sheet (渠道与服务类型): the period's figures by channel and by service type,
with the channel efficiency chart."""

from __future__ import annotations

import pandas as pd

from udfs.core.analysis import plain
from udfs.core.fields import choice_label
from udfs.core.scoring import grade_label

from . import charts
from .labels import label, metric_label
from .layout import METRIC_FORMATS, Sheet, Writer

SMALL_SAMPLE = 30
"""A row with fewer contacts is marked as a small sample (its rates are unsteady)."""


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
    small = False
    for _, r in frame.iterrows():
        name = choice_label(col, r[col], lang) if r[col] is not None else label("blank", lang)
        if int(r["contacts"] or 0) < SMALL_SAMPLE:
            name = label("small_sample_mark", lang, name=name)
            small = True
        s.cells(
            [name, *(plain(r[k]) for k in keys), grade_label(r["grade"], lang)],
            ["text", *(METRIC_FORMATS[k] for k in keys), "text"],
        )
    last = s.row - 1
    if small:
        s.note(label("small_sample_note", lang, n=SMALL_SAMPLE))
    return first, last


def channels_sheet(w: Writer) -> None:
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

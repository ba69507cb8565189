"""The Hours sheet (时段分析): the report period's contacts, first response, service level
and CSAT by hour of day and by weekday, with the hours chart and the worst band."""

from __future__ import annotations

from typing import Any

from udfs.core.analysis import plain
from udfs.core.hours import HOUR_KEYS, WEEKDAYS

from .charts import hours_chart
from .labels import label, metric_label
from .layout import METRIC_FORMATS, Sheet, Writer

GAP_COL = 5
"""The hours table is in columns A-E, the weekday table in G-K (rows are written in order)."""


def hours_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_hours", [10, 11, 13, 11, 12, 3, 10, 11, 13, 11, 12])
    s.title(f"{label('hr_title', lang)} — {an.period or '-'}")
    peak = next((f for f in an.conclusions if f.kind == "peak_hours"), None)
    s.note(peak.text[lang] if peak else label("hr_no_band", lang))
    s.gap()
    ws, f = s.ws, w.f
    ws.write_string(s.row, 0, label("hr_by_hour", lang), f["h2"])
    ws.write_string(s.row, GAP_COL + 1, label("hr_by_weekday", lang), f["h2"])
    s.row += 1
    heads = [metric_label(k, lang, short=True) for k in HOUR_KEYS]
    ws.set_row(s.row, 30)
    for c, text in enumerate([label("hr_hour", lang), *heads]):
        ws.write_string(s.row, c, text, f["th"])
        ws.write_string(
            s.row, GAP_COL + 1 + c, label("hr_weekday", lang) if c == 0 else text, f["th"]
        )
    s.row += 1
    fmts = [METRIC_FORMATS[k] for k in HOUR_KEYS]
    days = an.by_weekday.to_dict("records")
    first = s.row
    for i, r in enumerate(an.by_hour.to_dict("records")):
        values: list[Any] = [f"{int(r['hour']):02d}:00", *(plain(r[k]) for k in HOUR_KEYS)]
        row_fmts: list[str | None] = ["text", *fmts]
        if i < len(days):
            d = days[i]
            day = WEEKDAYS[int(d["weekday"])][0 if lang == "en" else 1]
            values += [None, day, *(plain(d[k]) for k in HOUR_KEYS)]
            row_fmts += ["plain", "text", *fmts]
        s.cells(values, row_fmts)
    last = s.row - 1
    if last >= first and an.by_hour["contacts"].sum() > 0:
        chart = hours_chart(w, s, first, last, an.period or "-", size=(440, 340))
        ws.insert_chart(first + len(days) + 2, GAP_COL + 1, chart)

"""The report's native Excel charts named by the seed template, each titled with what it
shows, its unit, the source file and the period.

Every chart reads cells a report sheet has already written (``Sheet`` rows and columns);
no chart holds a figure of its own.  The sheets call these functions right after their
tables.
"""

from __future__ import annotations

from typing import Any

from .labels import label, metric_label
from .layout import Sheet, Writer

BLUE, ORANGE, GREEN = "#4472C4", "#ED7D31", "#70AD47"
PIE_COLOURS = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478")


def _axis(w: Writer, name: str | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"num_font": w.axis_font(), **extra}
    if name:
        out.update({"name": name, "name_font": w.axis_font()})
    return out


def csat_trend(w: Writer, s: Sheet, first: int, last: int, col: int, span: str) -> Any:
    """The template's "折线图呈现近6个月客户满意度趋势": CSAT mean of the last 6 periods."""
    lang = w.lang
    ch = w.wb.add_chart({"type": "line"})
    ch.add_series(
        {
            "name": label("chart_csat", lang),
            "categories": [s.name, first, 0, last, 0],
            "values": [s.name, first, col, last, col],
            "marker": {"type": "circle", "size": 6},
            "line": {"color": GREEN, "width": 2.25},
            "data_labels": {"value": True, "num_format": "0.00", "position": "above"},
        }
    )
    ch.set_title(w.chart_title(label("chart_csat", lang), label("unit_csat", lang), span))
    ch.set_y_axis(_axis(w, label("unit_csat", lang), min=1, max=5, major_unit=1))
    ch.set_x_axis(_axis(w))
    ch.set_legend({"none": True})
    ch.set_size({"width": 400, "height": 300})
    return ch


def score_trend(
    w: Writer, s: Sheet, first: int, last: int, cols: tuple[int, int], span: str
) -> Any:
    """Mean QA score and composite score of the last 6 periods: two lines, no data labels
    (they would print on top of each other; the table above gives the figures)."""
    lang = w.lang
    ch = w.wb.add_chart({"type": "line"})
    for col, key, colour in (
        (cols[0], "qa_score_mean", BLUE),
        (cols[1], "composite_score", ORANGE),
    ):
        ch.add_series(
            {
                "name": metric_label(key, lang),
                "categories": [s.name, first, 0, last, 0],
                "values": [s.name, first, col, last, col],
                "marker": {"type": "circle", "size": 5},
                "line": {"color": colour, "width": 2},
            }
        )
    ch.set_title(w.chart_title(label("chart_trend", lang), label("unit_points", lang), span))
    ch.set_y_axis(_axis(w, label("unit_points", lang)))
    ch.set_x_axis(_axis(w))
    ch.set_legend({"position": "bottom", "font": w.axis_font()})
    ch.set_size({"width": 420, "height": 300})
    return ch


def channel_efficiency(
    w: Writer, s: Sheet, first: int, last: int, fr_col: int, sl_col: int, period: str
) -> Any:
    """Channel bars of efficiency: average first response (bars, seconds) and service level
    (line with markers on a second axis, %)."""
    lang = w.lang
    bars = w.wb.add_chart({"type": "column"})
    bars.add_series(
        {
            "name": metric_label("avg_first_response_s", lang),
            "categories": [s.name, first, 0, last, 0],
            "values": [s.name, first, fr_col, last, fr_col],
            "fill": {"color": BLUE},
            "gap": 80,
            "data_labels": {"value": True, "num_format": "0.0", "font": {"size": 8}},
        }
    )
    line = w.wb.add_chart({"type": "line"})
    line.add_series(
        {
            "name": metric_label("service_level", lang),
            "categories": [s.name, first, 0, last, 0],
            "values": [s.name, first, sl_col, last, sl_col],
            "y2_axis": True,
            "line": {"none": True},
            "marker": {"type": "diamond", "size": 9, "fill": {"color": ORANGE}},
            "data_labels": {
                "value": True,
                "num_format": "0%",
                "position": "right",
                "font": {"size": 8},
            },
        }
    )
    bars.combine(line)
    bars.set_title(w.chart_title(label("chart_eff", lang), label("unit_eff", lang), period))
    bars.set_y_axis(_axis(w, label("u_s", lang), min=0))
    line.set_y2_axis(_axis(w, metric_label("service_level", lang), min=0, max=1, num_format="0%"))
    bars.set_x_axis(_axis(w))
    bars.set_legend({"position": "bottom", "font": w.axis_font()})
    bars.set_size({"width": 720, "height": 320})
    return bars


def problem_pie(
    w: Writer, s: Sheet, first: int, last: int, share_col: int, period: str, cat_col: int = 0
) -> Any:
    """The problem-type distribution (pie of the shares in ``share_col``, labels in
    ``cat_col``: the slices sum to 1, so each slice's percentage is the table's share)."""
    lang = w.lang
    pie = w.wb.add_chart({"type": "pie"})
    n = last - first + 1
    pie.add_series(
        {
            "name": label("chart_pie", lang),
            "categories": [s.name, first, cat_col, last, cat_col],
            "values": [s.name, first, share_col, last, share_col],
            "points": [{"fill": {"color": PIE_COLOURS[i % len(PIE_COLOURS)]}} for i in range(n)],
            "data_labels": {
                "percentage": True,
                "category": True,
                "separator": "\n",
                "position": "best_fit",
                "font": {"size": 8},
            },
        }
    )
    pie.set_title(w.chart_title(label("chart_pie", lang), label("unit_share", lang), period))
    pie.set_legend({"none": True})
    pie.set_size({"width": 400, "height": 360})
    return pie


def hours_chart(
    w: Writer, s: Sheet, first: int, last: int, period: str, size: tuple[int, int] = (720, 320)
) -> Any:
    """Contacts by hour (bars) and average first response (line, second axis, seconds)."""
    lang = w.lang
    bars = w.wb.add_chart({"type": "column"})
    bars.add_series(
        {
            "name": metric_label("contacts", lang),
            "categories": [s.name, first, 0, last, 0],
            "values": [s.name, first, 1, last, 1],
            "fill": {"color": BLUE},
            "gap": 30,
        }
    )
    line = w.wb.add_chart({"type": "line"})
    line.add_series(
        {
            "name": metric_label("avg_first_response_s", lang),
            "categories": [s.name, first, 0, last, 0],
            "values": [s.name, first, 2, last, 2],
            "y2_axis": True,
            "marker": {"type": "circle", "size": 4},
            "line": {"color": ORANGE, "width": 2},
        }
    )
    bars.combine(line)
    bars.set_title(w.chart_title(label("chart_hours", lang), label("unit_hours", lang), period))
    bars.set_y_axis(_axis(w, label("u_count", lang), min=0))
    line.set_y2_axis(_axis(w, label("u_s", lang), min=0))
    bars.set_x_axis(_axis(w, None, interval_unit=2))
    bars.set_legend({"position": "bottom", "font": w.axis_font()})
    bars.set_size({"width": size[0], "height": size[1]})
    return bars

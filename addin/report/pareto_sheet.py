"""The Pareto sheet (问题帕累托): the problems by count with their class, causes and the
Pareto and share charts."""

from __future__ import annotations

from typing import Any

from udfs.core.fields import choice_label
from udfs.core.pareto import pie_slices

from . import charts
from .labels import label
from .layout import Sheet, Writer

LINE_COL = 12
"""The hidden column holding the class-A line's values (not printed)."""
PIE_COL = LINE_COL + 1
"""The hidden columns holding the pie's slices (label, share; not printed)."""


def pareto_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    cfg = an.config
    s = Sheet(w, "sh_pareto", [22, 8, 9, 11, 9, 28, 28, 12, 20])
    s.ws.set_column(LINE_COL, PIE_COL + 1, None, None, {"hidden": True})
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
            label("direct_cause", lang),
            label("root_cause", lang),
            label("cause_category", lang),
            label("impact_scope", lang),
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
                r.get("direct_cause"),
                r.get("root_cause"),
                cat,
                r.get("impact_scope"),
            ],
            ["text", "int", "pct", "pct", "text", "wrap", "wrap", "text", "wrap"],
        )
        # the class-A line's values: a hidden column outside the printed table
        s.ws.write_number(s.row - 1, LINE_COL, cfg.pareto_a)
    last = s.row - 1
    if last < first:
        s.note(label("no_problems", lang))
        return
    s.ws.insert_chart(s.row + 1, 0, _pareto_chart(w, s, first, last, a_txt))
    # the pie's slices: the table's shares, plus "Other" for what typed shares leave
    slices = pie_slices(an.pareto, lang)
    for i, (name, share) in enumerate(slices):
        s.ws.write_string(first + i, PIE_COL, name)
        s.ws.write_number(first + i, PIE_COL + 1, share)
    pie = charts.problem_pie(
        w, s, first, first + len(slices) - 1, PIE_COL + 1, an.period or "-", PIE_COL
    )
    s.ws.insert_chart(s.row + 1, 5, pie, {"x_offset": 140})


def _pareto_chart(w: Writer, s: Sheet, first: int, last: int, a_txt: str) -> Any:
    """The counts as columns, the cumulative share and the class-A line on a second axis."""
    an, lang = w.an, w.lang
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
                # an opaque label: the class-A line never strikes through it
                "fill": {"color": "#FFFFFF"},
            },
        }
    )
    line.add_series(
        {
            "name": label("line80", lang, p=a_txt),
            "categories": [s.name, first, 0, last, 0],
            "values": [s.name, first, LINE_COL, last, LINE_COL],
            "y2_axis": True,
            "line": {"color": "#C00000", "width": 1.5, "dash_type": "dash"},
            "marker": {"type": "none"},
        }
    )
    bars.combine(line)
    bars.show_hidden_data()  # the class-A line's column is hidden
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
    return bars

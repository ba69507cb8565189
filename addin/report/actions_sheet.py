"""The Actions sheet (改进行动): status counts, overdue actions, effects and every action."""

from __future__ import annotations

from typing import Any, cast

import pandas as pd

from udfs.core.actions import status_text
from udfs.core.analysis import plain

from .labels import ACTION_COLUMNS, label
from .layout import METRIC_FORMATS, Sheet, Writer
from .loop_sheet import loop_sections

BASE_FORMATS = ["text", "wrap", "wrap", "text", "wrap", "date", "date", "text", "int"]
"""The formats of an action's columns (status and days late overridden per table)."""


def actions_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_actions", [7, 30, 16, 11, 12, 12, 12, 20, 12, 12, 10, 10, 18, 9])
    s.title(label("act_title", lang, d=an.as_of.isoformat()))
    a = an.actions
    if not len(a):
        s.note(label("no_actions", lang))
        return
    _status_counts(w, s)
    texts = status_text(
        a["status_key"].to_numpy(dtype=object), a["days"].to_numpy(dtype=float), lang
    )
    keys = list(ACTION_COLUMNS)
    keys.insert(keys.index("owner") + 1, "cooperating_dept")  # seeds/001's 配合部门
    base_cols = [label(k, lang) for k in (*keys, "days_late")]
    s.heading(label("act_overdue", lang))
    over = an.overdue
    if not len(over):
        s.note(label("none_overdue", lang))
    else:
        s.header(base_cols)
        for i, r in over.iterrows():
            s.cells(_base_row(r, texts[cast(int, i)]), [*BASE_FORMATS[:7], "bad", "int"])
    s.gap()
    _effects(s, an.effects, lang)
    s.gap()
    loop_sections(w, s)  # issue 21: re-measured effects, tracking, call-backs, SOP register
    s.heading(label("act_all", lang))
    s.header(base_cols, repeat=True)
    for i, r in a.iterrows():
        st = r["status_key"]
        s.cells(
            _base_row(r, texts[cast(int, i)]),
            [*BASE_FORMATS[:7], "bad" if st == "overdue" else "text", "int"],
        )


def _status_counts(w: Writer, s: Sheet) -> None:
    """How many actions have each status."""
    an, lang = w.an, w.lang
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


def _base_row(r: pd.Series, status: str) -> list[Any]:
    """An action's columns: number, measure, problem, owner, dates, status, days late."""
    return [
        r["action_no"],
        r["measure"],
        r["problem"],
        r["owner"],
        r.get("cooperating_dept"),
        plain(r["planned_date"]),
        plain(r["actual_date"]),
        status,
        plain(r["days_late"]),
    ]


def _effects(s: Sheet, effects: pd.DataFrame, lang: str) -> None:
    """The actions with an effect recorded: baseline, target, after, change, met."""
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
    for _, r in effects.iterrows():
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


def _effect_format(r: pd.Series) -> str:
    """One format for every before/after value: a rate (a rate KPI, or a metric CSQ does not
    know whose values are fractions 0-1) as a per cent, anything else with one decimal; the
    change of a rate is in percentage points."""
    k = r.get("metric_key")
    key = k if isinstance(k, str) else None
    values = [plain(r[c]) for c in ("baseline", "target", "after")]
    fractions = all(v is None or 0 <= v <= 1 for v in values)
    # a metric CSQ does not know is a rate when its values are fractions, not just 0 and 1
    share = any(v is not None and 0 < v < 1 for v in values)
    known = METRIC_FORMATS.get(key) == "pct" if key else share
    if fractions and known:
        return "pct"
    return "dec1"

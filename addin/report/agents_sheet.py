"""The Agents sheet (客服排名): the top and bottom agents and every agent of the period."""

from __future__ import annotations

from typing import Any

import pandas as pd

from udfs.core.analysis import plain
from udfs.core.scoring import grade_label

from .labels import label, metric_label
from .layout import Sheet, Writer


def agents_sheet(w: Writer) -> None:
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

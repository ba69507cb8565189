"""The Agents sheet (客服排名): the agents of the period with their 95 % intervals.

With at most :data:`FULL_RANKING_MAX` agents the full ranking is printed once; with more,
the top three and the bottom three come first, then every agent."""

from __future__ import annotations

from typing import Any

import pandas as pd

from udfs.core.analysis import plain
from udfs.core.scoring import grade_label

from .labels import label, metric_label
from .layout import Sheet, Writer

FULL_RANKING_MAX = 10
"""Up to this many agents, one ranking and no separate Top 3 / Bottom 3 lists."""


def _interval(r: pd.Series, lang: str) -> str | None:
    lo, hi = plain(r.get("ci_low")), plain(r.get("ci_high"))
    if lo is None or hi is None:
        return None
    return label("ci_range", lang, lo=f"{lo:.1f}", hi=f"{hi:.1f}")


def agents_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    cfg = an.config
    s = Sheet(w, "sh_agents", [8, 14, 12, 10, 11, 12, 14, 10, 10, 12, 10, 40])
    s.title(f"{label('agents_title', lang)} — {an.period or '-'}")
    s.note(label("min_sample", lang, n=cfg.min_agent_sample))
    lo, hi = an.team_score_interval
    if lo is not None and hi is not None:
        s.note(label("ci_note", lang, lo=f"{lo:.1f}", hi=f"{hi:.1f}"))
    s.gap()
    cols = [
        label("rank", lang),
        label("agent", lang),
        label("team", lang),
        metric_label("contacts", lang),
        label("scored", lang),
        metric_label("qa_score_mean", lang),
        label("ci95", lang),
        metric_label("csat_mean", lang),
        metric_label("fcr", lang, short=True),
        metric_label("composite_score", lang),
        label("grade", lang),
        label("note", lang),
    ]
    fmts = ["int", "text", "text", "int", "int", "dec1", "text", "dec2", "pct", "dec1", "text",
            "wrap"]  # fmt: skip
    ag = an.agents
    team_mean = an.headline.get("qa_score_mean")

    def row(r: pd.Series) -> list[Any]:
        rank = plain(r["rank"])
        if rank is None:
            note = label("not_ranked", lang, n=cfg.min_agent_sample)
        elif bool(r.get("singled_out")) and team_mean is not None:
            above = float(r["qa_score_mean"]) > float(team_mean)
            note = label("singled_above" if above else "singled_below", lang)
        else:
            note = None
        return [
            rank,
            r["agent_id"],
            r.get("team"),
            r["contacts"],
            r["scored"],
            plain(r["qa_score_mean"]),
            _interval(r, lang),
            plain(r["csat_mean"]),
            plain(r["fcr"]),
            plain(r["composite_score"]),
            grade_label(r["grade"], lang),
            note,
        ]

    if len(ag) > FULL_RANKING_MAX:
        for key, part in (("top3", an.top_agents), ("bottom3", an.bottom_agents)):
            s.heading(label(key, lang))
            s.header(cols)
            if not len(part):
                some_ranked = len(an.top_agents) > 0
                s.note(
                    label(
                        "bottom_in_top" if key == "bottom3" and some_ranked else "no_ranked", lang
                    )
                )
            for _, r in part.iterrows():
                s.cells(row(r), fmts)
            s.gap()
        s.heading(label("all_agents", lang))
    else:
        s.heading(label("ranking_all", lang))
    s.header(cols, repeat=True)
    for _, r in ag.iterrows():
        s.cells(row(r), fmts)

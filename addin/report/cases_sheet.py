"""The Cases sheet (典型案例): the period's good and bad typical cases."""

from __future__ import annotations

from typing import Any

from udfs.core.analysis import plain
from udfs.core.fields import choice_label
from udfs.core.scoring import grade_label

from .labels import label
from .layout import Sheet, Writer


def cases_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_cases", [12, 16, 9, 10, 13, 8, 8, 14, 12, 28, 24])
    s.title(f"{label('cases_title', lang)} — {an.period or '-'}")
    cols = [
        "contact_id",
        "contact_time",
        "agent",
        "channel",
        "customer",
        "score",
        "grade",
        "critical_error",
        "problem",
        "problem_description",
        "qc_note",
    ]
    fmts = [
        "text",
        "datetime",
        "text",
        "text",
        "text",
        "dec1",
        "text",
        "wrap",
        "wrap",
        "wrap",
        "wrap",
    ]
    for key, part in (("good_cases", an.good_cases), ("bad_cases", an.bad_cases)):
        s.heading(label(key, lang))
        if not len(part):
            s.note(label("no_cases", lang))
            s.gap()
            continue
        s.header([label(c, lang) for c in cols])
        for _, r in part.iterrows():
            ch = r.get("channel")
            s.cells(
                [
                    r.get("contact_id"),
                    plain(r.get("contact_time")),
                    r.get("agent_id"),
                    choice_label("channel", ch, lang) if isinstance(ch, str) else None,
                    r.get("customer_id"),
                    plain(r["score"]),
                    grade_label(r["grade"], lang) or _verdict(r),
                    r.get("critical_error"),
                    r.get("problem_category"),
                    r.get("problem_description"),
                    r.get("qc_note"),
                ],
                fmts,
            )
        s.gap()


def _verdict(r: Any) -> Any:
    """A contact without a score shows the reviewer's typed verdict in the grade column."""
    v = r.get("qc_verdict")
    return v if isinstance(v, str) and v.strip() else None

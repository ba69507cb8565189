"""The Data quality sheet (数据质量): every data-quality finding of the workbook, identical
findings (rule x column x value) on one row with their count, the other cells and what the
figures do with them (:mod:`udfs.core.grouping`)."""

from __future__ import annotations

from udfs.core.grouping import effect, group_findings
from udfs.core.privacy import mask_id

from .labels import label
from .layout import Sheet, Writer

MAX_FINDINGS_ROWS = 50_000
"""Rows written (one per group of identical findings); beyond this the sheet says how many
more findings there are."""


def quality_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_quality", [16, 9, 22, 60, 9, 9, 26, 22])
    s.title(label("dq_title", lang))
    if not an.findings:
        s.note(label("dq_none", lang))
        return
    s.note(label("dq_note", lang))
    s.gap()
    s.header(
        [
            label("dq_sheet", lang),
            label("dq_cell", lang),
            label("dq_value", lang),
            label("dq_rule", lang),
            label("dq_severity", lang),
            label("dq_count", lang),
            label("dq_other_cells", lang),
            label("dq_effect", lang),
        ]
    )
    groups = group_findings(an.findings)
    for g in groups[:MAX_FINDINGS_ROWS]:
        f = g.first
        value = mask_id(f.value) if f.key == "customer_id" else f.value
        others = g.places[1:]
        rest = label("dq_and_more", lang, n=g.more) if g.more else ""
        sep = "、" if lang == "zh" else ", "
        s.cells(
            [
                f.sheet,
                f.cell,
                value,
                f.rule,
                label(f.severity, lang),
                g.count,
                sep.join(others) + rest,
                effect(f, lang),
            ],
            [
                "text",
                "text",
                "text",
                "wrap",
                "bad" if f.severity == "error" else "text",
                "int",
                "wrap",
                "wrap",
            ],
        )
    if len(groups) > MAX_FINDINGS_ROWS:
        n = sum(g.count for g in groups[MAX_FINDINGS_ROWS:])
        s.note(label("dq_more", lang, n=n))

"""The Data quality sheet (数据质量): every data-quality finding of the workbook."""

from __future__ import annotations

from udfs.core.privacy import mask_id

from .labels import label
from .layout import Sheet, Writer

MAX_FINDINGS_ROWS = 50_000
"""Findings written cell by cell; beyond this the sheet says how many more there are."""


def quality_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    s = Sheet(w, "sh_quality", [16, 9, 22, 60, 9])
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
        ]
    )
    for f in an.findings[:MAX_FINDINGS_ROWS]:
        value = mask_id(f.value) if f.key == "customer_id" else f.value
        s.cells(
            [f.sheet, f.cell, value, f.rule, label(f.severity, lang)],
            ["text", "text", "text", "wrap", "bad" if f.severity == "error" else "text"],
        )
    if len(an.findings) > MAX_FINDINGS_ROWS:
        s.note(label("dq_more", lang, n=len(an.findings) - MAX_FINDINGS_ROWS))

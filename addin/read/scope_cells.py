"""The Config sheet's optional scope cells (issue 19): a row whose key (column A) or label
(column B) is one of :data:`SCOPE_CELLS` holds its value in column C.

- ``report_by`` (报告分章 / Report chapters by): the field of the chapters, as ``--by``;
- ``report_where`` (专项评价 / Special evaluation): ``FIELD=V1,V2`` (several separated by
  ``;``), as ``--where``;
- ``min_segment`` (分章最少联系数 / Minimum segment size): smaller segments are grouped as
  其他/Other (default 30).

They are handed over as the ``scope`` list of ``WorkbookData.config_tables`` (``item``,
``value``, ``cell``, ``sheet``); the core checks them (:func:`udfs.core.scope.from_config`), a bad
value being a finding at its cell.  A ``--by``/``--where`` given on the command line wins.
"""

from __future__ import annotations

from typing import Any

from workbook_templates.schema import col_letter

SCOPE_CELLS: dict[str, tuple[str, ...]] = {
    "report_by": ("报告分章", "报告分章依据", "report chapters by", "chapters by"),
    "report_where": ("专项评价", "special evaluation"),
    "min_segment": ("分章最少联系数", "minimum segment size", "min segment"),
}
VALUE_COL = 2


def read_scope_cells(grid: list[list[object]], sheet: str) -> list[dict[str, Any]]:
    """The scope cells found on the Config sheet (empty when none is filled)."""
    out: list[dict[str, Any]] = []
    for r, row in enumerate(grid):
        key = _which(row)
        if key is None:
            continue
        v = row[VALUE_COL] if len(row) > VALUE_COL else None
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        out.append(
            {"item": key, "value": v, "cell": f"{col_letter(VALUE_COL)}{r + 1}", "_row": r + 1}
        )
    return out


def _which(row: list[object]) -> str | None:
    for c in (0, 1):
        v = row[c] if len(row) > c else None
        if not isinstance(v, str):
            continue
        text = v.strip().casefold()
        for key, labels in SCOPE_CELLS.items():
            if text == key or text in labels:
                return key
    return None

"""Extra columns on the way in (issue 23, item 5; keys: :mod:`udfs.core.extra_columns`,
layout: :mod:`workbook_templates.extra_columns`).

- An export's columns that its map does not name are kept (:func:`export_extras`): one
  ``extra:<header>`` column of the imported Monitoring table each, its values as read (a
  CSV's text, an XLSX export's cells), blank as blank.  A header that the workbook reader
  would take for a template column (``Team``, ``班组``, a computed column's header) gets
  `` (export)`` / ``（导出）`` appended, so it stays an extra column when read back.
- The workbook reader keeps a Monitoring sheet's columns right of its last template input
  column whose header it does not know (:func:`sheet_extras`): read as text, no finding.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from udfs.core.extra_columns import extra_key
from workbook_templates.schema import MONITORING

from .cells import display
from .headers import HEADER_INDEX, Header, norm_header

COMPUTED_HEADERS = frozenset(
    norm_header(t) for c in MONITORING.columns if c.role != "input" for t in (c.key, c.zh, c.en)
)
"""The Monitoring sheet's computed columns' headers (normalised)."""

_SUFFIX = {"zh": "（导出）", "en": " (export)"}


def _taken(text: str) -> bool:
    n = norm_header(text)
    return n in HEADER_INDEX[MONITORING.key] or n in COMPUTED_HEADERS


def kept_header(header: str, lang: str) -> str:
    """The header an export's extra column gets in the workbook: as written, unless the
    reader would take it for a template column."""
    out = header
    while _taken(out):
        out += _SUFFIX["zh" if lang == "zh" else "en"]
    return out


def export_extras(
    columns: dict[str, Any], names: list[str], keep: np.ndarray, lang: str
) -> dict[str, np.ndarray]:
    """``extra:<header>`` -> the kept rows' values of each extra source column (``columns``:
    source header -> its factor; ``names``: the extra headers, in the export's order)."""
    out: dict[str, np.ndarray] = {}
    used: set[str] = set()
    for h in names:
        f = columns.get(h)
        if f is None:
            continue
        values = f.values.copy()
        for i, v in enumerate(values.tolist()):
            if isinstance(v, str) and not v.strip():
                values[i] = None
        header = kept_header(h, lang)
        while header.casefold() in used:  # Table headers differ in more than case
            header += "'"
        used.add(header.casefold())
        out[extra_key(header)] = values[f.codes[keep]]
    return out


def sheet_extras(h: Header, header_row: list[Any]) -> dict[int, str]:
    """0-based column -> ``extra:<header>`` for the Monitoring sheet's columns right of its
    last template input column whose header is not a template header (where the template
    writes extra columns: the Table's last columns, before the computed ones, or a column
    added right of those); none when the sheet has no computed column (a hand-made
    sheet's unknown columns stay findings)."""
    if not any(norm_header(v) in COMPUTED_HEADERS for v in header_row):
        return {}
    read = set(h.cols.values())
    start = max(read, default=-1) + 1
    out: dict[int, str] = {}
    seen: set[str] = set()
    for j in range(start, len(header_row)):
        text = display(header_row[j]).strip()
        if not text or j in read or _taken(text) or text.casefold() in seen:
            continue
        seen.add(text.casefold())
        out[j] = extra_key(text)
    return out

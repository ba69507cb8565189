"""The layout of extra columns (issue 23, item 5; keys: :mod:`udfs.core.extra_columns`):
columns of an export that the map does not name, written on the Monitoring sheet as the
Table's last columns, after the input columns and before the computed columns (which
shift right; every formula names its columns, so none changes), one column each, headed
by the export's header (a string, never a formula) and holding the export's values as
they were (text as text), unlocked like an input.  Inside the Table a sort or a filter
moves them with their row.  A workbook without them is the blank template unchanged."""

from __future__ import annotations

import dataclasses
import datetime as _dt
from typing import Any

import numpy as np
import pandas as pd

from udfs.core.extra_columns import extra_header
from udfs.core.fields import Field
from workbook_templates.formulas import SheetLayout
from workbook_templates.schema import Column

EXTRA_WIDTH = 14


def extra_column(key: str) -> Column:
    """An extra column as a schema column (key ``extra:<header>``, headed ``<header>`` in
    either language): free text, customer text rules (never a formula)."""
    h = extra_header(key)
    return Column(
        Field(key, h, h, kind="text", customer_text=True, announce_missing=False),
        width=EXTRA_WIDTH,
    )


def with_extras(lay: SheetLayout, keys: list[str]) -> SheetLayout:
    """``lay`` with the extra columns ``keys`` as the Table's last columns."""
    extra = tuple(extra_column(k) for k in keys)
    return dataclasses.replace(lay, table_columns=(*lay.table_columns, *extra))


def extra_values(
    extras: pd.DataFrame, keys: list[str], start: int, stop: int
) -> dict[str, list[Any]]:
    """The extra columns' cells of rows start..stop-1 (blank: None; numpy scalars as
    Python values; text stays text: written with ``write_string``, never a formula)."""
    out: dict[str, list[Any]] = {}
    for key in keys:
        out[key] = [_cell(v) for v in extras[key].iloc[start:stop].tolist()]
    return out


def _cell(v: Any) -> Any:
    """One value as its cell holds it: a date as its text (``2024-06-09``, ``2024-06-09
    08:30``: the column has no date format and reads back as text), a truth value as
    TRUE/FALSE, a number as a number, text as text."""
    if v is None or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, _dt.datetime):
        if v.time() == _dt.time(0):
            return v.date().isoformat()
        return v.strftime("%Y-%m-%d %H:%M:%S" if v.second else "%Y-%m-%d %H:%M")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, _dt.time):
        return v.isoformat()
    return v

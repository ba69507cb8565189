"""Writes one data sheet (Monitoring, Calibration, Problems, Actions): its Table and rows.

The Table is declared before any row (xlsxwriter's ``constant_memory`` mode streams rows),
then the rows are written in order, Monitoring in chunks so 1,000,000 rows keep memory
bounded: the first row through xlsxwriter (it anchors the spilled formulas), the rest
through :mod:`workbook_templates.fastrows` where it applies.  Computed cells carry cached
values (:mod:`workbook_templates.cell_values`).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.worksheet import Worksheet

from udfs.core.config import ScoringConfig
from udfs.core.fields import Lang
from workbook_templates import fastrows
from workbook_templates.cell_values import cached_values, column_values, problem_frequencies
from workbook_templates.extra_columns import extra_values, with_extras
from workbook_templates.formats import Formats
from workbook_templates.formulas import Resolver, SheetLayout, sheet_layout
from workbook_templates.schema import MONITORING, PROBLEMS, TIMED_COLUMNS, Sheet, with_units
from workbook_templates.sheet_dressing import dress_data_sheet, print_area_formula
from workbook_templates.xlsx_internals import add_streamed_table, cache_prepare_formula

TABLE_STYLE = "Table Style Medium 2"


def write_data_sheet(
    ws: Worksheet,
    fmt: Formats,
    sheet: Sheet,
    lang: Lang,
    portable: bool,
    df: pd.DataFrame | None,
    config: ScoringConfig,
    as_of: _dt.date,
    categories: list[Any],
    blank_rows: int,
    problems_ref: str = "",
    *,
    fast: bool = True,
    chunk_rows: int = 20_000,
    legacy_arrays: bool = False,
    extras: pd.DataFrame | None = None,
) -> str:
    """Write ``sheet`` to ``ws``: the rows of ``df`` (``blank_rows`` empty rows without it).
    Returns the sheet's print-area formula (the builder defines it: a workbook-level name).

    ``categories``: the Monitoring rows' problem categories (the Problems sheet counts
    them); ``problems_ref``: the range the Monitoring problem-category dropdown offers;
    ``fast``: rows after the first through :mod:`workbook_templates.fastrows` where it
    applies; ``chunk_rows``: Monitoring rows converted and scored at a time; ``extras``
    (Monitoring): the export's columns the map does not name (key ``extra:<header>``, one
    value per row of ``df``), the Table's last columns, after the input columns
    (:mod:`workbook_templates.extra_columns`)."""
    lay = dataclasses.replace(_layout(sheet, portable, config), legacy_arrays=legacy_arrays)
    extra_keys = [] if extras is None or df is None else [str(k) for k in extras.columns]
    if extra_keys:  # inside the Table: a sort or a filter moves them with their row
        lay = with_extras(lay, extra_keys)
    n_rows = len(df) if df is not None else blank_rows
    n_rows = max(n_rows, 1)
    first, last = 1, n_rows  # 0-based data rows
    res = Resolver(lay, lang, first, last)
    cols = lay.columns
    formulas = {c.key: res.formula(c) for c in cols if c.role == "computed"}

    # every row of a column has the same formula text: prepare it once, not per cell
    cache_prepare_formula(ws)

    # columns: width + default format (inputs unlocked, computed locked)
    for i, c in enumerate(cols):
        ws.set_column(i, i, c.width, fmt.cell(c))
    ws.set_row(0, 30)
    _declare_table(ws, fmt, sheet, lay, lang, last)

    # rows, streamed: the first through xlsxwriter (it anchors the spilled formulas), the
    # rest through the fast path (the same XML, see fastrows.py) where it applies
    rows = _Rows(ws, lay, [fmt.cell(c) for c in cols], formulas, first, last)
    fast = fast and fastrows.fast_path_possible(ws, rows.specs, range(first + 1, last + 1))
    step = chunk_rows if sheet is MONITORING else n_rows
    for start in range(0, n_rows, step):
        stop = min(start + step, n_rows)
        inputs, cached = _chunk_values(sheet, df, lang, config, as_of, categories, start, stop)
        if extra_keys:
            inputs.update(extra_values(extras, extra_keys, start, stop))  # type: ignore[arg-type]
        rows.write_chunk(start, stop, stop == n_rows, inputs, cached, fast)
        del inputs, cached

    dress_data_sheet(ws, fmt, sheet, lay, lang, last, problems_ref)
    return print_area_formula(sheet.name(lang), len(cols), _filled_rows(df))


def _filled_rows(df: pd.DataFrame | None) -> int:
    """How many rows of ``df`` hold data: up to the last row with any value."""
    if df is None or df.empty:
        return 0
    rows = np.flatnonzero(df.notna().to_numpy().any(axis=1))
    return int(rows[-1]) + 1 if rows.size else 0


def _layout(sheet: Sheet, portable: bool, config: ScoringConfig) -> SheetLayout:
    """The sheet's columns; Monitoring's timed columns headed in the Config sheet's unit."""
    lay = sheet_layout(sheet, portable)
    if sheet is MONITORING:  # first response / handle time: headers in the Config unit
        units = {k: str(getattr(config, setting)) for k, setting in TIMED_COLUMNS.items()}
        lay = dataclasses.replace(
            lay, table_columns=tuple(with_units(c, units) for c in lay.table_columns)
        )
    return lay


def _chunk_values(
    sheet: Sheet,
    df: pd.DataFrame | None,
    lang: Lang,
    config: ScoringConfig,
    as_of: _dt.date,
    categories: list[Any],
    start: int,
    stop: int,
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Cell values of the inputs and cached values of the computed columns, rows
    start..stop-1 (Monitoring is written in chunks: its computed columns are per row)."""
    part = None if df is None else df.iloc[start:stop]
    k = stop - start
    inputs = {c.key: column_values(part, c, lang, k) for c in sheet.columns if c.role == "input"}
    if sheet is PROBLEMS:
        inputs["count"] = problem_frequencies(inputs["problem"], categories, inputs["frequency"])
    if df is None:
        cached: dict[str, list[Any]] = {
            c.key: [None] * k for c in sheet.columns if c.role == "computed"
        }
        if sheet is PROBLEMS:
            cached["count"] = [0] * k
    else:
        cached = cached_values(sheet, inputs, lang, config, as_of)
    return inputs, cached


def _declare_table(
    ws: Worksheet, fmt: Formats, sheet: Sheet, lay: SheetLayout, lang: Lang, last: int
) -> None:
    """The Table and the header row (defined before any row is written: constant_memory
    streams rows)."""
    n_table = len(lay.table_columns)
    add_streamed_table(
        ws,
        last,
        n_table,
        {
            "name": sheet.table,
            "style": TABLE_STYLE,
            "columns": [
                {"header": c.header(lang), "header_format": fmt.header} for c in lay.table_columns
            ],
        },
    )
    for i, c in enumerate(lay.table_columns):  # rewrite as in-line strings (streamed mode)
        ws.write_string(0, i, c.header(lang), fmt.header)
    for i, c in enumerate(lay.computed_columns, start=n_table):
        ws.write_string(0, i, c.header(lang), fmt.spill_header)


class _Rows:
    """Writes a sheet's data rows, a chunk at a time, through xlsxwriter or the fast path."""

    def __init__(
        self,
        ws: Worksheet,
        lay: SheetLayout,
        cell_fmt: list[Any],
        formulas: dict[str, str],
        first: int,
        last: int,
    ) -> None:
        self.ws, self.lay, self.cell_fmt, self.formulas = ws, lay, cell_fmt, formulas
        self.first, self.last = first, last
        self.specs = [
            fastrows.RowColumn("input", cell_fmt[i])
            if c.role == "input"
            else fastrows.RowColumn("plain", cell_fmt[i])
            if lay.is_spill(c.key)
            else fastrows.RowColumn("formula", cell_fmt[i], formulas[c.key])
            for i, c in enumerate(lay.columns)
        ]

    def write_row(
        self, row: int, r: int, inputs: dict[str, list[Any]], cached: dict[str, list[Any]]
    ) -> None:
        """Row ``row`` (index ``r`` of the chunk) through xlsxwriter's per-cell calls."""
        ws, lay, formulas = self.ws, self.lay, self.formulas
        for i, c in enumerate(lay.columns):
            f = self.cell_fmt[i]
            if c.role == "input":
                _write_input(ws, row, i, inputs[c.key][r], f)
                continue
            value = cached[c.key][r]
            if lay.is_spill(c.key):
                if row == self.first and self.lay.legacy_arrays:  # Excel 2016/2019
                    ws.write_array_formula(
                        row, i, self.last, i, formulas[c.key], f, _formula_value(value)
                    )
                elif row == self.first:
                    ws.write_dynamic_array_formula(
                        row, i, self.last, i, formulas[c.key], f, _formula_value(value)
                    )
                else:
                    _write_plain(ws, row, i, value, f)
            else:
                ws.write_formula(row, i, formulas[c.key], f, _formula_value(value))

    def write_chunk(
        self,
        start: int,
        stop: int,
        is_last: bool,
        inputs: dict[str, list[Any]],
        cached: dict[str, list[Any]],
        fast: bool,
    ) -> None:
        """Rows ``start..stop-1`` of the data; the first row always through xlsxwriter."""
        skip = 1 if start == 0 else 0  # the first row: always xlsxwriter
        for r in range(skip if fast else stop - start):
            self.write_row(self.first + start + r, r, inputs, cached)
        if fast and stop - start > skip:
            values = [
                inputs[c.key][skip:]
                if c.role == "input"
                else cached[c.key][skip:]
                if self.lay.is_spill(c.key)
                else [_formula_value(v) for v in cached[c.key][skip:]]
                for c in self.lay.columns
            ]
            fastrows.write_rows(
                self.ws,
                self.first + start + skip,
                self.specs,
                values,
                functools.partial(_shifted, self.write_row, skip, inputs, cached),
                keep_last=is_last,
            )


def _shifted(write_row: Any, skip: int, inputs: Any, cached: Any, row: int, r: int) -> None:
    write_row(row, r + skip, inputs, cached)


def _formula_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, (np.floating, np.integer)):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _write_plain(ws: Worksheet, row: int, col: int, v: Any, f: Any) -> None:
    if v is None or v == "":
        return  # the column's format applies to an empty cell
    elif isinstance(v, str):
        ws.write_string(row, col, v, f)
    else:
        ws.write_number(row, col, float(v), f)


def _write_input(ws: Worksheet, row: int, col: int, v: Any, f: Any) -> None:
    if v is None:
        return  # the column's (unlocked, formatted) default applies to an empty cell
    elif isinstance(v, str):
        ws.write_string(row, col, v, f)  # customer text: always a string, never a formula
    elif isinstance(v, (_dt.datetime, _dt.date)):
        ws.write_datetime(row, col, v, f)
    elif isinstance(v, (int, float)):
        ws.write_number(row, col, v, f)
    else:
        ws.write_string(row, col, str(v), f)

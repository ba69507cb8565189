"""Column blocks: a run of a sheet's rows as columns, and their one conversion.

Both engines hand the reader the same thing, a :class:`Block` - the Excel row number of
each row and, per column read, its cells:

- python-calamine's rows (:func:`row_blocks`): an object array of the values as read
  (``""`` blank);
- fastexcel's typed slices (``addin.read.columnar``): a float64 array (NaN blank), a
  datetime64 array (NaT blank) or, for texts, ``(codes, distinct texts)`` (code -1 blank),
  with ``odd[col]``: the cells of a number or date column that hold a text, by position.

:func:`convert_block` converts any block with the calculation core's converters
(``addin.read.cells.Converter``): rows blank in every column read are dropped, each column
is typed and each bad cell becomes a finding with its address.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from udfs.core.data import Finding
from udfs.core.problems import Problem

from .cells import Converter, date_window, days_to_ns, spread

CHUNK_ROWS = 50_000
"""Rows of a calamine sheet per block (bounds the memory of raw cell objects)."""


@dataclass
class Block:
    """Rows ``rows[i]`` (Excel row numbers) of a sheet; ``cells[col]`` the cells of the
    0-based column ``col`` (see the module's docstring), ``odd[col]`` (positions, texts)."""

    rows: np.ndarray
    cells: dict[int, Any]
    odd: dict[int, tuple[np.ndarray, list[str]]] = field(default_factory=dict)


def row_blocks(
    rows: Iterable[list[Any]], numbers: Iterable[int], cols: list[int], size: int = CHUNK_ROWS
) -> Iterator[Block]:
    """Rows as calamine gives them (from column A; each with its Excel row number) as
    blocks of ``size`` rows: the cells of columns ``cols``, short rows padded with ``""``."""
    width = max(cols, default=0) + 1
    pick = (
        operator.itemgetter(*cols) if len(cols) > 1 else (lambda r: (r[cols[0]],) if cols else ())
    )
    chunk: list[Any] = []
    at: list[int] = []
    for row, number in zip(rows, numbers, strict=False):  # numbers may run on (a count)
        if len(row) < width:
            row = [*row, *([""] * (width - len(row)))]
        chunk.append(pick(row))
        at.append(number)
        if len(chunk) >= size:
            yield _block(chunk, at, cols)
            chunk, at = [], []
    if chunk:
        yield _block(chunk, at, cols)


def col_index(ref: str) -> int:
    """0-based column of a cell reference (``"AB12"`` -> 27); reads the leading letters."""
    n = 0
    for ch in ref:
        o = ord(ch)
        if 65 <= o <= 90:
            n = n * 26 + o - 64
        elif 97 <= o <= 122:
            n = n * 26 + o - 96
        else:
            break
    return n - 1


def _block(chunk: list[Any], at: list[int], cols: list[int]) -> Block:
    raw = np.empty((len(chunk), len(cols)), dtype=object)
    if cols:
        raw[:] = chunk
    return Block(np.asarray(at, dtype=np.int64), {c: raw[:, j] for j, c in enumerate(cols)})


def convert_block(
    conv: Converter, cols: dict[str, int], block: Block, findings: list[Finding]
) -> dict[str, Any]:
    """Typed columns of a block (``cols``: column key -> 0-based column): blank rows
    dropped, each bad cell appended to ``findings``; ``_row`` the Excel row numbers."""
    read = [c for c in conv.columns if c.key in cols]
    n = block.rows.size
    if read:
        filled = np.zeros(n, dtype=bool)
        for c in read:
            filled |= _filled(block, cols[c.key])
        keep = np.flatnonzero(filled)
    else:
        keep = np.arange(n)
    row_no = block.rows[keep]
    rows = row_no.tolist()
    out: dict[str, Any] = {"_row": row_no}
    for c in conv.columns:
        if c.key not in cols:
            out[c.key] = conv.empty(c, keep.size)
            continue
        col = cols[c.key]
        v = block.cells[col]
        raw_at: Any
        if isinstance(v, tuple):  # texts: each distinct text converted once
            codes: np.ndarray = v[0][keep]
            texts = np.array(v[1], dtype=object)  # a copy: the block keeps its texts
            texts[texts == ""] = None
            values, errors, problems = spread(conv.convert_cells(c, texts[:, None]), codes)

            def raw_at(i: int, codes: np.ndarray = codes, texts: np.ndarray = texts) -> Any:
                return texts[codes[i]]

        elif v.dtype == object:  # calamine's values
            cells = v[keep]
            cells[(cells == "") | (cells == None)] = None  # noqa: E711
            cells = cells[:, None]
            values, errors, problems = conv.convert_column(c, cells)

            def raw_at(i: int, cells: np.ndarray = cells) -> Any:
                return cells[i, 0]

        else:
            odd_at, odd_values = _odd_kept(block, col, keep)
            raw: dict[int, Any] = dict(zip(odd_at.tolist(), odd_values, strict=True))
            typed = v[keep]
            if typed.dtype.kind == "M":
                values, errors, problems = _dates(conv, c, typed, odd_at, odd_values)

                def raw_at(i: int, raw: dict[int, Any] = raw) -> Any:
                    return raw[i]

            else:
                values, errors, problems = conv.convert_cells(c, typed[:, None])
                if odd_at.size:
                    ov, oe, _unused = conv.convert_cells(c, _objects(odd_values))
                    values[odd_at], errors[odd_at] = ov, oe

                def raw_at(i: int, typed: np.ndarray = typed, raw: dict[int, Any] = raw) -> Any:
                    return raw[i] if i in raw else float(typed[i])

        out[c.key] = values
        conv.report(c, col, rows, raw_at, errors, problems, findings)
    return out


def _filled(block: Block, col: int) -> np.ndarray:
    """Cells that are neither blank nor an empty text."""
    v = block.cells[col]
    if isinstance(v, tuple):
        codes, distinct = v
        has = np.append(distinct != "", False)  # code -1: blank
        out = has[codes]
    elif v.dtype == object:
        out = ~((v == "") | (v == None))  # noqa: E711
    elif v.dtype.kind == "M":
        out = ~np.isnat(v)
    else:
        out = ~np.isnan(v)
    if col in block.odd:
        at, values = block.odd[col]
        out[at] = np.array([x != "" for x in values], dtype=bool)
    return out


def _odd_kept(block: Block, col: int, keep: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """(positions among the kept rows, texts) of the cells of ``col`` that hold a text."""
    if col not in block.odd:
        return np.zeros(0, dtype=np.int64), []
    at, values = block.odd[col]
    pos = np.searchsorted(keep, at)
    ok = (pos < keep.size) & (keep[np.minimum(pos, keep.size - 1)] == at) if keep.size else pos < 0
    return pos[ok], [x for x, k in zip(values, ok.tolist(), strict=True) if k]


def _objects(values: list[Any]) -> np.ndarray:
    out = np.empty((len(values), 1), dtype=object)
    out[:, 0] = values
    return out


def day_numbers(typed: np.ndarray, date_only: bool) -> np.ndarray:
    """Days since 1970-01-01 (NaN blank) of a datetime64 column; whole days for a date."""
    us = typed.astype("datetime64[us]").astype(np.int64)
    if date_only:
        us = us - us % 86_400_000_000
    return np.where(np.isnat(typed), np.nan, us / 86_400e6)


def in_window(typed: np.ndarray, c: Any) -> bool:
    """Every date of a datetime64 column is inside column ``c``'s window."""
    days = day_numbers(typed, c.kind == "date")
    lo, hi = date_window(c)
    return not (~np.isnan(days) & ((days < lo) | (days >= hi))).any()


def _dates(
    conv: Converter, c: Any, typed: np.ndarray, odd_at: np.ndarray, odd_values: list[str]
) -> tuple[np.ndarray, np.ndarray, dict[int, Problem]]:
    """A date column: native date cells (inside the window: the typed path checked)
    vectorised, as ``Converter.dates`` does; the texts in it through ``Converter.dates``."""
    values = days_to_ns(day_numbers(typed, c.kind == "date"))
    errors = np.full((typed.size, 1), None, dtype=object)
    problems: dict[int, Problem] = {}
    if odd_at.size:
        ov, oe, op = conv.dates(c, _objects(odd_values))
        values[odd_at], errors[odd_at] = ov, oe
        at = odd_at.tolist()
        problems = {at[int(i)]: problem for i, problem in op.items()}
    return values, errors, problems


def concat(parts: list[dict[str, Any]], conv: Converter) -> pd.DataFrame:
    """Converted blocks as one table: the converter's columns, text as object, dates as
    datetime64, ``_row`` the Excel row numbers."""
    cols: dict[str, Any] = {}
    for c in conv.columns:
        arrays = [p[c.key] for p in parts]
        arr = np.concatenate(arrays) if len(arrays) > 1 else arrays[0]
        # text stays object (str or None), not pandas' inferred string dtype
        cols[c.key] = pd.Series(arr, dtype=object) if arr.dtype == object else arr
    rows = np.concatenate([p["_row"] for p in parts])
    df = pd.DataFrame(cols)
    for c in conv.columns:
        if c.kind in ("datetime", "date"):
            df[c.key] = pd.to_datetime(df[c.key])
    df["_row"] = rows.astype(np.int64)
    return df

"""The fast path for the data rows of big Tables: the same XML xlsxwriter writes, streamed.

A 100,000-row import writes about three million cells; through xlsxwriter's per-cell
``write_*`` calls (argument checks, a namedtuple per cell, a dict per row, attribute lists
per cell) that is most of ``csq import``'s time.  :func:`write_rows` writes the same rows
straight into the worksheet's ``constant_memory`` row file, column by column, as exactly
the XML xlsxwriter itself would write for ``write_string`` / ``write_number`` /
``write_datetime`` / ``write_formula`` with the cell's format (``tests/test_fastrows.py``
holds both paths to byte-for-byte equal sheets).  Everything else - the Table, validation,
protection, names, the first row's spill formulas - stays with xlsxwriter.  After each
batch, a :class:`~workbook_templates.xlsx_safe.SafeWorksheet` is told the rows are written
(its row file starts deflating on threads: :mod:`workbook_templates.parallel_zip`).

A row holding anything unusual (a text with control characters, ``_xHHHH_`` escapes,
Excel's 32,767-character limit or rich-text markup, a non-finite number, a value of another
type) is handed to xlsxwriter's own calls, so its quirks are kept exactly; so is every row
of a sheet whose settings the fast path does not reproduce (row formats or heights,
Excel 2010 row attributes, array formulas).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from workbook_templates.xlsx_internals import (
    CONTROL_CHARS_1,
    CONTROL_CHARS_2,
    DYNAMIC_FUNCTION,
    excel_datetime,
    prepare_formula,
    write_single_row,
    xf_index,
)
from workbook_templates.xlsx_safe import SafeWorksheet

MEMO_MAX = 100_000
"""Distinct texts whose cell XML is remembered per column (teams, agents, labels repeat)."""
_STRMAX_HALF = 32767 // 2  # xlsxwriter checks the UTF-16 length only above this
_ERROR_CODES = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))
_ODD = object()  # marks a cell the fast path leaves to xlsxwriter
_NONE = type(None)
_FACTOR_TYPES = frozenset((str, int, float, bool, _dt.datetime, _dt.date))
"""Value types a column is factorised by (pandas, as one type); others: a dict per value."""
BLOCK_ROWS = 10_000
"""Rows assembled and written at a time."""


def _objects(items: list[Any]) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


@dataclass(frozen=True)
class RowColumn:
    """One column of the rows: how its cells are written and with which format.

    ``kind``: ``"input"`` (``_write_input``: text, number, date), ``"formula"``
    (``write_formula`` with the cached value) or ``"plain"`` (``_write_plain``: the cells
    below a spilled formula's anchor, written as values)."""

    kind: str
    cell_format: Any
    formula: str = ""


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text_tail(s: str) -> Any:
    """The XML after ``<c r=".." s=".."`` of an in-line string cell, or _ODD."""
    if (
        len(s) > _STRMAX_HALF
        or CONTROL_CHARS_1.search(s)
        or CONTROL_CHARS_2.search(s)
        or "\ufffe" in s
        or "\uffff" in s
        or (s.startswith("<r>") and s.endswith("</r>"))
    ):
        return _ODD
    t = ' xml:space="preserve"' if s and (s[0].isspace() or s[-1].isspace()) else ""
    return f' t="inlineStr"><is><t{t}>{_escape(s)}</t></is></c>'


def _texts(strs: list[str], plain: bool) -> list[Any]:
    """:func:`_text_tail` of each text (``plain``: "" for the empty text), the checks and
    the escaping done on all of them joined by line breaks where none has one (none of
    the checks matches across a line break, the escaping leaves line breaks be)."""
    joined = "\n".join(strs)
    if (
        joined.count("\n") != len(strs) - 1
        or CONTROL_CHARS_1.search(joined)
        or CONTROL_CHARS_2.search(joined)
        or "\ufffe" in joined
        or "\uffff" in joined
        or "<r>" in joined
        or max(map(len, strs), default=0) > _STRMAX_HALF
    ):
        return ["" if plain and s == "" else _text_tail(s) for s in strs]
    out = []
    for s, e in zip(strs, _escape(joined).split("\n"), strict=True):
        if not s:
            out.append("" if plain else ' t="inlineStr"><is><t></t></is></c>')
        elif s[0].isspace() or s[-1].isspace():
            out.append(f' t="inlineStr"><is><t xml:space="preserve">{e}</t></is></c>')
        else:
            out.append(f' t="inlineStr"><is><t>{e}</t></is></c>')
    return out


def _number_tail(v: float) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return _ODD
    return f"><v>{v:.16G}</v></c>"


class _Column:
    def __init__(self, ws: Worksheet, col: int, spec: RowColumn) -> None:
        self.letter = xl_col_to_name(col)
        self.spec = spec
        self.memo: dict[str, Any] = {}
        self.ws = ws
        self.formula = ""
        if spec.kind == "formula":
            self.formula = _escape(prepare_formula(ws, spec.formula))

    def text(self, s: str) -> Any:
        memo = self.memo
        tail = memo.get(s)
        if tail is None:
            tail = _text_tail(s)
            if len(memo) < MEMO_MAX:
                memo[s] = tail
        return tail

    def factor(self, values: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
        """(codes, tails): ``tails[codes[i]]`` is :meth:`tail` of ``values[i]``, each
        distinct value's tail made once.  Keyed by type and value: 1, 1.0 and True are
        different cells of a formula, 0.0 and -0.0 different numbers."""
        types = set(map(type, values))
        kinds = types - {_NONE}
        if len(kinds) > 1 or not kinds <= _FACTOR_TYPES:
            return self._factor_loop(values)
        kind = next(iter(kinds), _NONE)
        n = len(values)
        if kind is _NONE:
            return np.zeros(n, dtype=np.intp), _objects([self.tail(None)])
        arr = np.empty(n, dtype=object)
        arr[:] = values
        if kind is float:  # by the bits of the number (NaN, -0.0 ...), blanks apart
            bits = np.array(values, dtype=np.float64).view(np.int64)
            if _NONE in types:
                present = arr != None  # noqa: E711  (elementwise)
                codes = np.full(n, -1, dtype=np.intp)
                codes[present] = pd.factorize(bits[present])[0]
            else:
                codes = pd.factorize(bits)[0]
        else:  # one type of hashable value: equal values, equal cells
            codes, _ = pd.factorize(arr, use_na_sentinel=True)
        codes = np.asarray(codes, dtype=np.intp)
        blank = codes < 0
        has_blank = bool(blank.any())
        seen = codes[~blank] if has_blank else codes
        k = int(seen.max()) + 1 if len(seen) else 0
        first = np.full(k, n, dtype=np.intp)  # each code's first row: its value as given
        np.minimum.at(first, seen, np.flatnonzero(~blank) if has_blank else np.arange(n))
        tail = self.tail
        reps = arr[first].tolist()
        if kind is str and self.spec.kind != "formula":
            tails = _texts(reps, self.spec.kind == "plain")
        else:
            tails = [tail(v) for v in reps]
        if has_blank:
            codes[blank] = k
            tails.append(tail(None))
        return codes, _objects(tails)

    def _factor_loop(self, values: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
        memo: dict[tuple[type, Any], int] = {}
        tails: list[Any] = []
        codes: list[int] = []
        append = codes.append
        tail = self.tail
        for v in values:
            k = (v.__class__, v)
            try:
                c = memo.get(k)
            except TypeError:  # unhashable: never from a sheet; xlsxwriter decides
                append(len(tails))
                tails.append(tail(v))
                continue
            if c is None:
                c = memo[k] = len(tails)
                tails.append(tail(v))
            append(c)
        return np.asarray(codes, dtype=np.intp), _objects(tails)

    def tail(self, v: Any) -> Any:
        """The cell XML after its reference and style, "" for no cell, or _ODD."""
        kind = self.spec.kind
        if kind == "formula":
            return self._formula_tail(v)
        if v is None:
            return ""
        if kind == "plain":
            if isinstance(v, str):
                return "" if v == "" else self.text(v)
            try:
                return _number_tail(float(v))
            except (TypeError, ValueError):
                return _ODD
        if isinstance(v, str):
            return self.text(v)
        if isinstance(v, (_dt.datetime, _dt.date)):
            if isinstance(v, _dt.datetime) and v.tzinfo is not None:
                return _ODD
            serial = excel_datetime(v, self.ws.date_1904, self.ws.remove_timezone)
            return f"><v>{serial:.16G}</v></c>"
        if isinstance(v, (int, float)):
            return _number_tail(v)
        return _ODD

    def _formula_tail(self, v: Any) -> Any:
        t = ""
        if isinstance(v, bool):
            t, v = ' t="b"', int(v)
        elif isinstance(v, str):
            if v in _ERROR_CODES:
                t = ' t="e"'
            elif v:
                t = ' t="str"'
            v = _escape(v)
        elif not isinstance(v, (int, float)):
            return _ODD
        return f"{t}><f>{self.formula}</f><v>{v}</v></c>"


def _patterns(has: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a boolean matrix and each row's index among them."""
    if has.shape[1] > 64:
        patterns, which = np.unique(has, axis=0, return_inverse=True)
        return patterns, which.reshape(-1)
    packed = np.zeros((has.shape[0], 8), dtype=np.uint8)
    bits = np.packbits(has, axis=1, bitorder="little")
    packed[:, : bits.shape[1]] = bits
    which = np.asarray(pd.factorize(packed.view(np.uint64)[:, 0])[0], dtype=np.intp)
    first = np.full(int(which.max()) + 1 if len(which) else 0, len(which), dtype=np.intp)
    np.minimum.at(first, which, np.arange(len(which)))
    return has[first], which


def fast_path_possible(ws: Worksheet, specs: Sequence[RowColumn], rows: range) -> bool:
    """Whether :func:`write_rows` can write these rows of ``ws`` itself (else: xlsxwriter)."""
    if not ws.constant_memory or ws.excel_version == 2010 or ws.comments:
        return False
    if ws.default_row_height != ws.original_row_height:
        return False
    if any(r in ws.row_info for r in rows):
        return False
    for s in specs:
        if s.kind == "formula" and (
            DYNAMIC_FUNCTION.search(s.formula) or s.formula.startswith("{")
        ):
            return False
    return True


def write_rows(
    ws: Worksheet,
    first_row: int,
    specs: Sequence[RowColumn],
    values: Sequence[Sequence[Any]],
    slow_row: Callable[[int, int], None],
    keep_last: bool = False,
) -> None:
    """Write ``len(values[0])`` rows from 0-based ``first_row``: ``values[j][r]`` is the
    cell of column ``j`` (0-based, from column A) in row ``first_row + r``.

    Rows with a cell the fast path does not write itself go through
    ``slow_row(row, r)``, which must write row ``row`` (index ``r`` of the values) with
    xlsxwriter's own calls.  ``keep_last``: these are the sheet's last rows; the last row
    with a cell is written through ``slow_row`` too and left to xlsxwriter to finish when
    the workbook closes, as its own writes would (a format first used there then gets its
    number last, as before).  ``ws`` must be in ``constant_memory`` mode with every row
    before ``first_row`` written; call :func:`fast_path_possible` first.
    """
    n = len(values[0]) if values else 0
    if n == 0:
        return
    cols = [_Column(ws, j, s) for j, s in enumerate(specs)]
    factors = [col.factor(values[j]) for j, col in enumerate(cols)]
    filled, odd_rows = _filled(factors, n)
    used = sorted(filled)
    if not used:
        return
    any_cell = np.zeros(n, dtype=bool)
    for j in used:
        any_cell |= filled[j]
    rows = np.flatnonzero(any_cell)
    end = int(rows[-1]) if keep_last else n  # rows from here on: xlsxwriter's
    rows = rows[rows < end]
    if not len(rows):  # only the last row has cells: xlsxwriter's, flushed at close
        if end < n:
            slow_row(first_row + end, end)
        return

    # the row xlsxwriter still holds; from here its table is empty
    write_single_row(ws, first_row)
    _number_formats(specs, used, filled, end)
    parts = _Parts(
        used,
        filled,
        [factors[j][0] for j in used],
        [f'<c r="{cols[j].letter}' for j in used],
        _posts(specs, used, factors),
    )
    last = -1
    odd_at = rows[odd_rows[rows]]
    done = 0  # index into rows: the rows before it are written
    for r in odd_at.tolist():
        upto = int(np.searchsorted(rows, r))
        last = _write_fast(ws, first_row, parts, rows[done:upto], last)
        row_no = first_row + r
        ws.previous_row = row_no  # empty table: nothing to flush
        slow_row(row_no, r)
        write_single_row(ws, row_no + 1)
        done = upto + 1
    last = _write_fast(ws, first_row, parts, rows[done:], last)
    if isinstance(ws, SafeWorksheet):  # the rows written start deflating on threads
        ws.rows_streamed()
    ws.previous_row = max(ws.previous_row, first_row + max(last, 0))
    if end < n:
        slow_row(first_row + end, end)  # flushed by xlsxwriter: at the next row or at close
    else:
        ws.previous_row = max(ws.previous_row, first_row + n - 1)


def _filled(
    factors: Sequence[tuple[np.ndarray, np.ndarray]], n: int
) -> tuple[dict[int, np.ndarray], np.ndarray]:
    """Per column with a cell, the rows with one; and the rows with a cell the fast path
    does not write itself."""
    filled: dict[int, np.ndarray] = {}  # column -> rows with a cell
    odd_rows = np.zeros(n, dtype=bool)
    for j, (codes, tails) in enumerate(factors):
        has = (tails != "")[codes]  # noqa: PLC1901  (elementwise; _ODD counts as a cell)
        if has.any():
            filled[j] = has
            odd = np.fromiter((t is _ODD for t in tails.tolist()), dtype=bool, count=len(tails))
            if odd.any():
                odd_rows |= odd[codes]
    return filled, odd_rows


def _number_formats(
    specs: Sequence[RowColumn], used: list[int], filled: dict[int, np.ndarray], end: int
) -> None:
    """Formats get their number in the order xlsxwriter would first use them: row by row."""
    first_use = []
    for j in used:
        if specs[j].cell_format.xf_index is None:
            at = np.flatnonzero(filled[j][:end])
            if len(at):
                first_use.append((int(at[0]), j))
    for _r, j in sorted(first_use):
        xf_index(specs[j].cell_format)


def _posts(
    specs: Sequence[RowColumn],
    used: list[int],
    factors: Sequence[tuple[np.ndarray, np.ndarray]],
) -> list[np.ndarray]:
    """The cell XML after the row number, per distinct value of each column with a cell."""
    posts = []
    for j in used:
        style = f'" s="{xf_index(specs[j].cell_format)}"'
        tails = factors[j][1]
        posts.append(_objects([t if t == "" or t is _ODD else style + t for t in tails.tolist()]))
    return posts


@dataclass(frozen=True)
class _Parts:
    """What the rows' XML is made of, for the columns with a cell (``used``): the rows with
    a cell per column, each row's value code, the cell XML before and after the row number."""

    used: list[int]
    filled: dict[int, np.ndarray]
    codes: list[np.ndarray]
    heads: list[str]
    posts: list[np.ndarray]


def _write_fast(ws: Worksheet, first_row: int, parts: _Parts, fast: np.ndarray, last: int) -> int:
    """The rows ``fast`` (ascending, every cell the fast path's), as xlsxwriter would;
    returns the last row written (``last`` when there is none)."""
    write = ws.fh.write
    used, heads = parts.used, parts.heads
    for b in range(0, len(fast), BLOCK_ROWS):
        block = fast[b : b + BLOCK_ROWS]
        nums = _objects(list(map(str, (block + (first_row + 1)).tolist())))
        # rows with cells in the same columns share one %-template of their XML
        has = np.stack([parts.filled[j][block] for j in used], axis=1)
        patterns, which = _patterns(has)
        cells = [parts.posts[k][parts.codes[k][block]] for k in range(len(used))]
        out = np.empty(len(block), dtype=object)
        for p, pattern in enumerate(patterns):
            at = np.flatnonzero(which == p) if len(patterns) > 1 else np.arange(len(block))
            ks = np.flatnonzero(pattern).tolist()
            template = '<row r="%s">' + "".join(heads[k] + "%s%s" for k in ks) + "</row>"
            num = nums[at].tolist()
            args = [num]
            for k in ks:
                args += (num, cells[k][at].tolist())
            out[at] = list(map(template.__mod__, zip(*args, strict=True)))
        write("".join(out.tolist()))
    if len(fast):
        _extend(ws, first_row + int(fast[0]), first_row + int(fast[-1]), used[0], used[-1])
        return int(fast[-1])
    return last


def _extend(ws: Worksheet, row_lo: int, row_hi: int, col_lo: int, col_hi: int) -> None:
    """Widen the sheet's dimension (its used range) as xlsxwriter's writes would."""
    ws.dim_rowmin = row_lo if ws.dim_rowmin is None else min(ws.dim_rowmin, row_lo)
    ws.dim_rowmax = row_hi if ws.dim_rowmax is None else max(ws.dim_rowmax, row_hi)
    ws.dim_colmin = col_lo if ws.dim_colmin is None else min(ws.dim_colmin, col_lo)
    ws.dim_colmax = col_hi if ws.dim_colmax is None else max(ws.dim_colmax, col_hi)

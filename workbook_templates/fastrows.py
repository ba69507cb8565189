"""The fast path for the data rows of big Tables: the same XML xlsxwriter writes, streamed.

A 100,000-row import writes about three million cells; through xlsxwriter's per-cell
``write_*`` calls (argument checks, a namedtuple per cell, a dict per row, attribute lists
per cell) that is most of ``csq import``'s time.  :func:`write_rows` writes the same rows
straight into the worksheet's ``constant_memory`` row file, column by column, as exactly
the XML xlsxwriter itself would write for ``write_string`` / ``write_number`` /
``write_datetime`` / ``write_formula`` with the cell's format (``tests/test_fastrows.py``
holds both paths to byte-for-byte equal sheets).  Everything else - the Table, validation,
protection, names, the first row's spill formulas - stays with xlsxwriter.

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

from xlsxwriter.utility import _datetime_to_excel_datetime, xl_col_to_name
from xlsxwriter.worksheet import Worksheet, re_dynamic_function
from xlsxwriter.xmlwriter import re_control_chars_1, re_control_chars_2

MEMO_MAX = 100_000
"""Distinct texts whose cell XML is remembered per column (teams, agents, labels repeat)."""
_STRMAX_HALF = 32767 // 2  # xlsxwriter checks the UTF-16 length only above this
_ERROR_CODES = frozenset(("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"))
_ODD = object()  # marks a cell the fast path leaves to xlsxwriter


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
        or re_control_chars_1.search(s)
        or re_control_chars_2.search(s)
        or "\ufffe" in s
        or "\uffff" in s
        or (s.startswith("<r>") and s.endswith("</r>"))
    ):
        return _ODD
    t = ' xml:space="preserve"' if s and (s[0].isspace() or s[-1].isspace()) else ""
    return f' t="inlineStr"><is><t{t}>{_escape(s)}</t></is></c>'


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
            self.formula = _escape(ws._prepare_formula(spec.formula))

    def text(self, s: str) -> Any:
        memo = self.memo
        tail = memo.get(s)
        if tail is None:
            tail = _text_tail(s)
            if len(memo) < MEMO_MAX:
                memo[s] = tail
        return tail

    def tails(self, values: Sequence[Any]) -> list[Any]:
        """:meth:`tail` of every value; repeated values (scores, ratings, labels) once.
        Keyed by type and value: 1, 1.0 and True are different cells of a formula."""
        memo: dict[tuple[type, Any], Any] = {}
        out: list[Any] = []
        append = out.append
        tail = self.tail
        for v in values:
            if v is None and self.spec.kind != "formula":
                append("")
                continue
            k = (v.__class__, v)
            try:
                t = memo.get(k)
            except TypeError:  # unhashable: never from a sheet; xlsxwriter decides
                append(tail(v))
                continue
            if t is None:
                t = tail(v)
                if len(memo) < MEMO_MAX:
                    memo[k] = t
            append(t)
        return out

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
            serial = _datetime_to_excel_datetime(v, self.ws.date_1904, self.ws.remove_timezone)
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
            re_dynamic_function.search(s.formula) or s.formula.startswith("{")
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
    tails = [col.tails(values[j]) for j, col in enumerate(cols)]
    used = [j for j in range(len(cols)) if any(tails[j])]
    if not used:
        return
    rows = [i for i, cells in enumerate(zip(*(tails[j] for j in used), strict=True)) if any(cells)]
    end = rows[-1] if keep_last else n  # rows from here on: xlsxwriter's
    # formats get their number in the order xlsxwriter would first use them: row by row
    first_use = []
    for j in used:
        if specs[j].cell_format.xf_index is None:
            r = next((i for i, t in enumerate(tails[j][:end]) if t != ""), None)
            if r is not None:
                first_use.append((r, j))

    numbers = [str(first_row + 1 + r) for r in range(end)]
    cells: list[list[Any]] = []
    for j in used:
        cells.append([f'<c r="{cols[j].letter}', "", tails[j]])  # finished once numbered
    flushed = False
    last = -1
    lo: int | None = None  # first fast row with a cell since the last slow row
    out: list[str] = []
    write = ws.fh.write

    def flush() -> None:
        nonlocal flushed
        if not flushed:  # the row xlsxwriter still holds; from here its table is empty
            ws._write_single_row(first_row)
            flushed = True
            for _r, j in sorted(first_use):
                specs[j].cell_format._get_xf_index()
            for k, j in enumerate(used):
                head, _style, t = cells[k]
                style = f' s="{specs[j].cell_format._get_xf_index()}"'
                cells[k] = [
                    x if x == "" or x is _ODD else f'{head}{num}"{style}{x}'
                    for num, x in zip(numbers, t[:end], strict=True)
                ]

    for r in rows:
        if r >= end:
            break
        if not flushed:
            flush()
        row = [c[r] for c in cells]
        if _ODD in row:
            if out:
                write("".join(out))
                out.clear()
            row_no = first_row + r
            if lo is not None:  # the fast rows before it, in the sheet's dimension
                _extend(ws, first_row + lo, first_row + last, used[0], used[-1])
                lo = None
            ws.previous_row = row_no  # empty table: nothing to flush
            slow_row(row_no, r)
            ws._write_single_row(row_no + 1)
            continue
        out.append(f'<row r="{numbers[r]}">{"".join(row)}</row>')
        last = r
        if lo is None:
            lo = r
        if len(out) >= 2000:
            write("".join(out))
            out.clear()
    if out:
        write("".join(out))
    if lo is not None:
        _extend(ws, first_row + lo, first_row + last, used[0], used[-1])
    if flushed:
        ws.previous_row = max(ws.previous_row, first_row + max(last, 0))
    if end < n:
        slow_row(first_row + end, end)  # flushed by xlsxwriter: at the next row or at close
    elif flushed:
        ws.previous_row = max(ws.previous_row, first_row + n - 1)


def _extend(ws: Worksheet, row_lo: int, row_hi: int, col_lo: int, col_hi: int) -> None:
    """Widen the sheet's dimension (its used range) as xlsxwriter's writes would."""
    ws.dim_rowmin = row_lo if ws.dim_rowmin is None else min(ws.dim_rowmin, row_lo)
    ws.dim_rowmax = row_hi if ws.dim_rowmax is None else max(ws.dim_rowmax, row_hi)
    ws.dim_colmin = col_lo if ws.dim_colmin is None else min(ws.dim_colmin, col_lo)
    ws.dim_colmax = col_hi if ws.dim_colmax is None else max(ws.dim_colmax, col_hi)

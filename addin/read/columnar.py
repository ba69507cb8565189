"""Large data sheets read as typed columns: Rust parsing, no Python object per cell.

calamine (through python-calamine) hands every cell to Python as an object; on a
100,000-row Monitoring sheet that and the row-by-row conversion cost more than the
parsing itself.  :class:`ColumnarSheet` reads such a sheet in two parts:

- the first :data:`HEAD_ROWS` rows (where the header row is looked for) through
  python-calamine, exactly as every other sheet, so header detection and the header
  findings are the same;
- the rows below them a slice at a time (``addin.read.chunked``: the worksheet XML cut
  at row boundaries, each slice wrapped in a small workbook) through fastexcel, which
  parses in Rust and returns Arrow columns of the declared types: numbers, dates and
  texts.  Two slices are parsed at once (the parser releases the GIL), while this thread
  cuts the next slice and converts the last one.

Each slice becomes one :class:`~addin.read.blocks.Block` of typed columns.  Each slice
starts with one extra row (a cell in column A and one in the last column read) just above
its first row, so the columns and rows fastexcel returns are the sheet's own column
indices and row numbers.

The values must be the ones python-calamine gives, or the findings would differ.  A cell
whose type does not match its column (a text in a number column) is a cell error to
fastexcel; those cells are read again as texts (fastexcel's ``string`` type, that
column of that slice only).  A slice this module cannot vouch for is read again by
python-calamine, that slice only (the one fallback): a boolean or ISO-date cell, a date
outside the column's window or a time, a text column holding a number with decimals or a
date (fastexcel writes those as its own text), a number column holding such a text, a
Rust panic.  The merged cells are read from the end of the worksheet XML.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from workbook_templates.schema import Column, col_letter

from .blocks import Block, col_index, in_window, row_blocks
from .chunked import ChunkedSheet, NotSliceable
from .error_cells import scan_errors
from .native_stderr import is_panic, note_panic

if TYPE_CHECKING:
    from concurrent.futures import Future

    from fastexcel import DType

HEAD_ROWS = 30
"""Rows read through python-calamine (the reader looks for the header row in these)."""
SLICE_BYTES = 12_000_000
"""Worksheet XML per fastexcel slice (about 10,000 monitoring rows): larger slices cost
more memory (three are in flight) and no time back, smaller ones more time per row."""
WORKERS = 2
"""Slices parsed at the same time."""
DTYPES: dict[str, DType] = {
    "text": "string",
    "choice": "string",
    "yn": "string",
    "number": "float",
    "score": "float",
    "integer": "float",
    "rubric": "string",  # 1-5 or N/A: a whole number reads as its digits, as calamine's 5.0
    "datetime": "datetime",
    "date": "datetime",
}
"""The fastexcel type each column kind is read as."""

_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_ROW_NUMBER = re.compile(rb'\sr\s*=\s*["\'](\d+)["\']')
_BOOLEAN_CELL = re.compile(rb"""t=["']b["']""")
_MERGE = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref\s*=\s*["']([^"']*)["']""")
# fastexcel's own text for a number with decimals or a date in a text column
_NOT_TEXT = r"^\s*-?\d+\.\d+\s*$|^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|^(?:true|false)$"
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
_ISO_DATE_CELL = re.compile(rb"""t=["']d["']""")


class NotColumnar(ValueError):
    """A slice holds something the typed columns do not read as python-calamine would."""


def available() -> bool:
    """fastexcel and pyarrow are installed (both are dependencies; with a broken install
    calamine reads every sheet)."""
    try:
        import fastexcel  # noqa: F401
        import pyarrow  # noqa: F401
    except Exception:  # noqa: BLE001 - any failure to import: calamine
        return False
    return True


class ColumnarSheet(ChunkedSheet):
    """A large worksheet: the head rows as lists (``iter_rows``), the rest as blocks of
    typed columns (``blocks``)."""

    slice_bytes = SLICE_BYTES

    def __init__(self, zf: zipfile.ZipFile, part: str, sheet_name: str) -> None:
        super().__init__(zf, part, sheet_name)
        # every slice's workbook carries the shared strings, parsed again for each slice:
        # with many of them (a sheet saved by Excel), fewer and larger slices
        shared = sum(len(v) for k, v in self._base.items() if k.endswith("sharedStrings.xml"))
        self.slice_bytes = max(self.slice_bytes, 2 * shared)
        prefix, buf, row_end, data_end = self._head
        head_xml, rest = self._head_cut(buf, data_end)
        self._head = (prefix, rest, row_end, data_end)
        scan_errors(head_xml, self.error_cells)  # the rest is scanned as it is sliced
        row0, rows = self._read_slice(head_xml) if head_xml.strip() else (0, [])
        self._head_rows: list[list[Any]] = [[] for _ in range(row0)] + rows if rows else []
        del self._head_rows[HEAD_ROWS:]

    def _head_cut(self, buf: bytes, data_end: bytes) -> tuple[bytes, bytes]:
        """(XML of the rows numbered up to HEAD_ROWS, the XML after them)."""
        pos = 0
        end = buf.find(data_end)
        while True:
            m = _ROW.search(buf, pos)
            if m is not None and (end < 0 or m.start() < end):
                close = buf.find(b">", m.start())
                if close < 0:
                    m = None  # the tag continues in the next block
                else:
                    number = _row_number(buf, m.start(), close)
                    if number is None:
                        raise NotSliceable("a row without its number")
                    if number > HEAD_ROWS:
                        return buf[: m.start()], buf[m.start() :]
                    pos = close
                    continue
            if end >= 0 and m is None:
                return buf[:end], buf[end:]
            block = self._stream.read(1 << 20)
            if not block:
                raise NotSliceable("sheetData not closed")
            buf += block
            end = buf.find(data_end)

    def iter_rows(self) -> Iterator[list[Any]]:
        """The head rows (from row 1 and column A, blank rows included)."""
        return iter(self._head_rows)

    def blocks(self, columns: dict[int, Column], typed: bool = True) -> Iterator[Block]:
        """The rows below the head, a slice at a time, each as one block: typed columns
        (``columns``: 0-based column -> the column read there), or the slice's rows as
        python-calamine gives them where the typed columns cannot vouch for it (or
        ``typed`` is false).  Then ``merged_cell_ranges`` holds the sheet's merged cells."""
        from concurrent.futures import ThreadPoolExecutor

        pending: list[Future[Block]] = []
        with ThreadPoolExecutor(WORKERS) as pool:
            try:
                for xml in self._slices():
                    pending.append(pool.submit(self._load, xml, columns, typed))
                    del xml
                    if len(pending) > WORKERS:
                        yield pending.pop(0).result()
                while pending:
                    yield pending.pop(0).result()
            finally:
                for f in pending:
                    f.cancel()
        self.merged_cell_ranges = [_cell_range(m.group(1)) for m in _MERGE.finditer(self.tail)]

    def _load(self, xml: bytes, columns: dict[int, Column], typed: bool) -> Block:
        """One slice as a block of typed columns (in a worker thread), or of its rows as
        python-calamine reads them where the typed columns cannot vouch for it."""
        first = _first_row(xml)
        if typed and first is not None and first > HEAD_ROWS and columns:
            try:
                if _BOOLEAN_CELL.search(xml) or _ISO_DATE_CELL.search(xml):
                    raise NotColumnar("boolean or ISO date cells")  # TRUE would be 1
                return self._typed(xml, first, columns)
            except NotColumnar:
                pass
            except BaseException as exc:  # a Rust panic: calamine, or openpyxl, reads it
                if not is_panic(exc):
                    raise
                note_panic()
        row0, rows = self._read_slice(xml)
        cols = sorted(columns)
        if not rows:
            return Block(np.zeros(0, dtype=np.int64), {c: np.zeros(0, dtype=object) for c in cols})
        return next(row_blocks(rows, range(row0 + 1, row0 + 1 + len(rows)), cols, len(rows)))

    def _typed(self, xml: bytes, first: int, columns: dict[int, Column]) -> Block:
        book = self._package(xml, before=self._anchor(first, max(columns)))
        dtypes = {col: DTYPES[c.kind] for col, c in columns.items()}
        batch, errors = _load_sheet(book, self.name, dtypes)
        n = batch.num_rows - 1  # row 0 is the anchor row
        # cells of a number or date column holding a text (a string column has none:
        # its only cell errors are error cells such as #N/A, blank as in calamine)
        bad: dict[int, list[int]] = {}
        for row, col in errors:
            if row > 0 and dtypes.get(col, "string") != "string":
                bad.setdefault(col, []).append(row)
        cells = {
            col: _numpy(batch.column(f"__UNNAMED__{col}").slice(1), dtypes[col], c.kind)
            for col, c in columns.items()
        }
        del batch
        for col, c in columns.items():
            if dtypes[col] == "datetime" and not in_window(cells[col], c):
                raise NotColumnar("a date outside the window")  # or a time, a duration
        odd: dict[int, tuple[np.ndarray, list[str]]] = {}
        if bad:  # those columns again as texts
            texts, _unused = _load_sheet(book, self.name, dict.fromkeys(bad, "string"))
            for col, at in bad.items():
                column = texts.column(f"__UNNAMED__{col}")
                values = ["" if v is None else v for v in column.take(at).to_pylist()]
                # a date cell in a number column is a cell error too, written by
                # fastexcel as a text (a number in a date column is read as a date)
                if dtypes[col] == "float" and any(_DATE_TEXT.search(v) for v in values):
                    raise NotColumnar("a date in a number column")
                odd[col] = (np.asarray(at, dtype=np.int64) - 1, values)
        return Block(first + np.arange(n, dtype=np.int64), cells, odd)

    def _anchor(self, first: int, last: int) -> bytes:
        """One row above the slice's first: cells in column A and in the last column read,
        so fastexcel's rows and columns start at A{first - 1}."""
        ns = self.ns.decode()
        r = first - 1
        cells = f'<{ns}c r="A{r}"><{ns}v>0</{ns}v></{ns}c>'
        if last > 0:
            cells += f'<{ns}c r="{col_letter(last)}{r}"><{ns}v>0</{ns}v></{ns}c>'
        return f'<{ns}row r="{r}">{cells}</{ns}row>'.encode()


def _load_sheet(
    book: bytes, name: str, dtypes: dict[int, DType]
) -> tuple[Any, list[tuple[int, int]]]:
    """fastexcel's typed columns of a slice's workbook and the (row, column) of each cell
    that did not convert; raises NotColumnar where fastexcel fails."""
    import fastexcel

    by_column: dict[str | int, DType] = {col: dtype for col, dtype in dtypes.items()}
    try:
        sheet = fastexcel.read_excel(book).load_sheet(
            name,
            header_row=None,
            use_columns=sorted(dtypes),
            dtypes=by_column,
            dtype_coercion="coerce",
        )
        batch, errors = sheet.to_arrow_with_errors()
    except Exception as exc:  # noqa: BLE001 - calamine reads the slice instead
        raise NotColumnar(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    return batch, [e.position for e in (errors.errors if errors is not None else ())]


def _cell_range(ref: bytes) -> tuple[tuple[int, int], tuple[int, int]]:
    """``b"A1:B2"`` -> ((0, 0), (1, 1)), as python-calamine gives merged cells."""
    first, _sep, last = ref.decode("ascii", "replace").replace("$", "").partition(":")
    r0, c0 = _ref(first)
    r1, c1 = _ref(last) if last else (r0, c0)
    return (r0, c0), (r1, c1)


def _ref(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Za-z]{1,3})(\d+)", ref.strip())
    if m is None:
        return 0, 0
    return int(m.group(2)) - 1, col_index(m.group(1))


def _numpy(arr: Any, dtype: str, kind: str) -> Any:
    """float64 (NaN blank), datetime64[ms] (NaT blank), or for texts the pair (codes, the
    distinct texts: an object array; code -1 blank).  A number in a column read as texts
    comes as fastexcel's text: its digits for a whole number (as ``display`` shows the
    number, and converted alike); a slice with any other number there is not vouched for."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if dtype == "float":
        return arr.to_numpy(zero_copy_only=False)
    if dtype == "datetime":
        return arr.cast(pa.timestamp("ms")).to_numpy(zero_copy_only=False)
    enc = arr.dictionary_encode()
    pattern = _NOT_TEXT + (r"|^\s*-?\d{16,}\s*$" if kind == "rubric" else "")
    if len(enc.dictionary) and pc.any(pc.match_substring_regex(enc.dictionary, pattern)).as_py():
        raise NotColumnar("a number with decimals or a date in a text column")
    codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, np.asarray(enc.dictionary.to_pylist(), dtype=object)


def _row_number(xml: bytes, start: int, close: int) -> int | None:
    """The ``r`` of the row tag from ``start`` to ``close`` (None: the tag has none)."""
    number = _ROW_NUMBER.search(xml, start, close)
    return None if number is None else int(number.group(1))


def _first_row(xml: bytes) -> int | None:
    """The number of the slice's first row (None: no rows, or a row without its number:
    calamine reads that slice)."""
    m = _ROW.search(xml)
    if m is None:
        return None
    return _row_number(xml, m.start(), xml.find(b">", m.start()))

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

Each slice starts with one extra row (a cell in column A and one in the last column read)
just above its first row, so the columns and rows fastexcel returns are the sheet's own
column indices and row numbers.

The values must be the ones python-calamine gives, or the findings would differ.  A cell
whose type does not match its column comes back from fastexcel as a cell error that names
the cell's value (``String("N/A")``); texts are recovered exactly from it, error cells
(``#N/A``) are blank as in calamine.  Anything this module cannot vouch for raises
:class:`NotColumnar`, and the reader reads the sheet again the exact way: a boolean,
ISO-date or unknown cell, a date-typed cell in a number column, a date outside the
window, a text column holding a number with decimals or a date (fastexcel writes those as
its own text), merged cells.  ``tests/test_reader_columnar.py`` reads the hostile corpus
and messy workbooks both ways and requires equal tables and findings.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from udfs.core.data import Finding
from workbook_templates.schema import col_letter

from .cells import Converter, date_window, days_to_ns, spread
from .chunked import ChunkedSheet, NotSliceable

if TYPE_CHECKING:
    from concurrent.futures import Future

HEAD_ROWS = 30
"""Rows read through python-calamine (the reader looks for the header row in these)."""
SLICE_BYTES = 12_000_000
"""Worksheet XML per fastexcel slice (about 10,000 monitoring rows): larger slices cost
more memory (three are in flight) and no time back, smaller ones more time per row."""
WORKERS = 2
"""Slices parsed at the same time."""
DTYPES = {
    "text": "string",
    "choice": "string",
    "yn": "string",
    "number": "float",
    "score": "float",
    "integer": "float",
    "rubric": "float",
    "datetime": "datetime",
    "date": "datetime",
}
"""The fastexcel type each column kind is read as."""

_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_ROW_NUMBER = re.compile(rb'\sr\s*=\s*["\'](\d+)["\']')
_BOOLEAN_CELL = re.compile(rb"""t=["']b["']""")
_MERGE = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref\s*=\s*["']([^"']*)["']""")
_DETAIL = re.compile(r"Expected \w+ but got '(.*)'", re.S)
_ESCAPE = re.compile(r"\\(?:u\{([0-9a-fA-F]{1,6})\}|(.))", re.S)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}
# fastexcel's own text for a number with decimals or a date in a text column
_NOT_TEXT = r"^\s*-?\d+\.\d+\s*$|^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|^(?:true|false)$"


class NotColumnar(ValueError):
    """The sheet holds something the columnar path does not read as python-calamine would."""


def available() -> bool:
    """fastexcel and pyarrow are installed (both are dependencies; a broken install falls
    back to the exact row path)."""
    try:
        import fastexcel  # noqa: F401
        import pyarrow  # noqa: F401
    except Exception:  # noqa: BLE001 - any failure to import: the row path
        return False
    return True


def rust_text(debug: str) -> str:
    """The text inside Rust's ``Debug`` form of a string (``"a\\"b\\u{1}"`` -> ``a"b\\x01``)."""

    def one(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return chr(int(m.group(1), 16))
        return _SIMPLE_ESCAPES.get(m.group(2), m.group(2))

    return _ESCAPE.sub(one, debug)


def cell_value(detail: str) -> str:
    """The value python-calamine gives for a cell fastexcel could not convert, from the
    error's detail; raises NotColumnar for a value that is not a text or an error cell."""
    m = _DETAIL.fullmatch(detail)
    got = m.group(1) if m else ""
    if got.startswith('String("') and got.endswith('")'):
        return rust_text(got[8:-2])
    if got.startswith("Error("):  # #N/A, #DIV/0!, ...: calamine gives a blank
        return ""
    raise NotColumnar(f"cell {got[:40]!r}")


class Slice:
    """One slice of rows: typed columns, ``values[col]`` (numpy) with ``odd[col]``:
    (positions, the calamine values) of the cells that did not convert, row ``i`` being
    Excel row ``first_row + i``; or, where the typed columns could not vouch for the slice,
    ``rows`` as python-calamine gives them (from column A) with their ``row_numbers``."""

    def __init__(self, first_row: int, xml: bytes) -> None:
        self.first_row = first_row
        self.xml = xml
        """The slice's rows XML, kept until it is converted (to read it again)."""
        self.n = 0
        self.values: dict[int, Any] = {}
        self.odd: dict[int, tuple[np.ndarray, list[str]]] = {}
        self.rows: list[list[Any]] | None = None
        self.row_numbers: list[int] = []


class ColumnarSheet(ChunkedSheet):
    """A large worksheet: the head rows as lists (``iter_rows``), the rest as typed
    columns (``slices``)."""

    slice_bytes = SLICE_BYTES

    def __init__(self, zf: zipfile.ZipFile, part: str, sheet_name: str) -> None:
        super().__init__(zf, part, sheet_name)
        # every slice's workbook carries the shared strings, parsed again for each slice:
        # with many of them (a sheet saved by Excel), fewer and larger slices
        shared = sum(len(v) for k, v in self._base.items() if k.endswith("sharedStrings.xml"))
        self.slice_bytes = max(self.slice_bytes, 2 * shared)
        prefix, buf, row_end, data_end = self._head
        cut = self._head_cut(buf, data_end)
        head_xml, rest = cut
        self._head = (prefix, rest, row_end, data_end)
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

    def slices(self, columns: dict[int, str]) -> Iterator[Slice]:
        """The rows below the head, a slice at a time, as typed columns: ``columns`` maps a
        0-based column index to its fastexcel type (``string``, ``float``, ``datetime``).
        A slice the typed columns cannot vouch for comes with its rows as python-calamine
        gives them instead (``Slice.rows``)."""
        if not columns:
            raise NotColumnar("no columns")
        from concurrent.futures import ThreadPoolExecutor

        last = max(columns)
        pending: list[Future[Slice]] = []
        with ThreadPoolExecutor(WORKERS) as pool:
            try:
                for xml in self._checked_slices():
                    first = _first_row(xml)
                    if first is None:
                        continue  # no rows
                    if first <= HEAD_ROWS:
                        raise NotColumnar("rows out of order")
                    pending.append(pool.submit(self._load, xml, first, columns, last))
                    del xml
                    if len(pending) > WORKERS:
                        yield pending.pop(0).result()
                while pending:
                    yield pending.pop(0).result()
            finally:
                for f in pending:
                    f.cancel()
        for ref in _MERGE.finditer(self.tail):  # a merged header: its findings need them
            top = re.match(rb"\$?[A-Za-z]{1,3}\$?(\d+)", ref.group(1))
            if top is None or int(top.group(1)) <= HEAD_ROWS:
                raise NotColumnar("merged cells")

    def read_exact(self, sl: Slice) -> None:
        """Give ``sl`` its rows as python-calamine reads them (the typed columns could not
        vouch for it)."""
        sl.values.clear()
        sl.odd.clear()
        row0, sl.rows = self._read_slice(sl.xml)
        sl.xml = b""
        sl.row_numbers = list(range(row0 + 1, row0 + 1 + len(sl.rows)))

    def _checked_slices(self) -> Iterator[bytes]:
        try:
            yield from self._slices()
        except NotSliceable as exc:  # an odd worksheet XML: the exact path reads it
            raise NotColumnar(str(exc)) from None

    def _anchor(self, first: int, last: int) -> bytes:
        """One row above the slice's first: cells in column A and in the last column read,
        so fastexcel's rows and columns start at A{first - 1}."""
        ns = self.ns.decode()
        r = first - 1
        cells = f'<{ns}c r="A{r}"><{ns}v>0</{ns}v></{ns}c>'
        if last > 0:
            cells += f'<{ns}c r="{col_letter(last)}{r}"><{ns}v>0</{ns}v></{ns}c>'
        return f'<{ns}row r="{r}">{cells}</{ns}row>'.encode()

    def _load(self, xml: bytes, first: int, columns: dict[int, str], last: int) -> Slice:
        """One slice as typed columns (in a worker thread), or as rows when the typed
        columns cannot vouch for it."""
        out = Slice(first, xml)
        try:
            if _BOOLEAN_CELL.search(xml):  # TRUE in a score column would be 1 to fastexcel
                raise NotColumnar("boolean cells")
            self._typed(out, columns, last)
        except NotColumnar:
            self.read_exact(out)
        return out

    def _typed(self, out: Slice, columns: dict[int, str], last: int) -> None:
        import fastexcel

        book = self._package(out.xml, before=self._anchor(out.first_row, last))
        try:
            sheet = fastexcel.read_excel(book).load_sheet(
                self.name,
                header_row=None,
                use_columns=sorted(columns),
                dtypes=dict(columns),
                dtype_coercion="coerce",
            )
            batch, errors = sheet.to_arrow_with_errors()
        except Exception as exc:  # noqa: BLE001 - the exact path reports what is wrong
            raise NotColumnar(
                str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            ) from None
        del book
        out.n = batch.num_rows - 1  # row 0 is the anchor row
        odd: dict[int, tuple[list[int], list[str]]] = {}
        for e in errors.errors if errors is not None else ():
            row, col = e.position
            if row == 0 or col not in columns:
                continue
            rows, values = odd.setdefault(col, ([], []))
            rows.append(row - 1)
            values.append(cell_value(e.detail))
        for col in columns:
            arr = batch.column(f"__UNNAMED__{col}").slice(1)
            out.values[col] = _numpy(arr, columns[col])
            if col in odd:
                rows, values = odd[col]
                out.odd[col] = (np.asarray(rows, dtype=np.int64), values)


def _numpy(arr: Any, dtype: str) -> Any:
    """float64 (NaN blank), datetime64[ms] (NaT blank), or for texts the pair (codes, the
    distinct texts: an object array; code -1 blank)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if dtype == "float":
        return arr.to_numpy(zero_copy_only=False)
    if dtype == "datetime":
        return arr.cast(pa.timestamp("ms")).to_numpy(zero_copy_only=False)
    enc = arr.dictionary_encode()
    if len(enc.dictionary) and pc.any(pc.match_substring_regex(enc.dictionary, _NOT_TEXT)).as_py():
        raise NotColumnar("a number with decimals or a date in a text column")
    codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, np.asarray(enc.dictionary.to_pylist(), dtype=object)


def _row_number(xml: bytes, start: int, close: int) -> int | None:
    """The ``r`` of the row tag from ``start`` to ``close`` (None: the tag has none)."""
    number = _ROW_NUMBER.search(xml, start, close)
    return None if number is None else int(number.group(1))


def _first_row(xml: bytes) -> int | None:
    """The number of the slice's first row (None: no rows)."""
    m = _ROW.search(xml)
    if m is None:
        return None
    number = _row_number(xml, m.start(), xml.find(b">", m.start()))
    if number is None:
        raise NotColumnar("a row without its number")
    return number


# ---- typed columns to the reader's columns ------------------------------------------------


def convert_slice(
    conv: Converter, cols: dict[str, int], sl: Slice, findings: list[Finding]
) -> dict[str, Any]:
    """The typed columns of one slice as :meth:`Converter.convert` gives them for the same
    rows (blank rows dropped, the same values and findings)."""
    read = [c for c in conv.columns if c.key in cols]
    filled = np.zeros(sl.n, dtype=bool)
    for c in read:
        filled |= _filled(sl, cols[c.key])
    keep = np.flatnonzero(filled)
    row_no = sl.first_row + keep
    rows = row_no.tolist()
    out: dict[str, Any] = {"_row": row_no.astype(np.int64)}
    for c in conv.columns:
        if c.key not in cols:
            out[c.key] = conv.empty(c, keep.size)
            continue
        col = cols[c.key]
        odd_at, odd_values = _odd_kept(sl, col, keep)
        v = sl.values[col]
        raw: dict[int, Any] = dict(zip(odd_at.tolist(), odd_values, strict=True))
        if DTYPES[c.kind] == "string":
            codes, distinct = v
            codes = codes[keep]
            distinct = np.where(distinct == "", None, distinct)
            values, errors, problems = spread(conv.convert_cells(c, distinct[:, None]), codes)

            def raw_at(i: int, codes: np.ndarray = codes, distinct: np.ndarray = distinct) -> Any:
                return distinct[codes[i]]

        elif DTYPES[c.kind] == "float":
            typed = v[keep]
            values, errors, problems = conv.convert_cells(c, typed[:, None])
            if odd_at.size:
                ov, oe, _unused = conv.convert_cells(c, _objects(odd_values))
                values[odd_at], errors[odd_at] = ov, oe

            def raw_at(i: int, typed: np.ndarray = typed, raw: dict[int, Any] = raw) -> Any:
                return raw[i] if i in raw else float(typed[i])

        else:
            values, errors, problems = _dates(conv, c, v[keep], odd_at, odd_values)

            def raw_at(i: int, raw: dict[int, Any] = raw) -> Any:
                return raw[i]

        out[c.key] = values
        conv.report(c, col, rows, raw_at, errors, problems, findings)
    return out


def _filled(sl: Slice, col: int) -> np.ndarray:
    """Cells that are neither blank nor an empty text (python-calamine gives ``""``)."""
    v = sl.values[col]
    if isinstance(v, tuple):
        codes, distinct = v
        has = np.append(distinct != "", False)  # code -1: blank
        out = has[codes]
    elif v.dtype.kind == "M":
        out = ~np.isnat(v)
    else:
        out = ~np.isnan(v)
    if col in sl.odd:
        at, values = sl.odd[col]
        out[at] = np.array([x != "" for x in values], dtype=bool)
    return out


def _odd_kept(sl: Slice, col: int, keep: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """(positions among the kept rows, values) of the cells of ``col`` that did not convert."""
    if col not in sl.odd:
        return np.zeros(0, dtype=np.int64), []
    at, values = sl.odd[col]
    pos = np.searchsorted(keep, at)
    ok = (pos < keep.size) & (keep[np.minimum(pos, keep.size - 1)] == at) if keep.size else pos < 0
    return pos[ok], [x for x, k in zip(values, ok.tolist(), strict=True) if k]


def _objects(values: list[Any]) -> np.ndarray:
    out = np.empty((len(values), 1), dtype=object)
    out[:, 0] = values
    return out


def _dates(
    conv: Converter, c: Any, typed: np.ndarray, odd_at: np.ndarray, odd_values: list[str]
) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
    """A date column: native date cells vectorised (as ``Converter.dates`` does), the texts
    in it through ``Converter.dates`` itself."""
    us = typed.astype("datetime64[us]").astype(np.int64)
    nat = np.isnat(typed)
    if c.kind == "date":
        us = us - us % 86_400_000_000
    days = np.where(nat, np.nan, us / 86_400e6)
    lo, hi = date_window(c)
    if (~nat & ((days < lo) | (days >= hi))).any():
        raise NotColumnar("a date outside the window")  # its finding shows the cell as read
    values = days_to_ns(days)
    errors = np.full((typed.size, 1), None, dtype=object)
    problems: dict[int, str] = {}
    if odd_at.size:
        ov, oe, op = conv.dates(c, _objects(odd_values))
        values[odd_at], errors[odd_at] = ov, oe
        at = odd_at.tolist()
        problems = {at[int(i)]: text for i, text in op.items()}
    return values, errors, problems

"""Reading a ticket or telephony export's mapped source columns (the first half of
:mod:`addin.read.ticket_export`): a CSV export (raw text: :mod:`addin.read.ticket_export_csv`)
or an XLSX export (calamine) gives the same :class:`Export`: per mapped source column a
:class:`Factor` (the column as codes into its distinct values) and the location of every
row (file:line for a CSV, sheet!cell for an XLSX).

``csq sample`` reads a big export for a few fields first (``read_export(..., first=...)``)
and the drawn rows' other fields from their own lines (:meth:`Export.drawn`).
"""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from udfs.core.data import Finding
from udfs.core.errors import InputError, UsageError
from workbook_templates.schema import col_letter

from .cells import display
from .import_map import ImportMap, message
from .package import HEADER_SCAN_ROWS
from .safety import Limits, read_checked
from .ticket_export_csv import first_columns, read_csv_table

ID_PROBE = 1_000
"""Values looked at to tell a column of ids (every value its own) from a column of
repeating values (:func:`factorize`)."""

# ---- columns as factors -------------------------------------------------------------------


@dataclass
class Factor:
    """One column as codes into its distinct values: row ``i`` holds
    ``values[codes[i]]``; the last value is always ``None`` (blank)."""

    codes: np.ndarray  # int64, one per row
    values: np.ndarray  # object, distinct values + None at the end

    @property
    def blank(self) -> int:
        return len(self.values) - 1

    def copy(self) -> Factor:
        return Factor(self.codes.copy(), self.values.copy())

    def map(self, fn: Callable[[Any], Any]) -> None:
        """Apply ``fn`` to every distinct value but the final blank (kept ``None``)."""
        out = np.empty(len(self.values), dtype=object)
        out[:-1] = [fn(v) for v in self.values[:-1].tolist()]
        out[-1] = None
        self.values = out

    def take(self, at: np.ndarray) -> Factor:
        """The rows ``at``, with only the distinct values they hold."""
        used, codes = np.unique(self.codes[at], return_inverse=True)
        values = np.empty(len(used) + 1, dtype=object)
        values[:-1] = self.values[used]
        values[-1] = None
        return Factor(codes.astype(np.int64, copy=False).reshape(-1), values)

    def rows_with(self, hit: np.ndarray) -> np.ndarray:
        """Rows (ascending) whose value is one of the distinct values marked in ``hit``."""
        return np.flatnonzero(hit[self.codes]) if hit.any() else np.empty(0, dtype=np.int64)


def factorize(texts: pd.Series | list[str | None]) -> Factor:
    """Raw CSV fields (text, ``None`` blank) -> a factor; whitespace-only text is blank.

    A column whose first :data:`ID_PROBE` values all differ (contact ids, phone numbers)
    is not hashed: each row keeps its own value."""
    if not isinstance(texts, pd.Series):
        texts = pd.Series(texts, dtype=object)
    n = len(texts)
    if n > ID_PROBE and texts.iloc[:ID_PROBE].nunique(dropna=False) == ID_PROBE:
        values = np.empty(n + 1, dtype=object)
        values[:-1] = [None if v is None or not v.strip() else v for v in texts.tolist()]
        values[-1] = None
        return Factor(np.arange(n, dtype=np.int64), values)
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    values = np.empty(len(uniques) + 1, dtype=object)
    values[:-1] = [None if not v.strip() else v for v in uniques.tolist()]
    values[-1] = None
    codes = codes.astype(np.int64, copy=False)
    codes[codes < 0] = len(uniques)
    return Factor(codes, values)


def factorize_cells(cells: list[Any]) -> Factor:
    """Sheet cell values -> a factor; a value is distinct by its type too (``1``, ``1.0``
    and ``True`` are equal in Python but not the same cell)."""
    index: dict[tuple[type, Any], int] = {}
    distinct: list[Any] = []
    codes = np.empty(len(cells), dtype=np.int64)
    for i, v in enumerate(cells):
        if v is None:
            codes[i] = -1
            continue
        key = (type(v), v)
        j = index.get(key)
        if j is None:
            j = index[key] = len(distinct)
            distinct.append(v)
        codes[i] = j
    values = np.empty(len(distinct) + 1, dtype=object)
    values[:-1] = distinct
    values[-1] = None
    codes[codes < 0] = len(distinct)
    return Factor(codes, values)


@dataclass
class Export:
    """An export's header and its mapped source columns as factors, with a location for
    every row."""

    name: str
    headers: list[str]
    lines: np.ndarray  # int64; CSV: physical line of each row; XLSX: Excel row number
    columns: dict[str, Factor]  # source header -> its column
    sheet: str = ""  # XLSX: the sheet read; "" for CSV
    col_of: dict[str, int] = field(default_factory=dict)  # header -> 0-based column
    header_line: int = 1  # CSV: physical line of the header; XLSX: its Excel row
    any_rows: bool = True  # False: nothing below the header
    longest: int = 2**62  # no value is longer
    read_lines: Callable[[list[int], list[str]], dict[str, list[str | None]]] | None = field(
        default=None, repr=False
    )
    """(lines, source headers) -> raw fields of columns not read at first."""
    dates: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    """(date_format, text) -> parsed datetime or ``None``: the drawn rows' dates were
    parsed in the first pass already."""
    joined: dict[tuple[str, ...], Factor] = field(default_factory=dict, repr=False)
    """Source headers -> their joined column (date + time), as first joined."""
    notes: list[Finding] = field(default_factory=list)
    """What the reader found about the file itself (a CSV record with too many or too
    few fields), listed before the values' findings."""

    def where(self, header: str, line: int) -> tuple[str, str]:
        if not self.sheet:
            return f"{self.name}:{line}", ""
        return f"{self.name}!{self.sheet}", f"{col_letter(self.col_of.get(header, 0))}{line}"

    def drawn(self, lines: np.ndarray, imap: ImportMap) -> Export:
        """The rows on ``lines`` (ascending) with every column ``imap`` maps: the columns
        read already are taken as they are, the others read from those lines."""
        wanted = [int(x) for x in lines.tolist()]
        at = np.searchsorted(self.lines, lines)
        sources = imap.wanted(self.headers)
        columns = {s: f.take(at) for s, f in self.columns.items() if s in sources}
        missing = sorted(sources - set(columns), key=self.headers.index)
        if missing and self.read_lines is not None:
            for s, texts in self.read_lines(wanted, missing).items():
                columns[s] = factorize(texts)
        lines = np.asarray(wanted, dtype=np.int64)
        joined = {k: f.take(at) for k, f in self.joined.items()}
        return replace(self, lines=lines, columns=columns, joined=joined)


# ---- reading ------------------------------------------------------------------------------


def read_xlsx_export(path: Path, imap: ImportMap, lang: str, limits: Limits) -> Export:
    import python_calamine as pc

    data = read_checked(path, limits, lang)
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    wanted = imap.options.get("sheet")
    names = wb.sheet_names
    if wanted and wanted not in names:  # the map's option is wrong: a usage error
        raise UsageError(message("export_sheet", lang, export=path.name, sheet=wanted, found=names))
    visible = [m.name for m in wb.sheets_metadata if str(m.visible).rsplit(".", 1)[-1] == "Visible"]
    sheet = wanted or (visible or names)[0]  # by default the first sheet a user sees
    head, rest, row0, col0 = _head_rows(wb.get_sheet_by_name(sheet))
    errors = _error_cells(data, sheet)  # formula errors, given as blanks: kept as their text
    sources = imap.sources
    best, best_hits = None, 0
    for r, row in enumerate(head):
        hits = sum(1 for v in row if isinstance(v, str) and v.strip() in sources)
        if hits > best_hits:
            best, best_hits = r, hits
    if best is None:  # no mapped header anywhere: take the first non-empty row
        best = next((r for r, row in enumerate(head) if any(v != "" for v in row)), None)
    if best is None:
        raise InputError(message("export_empty", lang, export=path.name))
    headers = [display(v).strip() for v in head[best]]
    first = first_columns(headers)
    reading = imap.wanted(headers)
    used = {s: first[s] for s in sorted(reading & set(first), key=first.__getitem__)}
    cells: dict[str, list[Any]] = {s: [] for s in used}
    lines: list[int] = []
    for i, row in enumerate([*head[best + 1 :], *rest]):
        line = row0 + best + i + 2
        if errors:
            row = list(row)
            for j in range(len(row)):
                if (line, col0 + j) in errors:
                    row[j] = errors[(line, col0 + j)]
        if not any((v.strip() if isinstance(v, str) else v is not None) for v in row):
            continue
        for s, j in used.items():
            v = row[j] if j < len(row) else None
            cells[s].append(None if (isinstance(v, str) and not v.strip()) else v)
        lines.append(line)
    return Export(
        path.name,
        headers,
        np.asarray(lines, dtype=np.int64),
        {s: factorize_cells(v) for s, v in cells.items()},
        sheet,
        {h: col0 + j for h, j in first.items()},
        row0 + best + 1,
        any_rows=bool(lines),
    )


def _error_cells(data: bytes, sheet: str) -> dict[tuple[int, int], str]:
    """The formula-error cells (#N/A, ...) of ``sheet`` of an xlsx export ({}: none, or
    not an xlsx)."""
    import zipfile

    from .error_cells import error_cells
    from .package import sheet_parts

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return error_cells(zf, sheet_parts(zf).get(sheet))
    except zipfile.BadZipFile:
        return {}


def read_export(
    path: str | os.PathLike[str],
    imap: ImportMap,
    lang: str,
    limits: Limits,
    first: ImportMap | None = None,
) -> Export:
    """The export's columns that ``imap`` maps; with ``first``, a CSV export's columns that
    ``first`` maps (the others are read for the drawn rows only, :meth:`Export.drawn`)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        t = read_csv_table(p, imap, lang, limits, first)
        return Export(
            t.name,
            t.headers,
            t.lines,
            {s: factorize(v) for s, v in t.columns.items()},
            "",
            first_columns(t.headers),
            t.header_line,
            t.any_rows,
            t.longest,
            t.read_lines,
            notes=t.notes(lang),
        )
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return read_xlsx_export(p, imap, lang, limits)
    raise InputError(message("export_suffix", lang, export=p.name))


def _head_rows(sh: Any) -> tuple[list[list[Any]], Iterator[list[Any]], int, int]:
    """The first :data:`HEADER_SCAN_ROWS` rows of a python-calamine sheet, an iterator over
    the rest, and the (row, column) of its first cell (0-based), from its used range.

    python-calamine 0.9 yields rows from row 0 and columns from the first used column;
    both are checked against the sheet's used range so another version cannot shift
    every address silently.
    """
    rows = iter(sh.iter_rows())
    head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
    start, end = sh.start, sh.end
    if start is None or not head:
        return head, rows, 0, 0
    row0 = 0
    if start[0] > 0 and any(v != "" and v is not None for v in head[0]):
        row0 = start[0]  # rows start at the first used row
    width = len(head[0])
    col0 = start[1] if width == end[1] - start[1] + 1 else max(end[1] + 1 - width, 0)
    return head, rows, row0, col0

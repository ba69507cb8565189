"""The opened workbook: which reader reads each sheet.

:class:`Package` opens a checked workbook's bytes once and hands out its sheets: a data
table above :data:`COLUMNAR_ABOVE_BYTES` of XML as typed columns below its head rows
(``addin.read.columnar``), any other sheet through python-calamine - whole, or above
:data:`STREAM_ABOVE_BYTES` a slice at a time (``addin.read.chunked``) - and, after
calamine panicked on a cell, every sheet through the pure-Python expat stream
(``addin.read.xlsxstream``).  :func:`head_rows` gives a sheet's first rows and where
they stand.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterable
from typing import Any

import python_calamine as pc

from udfs.core.errors import InputError

from . import columnar
from .cells import message as _m
from .chunked import ChunkedSheet, NotSliceable, sheet_parts
from .xlsxstream import StreamedBook, StreamedSheet

HEADER_SCAN_ROWS = columnar.HEAD_ROWS
"""The header row is looked for in this many rows from the top of a sheet."""

COLUMNAR_ABOVE_BYTES = 4_000_000
"""A worksheet whose XML is larger than this (about 3,000 monitoring rows) is read as typed
columns below its head rows (``addin.read.columnar``), with the exact row path as the
fallback for anything that path does not read as calamine would."""

STREAM_ABOVE_BYTES = 300_000_000
"""A worksheet whose XML is larger than this (about 300,000 monitoring rows) is streamed
(``addin.read.xlsxstream``) instead of loaded whole by calamine: slower, but memory stays
flat, so a 1,048,576-row sheet is read well under 2 GB."""


class Package:
    """An opened workbook: sheets by name, each opened once by the reader that suits it
    (see the module's docstring)."""

    def __init__(
        self,
        data: bytes,
        name: str,
        lang: str,
        stream_above: int,
        expat: bool = False,
        columnar_above: int | None = None,
    ) -> None:
        self.expat_only = expat
        """Every sheet through the pure-Python expat stream (after calamine panicked)."""
        largest = _largest_sheet_part(data)
        self.columnar_above = (
            columnar_above
            if columnar_above is not None
            and not expat
            and largest > columnar_above
            and columnar.available()  # imported only for a large sheet
            else None
        )
        self.streaming = expat or largest > stream_above or self.columnar_above is not None
        self.stream_above = stream_above
        self._data = data
        self._zip: zipfile.ZipFile | None = None
        self._parts: dict[str, str] = {}
        self._sizes: dict[str, int] = {}
        self._expat: StreamedBook | None = None
        try:
            self.wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
            self.names = [
                m.name
                for m in self.wb.sheets_metadata
                if getattr(m.typ, "name", str(m.typ)).endswith("WorkSheet")
            ]
            if self.streaming:  # the big sheets: calamine a slice at a time (chunked.py)
                self._zip = zipfile.ZipFile(io.BytesIO(data))
                self._parts = sheet_parts(self._zip)
                self._sizes = {i.filename: i.file_size for i in self._zip.infolist()}
        except Exception as exc:  # the readers raise their own error types for damaged files
            raise InputError(_m("unreadable", lang, name=name, detail=short(exc))) from None
        self._sheets: dict[tuple[str, bool], Any] = {}
        self.config_formulas: set[str] | None = None
        """Cells of the Config sheet that hold a formula (None: not known)."""

    def sheet(self, name: str, table: bool = False) -> Any:
        """Sheet ``name``, opened once; ``table``: a data table, which a large sheet gives
        as typed columns below its head rows (``addin.read.columnar``)."""
        key = (name, table and self._columnar(name))
        if key not in self._sheets:
            sheet = None
            if key[1]:
                try:
                    sheet = columnar.ColumnarSheet(self._zip, self._parts[name], name)  # type: ignore[arg-type]
                except NotSliceable:
                    pass  # an unusual worksheet XML: read the exact way
            self._sheets[key] = self.exact_sheet(name) if sheet is None else sheet
        return self._sheets[key]

    def _columnar(self, name: str) -> bool:
        part = self._parts.get(name)
        return (
            self._zip is not None
            and part is not None
            and self.columnar_above is not None
            and self._sizes.get(part, 0) > self.columnar_above
        )

    def exact_sheet(self, name: str) -> Any:
        """Sheet ``name`` read by python-calamine (whole, or a slice at a time when very
        large), or by the expat stream: every cell as a Python value."""
        part = self._parts.get(name)
        if self.expat_only:
            return self._streamed(name)
        if self._zip is None or part is None or self._sizes.get(part, 0) <= self.stream_above:
            return self.wb.get_sheet_by_name(name)
        try:
            return ChunkedSheet(self._zip, part, name)
        except NotSliceable:  # an unusual worksheet XML: the expat stream reads anything
            return self._streamed(name)

    def _streamed(self, name: str) -> StreamedSheet:
        if self._expat is None:
            self._expat = StreamedBook(io.BytesIO(self._data))
        return self._expat.sheet(name)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        if self._expat is not None:
            self._expat.close()


def _largest_sheet_part(data: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return max(
                (i.file_size for i in zf.infolist() if i.filename.startswith("xl/worksheets/")),
                default=0,
            )
    except zipfile.BadZipFile:
        return 0  # .xls / not a zip: calamine


def short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def _offsets(sh: Any, head: list[list[Any]]) -> tuple[int, int]:
    """(row, column) of the first cell that ``iter_rows`` yields (0-based).

    python-calamine 0.9 yields rows from row 0 and columns from the first used column;
    both are checked against the sheet's used range so another version cannot shift
    every address silently.
    """
    if isinstance(sh, (StreamedSheet, ChunkedSheet)):
        return 0, 0  # streamed rows start at A1
    start, end = sh.start, sh.end
    if start is None or not head:
        return 0, 0
    row0 = 0
    if start[0] > 0 and any(v != "" and v is not None for v in head[0]):
        row0 = start[0]  # rows start at the first used row
    width = len(head[0])
    col0 = start[1] if width == end[1] - start[1] + 1 else max(end[1] + 1 - width, 0)
    return row0, col0


def head_rows(sh: Any) -> tuple[list[list[Any]], Iterable[list[Any]], int, int]:
    rows = iter(sh.iter_rows())
    head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
    row0, col0 = _offsets(sh, head)
    return head, rows, row0, col0

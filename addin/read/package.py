"""The opened workbook: its sheets by name, each read by the engine that suits it.

:class:`Package` opens a checked workbook's bytes once: python-calamine for the workbook,
the zip and one resolver of sheet names to their parts (:attr:`Package.parts`).  It has
two engines and one fallback:

- a data table above :data:`COLUMNAR_ABOVE_BYTES` of XML: typed columns through fastexcel
  below its head rows (``addin.read.columnar``), a slice at a time;
- any other sheet: python-calamine, whole (:class:`WholeSheet`), or above
  :data:`STREAM_ABOVE_BYTES` a slice at a time for flat memory (``addin.read.chunked``);
- the fallback, for the one slice (or small sheet) an engine cannot vouch for: calamine
  again for a typed slice, openpyxl (``addin.read.openpyxl_rows``) where calamine panics on
  a cell (a date-formatted number far outside the calendar).

Every sheet gives its rows from row 1 and column A, blank rows included, so the row and
column of every value is its position.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import python_calamine as pc

from udfs.core.errors import InputError
from udfs.core.problems import Problem

from . import columnar
from .chunked import ChunkedSheet, NotSliceable
from .native_stderr import is_panic, note_panic
from .openpyxl_rows import openpyxl_rows

HEADER_SCAN_ROWS = columnar.HEAD_ROWS
"""The header row is looked for in this many rows from the top of a sheet."""

COLUMNAR_ABOVE_BYTES = 4_000_000
"""A worksheet whose XML is larger than this (about 3,000 monitoring rows) is read as typed
columns below its head rows (``addin.read.columnar``)."""

STREAM_ABOVE_BYTES = 300_000_000
"""A worksheet whose XML is larger than this (about 300,000 monitoring rows) and not read
as typed columns is read by calamine a slice at a time (``addin.read.chunked``) instead of
whole: memory stays flat, so a 1,048,576-row sheet is read well under 2 GB."""


class WholeSheet:
    """A sheet read whole by python-calamine (openpyxl after calamine panicked on a cell)."""

    def __init__(self, book: Package, name: str) -> None:
        try:
            sheet = book.wb.get_sheet_by_name(name)
            self.rows: list[list[Any]] = sheet.to_python(skip_empty_area=False)
            self.merged_cell_ranges: list[Any] = sheet.merged_cell_ranges or []
        except BaseException as exc:
            if not is_panic(exc):
                raise
            note_panic()
            self.rows = openpyxl_rows(book.data, name)
            self.merged_cell_ranges = []

    def iter_rows(self) -> Iterator[list[Any]]:
        return iter(self.rows)


class Package:
    """An opened workbook: sheets by name, each opened once by the engine that suits it
    (see the module's docstring)."""

    def __init__(
        self,
        data: bytes,
        name: str,
        lang: str,
        stream_above: int = STREAM_ABOVE_BYTES,
        columnar_above: int | None = None,
    ) -> None:
        self.data = data
        self.stream_above = stream_above
        self.columnar_above = columnar_above
        self.zip: zipfile.ZipFile | None = None
        self.parts: dict[str, str] = {}
        """Worksheet name -> its part in the package (the one resolver of sheet names)."""
        self._sizes: dict[str, int] = {}
        try:
            self.wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
            self.names = [
                m.name
                for m in self.wb.sheets_metadata
                if getattr(m.typ, "name", str(m.typ)).endswith("WorkSheet")
            ]
            self.hidden = {
                m.name
                for m in self.wb.sheets_metadata
                if str(m.visible).rsplit(".", 1)[-1] != "Visible"
            }
            """Worksheets hidden or very hidden: used as data sheets only when no
            visible sheet qualifies."""
        except Exception as exc:  # the readers raise their own error types for damaged files
            problem = Problem("unreadable", {"name": name, "detail": short(exc)})
            raise InputError(problem, lang) from None
        try:  # xlsx / xlsm (not .xls or .ods)
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self._sizes = {i.filename: i.file_size for i in self.zip.infolist()}
            self.parts = sheet_parts(self.zip)
        except zipfile.BadZipFile:
            pass
        if columnar_above is not None and not (
            self.largest() > columnar_above and columnar.available()
        ):
            self.columnar_above = None  # fastexcel imported only for a large sheet
        self._sheets: dict[tuple[str, bool], Any] = {}

    def largest(self) -> int:
        """Bytes of the largest worksheet XML (0: not an xlsx)."""
        return max((v for k, v in self._sizes.items() if k.startswith("xl/worksheets/")), default=0)

    def read_part(self, name: str) -> bytes | None:
        """The XML of worksheet ``name`` (None: not an xlsx, or not found)."""
        part = self.parts.get(name)
        if self.zip is None or part is None:
            return None
        try:
            return self.zip.read(part)
        except KeyError:
            return None

    def _size(self, name: str) -> int:
        part = self.parts.get(name)
        return self._sizes.get(part, 0) if part is not None else 0

    def sheet(self, name: str, table: bool = False) -> Any:
        """Sheet ``name``, opened once; ``table``: a data table, which a large sheet gives
        as typed columns below its head rows (``addin.read.columnar``)."""
        big = self.columnar_above is not None and self._size(name) > self.columnar_above
        key = (name, table and big)
        if key not in self._sheets:
            sheet = None
            if key[1] and self.zip is not None:  # a size is known only for an xlsx part
                try:
                    sheet = columnar.ColumnarSheet(self.zip, self.parts[name], name)
                except NotSliceable:
                    pass  # an unusual worksheet XML: calamine reads it
            self._sheets[key] = self.rows_sheet(name) if sheet is None else sheet
        return self._sheets[key]

    def rows_sheet(self, name: str) -> Any:
        """Sheet ``name`` read by python-calamine, whole or (very large) a slice at a time:
        every cell as a Python value."""
        if self.zip is not None and name in self.parts and self._size(name) > self.stream_above:
            try:
                return ChunkedSheet(self.zip, self.parts[name], name)
            except NotSliceable:  # an unusual worksheet XML: read whole
                pass
        return WholeSheet(self, name)

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> its part in the package (from workbook.xml and its relationships)."""
    from .safety import parse_xml

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        wb = parse_xml(zf.read("xl/workbook.xml"))
        rels = parse_xml(zf.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # noqa: BLE001 - an unusual package: its sheets are read whole
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out: dict[str, str] = {}
    for s in wb.iter(main + "sheet"):
        target = targets.get(s.get(rel + "id"), "")
        if target:
            out[s.get("name", "")] = (
                target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            )
    return out


def short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]

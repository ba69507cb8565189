"""Every xlsxwriter and zipfile internal CSQ relies on, in one place, and the check that
they are there.

xlsxwriter is pinned in ``pyproject.toml`` to the range these were tested with.  A newer
xlsxwriter (or a Python whose zipfile) renames one of them must fail loudly, naming it,
never write a broken file: :func:`require` (called when a :class:`~workbook_templates.xlsx_safe.SafeWorkbook`
is made, so by every writer of the project) raises :class:`XlsxInternalsMissing` listing
what is missing.  :data:`REQUIRED` is the list, each with why CSQ needs it:

Plain text, never raw XML (:class:`PlainTextWorksheet`, :class:`PlainSharedStrings`,
:class:`PlainTextWorkbook`; see :mod:`workbook_templates.xlsx_safe`):

- ``Worksheet._xml_rich_inline_string`` (overridden) and ``Worksheet._xml_inline_string``:
  a string shaped like ``<r>...</r>`` is written into a streamed sheet as it is; the
  override writes it as an escaped inline string instead.
- ``SharedStrings._xml_rich_si_element`` (overridden) and ``SharedStrings._xml_si_element``:
  the same for the shared strings table (``in_memory`` sheets, the report).
- ``xlsxwriter.packager.SharedStrings`` (a module global, swapped while the package is
  written) and ``Workbook._store_workbook`` (overridden to do the swap): the packager makes
  its shared strings writer by that global name, with no hook to pass another class.
- ``Workbook.worksheet_class``: the class ``add_worksheet`` makes.

The streamed rows copied as bytes (:meth:`PlainTextWorksheet._write_optimized_sheet_data`,
overridden): ``Worksheet.row_data_fh``, ``row_data_filename``, ``fh``, ``dim_rowmin``,
``_xml_start_tag``, ``_xml_end_tag``: xlsxwriter copies its ``constant_memory`` row file
(100+ MB for a big sheet) into the sheet XML as text; the override copies the same bytes.

The fast row writer (:mod:`workbook_templates.fastrows`) writes rows into that row file as
xlsxwriter would: :func:`excel_datetime` (``xlsxwriter.utility._datetime_to_excel_datetime``),
:data:`DYNAMIC_FUNCTION` (``xlsxwriter.worksheet.re_dynamic_function``),
:data:`CONTROL_CHARS_1`/:data:`CONTROL_CHARS_2` (``xlsxwriter.xmlwriter.re_control_chars_1``
and ``_2``), :func:`prepare_formula` (``Worksheet._prepare_formula``), :func:`write_single_row`
(``Worksheet._write_single_row``), :func:`xf_index` (``Format._get_xf_index``), and the
worksheet's state it reads and writes: ``fh``, ``previous_row``, ``dim_rowmin``/``max``,
``dim_colmin``/``max``, ``row_info``, ``default_row_height``, ``original_row_height``,
``constant_memory``, ``excel_version``, ``comments``, ``date_1904``, ``remove_timezone``.

The template builder (:mod:`workbook_templates.data_sheet`) declares a Table on a
``constant_memory`` sheet: :func:`cache_prepare_formula` (``Worksheet._prepare_formula``
memoised per sheet) and :func:`add_streamed_table` (the state ``constant_memory``,
``str_table``, ``tables`` and ``table_cells``).

Parallel deflate (:mod:`workbook_templates.parallel_zip`; :class:`PlainTextWorkbook`,
:func:`write_entry`, :class:`RowFileWatcher`):

- ``xlsxwriter.workbook:ZipFile`` (a module global, swapped while the package is written,
  by :meth:`PlainTextWorkbook._store_workbook`): ``_store_workbook`` makes the zip by that
  name, with no hook to pass another class; :meth:`PlainTextWorkbook.zip_file` makes it.
- ``zipfile:_ZipWriteFile()._compressor``: the object an entry opened with
  ``ZipFile.open(.., "w")`` hands its bytes to (``compress``, then ``flush`` at close) while
  zipfile writes the entry's header, sizes and CRC-32; :func:`write_entry` sets a block
  deflater there.  Checked by writing a probe entry through it (the probe must see the
  bytes and the entry must inflate to them), not only by name.
- The streamed rows' copy above tells a :class:`RowFileWatcher` (``Worksheet.row_watcher``)
  the row file's final size before and where its bytes went in the sheet XML after;
  :func:`row_file` flushes the row file while rows are written (``row_data_fh``,
  ``row_data_filename``, ``constant_memory``) so its blocks can be deflated early.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import os
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any, Protocol

import xlsxwriter
import xlsxwriter.packager
import xlsxwriter.utility
import xlsxwriter.workbook
import xlsxwriter.worksheet
import xlsxwriter.xmlwriter
from xlsxwriter.format import Format
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.worksheet import Worksheet

TESTED = (
    "xlsxwriter 3.3.x (pyproject.toml pins it; 3.1.0 lacks four of them), zipfile of Python 3.11"
)

REQUIRED: tuple[tuple[str, str], ...] = (
    # (dotted name, why); a name after ":" is an attribute of a fresh instance
    ("xlsxwriter.worksheet:Worksheet._xml_rich_inline_string", "rich-string XML as plain text"),
    ("xlsxwriter.worksheet:Worksheet._xml_inline_string", "rich-string XML as plain text"),
    ("xlsxwriter.sharedstrings:SharedStrings._xml_rich_si_element", "shared strings as plain"),
    ("xlsxwriter.sharedstrings:SharedStrings._xml_si_element", "shared strings as plain"),
    ("xlsxwriter.packager:SharedStrings", "the packager's shared strings writer, swapped"),
    ("xlsxwriter.workbook:Workbook._store_workbook", "the package written with the swap"),
    ("xlsxwriter.workbook:Workbook.worksheet_class", "the worksheet class add_worksheet makes"),
    ("xlsxwriter.workbook:ZipFile", "the zip the package is written into, swapped"),
    ("zipfile:_ZipWriteFile()._compressor", "a big part deflated in blocks on threads"),
    ("xlsxwriter.worksheet:Worksheet._write_optimized_sheet_data", "rows copied as bytes"),
    ("xlsxwriter.worksheet:Worksheet._xml_start_tag", "rows copied as bytes"),
    ("xlsxwriter.worksheet:Worksheet._xml_end_tag", "rows copied as bytes"),
    ("xlsxwriter.worksheet:Worksheet._prepare_formula", "fast rows, builder formula cache"),
    ("xlsxwriter.worksheet:Worksheet._write_single_row", "fast rows: flush xlsxwriter's row"),
    ("xlsxwriter.format:Format._get_xf_index", "fast rows: a cell's style index"),
    ("xlsxwriter.utility:_datetime_to_excel_datetime", "fast rows: dates as serials"),
    ("xlsxwriter.worksheet:re_dynamic_function", "fast rows: formulas left to xlsxwriter"),
    ("xlsxwriter.xmlwriter:re_control_chars_1", "fast rows: text escaped as xlsxwriter does"),
    ("xlsxwriter.xmlwriter:re_control_chars_2", "fast rows: text escaped as xlsxwriter does"),
    *(
        (f"xlsxwriter.worksheet:Worksheet().{name}", "worksheet state CSQ reads or writes")
        for name in (
            "fh",
            "row_data_fh",
            "row_data_filename",
            "previous_row",
            "dim_rowmin",
            "dim_rowmax",
            "dim_colmin",
            "dim_colmax",
            "row_info",
            "default_row_height",
            "original_row_height",
            "constant_memory",
            "excel_version",
            "comments",
            "date_1904",
            "remove_timezone",
            "str_table",
            "tables",
            "table_cells",
        )
    ),
)
"""Every internal, as ``module:Object.attribute`` (``Object()``: an instance's attribute)."""


class XlsxInternalsMissing(RuntimeError):
    """The installed xlsxwriter or zipfile lacks an internal CSQ needs (see :data:`REQUIRED`)."""


def _has(spec: str) -> bool:
    probe = _PROBES.get(spec)
    if probe is not None:
        return probe()
    module_name, _, path = spec.partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError:
        return False
    for part in path.split("."):
        if part.endswith("()"):
            obj = getattr(obj, part[:-2], None)
            if obj is None:
                return False
            obj = obj()
        elif not hasattr(obj, part):
            return False
        else:
            obj = getattr(obj, part)
    return True


def missing() -> list[str]:
    """The names of :data:`REQUIRED` the installed xlsxwriter or zipfile does not have."""
    return [f"{spec} ({why})" for spec, why in REQUIRED if not _has(spec)]


@functools.cache
def require() -> None:
    """Raise :class:`XlsxInternalsMissing`, naming each missing internal, unless the
    installed xlsxwriter and zipfile have every one CSQ relies on (checked once per process)."""
    gone = missing()
    if gone:
        raise XlsxInternalsMissing(
            f"xlsxwriter {xlsxwriter.__version__} (zipfile of Python {sys.version.split()[0]}) "
            f"lacks internals CSQ relies on (tested: "
            f"{TESTED}); install a version in the tested range. Missing: " + "; ".join(gone)
        )


# --------------------------------------------------------------------------- plain text
def _preserve(string: str) -> bool:
    """The text starts or ends with white space (kept with ``xml:space="preserve"``)."""
    return string[:1].isspace() or string[-1:].isspace()


class RowFileWatcher(Protocol):
    """Told about a ``constant_memory`` sheet's row file as it is copied into the sheet XML
    (:class:`workbook_templates.parallel_zip.RowStream`: it deflated the rows already)."""

    def complete(self, size: int) -> None:
        """Every row is in the file: ``size`` bytes (called before the copy)."""

    def copied(self, sheet_path: str, start: int, length: int, crc: int, unchanged: bool) -> None:
        """The row file's ``length`` bytes (CRC-32 ``crc``) are in the sheet XML file
        ``sheet_path`` from byte ``start``; ``unchanged``: as they were (no line end
        translated)."""


class PlainTextWorksheet(Worksheet):
    """A worksheet that writes text shaped like rich-string XML as ordinary text, and
    copies its streamed rows into the sheet XML as bytes."""

    row_watcher: RowFileWatcher | None = None
    """Told where the streamed rows went (:meth:`_write_optimized_sheet_data`)."""

    def _xml_rich_inline_string(self, string: str, attributes: Any = ()) -> None:
        self._xml_inline_string(string, _preserve(string), list(attributes))

    def _write_optimized_sheet_data(self) -> None:
        """xlsxwriter's copy of the streamed rows into the sheet XML (``constant_memory``),
        as bytes: the same bytes its text copy gives (the file is xlsxwriter's own UTF-8;
        line ends as text mode reads and writes them), without decoding and encoding the
        100+ MB of a big sheet again.  :attr:`row_watcher` is told the file's size before
        and where its bytes went after."""
        src, out = self.row_data_fh, self.fh
        if (
            self.dim_rowmin is None
            or not isinstance(src, io.TextIOWrapper)
            or not isinstance(out, io.TextIOWrapper)
        ):
            super()._write_optimized_sheet_data()
            return
        self._xml_start_tag("sheetData")
        src.flush()
        out.flush()
        raw, dest = src.buffer, out.buffer
        watcher = self.row_watcher
        if watcher is not None:
            watcher.complete(os.fstat(src.fileno()).st_size)
        start = dest.tell()
        raw.seek(0)
        nl = os.linesep.encode()
        carry = b""
        crc, copied, unchanged = 0, 0, True
        while data := raw.read(1 << 20):
            if watcher is not None:
                crc = zlib.crc32(data, crc)
                copied += len(data)
            data = carry + data
            carry = b""
            if b"\r" in data or nl != b"\n":  # universal newlines, as a text read has them
                unchanged = False
                if data.endswith(b"\r"):
                    carry, data = b"\r", data[:-1]
                data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").replace(b"\n", nl)
            dest.write(data)
        if carry:
            dest.write(nl)
        src.close()
        os.unlink(self.row_data_filename)
        if watcher is not None:
            watcher.copied(str(out.name), start, copied, crc, unchanged)
        self._xml_end_tag("sheetData")


def row_file(ws: Worksheet) -> tuple[str, int] | None:
    """The path and size of ``ws``'s streamed row file (``constant_memory``), flushed to
    disk, or None if its rows are not streamed into a file as text."""
    fh = ws.row_data_fh
    if not ws.constant_memory or not isinstance(fh, io.TextIOWrapper):
        return None
    fh.flush()
    return str(ws.row_data_filename), os.fstat(fh.fileno()).st_size


class PlainSharedStrings(SharedStrings):
    """Shared strings that holds every string as plain, escaped text."""

    def _xml_rich_si_element(self, string: str) -> None:
        self._xml_si_element(string, [("xml:space", "preserve")] if _preserve(string) else [])


@contextlib.contextmanager
def _swapped(module: Any, name: str, value: Any) -> Iterator[None]:
    saved = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, saved)


class PlainTextWorkbook(xlsxwriter.Workbook):
    """A workbook of :class:`PlainTextWorksheet` whose package is written with
    :class:`PlainSharedStrings` into the zip :meth:`zip_file` makes."""

    worksheet_class = PlainTextWorksheet

    def zip_file(self, *args: Any, **kwargs: Any) -> zipfile.ZipFile:
        """The zip the package is written into, made with xlsxwriter's arguments
        (a subclass may deflate big parts otherwise: :mod:`workbook_templates.parallel_zip`)."""
        return zipfile.ZipFile(*args, **kwargs)

    def _store_workbook(self) -> None:
        with (
            _swapped(xlsxwriter.packager, "SharedStrings", PlainSharedStrings),
            _swapped(xlsxwriter.workbook, "ZipFile", self.zip_file),
        ):
            super()._store_workbook()


# --------------------------------------------------------------------------- zip entries
class Compressor(Protocol):
    """zlib's compressor interface, as zipfile calls it for an entry's bytes."""

    def compress(self, data: Any, /) -> bytes: ...

    def flush(self) -> bytes: ...


def write_entry(
    zf: zipfile.ZipFile, zinfo: zipfile.ZipInfo, src: IO[bytes], compressor: Compressor
) -> None:
    """Write ``src`` as the deflated entry ``zinfo`` of ``zf``, its bytes compressed by
    ``compressor``: zipfile writes the header, sizes and CRC-32 as for any entry."""
    zinfo.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(zinfo, "w") as dest:
        if not hasattr(dest, "_compressor"):
            raise XlsxInternalsMissing("zipfile:_ZipWriteFile()._compressor is gone")
        dest._compressor = compressor  # type: ignore[attr-defined]
        while data := src.read(1 << 20):
            dest.write(data)


def _entry_compressor_used() -> bool:
    """:func:`write_entry` works: the compressor it sets gets the bytes and the entry
    inflates to them."""
    data = b"<row>probe</row>" * 100
    seen: list[bytes] = []

    class Seeing:
        def __init__(self) -> None:
            self.z = zlib.compressobj(6, zlib.DEFLATED, -15)

        def compress(self, chunk: Any, /) -> bytes:
            seen.append(bytes(chunk))
            return self.z.compress(chunk)

        def flush(self) -> bytes:
            return self.z.flush()

    buf = io.BytesIO()
    try:
        with zipfile.ZipFile(buf, "w") as zf:
            write_entry(zf, zipfile.ZipInfo("probe.xml"), io.BytesIO(data), Seeing())
        with zipfile.ZipFile(buf) as zf:
            return b"".join(seen) == data and zf.read("probe.xml") == data
    except Exception:  # any failure: the internal cannot be used as CSQ does
        return False


_PROBES: dict[str, Callable[[], bool]] = {
    "zipfile:_ZipWriteFile()._compressor": _entry_compressor_used,
}
"""Internals checked by using them (an instance attribute of an object only zipfile makes)."""


# --------------------------------------------------------------------------- fast rows
def _module_name(module: Any, name: str) -> Any:
    """A module-level internal, or :class:`XlsxInternalsMissing` naming every one missing
    (at import: the fast row writer cannot be loaded without them)."""
    try:
        return getattr(module, name)
    except AttributeError:
        require.__wrapped__()  # names all of them
        raise  # pragma: no cover - require() raised


excel_datetime = _module_name(xlsxwriter.utility, "_datetime_to_excel_datetime")
"""A date or datetime as the Excel serial xlsxwriter writes."""
DYNAMIC_FUNCTION = _module_name(xlsxwriter.worksheet, "re_dynamic_function")
"""xlsxwriter's test for a dynamic-array function in a formula."""
CONTROL_CHARS_1 = _module_name(xlsxwriter.xmlwriter, "re_control_chars_1")
CONTROL_CHARS_2 = _module_name(xlsxwriter.xmlwriter, "re_control_chars_2")
"""xlsxwriter's tests for control characters it escapes as ``_xHHHH_``."""


def prepare_formula(ws: Worksheet, formula: str) -> str:
    """A formula as xlsxwriter writes it into the sheet (prefixes for new functions ...)."""
    return ws._prepare_formula(formula)  # type: ignore[no-any-return]


def write_single_row(ws: Worksheet, row: int) -> None:
    """Flush the row xlsxwriter holds in ``constant_memory`` mode (up to ``row``)."""
    ws._write_single_row(row)


def xf_index(cell_format: Format) -> int:
    """A format's style index in the workbook (assigned on first use, as xlsxwriter does)."""
    return cell_format._get_xf_index()  # type: ignore[no-any-return]


def cache_prepare_formula(ws: Worksheet) -> None:
    """Remember the prepared text of the sheet's formulas (every row of a column has the
    same formula text: prepare it once, not per cell)."""
    ws._prepare_formula = functools.lru_cache(maxsize=256)(ws._prepare_formula)  # type: ignore[method-assign]


def add_streamed_table(ws: Worksheet, last_row: int, n_cols: int, options: dict[str, Any]) -> None:
    """``ws.add_table`` over rows 0..``last_row`` and columns 0..``n_cols - 1`` of a
    ``constant_memory`` sheet, before any row is written.

    ``add_table`` keeps one dict entry per table cell for an overlap check (gigabytes at
    1,000,000 rows): the Table is declared on two rows, then its ranges are widened to the
    real size.  Its header strings go into the shared strings, which the streamed sheet
    does not use: those are put back as they were, so the caller writes the header row
    itself (in-line strings)."""
    sst = {
        k: (v.copy() if isinstance(v, (dict, list)) else v) for k, v in vars(ws.str_table).items()
    }
    ws.constant_memory = 0
    ws.add_table(0, 0, 1, n_cols - 1, options)
    table = ws.tables[-1]
    ws.table_cells.clear()
    full = xlsxwriter.utility.xl_range(0, 0, last_row, n_cols - 1)
    table.update(range=full, a_range=full, autofilter=full)
    ws.constant_memory = 1
    vars(ws.str_table).update(sst)

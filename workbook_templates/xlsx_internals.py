"""Every xlsxwriter internal CSQ relies on, in one place, and the check that they are there.

xlsxwriter is pinned in ``pyproject.toml`` to the range these were tested with.  A newer
xlsxwriter that renames one of them must fail loudly, naming it, never write a broken
file: :func:`require` (called when a :class:`~workbook_templates.xlsx_safe.SafeWorkbook`
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

The template builder (:mod:`workbook_templates.builder`) declares a Table on a
``constant_memory`` sheet: :func:`cache_prepare_formula` (``Worksheet._prepare_formula``
memoised per sheet), and the state ``constant_memory``, ``str_table``, ``tables`` and
``table_cells``.

zipfile: no internal (the parallel packaging that set ``ZipFile._strict_timestamps``,
``ZipInfo._compresslevel`` and ``_ZipWriteFile._compressor`` was removed: it measured no
faster).
"""

from __future__ import annotations

import functools
import importlib
import io
import os
from typing import Any

import xlsxwriter
import xlsxwriter.packager
import xlsxwriter.utility
import xlsxwriter.worksheet
import xlsxwriter.xmlwriter
from xlsxwriter.format import Format
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.worksheet import Worksheet

TESTED = "xlsxwriter 3.3.x (pyproject.toml pins it; 3.1.0 lacks four of them)"

REQUIRED: tuple[tuple[str, str], ...] = (
    # (dotted name, why); a name after ":" is an attribute of a fresh instance
    ("xlsxwriter.worksheet:Worksheet._xml_rich_inline_string", "rich-string XML as plain text"),
    ("xlsxwriter.worksheet:Worksheet._xml_inline_string", "rich-string XML as plain text"),
    ("xlsxwriter.sharedstrings:SharedStrings._xml_rich_si_element", "shared strings as plain"),
    ("xlsxwriter.sharedstrings:SharedStrings._xml_si_element", "shared strings as plain"),
    ("xlsxwriter.packager:SharedStrings", "the packager's shared strings writer, swapped"),
    ("xlsxwriter.workbook:Workbook._store_workbook", "the package written with the swap"),
    ("xlsxwriter.workbook:Workbook.worksheet_class", "the worksheet class add_worksheet makes"),
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
    """The installed xlsxwriter lacks an internal CSQ needs (see :data:`REQUIRED`)."""


def _has(spec: str) -> bool:
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
    """The names of :data:`REQUIRED` the installed xlsxwriter does not have."""
    return [f"{spec} ({why})" for spec, why in REQUIRED if not _has(spec)]


@functools.cache
def require() -> None:
    """Raise :class:`XlsxInternalsMissing`, naming each missing internal, unless the
    installed xlsxwriter has every one CSQ relies on (checked once per process)."""
    gone = missing()
    if gone:
        raise XlsxInternalsMissing(
            f"xlsxwriter {xlsxwriter.__version__} lacks internals CSQ relies on (tested: "
            f"{TESTED}); install a version in the tested range. Missing: " + "; ".join(gone)
        )


# --------------------------------------------------------------------------- plain text
def _preserve(string: str) -> bool:
    """The text starts or ends with white space (kept with ``xml:space="preserve"``)."""
    return string[:1].isspace() or string[-1:].isspace()


class PlainTextWorksheet(Worksheet):
    """A worksheet that writes text shaped like rich-string XML as ordinary text, and
    copies its streamed rows into the sheet XML as bytes."""

    def _xml_rich_inline_string(self, string: str, attributes: Any = ()) -> None:
        self._xml_inline_string(string, _preserve(string), list(attributes))

    def _write_optimized_sheet_data(self) -> None:
        """xlsxwriter's copy of the streamed rows into the sheet XML (``constant_memory``),
        as bytes: the same bytes its text copy gives (the file is xlsxwriter's own UTF-8;
        line ends as text mode reads and writes them), without decoding and encoding the
        100+ MB of a big sheet again."""
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
        raw.seek(0)
        nl = os.linesep.encode()
        carry = b""
        while data := raw.read(1 << 20):
            data = carry + data
            carry = b""
            if b"\r" in data or nl != b"\n":  # universal newlines, as a text read has them
                if data.endswith(b"\r"):
                    carry, data = b"\r", data[:-1]
                data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").replace(b"\n", nl)
            dest.write(data)
        if carry:
            dest.write(nl)
        src.close()
        os.unlink(self.row_data_filename)
        self._xml_end_tag("sheetData")


class PlainSharedStrings(SharedStrings):
    """Shared strings that holds every string as plain, escaped text."""

    def _xml_rich_si_element(self, string: str) -> None:
        self._xml_si_element(string, [("xml:space", "preserve")] if _preserve(string) else [])


class PlainTextWorkbook(xlsxwriter.Workbook):
    """A workbook of :class:`PlainTextWorksheet` whose package is written with
    :class:`PlainSharedStrings`."""

    worksheet_class = PlainTextWorksheet

    def _store_workbook(self) -> None:
        packager = xlsxwriter.packager
        saved = packager.SharedStrings
        packager.SharedStrings = PlainSharedStrings  # type: ignore[misc]
        try:
            super()._store_workbook()
        finally:
            packager.SharedStrings = saved  # type: ignore[misc]


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

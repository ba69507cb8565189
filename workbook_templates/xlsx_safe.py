"""xlsxwriter as CSQ uses it: a workbook whose cells can never carry raw XML.

xlsxwriter writes any string that starts with ``<r>`` and ends with ``</r>`` into the XML
as it is, taking it for a rich string it prepared itself: into the sheet in its streaming
mode (``constant_memory``, the templates and imported workbooks), into the shared strings
otherwise (``in_memory``, the report).  Customer text is untrusted, so a ticket
description shaped like that could corrupt or inject into a workbook.  CSQ never writes
rich strings; :class:`SafeWorksheet` and the shared strings of :class:`SafeWorkbook`
write every such string as plain, escaped text, and :class:`SafeWorkbook` uses both.
"""

from __future__ import annotations

import io
import os
import zlib
from typing import TYPE_CHECKING, Any

import xlsxwriter
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.worksheet import Worksheet

from workbook_templates.output import XLSX_WRITE_OPTIONS

if TYPE_CHECKING:  # imported when a workbook is packaged (threads, zipfile)
    from workbook_templates.parallel_zip import RowStream, Spliced


def _preserve(string: str) -> bool:
    """The text starts or ends with white space (kept with ``xml:space="preserve"``)."""
    return string[:1].isspace() or string[-1:].isspace()


class SafeWorksheet(Worksheet):
    """A worksheet that writes text shaped like rich-string XML as ordinary text."""

    _row_stream: RowStream | None = None
    _spliced: Spliced | None = None

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
        stream = self._row_stream
        if stream is not None:  # the last rows' blocks too
            stream.grown(os.fstat(src.fileno()).st_size, final=True)
        start = dest.tell()
        raw.seek(0)
        nl = os.linesep.encode()
        carry = b""
        crc, copied, same = 0, 0, True
        while data := raw.read(1 << 20):
            crc = zlib.crc32(data, crc)
            copied += len(data)
            data = carry + data
            carry = b""
            if b"\r" in data or nl != b"\n":  # universal newlines, as a text read has them
                same = False
                if data.endswith(b"\r"):
                    carry, data = b"\r", data[:-1]
                data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").replace(b"\n", nl)
            dest.write(data)
        if carry:
            dest.write(nl)
        src.close()
        os.unlink(self.row_data_filename)
        if stream is not None:
            if same and stream.plain and stream.pos == copied and stream.crc == crc:
                from workbook_templates.parallel_zip import Spliced

                self._spliced = Spliced(str(out.name), start, copied, stream)
            else:  # the sheet holds other bytes than those deflated: zipfile deflates it
                stream.close()
                self._row_stream = None
        self._xml_end_tag("sheetData")

    def _rows_streamed(self) -> None:
        """Rows were written (:mod:`workbook_templates.fastrows`): a big row file's whole
        blocks start deflating on threads (:class:`workbook_templates.parallel_zip.RowStream`)."""
        fh = self.row_data_fh
        if not self.constant_memory or not isinstance(fh, io.TextIOWrapper) or os.linesep != "\n":
            return
        fh.flush()
        size = os.fstat(fh.fileno()).st_size
        if self._row_stream is None:
            from workbook_templates import parallel_zip

            if size < parallel_zip.STREAM_ABOVE:
                return
            self._row_stream = parallel_zip.RowStream(self.row_data_filename)
        self._row_stream.grown(size)


class _PlainSharedStrings(SharedStrings):
    """Shared strings that holds every string as plain, escaped text."""

    def _xml_rich_si_element(self, string: str) -> None:
        self._xml_si_element(string, [("xml:space", "preserve")] if _preserve(string) else [])


class SafeWorkbook(xlsxwriter.Workbook):
    """``xlsxwriter.Workbook`` with :data:`XLSX_WRITE_OPTIONS` and :class:`SafeWorksheet`."""

    worksheet_class = SafeWorksheet

    def __init__(self, path: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(path, {**XLSX_WRITE_OPTIONS, **(options or {})})

    def _store_workbook(self) -> None:
        """xlsxwriter's packaging, a big part deflated on several cores
        (:mod:`workbook_templates.parallel_zip`: every part the same bytes)."""
        import xlsxwriter.packager as xp
        import xlsxwriter.workbook as xw

        from workbook_templates.parallel_zip import BlockZipFile

        sheets = self.worksheets()

        class _Zip(BlockZipFile):
            def spliced(self, filename: str) -> Spliced | None:
                for ws in sheets:
                    s = getattr(ws, "_spliced", None)
                    if s is not None and s.path == filename:
                        return s
                return None

        saved, strings = xw.ZipFile, xp.SharedStrings
        xw.ZipFile = _Zip  # type: ignore[misc]
        xp.SharedStrings = _PlainSharedStrings  # type: ignore[misc]
        try:
            super()._store_workbook()
        finally:
            xw.ZipFile = saved  # type: ignore[misc]
            xp.SharedStrings = strings  # type: ignore[misc]
            for ws in sheets:
                stream = getattr(ws, "_row_stream", None)
                if stream is not None:
                    stream.close()
                    ws._row_stream = None  # type: ignore[attr-defined]

"""xlsxwriter as CSQ uses it: a workbook whose cells can never carry raw XML.

In its streaming mode (``constant_memory``, which every CSQ workbook uses) xlsxwriter
writes any string that starts with ``<r>`` and ends with ``</r>`` into the sheet XML as it
is, taking it for a rich string it prepared itself.  Customer text is untrusted, so a
ticket description shaped like that could corrupt or inject into a workbook.  CSQ never
writes rich strings; :class:`SafeWorksheet` writes every such string as plain, escaped
text, and :class:`SafeWorkbook` uses it for every sheet.
"""

from __future__ import annotations

import io
import os
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from workbook_templates.output import XLSX_WRITE_OPTIONS


class SafeWorksheet(Worksheet):
    """A worksheet that writes text shaped like rich-string XML as ordinary text."""

    def _xml_rich_inline_string(self, string: str, attributes: Any = ()) -> None:
        preserve = string[:1].isspace() or string[-1:].isspace()
        self._xml_inline_string(string, preserve, list(attributes))

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


class SafeWorkbook(xlsxwriter.Workbook):
    """``xlsxwriter.Workbook`` with :data:`XLSX_WRITE_OPTIONS` and :class:`SafeWorksheet`."""

    worksheet_class = SafeWorksheet

    def __init__(self, path: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(path, {**XLSX_WRITE_OPTIONS, **(options or {})})

    def _store_workbook(self) -> None:
        """xlsxwriter's packaging, a big part deflated on several cores
        (:mod:`workbook_templates.parallel_zip`: every part the same bytes)."""
        import xlsxwriter.workbook as xw

        from workbook_templates.parallel_zip import BlockZipFile

        saved = xw.ZipFile
        xw.ZipFile = BlockZipFile  # type: ignore[misc]
        try:
            super()._store_workbook()
        finally:
            xw.ZipFile = saved  # type: ignore[misc]

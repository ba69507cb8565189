"""xlsxwriter as CSQ uses it: a workbook whose cells can never carry raw XML, and whose big
parts are deflated on several cores.

xlsxwriter writes any string that starts with ``<r>`` and ends with ``</r>`` into the XML
as it is, taking it for a rich string it prepared itself: into the sheet in its streaming
mode (``constant_memory``, the templates and imported workbooks), into the shared strings
otherwise (``in_memory``, the report).  Customer text is untrusted, so a ticket
description shaped like that could corrupt or inject into a workbook.  CSQ never writes
rich strings; :class:`SafeWorksheet` and the shared strings of :class:`SafeWorkbook`
write every such string as plain, escaped text, and :class:`SafeWorkbook` uses both.

A big streamed sheet's rows start deflating on threads while they are written
(:meth:`SafeWorksheet.rows_streamed`, called by :mod:`workbook_templates.fastrows`), and
the package is written into a :class:`~workbook_templates.parallel_zip.BlockZipFile`:
every part inflates to the same bytes, ``csq import`` of 100,000 rows takes about a
sixth less wall time (:mod:`workbook_templates.parallel_zip`).  How (the xlsxwriter and zipfile
internals this takes) is :mod:`workbook_templates.xlsx_internals`, which is checked when a
workbook is made: a missing internal is a clear error, not a bad file.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from workbook_templates.output import XLSX_WRITE_OPTIONS
from workbook_templates.xlsx_internals import (
    PlainTextWorkbook,
    PlainTextWorksheet,
    require,
    row_file,
)

if TYPE_CHECKING:  # imported when rows are streamed or a workbook is packaged (threads)
    import zipfile

    from workbook_templates.parallel_zip import RowStream


class SafeWorksheet(PlainTextWorksheet):
    """A worksheet that writes text shaped like rich-string XML as ordinary text, and
    deflates a big streamed row file on threads while its rows are written."""

    row_stream: RowStream | None = None

    def rows_streamed(self) -> None:
        """Rows were written (:func:`workbook_templates.fastrows.write_rows`): a big row
        file's whole blocks start deflating on threads
        (:class:`workbook_templates.parallel_zip.RowStream`)."""
        rows = row_file(self)
        if rows is None or os.linesep != "\n":  # (Windows: the copy translates line ends)
            return
        path, size = rows
        if self.row_stream is None:
            from workbook_templates import parallel_zip

            if size < parallel_zip.STREAM_ABOVE:
                return
            self.row_stream = self.row_watcher = parallel_zip.RowStream(path)
        self.row_stream.grown(size)


class SafeWorkbook(PlainTextWorkbook):
    """``xlsxwriter.Workbook`` with :data:`XLSX_WRITE_OPTIONS`, :class:`SafeWorksheet`,
    plain shared strings and big parts deflated on threads; raises
    ``XlsxInternalsMissing`` (naming what) before writing anything when the installed
    xlsxwriter or zipfile lacks an internal this relies on."""

    worksheet_class = SafeWorksheet

    def __init__(self, path: str, options: dict[str, Any] | None = None) -> None:
        require()
        merged = {**XLSX_WRITE_OPTIONS, **(options or {})}
        self.parts_on_disk = not merged.get("in_memory")
        super().__init__(path, merged)

    def zip_file(self, *args: Any, **kwargs: Any) -> zipfile.ZipFile:
        """A :class:`~workbook_templates.parallel_zip.BlockZipFile` that splices in the
        rows the sheets' row streams deflated (parts held in memory: zipfile's own)."""
        if not self.parts_on_disk:
            return super().zip_file(*args, **kwargs)
        from workbook_templates.parallel_zip import BlockZipFile

        streams = [ws.row_stream for ws in self._streamed()]
        return BlockZipFile(*args, streams=[s for s in streams if s is not None], **kwargs)

    def close(self) -> None:
        """Write the workbook; the row streams' threads stop whatever happens."""
        try:
            super().close()
        finally:
            for ws in self._streamed():
                if ws.row_stream is not None:
                    ws.row_stream.close()
                    ws.row_stream = ws.row_watcher = None

    def _streamed(self) -> list[SafeWorksheet]:
        return [ws for ws in self.worksheets() if isinstance(ws, SafeWorksheet)]

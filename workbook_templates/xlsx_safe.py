"""xlsxwriter as CSQ uses it: a workbook whose cells can never carry raw XML.

xlsxwriter writes any string that starts with ``<r>`` and ends with ``</r>`` into the XML
as it is, taking it for a rich string it prepared itself: into the sheet in its streaming
mode (``constant_memory``, the templates and imported workbooks), into the shared strings
otherwise (``in_memory``, the report).  Customer text is untrusted, so a ticket
description shaped like that could corrupt or inject into a workbook.  CSQ never writes
rich strings; :class:`SafeWorksheet` and the shared strings of :class:`SafeWorkbook`
write every such string as plain, escaped text, and :class:`SafeWorkbook` uses both.  How
(the xlsxwriter internals this takes) is :mod:`workbook_templates.xlsx_internals`, which
is checked when a workbook is made: a missing internal is a clear error, not a bad file.
"""

from __future__ import annotations

from typing import Any

from workbook_templates.output import XLSX_WRITE_OPTIONS
from workbook_templates.xlsx_internals import PlainTextWorkbook, PlainTextWorksheet, require

SafeWorksheet = PlainTextWorksheet
"""A worksheet that writes text shaped like rich-string XML as ordinary text."""


class SafeWorkbook(PlainTextWorkbook):
    """``xlsxwriter.Workbook`` with :data:`XLSX_WRITE_OPTIONS`, :class:`SafeWorksheet` and
    plain shared strings; raises ``XlsxInternalsMissing`` (naming what) before writing
    anything when the installed xlsxwriter lacks an internal this relies on."""

    def __init__(self, path: str, options: dict[str, Any] | None = None) -> None:
        require()
        super().__init__(path, {**XLSX_WRITE_OPTIONS, **(options or {})})

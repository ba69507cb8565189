"""xlsxwriter as CSQ uses it: a workbook whose cells can never carry raw XML.

In its streaming mode (``constant_memory``, which every CSQ workbook uses) xlsxwriter
writes any string that starts with ``<r>`` and ends with ``</r>`` into the sheet XML as it
is, taking it for a rich string it prepared itself.  Customer text is untrusted, so a
ticket description shaped like that could corrupt or inject into a workbook.  CSQ never
writes rich strings; :class:`SafeWorksheet` writes every such string as plain, escaped
text, and :class:`SafeWorkbook` uses it for every sheet.
"""

from __future__ import annotations

from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from workbook_templates.output import XLSX_WRITE_OPTIONS


class SafeWorksheet(Worksheet):
    """A worksheet that writes text shaped like rich-string XML as ordinary text."""

    def _xml_rich_inline_string(self, string: str, attributes: Any = ()) -> None:
        preserve = string[:1].isspace() or string[-1:].isspace()
        self._xml_inline_string(string, preserve, list(attributes))


class SafeWorkbook(xlsxwriter.Workbook):
    """``xlsxwriter.Workbook`` with :data:`XLSX_WRITE_OPTIONS` and :class:`SafeWorksheet`."""

    worksheet_class = SafeWorksheet

    def __init__(self, path: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(path, {**XLSX_WRITE_OPTIONS, **(options or {})})

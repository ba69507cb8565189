"""Recognising the reports CSQ writes, so that they are never read back as workbooks.

Every report carries the custom document property
:data:`workbook_templates.output.REPORT_MARKER` (``docProps/custom.xml``); older reports
are still recognised by their ``.report.xlsx`` name where that applies (folders, globs).
"""

from __future__ import annotations

import os
import zipfile
from typing import Any

from workbook_templates.output import REPORT_MARKER

from .safety import parse_xml

_CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_MAX = 1 << 20  # a property part larger than this is not one CSQ wrote


def is_csq_report(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is an xlsx that carries CSQ's report marker (never raises)."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(_CUSTOM_PART)
            if info.file_size > _CUSTOM_MAX:
                return False
            root: Any = parse_xml(zf.read(info))
    except Exception:  # noqa: BLE001 - not a zip, no property part, refused XML: not a report
        return False
    return any(prop.get("name") == REPORT_MARKER for prop in root)

"""What the Excel running the add-in offers: its user interface language, as the add-in's
message language falls back to it, and whether it has dynamic arrays.

Inside Excel the locale variables are normally unset, so the add-in asks Excel
(``Application.LanguageSettings.LanguageID(msoLanguageIDUI)``, msoLanguageIDUI = 2) and
passes the id to :func:`udfs.core.i18n.host_ui_language` around each ribbon action: a
Chinese Excel (2052, 1028, 3076, 4100, 5124) writes a Chinese *New workbook* and speaks
Chinese where one language is chosen.  ``CSQ_LANG`` still wins (SPEC section 1).
"""

from __future__ import annotations

from typing import Any

MSO_LANGUAGE_ID_UI = 2
"""Office's ``msoLanguageIDUI``: the language of the user interface."""


def excel_ui_language(book: Any) -> int | None:
    """The UI language id of the Excel running ``book`` (an ``XlwingsBook``); None for a
    workbook file (``FileBook``) or when Excel cannot say."""
    xl_book = getattr(book, "book", None)
    if xl_book is None:
        return None
    try:
        return int(xl_book.app.api.LanguageSettings.LanguageID(MSO_LANGUAGE_ID_UI))
    except Exception:  # noqa: BLE001 - no id: the next rule of the decision decides
        return None


def excel_has_dynamic_arrays(book: Any) -> bool:
    """Whether the Excel running ``book`` spills formulas (Excel 2021 / Microsoft 365):
    only those have ``Range.Formula2``.  A workbook file (``FileBook``) or an Excel that
    cannot be asked counts as having them (the default workbook)."""
    xl_book = getattr(book, "book", None)
    if xl_book is None:
        return True
    try:
        xl_book.app.api.ActiveSheet.Range("A1").Formula2  # noqa: B018 - the probe itself
    except AttributeError:
        return False
    except Exception:  # noqa: BLE001 - no active sheet, COM busy: assume the default
        return True
    return True

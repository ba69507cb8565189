"""The CSQ ribbon's dispatcher, in Python.

Every button of the CSQ tab calls ``on_button(control_id)`` (through the one VBA callback in
``addin/vba/CSQRibbon.bas``).  The dispatcher maps the button id to an action
(:mod:`.ribbon_actions`), runs it on the active workbook and shows the outcome, or any
error, as one message box in English and Chinese (:mod:`.ribbon_text`): never a traceback
(that goes to a log file named in the message).

Actions only talk to Excel through a small book interface (:mod:`.books`: ``XlwingsBook``
wraps the workbook Excel passes in, ``FileBook`` is a workbook file on disk so the same
actions run, and are tested, on Linux without Excel).  The work itself is the CLI's
(``addin.jobs``): Generate report is ``csq report`` for one workbook, Validate is
``csq validate``, New workbook is ``csq new``.
"""

from __future__ import annotations

import datetime as _dt
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from udfs.core.errors import CsqError
from udfs.core.i18n import host_ui_language

from .books import BookLike, FileBook, XlwingsBook
from .host import excel_ui_language
from .ribbon_actions import (
    actions_from_findings,
    agent_feedback_files,
    department_report,
    generate_report,
    new_workbook,
    rebind_formulas,
    refresh_scores,
    settings_help,
    validate,
)
from .ribbon_text import ACTION_NAMES, TITLE, both

__all__ = ["ACTIONS", "TITLE", "FileBook", "on_button", "on_open", "rebind_formulas", "validate"]

ACTIONS: dict[str, Callable[[BookLike], str]] = {
    "csqReport": generate_report,
    "csqFeedback": agent_feedback_files,
    "csqActions": actions_from_findings,
    "csqDepartment": department_report,
    "csqRefresh": refresh_scores,
    "csqValidate": validate,
    "csqNew": new_workbook,
    "csqHelp": settings_help,
}


def on_open(name: str, book: BookLike | None = None) -> int:
    """A CSQ workbook (document property ``CSQ`` = ``udf``) was opened with the add-in
    loaded: re-enter its CSQ_ formulas once, silently; returns how many.  Called by the
    add-in's ``WorkbookOpen`` handler (``CSQRibbon.RebindOnOpen``).  Never raises and shows
    no message: a problem goes to the log, and *Refresh scores* does the same on demand."""
    try:
        if book is None:
            import xlwings as xw

            book = XlwingsBook(xw.books[name])
        return rebind_formulas(book)
    except Exception:  # noqa: BLE001 - opening a workbook must never show a traceback
        try:
            with open(_log_path(), "a", encoding="utf-8") as fh:
                fh.write(f"--- {_dt.datetime.now():%Y-%m-%d %H:%M:%S} on_open {name}\n")
                fh.write(traceback.format_exc())
        except OSError:
            pass
        return 0


def _log_path() -> Path:
    return Path(tempfile.gettempdir()) / "csq-addin.log"


def _os_words(exc: OSError, book: BookLike | None) -> tuple[str, str]:
    """An OS error in words, (English, Chinese): the active workbook not on disk, else
    what the OS refused and where (``cannot write PATH: reason``)."""
    from ..jobs.common import os_message
    from .ribbon_text import MESSAGES

    saved = book.saved_path() if book is not None else None
    if isinstance(exc, FileNotFoundError) and saved is not None and not saved.exists():
        en, zh = MESSAGES["not_on_disk"]
        return en.format(path=saved), zh.format(path=saved)
    return os_message(exc, "en"), os_message(exc, "zh")


def on_button(control_id: str, book: BookLike | None = None) -> str:
    """Run the action of ribbon button ``control_id`` and show its outcome in one message.

    Returns the message shown.  Never raises: errors become the message.
    """
    action = ACTIONS.get(control_id)
    name = ACTION_NAMES.get(control_id, (control_id, control_id))
    label = f"{name[0]} / {name[1]}"
    try:
        if book is None:
            import xlwings as xw

            book = XlwingsBook(xw.Book.caller())
        if action is None:
            text = both("unknown_button", control=control_id)
        else:
            with host_ui_language(excel_ui_language(book)):  # no CSQ_LANG/LANG: Excel's
                text = action(book)
    except CsqError as exc:
        text = both("failed", action=label, error=exc)
    except OSError as exc:  # a workbook not on disk, a file or folder in the way, a full disk
        text = both("failed", action=label, error=_os_words(exc, book))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - never a traceback, PanicException included
        log = _log_path()
        try:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(f"--- {_dt.datetime.now():%Y-%m-%d %H:%M:%S} {control_id}\n")
                fh.write(traceback.format_exc())
        except OSError:
            pass
        text = both("unexpected", action=label, error=f"{type(exc).__name__}: {exc}", log=log)
    if book is not None:
        try:
            book.alert(TITLE, text)
        except Exception:  # noqa: BLE001 - nothing more can be shown
            pass
    return text

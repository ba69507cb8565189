"""How CSQ writes every file: safe xlsxwriter options and atomic replacement.

Atomic output: write to a temporary file beside the target, then rename over it.  A crash
or a full disk never leaves a half-written report or workbook behind, and the target is
either the old file or the complete new one.  The template builder, ``csq import``, the
report and ``summary.json`` all write through here.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPORT_MARKER = "CSQ report"
"""Name of the custom document property every report CSQ writes carries (value: the CSQ
version).  ``csq report`` never takes a file with it as an input; ``csq validate`` says the
file is a report."""

XLSX_WRITE_OPTIONS: dict[str, Any] = {
    # Every xlsx CSQ writes (templates, filled workbooks, reports) uses these: text stays
    # text (customer text starting with "=", "+", "-" or "@" never becomes a formula, an
    # id like "00123" never becomes a number, nothing becomes a link), and rows are
    # streamed to disk so memory does not grow with the sheet.
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "default_date_format": "yyyy-mm-dd",
}


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = temp_beside(target)
    try:
        yield tmp_path
        os.chmod(tmp_path, final_mode(target))  # mkstemp makes 0600; outputs are shared files
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def temp_beside(target: Path) -> Path:
    """A new empty temporary file in ``target``'s folder (hidden name, ``.tmp``); a folder
    that refuses it is named in the error, not the temporary name."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise type(exc)(exc.errno, exc.strerror, str(target.parent)) from None
    os.close(fd)
    return Path(tmp)


def final_mode(target: Path) -> int:
    """The replaced file's permissions, or what a plain ``open()`` would give (umask)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(target: str | os.PathLike[str], writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp_path)`` and move the result to ``target``; returns ``target``."""
    with atomic_path(target) as tmp:
        writer(tmp)
    return Path(target)


def write_text_atomic(target: str | os.PathLike[str], text: str) -> Path:
    return write_atomic(target, lambda p: p.write_text(text, encoding="utf-8"))

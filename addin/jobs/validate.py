"""Validate a workbook: every data-quality finding the reader collects (the same the
report's data-quality sheet and the ribbon show), cell by cell.  ``csq validate`` prints
them (:mod:`addin.commands.validate`)."""

from __future__ import annotations

import os

from udfs.core.data import Finding, WorkbookData

from ..read.marker import is_csq_report
from ..read.workbook import read_workbook


def validate_workbook(path: str | os.PathLike[str], *, lang: str | None = None) -> list[Finding]:
    """Every finding of the workbook at ``path`` (messages in ``lang``, default the
    workbook's language).  Raises ``InputError`` for a file that cannot be read at all."""
    return read_workbook(path, lang=lang).findings


def read_for_validation(path: str | os.PathLike[str], lang: str | None) -> WorkbookData:
    """The workbook read as for a report: its findings, rows, SHA-256 and the reason it
    cannot be used (``rejected``), messages in ``lang``."""
    return read_workbook(path, lang=lang)


def is_report(path: str | os.PathLike[str]) -> bool:
    """True for an evaluation report CSQ wrote (named as such, never listed as a broken
    workbook)."""
    return is_csq_report(path)

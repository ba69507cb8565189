"""Validate a workbook: every data-quality finding the reader collects (the same the
report's data-quality sheet and the ribbon show), cell by cell.  ``csq validate`` prints
them (:mod:`addin.commands.validate`)."""

from __future__ import annotations

import os
from typing import Any

from udfs.core.data import Finding, WorkbookData
from udfs.core.problems import Problem, Text

from ..read.marker import is_csq_report
from ..read.workbook import read_workbook
from .progress import phase


def validate_workbook(path: str | os.PathLike[str], *, lang: str | None = None) -> list[Finding]:
    """Every finding of the workbook at ``path`` (messages in ``lang``, default the
    workbook's language).  Raises ``InputError`` for a file that cannot be read at all."""
    return read_workbook(path, lang=lang).findings


def read_for_validation(path: str | os.PathLike[str], lang: str | None) -> WorkbookData:
    """The workbook read as for a report: its findings, rows, SHA-256 and the reason it
    cannot be used (``rejected``), messages in ``lang``."""
    phase("read_workbook")
    data = read_workbook(path, lang=lang)
    phase("check")
    return data


def is_report(path: str | os.PathLike[str]) -> bool:
    """True for an evaluation report CSQ wrote (named as such, never listed as a broken
    workbook)."""
    return is_csq_report(path)


def _param(v: Any, lang: str) -> Any:
    """A finding parameter for JSON: a per-language text in ``lang``, a nested problem as
    ``{"code", "params"}``, numbers and texts as they are."""
    if isinstance(v, Text):
        return v(lang)
    if isinstance(v, Problem):
        return {"code": v.code, "params": {k: _param(x, lang) for k, x in v.params.items()}}
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def finding_json(f: Finding) -> dict[str, Any]:
    """One finding as ``csq validate --json`` lists it (docs/validate.md, "JSON"): where,
    the value, the rule in the finding's language, and its stable ``code``, ``field`` and
    ``params``."""
    return {
        "sheet": f.sheet,
        "cell": f.cell,
        "value": f.value,
        "rule": f.rule,
        "severity": f.severity,
        "key": f.key,
        "code": f.code,
        "field": f.field,
        "params": {k: _param(v, f.lang) for k, v in f.params.items()},
    }

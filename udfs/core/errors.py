"""The small exception tree of CSQ: raised for what the user must fix, printed as one line."""

from __future__ import annotations


class CsqError(Exception):
    """A problem the user can fix; ``str()`` is the complete message (where and what)."""

    exit_code = 1


class UsageError(CsqError):
    """Wrong command-line usage (exit code 2)."""

    exit_code = 2


class InputError(CsqError):
    """An input file that cannot be used at all (missing, corrupt, too large, not a workbook)."""

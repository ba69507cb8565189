"""The small exception tree of CSQ: raised for what the user must fix, printed as one line.

An error may carry a coded problem (:class:`udfs.core.problems.Problem`: a stable code and
its parameters) instead of a finished text; ``str()`` is then the problem in the language
it was raised in, and :meth:`CsqError.render` words it in any other, so nothing is read a
second time to change a message's language.
"""

from __future__ import annotations

from typing import Any


class CsqError(Exception):
    """A problem the user can fix; ``str()`` is the complete message (where and what).

    ``CsqError(text)``, or ``CsqError(problem, lang)`` with a coded problem (anything with
    ``code``, ``params`` and ``render(lang)``) worded in ``lang``."""

    exit_code = 1

    def __init__(self, message: Any = "", lang: str | None = None) -> None:
        self.problem = message if hasattr(message, "render") else None
        self.lang: str | None = lang
        if self.problem is not None:
            from .i18n import default_lang

            self.lang = lang or default_lang()
            message = self.problem.render(self.lang)
        super().__init__(message)

    @property
    def code(self) -> str:
        """The problem's stable code (``""`` for an error raised with a finished text)."""
        return self.problem.code if self.problem is not None else ""

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.problem.params) if self.problem is not None else {}

    def render(self, lang: str) -> str:
        """The message in ``lang`` (zh or en); a finished text stays as it was raised."""
        return self.problem.render(lang) if self.problem is not None else str(self)

    def __reduce__(self) -> Any:  # a worker process sends the error back, code and all
        if self.problem is not None:
            return (type(self), (self.problem, self.lang))
        return (type(self), (str(self),))


class UsageError(CsqError):
    """Wrong command-line usage (exit code 2)."""

    exit_code = 2


class InputError(CsqError):
    """An input file that cannot be used at all (missing, corrupt, too large, not a workbook)."""

"""Keeping a native reader's panic text off the user's terminal (SPEC section 9).

A Rust panic inside calamine or fastexcel (``pyo3_runtime.PanicException``, a
``BaseException``) is caught where the cell is read (:func:`is_panic`) and that slice or
sheet read again by the fallback; :func:`note_panic` tells the active
:class:`NativeStderr` to drop the panic hook's text.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from typing import Any

_ACTIVE: list[NativeStderr] = []


def is_panic(exc: BaseException) -> bool:
    """A native reader gave up (a panic), not an error, an interrupt or an exit."""
    return not isinstance(exc, (Exception, KeyboardInterrupt, SystemExit, GeneratorExit))


def note_panic() -> None:
    """A native reader panicked while the innermost :class:`NativeStderr` held stderr."""
    if _ACTIVE:
        _ACTIVE[-1].panicked = True


class NativeStderr:
    """While calamine reads, what is written to file descriptor 2 is held back and then
    passed on, except when the read ended in a Rust panic: the panic hook's own text
    ("thread '<unnamed>' panicked at ...", a backtrace) is not for the user, who gets one
    finding instead."""

    def __init__(self) -> None:
        self.panicked = False
        self._saved: int | None = None
        self._tmp: Any = None

    def __enter__(self) -> NativeStderr:
        _ACTIVE.append(self)
        if os.environ.get("CSQ_DEBUG", "").strip() not in ("", "0"):
            return self
        try:
            sys.stderr.flush()
            self._tmp = tempfile.TemporaryFile()
            self._saved = os.dup(2)
            os.dup2(self._tmp.fileno(), 2)
        except (OSError, ValueError, AttributeError):
            self._saved = None
        return self

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if _ACTIVE and _ACTIVE[-1] is self:
            _ACTIVE.pop()
        if self._saved is None:
            return
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.flush()
        os.dup2(self._saved, 2)
        os.close(self._saved)
        self._saved = None
        panicked = self.panicked or (kind is not None and not issubclass(kind, Exception))
        with self._tmp as tmp:
            tmp.seek(0)
            held = tmp.read(1 << 20)
        if held and not panicked:
            with contextlib.suppress(OSError):
                os.write(2, held)

"""The ``csq`` command line: parses arguments, calls the library, prints one-line errors.

Exit codes (SPEC section 7): 0 all good, 1 some input rejected (others still processed),
2 usage error.  The parser is :mod:`addin.commands.arguments`; each command's module
(``addin.commands``) checks its arguments, calls its job (``addin.jobs``) and prints; this
file only wires them.

No user sees a Python traceback: :func:`main` turns every exception, including the
``BaseException`` subclasses that native readers raise (``pyo3_runtime.PanicException``),
into one line; ``--debug`` or ``CSQ_DEBUG=1`` prints the full traceback as well.  A closed
output pipe (``csq demo | head -1``) ends the command quietly.  Messages, argparse's own
texts included, are in the message language (``udfs.core.i18n.default_lang``).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from udfs.core.errors import CsqError
from udfs.core.i18n import default_lang

from .commands.arguments import argparse_language, build_parser
from .jobs.common import one_line, os_message, safe_text, t

COMMANDS: dict[str, str] = {
    # command -> "module:function"; the function takes the parsed args and returns an exit code
    "new": "addin.commands.new:cmd_new",
    "demo": "addin.commands.demo:cmd_demo",
    "import": "addin.commands.import_:cmd_import",
    "sample": "addin.commands.sample:cmd_sample",
    "report": "addin.commands.report:cmd_report",
    "feedback": "addin.commands.feedback:cmd_feedback",
    "actions": "addin.commands.actions:cmd_actions",
    "validate": "addin.commands.validate:cmd_validate",
    "convert": "addin.commands.convert:cmd_convert",
    "addin": "addin.excel.xlam:cmd_addin",
    "selftest": "addin.commands.selftest:cmd_selftest",
}


def _debug_wanted(argv: Sequence[str] | None) -> bool:
    args = sys.argv[1:] if argv is None else list(argv)
    return "--debug" in args or os.environ.get("CSQ_DEBUG", "").strip() not in ("", "0")


def _quiet_broken_pipe() -> None:
    """The reader of our output went away (``csq demo | head -1``): send the rest of the
    output nowhere, so neither this command nor the interpreter's exit complains."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())  # type: ignore[union-attr]
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


class _PipeSafe:
    """``sys.stdout`` (or ``sys.stderr``) that survives its reader going away (``csq demo
    | head -1``): the command goes on to the end and its exit code stands; what it would
    still have printed goes nowhere, and no BrokenPipeError is shown.  A character the
    stream's encoding cannot show (a cp1252 console) is written as an escape, never lost
    with the rest of the line; a stream that is closed or full (``>&-``, ``>/dev/full``)
    is remembered in ``failed`` and named once at the end (:func:`main`)."""

    def __init__(self, stream: Any, pipe: bool = True) -> None:
        self._stream = stream
        self._pipe = pipe
        self.broken = False
        self.failed: str | None = None

    def write(self, text: str) -> int:
        if self.broken or self.failed is not None:
            return len(text)
        if self._stream is None:  # the descriptor was closed before we started
            self.failed = os.strerror(9)
            return len(text)
        try:
            try:
                return int(self._stream.write(text) or 0)
            except UnicodeEncodeError:
                enc = getattr(self._stream, "encoding", None) or "ascii"
                return int(self._stream.write(_encodable(text, enc)) or 0)
        except BrokenPipeError:
            self._break()
        except (OSError, ValueError) as exc:  # a full disk, a closed file
            self.failed = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return len(text)

    def flush(self) -> None:
        if self.broken or self.failed is not None or self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._break()
        except (OSError, ValueError) as exc:
            self.failed = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__

    def _break(self) -> None:
        self.broken = True
        if self._pipe:
            _quiet_broken_pipe()

    def __getattr__(self, name: str) -> Any:  # isatty, encoding, fileno: the stream's
        return getattr(self._stream, name)


def _encodable(text: str, encoding: str) -> str:
    """``text`` with what ``encoding`` cannot hold written as ``\\u76d1`` escapes."""
    try:
        return text.encode(encoding, "backslashreplace").decode(encoding)
    except LookupError:
        return text.encode("ascii", "backslashreplace").decode("ascii")


# numpy's OpenBLAS starts one thread per core when it is imported (tens of milliseconds of
# CPU for a tiny report); CSQ does no linear algebra, so one thread is all a command needs.
# A value the user has set is kept.  Set before the first numpy import (commands import it).
# pydantic looks through every installed package's entry points for plugins when the
# indicator models are built (about 10 ms); CSQ uses none.
_ENVIRONMENT = (("OPENBLAS_NUM_THREADS", "1"), ("PYDANTIC_DISABLE_PLUGINS", "__all__"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``csq`` command; returns the exit code (argparse's ``--help`` and usage
    errors raise ``SystemExit`` as usual).  Never lets an exception escape."""
    for name, value in _ENVIRONMENT:
        os.environ.setdefault(name, value)
    saved, saved_err = sys.stdout, sys.stderr
    out = _PipeSafe(saved)
    err = _PipeSafe(saved_err, pipe=False)
    sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
    try:
        rc = _guarded(argv)
    finally:
        with contextlib.suppress(Exception):
            out.flush()
        sys.stdout, sys.stderr = saved, saved_err
    if out.failed is not None:  # the output was lost: said once, on stderr
        with contextlib.suppress(Exception):
            text = t("stdout_failed", default_lang(), why=out.failed)
            print(f"csq: {text}", file=sys.stderr)
        return rc or 1
    return rc


def _guarded(argv: Sequence[str] | None) -> int:
    debug = _debug_wanted(argv)
    lang = default_lang()
    saved_debug = os.environ.get("CSQ_DEBUG")
    if debug:  # the library's own "show me everything" switch (e.g. native readers' stderr)
        os.environ["CSQ_DEBUG"] = "1"
    try:
        return _main(argv, lang)
    except SystemExit:
        raise
    except BrokenPipeError:
        _quiet_broken_pipe()
        return 1
    except KeyboardInterrupt:
        print(f"csq: {t('interrupted', lang)}", file=sys.stderr)
        return 130
    except BaseException as exc:  # noqa: BLE001 - no user ever sees a traceback
        if debug:
            traceback.print_exc()
        print(safe_text(f"csq: {t('internal', lang, err=one_line(exc))}"), file=sys.stderr)
        return 1
    finally:
        if saved_debug is None:
            os.environ.pop("CSQ_DEBUG", None)
        else:
            os.environ["CSQ_DEBUG"] = saved_debug


def _import_pandas() -> None:
    """Import pandas (every command uses it) with pyarrow out of its sight.

    pandas imports pyarrow as it starts whenever pyarrow is installed (about 40 ms and
    45 MB for every command, a tenth of a tiny report), and backs inferred text columns
    with it once it is loaded.  CSQ's tables are numpy and object columns, and only the
    columnar reader (``addin/read/columnar.py``) uses pyarrow, itself; so pandas keeps
    its own text storage, the same whether pyarrow is installed or loaded or not, and
    pyarrow stays importable for the reader.
    """
    if "pandas" in sys.modules or "pyarrow" in sys.modules:
        return
    sys.modules["pyarrow"] = None  # type: ignore[assignment]  # import pyarrow: ImportError
    try:
        import pandas

        pandas.set_option("mode.string_storage", "python")
    except (ImportError, KeyError, ValueError):  # reported by the command that needs pandas
        pass
    finally:
        if "pyarrow" in sys.modules and sys.modules["pyarrow"] is None:
            del sys.modules["pyarrow"]


def _main(argv: Sequence[str] | None, lang: str) -> int:
    with argparse_language(lang):
        parser = build_parser()
        args = parser.parse_args(argv)
    if not args.command:
        with argparse_language(lang):
            parser.print_help()
        return 2
    if os.environ.get("CSQ_MAX_INPUT_MB", "").strip():  # checked once, before any input
        from .read.safety import Limits

        try:
            Limits.from_env()
        except CsqError as exc:
            print(safe_text(f"csq: {t('error', lang, msg=exc.render(lang))}"), file=sys.stderr)
            return 2
    target = COMMANDS[args.command]
    module_name, func_name = target.split(":")
    _import_pandas()
    try:
        module = importlib.import_module(module_name)
        handler = getattr(module, func_name)
    except (ImportError, AttributeError):
        print(f"csq: {t('not_available', lang, cmd=args.command)}", file=sys.stderr)
        return 2
    try:
        return int(handler(args) or 0)
    except CsqError as exc:
        if args.debug:
            traceback.print_exc()
        print(safe_text(f"csq: {t('error', lang, msg=exc)}"), file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # an impossible output path: parent is a file, read-only, disk full
        if isinstance(exc, BrokenPipeError):
            raise
        if args.debug:
            traceback.print_exc()
        print(safe_text(f"csq: {t('error', lang, msg=os_message(exc, lang))}"), file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

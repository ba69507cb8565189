"""What several jobs and commands share: the common messages, the output-path check and
the terminal-safe text of a cell."""

from __future__ import annotations

import re
from pathlib import Path

from udfs.core.errors import UsageError
from udfs.core.i18n import Catalog

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (English, 简体中文)
    "error": ("error: {msg}", "错误：{msg}"),
    "not_available": ("'{cmd}' is not available in this build", "本版本不提供“{cmd}”命令"),
    "interrupted": ("interrupted", "已中断"),
    "internal": (
        "unexpected error ({err}); run again with --debug for the details and report it",
        "意外错误（{err}）；可加 --debug 重新运行查看详情并反馈",
    ),
    "written": ("written: {path}", "已生成：{path}"),
    "output_exists": (
        "{path} already exists; pass --force to overwrite it",
        "{path} 已存在；如需覆盖请加 --force",
    ),
    "output_suffix": (
        "{path}: the workbook name must end in .xlsx",
        "{path}：工作簿文件名必须以 .xlsx 结尾",
    ),
    "os_error": ("cannot write {path}: {why}", "无法写入 {path}：{why}"),
    "os_error_nopath": ("cannot write the output: {why}", "无法写入输出文件：{why}"),
    "os_error_file": (
        "cannot write into {path}: it is a file, not a folder",
        "无法写入 {path}：它是文件，不是文件夹",
    ),
    "stdout_failed": (
        "error: the output could not be printed ({why}); nothing of it reached the terminal "
        "or file",
        "错误：无法输出结果（{why}）；终端或文件未收到任何输出",
    ),
    "output_is_dir": (
        "{path} is a folder, not a workbook name",
        "{path} 是文件夹，不是工作簿文件名",
    ),
}

t = Catalog(MESSAGES)
"""``t(key, lang, **values)``: one of the messages shared by several commands."""


def check_output(path: Path, lang: str, force: bool) -> None:
    """Refuse an output that is not an ``.xlsx`` name, is a folder, or exists (without --force)."""
    if path.suffix.lower() != ".xlsx":
        raise UsageError(t("output_suffix", lang, path=path))
    if path.is_dir():
        raise UsageError(t("output_is_dir", lang, path=path))
    if path.exists() and not force:
        raise UsageError(t("output_exists", lang, path=path))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    n = ord(m.group())
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def safe_text(text: object) -> str:
    """Text for the terminal with control characters (ESC, BEL, other C0/C1) and the
    right-to-left overrides shown as ``\\x1b``/``\\u202e`` escapes, so a cell holding
    ``ESC[2J`` never clears the screen and no text is shown reversed; a file name's bytes
    that are not UTF-8 as ``\\xcd``.  Tabs and new lines are kept."""
    return printable(_CONTROL.sub(_escape, str(text)))


def printable(text: str) -> str:
    """``text`` with the undecodable bytes of a file name (surrogate escapes: a GBK name
    on a UTF-8 system) shown as ``\\xcd`` escapes, so it can be printed and written."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def shown(name: object) -> str:
    """A file name or an id for one line of output: every control character, new lines
    and tabs included, and the direction overrides escaped (a name holding a new line
    cannot forge a line of its own)."""
    return printable(_NAME_CONTROL.sub(_escape, str(name)))


def os_message(exc: OSError, lang: str) -> str:
    """``cannot write PATH: the OS reason`` (e.g. "No space left on device")."""
    why = exc.strerror or str(exc) or type(exc).__name__
    if isinstance(exc, (FileExistsError, NotADirectoryError)) and exc.filename:
        blocking = Path(exc.filename)
        while not blocking.exists() and blocking != blocking.parent:
            blocking = blocking.parent
        if blocking.is_file():
            return t("os_error_file", lang, path=blocking)
    if exc.filename:
        return t("os_error", lang, path=exc.filename, why=why)
    return t("os_error_nopath", lang, why=why)


def os_error_in(exc: BaseException) -> OSError | None:
    """The OS error inside a writer's own exception (xlsxwriter's ``FileCreateError``
    wraps the full disk or refused folder it met), else None."""
    if isinstance(exc, OSError):
        return exc
    inner = exc.args[0] if exc.args else None
    if isinstance(inner, OSError):
        return inner
    cause = exc.__cause__ or exc.__context__
    return cause if isinstance(cause, OSError) else None


def one_line(exc: BaseException) -> str:
    """``Type: first line of the message`` (at most 200 characters) of any exception."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    name = type(exc).__name__
    return (f"{name}: {first}" if first else name)[:200]

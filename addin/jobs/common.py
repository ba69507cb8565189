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


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_text(text: object) -> str:
    """Text for the terminal with control characters (ESC, BEL, other C0/C1) shown as
    ``\\x1b``-style escapes, so a cell holding ``ESC[2J`` never clears the screen.  Tabs
    and new lines are kept."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


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


def one_line(exc: BaseException) -> str:
    """``Type: first line of the message`` (at most 200 characters) of any exception."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    name = type(exc).__name__
    return (f"{name}: {first}" if first else name)[:200]

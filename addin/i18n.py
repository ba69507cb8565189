"""User-facing messages in English and Simplified Chinese.

``t(key, lang, **values)`` formats one message.  The language comes from ``--lang`` or the
``CSQ_LANG`` environment variable (default English).
"""

from __future__ import annotations

import os

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (English, 简体中文)
    "error": ("error: {msg}", "错误：{msg}"),
    "not_available": ("'{cmd}' is not available in this build", "本版本不提供“{cmd}”命令"),
    "interrupted": ("interrupted", "已中断"),
    "written": ("written: {path}", "已生成：{path}"),
    "output_exists": (
        "{path} already exists; pass --force to overwrite it",
        "{path} 已存在；如需覆盖请加 --force",
    ),
    "output_suffix": (
        "{path}: the workbook name must end in .xlsx",
        "{path}：工作簿文件名必须以 .xlsx 结尾",
    ),
    "bad_rows": (
        "--rows {n}: give a number of blank Monitoring rows from 1 to {most}",
        "--rows {n}：监测表空白行数须在 1 到 {most} 之间",
    ),
    "output_is_dir": (
        "{path} is a folder, not a workbook name",
        "{path} 是文件夹，不是工作簿文件名",
    ),
}


def default_lang() -> str:
    lang = os.environ.get("CSQ_LANG", "en").strip().lower()
    return "zh" if lang.startswith("zh") else "en"


class Catalog:
    """Messages as ``key -> (English, 简体中文)``; calling the catalog gives one message in
    ``lang`` (default: :func:`default_lang`), formatted with ``values`` when there are any."""

    def __init__(self, messages: dict[str, tuple[str, str]]) -> None:
        self.messages = messages

    def __call__(self, key: str, lang: str | None = None, /, **values: object) -> str:
        en, zh = self.messages[key]
        text = zh if (lang or default_lang()) == "zh" else en
        return text.format(**values) if values else text


t = Catalog(MESSAGES)
"""``t(key, lang, **values)``: one of the messages shared by several commands."""

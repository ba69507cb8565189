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


def t(key: str, lang: str | None = None, **values: object) -> str:
    en, zh = MESSAGES[key]
    text = zh if (lang or default_lang()) == "zh" else en
    return text.format(**values)

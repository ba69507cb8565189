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
}


def default_lang() -> str:
    lang = os.environ.get("CSQ_LANG", "en").strip().lower()
    return "zh" if lang.startswith("zh") else "en"


def t(key: str, lang: str | None = None, **values: object) -> str:
    en, zh = MESSAGES[key]
    text = zh if (lang or default_lang()) == "zh" else en
    return text.format(**values)

"""Bilingual text: the :class:`Catalog` type every face keeps its labels and messages in.

A catalogue maps a key to ``(English, 简体中文)``; calling it gives the text in one language,
formatted with values.  The message language is :func:`default_lang`: ``CSQ_LANG``, else
the system locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``zh*`` gives Chinese), else
English.  Workbooks and reports are written in ``--lang``, else the input workbook's
language, else this message language (:func:`output_lang`).
"""

from __future__ import annotations

import os

LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")
"""Locale variables looked at, in POSIX order of precedence, when ``CSQ_LANG`` is unset."""


def default_lang() -> str:
    """The message language: ``CSQ_LANG``, else the first set locale variable of
    :data:`LOCALE_VARS` (``zh_CN.UTF-8`` -> zh), else English."""
    for var in ("CSQ_LANG", *LOCALE_VARS):
        value = os.environ.get(var, "").strip().lower()
        if value:
            return "zh" if value.startswith("zh") else "en"
    return "en"


def output_lang(requested: str | None, workbook: str | None = None) -> str:
    """The language of a workbook or report written: ``--lang``, else the input
    workbook's language, else the message language."""
    for lang in (requested, workbook):
        if lang in ("zh", "en"):
            return lang
    return default_lang()


class Catalog:
    """Messages as ``key -> (English, 简体中文)``; calling the catalog gives one message in
    ``lang`` (default: :func:`default_lang`), formatted with ``values`` when there are any."""

    def __init__(self, messages: dict[str, tuple[str, str]]) -> None:
        self.messages = messages

    def __call__(self, key: str, lang: str | None = None, /, **values: object) -> str:
        en, zh = self.messages[key]
        text = zh if (lang or default_lang()) == "zh" else en
        return text.format(**values) if values else text

"""Bilingual text: the :class:`Catalog` type every face keeps its labels and messages in.

A catalogue maps a key to ``(English, 简体中文)``; calling it gives the text in one language,
formatted with values.  The message language comes from ``--lang`` or the ``CSQ_LANG``
environment variable (default English).
"""

from __future__ import annotations

import os


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

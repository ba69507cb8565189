"""Bilingual text: the :class:`Catalog` type every face keeps its labels and messages in.

A catalogue maps a key to ``(English, 简体中文)``; calling it gives the text in one language,
formatted with values.  The message language is :func:`default_lang`, decided by
:func:`decide_lang`: ``CSQ_LANG``, else the POSIX locale (``LC_ALL``, ``LC_MESSAGES``,
``LANG``: ``zh*`` gives Chinese), else the user interface language of the host -- Excel's
(``Application.LanguageSettings.LanguageID(msoLanguageIDUI)``) inside the add-in, set
with :func:`host_ui_language`; Windows' (``GetUserDefaultUILanguage``) for the command
line -- where any Chinese language id (2052 zh-CN, 1028 zh-TW, 3076 zh-HK, 4100 zh-SG,
5124 zh-MO) gives Chinese, else English.  On Windows the locale variables are normally
unset, so a Chinese Windows or Excel gives Chinese messages.  Workbooks and reports are
written in ``--lang``, else the input workbook's language, else this message language
(:func:`output_lang`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import string
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any

LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")
"""Locale variables looked at, in POSIX order of precedence, when ``CSQ_LANG`` is unset."""

LANG_CHINESE = 0x04
"""Windows' primary language id of every Chinese language id (2052 = 0x0804 zh-CN, 1028
zh-TW, 3076 zh-HK, 4100 zh-SG, 5124 zh-MO): the low 10 bits of the LANGID."""

_HOST_UI: list[int | None] = [None]


def lang_of_langid(langid: int | None) -> str | None:
    """``zh`` for a Chinese Windows/Office language id, ``en`` for any other, None for none."""
    if not langid:
        return None
    return "zh" if int(langid) & 0x3FF == LANG_CHINESE else "en"


@functools.lru_cache(maxsize=1)
def windows_ui_language() -> int | None:
    """The user's Windows display language id (``GetUserDefaultUILanguage``); None
    elsewhere or when the call fails."""
    if sys.platform != "win32":
        return None
    try:
        import ctypes

        return int(ctypes.windll.kernel32.GetUserDefaultUILanguage())  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - no language id: the next rule decides
        return None


@contextlib.contextmanager
def host_ui_language(langid: int | None) -> Iterator[None]:
    """Within the block, the host application's UI language id (the add-in passes
    Excel's) takes the place of Windows' in :func:`default_lang`."""
    before = _HOST_UI[0]
    _HOST_UI[0] = langid
    try:
        yield
    finally:
        _HOST_UI[0] = before


def decide_lang(
    env: Mapping[str, str],
    host_ui: int | None = None,
    windows_ui: Callable[[], int | None] = lambda: None,
) -> str:
    """The decision table of the message language: ``CSQ_LANG``, else the first set
    variable of :data:`LOCALE_VARS` (``zh_CN.UTF-8`` -> zh; ``C``/``POSIX``/``en_*`` ->
    en), else the host's UI language id (Excel's, in the add-in), else ``windows_ui()``
    (Windows' display language), else English."""
    for var in ("CSQ_LANG", *LOCALE_VARS):
        value = env.get(var, "").strip().lower()
        if value:
            return "zh" if value.startswith("zh") else "en"
    return lang_of_langid(host_ui) or lang_of_langid(windows_ui()) or "en"


def default_lang() -> str:
    """The message language (:func:`decide_lang` for this process's environment, the
    add-in's Excel UI language and Windows' UI language)."""
    return decide_lang(os.environ, _HOST_UI[0], windows_ui_language)


def output_lang(requested: str | None, workbook: str | None = None) -> str:
    """The language of a workbook or report written: ``--lang``, else the input
    workbook's language, else the message language."""
    for lang in (requested, workbook):
        if lang in ("zh", "en"):
            return lang
    return default_lang()


class _Formatter(string.Formatter):
    """``str.format`` plus the English plural spec ``{n:|contact|contacts}`` -> ``1 contact``,
    ``3 contacts`` (so no message says "contact(s)")."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("|"):
            one, _, many = format_spec[1:].partition("|")
            return f"{value} {one if value == 1 else many}"
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


class Catalog:
    """Messages as ``key -> (English, 简体中文)``; calling the catalog gives one message in
    ``lang`` (default: :func:`default_lang`), formatted with ``values`` when there are any
    (``{n:|contact|contacts}`` words an English count in the singular or plural)."""

    def __init__(self, messages: dict[str, tuple[str, str]]) -> None:
        self.messages = messages

    def __call__(self, key: str, lang: str | None = None, /, **values: object) -> str:
        en, zh = self.messages[key]
        text = zh if (lang or default_lang()) == "zh" else en
        return _FORMATTER.vformat(text, (), values) if values else text

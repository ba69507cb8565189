"""The message language's decision table (SPEC section 1): CSQ_LANG, else the POSIX
locale, else the host's UI language (Excel's in the add-in), else Windows' UI language,
else English -- the platform calls stubbed, so the table runs on any OS."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from addin.excel import ribbon
from udfs.core import i18n
from udfs.core.i18n import decide_lang, default_lang, host_ui_language

ZH_CN, ZH_TW, ZH_HK, ZH_SG, EN_US, DE_DE, JA_JP = 2052, 1028, 3076, 4100, 1033, 1031, 1041


@pytest.mark.parametrize(
    ("env", "excel", "windows", "expected"),
    [
        ({}, None, None, "en"),  # nothing known: English
        ({}, None, ZH_CN, "zh"),  # Chinese Windows, CLI: Chinese
        ({}, None, ZH_TW, "zh"),
        ({}, None, EN_US, "en"),
        ({}, None, JA_JP, "en"),
        ({}, ZH_HK, EN_US, "zh"),  # Excel's UI language before Windows'
        ({}, ZH_SG, None, "zh"),
        ({}, EN_US, ZH_CN, "en"),  # an English Excel on a Chinese Windows: English
        ({}, DE_DE, None, "en"),
        ({"LANG": "zh_CN.UTF-8"}, EN_US, EN_US, "zh"),  # the locale before the UI
        ({"LANG": "C"}, ZH_CN, ZH_CN, "en"),  # a set locale decides, even C
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, None, None, "en"),  # POSIX order
        ({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US"}, None, None, "zh"),
        ({"CSQ_LANG": "en", "LANG": "zh_CN.UTF-8"}, ZH_CN, ZH_CN, "en"),  # CSQ_LANG first
        ({"CSQ_LANG": "zh"}, EN_US, EN_US, "zh"),
        ({"CSQ_LANG": "  ", "LANG": ""}, None, ZH_CN, "zh"),  # blank counts as unset
    ],
)
def test_decision_table(env, excel, windows, expected):
    assert decide_lang(env, excel, lambda: windows) == expected


def _clear(monkeypatch):
    for var in ("CSQ_LANG", *i18n.LOCALE_VARS):
        monkeypatch.delenv(var, raising=False)


def test_cli_on_chinese_windows_speaks_chinese(monkeypatch):
    """default_lang() (what every CLI message uses) asks Windows when nothing is set."""
    _clear(monkeypatch)
    monkeypatch.setattr(i18n, "windows_ui_language", lambda: ZH_CN)
    assert default_lang() == "zh"
    monkeypatch.setattr(i18n, "windows_ui_language", lambda: EN_US)
    assert default_lang() == "en"
    monkeypatch.setenv("CSQ_LANG", "zh")
    assert default_lang() == "zh"


def test_windows_call_is_not_made_elsewhere(monkeypatch):
    monkeypatch.setattr(i18n.sys, "platform", "linux")
    i18n.windows_ui_language.cache_clear()
    try:
        assert i18n.windows_ui_language() is None
    finally:
        i18n.windows_ui_language.cache_clear()


def test_host_ui_language_is_scoped(monkeypatch):
    _clear(monkeypatch)
    monkeypatch.setattr(i18n, "windows_ui_language", lambda: None)
    with host_ui_language(ZH_CN):
        assert default_lang() == "zh"
    assert default_lang() == "en"


class _ExcelBook:
    """Just enough of an xlwings Book for the ribbon: Excel's LanguageSettings, alert."""

    def __init__(self, langid: int) -> None:
        settings = SimpleNamespace(LanguageID=lambda which: langid if which == 2 else 0)
        self.book = SimpleNamespace(
            app=SimpleNamespace(api=SimpleNamespace(LanguageSettings=settings))
        )
        self.shown: list[str] = []

    def alert(self, title: str, message: str) -> None:
        self.shown.append(message)


@pytest.mark.parametrize(("excel", "expected"), [(ZH_CN, "zh"), (ZH_TW, "zh"), (EN_US, "en")])
def test_ribbon_actions_follow_excels_ui_language(monkeypatch, excel, expected):
    """Inside Excel (no CSQ_LANG, no LANG) the actions see Excel's UI language; the New
    workbook button writes a workbook in default_lang()."""
    _clear(monkeypatch)
    monkeypatch.setattr(i18n, "windows_ui_language", lambda: None)
    monkeypatch.setitem(ribbon.ACTIONS, "csqProbe", lambda book: default_lang())
    book = _ExcelBook(excel)
    assert ribbon.on_button("csqProbe", book) == expected
    assert book.shown == [expected]
    assert default_lang() == "en"  # only while the action runs


def test_english_counts_are_singular_or_plural():
    """No message says "contact(s)": the catalogue words a count in English."""
    cat = i18n.Catalog({"k": ("{n:|contact|contacts} in {s:|stratum|strata}", "{n} 条，{s} 层")})
    assert cat("k", "en", n=1, s=1) == "1 contact in 1 stratum"
    assert cat("k", "en", n=3, s=0) == "3 contacts in 0 strata"
    assert cat("k", "zh", n=1, s=4) == "1 条，4 层"
    assert i18n.Catalog({"r": ("{x:.1%}", "{x:.1%}")})("r", "en", x=0.5) == "50.0%"

"""Chinese ``--help`` laid out by display width: no line wider than the terminal, no ASCII
word cut in two, full-width colons in the headings, ``--version`` explained in Chinese."""

from __future__ import annotations

import argparse
import re
import unicodedata

import pytest

from addin.commands.arguments import argparse_language, build_parser
from addin.commands.help_format import display_width, wrap

WORD = re.compile(r"[A-Za-z0-9_]+")


def _columns(text: str) -> int:  # independent of the module's own count
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _parsers(p: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    out = [p]
    for a in p._actions:
        if isinstance(a, argparse._SubParsersAction):
            out.extend(a.choices.values())
    return out


def _helps(monkeypatch, lang: str, columns: int) -> list[tuple[str, str, set[str]]]:
    """(prog, help output, ASCII words of its source texts) for csq and each command."""
    monkeypatch.setenv("CSQ_LANG", lang)
    monkeypatch.setenv("COLUMNS", str(columns))
    out = []
    with argparse_language(lang):
        for p in _parsers(build_parser()):
            source = " ".join(
                [p.description or "", p.format_usage()]
                + [a.help or "" for a in p._actions]
                + [str(c.help) for a in p._actions for c in getattr(a, "_choices_actions", [])]
                + [" ".join(getattr(a, "choices", None) or ()) for a in p._actions]
                + [" ".join(a.option_strings) + f" {a.metavar or ''} {a.dest}" for a in p._actions]
            )
            out.append((p.prog, p.format_help(), set(WORD.findall(source))))
    return out


@pytest.mark.parametrize("columns", [80, 60])
def test_zh_help_fits_the_terminal_and_keeps_words_whole(monkeypatch, columns):
    for prog, text, words in _helps(monkeypatch, "zh", columns):
        for line in text.splitlines():
            assert _columns(line) <= columns or " " not in line.strip(), (prog, line)
            cut = [w for w in WORD.findall(line) if w not in words]
            assert not cut, (prog, line, cut)


def test_zh_help_headings_and_version(monkeypatch):
    helps = dict((p, t) for p, t, _ in _helps(monkeypatch, "zh", 80))
    top = helps["csq"]
    assert top.startswith("用法：csq") and "位置参数：\n" in top and "选项：\n" in top
    assert "显示版本号并退出" in top and "version number" not in top
    for prog, text in helps.items():
        assert not re.search(r"[\u4e00-\u9fff]:$", text, re.M), prog  # no ASCII colon
    sample = helps["csq sample"].splitlines()
    cont = [ln for ln in sample[1:4] if ln.startswith(" ")]
    assert cont and all(len(ln) - len(ln.lstrip()) == _columns("用法：csq sample ") for ln in cont)


def test_english_help_unchanged_in_kind(monkeypatch):
    for _prog, text, _words in _helps(monkeypatch, "en", 80):
        assert text.startswith("usage: ") and "options:\n" in text
        assert all(len(line) <= 80 or " " not in line.strip() for line in text.splitlines())


def test_wrap_by_hand():
    assert wrap("每层抽取比例（默认 0.10）", 14) == ["每层抽取比例", "（默认 0.10）"]
    assert wrap("列：hour_band、hour 或 weekday", 16) == ["列：hour_band、", "hour 或 weekday"]
    assert wrap("ab cd", 2) == ["ab", "cd"]
    assert display_width("用法：") == 6

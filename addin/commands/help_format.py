"""Help text laid out by display width: argparse wraps by characters, so Chinese help (two
columns a character) ran to 80-126 columns and cut words mid-token.  :class:`WidthHelpFormatter`
wraps by display width (East Asian Wide/Fullwidth characters count two), breaks between
Chinese characters and at spaces, never inside an ASCII word or before closing Chinese
punctuation, and ends Chinese section headings with a full-width colon ("位置参数：")."""

from __future__ import annotations

import argparse
import re
import unicodedata

_TOKEN = re.compile(
    r"\s+"  # a space: a break opportunity, dropped at a line end
    r"|[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]"  # one CJK char or punctuation
    r"|[^\s\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+"  # an ASCII (or other) word
)
_NO_BREAK_BEFORE = set("，。、；：？！）》」』】”’·…")
_NO_BREAK_AFTER = set("（《「『【“‘")


def display_width(text: str) -> int:
    """Terminal columns of ``text``: two for East Asian Wide and Fullwidth characters."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` columns (a single word longer than ``width``
    stands alone on its line)."""
    lines: list[list[str]] = []
    line: list[str] = []
    space = False
    for tok in _TOKEN.findall(text):
        if tok.isspace():
            space = bool(line)
            continue
        piece = [" ", tok] if space else [tok]
        space = False
        if line and display_width("".join(line + piece)) > width:
            carry: list[str] = []
            if tok in _NO_BREAK_BEFORE and len(line) > 1 and not line[-1].isspace():
                carry = [line.pop()]  # keep the closing mark with the character before it
            while line and line[-1] in _NO_BREAK_AFTER:
                carry.insert(0, line.pop())
            while line and line[-1] == " ":
                line.pop()
            if line:
                lines.append(line)
            line = carry + [tok]
        else:
            line.extend(piece)
    if line:
        lines.append(line)
    return ["".join(ln) for ln in lines]


_CJK_HEADING = re.compile(r"^(\S[^\n]*[\u4e00-\u9fff]):$", re.M)


class WidthHelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, wrapping by display width (see the module docstring)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + ln for ln in wrap(" ".join(text.split()), width - len(indent)))

    def format_help(self) -> str:
        text = _CJK_HEADING.sub(r"\1：", super().format_help())
        first, sep, rest = text.partition("\n")
        prefix = first.split("csq", 1)[0]  # "用法：" is 3 characters but 6 columns
        extra = display_width(prefix) - len(prefix)
        if not extra or not sep:
            return text
        usage, blank, after = rest.partition("\n\n")
        usage = "\n".join(
            " " * extra + ln if ln.startswith(" ") else ln for ln in usage.split("\n")
        )
        return first + sep + usage + blank + after

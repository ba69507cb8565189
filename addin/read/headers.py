"""Finding a table by its headers: the header row, each column's field, the closest name,
the unit a time header says.

A sheet is found by its name in either language, else by its headers; the header row is
the row among the first rows that holds the most known headers (zh, en or the canonical
key, unit variants included), so tables may start lower than row 1 and columns may be
reordered.  An unknown header is named with the closest known one.  Header texts are
compared loosely (:func:`norm_header`).

First response and handle time are typed in the unit of the Config settings
``first_response_unit`` / ``handle_time_unit`` (s, min or h); the template writes that unit
into the header (首次响应(分钟) / First response (min)).  The reader accepts the header in
any of the three units, the old "(秒)/(s)" spelling included, and always converts with the
Config setting.  A header whose unit disagrees with the setting is a warning on the header
cell (:func:`unit_findings`): one of the two is probably out of date, and the figures
follow the setting.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from udfs.core.data import Finding
from udfs.core.problems import Text
from workbook_templates.schema import (
    CONFIG,
    DATA_SHEETS,
    TIMED_COLUMNS,
    UNIT_WORDS,
    Sheet,
    unit_header,
)


def norm_header(text: Any) -> str:
    """Header text compared loosely: NFKC (full-width brackets), case, spaces, a trailing *."""
    if not isinstance(text, str):
        return ""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = "".join(s.split()).rstrip("*:：")
    return s


def _header_index(sheet: Sheet) -> dict[str, tuple[str, str | None]]:
    """Normalised header text -> (column key, language) for every input column."""
    out: dict[str, tuple[str, str | None]] = {}
    for c in sheet.columns:
        if c.role != "input":
            continue
        out.setdefault(norm_header(c.key), (c.key, None))
        out[norm_header(c.zh)] = (c.key, "zh")
        out[norm_header(c.en)] = (c.key, "en")
        for alias in c.field.aliases:  # older labels, a seed template's column names
            out.setdefault(norm_header(alias), (c.key, "en" if alias.isascii() else "zh"))
        if c.key in TIMED_COLUMNS:  # 首次响应(秒)/(分钟)/(小时): the Config unit decides
            for unit in UNIT_WORDS:
                for lang in ("zh", "en"):
                    out[norm_header(unit_header(c.key, lang, unit))] = (c.key, lang)
    return out


HEADER_INDEX = {s.key: _header_index(s) for s in DATA_SHEETS}
SHEET_NAMES = {
    norm_header(n): (s.key, lang)
    for s in (*DATA_SHEETS, CONFIG)
    for lang, n in (("zh", s.zh), ("en", s.en))
}


@dataclass
class Header:
    row: int  # 0-based row of the header
    cols: dict[str, int]  # key -> 0-based column
    votes: dict[str, int] = field(default_factory=lambda: {"zh": 0, "en": 0})
    dupes: list[tuple[str, int, int]] = field(default_factory=list)


def known_headers(sheet: Sheet, lang: str) -> dict[str, str]:
    """Normalised header text -> the header as the template writes it in ``lang``."""
    out: dict[str, str] = {}
    for c in sheet.columns:
        if c.role == "input":
            for text in (c.zh, c.en):
                out.setdefault(norm_header(text), c.header(lang))  # type: ignore[arg-type]
    return out


def closest_header(text: str, known: dict[str, str]) -> str | None:
    """The known header (normalised) an unknown one most likely means: the same words
    without the unit (满意度 -> 满意度(1-5)), then one containing the other, then the most
    similar spelling."""
    if not text:
        return None
    bare = {k: re.sub(r"\(.*?\)", "", k) for k in known}
    for k, b in bare.items():
        if b == text:
            return k
    for k, b in bare.items():
        if b and (text in b or b in text):
            return k
    near = difflib.get_close_matches(text, list(known), n=1, cutoff=0.6)
    return near[0] if near else None


def find_header(sheet: Sheet, head: list[list[Any]]) -> Header | None:
    index = HEADER_INDEX[sheet.key]
    best: Header | None = None
    for r, row in enumerate(head):
        cols: dict[str, int] = {}
        votes = {"zh": 0, "en": 0}
        dupes: list[tuple[str, int, int]] = []
        for j, v in enumerate(row):
            hit = index.get(norm_header(v))
            if hit is None:
                continue
            key, lang = hit
            if key in cols:
                dupes.append((key, cols[key], j))
                continue
            cols[key] = j
            if lang:
                votes[lang] += 1
        if len(cols) >= 2 and (best is None or len(cols) > len(best.cols)):
            best = Header(r, cols, votes, dupes)
    return best


# ---- the unit a time header says ------------------------------------------------------

_BY_HEADER: dict[str, tuple[str, str]] = {
    norm_header(unit_header(key, lang, unit)): (key, unit)
    for key in TIMED_COLUMNS
    for unit in UNIT_WORDS
    for lang in ("zh", "en")
}
"""Normalised header -> (column key, unit), every unit in both languages."""


def unit_findings(
    headers: dict[str, tuple[str, Any]], settings: dict[str, str], sheet: str, lang: str
) -> list[Finding]:
    """Warnings for timed columns whose header unit disagrees with the Config setting.

    ``headers``: column key -> (header cell name such as ``P1``, header text);
    ``settings``: column key -> the Config unit (s / min / h)."""
    out: list[Finding] = []
    for key, (cell, text) in headers.items():
        hit = _BY_HEADER.get(norm_header(text))
        unit = settings.get(key, "s")
        if hit is None or hit[1] == unit:
            continue
        said = hit[1]
        params = {
            "header": str(text).strip(),
            "said": Text(UNIT_WORDS[said][1], UNIT_WORDS[said][0]),
            "setting": TIMED_COLUMNS[key],
            "unit": Text(UNIT_WORDS[unit][1], UNIT_WORDS[unit][0]),
        }
        out.append(
            Finding.of("unit_disagrees", sheet, cell, key, str(text), params, lang, "warning")
        )
    return out

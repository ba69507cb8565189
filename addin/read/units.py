"""The unit a Monitoring time header says, against the Config sheet's unit setting.

First response and handle time are typed in the unit of the Config settings
``first_response_unit`` / ``handle_time_unit`` (s, min or h); the template writes that unit
into the header (首次响应(分钟) / First response (min)).  The reader accepts the header in
any of the three units, the old "(秒)/(s)" spelling included, and always converts with the
Config setting.  A header whose unit disagrees with the setting is a warning on the header
cell: one of the two is probably out of date, and the figures follow the setting.
Here too the loose comparison of header texts that every header lookup uses.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from udfs.core.data import Finding
from udfs.core.problems import Text
from workbook_templates.schema import TIMED_COLUMNS, UNIT_WORDS, unit_header


def norm_header(text: Any) -> str:
    """Header text compared loosely: NFKC (full-width brackets), case, spaces, a trailing *."""
    if not isinstance(text, str):
        return ""
    s = unicodedata.normalize("NFKC", text).casefold()
    s = "".join(s.split()).rstrip("*:：")
    return s


_BY_HEADER: dict[str, tuple[str, str]] = {
    norm_header(unit_header(key, lang, unit)): (key, unit)
    for key in TIMED_COLUMNS
    for unit in UNIT_WORDS
    for lang in ("zh", "en")
}
"""Normalised header -> (column key, unit), every unit in both languages."""


def header_aliases(key: str) -> list[tuple[str, str]]:
    """(header, language) of timed column ``key`` in every unit (for the header index)."""
    return [(unit_header(key, lang, unit), lang) for unit in UNIT_WORDS for lang in ("zh", "en")]


def header_unit(text: Any) -> str | None:
    """The unit a timed-column header says (s / min / h), or None."""
    if not isinstance(text, str):
        return None
    hit = _BY_HEADER.get(norm_header(text))
    return hit[1] if hit else None


def unit_findings(
    headers: dict[str, tuple[str, Any]], settings: dict[str, str], sheet: str, lang: str
) -> list[Finding]:
    """Warnings for timed columns whose header unit disagrees with the Config setting.

    ``headers``: column key -> (header cell name such as ``P1``, header text);
    ``settings``: column key -> the Config unit (s / min / h)."""
    out: list[Finding] = []
    for key, (cell, text) in headers.items():
        said = header_unit(text)
        unit = settings.get(key, "s")
        if said is None or said == unit:
            continue
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

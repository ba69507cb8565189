"""Identical data-quality findings grouped: one line per rule x column x value, with the
number of cells and the first few of them (``csq validate`` text and ``--json``, the
report's Data quality sheet, the ``csq import``/``csq sample`` summaries).

A grouping is a view: the :class:`~udfs.core.data.Finding` objects stay as they are (one
per cell) and every count is still theirs.  Two findings are in one group when they are
on the same sheet (or export file), say the same rule in the same words (so a column's
header and what is allowed are the same), about the same field and the same value, with
the same severity.  Groups keep the order of their first finding.

:func:`effect` says, per finding, what the figures do with the cell, in one wording that
is true for each rule: a bad cell (an error) is left out of the figures, a value not on a
list (``unknown_category``) is counted as typed; other warnings say in their own rule what
happens (e.g. "the first is used"), so they have no separate effect text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .data import Finding

FIRST_CELLS = 5
"""How many cells of a group are named (the rest are counted)."""

COUNTED_AS_TYPED: frozenset[str] = frozenset({"unknown_category"})
"""Codes of warnings whose value the figures count as typed (a value not on a list)."""

_EFFECTS: dict[str, tuple[str, str]] = {
    "left_out": ("left out of the figures (counted as blank)", "未计入统计（按空白处理）"),
    "as_typed": ("counted as typed", "按原文统计"),
}


@dataclass(frozen=True)
class FindingGroup:
    """Identical findings: the first of them (its sheet, rule, value, code ...), how many
    there are and the places of the first :data:`FIRST_CELLS`."""

    first: Finding
    count: int
    places: tuple[str, ...]
    """``cell`` (``F12``) when the findings name cells of one sheet, else their whole
    place (``calls.csv:4``)."""

    @property
    def severity(self) -> str:
        return self.first.severity

    @property
    def more(self) -> int:
        """Cells beyond the ones named."""
        return self.count - len(self.places)

    def places_text(self, lang: str) -> str:
        """``F2, F3, F4`` or ``F2, F3, F4, F5, F6 and 3,976 more`` (zh: ``F2、F3、F4、F5、F6
        等 3,981 处``)."""
        shown = "、".join(self.places) if lang == "zh" else ", ".join(self.places)
        if not self.more:
            return shown
        if lang == "zh":
            return f"{shown} 等 {self.count:,} 处"
        return f"{shown} and {self.more:,} more"

    def where(self, lang: str = "en") -> str:
        """Where the findings are: ``Monitoring!F2, F3 and 5 more`` or the single place."""
        f = self.first
        if self.count == 1:
            return f.where()
        if f.cell:
            return f"{f.sheet}!{self.places_text(lang)}"
        base = _group_sheet(f) + ":"
        if all(p.startswith(base) for p in self.places):  # calls.csv:4, 5, 9
            short = (self.places[0], *(p.removeprefix(base) for p in self.places[1:]))
            return FindingGroup(f, self.count, short).places_text(lang)
        return self.places_text(lang)


def _group_sheet(f: Finding) -> str:
    """The sheet (or export file) part of a finding's place: a CSV line ``calls.csv:4``
    is ``calls.csv``."""
    if f.cell:
        return f.sheet
    head, sep, tail = f.sheet.rpartition(":")
    return head if sep and tail.isdigit() else f.sheet


def group_findings(findings: Iterable[Finding], first: int = FIRST_CELLS) -> list[FindingGroup]:
    """Identical findings (same sheet or file, rule, field, value and severity) as one
    group each, in the order of their first finding."""
    order: dict[tuple[str, str, str, str, str, str], list[Finding]] = {}
    counts: dict[tuple[str, str, str, str, str, str], int] = {}
    for f in findings:
        k = (_group_sheet(f), f.code, f.rule, f.key, f.value, f.severity)
        got = order.get(k)
        if got is None:
            order[k] = [f]
            counts[k] = 1
            continue
        counts[k] += 1
        if len(got) < first:
            got.append(f)
    return [
        FindingGroup(fs[0], counts[k], tuple(x.cell or x.where() for x in fs))
        for k, fs in order.items()
    ]


def effect(f: Finding, lang: str) -> str:
    """What the figures do with the finding's cell, or ``""`` when its rule says it."""
    if f.code in COUNTED_AS_TYPED:
        kind = "as_typed"
    elif f.severity == "error" and f.key:
        kind = "left_out"
    else:
        return ""
    en, zh = _EFFECTS[kind]
    return zh if lang == "zh" else en


def cell_counts(findings: Sequence[Finding]) -> dict[str, int]:
    """Cells left out of the figures (errors on a cell of a field) and values counted as
    typed (``unknown_category``), for one sentence that is true of each rule."""
    left_out = sum(1 for f in findings if f.severity == "error" and f.key)
    as_typed = sum(1 for f in findings if f.code in COUNTED_AS_TYPED)
    return {"left_out": left_out, "as_typed": as_typed}

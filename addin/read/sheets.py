"""Finding a standard workbook's sheets and their header rows, and what is wrong with them.

:func:`find_sheets` gives each data sheet of ``workbook_templates.schema`` its worksheet:
by its name in either language, else (a renamed sheet) the unclaimed worksheet holding
most of its headers; each is opened and its first rows scanned once (:class:`Scan`).  The
sheet names and the headers found vote the workbook's language (:func:`workbook_lang`).

:func:`header_findings` lists the problems of one sheet's header row: merged header
cells, headers moved out of the header row, duplicate and unknown headers, optional and
required columns not found.  Every finding is coded (:mod:`udfs.core.problems`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from udfs.core.data import Finding, Severity
from udfs.core.fields import Lang
from udfs.core.problems import Problem, Text
from workbook_templates.schema import CONFIG, DATA_SHEETS, MONITORING, OPTIONAL_SHEETS, Sheet

from .cells import col_letter, display
from .headers import (
    HEADER_INDEX,
    SHEET_NAMES,
    Header,
    closest_header,
    find_header,
    known_headers,
    norm_header,
)
from .package import HEADER_SCAN_ROWS, Package, short

EN_ZH: tuple[Lang, Lang] = ("en", "zh")


def as_lang(lang: str) -> Lang:
    """``lang`` as the schema's language (anything but zh: English)."""
    return "zh" if lang == "zh" else "en"


# ---- the sheets --------------------------------------------------------------------------


@dataclass
class Scan:
    """A worksheet opened as a data table: its first rows (``head``), the rest, and the
    error text when it cannot be read."""

    sheet: Any
    head: list[list[Any]]
    rest: Iterable[list[Any]]
    error: str = ""

    def cell(self, r: int, c: int) -> Any:
        """The value at 0-based row ``r``, column ``c`` among the head rows (None: outside)."""
        if 0 <= r < len(self.head) and 0 <= c < len(self.head[r]):
            return self.head[r][c]
        return None


Table = tuple[str, Header | None, Scan]
"""A data sheet's worksheet: (its name, its header row or None, its scan)."""


@dataclass
class Sheets:
    """The workbook's sheets: ``by_name`` (sheet key -> worksheet, by name), ``tables``
    (data sheet key -> :data:`Table`), ``by_headers`` ((worksheet, sheet key) recognised by
    their headers, in the order found)."""

    by_name: dict[str, str]
    tables: dict[str, Table] = field(default_factory=dict)
    by_headers: list[tuple[str, str]] = field(default_factory=list)
    passed_over: dict[str, list[str]] = field(default_factory=dict)
    """Data sheet key -> the other worksheets that qualified for it and are not read."""


def scan_sheet(book: Package, name: str, s: Sheet) -> tuple[Header | None, Scan]:
    """Worksheet ``name`` opened as data sheet ``s``: its header row (None: not found) and
    its scan (a damaged sheet part: the error, the others still read)."""
    try:
        sh = book.sheet(name, table=True)
        rest = iter(sh.iter_rows())  # every sheet from A1
        head = list(itertools.islice(rest, HEADER_SCAN_ROWS))
    except Exception as exc:  # a damaged sheet part: reported, the others still read
        return None, Scan(None, [], [], error=short(exc))
    h = find_header(s, head)
    return h, Scan(sh, head, rest)


def find_sheets(book: Package) -> Sheets:
    """Every sheet by its name in either language, then each data sheet not found by name
    (optional sheets: by name only) by its headers: the unclaimed worksheet holding the
    most of them (at least 3)."""
    by_name: dict[str, str] = {}
    for n in book.names:
        hit = SHEET_NAMES.get(norm_header(n))
        if hit and hit[0] not in by_name:
            by_name[hit[0]] = n
    hidden: set[str] = getattr(book, "hidden", set())
    by_name = {k: n for k, n in by_name.items() if k != MONITORING.key or n not in hidden}
    found = Sheets(by_name)
    for s in DATA_SHEETS:
        if s.key in by_name:
            n = by_name[s.key]
            found.tables[s.key] = (n, *scan_sheet(book, n, s))
    taken = set(by_name.values())
    for s in DATA_SHEETS:
        if s.key in found.tables or s.key in OPTIONAL_SHEETS:
            continue
        named = SHEET_NAMES  # a hidden sheet named as the data sheet qualifies too
        candidates: list[tuple[str, Header, Scan]] = []
        for n in book.names:
            if n in taken:
                continue
            h, scan = scan_sheet(book, n, s)
            hit = named.get(norm_header(n))
            if h and (len(h.cols) >= 3 or (hit is not None and hit[0] == s.key)):
                candidates.append((n, h, scan))
        if candidates:  # visible first, then the most headers
            candidates.sort(key=lambda c: (c[0] in hidden, -len(c[1].cols)))
            best = candidates[0]
            found.tables[s.key] = best
            taken.add(best[0])
            hit = named.get(norm_header(best[0]))
            if hit is None or hit[0] != s.key:
                found.by_headers.append((best[0], s.key))
            if len(candidates) > 1:
                found.passed_over[s.key] = [c[0] for c in candidates[1:]]
    return found


def workbook_lang(found: Sheets) -> str:
    """The workbook's language, voted by the sheet names and the headers found (a tie:
    Chinese)."""
    votes = {"zh": 0, "en": 0}
    for n in found.by_name.values():
        votes[SHEET_NAMES[norm_header(n)][1]] += 1
    for _name, h, _unused in found.tables.values():
        if h:
            votes["zh"] += h.votes["zh"]
            votes["en"] += h.votes["en"]
    return "en" if votes["en"] > votes["zh"] else "zh"


def by_headers_findings(found: Sheets, lang: str) -> list[Finding]:
    """A warning for each worksheet read as a data sheet it is not named as."""
    decl = {s.key: s for s in (*DATA_SHEETS, CONFIG)}
    findings = []
    for sheet_name, key in found.by_headers:
        params = {"sheet": sheet_name, "expected": f"{decl[key].zh} / {decl[key].en}"}
        findings.append(
            Finding.of("sheet_by_headers", sheet_name, "", "", "", params, lang, "warning")
        )
    for key, others in found.passed_over.items():
        used = found.tables[key][0]
        params = {
            "sheet": used,
            "expected": f"{decl[key].zh} / {decl[key].en}",
            "others": ", ".join(others),
        }
        findings.append(Finding.of("sheet_chosen", used, "", "", "", params, lang, "warning"))
    return findings


def missing_sheet(s: Sheet, names: list[str], lang: str) -> tuple[Finding, Problem]:
    """The finding of a data sheet not found (Monitoring: an error, else a warning) and
    the problem that rejects the workbook when it is the Monitoring sheet."""
    params = {"names": f"{s.zh} / {s.en}", "found": ", ".join(names) or "-"}
    severity: Severity = "error" if s.key == MONITORING.key else "warning"
    finding = Finding.of("sheet_missing", s.name(as_lang(lang)), "", "", "", params, lang, severity)
    return finding, Problem("sheet_missing", params)


# ---- the header row of one sheet ---------------------------------------------------------


def header_findings(s: Sheet, name: str, h: Header, scan: Scan, lang: str) -> list[Finding]:
    """The problems of sheet ``s``'s header row, in this order: merged header cells,
    duplicate headers, headers outside the header row, headers not read, optional and
    required columns not found."""
    hrow = h.row  # 0-based
    findings, in_merge = _merged(name, hrow, scan, lang)
    findings += _duplicates(s, name, h, hrow, scan, lang)
    moved, moved_keys = _moved(s, name, h, scan, in_merge, lang)
    findings += moved
    findings += _unknown(s, name, h, scan, in_merge, lang)
    findings += _absent(s, name, h, scan, moved_keys, lang)
    return findings


def _merged(
    name: str, hrow: int, scan: Scan, lang: str
) -> tuple[list[Finding], set[tuple[int, int]]]:
    """Merged cells over the header row, and the cells under them."""
    findings: list[Finding] = []
    in_merge: set[tuple[int, int]] = set()
    for (r0, c0), (r1, c1) in getattr(scan.sheet, "merged_cell_ranges", None) or []:
        if r0 <= hrow <= r1 and (c1 > c0 or r1 > r0):
            cell = f"{col_letter(c0)}{r0 + 1}"
            params = {"rng": f"{cell}:{col_letter(c1)}{r1 + 1}", "row": hrow + 1}
            in_merge.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
            value = display(scan.cell(r0, c0))
            findings.append(Finding.of("merged_header", name, cell, "", value, params, lang))
    return findings, in_merge


def _duplicates(s: Sheet, name: str, h: Header, hrow: int, scan: Scan, lang: str) -> list[Finding]:
    """A header found twice: only its first column is read."""
    findings: list[Finding] = []
    for key, c1, c2 in h.dupes:
        col = s.column(key)
        cell = f"{col_letter(c2)}{hrow + 1}"
        header = Text(col.header("en"), col.header("zh"))
        params = {"header": header, "first": f"{col_letter(c1)}{hrow + 1}", "second": cell}
        value = display(scan.cell(hrow, c2))
        findings.append(
            Finding.of("duplicate_header", name, cell, key, value, params, lang, "warning")
        )
    return findings


def _moved(
    s: Sheet, name: str, h: Header, scan: Scan, in_merge: set[tuple[int, int]], lang: str
) -> tuple[list[Finding], set[str]]:
    """Known headers in the rows around the header row, not in it (not under a merged
    header), and their column keys."""
    index = HEADER_INDEX[s.key]
    hrow = h.row
    findings: list[Finding] = []
    moved: set[str] = set()
    for r, row in enumerate(scan.head[: h.row + 3]):
        if r == h.row:
            continue
        for j, v in enumerate(row):
            hit = index.get(norm_header(v))
            if hit is None or hit[0] in h.cols or hit[0] in moved:
                continue
            if (r, j) in in_merge:
                continue  # already reported as a merged header
            key = hit[0]
            moved.add(key)
            col = s.column(key)
            header = Text(col.header("en"), col.header("zh"))
            params = {"header": header, "at": r + 1, "row": hrow + 1}
            cell = f"{col_letter(j)}{r + 1}"
            findings.append(Finding.of("moved_header", name, cell, key, display(v), params, lang))
    return findings, moved


def _unknown(
    s: Sheet, name: str, h: Header, scan: Scan, in_merge: set[tuple[int, int]], lang: str
) -> list[Finding]:
    """Headers that are not read: named, with the closest known header."""
    index = HEADER_INDEX[s.key]
    hrow = h.row
    known = known_headers(s, lang)
    computed = {norm_header(t) for c in s.columns if c.role != "input" for t in (c.key, c.zh, c.en)}
    findings: list[Finding] = []
    read = set(h.cols.values())  # the Monitoring sheet's extra columns are read
    for j, v in enumerate(scan.head[h.row]):
        text = display(v).strip()
        if not text or (hrow, j) in in_merge or j in read:
            continue
        if norm_header(v) in index or norm_header(v) in computed:
            continue
        near = closest_header(norm_header(v), known)
        params: dict[str, Any] = {"header": text}
        if near:
            params["near"] = Text(*(known_headers(s, x)[near] for x in EN_ZH))
        code = "unknown_header_near" if near else "unknown_header"
        cell = f"{col_letter(j)}{hrow + 1}"
        findings.append(Finding.of(code, name, cell, "", text, params, lang, "warning"))
    return findings


def _absent(
    s: Sheet, name: str, h: Header, scan: Scan, moved: set[str], lang: str
) -> list[Finding]:
    """Columns not found (a moved header counts as found): the Monitoring sheet's optional
    ones in one warning (their figures show "no data"), each required one an error."""
    findings: list[Finding] = []
    if s.key == MONITORING.key:
        absent = [
            c
            for c in s.columns
            if c.role == "input"
            and not c.required
            and c.field.announce_missing
            and c.key not in h.cols
            and c.key not in moved
        ]
        if absent:
            listed = Text(", ".join(c.en for c in absent), "、".join(c.zh for c in absent))
            params = {"headers": listed, "n": len(absent)}
            findings.append(
                Finding.of("optional_missing", name, "", "", "", params, lang, "warning")
            )
    found_text = ", ".join(display(v) for v in scan.head[h.row] if display(v)) or "-"
    for c in s.columns:
        if c.required and c.key not in h.cols and c.key not in moved:
            header = Text(f"{c.en} ({c.zh})", f"{c.zh} ({c.en})")
            params = {"header": header, "row": h.row + 1, "found": found_text}
            findings.append(Finding.of("missing_column", name, "", c.key, "", params, lang))
    return findings


def no_header_row(s: Sheet, name: str, lang: str) -> Finding:
    """No header row in the rows scanned: the required headers as examples."""
    examples = Text(*(", ".join(c.header(x) for c in s.columns if c.required) for x in EN_ZH))
    params = {"n": HEADER_SCAN_ROWS, "examples": examples}
    return Finding.of("no_header_row", name, "", "", "", params, lang)

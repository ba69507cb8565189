"""Reading a ticket or telephony export (CSV/XLSX, its own headers) into monitoring rows,
driven by a TOML column map (SPEC section 7); ``csq import`` (``addin.jobs.ticket_import``)
writes them into a standard workbook and ``csq sample`` draws from them.

The map (see ``addin/maps/example_map.toml``)::

    [columns]                  # canonical key = source header (a list joins date + time)
    contact_id = "Call Id"
    contact_time = ["Date", "Time"]
    [values.answered]          # source value = canonical value
    "Answered" = "Y"
    [units]                    # s, ms, min, h or hh:mm:ss -> the field's own unit
    handle_time_s = "hh:mm:ss"
    [options]
    date_format = "%d/%m/%Y %H:%M"   # strptime format of contact_time (after joining)
    encoding = "gbk"                 # CSV only; default: detected (utf-8, utf-8-sig, gbk)
    delimiter = ";"                  # CSV only; default: detected
    sheet = "Calls"                  # XLSX only; default: the first sheet

One pipeline, map -> column blocks -> conversion:

- reading (:func:`read_export`): a CSV export (raw text: :mod:`addin.read.ticket_export_csv`)
  or an XLSX export gives the same :class:`Export`: per mapped source column a
  :class:`Factor` (the column as codes into its distinct values) and the location of
  every row (file:line for a CSV, sheet!cell for an XLSX);
- conversion (:func:`convert`): the value map, ``date_format`` (or a date cell joined with
  a time cell), units, the never-answered rule, Excel's text limit and the typed
  converters of :class:`addin.read.cells.Converter` run once per distinct value, and the
  results are spread back over the rows by their codes; then the table-wide rules (rows
  blank in every mapped column dropped, required fields, duplicate ids).

Values are checked with the same converters and schema rules as a workbook
(:mod:`addin.read.workbook`); a bad value is listed with file:line (CSV) or sheet!cell (XLSX) and
its column, and the row is kept with its good fields.  Contacts that were not answered
keep answered = N and lose their times, ratings, first-contact resolution and transfer
flag: they count in the answer rate and nowhere else.  The export is only read; the
workbook is written atomically by ``workbook_templates.builder.build_workbook``.

``csq sample`` reads a big export for a few fields first (``read_export(..., first=...)``)
and the drawn rows' other fields from their own lines (:meth:`Export.drawn`), so every
field of a drawn contact is converted exactly as ``csq import`` converts it.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from udfs.core.data import Finding
from udfs.core.errors import InputError, UsageError
from udfs.core.fields import RUBRIC_KEYS
from udfs.core.i18n import default_lang
from udfs.core.problems import Problem, Text
from udfs.core.values import na_mask
from workbook_templates.schema import MONITORING

from .blocks import concat
from .cells import Converter, col_letter, display
from .import_map import FIELD_UNIT_S, INPUT_KEYS, UNITS, ImportMap, load_map, message
from .package import head_rows
from .safety import Limits, read_checked
from .ticket_export_csv import first_columns, read_csv_table

NOT_ANSWERED_BLANKS: tuple[str, ...] = (
    "first_response_s",
    "handle_time_s",
    "resolution_time_h",
    "resolved_first_contact",
    "transferred",
    "csat",
    "nps",
    *RUBRIC_KEYS,
)
"""Fields of a contact that was never answered, left blank on import."""
EXCEL_CELL_CHARS = 32_767
"""The most characters an Excel cell holds."""
ID_PROBE = 1_000
"""Values looked at to tell a column of ids (every value its own) from a column of
repeating values (:func:`factorize`)."""

# ---- column blocks ------------------------------------------------------------------------


@dataclass
class Factor:
    """One column as codes into its distinct values: row ``i`` holds
    ``values[codes[i]]``; the last value is always ``None`` (blank)."""

    codes: np.ndarray  # int64, one per row
    values: np.ndarray  # object, distinct values + None at the end

    @property
    def blank(self) -> int:
        return len(self.values) - 1

    def copy(self) -> Factor:
        return Factor(self.codes.copy(), self.values.copy())

    def map(self, fn: Callable[[Any], Any]) -> None:
        """Apply ``fn`` to every distinct value but the final blank (kept ``None``)."""
        out = np.empty(len(self.values), dtype=object)
        out[:-1] = [fn(v) for v in self.values[:-1].tolist()]
        out[-1] = None
        self.values = out

    def take(self, at: np.ndarray) -> Factor:
        """The rows ``at``, with only the distinct values they hold."""
        used, codes = np.unique(self.codes[at], return_inverse=True)
        values = np.empty(len(used) + 1, dtype=object)
        values[:-1] = self.values[used]
        values[-1] = None
        return Factor(codes.astype(np.int64, copy=False).reshape(-1), values)

    def rows_with(self, hit: np.ndarray) -> np.ndarray:
        """Rows (ascending) whose value is one of the distinct values marked in ``hit``."""
        return np.flatnonzero(hit[self.codes]) if hit.any() else np.empty(0, dtype=np.int64)


def factorize(texts: pd.Series | list[str | None]) -> Factor:
    """Raw CSV fields (text, ``None`` blank) -> a factor; whitespace-only text is blank.

    A column whose first :data:`ID_PROBE` values all differ (contact ids, phone numbers)
    is not hashed: each row keeps its own value."""
    if not isinstance(texts, pd.Series):
        texts = pd.Series(texts, dtype=object)
    n = len(texts)
    if n > ID_PROBE and texts.iloc[:ID_PROBE].nunique(dropna=False) == ID_PROBE:
        values = np.empty(n + 1, dtype=object)
        values[:-1] = [None if v is None or not v.strip() else v for v in texts.tolist()]
        values[-1] = None
        return Factor(np.arange(n, dtype=np.int64), values)
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    values = np.empty(len(uniques) + 1, dtype=object)
    values[:-1] = [None if not v.strip() else v for v in uniques.tolist()]
    values[-1] = None
    codes = codes.astype(np.int64, copy=False)
    codes[codes < 0] = len(uniques)
    return Factor(codes, values)


def factorize_cells(cells: list[Any]) -> Factor:
    """Sheet cell values -> a factor; a value is distinct by its type too (``1``, ``1.0``
    and ``True`` are equal in Python but not the same cell)."""
    index: dict[tuple[type, Any], int] = {}
    distinct: list[Any] = []
    codes = np.empty(len(cells), dtype=np.int64)
    for i, v in enumerate(cells):
        if v is None:
            codes[i] = -1
            continue
        key = (type(v), v)
        j = index.get(key)
        if j is None:
            j = index[key] = len(distinct)
            distinct.append(v)
        codes[i] = j
    values = np.empty(len(distinct) + 1, dtype=object)
    values[:-1] = distinct
    values[-1] = None
    codes[codes < 0] = len(distinct)
    return Factor(codes, values)


@dataclass
class Export:
    """An export's header and its mapped source columns as factors, with a location for
    every row."""

    name: str
    headers: list[str]
    lines: np.ndarray  # int64; CSV: physical line of each row; XLSX: Excel row number
    columns: dict[str, Factor]  # source header -> its column
    sheet: str = ""  # XLSX: the sheet read; "" for CSV
    col_of: dict[str, int] = field(default_factory=dict)  # header -> 0-based column
    header_line: int = 1  # CSV: physical line of the header; XLSX: its Excel row
    any_rows: bool = True  # False: nothing below the header
    longest: int = 2**62  # no value is longer
    read_lines: Callable[[list[int], list[str]], dict[str, list[str | None]]] | None = field(
        default=None, repr=False
    )
    """(lines, source headers) -> raw fields of columns not read at first."""
    dates: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    """(date_format, text) -> parsed datetime or ``None``: the drawn rows' dates were
    parsed in the first pass already."""
    joined: dict[tuple[str, ...], Factor] = field(default_factory=dict, repr=False)
    """Source headers -> their joined column (date + time), as first joined."""

    def where(self, header: str, line: int) -> tuple[str, str]:
        if not self.sheet:
            return f"{self.name}:{line}", ""
        return f"{self.name}!{self.sheet}", f"{col_letter(self.col_of.get(header, 0))}{line}"

    def drawn(self, lines: np.ndarray, imap: ImportMap) -> Export:
        """The rows on ``lines`` (ascending) with every column ``imap`` maps: the columns
        read already are taken as they are, the others read from those lines."""
        wanted = [int(x) for x in lines.tolist()]
        at = np.searchsorted(self.lines, lines)
        sources = {s for srcs in imap.columns.values() for s in srcs}
        columns = {s: f.take(at) for s, f in self.columns.items() if s in sources}
        missing = sorted(sources - set(columns), key=self.headers.index)
        if missing and self.read_lines is not None:
            for s, texts in self.read_lines(wanted, missing).items():
                columns[s] = factorize(texts)
        return Export(
            self.name,
            self.headers,
            np.asarray(wanted, dtype=np.int64),
            columns,
            self.sheet,
            self.col_of,
            self.header_line,
            self.any_rows,
            self.longest,
            self.read_lines,
            self.dates,
            {k: f.take(at) for k, f in self.joined.items()},
        )


# ---- reading ------------------------------------------------------------------------------


def read_xlsx_export(path: Path, imap: ImportMap, lang: str, limits: Limits) -> Export:
    import python_calamine as pc

    data = read_checked(path, limits, lang)
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    wanted = imap.options.get("sheet")
    names = wb.sheet_names
    if wanted and wanted not in names:
        raise InputError(message("export_sheet", lang, export=path.name, sheet=wanted, found=names))
    sheet = wanted or names[0]
    head, rest, row0, col0 = head_rows(wb.get_sheet_by_name(sheet))
    sources = {s for srcs in imap.columns.values() for s in srcs}
    best, best_hits = None, 0
    for r, row in enumerate(head):
        hits = sum(1 for v in row if isinstance(v, str) and v.strip() in sources)
        if hits > best_hits:
            best, best_hits = r, hits
    if best is None:  # no mapped header anywhere: take the first non-empty row
        best = next((r for r, row in enumerate(head) if any(v != "" for v in row)), None)
    if best is None:
        raise InputError(message("export_empty", lang, export=path.name))
    headers = [display(v).strip() for v in head[best]]
    first = first_columns(headers)
    used = {s: first[s] for s in sorted(sources & set(first), key=first.__getitem__)}
    cells: dict[str, list[Any]] = {s: [] for s in used}
    lines: list[int] = []
    for i, row in enumerate([*head[best + 1 :], *rest]):
        if not any((v.strip() if isinstance(v, str) else v is not None) for v in row):
            continue
        for s, j in used.items():
            v = row[j] if j < len(row) else None
            cells[s].append(None if (isinstance(v, str) and not v.strip()) else v)
        lines.append(row0 + best + i + 2)
    return Export(
        path.name,
        headers,
        np.asarray(lines, dtype=np.int64),
        {s: factorize_cells(v) for s, v in cells.items()},
        sheet,
        {h: col0 + j for h, j in first.items()},
        row0 + best + 1,
        any_rows=bool(lines),
    )


def read_export(
    path: str | os.PathLike[str],
    imap: ImportMap,
    lang: str,
    limits: Limits,
    first: ImportMap | None = None,
) -> Export:
    """The export's columns that ``imap`` maps; with ``first``, a CSV export's columns that
    ``first`` maps (the others are read for the drawn rows only, :meth:`Export.drawn`)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        t = read_csv_table(p, imap, lang, limits, first)
        return Export(
            t.name,
            t.headers,
            t.lines,
            {s: factorize(v) for s, v in t.columns.items()},
            "",
            first_columns(t.headers),
            t.header_line,
            t.any_rows,
            t.longest,
            t.read_lines,
        )
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return read_xlsx_export(p, imap, lang, limits)
    raise InputError(message("export_suffix", lang, export=p.name))


def open_export(
    export_path: str | os.PathLike[str],
    map_path: str | os.PathLike[str],
    lang: str | None = None,
    limits: Limits | None = None,
    first: tuple[str, ...] | None = None,
) -> tuple[ImportMap, Export]:
    """The validated map and the export's columns, every mapped header checked; with
    ``first``, only the columns of those fields are read for every row (``csq sample``)."""
    lang = lang or default_lang()
    limits = limits or Limits.from_env()
    imap = load_map(map_path, lang)
    only = imap.only(first) if first is not None else None
    export = read_export(export_path, imap, lang, limits, only)
    available = set(export.headers)
    missing = [s for srcs in imap.columns.values() for s in srcs if s not in available]
    if missing:
        raise UsageError(
            message(
                "map_headers",
                lang,
                map=imap.path,
                export=export.name,
                missing=", ".join(repr(s) for s in missing),
                found=", ".join(repr(h) for h in export.headers if h),
            )
        )
    if not export.any_rows:
        raise InputError(
            message("export_no_rows", lang, export=export.name, line=export.header_line)
        )
    return imap, export


def import_export(
    export_path: str | os.PathLike[str],
    map_path: str | os.PathLike[str],
    lang: str | None = None,
    limits: Limits | None = None,
) -> ImportResult:
    """Read and convert an export with a map (no workbook written)."""
    lang = lang or default_lang()
    imap, export = open_export(export_path, map_path, lang, limits)
    return convert(export, imap, lang)


# ---- conversion ---------------------------------------------------------------------------


@dataclass
class ImportResult:
    monitoring: pd.DataFrame  # typed, like WorkbookData.monitoring
    findings: list[Finding]
    unanswered: int
    not_applicable: dict[str, np.ndarray] = field(default_factory=dict)
    """Rubric key -> rows whose export value was N/A (written back as N/A, not blank:
    "not applicable" is not "not yet rated")."""


_DURATION = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d+)?))?$")


def _duration_s(v: Any) -> float | None:
    """hh:mm:ss (or mm:ss) text, a time or timedelta, or an Excel time fraction -> seconds."""
    if isinstance(v, _dt.timedelta):
        return v.total_seconds()
    if isinstance(v, _dt.time):
        return v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
    if isinstance(v, float | int) and not isinstance(v, bool):
        return float(v) * 86400 if 0 <= v < 1 else None  # an Excel time-of-day cell
    if isinstance(v, str):
        m = _DURATION.match(v.strip())
        if not m:
            return None
        a, b, c = m.group(1), m.group(2), m.group(3)
        if c is None:  # mm:ss
            return int(a) * 60 + int(b)
        return int(a) * 3600 + int(b) * 60 + float(c)
    return None


BAD_DURATION = float("nan")
"""What :func:`unit_seconds` gives for text that is not an ``hh:mm:ss`` duration."""


def unit_seconds(v: Any, unit: str) -> float | None:
    """One export value in ``unit`` as seconds; :data:`BAD_DURATION` for a bad
    ``hh:mm:ss`` text, None for text that is not a number (the number check reports it)."""
    if unit == "hh:mm:ss":
        secs = _duration_s(v)
        return BAD_DURATION if secs is None else secs
    try:
        return float(str(v).strip()) * UNITS[unit]
    except ValueError:
        return None


def join_cells(parts: list[Any]) -> Any:
    """Several source cells as one value: a date cell and a time cell make a datetime;
    anything else is joined as text with spaces (then parsed with ``date_format``)."""
    present = [x for x in parts if x is not None and str(x).strip()]
    if not present:
        return None
    if (
        len(present) == 2
        and isinstance(present[0], _dt.date)
        and isinstance(present[1], _dt.time | _dt.datetime)
    ):
        day = present[0].date() if isinstance(present[0], _dt.datetime) else present[0]
        t = present[1].time() if isinstance(present[1], _dt.datetime) else present[1]
        return _dt.datetime.combine(day, t)
    return " ".join(_join_part(x) for x in present)


def _join_part(v: Any) -> str:
    if isinstance(v, _dt.datetime):
        return (
            v.strftime("%Y-%m-%d %H:%M:%S")
            if (v.hour or v.minute or v.second)
            else v.strftime("%Y-%m-%d")
        )
    if isinstance(v, _dt.time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, float) and 0 <= v < 1:  # an Excel time-of-day value
        secs = round(v * 86400)
        return f"{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d}"
    return str(v).strip()


def _joined(parts: list[Factor]) -> Factor:
    """Several source columns as one (date + time): each distinct combination joined once
    (:func:`join_cells`)."""
    code = parts[0].codes.copy()
    for f in parts[1:]:
        code = code * len(f.values) + f.codes
    codes, combos = pd.factorize(code)
    radix = [len(f.values) for f in parts]
    idx = np.empty((len(combos), len(parts)), dtype=np.int64)
    rest = np.asarray(combos, dtype=np.int64)
    for k in range(len(parts) - 1, -1, -1):
        rest, idx[:, k] = np.divmod(rest, radix[k])
    texts_only = all(all(v is None or v.__class__ is str for v in f.values.tolist()) for f in parts)
    values = np.empty(len(combos) + 1, dtype=object)
    if texts_only:  # CSV fields: join_cells of texts is the stripped non-blank ones, spaced
        stripped = [
            [None if v is None or not v.strip() else v.strip() for v in f.values.tolist()]
            for f in parts
        ]
        cols = [[s[k] for k in idx[:, n].tolist()] for n, s in enumerate(stripped)]
        values[:-1] = [
            " ".join(x for x in row if x is not None) or None for row in zip(*cols, strict=True)
        ]
    else:
        values[:-1] = [
            join_cells([f.values[k] for f, k in zip(parts, row, strict=True)])
            for row in idx.tolist()
        ]
    values[-1] = None
    return Factor(codes.astype(np.int64, copy=False), values)


_CANONICAL = re.compile(r"(?:%[YmdHMS%]|[^%])*")
"""Formats of zero-padded numeric fields only: for them ``strptime`` reads back exactly
what ``strftime`` wrote."""


def parse_dates(texts: list[str], fmt: str, memo: dict[tuple[str, str], Any]) -> None:
    """``datetime.strptime(text.strip(), fmt)`` (``None`` where it raises) for each text,
    into ``memo``.  With a format of zero-padded fields (``%d/%m/%Y %H:%M``), pandas parses
    the texts as a whole column and a text is taken only where ``strftime`` of the parsed
    time gives the text back, i.e. where it is that time's own spelling, which ``strptime``
    reads as exactly that time; every other text goes through ``strptime`` itself."""
    if not texts:
        return
    rest = texts
    if _CANONICAL.fullmatch(fmt):
        stripped = pd.Series([v.strip() for v in texts], dtype=object)
        parsed = pd.to_datetime(stripped, format=fmt, errors="coerce")
        same = (parsed.dt.strftime(fmt) == stripped).to_numpy(dtype=bool)
        when = parsed.dt.to_pydatetime()
        rest = []
        for v, ok, w in zip(texts, same.tolist(), when.tolist(), strict=True):
            if ok:
                memo[(fmt, v)] = w
            else:
                rest.append(v)
    for v in rest:
        try:
            memo[(fmt, v)] = _dt.datetime.strptime(v.strip(), fmt)
        except ValueError:
            memo[(fmt, v)] = None


def convert(export: Export, imap: ImportMap, lang: str) -> ImportResult:
    """Typed monitoring rows of the export for the fields ``imap`` maps, every bad value
    listed with its location and source column (a mapped header that the export has
    twice first).  Each step runs once per distinct value of a column (the
    never-answered rule: on the codes of the row's answered value)."""
    n = len(export.lines)
    line_of = export.lines
    raw: dict[str, Factor] = {}
    for key, sources in imap.columns.items():
        parts = [export.columns[s] for s in sources]
        if len(parts) == 1:
            raw[key] = parts[0].copy()
            continue
        got = export.joined.get(tuple(sources))
        if got is None:
            got = export.joined[tuple(sources)] = _joined(parts)
        raw[key] = got.copy()

    # value maps (exact text first, then case-insensitive)
    for key, mapping in imap.values.items():
        folded = {k.casefold(): v for k, v in mapping.items()}

        def mapped(v: Any, mapping: dict[str, str] = mapping, folded: dict = folded) -> Any:
            if v is None:
                return None
            s = display(v).strip()
            to = mapping[s] if s in mapping else folded.get(s.casefold())
            return v if to is None else to

        raw[key].map(mapped)

    first_source = {key: srcs[0] for key, srcs in imap.columns.items()}

    def locate(key: str, line: int) -> tuple[str, str]:
        return export.where(first_source.get(key, ""), line)

    conv = Converter(MONITORING, lang, locate=locate)
    phase_format: list[Finding] = []
    phase_units: list[Finding] = []
    phase_long: list[Finding] = []

    def own_problems(key: str, f: Factor, bad: dict[int, Problem], into: list[Finding]) -> None:
        """A finding on each row holding one of the ``bad`` distinct values."""
        if not bad:
            return
        hit = np.zeros(len(f.values), dtype=bool)
        hit[list(bad)] = True
        col = MONITORING.column(key)
        for i in f.rows_with(hit).tolist():
            j = int(f.codes[i])
            into.append(conv.finding(col, 0, int(line_of[i]), f.values[j], bad[j]))

    # dates with an explicit format (text only: date cells are dates already)
    fmt = imap.options.get("date_format")
    if fmt and "contact_time" in raw:
        f = raw["contact_time"]
        bad: dict[int, Problem] = {}
        before = f.values
        after = before.copy()
        memo = export.dates
        texts = before[:-1].tolist()
        parse_dates([v for v in texts if isinstance(v, str) and (fmt, v) not in memo], fmt, memo)
        for j, v in enumerate(texts):
            if isinstance(v, str):
                when = memo[(fmt, v)]
                if when is None:
                    bad[j] = Problem("bad_date_format", {"text": v, "fmt": fmt})
                after[j] = when
        own_problems("contact_time", Factor(f.codes, before), bad, phase_format)
        f.values = after

    # units -> the field's unit
    for key, unit in imap.units.items():
        if key not in raw:
            continue
        f = raw[key]
        per_field = FIELD_UNIT_S[key.rsplit("_", 1)[1]]
        bad = {}
        before = f.values
        after = before.copy()
        for j, v in enumerate(before[:-1].tolist()):
            if v is None:
                continue
            secs = unit_seconds(v, unit)
            if secs is BAD_DURATION:
                bad[j] = Problem("bad_duration")
                after[j] = None
            elif secs is not None:
                after[j] = secs / per_field
            # None: left as text, the number check reports it
        own_problems(key, Factor(f.codes, before), bad, phase_units)
        f.values = after

    # never answered: counts in the answer rate and nowhere else
    unanswered = 0
    if "answered" in raw:
        f = raw["answered"]
        ans = conv.convert_cells(MONITORING.column("answered"), f.values.reshape(-1, 1))[0]
        not_answered = (ans == 0)[f.codes]
        unanswered = int(not_answered.sum())
        for key in NOT_ANSWERED_BLANKS:
            if key in raw:
                raw[key].codes[not_answered] = raw[key].blank

    # rubric N/A: kept as N/A in the workbook (the score skips it either way)
    not_applicable = {
        key: na_mask(raw[key].values.reshape(-1, 1))[:, 0][raw[key].codes]
        for key in RUBRIC_KEYS
        if key in raw
    }
    # text longer than an Excel cell: kept up to the limit, and said so
    # (no value is longer than the export's longest, nor a mapped one than the map's)
    longest = max([export.longest, *(len(t) for m in imap.values.values() for t in m.values())])
    for key, f in raw.items():
        col = MONITORING.column(key)
        if col.kind != "text" or longest <= EXCEL_CELL_CHARS:
            continue
        long = np.fromiter(
            (isinstance(v, str) and len(v) > EXCEL_CELL_CHARS for v in f.values.tolist()),
            dtype=bool,
            count=len(f.values),
        )
        for i in f.rows_with(long).tolist():
            v = f.values[f.codes[i]]
            phase_long.append(
                Finding.of(
                    "text_too_long",
                    *locate(key, int(line_of[i])),
                    key,
                    display(v),
                    {"header": Text(col.en, col.zh), "n": len(v)},
                    lang,
                    "warning",
                )
            )
        for j in np.flatnonzero(long).tolist():
            f.values[j] = f.values[j][:EXCEL_CELL_CHARS]

    # empty text is blank; rows blank in every mapped column are not contacts
    keys = [k for k in INPUT_KEYS if k in raw]
    empty_of: dict[str, np.ndarray] = {}
    for key in keys:
        f = raw[key]
        is_empty = (f.values == None) | (f.values == "")  # noqa: E711  (elementwise)
        f.values[is_empty] = None
        empty_of[key] = is_empty
    keep = np.ones(n, dtype=bool)
    if n and keys:
        blank_all = np.ones(n, dtype=bool)
        for key in keys:
            blank_all &= empty_of[key][raw[key].codes]
        keep = ~blank_all
    all_kept = bool(keep.all())
    row_no = line_of if all_kept else line_of[keep]
    rows = row_no.tolist()
    cols = {k: export.col_of.get(first_source[k], 0) for k in keys}

    # the typed converters, once per distinct value; a finding on every row holding a bad one
    phase_convert: list[Finding] = []
    out: dict[str, Any] = {"_row": row_no}
    for c in conv.columns:
        if c.key not in cols:
            out[c.key] = conv.empty(c, len(row_no))
            continue
        f = raw[c.key]
        codes = f.codes if all_kept else f.codes[keep]
        distinct = f.values.reshape(-1, 1)
        values, errors, problems = conv.convert_cells(c, distinct)
        out[c.key] = values[codes]
        bad_value = errors[:, 0] != None  # noqa: E711
        if not bad_value.any():
            continue
        at = np.flatnonzero(bad_value[codes])
        bad_codes = codes[at]
        conv.report(
            c,
            cols[c.key],
            [rows[i] for i in at.tolist()],
            distinct[bad_codes, 0].__getitem__,  # the raw value of the k-th bad row
            errors[bad_codes],
            {k: problems[j] for k, j in enumerate(bad_codes.tolist()) if j in problems},
            phase_convert,
        )

    df = concat([out], conv)
    if not all_kept and not_applicable:
        not_applicable = {k: v[keep] for k, v in not_applicable.items()}
    findings = [*phase_format, *phase_units, *phase_long, *phase_convert]
    conv.check_table(df, cols, findings)
    t = df["contact_time"]
    df["period"] = t.dt.strftime("%Y-%m").astype(object).where(t.notna(), None)
    findings.sort(
        key=lambda f: (finding_line(f), INPUT_KEYS.index(f.key) if f.key in INPUT_KEYS else 0)
    )
    findings[:] = [_with_source(f, imap, lang) for f in findings]
    findings[:0] = _duplicate_headers(export, imap, lang)
    return ImportResult(df, findings, unanswered, not_applicable)


def finding_line(f: Finding) -> int:
    """The line (CSV) or row (XLSX) a finding is on, for sorting."""
    text = f.cell or f.sheet.rsplit(":", 1)[-1]
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits or 0)


def _duplicate_headers(export: Export, imap: ImportMap, lang: str) -> list[Finding]:
    """A warning for each mapped source header that the export has more than once."""
    mapped = {s for srcs in imap.columns.values() for s in srcs}
    out = []
    for h in sorted(mapped, key=export.headers.index):
        at = [j for j, x in enumerate(export.headers) if x == h]
        if len(at) < 2:
            continue
        if export.sheet:
            first = export.col_of[h] - at[0]
            names = [col_letter(first + j) for j in at]
            sheet, cell = f"{export.name}!{export.sheet}", f"{names[1]}{export.header_line}"
        else:
            names = [str(j + 1) for j in at]
            sheet, cell = f"{export.name}:{export.header_line}", ""
        params = {"header": h, "n": len(at), "cols": ", ".join(names), "used": names[0]}
        out.append(Finding.of("duplicate_source", sheet, cell, "", h, params, lang, "warning"))
    return out


def _with_source(f: Finding, imap: ImportMap, lang: str) -> Finding:
    src = imap.source_label(f.key) if f.key else ""
    rule = message("with_source", lang, source=src, rest=f.rule) if src else f.rule
    params = {**f.params, "source": src} if src and f.code else f.params
    return Finding(f.sheet, f.cell, f.value, rule, f.severity, f.key, f.code, params, f.lang)


def for_builder(
    df: pd.DataFrame, not_applicable: dict[str, np.ndarray] | None = None
) -> pd.DataFrame:
    """The typed table as cell values for ``build_workbook`` (Y/N text, N/A where the
    export said so, no helper columns)."""
    out = df.drop(columns=[c for c in ("period", "_row") if c in df.columns])
    for key, na in (not_applicable or {}).items():
        if key in out.columns and na.any():
            col = out[key].astype(object)
            col[na] = "N/A"
            out[key] = col
    for c in MONITORING.columns:
        if c.kind == "yn" and c.key in out.columns:
            v = out[c.key].to_numpy(dtype=float)
            out[c.key] = pd.Series(
                [None if x != x else ("Y" if x == 1 else "N") for x in v],
                dtype=object,
                index=out.index,
            )
    return out

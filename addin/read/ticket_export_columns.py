"""A columnar path through a CSV ticket export: the mapped columns read as whole columns
(``pandas.read_csv``) and converted once per distinct value, with exactly the rules of the
row-by-row conversion in :mod:`addin.read.ticket_export`.

``csq sample`` converts every contact of a big export, but only for the fields of the
strata and the population figures; going through one Python list per row for that costs
most of its time.  Here each mapped source column is factorised (``pandas.factorize``):
the value map, ``date_format``, units, the never-answered rule, Excel's text limit and
the typed converters of :class:`addin.read.cells.Converter` run on the distinct values
only (a few hundred agents, five channels, a few thousand times of day), and the results
are spread back over the rows by their codes.  Each of those steps is a function of one
cell's value (the never-answered rule: of the row's answered cell, applied to the codes),
and the table-wide rules (rows blank in every mapped column dropped, required fields,
duplicate ids) run on the assembled table as in the row path, so the typed columns and
the findings (file:line, column, value, text) are the ones
:func:`addin.read.ticket_export.convert_mapped` gives; ``tests/test_export_columns.py``
holds the two paths equal on messy exports.

:func:`read_csv_columns` returns ``None`` where the fast reader could differ from the
``csv`` module (a record spanning several lines, a row with more fields than the header,
a line ending other than LF or CRLF, an XLSX export): the caller then takes the row path.
The drawn rows get their other fields from their own lines (:meth:`ColumnExport.drawn`:
the ``csv`` module on just those lines), so their every field is converted exactly as
``csq import`` would.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from udfs.core.data import Finding
from udfs.core.fields import RUBRIC_KEYS
from udfs.core.problems import Problem, Text
from udfs.core.values import na_mask
from workbook_templates.schema import MONITORING

from .cells import Converter, display
from .import_map import (
    DELIMITER_NAMES,
    FIELD_UNIT_S,
    INPUT_KEYS,
    ImportMap,
)
from .safety import Limits, check_size
from .ticket_export import (
    BAD_DURATION,
    CSV_FIELD_LIMIT,
    EXCEL_CELL_CHARS,
    NOT_ANSWERED_BLANKS,
    Export,
    ImportResult,
    _decode,
    _duplicate_headers,
    _first_columns,
    _join,
    _line_key,
    _with_source,
    unit_seconds,
)

ID_PROBE = 1_000
"""Values looked at to tell a column of ids (every value its own) from a column of
repeating values (:func:`factorize`)."""
HEADER_SEARCH = 30
"""Records searched for the header row (as :func:`addin.read.ticket_export.read_csv_export`)."""


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

    def map(self, fn: Any) -> None:
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


def factorize(texts: pd.Series) -> Factor:
    """Raw CSV fields -> a factor; whitespace-only text is blank, as the row reader has it.

    A column whose first :data:`ID_PROBE` values all differ (contact ids, phone numbers)
    is not hashed: each row keeps its own value."""
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


@dataclass
class ColumnExport:
    """A CSV export's header, line numbers and mapped source columns as factors."""

    name: str
    headers: list[str]
    lines: np.ndarray  # physical line of each data row (int64)
    columns: dict[str, Factor]  # source header -> factor
    delimiter: str
    header_line: int
    text_lines: list[str] = field(default_factory=list, repr=False)
    dates: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    """(date_format, text) -> parsed datetime, or the ``ValueError`` text: the drawn rows'
    dates were parsed in the first pass already."""
    joined: dict[tuple[str, ...], Factor] = field(default_factory=dict, repr=False)
    """Source headers -> their joined column (date + time), as first joined."""
    longest: int = 2**62
    """Characters of the longest line (no field is longer)."""

    def export(self, rows: list[list[Any]] | None = None, lines: list[int] | None = None) -> Export:
        out = Export(self.name, self.headers, rows or [], lines or [], "")
        out.col_of = _first_columns(self.headers)
        out.header_line = self.header_line
        return out

    def drawn(self, lines: np.ndarray, imap: ImportMap) -> ColumnExport:
        """The rows on ``lines`` (ascending) with every column ``imap`` maps, for
        :func:`convert_columns`: the columns this export holds already are taken as they
        are, the others read from those lines with the ``csv`` module."""
        wanted = [int(x) for x in lines.tolist()]
        at = np.searchsorted(self.lines, lines)
        sources = {s for srcs in imap.columns.values() for s in srcs}
        columns = {s: f.take(at) for s, f in self.columns.items() if s in sources}
        missing = sorted(sources - set(columns), key=self.headers.index)
        if missing:
            old_limit = csv.field_size_limit(CSV_FIELD_LIMIT)
            try:
                recs = list(
                    csv.reader((self.text_lines[x - 1] for x in wanted), delimiter=self.delimiter)
                )
            finally:
                csv.field_size_limit(old_limit)
            first = _first_columns(self.headers)
            for s in missing:
                j = first[s]
                texts = pd.Series([r[j] if j < len(r) else None for r in recs], dtype=object)
                columns[s] = factorize(texts)
        joined = {k: f.take(at) for k, f in self.joined.items()}
        return ColumnExport(
            self.name,
            self.headers,
            np.asarray(wanted, dtype=np.int64),
            columns,
            self.delimiter,
            self.header_line,
            self.text_lines,
            self.dates,
            joined,
            self.longest,
        )


def read_csv_columns(
    path: str | os.PathLike[str], imap: ImportMap, lang: str, limits: Limits | None = None
) -> ColumnExport | None:
    """The mapped columns of a CSV export, or ``None`` where only the row reader is exact
    (see the module docstring).  Raises the row reader's errors for a missing header."""
    p = Path(path)
    if p.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return None
    limits = limits or Limits.from_env()
    check_size(p, limits, lang)
    data = p.read_bytes()
    text = _decode(data, p.name, imap.options.get("encoding"), lang)
    # the same delimiter and header row as read_csv_export
    delimiter = imap.options.get("delimiter")
    if not delimiter:
        try:
            delimiter = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    delimiter = DELIMITER_NAMES.get(delimiter, delimiter)
    text_lines = text.split("\n")
    if text_lines and text_lines[-1] == "":
        text_lines.pop()
    if "\r" in text:
        text_lines = [x[:-1] if x.endswith("\r") else x for x in text_lines]
        if any("\r" in x for x in text_lines):
            return None  # old Mac line ends: the row reader
    head = _first_records(text_lines, delimiter)
    if not head:
        return None  # no header: the row reader says so
    sources = {s for srcs in imap.columns.values() for s in srcs}
    best, best_hits = 0, 0
    for r, (_, rec) in enumerate(head):
        hits = sum(1 for x in rec if x.strip() in sources)
        if hits > best_hits:
            best, best_hits = r, hits
    header_line, header_rec = head[best]
    if any(line != end for line, end in ((x[0], x[2]) for x in _spans(head[: best + 1]))):
        return None  # a header or title record over several lines
    headers = [h.strip() for h in header_rec]
    first = _first_columns(headers)
    if any(s not in first for s in sources):
        return None  # the row path reports the missing headers
    used = sorted({first[s] for s in sources})
    body = len(text_lines) - header_line
    if body <= 0:
        return None
    options: dict[str, Any] = dict(
        sep=delimiter,
        header=None,
        skiprows=header_line,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        usecols=used,
        engine="c",
    )
    frame = None
    if not imap.options.get("encoding") and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # the text was read as UTF-8 if it is UTF-8: the parser reads those bytes directly
        # (the same text; from a str it would encode it to UTF-8 first)
        try:
            frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", **options)
        except UnicodeDecodeError:
            frame = None  # GB18030 text: parsed from the decoded text below
        except (pd.errors.ParserError, ValueError, csv.Error):
            return None  # more fields than the header somewhere, a stray quote ...
    del data
    if frame is None:
        try:
            frame = pd.read_csv(io.StringIO(text), **options)
        except (pd.errors.ParserError, ValueError, csv.Error):
            return None
    if len(frame) != body:
        return None  # a quoted field over several lines: the row reader numbers them
    # records blank in every field stay: blank in every mapped column, the conversion
    # drops them as the row reader's conversion does
    lines = np.arange(header_line + 1, header_line + 1 + body, dtype=np.int64)
    columns = {s: factorize(frame[first[s]]) for s in sorted(sources, key=first.__getitem__)}
    out = ColumnExport(p.name, headers, lines, columns, delimiter, header_line, text_lines)
    out.longest = max(map(len, text_lines), default=0)
    return out


def _first_records(text_lines: list[str], delimiter: str) -> list[tuple[int, list[str]]]:
    """The first non-empty CSV records with their start line (as ``_csv_records``)."""
    reader = csv.reader(io.StringIO("\n".join(text_lines[:2_000]) + "\n"), delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    prev = 0
    try:
        for rec in reader:
            start = prev + 1
            prev = reader.line_num
            if any(x.strip() for x in rec):
                out.append((start, rec))
                if len(out) >= HEADER_SEARCH:
                    break
    except csv.Error:
        return []
    return out


def _spans(records: list[tuple[int, list[str]]]) -> list[tuple[int, list[str], int]]:
    """(start line, record, end line) where the end is the start plus its line breaks."""
    return [(start, rec, start + sum(x.count("\n") for x in rec)) for start, rec in records]


def _joined(parts: list[Factor]) -> Factor:
    """Several source columns as one (date + time): each distinct combination joined once,
    as :func:`addin.read.ticket_export._join` joins the cells of a row."""
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
    if texts_only:  # CSV cells: _join of texts is the stripped non-blank ones, spaced
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
            _join([f.values[k] for f, k in zip(parts, row, strict=True)]) for row in idx.tolist()
        ]
    values[-1] = None
    return Factor(codes.astype(np.int64, copy=False), values)


_CANONICAL = re.compile(r"(?:%[YmdHMS%]|[^%])*")
"""Formats of zero-padded numeric fields only: for them ``strptime`` reads back exactly
what ``strftime`` wrote."""


def _parse_dates(texts: list[str], fmt: str, memo: dict[tuple[str, str], Any]) -> None:
    """``datetime.strptime(text.strip(), fmt)`` (``None`` where it raises) for each text,
    into ``memo``.  With a format of zero-padded fields (``%d/%m/%Y %H:%M``), pandas parses
    the texts as a whole column and a text is taken only where ``strftime`` of the parsed
    time gives the text back, i.e. where it is that time's own spelling, which ``strptime``
    reads as exactly that time; every other text goes through ``strptime`` itself."""
    import datetime as _dt

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


def convert_columns(frame: ColumnExport, imap: ImportMap, lang: str) -> ImportResult:
    """The typed monitoring rows and findings of the whole export for the fields ``imap``
    maps: what :func:`addin.read.ticket_export.convert_mapped` returns for the same export."""
    export = frame.export()
    n = len(frame.lines)
    line_of = frame.lines
    raw: dict[str, Factor] = {}
    for key, sources in imap.columns.items():
        parts = [frame.columns[s] for s in sources]
        if len(parts) == 1:
            raw[key] = parts[0].copy()
            continue
        got = frame.joined.get(tuple(sources))
        if got is None:
            got = frame.joined[tuple(sources)] = _joined(parts)
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

    def own_problems(key: str, f: Factor, bad: dict[int, str], into: list[Finding]) -> None:
        """A finding on each row holding one of the ``bad`` distinct values."""
        if not bad:
            return
        hit = np.zeros(len(f.values), dtype=bool)
        hit[list(bad)] = True
        col = MONITORING.column(key)
        for i in f.rows_with(hit).tolist():
            j = int(f.codes[i])
            into.append(conv.finding(col, 0, int(line_of[i]), f.values[j], bad[j]))

    # dates with an explicit format
    fmt = imap.options.get("date_format")
    if fmt and "contact_time" in raw:
        f = raw["contact_time"]
        bad: dict[int, str] = {}
        before = f.values
        after = before.copy()
        memo = frame.dates
        texts = before[:-1].tolist()
        _parse_dates([v for v in texts if isinstance(v, str) and (fmt, v) not in memo], fmt, memo)
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
        ans = conv._convert_column(MONITORING.column("answered"), f.values.reshape(-1, 1))[0]
        not_answered = (ans == 0)[f.codes]
        unanswered = int(not_answered.sum())
        for key in NOT_ANSWERED_BLANKS:
            if key in raw:
                raw[key].codes[not_answered] = raw[key].blank

    not_applicable = {
        key: na_mask(raw[key].values.reshape(-1, 1))[:, 0][raw[key].codes]
        for key in RUBRIC_KEYS
        if key in raw
    }
    # text longer than an Excel cell: kept up to the limit, and said so
    # (no field is longer than its line, nor a mapped value than the map's longest one)
    longest = max([frame.longest, *(len(t) for m in imap.values.values() for t in m.values())])
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

    phase_convert: list[Finding] = []
    out: dict[str, Any] = {"_row": row_no}
    for c in conv.columns:
        if c.key not in cols:
            out[c.key] = conv.empty(c, len(row_no))
            continue
        f = raw[c.key]
        codes = f.codes if all_kept else f.codes[keep]
        col = f.values.reshape(-1, 1)
        values, errors, problems = conv._convert_column(c, col)
        out[c.key] = values[codes]
        bad_value = errors[:, 0] != None  # noqa: E711
        if not bad_value.any():
            continue
        for i in np.flatnonzero(bad_value[codes]).tolist():
            j = int(codes[i])
            v = col[j, 0]
            problem = problems.get(j) or errors[j, 0]
            phase_convert.append(conv.finding(c, cols[c.key], rows[i], v, problem))

    from .workbook import _concat  # the same assembly as a workbook's table

    df = _concat([out], conv)
    if not all_kept and not_applicable:
        not_applicable = {k: v[keep] for k, v in not_applicable.items()}
    problems_all = [*phase_format, *phase_units, *phase_long, *phase_convert]
    conv.check_table(df, cols, problems_all)
    t = df["contact_time"]
    df["period"] = t.dt.strftime("%Y-%m").astype(object).where(t.notna(), None)
    problems_all.sort(
        key=lambda f: (_line_key(f), INPUT_KEYS.index(f.key) if f.key in INPUT_KEYS else 0)
    )
    result = ImportResult(df, problems_all, unanswered, export, not_applicable)
    # as convert_mapped: each finding names its source column; duplicate headers first
    result.findings[:] = [_with_source(f, imap, lang) for f in result.findings]
    result.findings[:0] = _duplicate_headers(export, imap, lang)
    return result


def import_columns(
    export_path: str | os.PathLike[str],
    map_path: str | os.PathLike[str],
    lang: str,
    limits: Limits | None = None,
) -> ImportResult:
    """:func:`addin.read.ticket_export.import_export` (``csq import``) through the columnar path
    where it reads the export exactly; the row path elsewhere (an XLSX export, a record
    over several lines ..., or no contact at all: the row path says why)."""
    from .import_map import load_map
    from .ticket_export import import_export

    imap = load_map(map_path, lang)
    frame = read_csv_columns(export_path, imap, lang, limits)
    if frame is not None:
        frame.text_lines = []  # only drawn() reads them again; a million rows hold ~300 MB
        result = convert_columns(frame, imap, lang)
        if len(result.monitoring):
            return result
        del frame, result
    return import_export(export_path, map_path, lang, limits)


__all__ = [
    "ColumnExport",
    "Factor",
    "convert_columns",
    "factorize",
    "import_columns",
    "read_csv_columns",
]

"""Reading a ticket or telephony export (CSV/XLSX, its own headers) into monitoring rows,
driven by a TOML column map (SPEC section 7); ``csq import`` (``addin.commands.import_``)
writes them into a standard workbook.

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

Values are checked with the same converters and schema rules as a workbook
(:mod:`addin.read.workbook`); a bad value is listed with file:line (CSV) or sheet!cell (XLSX) and
its column, and the row is kept with its good fields.  Contacts that were not answered
keep answered = N and lose their times, ratings, first-contact resolution and transfer
flag: they count in the answer rate and nowhere else.  The export is only read; the
workbook is written atomically by ``workbook_templates.builder.build_workbook``.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover
    pass

from udfs.core.data import Finding
from udfs.core.errors import InputError, UsageError
from udfs.core.fields import RUBRIC_KEYS
from udfs.core.i18n import default_lang
from udfs.core.problems import Problem, Text
from udfs.core.values import na_mask
from workbook_templates.schema import MONITORING

from .cells import Converter, col_letter, display
from .import_map import (
    DELIMITER_NAMES,
    FIELD_UNIT_S,
    INPUT_KEYS,
    UNITS,
    ImportMap,
    _m,
    load_map,
)
from .package import head_rows
from .safety import Limits, check_size, read_checked

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

# ---- the export ---------------------------------------------------------------------------


@dataclass
class Export:
    """An export's header and rows, with a location for every row."""

    name: str
    headers: list[str]
    rows: list[list[Any]]
    lines: list[int]  # CSV: physical line of each row; XLSX: Excel row number
    sheet: str = ""  # XLSX: the sheet read; "" for CSV
    col_of: dict[str, int] = field(default_factory=dict)  # header -> 0-based column
    header_line: int = 1  # CSV: physical line of the header; XLSX: its Excel row

    def where(self, header: str, line: int) -> tuple[str, str]:
        if not self.sheet:
            return f"{self.name}:{line}", ""
        return f"{self.name}!{self.sheet}", f"{col_letter(self.col_of.get(header, 0))}{line}"


def _decode(data: bytes, name: str, encoding: str | None, lang: str) -> str:
    """The export's text: the map's ``encoding``, else by its byte-order mark (UTF-8,
    UTF-16), else UTF-8, else GB18030 (a superset of GBK)."""
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(
                _m("export_decode_as", lang, export=name, encoding=encoding, detail=exc.reason)
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(_m("export_encoding", lang, export=name))


CSV_FIELD_LIMIT = 64 * 1024 * 1024
"""Longest CSV field read (Python's default, 128 KB, refuses long ticket descriptions;
the file size limit of :mod:`addin.read.safety` bounds the total anyway)."""


def read_csv_export(path: Path, imap: ImportMap, lang: str, limits: Limits) -> Export:
    check_size(path, limits, lang)
    text = _decode(path.read_bytes(), path.name, imap.options.get("encoding"), lang)
    delimiter = imap.options.get("delimiter")
    if not delimiter:
        try:
            delimiter = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    delimiter = DELIMITER_NAMES.get(delimiter, delimiter)
    old_limit = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        records = _csv_records(text, delimiter)
    finally:
        csv.field_size_limit(old_limit)
    del text  # the records hold what is needed
    if not records:
        raise InputError(_m("export_empty", lang, export=path.name))
    # the header row: the one among the first rows with the most mapped source headers
    # (title rows above the header, as ticket systems write them, are skipped)
    sources = {s for srcs in imap.columns.values() for s in srcs}
    best, best_hits = 0, 0
    for r, (_, rec) in enumerate(records[:30]):
        hits = sum(1 for x in rec if x is not None and x.strip() in sources)
        if hits > best_hits:
            best, best_hits = r, hits
    header_line, header_rec = records[best]
    headers = [(h or "").strip() for h in header_rec]
    rows = [rec for _, rec in records[best + 1 :]]  # blanks are None already
    lines = [line for line, _ in records[best + 1 :]]
    out = Export(path.name, headers, rows, lines, "", _first_columns(headers))
    out.header_line = header_line
    return out


def _csv_records(text: str, delimiter: str) -> list[tuple[int, list[str | None]]]:
    """Non-empty CSV records with the physical line each starts on; blank fields None."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out: list[tuple[int, list[str | None]]] = []
    prev = 0
    for rec in reader:
        start = prev + 1
        prev = reader.line_num
        if any(x.strip() for x in rec):
            # equal texts share one string (channels, teams, agents, ratings repeat on every
            # row: a million-row export would otherwise hold a copy of each, about 1 GB)
            out.append((start, [sys.intern(x) if x.strip() else None for x in rec]))
    return out


def _first_columns(headers: list[str]) -> dict[str, int]:
    """Header -> 0-based column of its first occurrence (a duplicate header is reported)."""
    out: dict[str, int] = {}
    for j, h in enumerate(headers):
        if h and h not in out:
            out[h] = j
    return out


def read_xlsx_export(path: Path, imap: ImportMap, lang: str, limits: Limits) -> Export:
    import python_calamine as pc

    data = read_checked(path, limits, lang)
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    wanted = imap.options.get("sheet")
    names = wb.sheet_names
    if wanted and wanted not in names:
        raise InputError(_m("export_sheet", lang, export=path.name, sheet=wanted, found=names))
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
        raise InputError(_m("export_empty", lang, export=path.name))
    headers = [display(v).strip() for v in head[best]]
    rows: list[list[Any]] = []
    lines: list[int] = []
    for i, row in enumerate([*head[best + 1 :], *rest]):
        if not any((v.strip() if isinstance(v, str) else v is not None) for v in row):
            continue
        rows.append([None if (isinstance(v, str) and not v.strip()) else v for v in row])
        lines.append(row0 + best + i + 2)
    col_of = {h: col0 + j for h, j in _first_columns(headers).items()}
    return Export(path.name, headers, rows, lines, sheet, col_of, row0 + best + 1)


def read_export(path: str | os.PathLike[str], imap: ImportMap, lang: str, limits: Limits) -> Export:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv_export(p, imap, lang, limits)
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return read_xlsx_export(p, imap, lang, limits)
    raise InputError(_m("export_suffix", lang, export=p.name))


# ---- conversion --------------------------------------------------------------------------


@dataclass
class ImportResult:
    monitoring: pd.DataFrame  # typed, like WorkbookData.monitoring
    findings: list[Finding]
    unanswered: int
    export: Export
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


def convert_export(
    export: Export, imap: ImportMap, lang: str, keep_rows: bool = True
) -> ImportResult:
    """Typed monitoring rows from an export, every bad value listed with its location.

    ``keep_rows=False``: the export's raw rows are dropped as soon as the mapped columns
    are taken out of them (a million rows hold about 1 GB of Python strings)."""
    col_idx = _first_columns(export.headers)
    n = len(export.rows)
    raw: dict[str, np.ndarray] = {}
    for key, sources in imap.columns.items():
        arr = np.empty(n, dtype=object)
        idx = [col_idx[s] for s in sources]
        if len(idx) == 1:  # one source column: taken as a whole column
            j = idx[0]
            arr[:] = [row[j] if j < len(row) else None for row in export.rows]
        else:
            for i, row in enumerate(export.rows):
                arr[i] = _join([row[j] if j < len(row) else None for j in idx])  # date + time
        raw[key] = arr
    if not keep_rows:
        export.rows = []

    # value maps (exact text first, then case-insensitive)
    for key, mapping in imap.values.items():
        folded = {k.casefold(): v for k, v in mapping.items()}
        arr = raw[key]
        mapped: dict[Any, Any] = {}  # (type, cell value) -> mapped value (None: unchanged)
        for i, v in enumerate(arr):
            if v is None:
                continue
            try:
                to = mapped[(type(v), v)]  # values repeat: each distinct one looked up once
            except KeyError:
                s = display(v).strip()
                to = mapping[s] if s in mapping else folded.get(s.casefold())
                mapped[(type(v), v)] = to
            except TypeError:  # unhashable: never from a CSV or sheet cell
                continue
            if to is not None:
                arr[i] = to

    problems: list[Finding] = []
    first_source = {key: srcs[0] for key, srcs in imap.columns.items()}

    def locate(key: str, line: int) -> tuple[str, str]:
        return export.where(first_source.get(key, ""), line)

    conv = Converter(MONITORING, lang, locate=locate)

    def own_problem(key: str, i: int, value: Any, text: str) -> None:
        col = MONITORING.column(key)
        problems.append(conv.finding(col, 0, export.lines[i], value, text))

    # dates with an explicit format
    fmt = imap.options.get("date_format")
    if fmt and "contact_time" in raw:
        arr = raw["contact_time"]
        for i, v in enumerate(arr):
            if isinstance(v, str):
                try:
                    arr[i] = _dt.datetime.strptime(v.strip(), fmt)
                except ValueError:
                    own_problem(
                        "contact_time",
                        i,
                        v,
                        Problem("bad_date_format", {"text": v, "fmt": fmt}),
                    )
                    arr[i] = None

    # units -> the field's unit
    for key, unit in imap.units.items():
        if key not in raw:
            continue
        arr = raw[key]
        per_field = FIELD_UNIT_S[key.rsplit("_", 1)[1]]
        for i, v in enumerate(arr):
            if v is None:
                continue
            secs = unit_seconds(v, unit)
            if secs is BAD_DURATION:
                own_problem(key, i, v, Problem("bad_duration"))
                arr[i] = None
            elif secs is not None:
                arr[i] = secs / per_field
            # None: left as text, the number check reports it

    # never answered: counts in the answer rate and nowhere else
    unanswered = 0
    if "answered" in raw:
        ans, _ = conv._convert_column(
            MONITORING.column("answered"), raw["answered"].reshape(-1, 1)
        )[:2]
        not_answered = ans == 0
        unanswered = int(not_answered.sum())
        for key in NOT_ANSWERED_BLANKS:
            if key in raw:
                raw[key][not_answered] = None

    # rubric N/A: kept as N/A in the workbook (the score skips it either way)
    not_applicable = {
        key: na_mask(raw[key].reshape(-1, 1))[:, 0] for key in RUBRIC_KEYS if key in raw
    }
    # text longer than an Excel cell: kept up to the limit, and said so
    for key in raw:
        col = MONITORING.column(key)
        if col.kind != "text":
            continue
        arr = raw[key]
        for i, v in enumerate(arr):
            if isinstance(v, str) and len(v) > EXCEL_CELL_CHARS:
                problems.append(
                    Finding.of(
                        "text_too_long",
                        *locate(key, export.lines[i]),
                        key,
                        display(v),
                        {"header": Text(col.en, col.zh), "n": len(v)},
                        lang,
                        "warning",
                    )
                )
                arr[i] = v[:EXCEL_CELL_CHARS]

    keys = [k for k in INPUT_KEYS if k in raw]
    cols = {k: export.col_of.get(first_source[k], 0) for k in keys}
    chunk = np.empty((n, len(keys)), dtype=object)  # the columns side by side, no row lists
    for j, k in enumerate(keys):
        chunk[:, j] = raw[k]
    converted = conv.convert(keys, cols, chunk, export.lines, problems)  # type: ignore[arg-type]
    from .workbook import _concat  # the same assembly as a workbook's table

    df = _concat([converted], conv)
    if len(df) != n and not_applicable:  # rows blank in every mapped column were dropped
        pos = {line: i for i, line in enumerate(export.lines)}
        kept = np.fromiter((pos[r] for r in df["_row"].tolist()), dtype=np.int64, count=len(df))
        not_applicable = {k: v[kept] for k, v in not_applicable.items()}
    conv.check_table(df, cols, problems)
    t = df["contact_time"]
    df["period"] = t.dt.strftime("%Y-%m").astype(object).where(t.notna(), None)
    problems.sort(
        key=lambda f: (_line_key(f), INPUT_KEYS.index(f.key) if f.key in INPUT_KEYS else 0)
    )
    return ImportResult(df, problems, unanswered, export, not_applicable)


def _join(parts: list[Any]) -> Any:
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


def _line_key(f: Finding) -> int:
    text = f.cell or f.sheet.rsplit(":", 1)[-1]
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits or 0)


def import_export(
    export_path: str | os.PathLike[str],
    map_path: str | os.PathLike[str],
    lang: str | None = None,
    limits: Limits | None = None,
) -> ImportResult:
    """Read and convert an export with a map (no workbook written)."""
    lang = lang or default_lang()
    imap, export = open_export(export_path, map_path, lang, limits)
    return convert_mapped(export, imap, lang)


def open_export(
    export_path: str | os.PathLike[str],
    map_path: str | os.PathLike[str],
    lang: str | None = None,
    limits: Limits | None = None,
) -> tuple[ImportMap, Export]:
    """The validated map and the export's rows, every mapped header checked."""
    lang = lang or default_lang()
    limits = limits or Limits.from_env()
    imap = load_map(map_path, lang)
    export = read_export(export_path, imap, lang, limits)
    available = set(export.headers)
    missing = [s for srcs in imap.columns.values() for s in srcs if s not in available]
    if missing:
        raise UsageError(
            _m(
                "map_headers",
                lang,
                map=imap.path,
                export=export.name,
                missing=", ".join(repr(s) for s in missing),
                found=", ".join(repr(h) for h in export.headers if h),
            )
        )
    if not export.rows:
        raise InputError(_m("export_no_rows", lang, export=export.name, line=export.header_line))
    return imap, export


def convert_mapped(
    export: Export, imap: ImportMap, lang: str, keep_rows: bool = False
) -> ImportResult:
    """:func:`convert_export` with each finding naming its source column.

    ``keep_rows``: keep the export's raw rows (``csq sample`` converts the drawn rows again
    with every field); by default they are dropped once converted."""
    # without keep_rows the raw rows (one Python string per cell: about 1 GB for a million
    # rows) are dropped once their columns are taken out, to keep 1,000,000 rows under 2 GB
    result = convert_export(export, imap, lang, keep_rows=keep_rows)
    result.findings[:] = [_with_source(f, imap, lang) for f in result.findings]
    result.findings[:0] = _duplicate_headers(export, imap, lang)
    return result


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
    rule = _m("with_source", lang, source=src, rest=f.rule) if src else f.rule
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

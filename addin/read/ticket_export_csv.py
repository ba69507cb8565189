"""The raw text of a CSV ticket export: its header and, for each mapped source column, the
fields as read (text, ``None`` where blank) with the physical line each record starts on.

:func:`read_csv_table` reads the mapped columns as whole columns with ``pandas.read_csv``
where that parser splits the file exactly as the ``csv`` module does (one record per
line, LF or CRLF line ends, no parser error); anywhere else (a quoted field over several
lines, old Mac line ends, a stray quote ...) it reads the records with the ``csv``
module.  Either way the result is the same :class:`CsvTable`: which reader was
used changes nothing in what :mod:`addin.read.ticket_export` converts.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from udfs.core.errors import InputError

from .import_map import DELIMITER_NAMES, ImportMap, message
from .safety import Limits, check_size

CSV_FIELD_LIMIT = 64 * 1024 * 1024
"""Longest CSV field read (Python's default, 128 KB, refuses long ticket descriptions;
the file size limit of :mod:`addin.read.safety` bounds the total anyway)."""
HEADER_SEARCH = 30
"""Non-empty records searched for the header row (title rows above it are skipped)."""

Fields = pd.Series | list[str | None]
"""One source column's raw fields, one per data record."""


@dataclass
class CsvTable:
    """A CSV export's header and the raw fields of its mapped source columns."""

    name: str
    headers: list[str]
    header_line: int
    lines: np.ndarray  # int64: the physical line each data record starts on
    columns: dict[str, Fields]  # source header -> its fields
    any_rows: bool = True
    """False: no non-empty record below the header."""
    longest: int = 2**62
    """No field is longer (the longest line, where records are lines)."""
    read_lines: Callable[[list[int], list[str]], dict[str, list[str | None]]] | None = field(
        default=None, repr=False
    )
    """(lines, source headers) -> those columns' fields on those lines, for columns not
    read at first (``None``: every mapped column was read)."""


def decode(data: bytes, name: str, encoding: str | None, lang: str) -> str:
    """The export's text: the map's ``encoding``, else by its byte-order mark (UTF-8,
    UTF-16), else UTF-8, else GB18030 (a superset of GBK)."""
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(
                message("export_decode_as", lang, export=name, encoding=encoding, detail=exc.reason)
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
    raise InputError(message("export_encoding", lang, export=name))


def first_columns(headers: list[str]) -> dict[str, int]:
    """Header -> 0-based column of its first occurrence (a duplicate header is reported)."""
    out: dict[str, int] = {}
    for j, h in enumerate(headers):
        if h and h not in out:
            out[h] = j
    return out


def read_csv_table(
    path: Path, imap: ImportMap, lang: str, limits: Limits, first: ImportMap | None = None
) -> CsvTable:
    """The columns ``imap`` maps, or with ``first`` only those ``first`` maps (the rest
    then read line by line with :attr:`CsvTable.read_lines`)."""
    check_size(path, limits, lang)
    data = path.read_bytes()
    text = decode(data, path.name, imap.options.get("encoding"), lang)
    delimiter = imap.options.get("delimiter")
    if not delimiter:
        try:
            delimiter = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    delimiter = DELIMITER_NAMES.get(delimiter, delimiter)
    table = _by_columns(path.name, data, text, delimiter, imap, first)
    if table is None:
        table = _by_records(path.name, text, delimiter, imap, lang)
    return table


def _best_header(records: list[tuple[int, list[Any]]], sources: set[str]) -> int:
    """The record among the first with the most mapped source headers (the first if none)."""
    best, best_hits = 0, 0
    for r, (_, rec) in enumerate(records[:HEADER_SEARCH]):
        hits = sum(1 for x in rec if x is not None and x.strip() in sources)
        if hits > best_hits:
            best, best_hits = r, hits
    return best


def _with_field_limit(read: Callable[[], Any]) -> Any:
    old_limit = csv.field_size_limit(CSV_FIELD_LIMIT)
    try:
        return read()
    finally:
        csv.field_size_limit(old_limit)


def _by_records(name: str, text: str, delimiter: str, imap: ImportMap, lang: str) -> CsvTable:
    """Every record read with the ``csv`` module (any file it reads)."""
    records = _with_field_limit(lambda: _csv_records(text, delimiter))
    if not records:
        raise InputError(message("export_empty", lang, export=name))
    best = _best_header(records, imap.sources)
    header_line, header_rec = records[best]
    headers = [(h or "").strip() for h in header_rec]
    body = records[best + 1 :]
    first = first_columns(headers)
    columns: dict[str, Fields] = {}
    for s in sorted(imap.sources & set(first), key=first.__getitem__):
        j = first[s]
        columns[s] = [rec[j] if j < len(rec) else None for _, rec in body]
    lines = np.fromiter((line for line, _ in body), dtype=np.int64, count=len(body))
    return CsvTable(name, headers, header_line, lines, columns, any_rows=bool(body))


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


def _by_columns(
    name: str,
    data: bytes,
    text: str,
    delimiter: str,
    imap: ImportMap,
    first_map: ImportMap | None,
) -> CsvTable | None:
    """The mapped columns read whole by ``pandas.read_csv``, or ``None`` where it could
    read the file otherwise than the ``csv`` module (see the module docstring), where a
    mapped header is missing or where no mapped field holds anything (the ``csv`` module
    then tells a file without rows from rows without contacts)."""
    text_lines = _lines(text)
    if text_lines is None:
        return None  # old Mac line ends
    head = _first_records(text_lines, delimiter)
    if not head:
        return None
    best = _best_header(head, imap.sources)
    header_line, header_rec = head[best]
    if any("\n" in x for _, rec in head[: best + 1] for x in rec):
        return None  # a header or title record over several lines
    headers = [h.strip() for h in header_rec]
    first = first_columns(headers)
    if any(s not in first for s in imap.sources):
        return None
    wanted = (first_map or imap).sources
    body = len(text_lines) - header_line
    if body <= 0:
        return None
    used = sorted({first[s] for s in wanted})
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
    frame = _read_frame(data, text, not imap.options.get("encoding"), options)
    if frame is None or len(frame) != body:
        return None  # a quoted field over several lines
    if not any(_holds_text(frame[first[s]]) for s in wanted):
        return None
    columns: dict[str, Fields] = {s: frame[first[s]] for s in sorted(wanted, key=first.__getitem__)}
    del frame
    # records blank in every field stay: blank in every mapped column, the conversion
    # drops them as it drops the records blank in the mapped columns only
    lines = np.arange(header_line + 1, header_line + 1 + body, dtype=np.int64)
    read_lines = None if first_map is None else _line_reader(text_lines, delimiter, first)
    longest = max(map(len, text_lines), default=0)
    if first_map is None:
        del text_lines  # only read_lines reads them again; a million rows hold ~300 MB
    return CsvTable(name, headers, header_line, lines, columns, True, longest, read_lines)


def _lines(text: str) -> list[str] | None:
    """The text's lines without their line ends (LF or CRLF; None: a lone CR, old Mac)."""
    text_lines = text.split("\n")
    if text_lines and text_lines[-1] == "":
        text_lines.pop()
    if "\r" in text:
        text_lines = [x[:-1] if x.endswith("\r") else x for x in text_lines]
        if any("\r" in x for x in text_lines):
            return None
    return text_lines


def _read_frame(
    data: bytes, text: str, utf8_bytes: bool, options: dict[str, Any]
) -> pd.DataFrame | None:
    """``pandas.read_csv`` with ``options``: from the bytes when they may be UTF-8
    (``utf8_bytes``: no encoding given in the map; no UTF-16 BOM), else or for GB18030
    text from the decoded ``text``; None where the parser fails (more fields than the
    header somewhere, a stray quote ...)."""
    if utf8_bytes and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # the text was read as UTF-8 if it is UTF-8: the parser reads those bytes directly
        # (the same text; from a str it would encode it to UTF-8 first)
        try:
            return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", **options)
        except UnicodeDecodeError:
            pass  # GB18030 text: parsed from the decoded text below
        except (pd.errors.ParserError, ValueError, csv.Error):
            return None
    try:
        return pd.read_csv(io.StringIO(text), **options)
    except (pd.errors.ParserError, ValueError, csv.Error):
        return None


def _line_reader(
    text_lines: list[str], delimiter: str, first: dict[str, int]
) -> Callable[[list[int], list[str]], dict[str, list[str | None]]]:
    """Reads given lines (1-based) again with the ``csv`` module: the fields of the given
    source headers, None past a short record's end."""

    def read_lines(at: list[int], sources: list[str]) -> dict[str, list[str | None]]:
        recs = _with_field_limit(
            lambda: list(csv.reader((text_lines[x - 1] for x in at), delimiter=delimiter))
        )
        return {s: [r[first[s]] if first[s] < len(r) else None for r in recs] for s in sources}

    return read_lines


def _holds_text(col: pd.Series) -> bool:
    """Whether any field of the column is more than white space."""
    fields = col.to_numpy()
    return any(v.strip() for v in fields[fields != ""].tolist())


def _first_records(text_lines: list[str], delimiter: str) -> list[tuple[int, list[str]]]:
    """The first non-empty CSV records with their start line (as :func:`_csv_records`)."""
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


__all__ = ["CSV_FIELD_LIMIT", "CsvTable", "decode", "first_columns", "read_csv_table"]

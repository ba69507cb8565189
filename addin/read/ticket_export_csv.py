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

from udfs.core.data import Finding
from udfs.core.errors import InputError
from udfs.core.problems import Problem

from .import_map import DELIMITER_NAMES, ImportMap, message
from .safety import Limits, check_size

ENCODINGS: dict[str, tuple[str, str]] = {
    # why an export's text is not read without an [options] encoding (English, 简体中文)
    "export_ambiguous_encoding": (
        "{export}: the text is not UTF-8 and reads two ways: as Windows-1252 ({latin}) and "
        'as GB18030 ({gb}); set [options] encoding = "cp1252" or "gb18030" in the map',
        "{export}：文本不是 UTF-8，且可按两种编码读取：Windows-1252（{latin}）与 GB18030"
        '（{gb}）；请在映射文件的 [options] 中设置 encoding = "cp1252" 或 "gb18030"',
    ),
}
"""Refusals of :func:`decode` (a :class:`~udfs.core.problems.Problem` catalogue)."""

_CJK = frozenset(
    {"gb18030", "gbk", "gb2312", "cp936", "hz", "big5", "big5hkscs", "cp950", "cp949",
     "euc_kr", "johab", "cp932", "shift_jis", "shift_jis_2004", "euc_jp", "euc_jis_2004"}
)  # fmt: skip

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
    ragged: list[tuple[int, int]] = field(default_factory=list)
    """(line, fields) of each record with another number of fields than the header: one
    with more (an unquoted delimiter in a text) is left out, one with fewer is read."""

    def notes(self, lang: str) -> list[Finding]:
        """A finding per ragged record: its line and both field counts."""
        n = len(self.headers)
        out = []
        for line, got in self.ragged:
            code = "csv_too_many_fields" if got > n else "csv_too_few_fields"
            severity: Any = "error" if got > n else "warning"
            params = {"got": got, "n": n}
            out.append(Finding.of(code, f"{self.name}:{line}", "", "", "", params, lang, severity))
        return out


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` for text written in UTF-16 without a byte-order mark
    (every other byte of its ASCII a NUL), else None."""
    head = data[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 0.4 * len(head[1::2]) and even < 0.1 * len(head[0::2]):
        return "utf-16-le"
    if even > 0.4 * len(head[0::2]) and odd < 0.1 * len(head[1::2]):
        return "utf-16-be"
    return None


def _sample(text: str) -> str:
    """The first word holding a non-ASCII character, quoted (for a message)."""
    for word in text.replace(",", " ").replace(";", " ").split():
        if any(ord(ch) > 127 for ch in word):
            return repr(word[:30])
    return "''"


def _not_utf8(data: bytes, name: str, lang: str) -> str | None:
    """Text that is not UTF-8: GB18030 when a detector (charset-normalizer) finds Chinese
    text; refused when it reads as a Western code page as well (never mojibake such as
    M黮ler for Müller)."""
    try:
        gb = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    try:
        latin = data.decode("cp1252")
    except UnicodeDecodeError:
        return gb  # not Windows-1252: GB18030 it is
    verdict = _chinese_or_western(gb, latin)
    if verdict == "zh":
        return gb
    if verdict is None:  # neither reading is clearly right: a detector decides
        import charset_normalizer

        best = charset_normalizer.from_bytes(data[:200_000]).best()
        if best is not None and best.encoding in _CJK:  # Chinese (or East Asian) text
            return gb
    params = {"export": name, "latin": _sample(latin), "gb": _sample(gb)}
    raise InputError(Problem("export_ambiguous_encoding", params, ENCODINGS), lang)


def _chinese_or_western(gb: str, latin: str) -> str | None:
    """ "zh" when the GB18030 reading looks like Chinese and the Windows-1252 one like
    mojibake, "latin" for the reverse, None when it is not clear.  Chinese characters
    read from Western text sit inside Latin words (M黮ler); Western letters read from
    Chinese text come with symbols (¿Í»§·´Ó³)."""
    cjk = glued = 0
    for i, ch in enumerate(gb):
        if "\u4e00" <= ch <= "\u9fff":
            cjk += 1
            near = gb[i - 1 : i] + gb[i + 1 : i + 2]
            glued += any(c.isascii() and c.isalpha() for c in near)
    high = [ch for ch in latin if ord(ch) > 127]
    alpha = sum(ch.isalpha() for ch in high) / len(high) if high else 1.0
    if cjk and glued / cjk < 0.3 and alpha < 0.9:
        return "zh"
    if (not cjk or glued / cjk >= 0.3) and alpha >= 0.9:
        return "latin"
    return None


def decode(data: bytes, name: str, encoding: str | None, lang: str) -> str:
    """The export's text: the map's ``encoding``, else by its byte-order mark (UTF-8,
    UTF-16), else UTF-16 without a mark, else UTF-8, else GB18030 (a superset of GBK)
    when it is not Windows-1252 text as well (:func:`_not_utf8`)."""
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
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = _not_utf8(data, name, lang)
    if text is not None:
        return text
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
    n = len(headers)
    ragged = [
        (line, _width(rec) if len(rec) > n else len(rec))
        for line, rec in records[best + 1 :]
        if len(rec) < n or _width(rec) > n
    ]
    long = {line for line, got in ragged if got > n}
    body = [(line, rec) for line, rec in records[best + 1 :] if line not in long]
    first = first_columns(headers)
    columns: dict[str, Fields] = {}
    for s in sorted(imap.wanted(headers) & set(first), key=first.__getitem__):
        j = first[s]
        columns[s] = [rec[j] if j < len(rec) else None for _, rec in body]
    lines = np.fromiter((line for line, _ in body), dtype=np.int64, count=len(body))
    return CsvTable(name, headers, header_line, lines, columns, any_rows=bool(body), ragged=ragged)


def _width(rec: list[Any]) -> int:
    """Fields of a record, blank fields at its end beyond the first not counted."""
    n = len(rec)
    while n > 1 and rec[n - 1] is None:
        n -= 1
    return max(n, 1)


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
    wanted = (first_map or imap).wanted(headers)
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
    if not any(_holds_text(frame[first[s]]) for s in (first_map or imap).sources):
        return None
    columns: dict[str, Fields] = {s: frame[first[s]] for s in sorted(wanted, key=first.__getitem__)}
    del frame
    # records blank in every field stay: blank in every mapped column, the conversion
    # drops them as it drops the records blank in the mapped columns only
    lines = np.arange(header_line + 1, header_line + 1 + body, dtype=np.int64)
    ragged = _ragged_lines(text_lines[header_line:], header_line + 1, delimiter, len(headers))
    if any(got > len(headers) for _, got in ragged):
        return None  # a record with too many fields: read by records, which leave it out
    read_lines = None if first_map is None else _line_reader(text_lines, delimiter, first)
    longest = max(map(len, text_lines), default=0)
    if first_map is None:
        del text_lines  # only read_lines reads them again; a million rows hold ~300 MB
    return CsvTable(name, headers, header_line, lines, columns, True, longest, read_lines, ragged)


def _ragged_lines(lines: list[str], first: int, delimiter: str, n: int) -> list[tuple[int, int]]:
    """(line, fields) of the lines (the first numbered ``first``) whose field count is not
    ``n``; a line with a quote is split by the ``csv`` module, others by counting."""
    out = []
    for i, x in enumerate(lines):
        got = x.count(delimiter) + 1
        if '"' in x:
            try:
                rec = next(csv.reader([x], delimiter=delimiter), [])
            except csv.Error:
                continue
            got = len(rec)
            if got > n and not any(f.strip() for f in rec[n:]):
                continue
        elif got > n and not x.split(delimiter, n)[-1].strip(delimiter + " \t"):
            continue  # only empty fields beyond the header's
        if got != n and x.strip(delimiter + " \t"):
            out.append((first + i, got))
    return out


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

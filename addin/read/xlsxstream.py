"""A fast, flat-memory reader of very large xlsx worksheets (streamed, row by row).

calamine loads a whole worksheet into memory (a 1,048,576-row monitoring sheet needs about
2 GB); openpyxl's read-only mode streams it but builds an XML element and a cell object for
every cell, about 5x slower than calamine.  This module feeds the worksheet's XML, as it
is decompressed, to expat and keeps only the current row: memory stays flat and the time
per cell is a few handler calls.

It reads what the CSQ reader needs, the values as Excel last saved them:

- numbers (``float``; ``int`` when written without a decimal point or exponent), shared
  and inline strings (rich-text runs joined, phonetic runs left out), booleans, error
  values as their text (``#N/A``), formula results (cached values);
- numbers in a date or time number format become ``datetime`` (1900 and 1904 date
  systems), like calamine and openpyxl do;
- rows come from row 1 and column A, blank rows included, blanks as ``""``, so the row
  and column of every value is its position.

XML safety: the zip and every part were checked before (``addin.read.safety``: size, ratio,
no ``<!DOCTYPE``); the parser refuses a DTD again and expat fetches no external entities.
"""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.parsers import expat

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SEP = "}"  # expat namespace separator: "uri}local"
_CHUNK = 1 << 20

# Built-in number formats that show a date or time (ECMA-376 18.8.30, plus the CJK ids).
_DATE_IDS = frozenset({*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)})
_STRIP = re.compile(r'"[^"]*"|\\.|\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]|_.|\*.', re.I)
_DATE_TOKENS = re.compile(r"[ymdhs]|上午|下午|AM/PM|A/P", re.I)
_ELAPSED = re.compile(r"\[(h|hh|m|mm|s|ss)\]", re.I)


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_text(text: str) -> str:
    """A cell text with OOXML's ``_xHHHH_`` escapes (how a control character such as
    U+0001 is stored) turned back into characters, left to right, as calamine does."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def is_date_format(code: str) -> bool:
    """Whether a custom number format shows a date or time (quoted text, escaped
    characters, colours and conditions are not date tokens; ``[h]`` elapsed time is)."""
    section = code.split(";", 1)[0]
    return bool(_DATE_TOKENS.search(_STRIP.sub("", section)))


def col_index(ref: str) -> int:
    """0-based column of a cell reference (``"AB12"`` -> 27); reads the leading letters."""
    n = 0
    for ch in ref:
        o = ord(ch)
        if 65 <= o <= 90:
            n = n * 26 + o - 64
        elif 97 <= o <= 122:
            n = n * 26 + o - 96
        else:
            break
    return n - 1


def _feed(parser: Any, stream: IO[bytes]) -> Iterator[None]:
    """Feed ``stream`` to ``parser`` a chunk at a time; yield after each chunk."""
    while True:
        chunk = stream.read(_CHUNK)
        parser.Parse(chunk, not chunk)
        yield
        if not chunk:
            return


def _refuse_dtd(*_: Any) -> None:
    raise ValueError("XML with a document type declaration (DTD) is refused")


def _parser() -> Any:
    p = expat.ParserCreate(namespace_separator=_SEP)
    p.buffer_text = True
    p.buffer_size = 1 << 16
    # Checked before (addin.read.safety), refused again here: no DTD, so no entities to expand.
    p.StartDoctypeDeclHandler = _refuse_dtd
    p.EntityDeclHandler = _refuse_dtd
    return p


def _shared_strings(zf: zipfile.ZipFile, part: str | None) -> list[str]:
    if not part or part not in zf.namelist():
        return []
    out: list[str] = []
    buf: list[str] = []
    state = {"in_t": False, "skip": 0}
    si, t, rph = f"{_MAIN}{_SEP}si", f"{_MAIN}{_SEP}t", f"{_MAIN}{_SEP}rPh"

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == t and not state["skip"]:
            state["in_t"] = True
        elif name == rph:
            state["skip"] += 1
        elif name == si:
            buf.clear()

    def end(name: str) -> None:
        if name == t:
            state["in_t"] = False
        elif name == rph:
            state["skip"] -= 1
        elif name == si:
            out.append(unescape_text("".join(buf)))

    def text(data: str) -> None:
        if state["in_t"]:
            buf.append(data)

    p = _parser()
    p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, text
    with zf.open(part) as f:
        for _ in _feed(p, f):
            pass
    return out


def _date_styles(zf: zipfile.ZipFile, part: str | None) -> dict[int, bool]:
    """Cell formats (``s`` attribute) whose number format is a date or time: index ->
    whether it is an elapsed time (``[h]:mm``, read as a duration)."""
    if not part or part not in zf.namelist():
        return {}
    custom: dict[int, str] = {}
    xfs: list[int] = []
    depth = {"cellXfs": False}
    nf, cx, xf = f"{_MAIN}{_SEP}numFmt", f"{_MAIN}{_SEP}cellXfs", f"{_MAIN}{_SEP}xf"

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == nf:
            try:
                custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
            except ValueError:
                pass
        elif name == cx:
            depth["cellXfs"] = True
        elif name == xf and depth["cellXfs"]:
            try:
                xfs.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xfs.append(0)

    def end(name: str) -> None:
        if name == cx:
            depth["cellXfs"] = False

    p = _parser()
    p.StartElementHandler, p.EndElementHandler = start, end
    with zf.open(part) as f:
        for _ in _feed(p, f):
            pass
    return {
        i: bool(_ELAPSED.search(custom.get(fid, "[h]" if fid == 46 else "")))
        for i, fid in enumerate(xfs)
        if (is_date_format(custom[fid]) if fid in custom else fid in _DATE_IDS)
    }


def _from_serial(serial: float, elapsed: bool, date1904: bool, epoch: _dt.datetime) -> Any:
    """A date-formatted number as Python sees it (the rules of openpyxl's ``from_excel``):
    elapsed time -> timedelta; a time of day alone -> time; else datetime, milliseconds.
    A number outside Python's calendar (e.g. -1e14 formatted as a date) stays a number,
    for the converter to report by its address."""
    try:
        if elapsed:
            return _dt.timedelta(days=serial)
        day, fraction = divmod(serial, 1)
        diff = _dt.timedelta(milliseconds=round(fraction * 86_400_000))
        if 0 <= serial < 1 and diff.days == 0:
            return (_dt.datetime.min + diff).time()
        if not date1904 and 0 < serial < 60:
            day += 1  # Excel's phantom 1900-02-29
        return epoch + _dt.timedelta(days=day) + diff
    except (OverflowError, ValueError):
        return serial


class StreamedBook:
    """The worksheets of an xlsx (bytes or file), read on demand with :class:`StreamedSheet`."""

    def __init__(self, source: IO[bytes]) -> None:
        self.zf = zipfile.ZipFile(source)
        names = set(self.zf.namelist())

        def rels_of(part: str) -> dict[str, tuple[str, str]]:
            folder, _, base = part.rpartition("/")
            rels = f"{folder}/_rels/{base}.rels"
            if rels not in names:
                return {}
            out: dict[str, tuple[str, str]] = {}

            def start(name: str, attrs: dict[str, str]) -> None:
                if name == f"{_PKG_REL}{_SEP}Relationship":
                    target = attrs.get("Target", "")
                    path = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
                    out[attrs.get("Id", "")] = (attrs.get("Type", "").rsplit("/", 1)[-1], path)

            p = _parser()
            p.StartElementHandler = start
            p.Parse(self.zf.read(rels), True)
            return out

        wb_rels = rels_of("xl/workbook.xml")
        self.sheets: dict[str, str] = {}
        self.date1904 = False

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == f"{_MAIN}{_SEP}sheet":
                rel = wb_rels.get(attrs.get(f"{_REL}{_SEP}id", ""))
                if rel and rel[0] == "worksheet":
                    self.sheets[attrs.get("name", "")] = rel[1]
            elif name == f"{_MAIN}{_SEP}workbookPr":
                self.date1904 = attrs.get("date1904", "0").lower() in ("1", "true")

        p = _parser()
        p.StartElementHandler = start
        p.Parse(self.zf.read("xl/workbook.xml"), True)
        by_type = {typ: path for typ, path in wb_rels.values()}
        self.strings = _shared_strings(self.zf, by_type.get("sharedStrings"))
        self.date_styles = _date_styles(self.zf, by_type.get("styles"))

    @property
    def names(self) -> list[str]:
        return list(self.sheets)

    def sheet(self, name: str) -> StreamedSheet:
        return StreamedSheet(self, self.sheets[name])

    def close(self) -> None:
        self.zf.close()


class StreamedSheet:
    """One worksheet: ``iter_rows()`` yields each row as a list from column A."""

    start = (0, 0)
    merged_cell_ranges: list[Any] = []  # the sheet's end is not read ahead of its rows

    def __init__(self, book: StreamedBook, part: str) -> None:
        self.book = book
        self.part = part

    def to_python(self, skip_empty_area: bool = False) -> list[list[Any]]:
        return list(self.iter_rows())

    def iter_rows(self) -> Iterator[list[Any]]:  # noqa: C901 - one tight state machine
        book = self.book
        strings, date_styles = book.strings, book.date_styles
        epoch = _dt.datetime(1904, 1, 1) if book.date1904 else _dt.datetime(1899, 12, 30)
        done: list[list[Any]] = []
        row: list[Any] = []
        text: list[str] = []
        cols: dict[str, int] = {}
        st: dict[str, Any] = {"r": 0, "c": -1, "t": "n", "s": 0, "in": False, "rph": 0}
        ROW, C, V, T, IS = (f"{_MAIN}{_SEP}{x}" for x in ("row", "c", "v", "t", "is"))
        RPH = f"{_MAIN}{_SEP}rPh"

        def start(name: str, attrs: dict[str, str]) -> None:
            if name == C:
                ref = attrs.get("r")
                if ref is None:
                    st["c"] += 1
                else:
                    letters = ref.rstrip("0123456789")
                    c = cols.get(letters)
                    if c is None:
                        c = cols[letters] = col_index(letters)
                    st["c"] = c
                st["t"] = attrs.get("t", "n")
                s = attrs.get("s")
                st["s"] = int(s) if s else 0
                text.clear()
            elif name == V or (name == T and st["t"] == "inlineStr" and not st["rph"]):
                st["in"] = True
            elif name == ROW:
                r = attrs.get("r")
                n = int(r) if r else st["r"] + 1
                while st["r"] < n - 1:  # blank rows Excel did not write
                    done.append([])
                    st["r"] += 1
                st["r"] = n
                st["c"] = -1
                row.clear()
            elif name == RPH:
                st["rph"] += 1
            elif name == IS:
                text.clear()

        def end(name: str) -> None:
            if name == C:
                if not text:
                    return
                raw = "".join(text)
                t = st["t"]
                value: Any
                if t == "n":
                    if not raw:
                        return
                    if "." in raw or "e" in raw or "E" in raw:
                        value = float(raw)
                    else:
                        value = int(raw)
                    elapsed = date_styles.get(st["s"])
                    if elapsed is not None:
                        value = _from_serial(float(value), elapsed, book.date1904, epoch)
                elif t == "s":
                    value = strings[int(raw)]
                elif t == "b":
                    value = raw.strip() in ("1", "true")
                elif t == "d":
                    value = _dt.datetime.fromisoformat(raw.strip().rstrip("Z"))
                elif t == "inlineStr":
                    value = unescape_text(raw)
                elif t == "e":  # #N/A, #DIV/0!, ...: blank, as python-calamine gives them
                    value = ""
                else:  # str (formula text)
                    value = raw
                c = st["c"]
                if c >= len(row):
                    row.extend([""] * (c - len(row) + 1))
                row[c] = value
            elif name == V or name == T:
                st["in"] = False
            elif name == ROW:
                done.append(row[:])
            elif name == RPH:
                st["rph"] -= 1

        def chars(data: str) -> None:
            if st["in"]:
                text.append(data)

        p = _parser()
        p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, chars
        with book.zf.open(self.part) as f:
            for _ in _feed(p, f):
                if done:
                    yield from done
                    done.clear()

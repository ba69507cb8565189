"""Cells holding a formula error (#DIV/0!, #VALUE!, #N/A, #REF!, ...) or a number that is
none (``NaN``, ``INF`` written by another program): the readers give them as blanks, so
they are found in the worksheet XML (``t="e"`` cells, ``<v>NaN</v>``) and each one in a
column CSQ reads becomes a finding naming the value; a critical-error cell holding one
counts as a critical error (an error never clears one)."""

from __future__ import annotations

import re
import zipfile

import pandas as pd

from udfs.core.data import Finding
from udfs.core.problems import Text
from workbook_templates.schema import Sheet, col_letter

from .blocks import col_index

CHUNK = 8 << 20
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b(?=[^>]*\bt="e")([^>]*)>(.*?)</(?:\w+:)?c>', re.S)
_CLOSE = re.compile(rb"</(?:\w+:)?c>")
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</")
_NOT_FINITE = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>(?:<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>))?"
    rb"<(?:\w+:)?v>\s*([-+]?(?:nan|inf(?:inity)?))\s*</(?:\w+:)?v>",
    re.I,
)
_NOT_FINITE_HINT = re.compile(rb"v>\s*[-+]?[nNiI]")  # a <v> starting like NaN or INF: cheap


def error_cells(zf: zipfile.ZipFile | None, part: str | None) -> dict[tuple[int, int], str]:
    """``(Excel row, 0-based column) -> error text`` of every formula-error cell of a
    worksheet part, read a slice at a time ({} when the part is unknown)."""
    if zf is None or part is None:
        return {}
    out: dict[tuple[int, int], str] = {}
    try:
        with zf.open(part) as fh:
            carry = b""
            while True:
                chunk = fh.read(CHUNK)
                buf = carry + chunk
                if not chunk:
                    scan_errors(buf, out)
                    break
                tail = len(buf) - 65536 if len(buf) > 65536 else 0
                ends = [m.end() for m in _CLOSE.finditer(buf, tail)]
                if not ends:
                    carry = buf
                    continue
                scan_errors(buf[: ends[-1]], out)
                carry = buf[ends[-1] :]
    except (KeyError, OSError, zipfile.BadZipFile, EOFError):
        return out
    return out


def scan_errors(buf: bytes, out: dict[tuple[int, int], str]) -> None:
    """Add the error and NaN/INF cells of ``buf`` (worksheet XML ending at a cell's end:
    a slice of rows) to ``out``, ``(Excel row, 0-based column) -> text``.  Two quick
    passes find whether there is anything to look at (a regex alternation of both is five
    times slower)."""
    if _NOT_FINITE_HINT.search(buf):
        for m in _NOT_FINITE.finditer(buf):
            ref = _REF.search(m.group(1))
            if ref is not None and b't="' not in m.group(1).replace(b't="n"', b""):
                out[(int(ref.group(2)), col_index(ref.group(1).decode()))] = m.group(2).decode()
    if b't="e"' not in buf:
        return
    for m in _ERROR_CELL.finditer(buf):
        ref = _REF.search(m.group(1))
        val = _VALUE.search(m.group(2))
        if ref is None:
            continue
        text = val.group(1).decode("utf-8", "replace") if val else "#ERROR"
        out[(int(ref.group(2)), col_index(ref.group(1).decode()))] = text


def error_findings(
    s: Sheet,
    name: str,
    cols: dict[str, int],
    header_row: int,
    df: pd.DataFrame,
    errors: dict[tuple[int, int], str],
    lang: str,
) -> list[Finding]:
    """A finding per error cell in a column read (``cols``: key -> 0-based column) below
    the header row (0-based ``header_row``); a critical-error cell's error is put in
    ``df`` as the contact's critical error."""
    if not errors:
        return []
    by_col = {j: key for key, j in cols.items()}
    columns = {c.key: c for c in s.columns}
    out: list[Finding] = []
    crit: dict[int, str] = {}
    for (row, j), text in sorted(errors.items()):
        key = by_col.get(j)
        if key is None or row <= header_row + 1 or key not in columns:
            continue
        c = columns[key]
        header = Text(c.header("en"), c.header("zh"))
        if not text.startswith("#"):  # NaN / INF: a number that is none
            code = "not_finite_critical" if key == "critical_error" else "not_finite"
        else:
            code = "formula_error_critical" if key == "critical_error" else "formula_error"
        cell = f"{col_letter(j)}{row}"
        out.append(Finding.of(code, name, cell, key, text, {"header": header}, lang))
        if key == "critical_error":
            crit[row] = text
    if crit and "critical_error" in df.columns and "_row" in df.columns:
        at = df["_row"].map(crit)
        df["critical_error"] = df["critical_error"].where(at.isna(), at)
    return out

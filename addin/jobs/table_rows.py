"""Appending rows to an Excel Table inside an xlsx package, at the XML level.

:func:`append_table_rows` writes new rows into the Table named ``Actions`` (any Table by
name) the way a user adds them in Excel: into the blank rows below the last filled row,
and when the Table has no blank rows left, below it with the Table grown (its ``ref`` and
``autoFilter``), the per-row formulas of the row above carried down and the array formulas
and conditional-format / validation ranges that ended at the Table's last row extended.
Only the sheet's XML, the Table's XML and (for the "to be filled" highlight) ``styles.xml``
change; every other part of the package is copied byte for byte, in its order and with its
compression.  Works on a protected sheet (cells keep their column's locked/unlocked style).

XML from the input is parsed with DTDs and entities refused (``addin.read.safety``) and
edited with lxml, which keeps the parts' namespace prefixes as Excel wrote them.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from workbook_templates.output import write_atomic
from workbook_templates.schema import col_letter

from ..read.safety import parse_xml

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_NS = "http://www.w3.org/XML/1998/namespace"
HIGHLIGHT_RGB = "FFFFF2CC"
"""The fill of a cell left for the user to fill (a light yellow)."""

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


class TableNotFound(Exception):
    """The package has no Table of that name."""


@dataclass(frozen=True)
class Appended:
    """Where the rows went: the sheet part, first and last Excel row, whether it grew."""

    sheet_part: str
    first_row: int
    last_row: int
    grew: bool


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _parse(data: bytes) -> Any:
    parse_xml(data)  # refuses DTDs, entities and external references before lxml sees it
    return etree.fromstring(data, _PARSER)


def _dump(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


def col_index(letters: str) -> int:
    """Excel column letters -> 0-based index (A -> 0)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _ref(ref: str) -> tuple[int, int, int, int]:
    m = _REF.match(ref.strip())
    if not m:
        raise ValueError(ref)
    c0, r0 = col_index(m.group(1)), int(m.group(2))
    c1 = col_index(m.group(3)) if m.group(3) else c0
    r1 = int(m.group(4)) if m.group(4) else r0
    return c0, r0, c1, r1


def _cell_ref(ref: str) -> tuple[int, int]:
    m = re.match(r"^([A-Z]{1,3})(\d+)$", ref)
    if not m:
        raise ValueError(ref)
    return col_index(m.group(1)), int(m.group(2))


def find_table(z: zipfile.ZipFile, name: str) -> tuple[str, str, Any]:
    """The Table part named ``name`` (case-insensitive), the sheet part holding it, and the
    Table's parsed XML."""
    want = name.casefold()
    table_part = ""
    table_root = None
    for n in z.namelist():
        if re.fullmatch(r"xl/tables/[^/]+\.xml", n):
            root = _parse(z.read(n))
            if want in {
                str(root.get("name", "")).casefold(),
                str(root.get("displayName", "")).casefold(),
            }:
                table_part, table_root = n, root
                break
    if table_root is None:
        raise TableNotFound(name)
    for n in z.namelist():
        m = re.fullmatch(r"xl/worksheets/_rels/([^/]+)\.rels", n)
        if not m:
            continue
        rels = _parse(z.read(n))
        for rel in rels:
            target = str(rel.get("Target", ""))
            path = posixpath.normpath(posixpath.join("xl/worksheets", target)).lstrip("/")
            if target.startswith("/"):
                path = target.lstrip("/")
            if path == table_part:
                return table_part, f"xl/worksheets/{m.group(1)}", table_root
    raise TableNotFound(name)


def _cell_has_value(c: Any) -> bool:
    v = c.find(_q("v"))
    if v is not None and (v.text or "").strip():
        return True
    t = c.find(f"{_q('is')}/{_q('t')}")
    if t is not None and (t.text or "").strip():
        return True
    return any((x.text or "").strip() for x in c.iter(_q("t")))


class _Styles:
    """``styles.xml``'s cell formats, with a highlighted twin made on demand."""

    def __init__(self, data: bytes | None) -> None:
        self.root = _parse(data) if data is not None else None
        self.twins: dict[int, int] = {}
        self.fill_id: int | None = None

    def highlighted(self, base: int) -> int:
        if self.root is None:
            return base
        if base in self.twins:
            return self.twins[base]
        fills = self.root.find(_q("fills"))
        xfs = self.root.find(_q("cellXfs"))
        if fills is None or xfs is None:
            return base
        if self.fill_id is None:
            fill = etree.SubElement(fills, _q("fill"))
            pat = etree.SubElement(fill, _q("patternFill"), patternType="solid")
            etree.SubElement(pat, _q("fgColor"), rgb=HIGHLIGHT_RGB)
            etree.SubElement(pat, _q("bgColor"), indexed="64")
            fills.set("count", str(len(fills.findall(_q("fill")))))
            self.fill_id = len(fills.findall(_q("fill"))) - 1
        items = xfs.findall(_q("xf"))
        src = items[base] if 0 <= base < len(items) else items[0]
        twin = etree.fromstring(etree.tostring(src))
        twin.set("fillId", str(self.fill_id))
        twin.set("applyFill", "1")
        xfs.append(twin)
        xfs.set("count", str(len(xfs.findall(_q("xf")))))
        self.twins[base] = len(xfs.findall(_q("xf"))) - 1
        return self.twins[base]

    def changed(self) -> bool:
        return bool(self.twins)


def _col_styles(sheet: Any) -> dict[int, int]:
    out: dict[int, int] = {}
    cols = sheet.find(_q("cols"))
    for col in cols.findall(_q("col")) if cols is not None else []:
        if col.get("style") is None:
            continue
        for i in range(int(col.get("min")) - 1, int(col.get("max"))):
            out[i] = int(col.get("style"))
    return out


def _shift_formula(text: str, delta: int) -> str:
    """A formula copied ``delta`` rows down: relative A1 row numbers outside string
    literals move with it (structured references need nothing)."""
    if not delta:
        return text
    parts = re.split(r'("(?:[^"]|"")*")', text)
    ref = re.compile(r"(?<![A-Za-z_\[\]!.])(\$?[A-Z]{1,3})(\$?)(\d+)(?![\d(A-Za-z_])")

    def move(m: re.Match[str]) -> str:
        if m.group(2) == "$":
            return m.group(0)
        return f"{m.group(1)}{int(m.group(3)) + delta}"

    return "".join(p if i % 2 else ref.sub(move, p) for i, p in enumerate(parts))


def _extend_sqref(sqref: str, old_last: int, new_last: int, c0: int, c1: int) -> str:
    out = []
    for part in sqref.split():
        try:
            a, r0, b, r1 = _ref(part)
        except ValueError:
            out.append(part)
            continue
        if r1 == old_last and c0 <= a and b <= c1 and r0 <= old_last:
            out.append(f"{col_letter(a)}{r0}:{col_letter(b)}{new_last}")
        else:
            out.append(part)
    return " ".join(out)


def append_table_rows(
    src: str | Path,
    out: str | Path,
    table: str,
    header_keys: Mapping[str, str],
    rows: Sequence[Mapping[str, Any]],
    highlight: Sequence[str] = (),
) -> Appended:
    """Write ``rows`` (column key -> value; None = blank) into Table ``table`` of ``src``
    and save the package as ``out`` atomically (``out`` may be ``src``).

    ``header_keys``: normalised Table header -> column key (how the Table's columns are
    recognised); ``highlight``: keys whose cells get the "to be filled" fill.  Text is
    always written as text (an inline string), never as a formula."""
    with zipfile.ZipFile(src) as z:
        table_part, sheet_part, troot = find_table(z, table)
        sheet = _parse(z.read(sheet_part))
        styles_part = "xl/styles.xml" if "xl/styles.xml" in z.namelist() else None
        styles = _Styles(z.read(styles_part) if styles_part else None)
        c0, r0, c1, r1 = _ref(troot.get("ref"))
        header_rows = int(troot.get("headerRowCount", "1"))
        totals = int(troot.get("totalsRowCount", "0"))
        first_data = r0 + header_rows
        last_data = r1 - totals
        names = [tc.get("name", "") for tc in troot.find(_q("tableColumns"))]
        key_col = {}
        for i, n in enumerate(names):
            k = header_keys.get(_norm(n))
            if k and k not in key_col:
                key_col[k] = c0 + i
        sheet_data = sheet.find(_q("sheetData"))
        by_row = {int(r.get("r")): r for r in sheet_data.findall(_q("row")) if r.get("r")}
        last_used = first_data - 1
        for rn, row in by_row.items():
            if first_data <= rn <= last_data:
                for c in row.findall(_q("c")):
                    ci, _ = _cell_ref(c.get("r"))
                    if c0 <= ci <= c1 and c.find(_q("f")) is None and _cell_has_value(c):
                        last_used = max(last_used, rn)
        start = last_used + 1
        end = start + len(rows) - 1
        grew = end > last_data
        col_style = _col_styles(sheet)
        template = by_row.get(last_data)
        masters = {
            f.get("si"): (f.text or "", _cell_ref(c.get("r"))[1])
            for c in sheet_data.iter(_q("c"))
            for f in c.findall(_q("f"))
            if f.get("t") == "shared" and f.get("ref") and f.text
        }
        for j, values in enumerate(rows):
            rn = start + j
            row = by_row.get(rn)
            if row is None:
                row = _new_row(sheet_data, by_row, rn, template, masters, last_data, c0, c1)
            for key, value in values.items():
                if key not in key_col:
                    continue
                if value is None and key not in highlight:
                    continue
                ci = key_col[key]
                cell = _cell(row, ci, rn)
                base = int(cell.get("s")) if cell.get("s") is not None else col_style.get(ci, 0)
                cell.set("s", str(styles.highlighted(base) if key in highlight else base))
                _set_value(cell, value)
            for key in highlight:
                if key in key_col and key not in values:
                    ci = key_col[key]
                    cell = _cell(row, ci, rn)
                    base = int(cell.get("s")) if cell.get("s") is not None else col_style.get(ci, 0)
                    cell.set("s", str(styles.highlighted(base)))
        if grew:
            new_last = end + totals
            ref = f"{col_letter(c0)}{r0}:{col_letter(c1)}{new_last}"
            troot.set("ref", ref)
            af = troot.find(_q("autoFilter"))
            if af is not None:
                af.set("ref", f"{col_letter(c0)}{r0}:{col_letter(c1)}{end}")
            _grow_sheet(sheet, last_data, end)
        replaced = {sheet_part: _dump(sheet)}
        if grew:
            replaced[table_part] = _dump(troot)
        if styles_part and styles.changed():
            replaced[styles_part] = _dump(styles.root)

        def write(tmp: Path) -> None:
            with zipfile.ZipFile(tmp, "w") as zout:
                for info in z.infolist():
                    data = replaced.get(info.filename)
                    zout.writestr(info, data if data is not None else z.read(info.filename))

        write_atomic(out, write)
    return Appended(sheet_part, start, end, grew)


def _norm(text: str) -> str:
    from ..read.headers import norm_header

    return norm_header(text)


def _new_row(
    sheet_data: Any,
    by_row: dict[int, Any],
    rn: int,
    template: Any,
    masters: dict[str, tuple[str, int]],
    last_data: int,
    c0: int,
    c1: int,
) -> Any:
    """A new row element at ``rn`` (in row order), carrying down the per-row formulas of
    the Table's last row (the formula cells outside the array formulas)."""
    row = etree.Element(_q("row"), r=str(rn))
    if template is not None:
        for attr in ("s", "customFormat", "ht", "customHeight"):
            if template.get(attr) is not None:
                row.set(attr, template.get(attr))
        for c in template.findall(_q("c")):
            f = c.find(_q("f"))
            if f is None or f.get("t") == "array":
                continue
            text, at = f.text or "", last_data
            if f.get("t") == "shared":
                if not text and f.get("si") in masters:
                    text, at = masters[f.get("si")]
                elif not text:
                    continue
            ci, _ = _cell_ref(c.get("r"))
            nc = etree.SubElement(row, _q("c"), r=f"{col_letter(ci)}{rn}")
            if c.get("s") is not None:
                nc.set("s", c.get("s"))
            etree.SubElement(nc, _q("f")).text = _shift_formula(text, rn - at)
    later = [r for n, r in by_row.items() if n > rn]
    if later:
        min(later, key=lambda r: int(r.get("r"))).addprevious(row)
    else:
        sheet_data.append(row)
    by_row[rn] = row
    return row


def _cell(row: Any, ci: int, rn: int) -> Any:
    """The row's cell in column ``ci`` (made, in column order, when absent)."""
    ref = f"{col_letter(ci)}{rn}"
    for c in row.findall(_q("c")):
        cc, _ = _cell_ref(c.get("r"))
        if cc == ci:
            return c
        if cc > ci:
            new = etree.Element(_q("c"), r=ref)
            c.addprevious(new)
            return new
    return etree.SubElement(row, _q("c"), r=ref)


def _set_value(cell: Any, value: Any) -> None:
    for child in list(cell):
        cell.remove(child)
    for attr in ("t",):
        if attr in cell.attrib:
            del cell.attrib[attr]
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        text = str(value)
        cell.set("t", "inlineStr")
        is_ = etree.SubElement(cell, _q("is"))
        t = etree.SubElement(is_, _q("t"))
        t.text = text
        if text != text.strip():
            t.set(f"{{{XML_NS}}}space", "preserve")
        return
    etree.SubElement(cell, _q("v")).text = (
        repr(float(value)) if isinstance(value, float) else str(value)
    )


def _grow_sheet(sheet: Any, old_last: int, new_last: int) -> None:
    """The sheet's dimension, array formulas and the conditional-format and validation
    ranges that ended at the Table's old last row reach the new one."""
    dim = sheet.find(_q("dimension"))
    if dim is not None:
        try:
            a, r0, b, r1 = _ref(dim.get("ref"))
            if new_last > r1:
                dim.set("ref", f"{col_letter(a)}{r0}:{col_letter(b)}{new_last}")
        except ValueError:
            pass
    for f in sheet.iter(_q("f")):
        if f.get("t") == "array" and f.get("ref"):
            try:
                a, r0, b, r1 = _ref(f.get("ref"))
            except ValueError:
                continue
            if r1 == old_last:
                f.set("ref", f"{col_letter(a)}{r0}:{col_letter(b)}{new_last}")
    for tag in ("conditionalFormatting", "dataValidation"):
        for el in sheet.iter(_q(tag)):
            sq = el.get("sqref")
            if sq:
                el.set("sqref", _extend_sqref(sq, old_last, new_last, 0, 16383))

"""Very large worksheets read by calamine a slice of rows at a time (flat memory, Rust speed).

calamine parses a worksheet in Rust, but holds the whole sheet in memory: a 1,048,576-row
Monitoring sheet needs more than 2 GB.  The pure-Python expat stream
(:mod:`addin.files.xlsxstream`) keeps memory flat but spends a few Python calls on every
cell (about a minute for a million rows).  :class:`ChunkedSheet` does both halves well: it
decompresses the worksheet XML as a stream, cuts it at row boundaries into slices of about
:data:`SLICE_BYTES`, wraps each slice in a small in-memory workbook (the original's
workbook, relationships, styles and shared strings, unchanged) and lets calamine read that.
The values are calamine's own - the same numbers, texts, dates and booleans as for a sheet
loaded whole - and rows come from row 1 and column A, blank rows included, like
:class:`~addin.files.xlsxstream.StreamedSheet`, so the row and column of every value is its
position.

The worksheet and the parts copied were checked before (``addin.files.safety``: sizes,
ratios, no ``<!DOCTYPE``).  A worksheet whose XML does not have the usual shape (no
``sheetData``) is left to the expat stream.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import python_calamine as pc

SLICE_BYTES = 64_000_000
"""Worksheet XML per slice (about 60,000 monitoring rows): bounds the memory of one read."""
_READ = 1 << 24
_NEEDED = ("[Content_Types].xml", "_rels/.rels")
_ROOT = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)worksheet[\s>]")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*/>")


class NotSliceable(ValueError):
    """The worksheet XML has no ``sheetData`` element in the usual form."""


class ChunkedSheet:
    """One worksheet of an xlsx: ``iter_rows()`` yields each row as a list from column A."""

    start = (0, 0)
    merged_cell_ranges: list[Any] = []  # the sheet's end is not read ahead of its rows

    def __init__(self, zf: zipfile.ZipFile, part: str, sheet_name: str) -> None:
        self.zf = zf
        self.part = part
        self.name = sheet_name
        self._base = self._base_parts()
        self._head = self._read_head()

    def _base_parts(self) -> dict[str, bytes]:
        """Every part of the package but the worksheets: a slice is read as this workbook."""
        out: dict[str, bytes] = {}
        for info in self.zf.infolist():
            n = info.filename
            if n.startswith("xl/worksheets/") and not n.startswith("xl/worksheets/_rels/"):
                continue
            if n.startswith("xl/") or n in _NEEDED:
                out[n] = self.zf.read(info)
        return out

    def _read_head(self) -> tuple[bytes, bytes, bytes, bytes]:
        """(XML up to and with ``<sheetData>``, the rows already read, the row end tag,
        the sheetData end tag); raises NotSliceable."""
        self._stream = self.zf.open(self.part)
        buf = b""
        while True:
            block = self._stream.read(_READ)
            buf += block
            root = _ROOT.search(buf)
            if root:
                ns = root.group(1)
                open_tag = b"<" + ns + b"sheetData"
                i = buf.find(open_tag)
                if i >= 0:
                    j = buf.find(b">", i)
                    if j >= 0:
                        if buf[j - 1 : j] == b"/":  # <sheetData/>: no rows
                            raise NotSliceable("empty sheetData")
                        prefix = _DIMENSION.sub(b"", buf[: j + 1])
                        return (
                            prefix,
                            buf[j + 1 :],
                            b"</" + ns + b"row>",
                            b"</" + ns + b"sheetData>",
                        )
            if not block or len(buf) > 4 * _READ:
                raise NotSliceable("no sheetData")

    def _slices(self) -> Iterator[bytes]:
        prefix, buf, row_end, data_end = self._head
        self._head = (prefix, b"", row_end, data_end)  # the stream is read once
        blocks = [buf]
        held = len(buf)
        tail = b""  # the end of the previous block: a tag may straddle two blocks
        while True:
            block = blocks[-1]
            end = (tail + block).find(data_end)
            if end >= 0:  # the last rows
                data = b"".join(blocks)
                yield data[: held - len(block) - len(tail) + end]
                break
            if held >= SLICE_BYTES:
                data = b"".join(blocks)
                cut = data.rfind(row_end)
                if cut >= 0:
                    cut += len(row_end)
                    yield data[:cut]
                    rest = data[cut:]
                    blocks, held = [rest], len(rest)
                    tail = b""
                    del data
                    continue
            tail = block[-len(data_end) :]
            block = self._stream.read(_READ)
            if not block:
                raise NotSliceable("sheetData not closed")
            blocks.append(block)
            held += len(block)
        self._stream.close()

    def _read_slice(self, rows_xml: bytes) -> tuple[tuple[int, int] | None, list[list[Any]]]:
        prefix, _, _, data_end = self._head
        ns = data_end[2 : -len(b"sheetData>")]
        xml = b"".join((prefix, rows_xml, data_end, b"</" + ns + b"worksheet>"))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
            for n, data in self._base.items():
                z.writestr(n, data)
            z.writestr(self.part, xml)
        del xml
        out.seek(0)
        sheet = pc.CalamineWorkbook.from_filelike(out).get_sheet_by_name(self.name)
        if sheet.start is None:
            return None, []
        return sheet.start, sheet.to_python()

    def to_python(self, skip_empty_area: bool = False) -> list[list[Any]]:
        return list(self.iter_rows())

    def iter_rows(self) -> Iterator[list[Any]]:
        next_row = 0  # 0-based row the next yielded row stands for
        for rows_xml in self._slices():
            start, rows = self._read_slice(rows_xml)
            del rows_xml
            if start is None:
                continue
            row0, col0 = start  # to_python() starts at the slice's first used cell
            while next_row < row0:
                yield []
                next_row += 1
            pad = [""] * col0
            for row in rows:
                yield [*pad, *row] if col0 else row
                next_row += 1
            del rows


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> its part in the package (from workbook.xml and its relationships)."""
    from .safety import parse_xml

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    wb = parse_xml(zf.read("xl/workbook.xml"))
    rels = parse_xml(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out: dict[str, str] = {}
    for s in wb.iter(main + "sheet"):
        target = targets.get(s.get(rel + "id"), "")
        if target:
            out[s.get("name", "")] = (
                target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            )
    return out

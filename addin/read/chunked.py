"""Very large worksheets read by calamine a slice of rows at a time (flat memory, Rust speed).

calamine parses a worksheet in Rust, but holds the whole sheet in memory: a 1,048,576-row
Monitoring sheet needs more than 2 GB.  :class:`ChunkedSheet` decompresses the worksheet
XML as a stream, cuts it at row boundaries into slices of about :data:`SLICE_BYTES`, wraps
each slice in a small in-memory workbook (the original's workbook, relationships, styles
and shared strings, unchanged) and lets calamine read that.  The values are calamine's
own - the same numbers, texts, dates and booleans as for a sheet loaded whole - and rows
come from row 1 and column A, blank rows included, so the row and column of every value
is its position.  A slice calamine panics on is read by openpyxl instead
(``addin.read.openpyxl_rows``), that slice only.

The worksheet and the parts copied were checked before (``addin.read.safety``: sizes,
ratios, no ``<!DOCTYPE``).  A worksheet whose XML does not have the usual shape (no
``sheetData``) raises :class:`NotSliceable` and is read whole.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

import python_calamine as pc

from .error_cells import scan_errors
from .native_stderr import is_panic, note_panic
from .openpyxl_rows import openpyxl_rows

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

    merged_cell_ranges: list[Any] = []  # the sheet's end is not read ahead of its rows
    slice_bytes = SLICE_BYTES
    tail = b""
    """The worksheet XML from the end of ``sheetData`` on (once the last slice is read)."""
    error_cells: dict[tuple[int, int], str]
    """The formula-error and NaN/INF cells of the rows sliced so far
    (:func:`addin.read.error_cells.scan_errors`), found on the XML the slices are cut from,
    so the sheet is not decompressed a second time to find them."""
    scanned = False
    """Whether every row has been sliced (``error_cells`` is then the whole sheet's)."""

    def __init__(self, zf: zipfile.ZipFile, part: str, sheet_name: str) -> None:
        self.zf = zf
        self.part = part
        self.name = sheet_name
        self._base = self._base_parts()
        self._head = self._read_head()
        self.error_cells = {}

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
        """The rows XML a slice at a time, each ending with a row's end tag (the last with
        the end of ``sheetData``); ``self.tail`` is what follows ``sheetData``."""
        prefix, first, row_end, data_end = self._head
        self._head = (prefix, b"", row_end, data_end)  # the stream is read once
        buf = bytearray(first)
        searched = 0  # bytes of buf already searched for the end of sheetData
        while True:
            end = buf.find(data_end, max(searched - len(data_end), 0))
            searched = len(buf)
            limit = end if end >= 0 else len(buf)
            if limit > self.slice_bytes:  # a slice: up to the first row end past the size
                cut = buf.find(row_end, self.slice_bytes - len(row_end), limit)
                if cut < 0:
                    cut = buf.rfind(row_end, 0, limit)
                if cut >= 0 and cut + len(row_end) < limit:
                    cut += len(row_end)
                    data = memoryview(buf)[:cut].tobytes()
                    del buf[:cut]
                    searched = (end if end >= 0 else searched) - cut
                    scan_errors(data, self.error_cells)
                    yield data
                    del data
                    continue
            if end >= 0:  # the last rows
                self.tail = bytes(memoryview(buf)[end:])
                data = memoryview(buf)[:end].tobytes()
                del buf
                scan_errors(data, self.error_cells)
                self.scanned = True
                yield data
                break
            block = self._stream.read(_READ)
            if not block:
                raise NotSliceable("sheetData not closed")
            buf += block
        self.tail += self._stream.read()
        self._stream.close()

    @property
    def ns(self) -> bytes:
        """The namespace prefix of the worksheet's elements (``b""`` or e.g. ``b"x:"``)."""
        return self._head[3][2 : -len(b"sheetData>")]

    def _package(self, rows_xml: bytes, before: bytes = b"") -> bytes:
        """A small workbook: the original's parts with this worksheet holding ``before``
        and ``rows_xml`` as its rows."""
        prefix, _, _, data_end = self._head
        close = b"</" + self.ns + b"worksheet>"
        return stored_zip(self._base, self.part, (prefix, before, rows_xml, data_end, close))

    def _read_slice(self, rows_xml: bytes) -> tuple[int, list[list[Any]]]:
        """(0-based row of its first row, its rows from column A) of a slice as calamine
        reads it (openpyxl where calamine panics); no rows for a slice without cells."""
        book = self._package(rows_xml)
        try:
            sheet = pc.CalamineWorkbook.from_filelike(io.BytesIO(book)).get_sheet_by_name(self.name)
            if sheet.start is None:
                return 0, []
            row0, col0 = sheet.start  # to_python() starts at the slice's first used cell
            rows = sheet.to_python()
        except BaseException as exc:
            if not is_panic(exc):
                raise
            note_panic()
            rows = openpyxl_rows(book, self.name)
            row0 = next((i for i, r in enumerate(rows) if any(v != "" for v in r)), len(rows))
            return row0, rows[row0:]
        if col0:
            pad = [""] * col0
            rows = [[*pad, *row] for row in rows]
        return row0, rows

    def iter_rows(self) -> Iterator[list[Any]]:
        next_row = 0  # 0-based row the next yielded row stands for
        for rows_xml in self._slices():
            row0, rows = self._read_slice(rows_xml)
            del rows_xml
            if not rows:
                continue
            while next_row < row0:
                yield []
                next_row += 1
            for row in rows:
                yield row
                next_row += 1
            del rows


def stored_zip(base: dict[str, bytes], name: str, pieces: tuple[bytes, ...]) -> bytes:
    """A zip (no compression) of the parts ``base`` and one more part ``name`` whose
    content is ``pieces`` joined, built with one copy of the pieces."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    entries = [(n, (data,)) for n, data in base.items()] + [(name, pieces)]
    for n, parts in entries:
        raw_name = n.encode("utf-8")
        crc = 0
        size = 0
        for piece in parts:
            crc = zlib.crc32(piece, crc)
            size += len(piece)
        if size >= 0xFFFFFFFF or offset >= 0xFFFFFFFF:
            raise NotSliceable("slice too large")
        flags = 0x800  # names in UTF-8
        local = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, flags, 0, 0, 0x21, crc, size, size, len(raw_name), 0
        )
        out += [local, raw_name, *parts]
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                flags,
                0,
                0,
                0x21,
                crc,
                size,
                size,
                len(raw_name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )  # fmt: skip
            + raw_name
        )
        offset += len(local) + len(raw_name) + size
    directory = b"".join(central)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0
    )
    return b"".join((*out, directory, end))

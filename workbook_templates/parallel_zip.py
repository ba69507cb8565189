"""Deflating the big part of a workbook on several cores: the same bytes in every part.

A 100,000-row Monitoring sheet is about 120 MB of XML; zlib at xlsxwriter's level (the
default, 6) takes about a second for it on one core, a quarter of ``csq import``.  Parts
of at least :data:`PARALLEL_ABOVE` bytes are deflated here in blocks of
:data:`BLOCK_BYTES` as pigz does: each block a raw deflate stream at the same level, primed
with the last 32 KB of the block before it (so it compresses as well), ended with a sync
flush on a byte boundary (the last one with the final block), so the blocks put end to
end are one valid deflate stream; the blocks are compressed on threads (zlib releases the
GIL).  What a reader inflates is the part byte for byte (the zip's CRC-32 checks it); only
the compressed bytes differ from one zlib stream's, by a few bytes a block.  The block
layout does not depend on the number of cores, so the file does not either.  Smaller parts
are deflated by :mod:`zipfile` itself, as before.
"""

from __future__ import annotations

import os
import shutil
import zipfile
import zlib
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

PARALLEL_ABOVE = 8 * 1024 * 1024
"""Parts (uncompressed) at least this big are deflated in blocks on threads."""
BLOCK_BYTES = 1024 * 1024
"""Uncompressed bytes per block."""
WINDOW = 32 * 1024  # deflate's window: the dictionary each block is primed with
IN_FLIGHT = 8  # blocks queued at a time (bounded memory)
STREAM_ABOVE = 4 * 1024 * 1024
"""A streamed row file (``constant_memory``) this big has its blocks deflated while the
rows are still being written (:class:`RowStream`)."""


def _deflate(data: bytes, zdict: bytes, level: int, final: bool) -> bytes:
    if zdict:
        c = zlib.compressobj(level, zlib.DEFLATED, -15, zdict=zdict)
    else:
        c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH)


class BlockDeflate:
    """A compressor with zlib's ``compress``/``flush`` for :mod:`zipfile`: raw deflate
    in blocks (see the module docstring), compressed on ``pool``'s threads in order."""

    def __init__(self, level: int, pool: ThreadPoolExecutor, block: int = BLOCK_BYTES) -> None:
        self.level = level
        self.pool = pool
        self.block = block
        self.pending: list[bytes] = []
        self.size = 0
        self.prev = b""
        self.jobs: deque[Future[bytes]] = deque()

    def _submit(self, data: bytes, final: bool) -> None:
        self.jobs.append(self.pool.submit(_deflate, data, self.prev, self.level, final))
        self.prev = data[-WINDOW:]

    def compress(self, data: Any) -> bytes:
        self.pending.append(bytes(data))
        self.size += len(data)
        if self.size >= self.block:
            buf = b"".join(self.pending)
            at = 0
            while len(buf) - at >= self.block:
                self._submit(buf[at : at + self.block], final=False)
                at += self.block
            rest = buf[at:]
            self.pending = [rest] if rest else []
            self.size = len(rest)
        out = []
        jobs = self.jobs
        while jobs and (jobs[0].done() or len(jobs) > IN_FLIGHT):
            out.append(jobs.popleft().result())
        return b"".join(out)

    def flush(self) -> bytes:
        self._submit(b"".join(self.pending), final=True)
        self.pending, self.size = [], 0
        out = [j.result() for j in self.jobs]
        self.jobs.clear()
        return b"".join(out)


def workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class BlockZipFile(zipfile.ZipFile):
    """``zipfile.ZipFile`` whose :meth:`write` deflates a file of at least
    :data:`PARALLEL_ABOVE` bytes with :class:`BlockDeflate` (its entry, header and
    CRC-32 as ``zipfile`` writes them)."""

    def write(  # type: ignore[override]
        self,
        filename: Any,
        arcname: Any = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        kind = self.compression if compress_type is None else compress_type
        spliced = self.spliced(str(filename))
        if (
            spliced is not None
            and kind == zipfile.ZIP_DEFLATED
            and (self.compresslevel if compresslevel is None else compresslevel) is None
            and os.path.getsize(filename) >= spliced.start + spliced.length
        ):
            self._write_spliced(filename, arcname, spliced)
            return
        if (
            kind != zipfile.ZIP_DEFLATED
            or not os.path.isfile(filename)
            or os.path.getsize(filename) < PARALLEL_ABOVE
        ):
            super().write(filename, arcname, compress_type, compresslevel)
            return
        zinfo = zipfile.ZipInfo.from_file(
            filename, arcname, strict_timestamps=self._strict_timestamps
        )
        zinfo.compress_type = kind
        level = self.compresslevel if compresslevel is None else compresslevel
        zinfo._compresslevel = level  # type: ignore[attr-defined]
        with (
            ThreadPoolExecutor(workers()) as pool,
            open(filename, "rb") as src,
            self.open(zinfo, "w") as dest,
        ):
            dest._compressor = BlockDeflate(  # type: ignore[attr-defined]
                zlib.Z_DEFAULT_COMPRESSION if level is None else level, pool, BLOCK_BYTES
            )
            shutil.copyfileobj(src, dest, 1024 * 1024)

    def spliced(self, filename: str) -> Spliced | None:
        """The sheet XML file ``filename``'s rows deflated already, if they were."""
        return None

    def _write_spliced(self, filename: Any, arcname: Any, spliced: Spliced) -> None:
        zinfo = zipfile.ZipInfo.from_file(
            filename, arcname, strict_timestamps=self._strict_timestamps
        )
        zinfo.compress_type = zipfile.ZIP_DEFLATED
        zinfo._compresslevel = None  # type: ignore[attr-defined]
        with open(filename, "rb") as src, self.open(zinfo, "w") as dest:
            dest._compressor = _SplicedDeflate(spliced)  # type: ignore[attr-defined]
            shutil.copyfileobj(src, dest, 1024 * 1024)


class RowStream:
    """A worksheet's streamed row file (``constant_memory``) deflated in blocks on threads
    while the rows are written: :data:`BLOCK_BYTES` each from the file's start, each primed
    with the 32 KB before it, each ended with a sync flush (the first unprimed).  When the
    sheet XML is put together, the row file is copied into it after the sheet's head; its
    zip entry is then the head deflated, these blocks, and the rest of the sheet deflated
    primed with the rows' last 32 KB (:class:`Spliced`): one deflate stream of the sheet,
    which inflates to it byte for byte."""

    def __init__(self, path: str, level: int = zlib.Z_DEFAULT_COMPRESSION) -> None:
        self.src = open(path, "rb")  # noqa: SIM115  (closed by close())
        self.pool = ThreadPoolExecutor(workers())
        self.level = level
        self.pos = 0  # bytes handed to the threads
        self.prev = b""
        self.crc = 0
        self.plain = True  # no carriage return: the sheet gets the file's bytes unchanged
        self.jobs: list[Future[bytes]] = []

    def grown(self, size: int, final: bool = False) -> None:
        """The file now holds ``size`` bytes: deflate its whole blocks (``final``: all)."""
        block = BLOCK_BYTES
        while size - self.pos >= block or (final and size > self.pos):
            n = min(block, size - self.pos)
            self.src.seek(self.pos)
            data = self.src.read(n)
            if len(data) != n:
                self.plain = False
                return
            if b"\r" in data:
                self.plain = False
            self.crc = zlib.crc32(data, self.crc)
            self.jobs.append(self.pool.submit(_deflate, data, self.prev, self.level, False))
            self.prev = data[-WINDOW:]
            self.pos += n

    def blocks(self) -> bytes:
        return b"".join(j.result() for j in self.jobs)

    def close(self) -> None:
        self.src.close()
        self.pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class Spliced:
    """Where a sheet XML file holds the bytes a :class:`RowStream` deflated."""

    path: str
    start: int
    length: int
    stream: RowStream


class _SplicedDeflate:
    """:class:`Spliced`'s zip entry, for :mod:`zipfile`: the bytes before ``start``
    deflated (sync flush), the row stream's blocks in place of the next ``length`` bytes,
    the rest deflated primed with the rows' last 32 KB (final)."""

    def __init__(self, spliced: Spliced) -> None:
        self.s = spliced
        self.at = 0
        self.head: list[bytes] = []
        self.tail: list[bytes] = []
        self.head_done = False
        self.rows_done = False

    def compress(self, data: Any) -> bytes:
        data = bytes(data)
        a, b = self.at, self.at + len(data)
        self.at = b
        start, end = self.s.start, self.s.start + self.s.length
        if a < start:
            self.head.append(data[: start - a])
        if b > end:
            self.tail.append(data[max(end - a, 0) :])
        out = []
        if not self.head_done and b >= start:
            out.append(_deflate(b"".join(self.head), b"", self.s.stream.level, False))
            self.head_done = True
        if not self.rows_done and b >= end:
            out.append(self.s.stream.blocks())
            self.rows_done = True
        return b"".join(out)

    def flush(self) -> bytes:
        if not (self.head_done and self.rows_done):
            raise RuntimeError("the sheet XML is shorter than its streamed rows")
        return _deflate(b"".join(self.tail), self.s.stream.prev, self.s.stream.level, True)

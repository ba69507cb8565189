"""Deflating the big parts of a workbook on several cores: the same bytes in every part.

Why: a 100,000-row Monitoring sheet is about 120 MB of XML, and zlib at xlsxwriter's level
(the default, 6) takes about a second for it on one core, a sixth of ``csq import``.
Deflated here on the other core while the rows are still being written, ``csq import`` of a
100,000-row CSV export takes 5.03 s wall against 6.00 s without (median ratio of the
pairs 0.83), for 6.76 s of CPU against 5.82 s (the threads' overhead) and 245 MiB peak
against 240 (2-core machine, whole process, 5 runs each in turn, medians; docs/templates.md,
"Packaging").  The row stream's threads read their blocks from the file and its deflated
blocks wait in a spool file, so a burst of rows costs no memory.

How: parts of at least :data:`PARALLEL_ABOVE` bytes are deflated in blocks of
:data:`BLOCK_BYTES` as pigz does: each block a raw deflate stream at the same level, primed
with the last 32 KB of the block before it (so it compresses as well), ended with a sync
flush on a byte boundary (the last one with the final block), so the blocks put end to end
are one valid deflate stream; the blocks are compressed on threads (zlib releases the GIL).
A streamed row file (``constant_memory``) of at least :data:`STREAM_ABOVE` bytes has its
blocks deflated while the rows are written (:class:`RowStream`, started by
:meth:`workbook_templates.xlsx_safe.SafeWorksheet.rows_streamed`) and spliced into the
sheet's entry.  What a reader inflates is every part byte for byte (the zip's CRC-32 checks
it); only the compressed bytes differ from one zlib stream's, by a few bytes a block (the
file by under 1 %).  The block layout depends neither on the number of cores nor on how
the data arrives, so the file does not either.  Smaller parts are deflated by
:mod:`zipfile` itself, as before.  The zipfile and xlsxwriter internals this needs are in
:mod:`workbook_templates.xlsx_internals` (:func:`~workbook_templates.xlsx_internals.write_entry`,
:class:`~workbook_templates.xlsx_internals.RowFileWatcher`,
:meth:`~workbook_templates.xlsx_internals.PlainTextWorkbook.zip_file`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
import zlib
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from workbook_templates.xlsx_internals import Compressor, write_entry

PARALLEL_ABOVE = 8 * 1024 * 1024
"""Parts (uncompressed) at least this big are deflated in blocks on threads."""
BLOCK_BYTES = 1024 * 1024
"""Uncompressed bytes per block."""
WINDOW = 32 * 1024  # deflate's window: the dictionary each block is primed with
IN_FLIGHT = 8  # blocks queued at a time (bounded memory)
STREAM_ABOVE = 4 * 1024 * 1024
"""A streamed row file this big has its blocks deflated while the rows are still being
written (:class:`RowStream`)."""


def _deflate(data: bytes, zdict: bytes, level: int, final: bool) -> bytes:
    if zdict:
        c = zlib.compressobj(level, zlib.DEFLATED, -15, zdict=zdict)
    else:
        c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH)


def workers() -> int:
    """Threads that deflate (at most 4: the blocks come no faster than that)."""
    return max(1, min(4, os.cpu_count() or 1))


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

    def compress(self, data: Any, /) -> bytes:
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


class RowStream:
    """A worksheet's streamed row file deflated in blocks on threads while the rows are
    written: :data:`BLOCK_BYTES` each from the file's start, each primed with the 32 KB
    before it, each ended with a sync flush (the first unprimed).  As the
    :class:`~workbook_templates.xlsx_internals.RowFileWatcher` of the sheet it learns where
    the rows went in the sheet XML; the sheet's zip entry is then the head deflated, these
    blocks, and the rest of the sheet deflated primed with the rows' last 32 KB
    (:class:`SplicedDeflate`): one deflate stream of the sheet, which inflates to it byte
    for byte.  If the sheet holds other bytes than those deflated (a carriage return read
    back as a line feed), zipfile deflates the sheet itself."""

    def __init__(self, path: str, level: int = zlib.Z_DEFAULT_COMPRESSION) -> None:
        self.src = open(path, "rb")  # noqa: SIM115  (closed by close())
        self.pool = ThreadPoolExecutor(workers())
        self.level = level
        self.pos = 0  # bytes handed to the threads
        self.prev = b""
        self.crc = 0
        self.plain = True  # no carriage return: the sheet gets the file's bytes unchanged
        self.jobs: deque[Future[bytes]] = deque()
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115  (the blocks deflated, in order)
        self.spooled = False  # every block is in the spool, read from its start
        self.sheet_path: str | None = None  # the sheet XML file holding the rows, once copied
        self.start = 0  # where in it

    def grown(self, size: int, final: bool = False) -> None:
        """The file now holds ``size`` bytes: deflate its whole blocks (``final``: all)."""
        block = BLOCK_BYTES
        while self.plain and (size - self.pos >= block or (final and size > self.pos)):
            n = min(block, size - self.pos)
            self.src.seek(self.pos)
            data = self.src.read(n)
            if len(data) != n or b"\r" in data:
                self.plain = False
                return
            self.crc = zlib.crc32(data, self.crc)
            # the thread reads the block again (from the page cache): a burst of rows
            # queues offsets, not megabytes
            self.jobs.append(self.pool.submit(self._deflate_at, self.pos, n))
            self.prev = data[-WINDOW:]
            self.pos += n
        self._drain(wait=False)

    def _drain(self, wait: bool) -> None:
        """The deflated blocks done, in order, into the spool (not held in memory)."""
        jobs = self.jobs
        while jobs and (wait or jobs[0].done()):
            self.spool.write(jobs.popleft().result())

    def _deflate_at(self, pos: int, n: int) -> bytes:
        """The block of ``n`` bytes at ``pos``, primed with the 32 KB before it."""
        fd = self.src.fileno()
        primed = min(WINDOW, pos)
        return _deflate(os.pread(fd, n, pos), os.pread(fd, primed, pos - primed), self.level, False)

    def complete(self, size: int) -> None:
        """Every row is written: the last blocks too."""
        self.grown(size, final=True)

    def copied(self, sheet_path: str, start: int, length: int, crc: int, unchanged: bool) -> None:
        """The rows are in ``sheet_path`` from ``start``: spliced if they are the bytes
        deflated (else zipfile deflates the sheet, and the threads stop)."""
        if unchanged and self.plain and self.pos == length and self.crc == crc:
            self.sheet_path, self.start = sheet_path, start
        else:
            self.close()

    def blocks(self, size: int = -1) -> bytes:
        """The next ``size`` bytes of the deflated blocks (-1: the rest)."""
        if not self.spooled:
            self._drain(wait=True)
            self.spool.seek(0)
            self.spooled = True
        return self.spool.read(size)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.src.close()
        self.spool.close()


class SplicedDeflate:
    """A sheet's zip entry with its rows deflated already by a :class:`RowStream`, for
    :mod:`zipfile`: the bytes before the rows deflated (sync flush), the stream's blocks in
    place of the rows, the rest deflated primed with the rows' last 32 KB (final)."""

    def __init__(self, stream: RowStream) -> None:
        self.s = stream
        self.at = 0
        self.head: list[bytes] = []
        self.tail: list[bytes] = []
        self.head_done = False
        self.rows_done = False

    def compress(self, data: Any, /) -> bytes:
        data = bytes(data)
        a, b = self.at, self.at + len(data)
        self.at = b
        start, end = self.s.start, self.s.start + self.s.pos
        if a < start:
            self.head.append(data[: start - a])
        if b > end:
            self.tail.append(data[max(end - a, 0) :])
        out = []
        if not self.head_done and b >= start:
            out.append(_deflate(b"".join(self.head), b"", self.s.level, False))
            self.head_done = True
        if self.head_done and not self.rows_done:
            if b >= end:
                out.append(self.s.blocks())
                self.rows_done = True
            else:  # the blocks a piece at a time, never all in memory
                out.append(self.s.blocks(len(data)))
        return b"".join(out)

    def flush(self) -> bytes:
        if not (self.head_done and self.rows_done):
            raise RuntimeError("the sheet XML is shorter than its streamed rows")
        return _deflate(b"".join(self.tail), self.s.prev, self.s.level, True)


class BlockZipFile(zipfile.ZipFile):
    """``zipfile.ZipFile`` whose :meth:`write` deflates a sheet whose rows a
    :class:`RowStream` of ``streams`` deflated already with :class:`SplicedDeflate`, and
    any other file of at least :data:`PARALLEL_ABOVE` bytes with :class:`BlockDeflate`
    (its entry, header and CRC-32 as ``zipfile`` writes them); the rest as zipfile does."""

    def __init__(
        self,
        *args: Any,
        streams: Sequence[RowStream] = (),
        strict_timestamps: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, strict_timestamps=strict_timestamps, **kwargs)
        self.streams = streams
        self.strict = strict_timestamps

    def write(  # type: ignore[override]
        self,
        filename: Any,
        arcname: Any = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        kind = self.compression if compress_type is None else compress_type
        level = self.compresslevel if compresslevel is None else compresslevel
        if kind != zipfile.ZIP_DEFLATED or level is not None or not os.path.isfile(filename):
            super().write(filename, arcname, compress_type, compresslevel)
            return
        size = os.path.getsize(filename)
        stream = next((s for s in self.streams if s.sheet_path == str(filename)), None)
        with contextlib.ExitStack() as stack:
            compressor: Compressor
            if stream is not None and size >= stream.start + stream.pos:
                compressor = SplicedDeflate(stream)
            elif size >= PARALLEL_ABOVE:
                pool = stack.enter_context(ThreadPoolExecutor(workers()))
                compressor = BlockDeflate(zlib.Z_DEFAULT_COMPRESSION, pool, BLOCK_BYTES)
            else:
                super().write(filename, arcname, compress_type, compresslevel)
                return
            zinfo = zipfile.ZipInfo.from_file(filename, arcname, strict_timestamps=self.strict)
            src = stack.enter_context(open(filename, "rb"))  # noqa: SIM115
            write_entry(self, zinfo, src, compressor)

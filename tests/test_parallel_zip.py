"""Big workbook parts deflated in blocks on threads (workbook_templates/parallel_zip.py):
what a reader inflates is every part byte for byte, the block layout does not depend on
how the data arrives or on the number of threads, and the streamed rows are copied into
the sheet XML as the same bytes as xlsxwriter's own text copy."""

from __future__ import annotations

import datetime as dt
import random
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from xlsxwriter.worksheet import Worksheet

import workbook_templates.parallel_zip as pz
from addin.jobs.demo_data import demo_monitoring
from workbook_templates.builder import build_workbook
from workbook_templates.xlsx_safe import SafeWorkbook, SafeWorksheet

AS_OF = dt.date(2026, 1, 15)


def _data(n: int) -> bytes:
    rnd = random.Random(5)
    words = [b"<c r=", b"A1", b' s="3"', b"<v>", b"</v></c>", b"Team ", b"\xe4\xb8\xad", b"\n"]
    return b"".join(rnd.choice(words) + str(rnd.randint(0, 999)).encode() for _ in range(n))


def _deflate(data: bytes, pieces: int, threads: int, block: int) -> bytes:
    rnd = random.Random(pieces)
    with ThreadPoolExecutor(threads) as pool:
        c = pz.BlockDeflate(6, pool, block=block)
        out, at = [], 0
        while at < len(data):
            step = rnd.randint(1, 3 * len(data) // pieces)
            out.append(c.compress(data[at : at + step]))
            at += step
        out.append(c.flush())
    return b"".join(out)


def test_blocks_inflate_to_the_data_whatever_the_chunks_and_threads() -> None:
    data = _data(60_000)
    block = 16 * 1024
    assert len(data) > 10 * block
    first = _deflate(data, 7, 1, block)
    assert zlib.decompress(first, -15) == data
    assert len(first) < len(zlib.compress(data, 6)) * 1.05  # primed blocks: no worse to speak of
    for pieces, threads in ((1, 1), (50, 2), (3000, 4)):
        assert _deflate(data, pieces, threads, block) == first
    # the empty part and a part shorter than a block
    assert zlib.decompress(_deflate(b"", 1, 2, block), -15) == b""
    assert zlib.decompress(_deflate(data[:100], 3, 2, block), -15) == data[:100]


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None  # every CRC-32 right
        return {n: z.read(n) for n in z.namelist()}


def test_a_workbook_with_every_part_in_blocks_has_the_same_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    df = demo_monitoring(3000, seed=4, lang="en", as_of=AS_OF)
    plain = build_workbook(tmp_path / "plain.xlsx", lang="en", monitoring=df, as_of=AS_OF)
    monkeypatch.setattr(pz, "PARALLEL_ABOVE", 1)
    monkeypatch.setattr(pz, "BLOCK_BYTES", 4096)
    blocks = build_workbook(tmp_path / "blocks.xlsx", lang="en", monitoring=df, as_of=AS_OF)
    assert plain.read_bytes() != blocks.read_bytes()  # deflated differently ...
    a, b = _parts(plain), _parts(blocks)
    assert list(a) == list(b)
    for name in a:  # ... to the same parts
        assert a[name] == b[name], name


@pytest.mark.parametrize("text", ["plain", "cr\rinside", "crlf\r\nend\r", "\r"])
def test_streamed_rows_copied_as_bytes_equal_the_text_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    def book(path: Path) -> dict[str, bytes]:
        wb = SafeWorkbook(str(path))
        wb.set_properties({"created": dt.datetime(2024, 1, 1)})  # not the clock's second
        ws = wb.add_worksheet()
        for r in range(3000):
            ws.write_string(r, 0, f"row {r} 中文")
            ws.write_formula(r, 1, f'="{text}"&"{r}"', None, text)  # the formula text as it is
        wb.close()
        return _parts(path)

    fast = book(tmp_path / "bytes.xlsx")
    monkeypatch.setattr(
        SafeWorksheet, "_write_optimized_sheet_data", Worksheet._write_optimized_sheet_data
    )
    assert fast == book(tmp_path / "text.xlsx")


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    used: list[bool] = []
    spliced = pz.BlockZipFile._write_spliced

    def counted(self: pz.BlockZipFile, *a: Any) -> None:
        used.append(True)
        spliced(self, *a)

    monkeypatch.setattr(pz.BlockZipFile, "_write_spliced", counted)
    return used


def test_rows_deflated_while_written_give_the_same_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Monitoring rows' blocks deflated while the rows are written (RowStream), spliced
    into the sheet's zip entry: the same parts as zipfile's own deflating."""
    import workbook_templates.builder as builder

    df = demo_monitoring(1500, seed=6, lang="zh", as_of=AS_OF)
    monkeypatch.setattr(pz, "PARALLEL_ABOVE", 1 << 40)
    monkeypatch.setattr(pz, "STREAM_ABOVE", 1 << 40)
    plain = build_workbook(tmp_path / "plain.xlsx", lang="zh", monitoring=df, as_of=AS_OF)
    used = _counting(monkeypatch)
    monkeypatch.setattr(builder, "CHUNK_ROWS", 400)  # rows streamed in several batches
    monkeypatch.setattr(pz, "STREAM_ABOVE", 64 * 1024)
    monkeypatch.setattr(pz, "BLOCK_BYTES", 50_000)
    streamed = build_workbook(tmp_path / "streamed.xlsx", lang="zh", monitoring=df, as_of=AS_OF)
    assert used == [True]
    a, b = _parts(plain), _parts(streamed)
    assert list(a) == list(b)
    for name in a:
        assert a[name] == b[name], name


@pytest.mark.parametrize("text", ["plain", "cr\rinside"])
def test_a_carriage_return_in_the_rows_leaves_the_sheet_to_zipfile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """A carriage return in the row file (xlsxwriter writes a formula's text as it is) is
    read back as a line feed, so the sheet holds other bytes than those deflated while
    streaming: zipfile deflates the sheet itself; either way the same parts."""

    def book(path: Path, stream: bool) -> dict[str, bytes]:
        monkeypatch.setattr(pz, "STREAM_ABOVE", 4096 if stream else 1 << 40)
        wb = SafeWorkbook(str(path))
        wb.set_properties({"created": dt.datetime(2024, 1, 1)})
        ws = wb.add_worksheet()
        for r in range(3000):
            ws.write_string(r, 0, f"row {r} 中文")
            ws.write_formula(r, 1, f'="{text}"&"{r}"', None, text)
            if r % 500 == 499:
                ws._rows_streamed()  # as fastrows.write_rows does
        wb.close()
        return _parts(path)

    monkeypatch.setattr(pz, "BLOCK_BYTES", 8192)
    monkeypatch.setattr(pz, "PARALLEL_ABOVE", 1 << 40)
    used = _counting(monkeypatch)
    streamed = book(tmp_path / "streamed.xlsx", True)
    assert used == ([True] if text == "plain" else [])
    assert streamed == book(tmp_path / "plain.xlsx", False)

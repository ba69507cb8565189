"""Big workbook parts deflated in blocks on threads (workbook_templates/parallel_zip.py):
what a reader inflates is every part byte for byte, with and without parallel deflate, and
the block layout does not depend on how the data arrives, on the block size's fit to the
rows written, or on the number of threads."""

from __future__ import annotations

import datetime as dt
import random
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import workbook_templates.builder as builder
import workbook_templates.parallel_zip as pz
from addin.jobs.demo_data import demo_monitoring
from workbook_templates.builder import build_workbook
from workbook_templates.xlsx_safe import SafeWorkbook

AS_OF = dt.date(2026, 1, 15)
NEVER = 1 << 40  # a threshold no part reaches: zipfile deflates everything itself


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


@pytest.mark.parametrize("block", [4096, 16 * 1024, 100_003])
def test_blocks_inflate_to_the_data_whatever_the_chunks_and_threads(block: int) -> None:
    data = _data(60_000)
    assert len(data) > 2 * block
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


def _same_parts(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    assert list(a) == list(b)
    for name in a:
        assert a[name] == b[name], name


def _serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pz, "PARALLEL_ABOVE", NEVER)
    monkeypatch.setattr(pz, "STREAM_ABOVE", NEVER)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each sheet entry spliced from rows deflated while they were written."""
    used: list[bool] = []

    class Counted(pz.SplicedDeflate):
        def __init__(self, stream: pz.RowStream) -> None:
            used.append(True)
            super().__init__(stream)

    monkeypatch.setattr(pz, "SplicedDeflate", Counted)
    return used


@pytest.mark.parametrize(("block", "threads"), [(4096, 1), (20_000, 2), (65_536, 4)])
def test_a_workbook_with_every_part_in_blocks_has_the_same_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, threads: int
) -> None:
    df = demo_monitoring(3000, seed=4, lang="en", as_of=AS_OF)
    _serial(monkeypatch)
    plain = build_workbook(tmp_path / "plain.xlsx", lang="en", monitoring=df, as_of=AS_OF)
    monkeypatch.setattr(pz, "PARALLEL_ABOVE", 1)
    monkeypatch.setattr(pz, "BLOCK_BYTES", block)
    monkeypatch.setattr(pz, "workers", lambda: threads)
    blocks = build_workbook(tmp_path / "blocks.xlsx", lang="en", monitoring=df, as_of=AS_OF)
    assert plain.read_bytes() != blocks.read_bytes()  # deflated differently ...
    _same_parts(_parts(plain), _parts(blocks))  # ... to the same parts


@pytest.mark.parametrize(
    ("block", "chunk_rows", "threads"), [(50_000, 400, 2), (8192, 150, 1), (300_000, 700, 4)]
)
def test_rows_deflated_while_written_give_the_same_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, chunk_rows: int, threads: int
) -> None:
    """The Monitoring rows' blocks deflated while the rows are written (RowStream), spliced
    into the sheet's zip entry: the same parts as zipfile's own deflating."""
    df = demo_monitoring(1500, seed=6, lang="zh", as_of=AS_OF)
    _serial(monkeypatch)
    plain = build_workbook(tmp_path / "plain.xlsx", lang="zh", monitoring=df, as_of=AS_OF)
    used = _counting(monkeypatch)
    monkeypatch.setattr(builder, "CHUNK_ROWS", chunk_rows)  # rows streamed in several batches
    monkeypatch.setattr(pz, "STREAM_ABOVE", 64 * 1024)
    monkeypatch.setattr(pz, "BLOCK_BYTES", block)
    monkeypatch.setattr(pz, "workers", lambda: threads)
    streamed = build_workbook(tmp_path / "streamed.xlsx", lang="zh", monitoring=df, as_of=AS_OF)
    assert used == [True]
    assert plain.read_bytes() != streamed.read_bytes()
    _same_parts(_parts(plain), _parts(streamed))


@pytest.mark.parametrize("text", ["plain", "cr\rinside"])
def test_a_carriage_return_in_the_rows_leaves_the_sheet_to_zipfile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """A carriage return in the row file (xlsxwriter writes a formula's text as it is) is
    read back as a line feed, so the sheet holds other bytes than those deflated while
    streaming: zipfile deflates the sheet itself; either way the same parts."""

    def book(path: Path, stream: bool) -> dict[str, bytes]:
        monkeypatch.setattr(pz, "STREAM_ABOVE", 4096 if stream else NEVER)
        wb = SafeWorkbook(str(path))
        wb.set_properties({"created": dt.datetime(2024, 1, 1)})
        ws = wb.add_worksheet()
        for r in range(3000):
            ws.write_string(r, 0, f"row {r} 中文")
            ws.write_formula(r, 1, f'="{text}"&"{r}"', None, text)
            if r % 500 == 499:
                ws.rows_streamed()  # as fastrows.write_rows does
        wb.close()
        assert ws.row_stream is None  # its threads stopped
        return _parts(path)

    monkeypatch.setattr(pz, "BLOCK_BYTES", 8192)
    monkeypatch.setattr(pz, "PARALLEL_ABOVE", NEVER)
    used = _counting(monkeypatch)
    streamed = book(tmp_path / "streamed.xlsx", True)
    assert used == ([True] if text == "plain" else [])
    assert streamed == book(tmp_path / "plain.xlsx", False)


def test_the_report_in_memory_is_zipped_by_zipfile(tmp_path: Path) -> None:
    """Parts held in memory (the report) are written by zipfile as before."""
    wb = SafeWorkbook(str(tmp_path / "r.xlsx"), {"in_memory": True})
    with wb.zip_file(tmp_path / "z.zip", "w") as z:
        assert type(z) is zipfile.ZipFile
    wb.add_worksheet().write_string(0, 0, "x")
    wb.close()
    assert _parts(tmp_path / "r.xlsx")

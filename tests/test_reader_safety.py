"""Untrusted workbooks are refused before parsing, with a message naming the file."""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
from pathlib import Path

import pytest
import python_calamine as pc
from test_reader_headers import table, write_book

from addin.read.safety import Limits, parse_xml
from addin.read.workbook import read_workbook
from udfs.core.errors import InputError


def _good(tmp_path: Path) -> Path:
    cells = table(
        "A1", ["Contact ID", "Contact time", "Agent ID"], [["C1", dt.datetime(2024, 6, 1), "A1"]]
    )
    return write_book(tmp_path / "good.xlsx", {"Monitoring": cells})


def _rezip(
    src: Path,
    dst: Path,
    extra: dict[str, bytes] | None = None,
    replace: dict[str, bytes] | None = None,
) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            zout.writestr(name, (replace or {}).get(name, zin.read(name)))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def test_oversized_file_refused_with_its_size(tmp_path: Path) -> None:
    path = _good(tmp_path)
    size = path.stat().st_size
    with pytest.raises(InputError) as exc:
        read_workbook(path, limits=Limits(max_bytes=1000), lang="en")
    assert str(exc.value) == (
        f"{path}: {size / 1e6:,.1f} MB is over the 0.0 MB limit for input files "
        "(set CSQ_MAX_INPUT_MB to raise it)"
    )


def test_size_limit_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _good(tmp_path)
    monkeypatch.setenv("CSQ_MAX_INPUT_MB", "0.001")
    with pytest.raises(InputError, match="over the 0.0 MB limit"):
        read_workbook(path)
    monkeypatch.setenv("CSQ_MAX_INPUT_MB", "5")
    assert read_workbook(path).monitoring["contact_id"].tolist() == ["C1"]


def test_not_a_zip_with_xlsx_name(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_text("Contact ID,Contact time\nC1,2024-06-01\n")
    with pytest.raises(InputError) as exc:
        read_workbook(path, lang="en")
    assert str(exc.value) == (
        f"{path}: not a valid .xlsx file (it is not a zip archive; was it renamed, or is it damaged?)"
    )


def test_password_protected_workbook_explained(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"  # Office stores encrypted workbooks in an OLE container
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(InputError, match="password-protected"):
        read_workbook(path, lang="en")


def test_missing_file_and_wrong_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_workbook(tmp_path / "nope.xlsx", lang="en")
    p = tmp_path / "data.csv"
    p.write_text("a,b\n")
    with pytest.raises(InputError, match="not a workbook; expected"):
        read_workbook(p, lang="en")


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    bomb = _rezip(
        _good(tmp_path), tmp_path / "bomb.xlsx", extra={"xl/media/pad.bin": b"\0" * 50_000_000}
    )
    assert bomb.stat().st_size < 1_000_000  # 50 MB of zeros packs into ~50 kB
    with pytest.raises(InputError) as exc:
        read_workbook(bomb, lang="en")
    assert "archive entry 'xl/media/pad.bin' expands" in str(exc.value)
    assert "suspected zip bomb" in str(exc.value) and str(bomb) in str(exc.value)


def test_entry_larger_than_declared_is_refused(tmp_path: Path) -> None:
    """Declared sizes are not trusted: the data is inflated and counted."""
    src = _rezip(_good(tmp_path), tmp_path / "src.xlsx", extra={"xl/pad.bin": b"A" * 3_000_000})
    raw = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as z:
        info = z.getinfo("xl/pad.bin")
    # lie in both the local header and the central directory: 3 MB claims to be 1 kB
    struct.pack_into("<I", raw, info.header_offset + 22, 1000)
    pos = 0
    while True:
        pos = raw.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        if raw[pos + 46 : pos + 46 + name_len] == b"xl/pad.bin":
            struct.pack_into("<I", raw, pos + 24, 1000)
        pos += 4
    liar = tmp_path / "liar.xlsx"
    liar.write_bytes(bytes(raw))
    with pytest.raises(InputError, match=r"expands beyond the 1000 bytes it declares"):
        read_workbook(liar, lang="en")


def test_too_many_entries(tmp_path: Path) -> None:
    many = _rezip(
        _good(tmp_path), tmp_path / "many.xlsx", extra={f"x/{i}.txt": b"" for i in range(30)}
    )
    with pytest.raises(InputError, match=r"entries in the archive, more than the 20"):
        read_workbook(many, limits=Limits(max_entries=20), lang="en")


def test_encrypted_entry_flag(tmp_path: Path) -> None:
    raw = bytearray(_good(tmp_path).read_bytes())
    pos = raw.find(b"PK\x01\x02")  # first central-directory record: set "encrypted"
    struct.pack_into("<H", raw, pos + 8, struct.unpack_from("<H", raw, pos + 8)[0] | 1)
    p = tmp_path / "enc.xlsx"
    p.write_bytes(bytes(raw))
    with pytest.raises(InputError, match="is encrypted"):
        read_workbook(p, lang="en")


def _with_doctype(tmp_path: Path, body_entity: str) -> Path:
    good = _good(tmp_path)
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    dtd = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet ['
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    )
    sheet = dtd + sheet.replace(">C1<", f">{body_entity}<", 1)
    return _rezip(good, tmp_path / "dtd.xlsx", replace={"xl/worksheets/sheet1.xml": sheet.encode()})


def test_doctype_refused_before_parsing(tmp_path: Path) -> None:
    path = _with_doctype(tmp_path, "&b;")
    with pytest.raises(InputError) as exc:
        read_workbook(path, lang="en")
    assert str(exc.value) == (
        f"{path}: XML part 'xl/worksheets/sheet1.xml' contains a document type declaration "
        "(<!DOCTYPE>), which Excel never writes; refused as a possible XML entity attack"
    )


@pytest.mark.parametrize("entity", ["&b;", "&xxe;"])
def test_calamine_itself_does_not_expand_entities(tmp_path: Path, entity: str) -> None:
    """The second line of defence documented in docs/validate.md: calamine's XML reader
    rejects custom and external entities instead of expanding them."""
    path = _with_doctype(tmp_path, entity)
    wb = pc.CalamineWorkbook.from_path(str(path))
    with pytest.raises(pc.XmlError, match="unrecognized entity"):
        wb.get_sheet_by_name("Monitoring").to_python()


@pytest.mark.parametrize("entity", ["&b;", "&xxe;"])
def test_fastexcel_itself_does_not_expand_entities(tmp_path: Path, entity: str) -> None:
    """The same second line for the columnar reader (addin/read/columnar.py)."""
    import fastexcel

    path = _with_doctype(tmp_path, entity)
    with pytest.raises(Exception, match="unrecognized entity"):
        fastexcel.read_excel(str(path)).load_sheet("Monitoring", header_row=None).to_arrow()


def test_parse_xml_refuses_dtd() -> None:
    assert parse_xml(b"<a><b>1</b></a>").find("b").text == "1"
    with pytest.raises(Exception, match="DTD"):
        parse_xml(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')

"""The xlsxwriter and zipfile internals CSQ relies on (workbook_templates/xlsx_internals.py):
all there in the installed versions, a missing one stops a write with an error naming it
(never a silently broken file), and the streamed rows copied as bytes equal xlsxwriter's
text copy."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
import xlsxwriter.packager
import xlsxwriter.workbook
import xlsxwriter.worksheet
from xlsxwriter.worksheet import Worksheet
from xlsxwriter.xmlwriter import XMLwriter

from workbook_templates import xlsx_internals
from workbook_templates.builder import build_workbook
from workbook_templates.xlsx_internals import XlsxInternalsMissing
from workbook_templates.xlsx_safe import SafeWorkbook, SafeWorksheet


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None  # every CRC-32 right
        return {n: z.read(n) for n in z.namelist()}


def test_the_installed_xlsxwriter_has_every_internal_csq_relies_on() -> None:
    assert xlsx_internals.missing() == []
    assert len(xlsx_internals.REQUIRED) > 20


@pytest.mark.parametrize(
    ("owner", "name", "spec"),
    [
        (Worksheet, "_write_single_row", "Worksheet._write_single_row"),
        (XMLwriter, "_xml_inline_string", "Worksheet._xml_inline_string"),
        (xlsxwriter.packager, "SharedStrings", "xlsxwriter.packager:SharedStrings"),
        (xlsxwriter.worksheet, "re_dynamic_function", "re_dynamic_function"),
        (xlsxwriter.workbook, "ZipFile", "xlsxwriter.workbook:ZipFile"),
    ],
)
def test_a_missing_internal_stops_the_write_naming_it(
    owner: object, name: str, spec: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(owner, name)
    monkeypatch.setattr(xlsx_internals, "require", xlsx_internals.require.__wrapped__)
    monkeypatch.setattr("workbook_templates.xlsx_safe.require", xlsx_internals.require)
    target = tmp_path / "new.xlsx"
    with pytest.raises(XlsxInternalsMissing, match=spec.replace(".", r"\.")) as exc:
        build_workbook(target, lang="en")
    assert "tested" in str(exc.value) and xlsxwriter.__version__ in str(exc.value)
    assert not target.exists()  # nothing written, not a broken file


def _fresh_require(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_internals, "require", xlsx_internals.require.__wrapped__)
    monkeypatch.setattr("workbook_templates.xlsx_safe.require", xlsx_internals.require)


def test_a_zipfile_without_the_entry_compressor_stops_the_write_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parallel deflate hands an entry's bytes to ``_ZipWriteFile._compressor``: a
    zipfile without it is named before anything is written."""
    init = zipfile._ZipWriteFile.__init__  # type: ignore[attr-defined]

    def without_compressor(self: object, *args: object) -> None:
        init(self, *args)
        self.compressor_v2 = self._compressor  # type: ignore[attr-defined]
        del self._compressor  # type: ignore[attr-defined]

    monkeypatch.setattr(zipfile._ZipWriteFile, "__init__", without_compressor)  # type: ignore[attr-defined]
    _fresh_require(monkeypatch)
    assert any("zipfile:_ZipWriteFile()._compressor" in m for m in xlsx_internals.missing())
    target = tmp_path / "new.xlsx"
    with pytest.raises(XlsxInternalsMissing, match=r"_ZipWriteFile\(\)\._compressor"):
        build_workbook(target, lang="en")
    assert not target.exists()


def test_a_compressor_zipfile_ignores_is_caught_by_the_probe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A zipfile that keeps ``_compressor`` but no longer passes the bytes through it would
    leave the threads' blocks unused: the probe writes an entry and sees that."""

    def write_stored(self: object, data: bytes) -> int:
        return len(data)  # the bytes go nowhere near the compressor

    monkeypatch.setattr(zipfile._ZipWriteFile, "write", write_stored)  # type: ignore[attr-defined]
    assert any("zipfile:_ZipWriteFile()._compressor" in m for m in xlsx_internals.missing())


def test_a_missing_instance_attribute_is_named_too(monkeypatch: pytest.MonkeyPatch) -> None:
    init = Worksheet.__init__

    def without_row_info(self: Worksheet) -> None:
        init(self)
        del self.row_info

    monkeypatch.setattr(Worksheet, "__init__", without_row_info)
    assert any("Worksheet().row_info" in m for m in xlsx_internals.missing())


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


def test_a_missing_module_level_internal_fails_at_import_naming_it() -> None:
    """The fast row writer takes module-level internals when it is imported: without one,
    the import fails with the same clear error, not an ImportError deep inside."""
    import subprocess
    import sys

    code = (
        "import xlsxwriter.utility as u\n"
        "del u._datetime_to_excel_datetime\n"
        "import workbook_templates.fastrows\n"
    )
    root = Path(__file__).resolve().parents[1]
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert p.returncode != 0
    assert "XlsxInternalsMissing" in p.stderr
    assert "xlsxwriter.utility:_datetime_to_excel_datetime" in p.stderr

"""The generated XML of each empty template (zh/en x UDF/portable) against reviewed
references in ``tests/golden/``, after normalisation, so an unintended change shows as a
readable diff.

Normalisation: XML pretty-printed; docProps dates and ``calcPr`` dropped; the cached value
of the Config sheet's ``=TODAY()`` cell dropped; of each sheet's rows only the first three
and the last are kept, with the row count (the blank Table rows repeat row 3).

Regenerate after a reviewed, intended change:
``CSQ_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_templates_golden.py``.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from workbook_templates.builder import build_workbook

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CSQ_UPDATE_GOLDEN") == "1"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
VARIANTS = [(lang, portable) for lang in ("zh", "en") for portable in (False, True)]


def normalise(name: str, data: bytes) -> str:
    if not (name.endswith(".xml") or name.endswith(".rels")):
        return f"<!-- binary {len(data)} bytes -->\n"
    root = etree.fromstring(data)
    if name == "docProps/core.xml":
        for el in list(root):
            if etree.QName(el).localname in ("created", "modified"):
                root.remove(el)
    if name == "xl/workbook.xml":
        for el in root.findall("m:calcPr", NS):
            root.remove(el)
    sheet_data = root.find("m:sheetData", NS)
    if sheet_data is not None:
        for c in sheet_data.iter(f"{{{NS['m']}}}c"):
            f = c.find("m:f", NS)
            if f is not None and f.text == "TODAY()":
                for v in c.findall("m:v", NS):
                    c.remove(v)
        rows = list(sheet_data)
        if len(rows) > 4:
            for r in rows[3:-1]:
                sheet_data.remove(r)
            sheet_data.insert(
                3, etree.Comment(f" {len(rows)} rows; rows 4..{len(rows) - 1} omitted ")
            )
    etree.indent(root, space=" ")
    return etree.tostring(root, encoding="unicode") + "\n"


def parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: normalise(n, z.read(n)) for n in sorted(z.namelist())}


@pytest.mark.parametrize(("lang", "portable"), VARIANTS)
def test_empty_template_matches_reviewed_xml(tmp_path, lang, portable):
    variant = f"{lang}_{'portable' if portable else 'udf'}"
    got = parts(build_workbook(tmp_path / f"{variant}.xlsx", lang=lang, portable=portable))
    folder = GOLDEN / variant
    if UPDATE:
        for old in folder.rglob("*"):
            if old.is_file():
                old.unlink()
        for name, text in got.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    want = {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    assert sorted(got) == sorted(want), "parts added or removed"
    for name in want:
        assert got[name] == want[name], f"{variant}/{name} differs from the reviewed reference"

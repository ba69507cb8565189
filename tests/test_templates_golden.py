"""The generated XML of each empty template (zh/en x UDF/portable) against reviewed
references in ``tests/golden/``, after normalisation, so an unintended change shows as a
readable diff.

Every row of every sheet is under review.  Normalisation: XML pretty-printed; docProps
dates and ``calcPr`` dropped; the cached value of the Config sheet's ``=TODAY()`` cell
dropped; a run of rows that differ only in their row number (the blank Table rows) is kept
as its first row and a comment saying which rows repeat it.

Regenerate after a reviewed, intended change:
``CSQ_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_templates_golden.py``.
"""

from __future__ import annotations

import os
import re
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
        _collapse_repeats(sheet_data)
    etree.indent(root, space=" ")
    return etree.tostring(root, encoding="unicode") + "\n"


def _row_shape(row: etree._Element) -> bytes:
    """A row's XML with its own row number taken out of its cell references."""
    n = row.get("r", "")
    return re.sub(rb'( r="[A-Z]*)' + n.encode() + rb'"', rb'\1#"', etree.tostring(row))


def _collapse_repeats(sheet_data: etree._Element) -> None:
    """Keep the first row of each run of rows that differ only in their row number."""
    rows = list(sheet_data)
    i = 0
    while i < len(rows):
        shape = _row_shape(rows[i])
        j = i + 1
        while j < len(rows) and _row_shape(rows[j]) == shape:
            j += 1
        if j - i > 1:
            first, last = rows[i].get("r"), rows[j - 1].get("r")
            for r in rows[i + 1 : j]:
                sheet_data.remove(r)
            rows[i].addnext(
                etree.Comment(f" rows {int(first) + 1}..{last}: as row {first}, but their number ")
            )
        i = j


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

"""Customer text shaped like xlsxwriter's own rich-string XML stays text in every output.

xlsxwriter's streaming mode writes a string that starts with ``<r>`` and ends with ``</r>``
into the sheet XML unescaped; CSQ's :class:`~workbook_templates.xlsx_safe.SafeWorkbook`
must write it as ordinary text.  Checked on a workbook (template writer, both row paths),
its report and the per-agent feedback files: every sheet part parses, no foreign element
appears, and the cell reads back as exactly what the customer wrote.
"""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from lxml import etree
from report_fixtures import AS_OF, monitoring

from addin.cli import main
from workbook_templates import builder
from workbook_templates.builder import build_workbook

CRAFTED = "<r><t>hi</t></r><x/><c r='Z9'><v>1</v></c>bad</r>"


def _parts_parse_without_foreign_elements(path) -> None:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith(".xml"):
                continue
            root = etree.fromstring(z.read(name))  # raises on broken XML
            assert not root.xpath("//*[local-name()='x']"), f"{path.name}:{name}"


def _workbook(path, rows: int) -> None:
    m = monitoring().drop(columns=["_row", "period"]).head(8)
    m = m.loc[m.index.repeat(max(1, rows // len(m)))].reset_index(drop=True)
    m["contact_id"] = [f"C{i:05d}" for i in range(len(m))]
    for c in ("answered", "resolved_first_contact"):
        m[c] = m[c].map({1.0: "Y", 0.0: "N"})
    m["problem_description"] = CRAFTED
    m["qc_note"] = " " + CRAFTED  # leading space: kept too
    build_workbook(path, lang="en", monitoring=m, as_of=AS_OF)


@pytest.mark.parametrize("fast", [True, False])
def test_template_writer_keeps_crafted_text_as_text(tmp_path, monkeypatch, fast):
    monkeypatch.setattr(builder, "FAST_ROWS", fast)
    path = tmp_path / "w.xlsx"
    _workbook(path, 40)
    _parts_parse_without_foreign_elements(path)
    ws = openpyxl.load_workbook(path)["Monitoring"]
    header = [c.value for c in ws[1]]
    desc = header.index("Problem description") + 1
    note = header.index("QC note") + 1
    values = {ws.cell(r, desc).value for r in range(2, 42)}
    assert values == {CRAFTED}
    assert ws.cell(2, note).value == " " + CRAFTED


def test_report_and_feedback_keep_crafted_text_as_text(tmp_path):
    src = tmp_path / "team.xlsx"
    _workbook(src, 8)
    out = tmp_path / "out"
    assert main(["report", str(src), "-o", str(out), "--as-of", AS_OF.isoformat()]) in (0, 1)
    report = out / "team.report.xlsx"
    _parts_parse_without_foreign_elements(report)
    texts = {
        c.value
        for ws in openpyxl.load_workbook(report).worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and "bad</r>" in c.value
    }
    assert CRAFTED in texts  # the typical cases show the description as written
    fb = tmp_path / "fb"
    assert main(["feedback", str(src), "-o", str(fb), "--as-of", AS_OF.isoformat()]) in (0, 1)
    files = sorted(fb.rglob("*.xlsx"))
    assert files
    for f in files:
        _parts_parse_without_foreign_elements(f)

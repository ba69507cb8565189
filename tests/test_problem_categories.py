"""The problem-category choice list on the Config sheet (issue 12, SPEC section 3).

Chain of dropdowns, checked in the written XML: the Config list "问题类别选项" (defined name
``CSQ_List_problem_category``) -> the Problems sheet's Problem column -> the Monitoring
problem-category column, which offers the Problems table's problems.  The reader warns, on
its cell, about a Monitoring category that is in neither the Config list nor the Problems
table.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest

from addin.cli import main as csq
from addin.read.workbook import read_workbook
from workbook_templates.builder import build_workbook

# the complaint categories of the default keyword list, then 其他 (written out by hand)
ZH_DEFAULTS = [
    "等待时间长",
    "态度冷淡",
    "服务规范",
    "答复不准确",
    "问题未解决",
    "物流延迟",
    "退款慢",
    "系统故障",
    "流程繁琐",
    "其他",
]


def _sheet_xml(path, sheet_name: str) -> str:
    """The worksheet XML of ``sheet_name`` (through workbook.xml and its relationships)."""
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet name="{sheet_name}" sheetId="\d+" r:id="(rId\d+)"', wb)[1]
        target = re.search(rf'Id="{rid}" Type="[^"]+" Target="([^"]+)"', rels)
        target = target or re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels)
        return z.read("xl/" + target[1].lstrip("/").removeprefix("xl/")).decode()


def _validations(xml: str) -> dict[str, tuple[str, str]]:
    """sqref -> (errorStyle or 'stop', formula1) of every list validation."""
    out = {}
    for attrs, body in re.findall(r"<dataValidation ([^>]*[^/])>(.*?)</dataValidation>", xml, re.S):
        if 'type="list"' not in attrs:
            continue
        sqref = re.search(r'sqref="([^"]+)"', attrs)[1]
        style = re.search(r'errorStyle="(\w+)"', attrs)
        out[sqref] = (style[1] if style else "stop", re.search(r"<formula1>(.*?)<", body)[1])
    return out


@pytest.fixture(scope="module")
def zh_template(tmp_path_factory):
    return build_workbook(tmp_path_factory.mktemp("t") / "new.xlsx", lang="zh")


def test_the_config_sheet_holds_the_list_with_the_template_problem_types(zh_template):
    wb = openpyxl.load_workbook(zh_template)
    ws = wb["配置"]
    marker = next(
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 1).value == "table.choices.problem_category"
    )
    assert ws.cell(marker, 2).value == "问题类别选项"
    first = marker + 2  # marker row, header row, then the defaults
    assert [ws.cell(first + i, 1).value for i in range(len(ZH_DEFAULTS))] == ZH_DEFAULTS
    ref = wb.defined_names["CSQ_List_problem_category"].attr_text
    # 10 defaults + 10 spare rows for the team's own types
    assert ref == f"'配置'!$A${first}:$A${first + 19}"
    assert not ws.cell(first + 19, 1).protection.locked  # a spare row: typed into


def test_the_dropdown_chain_in_the_written_xml(zh_template):
    problems = _validations(_sheet_xml(zh_template, "问题分析"))
    # the Problems sheet's Problem column (A) offers the Config list, with a warning only
    assert problems["A2:A1048575"] == ("warning", "CSQ_List_problem_category")
    mon_xml = _sheet_xml(zh_template, "监测表")
    hdr = openpyxl.load_workbook(zh_template)["监测表"]
    col = next(c.column_letter for c in hdr[1] if c.value == "问题类别")
    mon = _validations(mon_xml)
    # the Monitoring problem category offers the Problems table's problems (200 rows)
    assert mon[f"{col}2:{col}1048575"] == ("warning", "'问题分析'!$A$2:$A$201")


def test_english_template_list_and_linked_problem_stays_free(tmp_path):
    path = build_workbook(tmp_path / "en.xlsx", lang="en")
    ws = openpyxl.load_workbook(path)["Config"]
    marker = next(
        r
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 1).value == "table.choices.problem_category"
    )
    assert ws.cell(marker, 2).value == "Problem category choices"
    assert ws.cell(marker + 2, 1).value == "Long wait"
    assert ws.cell(marker + 11, 1).value == "Other"
    # the Actions sheet's linked problem is not a dropdown
    actions = _validations(_sheet_xml(path, "Actions"))
    assert all("CSQ_List_problem_category" not in f for _s, f in actions.values())


def _row(cid: str, category: str | None) -> dict:
    return {
        "contact_id": cid,
        "contact_time": dt.datetime(2026, 10, 5, 10),
        "agent_id": "KF01",
        "problem_category": category,
    }


def test_a_category_in_neither_list_is_a_warning_on_its_cell(tmp_path, capsys):
    rows = [
        _row("C1", "退款慢"),  # row 2: a Config default
        _row("C2", "发票问题"),  # row 3: on the Problems sheet only
        _row("C3", "运费争议"),  # row 4: in neither -> warning
        _row("C4", None),  # row 5: blank, nothing to check
        _row("C5", "  退款慢 "),  # row 6: spaces around a default: known
    ]
    path = build_workbook(
        tmp_path / "c.xlsx", lang="zh", monitoring=rows, problems=[{"problem": "发票问题"}]
    )
    data = read_workbook(path, lang="en")
    warn = [f for f in data.findings if f.key == "problem_category"]
    hdr = [c.value for c in openpyxl.load_workbook(path)["监测表"][1]]
    col = openpyxl.utils.get_column_letter(hdr.index("问题类别") + 1)
    assert [(f.cell, f.value, f.severity) for f in warn] == [(f"{col}4", "运费争议", "warning")]
    assert "not on the Config list 'Problem category choices'" in warn[0].rule
    assert data.errors == []
    # csq validate lists it, names the cell, and exits 0 (a warning only)
    capsys.readouterr()
    assert csq(["validate", str(path)]) == 0
    out = capsys.readouterr()
    assert f"监测表!{col}4" in out.out + out.err


def test_a_type_added_on_config_is_known(tmp_path):
    path = build_workbook(
        tmp_path / "a.xlsx", lang="en", monitoring=[_row("C1", "Freight dispute")]
    )
    assert [f.value for f in read_workbook(path).findings if f.key == "problem_category"] == [
        "Freight dispute"
    ]
    wb = openpyxl.load_workbook(path)
    sheet, rng = wb.defined_names["CSQ_List_problem_category"].attr_text.split("!")
    cells = wb[sheet.strip("'")][rng.replace("$", "")]
    next(c[0] for c in cells if c[0].value is None).value = "freight DISPUTE"  # case ignored
    wb.save(path)
    assert [f for f in read_workbook(path).findings if f.key == "problem_category"] == []


def test_no_warning_without_anything_to_compare(tmp_path):
    """An older workbook: no Config list and no problems -> nothing to warn about."""
    path = build_workbook(tmp_path / "o.xlsx", lang="en", monitoring=[_row("C1", "Anything")])
    wb = openpyxl.load_workbook(path)
    ws = wb["Config"]
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == "table.choices.problem_category":
            ws.cell(r, 1).value = None  # the list is gone
    wb.save(path)
    assert [f for f in read_workbook(path).findings if f.key == "problem_category"] == []

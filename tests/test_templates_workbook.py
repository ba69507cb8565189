"""What a user of the standard workbook notices: ``csq new``, sheet and header names,
dropdowns, locked formulas, customer text kept as text, the Config sheet read back,
and the printed (PDF) pages."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile

import openpyxl
import pandas as pd
import pytest

from addin.cli import main
from addin.read.config_sheet import parse_config_grid, read_as_of
from udfs.core.config import DEFAULT_CONFIG
from udfs.core.data import Finding
from workbook_templates import example_rows as sample
from workbook_templates.builder import EMPTY_ROWS, build_workbook
from workbook_templates.config_sheet import (
    NAME_AS_OF,
    NAME_GRADE_THRESHOLDS,
    NAME_WEIGHTS,
)
from workbook_templates.schema import ACTIONS, MONITORING, PROBLEMS, SHEETS


def test_csq_new_writes_a_workbook_and_refuses_to_overwrite(tmp_path, capsys, monkeypatch):
    target = tmp_path / "qa.xlsx"
    assert main(["new", str(target), "--lang", "en"]) == 0
    assert str(target) in capsys.readouterr().out
    assert openpyxl.load_workbook(target).sheetnames == [s.en for s in SHEETS]

    before = target.read_bytes()
    monkeypatch.setenv("CSQ_LANG", "zh")  # messages follow CSQ_LANG, the workbook --lang
    assert main(["new", str(target), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "已存在" in err and "--force" in err  # in the message language
    assert target.read_bytes() == before  # untouched

    assert main(["new", str(target), "--lang", "zh", "--portable", "--force"]) == 0
    assert openpyxl.load_workbook(target).sheetnames == [s.zh for s in SHEETS]


def test_csq_new_wants_an_xlsx_name(tmp_path, capsys):
    assert main(["new", str(tmp_path / "qa.xls")]) == 2
    assert ".xlsx" in capsys.readouterr().err
    assert not (tmp_path / "qa.xls").exists()


@pytest.mark.parametrize("portable", [False, True])
def test_csq_new_rows_gives_that_many_monitoring_rows(tmp_path, portable):
    target = tmp_path / "big.xlsx"
    args = ["new", str(target), "--lang", "en", "--rows", "750"]
    assert main(args + (["--portable"] if portable else [])) == 0
    ws = openpyxl.load_workbook(target)["Monitoring"]
    (table,) = ws.tables.values()
    assert table.ref.endswith("751")  # header + 750 rows to type into
    col = next(c.column for c in ws[1] if c.value == "QA score")
    first = ws.cell(2, col).value
    if portable:  # one native formula per row, down to the last blank row
        assert str(ws.cell(751, col).value).startswith("=")
    else:  # one spilling CSQ_SCORE call covering all 750 rows
        assert "CSQ_SCORE" in first.text and first.ref.endswith("751")


def test_csq_new_rows_out_of_range_is_a_usage_error(tmp_path, capsys):
    assert main(["new", str(tmp_path / "x.xlsx"), "--lang", "en", "--rows", "0"]) == 2
    assert "--rows 0" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("portable", [False, True])
def test_headers_are_the_declared_headers_and_tables_cover_the_inputs(tmp_path, lang, portable):
    wb = openpyxl.load_workbook(build_workbook(tmp_path / "t.xlsx", lang=lang, portable=portable))
    for sheet in (MONITORING, PROBLEMS, ACTIONS):
        ws = wb[sheet.name(lang)]
        headers = [c.value for c in ws[1] if c.value is not None]
        assert sorted(headers) == sorted(c.header(lang) for c in sheet.columns)
        table = ws.tables[sheet.table]
        table_headers = [c.name for c in table.tableColumns]
        assert set(sheet.input_keys) <= {
            c.key for c in sheet.columns if c.header(lang) in table_headers
        }
        assert table.ref.endswith(str(EMPTY_ROWS + 1))
        assert ws.freeze_panes is not None


def test_dropdowns_are_in_the_sheet_language(tmp_path):
    wb = openpyxl.load_workbook(build_workbook(tmp_path / "t.xlsx", lang="zh"))
    ws = wb["监测表"]
    lists = {
        str(dv.sqref).split(":")[0]: dv.formula1
        for dv in ws.data_validations.dataValidation
        if dv.type == "list"
    }
    # channel and service type offer the Config sheet's editable lists (issue 12)
    assert lists["C2"] == "CSQ_List_channel"
    assert lists["D2"] == "CSQ_List_service_type"
    ref = wb.defined_names["CSQ_List_channel"].attr_text
    sheet, cells = ref.split("!")
    got = [c[0].value for c in wb[sheet.strip("'")][cells.replace("$", "")]]
    assert got[:5] == ["电话", "在线客服", "邮件", "社交媒体", "工单"]
    assert got[5:] == [None] * 6  # blank rows for the team's own channels
    svc = wb.defined_names["CSQ_List_service_type"].attr_text.split("!")
    got = [c[0].value for c in wb[svc[0].strip("'")][svc[1].replace("$", "")]]
    assert {"维修", "建议", "咨询", "投诉"} <= set(got)
    assert lists["L2"] == '"Y,N"'
    assert lists["Q2"] == '"5,4,3,2,1,N/A"'
    dates = [dv for dv in ws.data_validations.dataValidation if dv.type == "date"]
    assert dates and dates[0].showErrorMessage and dates[0].prompt
    status = wb["改进跟踪"].data_validations.dataValidation
    assert any(dv.formula1 == '"未开始,进行中,已完成,已取消,延期"' for dv in status)
    # 延期3天 (seeds/001) is typed, not picked: the status list warns rather than stops
    assert {dv.errorStyle for dv in status if dv.formula1 and "延期" in dv.formula1} == {"warning"}


def test_formulas_are_locked_and_inputs_editable_without_a_password(tmp_path):
    wb = openpyxl.load_workbook(
        build_workbook(tmp_path / "t.xlsx", lang="en", monitoring=sample.monitoring_rows(5, "en"))
    )
    ws = wb["Monitoring"]
    hdr = [c.value for c in ws[1]]
    assert ws.protection.sheet and not ws.protection.password
    assert ws.cell(2, hdr.index("QA score") + 1).protection.locked
    assert ws.cell(3, hdr.index("Grade") + 1).protection.locked
    speed = hdr.index("Response speed") + 1
    assert ws.cell(3, speed).value is not None and not ws.cell(3, speed).protection.locked
    assert not ws.cell(2, hdr.index("Contact ID") + 1).protection.locked
    # empty cells take their column's format: unlocked for inputs, locked for formulas
    letter = openpyxl.utils.get_column_letter
    assert not ws.column_dimensions[letter(speed)].protection.locked
    assert ws.column_dimensions[letter(hdr.index("Grade") + 1)].protection.locked


def test_customer_text_that_looks_like_a_formula_stays_text(tmp_path):
    rows = pd.DataFrame(
        [
            {
                "contact_id": "=1+1",
                "contact_time": dt.datetime(2024, 6, 1, 9, 30),
                "agent_id": "@E001",
                "problem_description": '=HYPERLINK("http://evil")',
                "qc_note": "+SUM(A1:A9)",
                "critical_error": "-cmd",
                "customer_id": 13800138000,
            }
        ]
    )
    path = build_workbook(tmp_path / "t.xlsx", lang="en", monitoring=rows)
    ws = openpyxl.load_workbook(path)["Monitoring"]
    hdr = [c.value for c in ws[1]]
    for header, text in (
        ("Contact ID", "=1+1"),
        ("Agent ID", "@E001"),
        ("Problem description", '=HYPERLINK("http://evil")'),
        ("QC note", "+SUM(A1:A9)"),
        ("Critical error", "-cmd"),
        ("Customer ID", "13800138000"),
    ):
        cell = ws.cell(2, hdr.index(header) + 1)
        assert (cell.value, cell.data_type) == (text, "s"), header
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet3.xml").decode()
    assert '<is><t>=HYPERLINK("http://evil")</t></is>' in xml  # stored as in-line text
    assert "<f>HYPERLINK" not in xml and "<f>1+1" not in xml and "<f>SUM(A1" not in xml
    # the critical error made the score 0 (auto-fail), cached in the file
    cached = openpyxl.load_workbook(path, data_only=True)["Monitoring"]
    assert cached.cell(2, hdr.index("QA score") + 1).value == 0
    assert cached.cell(2, hdr.index("Grade") + 1).value == "Fail"


def test_choice_labels_of_either_language_are_accepted(tmp_path):
    rows = [
        {"contact_id": "1", "agent_id": "a", "channel": "电话", "service_type": "complaint"},
        {"contact_id": "2", "agent_id": "a", "channel": "Chat", "answered": "yes"},
    ]
    ws = openpyxl.load_workbook(build_workbook(tmp_path / "t.xlsx", lang="en", monitoring=rows))[
        "Monitoring"
    ]
    hdr = [c.value for c in ws[1]]
    col = hdr.index("Channel") + 1
    assert [ws.cell(r, col).value for r in (2, 3)] == ["Phone", "Chat"]
    assert ws.cell(2, hdr.index("Service type") + 1).value == "Complaint"
    assert ws.cell(3, hdr.index("Answered") + 1).value == "Y"


def test_unknown_input_column_is_refused(tmp_path):
    from udfs.core.errors import UsageError

    with pytest.raises(UsageError, match="unknown column.*scroe"):
        build_workbook(tmp_path / "t.xlsx", monitoring=[{"contact_id": "1", "scroe": 5}])


def _config_grid(path, sheet):
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    return [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_config_sheet_reads_back_as_the_default_configuration(tmp_path, lang):
    path = build_workbook(tmp_path / "t.xlsx", lang=lang, as_of=dt.date(2024, 7, 10))
    sheet = "配置" if lang == "zh" else "Config"
    cfg, findings = parse_config_grid(_config_grid(path, sheet))
    assert findings == []
    assert cfg == DEFAULT_CONFIG
    assert read_as_of(_config_grid(path, sheet)) == dt.date(2024, 7, 10)
    names = openpyxl.load_workbook(path).defined_names
    assert {NAME_WEIGHTS, NAME_GRADE_THRESHOLDS, NAME_AS_OF} <= set(names)
    assert names[NAME_WEIGHTS].attr_text == f"'{sheet}'!$C$5:$C$10"


def test_config_sheet_edits_are_read_and_bad_cells_reported(tmp_path):
    path = build_workbook(tmp_path / "t.xlsx", lang="zh")
    grid = _config_grid(path, "配置")
    row = {r[0]: i for i, r in enumerate(grid) if r and r[0]}
    grid[row["contact.solving"]][2] = 40  # a QA lead raises the weight of solving
    grid[row["contact.records"]][2] = "十"  # and mistypes another
    grid[row["pareto_a"]][2] = 0.7
    cfg, findings = parse_config_grid(grid)
    weights = {i.key: i.weight for i in cfg.contact_indicators}
    assert weights["solving"] == 40 and weights["records"] == 10  # default kept
    assert cfg.pareto_a == 0.7
    assert findings == [
        Finding(
            "配置",
            f"C{row['contact.records'] + 1}",
            "十",
            "权重须为不小于 0 的数字；已使用默认值",  # the zh sheet gets zh messages
            "error",
            "contact.records",
            "config_weight",
        )
    ]


def test_config_with_all_weights_zero_falls_back_and_says_so(tmp_path):
    grid = _config_grid(build_workbook(tmp_path / "t.xlsx", lang="en"), "Config")
    for r in grid:
        if r and isinstance(r[0], str) and r[0].startswith("contact."):
            r[2] = 0
    cfg, findings = parse_config_grid(grid)
    assert cfg.contact_indicators == DEFAULT_CONFIG.contact_indicators
    assert len(findings) == 1 and "weights are zero" in findings[0].rule
    assert findings[0].cell == "C5"


@pytest.mark.parametrize(
    ("lang", "expect"),
    [
        ("zh", ["监测表", "质检得分", "帕累托分类", "逾期 5 天", "评价表"]),
        ("en", ["Monitoring", "QA score", "Pareto class", "Overdue by 5 days", "Evaluation form"]),
    ],
)
def test_filled_workbook_prints_to_pdf_with_its_text(tmp_path, lang, expect):
    as_of = dt.date(2024, 7, 10)
    src = build_workbook(
        tmp_path / f"print_{lang}.xlsx",
        lang=lang,
        portable=True,
        monitoring=sample.monitoring_rows(200, lang),
        problems=sample.problem_rows(lang),
        actions=sample.action_rows(as_of, lang),
        as_of=as_of,
        as_of_fixed=True,
    )
    profile = (tmp_path / "lo").as_uri()
    subprocess.run(
        [shutil.which("soffice") or "soffice", f"-env:UserInstallation={profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / f"print_{lang}.pdf"), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    for word in expect:
        assert word in text, word
    # every page carries the header row of its sheet (repeat rows)
    pages = text.split("\f")
    mon = [p for p in pages if MONITORING.column("contact_id").header(lang) in p]
    assert len(mon) >= 2

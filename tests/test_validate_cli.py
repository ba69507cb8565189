"""``csq validate``: grouped findings with exact texts, counts, exit codes, JSON with stable
codes; the workbook is never modified.  Problems as data: every code has both texts and is
documented, and one read words a finding (or a rejection) in either language exactly as a
read in that language did."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pickle
import re
from pathlib import Path

import pandas as pd
import pytest
from test_reader_headers import table, write_book

from addin.cli import main
from addin.jobs.validate import validate_workbook
from addin.read.safety import REFUSALS
from addin.read.workbook import read_workbook
from udfs.core.errors import InputError
from udfs.core.problems import CELL_FORMS, CODES
from workbook_templates.builder import build_workbook

T = dt.datetime(2024, 6, 3, 9, 5)


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _bad(tmp_path: Path) -> Path:
    rows = [["C1", T, "A1", 5], ["C2", T, "A2", 9], ["C2", "soon", "A3", 4]]
    return write_book(
        tmp_path / "bad.xlsx",
        {"Monitoring": table("A1", ["Contact ID", "Contact time", "Agent ID", "CSAT (1-5)"], rows)},
    )


def test_errors_exit_1_with_every_problem_grouped_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _bad(tmp_path)
    before = _sha(path)
    code = main(["validate", str(path), "--lang", "en"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[:5] == [
        "Monitoring: 3 error(s), 1 warning(s)",
        # rule 5: every optional field that has no column is stated (CSAT is there)
        "  [warning] Monitoring  23 optional column(s) not found, so the figures that need "
        "them show no data: Channel, Service type, Team, Reviewer, Customer ID, First response "
        "(s), Handle time (s), Resolution time (h), Answered, Resolved first contact, "
        "Transferred, NPS (0-10), Response speed, Service attitude, Problem-solving ability, Professional knowledge, Customer satisfaction, Record keeping, "
        "Critical error, Problem category, Problem description, QC note, Reviewer's verdict",
        "  [error] Monitoring!D3 '9'  CSAT (1-5): not in 1-5; allowed: a whole number from 1 to 5, or blank",
        "  [error] Monitoring!A4 'C2'  Contact ID: C2 is a duplicate of row 3; each contact needs its own id",
        "  [error] Monitoring!B4 'soon'  Contact time: is not a date; allowed: a date and time "
        "from 2000-01-01 to 2100-01-01, e.g. 2024-06-15 09:30",
    ]
    # no Problems/Actions/Config sheets: warnings, listed but not failing on their own
    assert out[-1] == f"{path}: 3 error(s), 4 warning(s) in 3 monitoring row(s)"
    assert _sha(path) == before


def test_chinese_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", str(_bad(tmp_path)), "--lang", "zh"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0] == "Monitoring：3 个错误，1 个警告"
    assert out[1].startswith(
        "  [警告] Monitoring  未找到 23 个可选列，依赖它们的指标显示为无数据：渠道、"
    )
    assert (
        out[2]
        == "  [错误] Monitoring!D3 '9'  满意度(1-5)：不在 1-5 范围内；允许：1 到 5 之间的整数，或留空"
    )


def test_clean_standard_workbook_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = pd.DataFrame(
        {
            "contact_id": ["C1", "C2"],
            "contact_time": [T, T],
            "agent_id": ["A1", "A2"],
            "csat": [5, 4],
        }
    )
    path = build_workbook(tmp_path / "ok.xlsx", lang="en", monitoring=rows)
    before = _sha(path)
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"{path}: no problems found (2 monitoring rows)"
    assert _sha(path) == before


def test_warnings_alone_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cells = table("A1", ["Contact ID", "Contact time", "Agent ID"], [["C1", T, "A1"]])
    path = write_book(tmp_path / "w.xlsx", {"Monitoring": cells})
    assert main(["validate", str(path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "0 error(s), 4 warning(s) in 1 monitoring row(s)" in out


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _bad(tmp_path)
    assert main(["validate", str(path), "--json", "--lang", "en"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["errors"] == 3 and doc["warnings"] == 4 and doc["monitoring_rows"] == 3
    assert doc["sha256"] == _sha(path)
    first = next(f for f in doc["findings"] if f["cell"])
    assert first == {
        "sheet": "Monitoring",
        "cell": "D3",
        "value": "9",
        "rule": "CSAT (1-5): not in 1-5; allowed: a whole number from 1 to 5, or blank",
        "severity": "error",
        "key": "csat",
        "code": "not_in_range",
        "field": "csat",
        "params": {
            "name": "csat",
            "lo": "1",
            "hi": "5",
            "header": "CSAT (1-5)",
            "allowed": "a whole number from 1 to 5, or blank",
        },
    }
    assert [(f["sheet"], f["cell"], f["code"], f["field"]) for f in doc["findings"]] == [
        ("Monitoring", "", "optional_missing", ""),
        ("Monitoring", "D3", "not_in_range", "csat"),
        ("Monitoring", "A4", "duplicate_id", "contact_id"),
        ("Monitoring", "B4", "not_a_date", "contact_time"),
        ("Problems", "", "sheet_missing", ""),
        ("Actions", "", "sheet_missing", ""),
        ("Config", "", "config_missing", ""),
    ]
    dup = doc["findings"][2]["params"]
    assert (dup["first"], dup["header"]) == (3, "Contact ID")
    assert doc["findings"][2]["value"] == "C2"  # the {value} of its text


def test_unreadable_file_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "x.xlsx"
    p.write_bytes(b"not a workbook")
    assert main(["validate", str(p), "--lang", "en"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"csq: error: {p}: not a valid .xlsx file (it is not a zip archive; was it renamed, or is it damaged?)"
    )


def test_library_twin_gives_the_same_findings(tmp_path: Path) -> None:
    found = validate_workbook(_bad(tmp_path), lang="en")
    assert [(f.cell, f.severity) for f in found if f.severity == "error"] == [
        ("D3", "error"),
        ("A4", "error"),
        ("B4", "error"),
    ]


# ---- problems as data ----------------------------------------------------------------------


def _rich(folder: Path) -> Path:
    """One Monitoring sheet with a problem of nearly every kind, and a Problems sheet."""
    heads = ["Contact ID", "Contact time", "Agent ID", "CSAT (1-5)", "Channel", "Answered"]
    heads += ["NPS (0-10)", "Speed", "Handle time (min)", "Reviewer's verdict"]
    heads += ["Problem category", "Agent ID", "Csat score", "Records", None]
    rows = [
        ["C1", T, "A1", 9, "Fax", "maybe", -1, "x", -5, "maybe", "Typo", "A9", 1, None, None],
        ["C2", "soon", None, 2.5, "Phone", "Y", 5, 5, 3, "Fail", "Slow reply"],
        ["C2", dt.datetime(1990, 1, 1), "A3", "abc"],
    ]
    cells = table("A2", heads, rows)
    cells["P1"] = "Team"  # a header above the header row
    problems = table("A1", ["Problem", "Direct cause", "Root cause"], [["Slow reply", "x", "y"]])
    return write_book(
        folder / "rich.xlsx",
        {"Monitoring": cells, "Problems": problems},
        merges={"Monitoring": ["N2:O2"]},
    )


def _no_time_column(folder: Path) -> Path:
    cells = table("A1", ["Contact ID", "Agent ID", "CSAT (1-5)"], [["C1", "A1", 5]])
    return write_book(folder / "nocol.xlsx", {"Monitoring": cells})


def _by_headers(folder: Path) -> Path:
    mon = table(
        "A1", ["Contact ID", "Contact time", "Agent ID", "CSAT (1-5)"], [["C1", T, "A1", 5]]
    )
    return write_book(
        folder / "byheaders.xlsx", {"Sheet1": mon, "Problems": {"A1": "nothing here", "B3": 7}}
    )


# (cell, code, English rule, Chinese rule): the rules as an English and a Chinese read
# worded them before findings were coded
RICH = [
    (
        "",
        "optional_missing",
        "14 optional column(s) not found, so the figures that need them show no data: Service type, Reviewer, Customer ID, First response (s), Resolution time (h), Resolved first contact, Transferred, Service attitude, Problem-solving ability, Professional knowledge, Customer satisfaction, Critical error, Problem description, QC note",
        "未找到 14 个可选列，依赖它们的指标显示为无数据：服务类型、质检员、客户编号、首次响应(秒)、解决时长(小时)、首次解决、是否转接、服务态度、问题解决能力、专业知识、客户满意度、致命错误、问题描述、质检备注",
    ),
    (
        "P1",
        "moved_header",
        "header Team is in row 1, not in the header row 2; the column is not read (move the header into row 2)",
        "表头 班组 位于第 1 行，而不在表头行第 2 行；该列未读取（请移到第 2 行）",
    ),
    (
        "L2",
        "duplicate_header",
        "column Agent ID appears twice (C2 and L2); only C2 is read",
        "列 客服工号 出现两次（C2 和 L2）；只读取 C2",
    ),
    (
        "M2",
        "unknown_header_near",
        "column Csat score is not a known header and is not read; did you mean CSAT (1-5)?",
        "列 Csat score 不是可识别的表头，未读取；是否应为 满意度(1-5)？",
    ),
    (
        "N2",
        "merged_header",
        "header cells N2:O2 are merged; give each column its own header cell in row 2 (columns under the merge are not read)",
        "表头单元格 N2:O2 被合并；第 2 行中每一列都需要单独的表头单元格（合并区域下的列未读取）",
    ),
    (
        "D3",
        "not_in_range",
        "CSAT (1-5): not in 1-5; allowed: a whole number from 1 to 5, or blank",
        "满意度(1-5)：不在 1-5 范围内；允许：1 到 5 之间的整数，或留空",
    ),
    (
        "E3",
        "new_choice",  # a value on no Config list: counted as typed, one warning (issue 20)
        "Channel: Fax is not on the Config list; accepted and counted as typed (1 row(s))",
        "渠道：Fax 不在配置表的选项中，已按原文计入（1 行）",
    ),
    (
        "F3",
        "not_yes_no",
        "Answered: is not Y/N; allowed: Y or N (also yes/no, 是/否, 1/0), or blank",
        "是否接通：不是 Y/N；允许：Y 或 N（也可填 是/否、yes/no、1/0），或留空",
    ),
    (
        "G3",
        "not_in_range",
        "NPS (0-10): not in 0-10; allowed: a whole number from 0 to 10, or blank",
        "推荐度(0-10)：不在 0-10 范围内；允许：0 到 10 之间的整数，或留空",
    ),
    (
        "H3",
        "not_a_number_or_na",
        "Response speed: is not a number or N/A; allowed: a whole number from 1 to 5, or N/A, or blank",
        "响应速度：不是数字或 N/A；允许：1 到 5 之间的整数，或 N/A（不适用），或留空",
    ),
    (
        "I3",
        "not_in_range",
        "Handle time (s): not in 0-2592000; allowed: a number from 0 to 2592000, or blank",
        "处理时长(秒)：不在 0-2592000 范围内；允许：0 到 2592000 之间的数字，或留空",
    ),
    (
        "B4",
        "not_a_date",
        "Contact time: is not a date; allowed: a date and time from 2000-01-01 to 2100-01-01, e.g. 2024-06-15 09:30",
        "联系时间：不是有效日期；允许：2000-01-01 至 2100-01-01 之间的日期时间，如 2024-06-15 09:30",
    ),
    (
        "C4",
        "agent_id_blank",  # a blank agent: one warning per column (issue 20)
        "Agent ID: blank in 1 row(s): agent rankings and feedback skip them",
        "客服工号：1 行为空，客服排名与个人反馈不含这些行",
    ),
    (
        "D4",
        "not_a_whole_number",
        "CSAT (1-5): not a whole number; allowed: a whole number from 1 to 5, or blank",
        "满意度(1-5)：不是整数；允许：1 到 5 之间的整数，或留空",
    ),
    (
        "A5",
        "duplicate_id",
        "Contact ID: C2 is a duplicate of row 4; each contact needs its own id",
        "工单编号：C2 与第 4 行重复；每条记录的编号必须唯一",
    ),
    (
        "B5",
        "date_out_of_range",
        "Contact time: 1990-01-01 is outside 2000-01-01 to 2100-01-01; allowed: a date and time from 2000-01-01 to 2100-01-01, e.g. 2024-06-15 09:30",
        "联系时间：1990-01-01 超出 2000-01-01 至 2100-01-01；允许：2000-01-01 至 2100-01-01 之间的日期时间，如 2024-06-15 09:30",
    ),
    (
        "D5",
        "not_a_number",
        "CSAT (1-5): is not a number; allowed: a whole number from 1 to 5, or blank",
        "满意度(1-5)：不是数字；允许：1 到 5 之间的整数，或留空",
    ),
    (
        "",
        "sheet_missing",
        "sheet 改进跟踪 / Actions not found (sheets in the file: Monitoring, Problems)",
        "未找到工作表 改进跟踪 / Actions（文件中的工作表：Monitoring, Problems）",
    ),
    (
        "",
        "config_missing",
        "no Config sheet (配置 / Config); the default indicator system is used",
        "没有配置表（配置 / Config）；使用默认指标体系",
    ),
    (
        "J3",
        "not_a_verdict",
        "Reviewer's verdict: not a verdict; allowed: Pass or Fail (合格/不合格), optionally with a reason, e.g. Fail (stock not synced), or blank",
        "质检员判定：不是判定；允许：合格 或 不合格（Pass/Fail），可加原因，如 不合格(未同步仓库数据)，或留空",
    ),
    (
        "J4",
        "verdict_disagrees",
        "Reviewer's verdict Fail differs from the score-based result Pass (QA score 100); the report uses the verdict",
        "质检员判定为不合格，按得分判定为合格（质检得分 100）；报告以质检员判定为准",
    ),
    (
        "I2",
        "unit_disagrees",
        "Handle time (min): the header says min but the Config setting handle_time_unit is s; the values are read as s (the setting)",
        "Handle time (min)：表头单位为分钟，但“配置”表 handle_time_unit 为秒；数值按配置表的单位（秒）换算",
    ),
    (
        "K3",
        "unknown_category",
        "Problem category: not on the Config list 'Problem category choices' nor among the Problems sheet's problems; add it to one of them (it is counted as typed)",
        "问题类别：不在配置表“问题类别选项”中，也不是问题分析表中的问题；请添加到其中之一（按原文统计）",
    ),
]
REJECTED = [
    (
        "",
        "optional_missing",
        "23 optional column(s) not found, so the figures that need them show no data: Channel, Service type, Team, Reviewer, Customer ID, First response (s), Handle time (s), Resolution time (h), Answered, Resolved first contact, Transferred, NPS (0-10), Response speed, Service attitude, Problem-solving ability, Professional knowledge, Customer satisfaction, Record keeping, Critical error, Problem category, Problem description, QC note, Reviewer's verdict",
        "未找到 23 个可选列，依赖它们的指标显示为无数据：渠道、服务类型、班组、质检员、客户编号、首次响应(秒)、处理时长(秒)、解决时长(小时)、是否接通、首次解决、是否转接、推荐度(0-10)、响应速度、服务态度、问题解决能力、专业知识、客户满意度、信息记录规范性、致命错误、问题类别、问题描述、质检备注、质检员判定",
    ),
    (
        "",
        "missing_column",
        "required column Contact time (联系时间) not found (header row 1: Contact ID, Agent ID, CSAT (1-5))",
        "缺少必需的列 联系时间 (Contact time)（表头行 1：Contact ID, Agent ID, CSAT (1-5)）",
    ),
    (
        "",
        "sheet_missing",
        "sheet 问题分析 / Problems not found (sheets in the file: Monitoring)",
        "未找到工作表 问题分析 / Problems（文件中的工作表：Monitoring）",
    ),
    (
        "",
        "sheet_missing",
        "sheet 改进跟踪 / Actions not found (sheets in the file: Monitoring)",
        "未找到工作表 改进跟踪 / Actions（文件中的工作表：Monitoring）",
    ),
    (
        "",
        "config_missing",
        "no Config sheet (配置 / Config); the default indicator system is used",
        "没有配置表（配置 / Config）；使用默认指标体系",
    ),
]
BYHEADERS = [
    (
        "",
        "sheet_by_headers",
        "sheet Sheet1 is read as 监测表 / Monitoring (recognised by its headers)",
        "工作表 Sheet1 按表头识别为 监测表 / Monitoring",
    ),
    (
        "",
        "optional_missing",
        "23 optional column(s) not found, so the figures that need them show no data: Channel, Service type, Team, Reviewer, Customer ID, First response (s), Handle time (s), Resolution time (h), Answered, Resolved first contact, Transferred, NPS (0-10), Response speed, Service attitude, Problem-solving ability, Professional knowledge, Customer satisfaction, Record keeping, Critical error, Problem category, Problem description, QC note, Reviewer's verdict",
        "未找到 23 个可选列，依赖它们的指标显示为无数据：渠道、服务类型、班组、质检员、客户编号、首次响应(秒)、处理时长(秒)、解决时长(小时)、是否接通、首次解决、是否转接、推荐度(0-10)、响应速度、服务态度、问题解决能力、专业知识、客户满意度、信息记录规范性、致命错误、问题类别、问题描述、质检备注、质检员判定",
    ),
    (
        "",
        "no_header_row",
        "no header row found in the first 30 rows; expected headers such as Problem",
        "前 30 行中未找到表头行；应包含如 问题类型 等列名",
    ),
    (
        "",
        "sheet_missing",
        "sheet 改进跟踪 / Actions not found (sheets in the file: Sheet1, Problems)",
        "未找到工作表 改进跟踪 / Actions（文件中的工作表：Sheet1, Problems）",
    ),
    (
        "",
        "config_missing",
        "no Config sheet (配置 / Config); the default indicator system is used",
        "没有配置表（配置 / Config）；使用默认指标体系",
    ),
]


@pytest.mark.parametrize(
    ("make", "expected"), [(_rich, RICH), (_no_time_column, REJECTED), (_by_headers, BYHEADERS)]
)
def test_one_read_words_each_finding_in_both_languages(tmp_path: Path, make, expected) -> None:
    path = make(tmp_path)
    en = read_workbook(path, lang="en").findings
    assert [(f.cell, f.code, f.rule, f.render("zh")) for f in en] == expected
    zh = read_workbook(path, lang="zh").findings
    assert [(f.cell, f.code, f.render("en"), f.rule) for f in zh] == expected
    assert [f.render("en") for f in en] == [f.rule for f in en]


def test_a_rejection_is_worded_in_either_language_from_one_read(tmp_path: Path) -> None:
    data = read_workbook(_no_time_column(tmp_path), lang="zh")
    assert (
        data.rejected
        == data.rejected_in("zh")
        == (
            "Monitoring: 缺少必需的列 联系时间 (Contact time)（表头行 1：Contact ID, Agent ID, CSAT (1-5)）"
        )
    )
    assert data.rejected_in("en") == (
        "Monitoring: required column Contact time (联系时间) not found "
        "(header row 1: Contact ID, Agent ID, CSAT (1-5))"
    )
    assert [p.code for p in data.rejections] == ["in_sheet"]
    none = write_book(tmp_path / "nosheet.xlsx", {"Notes": {"A1": "hello"}})
    data = read_workbook(none, lang="en")
    assert (
        data.rejected_in("en") == "sheet 监测表 / Monitoring not found (sheets in the file: Notes)"
    )
    assert data.rejected_in("zh") == "未找到工作表 监测表 / Monitoring（文件中的工作表：Notes）"
    assert read_workbook(_rich(tmp_path)).rejected_in("zh") == ""


def test_a_refused_file_is_worded_in_either_language_from_one_error(tmp_path: Path) -> None:
    p = tmp_path / "x.xlsx"
    p.write_bytes(b"not a workbook")
    with pytest.raises(InputError) as exc:
        read_workbook(p, lang="en")
    assert exc.value.code == "not_zip"
    assert (
        exc.value.render("en")
        == str(exc.value)
        == (
            f"{p}: not a valid .xlsx file (it is not a zip archive; was it renamed, or is it damaged?)"
        )
    )
    assert exc.value.render("zh").startswith(f"{p}：")
    assert pickle.loads(pickle.dumps(exc.value)).render("zh") == exc.value.render("zh")


def test_every_code_has_both_texts_and_is_documented() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "validate.md").read_text(encoding="utf-8")
    for table_ in (CODES, REFUSALS):
        for code, (en, zh) in table_.items():
            assert re.fullmatch(r"[a-z][a-z_]*", code), code
            assert en.strip() and zh.strip() and en != zh or code == "in_sheet", code
            assert f"`{code}`" in docs, f"{code} missing from docs/validate.md"
            # the same parameters in both languages
            assert set(re.findall(r"{(\w+)}", en)) == set(re.findall(r"{(\w+)}", zh)), code
    assert set(CELL_FORMS) <= set(CODES)


def test_an_export_finding_names_its_source_column_in_either_language(tmp_path: Path) -> None:
    from addin.read.ticket_export import convert, open_export

    maps = Path(__file__).parent.parent / "addin" / "maps"
    lines = (maps / "example_export.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    # date, talk time, first reply (a channel of the export's own, such as Fax, is no
    # longer a finding: it joins the workbook's Config list, issue 23)
    cells[1], cells[10], cells[9] = "2024-13-45", "4m30", "soon"
    export = tmp_path / "bad.csv"
    export.write_text("\n".join([lines[0], ",".join(cells)]) + "\n", encoding="utf-8")
    imap, rows = open_export(export, maps / "example_map.toml", "en")
    found = convert(rows, imap, "en").findings
    assert [(f.sheet, f.code, f.key) for f in found] == [
        ("bad.csv:2", "bad_date_format", "contact_time"),
        ("bad.csv:2", "not_a_number", "first_response_s"),
        ("bad.csv:2", "bad_duration", "handle_time_s"),
    ]
    assert [f.render("zh") for f in found[::2]] == [
        "列 'Created Date + Created Time'：联系时间：2024-13-45 09:05 与日期格式 %d/%m/%Y %H:%M "
        "不符；允许：2000-01-01 至 2100-01-01 之间的日期时间，如 2024-06-15 09:30",
        "列 'Talk Time'：处理时长(秒)：4m30 不是 hh:mm:ss 格式的时长；允许：0 到 2592000 之间的数字，或留空",
    ]
    assert found[2].rule == (
        "column 'Talk Time': Handle time (s): 4m30 is not a duration hh:mm:ss; "
        "allowed: a number from 0 to 2592000, or blank"
    )

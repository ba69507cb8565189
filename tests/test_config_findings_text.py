"""The Config sheet's and the QA cycle's findings word exactly what they always did, in
both languages, and each carries a stable code that words it in the other language too
(the texts below are written out by hand: a change of wording shows here)."""

from __future__ import annotations

import types

import pandas as pd
import pytest

from addin.read.config_sheet import parse_config_grid, read_population, read_report_period
from udfs.core.config import DEFAULT_CONFIG
from udfs.core.problems import CODES
from udfs.core.qa_cycle import analyse_cycle
from workbook_templates.config_sheet import layout
from workbook_templates.config_tables import ConfigTable, TableColumn, read_table

SHEET = {"en": "Config", "zh": "配置"}


def _grid(lang):
    cells = layout(lang).cells
    width = max(c.col for c in cells) + 1
    grid = [[None] * width for _ in range(max(c.row for c in cells) + 1)]
    for c in cells:
        grid[c.row][c.col] = c.value
    return grid


def _rows(grid):
    return {r[0]: i for i, r in enumerate(grid) if r and isinstance(r[0], str)}


def _check(findings, expected, lang):
    """``expected``: (cell, value, key, English, Chinese) per finding, in order."""
    assert [(f.cell, f.value, f.key) for f in findings] == [e[:3] for e in expected]
    for f, (_, _, _, en, zh) in zip(findings, expected, strict=True):
        assert f.rule == (zh if lang == "zh" else en)
        assert f.code in CODES, f.rule
        assert f.render("en") == en and f.render("zh") == zh


CELLS = [
    ("D5", "xx", "contact.speed",
     "group must be one of efficiency/professionalism/attitude/result",
     "分组须为 效率/专业/态度/结果 之一"),
    ("F5", "yy", "contact.speed",
     "rule must be one of rubric/bands/yes_no/percent/score",
     "规则须为 rubric/bands/yes_no/percent/score 之一"),
    ("G6", "a;b", "contact.attitude",
     "bands must be numbers separated by ';' (e.g. 30;60)",
     "bands 须为以“;”分隔的数字（如 30;60）"),
    ("C10", "十", "contact.records",
     "weight must be a number 0 or more; the default is used",
     "权重须为不小于 0 的数字；已使用默认值"),
    ("C25", "1.5", "repeat_window_days",
     "Repeat-contact window (days) must be a whole number; the default is used",
     "重复来电窗口(天) 须为整数；已使用默认值"),
    ("C26", "x", "pareto_a",
     "Pareto class A up to must be a number; the default is used",
     "帕累托 A 类上限 须为数字；已使用默认值"),
    ("C29", "weeks", "first_response_unit",
     "First response unit must be s / min / h; the default is used",
     "首次响应单位 须为s / min / h；已使用默认值"),
    ("C7", "0.1", "contact.solving",
     "weight 0.1 is a fraction beside whole-point weights (15, 20, 15, 15): was 10% meant? "
     "Weights are points, e.g. 10; the dimension counts 0.2% of the total as typed",
     "权重 0.1 是小数，而其他权重为整数分值（15, 20, 15, 15）：是否想填 10%？权重按分值填写，"
     "如 10；按现值该项只占总权重的 0.2%"),
]  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_config_cells_are_coded_findings_with_the_same_text(lang):
    grid = _grid(lang)
    at = _rows(grid)
    grid[at["contact.records"]][2] = "十"
    grid[at["contact.speed"]][3] = "xx"
    grid[at["contact.speed"]][5] = "yy"
    grid[at["contact.attitude"]][6] = "a;b"
    grid[at["contact.solving"]][2] = 0.1
    grid[at["pareto_a"]][2] = "x"
    grid[at["repeat_window_days"]][2] = 1.5
    grid[at["first_response_unit"]][2] = "weeks"
    grid[at["population"]][2] = "abc"
    grid[at["report_period"]][2] = "xyz"
    _, findings = parse_config_grid(grid)
    assert {f.sheet for f in findings} == {SHEET[lang]}
    _check(findings, CELLS, lang)

    _, found = read_population(grid, "S")
    expect = [("C31", "abc", "population",
               "contacts handled must be a whole number of 1 or more, or blank; it is ignored",
               "接待量须为不小于 1 的整数，或留空；已忽略")]  # fmt: skip
    _check(found, expect, lang)
    _, found = read_report_period(grid, "S")
    expect = [("C32", "xyz", "report_period",
               "period 'xyz' is not one of the accepted forms: YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY, "
               "YYYY-MM-DD..YYYY-MM-DD (e.g. 2024-07, 2024-Q3, 2024-H2, 2024, "
               "2024-07-01..2024-07-15)",
               "报告期 'xyz' 格式不正确；可用格式：YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY, "
               "YYYY-MM-DD..YYYY-MM-DD（例如 2024-07、2024-Q3、2024-H2、2024、"
               "2024-07-01..2024-07-15）")]  # fmt: skip
    _check(found, expect, lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_invalid_indicators_and_parts_falling_back_are_coded_with_the_same_text(lang):
    grid = _grid(lang)
    at = _rows(grid)
    grid[at["contact.knowledge"]][5:8] = ["bands", "60;30", "1;2;3"]
    extra = list(grid[at["contact.records"]])
    extra[0:2], extra[5:8] = ["contact.extra", "Extra"], ["bands", "", ""]
    grid.insert(at["contact.records"] + 1, extra)
    _, findings = parse_config_grid(grid)
    _check(findings, [
        ("A8", "contact.knowledge", "contact.knowledge",
         "indicator 'knowledge' is invalid (bands must be in ascending order, got [60.0, 30.0]); "
         "the default is used",
         "指标 'knowledge' 无效（分段阈值须从小到大排列，当前为 [60.0, 30.0]）；已使用默认值"),
        ("A11", "contact.extra", "contact.extra",
         "indicator 'extra' is invalid (rule 'bands' needs at least one threshold in 'bands'); "
         "the default is used",
         "指标 'extra' 无效（“bands”规则至少需要一个分段阈值）；已使用默认值"),
    ], lang)  # fmt: skip

    grid = _grid(lang)
    for k, i in _rows(grid).items():
        if k.startswith("team."):
            grid[i][2] = 0
    _, findings = parse_config_grid(grid)
    _check(findings, [
        ("C14", "", "team_indicators",
         "team_indicators: all weights are zero; at least one must be above 0; "
         "the defaults for team_indicators are used",
         "team_indicators: all weights are zero; at least one must be above 0；"
         "team_indicators 已使用默认值"),
    ], lang)  # fmt: skip


LIMITS = ConfigTable(
    "limits",
    "测试上限",
    "Test limits",
    (
        TableColumn("name", "名称", "Name", required=True),
        TableColumn("limit", "上限", "Limit", "number"),
        TableColumn("side", "方向", "Side", "choice", ("higher", "lower")),
    ),
)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_config_table_cells_are_coded_with_the_same_text(lang):
    grid = [["x"], ["table.limits"], ["h"], [None, "85%?", "sideways"]]
    _, findings = read_table(grid, LIMITS, "S", lang)
    _check(findings, [
        ("A4", "", "", "Name: required in a filled row", "名称：该行已填写时必填"),
        ("B4", "85%?", "", "Limit: a number", "上限：应为数字"),
        ("C4", "sideways", "", "Side: one of higher / lower", "方向：应为以下之一：higher / lower"),
    ], lang)  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sampling_findings_are_coded_with_the_same_text(lang):
    mon = pd.DataFrame({"reviewer": ["A"] * 3})
    cur = pd.DataFrame({"score": [80.0, 90.0, 70.0]}, index=mon.index)
    tables = {
        "sampling": [{"item": "min_ratio", "value": "2", "_row": 40}],
        "population": [{"period": "2024-06", "stratum": None, "contacts": 100}],
    }
    data = types.SimpleNamespace(
        config_tables=tables, lang=lang, population=None, monitoring=mon, calibration=None
    )
    findings = analyse_cycle(data, cur, "2024-06", DEFAULT_CONFIG).findings  # type: ignore[arg-type]
    assert {(f.sheet, f.severity) for f in findings} == {(SHEET[lang], "warning")}
    _check(findings, [
        ("B40", "2", "",
         "min_ratio must be a number between 0 and 1; 10 % is used",
         "min_ratio 须为 0 到 1 之间的数字；已使用 10%"),
        ("B40", "", "",
         "sampling ratio 3.0% of 2024-06 (3 of 100 contacts) is below the minimum 10%",
         "2024-06 抽样比例 3.0%（100 条中抽取 3 条）低于最低要求 10%"),
    ], lang)  # fmt: skip

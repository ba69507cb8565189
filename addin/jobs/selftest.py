"""The self-test workbook (``csq selftest``): every CSQ_ function on fixed inputs, beside the
value the Python core gives for the same inputs, with a PASS/FAIL cell per row and a total.

Opened in Excel with the add-in loaded and recalculated (*Refresh scores*), the workbook is
the test report of that installation, the way xlwings' own ``udf_tests.xlsm`` is: cell
``A2`` says ``all N passed`` (or how many failed), and each row shows which function and
input gave what.  Until Excel has calculated it, every check cell says *not calculated*, so
an unopened or macro-blocked copy never claims a pass.

Layout of the one sheet (:data:`SELFTEST_SHEET`): title in A1, the total in A2, headers in
row 4, one check per row from row 5: A number, B function, C what is checked, D the CSQ_
formula, E the expected value (computed here by the Python functions, i.e. the core), F
PASS/FAIL, H onward the inputs the formula reads.  Only functions Excel 2007 has are used
around the CSQ_ calls (IF, IFERROR, ISNUMBER, ABS, MAX, COUNTIF, INDEX).
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_col_to_name

SELFTEST_SHEET = "CSQ selftest"
"""Name of the self-test sheet (the ribbon's *Refresh scores* recognises it by this name)."""

SELFTEST_FILE = "selftest.xlsx"
"""Its name in ``dist/`` (written by the add-in build beside ``csq.xlam``)."""

TOTAL_CELL = "A2"
FIRST_ROW = 5  # 1-based row of the first check
INPUT_COL = 7  # 0-based column H: the first input cell of a row

NOT_CALCULATED = "not calculated / 未计算"
NOT_CALCULATED_TOTAL = (
    "not calculated yet: open in Excel with the CSQ add-in, enable editing and press "
    "Refresh scores / 尚未计算：请在装有 CSQ 加载项的 Excel 中打开，启用编辑后点击“刷新评分”"
)


@dataclass(frozen=True)
class Cells:
    """Input values written in the row's input cells (one row, left to right)."""

    values: tuple[Any, ...]


@dataclass(frozen=True)
class Check:
    """One row: ``function(*args)``; ``args`` are :class:`Cells` or literals typed into the
    formula; ``pick`` (1-based column) wraps the call in ``INDEX(..., 1, pick)`` for
    functions that return one value per input cell of a row."""

    function: str
    args: tuple[Any, ...]
    what: str
    pick: int | None = None


def _day(y: int, m: int, d: int) -> int:
    """Excel's serial day number of a date."""
    return (_dt.date(y, m, d) - _dt.date(1899, 12, 30)).days


RUBRIC = Cells((5, 4, 3, 5, 4, 5))
CHECKS: tuple[Check, ...] = (
    Check("CSQ_SCORE", (RUBRIC,), "QA score of six ratings / 六项评分的质检得分"),
    Check("CSQ_SCORE", (Cells((5, 5, "N/A", 4, 4, 3)),), "N/A skipped / N/A 不计"),
    Check("CSQ_SCORE", (RUBRIC, Cells(("辱骂客户",))), "critical error gives 0 / 致命错误为 0 分"),
    Check("CSQ_EXPLAIN", (RUBRIC,), "how the score was reached / 得分说明"),
    Check("CSQ_GRADE", (Cells((85,)),), "grade of 85 / 85 分的等级"),
    Check("CSQ_GRADE", (Cells((85,)), Cells((95, 85, 70)), "en"), "own thresholds, English"),
    Check("CSQ_LEVEL", (Cells((4,)),), "level of a rating 4 / 评分 4 的水平"),
    Check("CSQ_LEVEL", (Cells((2,)), "en"), "level of a rating 2, English"),
    Check("CSQ_BAND", (Cells((45,)),), "first response 45 s / 首次响应 45 秒"),
    Check("CSQ_BAND", (Cells((4,)), "speed"), "speed preset / speed 档位"),
    Check("CSQ_COMPOSITE", (Cells((85, 4.2, 0.8, 40)),), "composite / 综合得分"),
    Check("CSQ_PARETO", (Cells((50, 30, 15, 5)),), "share of the 2nd / 第二类占比", pick=2),
    Check(
        "CSQ_PARETO",
        (Cells((50, 30, 15, 5)), Cells(("a", "b", "c", "d")), "class"),
        "ABC class of the 3rd / 第三类的 ABC 分类",
        pick=3,
    ),
    Check(
        "CSQ_ACTION_STATUS",
        (Cells((_day(2026, 1, 10),)), Cells((_day(2026, 1, 14),)), Cells((_day(2026, 2, 1),))),
        "done 4 days late / 延期 4 天完成",
    ),
    Check(
        "CSQ_DAYS_LATE",
        (Cells((_day(2026, 1, 10),)), Cells((None,)), Cells((_day(2026, 1, 20),))),
        "overdue 10 days / 逾期 10 天",
    ),
    Check("CSQ_MET", (Cells((80,)), Cells((85,)), Cells((86,))), "target met / 达到目标"),
    Check("CSQ_QC_RESULT", (Cells((75,)),), "QC pass / 质检合格"),
    Check("CSQ_QC_RESULT", (Cells((75,)), Cells(("Y",))), "critical error fails / 致命错误"),
    Check("CSQ_CSAT", (Cells((5, 4, 3, 5, 2)),), "CSAT mean / 满意度均值"),
    Check("CSQ_CSAT", (Cells((5, 4, 3, 5, 2)), "pct"), "CSAT share of 4-5 / 4-5 分占比"),
    Check("CSQ_NPS", (Cells((10, 9, 9, 6, 8)),), "NPS"),
    Check("CSQ_FCR", (Cells(("Y", "Y", "N", "Y")),), "first-contact resolution / 首次解决率"),
    Check("CSQ_SLA", (Cells((20, 30, 45, 10)),), "service level 30 s / 30 秒服务水平"),
    Check(
        "CSQ_REPEAT_RATE",
        (
            Cells(("C1", "C1", "C2", "C3")),
            Cells(tuple(_day(2026, 1, d) for d in (5, 13, 14, 23))),
        ),
        "repeat contacts within 30 days / 30 天重复来电率",
    ),
    Check("CSQ_MASK", (Cells(("13800138000",)),), "customer id masked / 客户号脱敏"),
    Check("CSQ_TAG", (Cells(("客服态度冷淡，没解决",)),), "problem category / 问题分类"),
    Check(
        "CSQ_PROCESS",
        (Cells((8,)), Cells((20, 50, 40, 10))),
        "every service step within its limit / 各服务步骤均未超时",
    ),
    Check(
        "CSQ_PROCESS",
        (Cells((8,)), Cells((20, 50, 40, 30))),
        "call-back after 30 h / 30 小时后回访",
    ),
    Check("CSQ_VERSION", (), "version of the add-in / 加载项版本"),
)
"""The rows of the self-test, in order; every function of ``udfs.functions`` appears."""


def _python_arg(arg: Any) -> Any:
    if isinstance(arg, Cells):
        if len(arg.values) == 1:
            return arg.values[0]
        return [list(arg.values)]
    return arg


def _scalar(value: Any, pick: int | None) -> Any:
    while isinstance(value, list):
        if not value:
            return None
        row = value[0]
        if pick is not None and isinstance(row, list):
            value = row[pick - 1]
            pick = None
        else:
            value = row
    return value


def expected_value(check: Check) -> Any:
    """What the Python functions (the core) give for the check's inputs: "" for blank."""
    from udfs.functions import FUNCTIONS

    value = _scalar(FUNCTIONS[check.function](*[_python_arg(a) for a in check.args]), check.pick)
    return "" if value is None else value


def _formula(check: Check, row: int) -> tuple[str, list[Any]]:
    """The check's formula for 1-based ``row`` and the input values it reads, in order."""
    parts: list[str] = []
    inputs: list[Any] = []
    for arg in check.args:
        if isinstance(arg, Cells):
            first = INPUT_COL + len(inputs)
            inputs.extend(arg.values)
            last = INPUT_COL + len(inputs) - 1
            ref = f"{xl_col_to_name(first)}{row}"
            if last > first:
                ref += f":{xl_col_to_name(last)}{row}"
            parts.append(ref)
        elif isinstance(arg, str):
            parts.append('"' + arg.replace('"', '""') + '"')
        else:
            parts.append(repr(arg))
    call = f"{check.function}({','.join(parts)})"
    if check.pick is not None:
        call = f"INDEX({call},1,{check.pick})"
    return "=" + call, inputs


def check_formula(row: int) -> str:
    """PASS when D equals E (numbers to 1e-9 relative), FAIL otherwise or on an error."""
    d, e = f"D{row}", f"E{row}"
    return (
        f'=IFERROR(IF(ISNUMBER({e}),IF(ABS({d}-{e})<=0.000000001*MAX(1,ABS({e})),"PASS","FAIL"),'
        f'IF({d}&""={e}&"","PASS","FAIL")),"FAIL")'
    )


def total_formula(first: int, last: int) -> str:
    """``all N passed`` / ``K of N failed``, in English and Chinese."""
    n = last - first + 1
    ok = f'COUNTIF(F{first}:F{last},"PASS")'
    return (
        f'=IF({ok}={n},"all {n} passed / 全部 {n} 项通过",'
        f'({n}-{ok})&" of {n} failed / {n} 项中有 "&({n}-{ok})&" 项未通过")'
    )


def write_selftest(path: str | os.PathLike[str], checks: Sequence[Check] = CHECKS) -> Path:
    """Write the self-test workbook to ``path`` (atomically); returns the path."""
    import xlsxwriter

    from udfs import __version__
    from workbook_templates.output import XLSX_WRITE_OPTIONS, atomic_path

    options = {**XLSX_WRITE_OPTIONS, "constant_memory": False}
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), options)
        wb.set_custom_property("CSQ", "udf")  # the add-in re-enters CSQ_ formulas on open
        wb.set_properties({"title": "CSQ selftest", "comments": f"CSQ {__version__}"})
        ws = wb.add_worksheet(SELFTEST_SHEET)
        bold = wb.add_format({"bold": True})
        big = wb.add_format({"bold": True, "font_size": 14})
        date = wb.add_format({"num_format": "yyyy-mm-dd"})
        ws.write(0, 0, f"CSQ {__version__} selftest / 自检", big)
        first, last = FIRST_ROW, FIRST_ROW + len(checks) - 1
        ws.write_formula(TOTAL_CELL, total_formula(first, last), big, NOT_CALCULATED_TOTAL)
        headers = (
            "#",
            "Function / 函数",
            "Check / 检查内容",
            "Result in Excel / Excel 结果",
            "Expected (Python core) / 预期（Python 核心）",
            "PASS / FAIL",
            "",
            "Inputs / 输入 →",
        )
        for c, h in enumerate(headers):
            ws.write(FIRST_ROW - 2, c, h, bold)
        for i, check in enumerate(checks):
            row = first + i
            formula, inputs = _formula(check, row)
            ws.write_number(row - 1, 0, i + 1)
            ws.write_string(row - 1, 1, check.function)
            ws.write_string(row - 1, 2, check.what)
            ws.write_formula(row - 1, 3, formula, None, "")
            want = expected_value(check)
            if isinstance(want, str):
                ws.write_string(row - 1, 4, want)
            else:
                ws.write_number(row - 1, 4, float(want))
            ws.write_formula(row - 1, 5, check_formula(row), bold, NOT_CALCULATED)
            for j, v in enumerate(inputs):
                col = INPUT_COL + j
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(row - 1, col, v)
                elif check.function in ("CSQ_ACTION_STATUS", "CSQ_DAYS_LATE") or (
                    check.function == "CSQ_REPEAT_RATE" and j >= 4
                ):
                    ws.write_number(row - 1, col, v, date)
                else:
                    ws.write_number(row - 1, col, v)
        ws.set_column(0, 0, 4)
        ws.set_column(1, 1, 20)
        ws.set_column(2, 2, 38)
        ws.set_column(3, 4, 30)
        ws.set_column(5, 5, 11)
        ws.set_column(INPUT_COL, INPUT_COL + 7, 11)
        ws.freeze_panes(FIRST_ROW - 1, 0)
        wb.close()
    return Path(path)


def selftest_outcome(path: str | os.PathLike[str]) -> tuple[str, str]:
    """The total cell of a calculated self-test workbook (what Excel computed, or the
    Excel error it holds) as (English, Chinese)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        value = wb[SELFTEST_SHEET][TOTAL_CELL].value
    finally:
        wb.close()
    text = str(value if value not in (None, "") else NOT_CALCULATED_TOTAL)
    en, _, zh = text.partition(" / ")
    return (en, zh or en)

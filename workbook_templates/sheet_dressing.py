"""What a data sheet carries besides its rows: input checks, highlights, protection, print.

The dropdowns and input messages of the input columns (:func:`validation`), the colours of
grades, failed QC results, class-A problems and late actions, the frozen panes, the sheet
protection and the page setup (:func:`dress_data_sheet`).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from xlsxwriter.worksheet import Worksheet

from udfs.core.fields import MONITORING_FIELDS, PROBLEM_FIELDS, RUBRIC_CHOICES, Lang
from workbook_templates.config_tables import NAME_PROBLEM_CATEGORIES
from workbook_templates.formats import Formats
from workbook_templates.formulas import SheetLayout, choice_labels
from workbook_templates.schema import (
    ACTIONS,
    CALIBRATION,
    MONITORING,
    PROBLEMS,
    Column,
    Sheet,
    col_letter,
)

MAX_ROW = 1_048_575  # last 0-based row; validation and formats reach the whole column


def _list_names() -> dict[str, str]:
    """Monitoring choice column -> the defined name of its editable Config list."""
    from workbook_templates.config_tables import CONFIG_TABLES

    return {
        t.key.removeprefix("choices."): t.names[0][1]
        for t in CONFIG_TABLES
        if t.names and t.key.startswith("choices.")
    }


def _warning_list(
    col: Column, lang: Lang, source: str, msg: str, prompt: str, error_title: str
) -> dict[str, Any]:
    """A dropdown of the list at ``source`` that accepts another text after a warning."""
    sep = "：" if lang == "zh" else ": "
    return {
        "validate": "list",
        "source": "=" + source,
        "input_title": col.header(lang)[:32],
        "input_message": prompt[:255],
        "error_title": error_title[:32],
        "error_message": f"{col.header(lang)}{sep}{msg}"[:255],
        "error_type": "warning",
        "ignore_blank": True,
    }


def validation(col: Column, lang: Lang, problems_ref: str = "") -> dict[str, Any] | None:
    """The data validation of an input column (``None``: the column takes any entry)."""
    zh = lang == "zh"
    list_name = _list_names().get(col.key) if col.field in MONITORING_FIELDS.values() else None
    if col.kind == "choice" and list_name:
        # the dropdown offers the Config sheet's list, which the user may edit
        v: dict[str, Any] = {"validate": "list", "source": "=" + list_name}
        msg = (
            "请从下拉列表选择（选项见配置表）："
            if zh
            else "Pick from the list (the choices are on Config): "
        ) + "/".join(choice_labels(col.choices or "", lang))
    elif col.key == "problem_category" and problems_ref:
        return _problem_category_list(col, lang, problems_ref)
    elif col.key == "problem" and col.field is PROBLEM_FIELDS["problem"]:
        return _problem_type_list(col, lang)
    elif col.kind in ("choice", "yn") and col.choices:
        labels = choice_labels(col.choices, lang)
        allowed = "/".join(labels)
        v = {"validate": "list", "source": labels}
        msg = ("请从下拉列表选择：" if zh else "Pick from the list: ") + allowed
    elif col.kind == "rubric":
        v = {"validate": "list", "source": list(RUBRIC_CHOICES)}
        msg = (
            "1-5 分，或 N/A（不适用，不计入得分）"
            if zh
            else "1-5, or N/A (not applicable: skipped in the score)"
        )
    elif col.kind in ("integer", "number") and (col.min is not None or col.max is not None):
        v, msg = _number_rule(col, zh)
    elif col.kind in ("datetime", "date"):
        v, msg = _date_rule(col, zh)
    else:
        return None
    help_ = col.help(lang)
    full = f"{msg}\n{help_}" if help_ and help_ not in msg else msg
    v.update(
        input_title=col.header(lang)[:32],
        input_message=full[:255],
        error_title=("输入无效" if zh else "Invalid entry")[:32],
        error_message=(f"{col.header(lang)}：{msg}" if zh else f"{col.header(lang)}: {msg}")[:255],
        # a Config list or an action status: another text is accepted after a warning
        error_type="warning" if list_name or col.choices == "status" else "stop",
        ignore_blank=True,
    )
    return v


def _problem_category_list(col: Column, lang: Lang, problems_ref: str) -> dict[str, Any]:
    """The problems of the Problems sheet; another text is allowed after a warning."""
    zh = lang == "zh"
    msg = (
        "问题分析表中的问题类型；新的类别请先加到问题分析表"
        if zh
        else "A problem of the Problems sheet; add a new category there first"
    )
    help_ = col.help(lang)
    full = f"{msg}\n{help_}" if help_ and help_ not in msg else msg
    error_title = "不在问题列表中" if zh else "Not on the Problems sheet"
    return _warning_list(col, lang, problems_ref, msg, full, error_title)


def _problem_type_list(col: Column, lang: Lang) -> dict[str, Any]:
    """The Problems sheet's problem types come from the Config list, which the user may
    edit; another problem is allowed after a warning."""
    zh = lang == "zh"
    msg = (
        "配置表“问题类别选项”中的问题类型；新的类型请先加到该列表"
        if zh
        else "A problem type of the Config list 'Problem category choices'; "
        "add a new type there first"
    )
    error_title = "不在问题类别选项中" if zh else "Not on the Config list"
    return _warning_list(col, lang, NAME_PROBLEM_CATEGORIES, msg, msg, error_title)


def _number_rule(col: Column, zh: bool) -> tuple[dict[str, Any], str]:
    """A whole number or a number within the column's bounds, and its message."""
    v: dict[str, Any] = {"validate": "integer" if col.kind == "integer" else "decimal"}
    if col.min is not None and col.max is not None:
        v.update(criteria="between", minimum=col.min, maximum=col.max)
        rng = f"{col.min:,.10g}-{col.max:,.10g}"
    else:
        v.update(criteria=">=", value=col.min)
        rng = f"≥ {col.min:,.10g}"
    msg = (
        ("整数 " if zh else "Whole number ")
        if col.kind == "integer"
        else ("数字 " if zh else "Number ")
    ) + rng
    return v, msg


def _date_rule(col: Column, zh: bool) -> tuple[dict[str, Any], str]:
    """A date within the column's bounds (2000-2099 by default), and its message."""
    lo = _dt.date(1899, 12, 30) + _dt.timedelta(days=col.min or 36526)
    hi = _dt.date(1899, 12, 30) + _dt.timedelta(days=col.max or 73051)
    v = {"validate": "date", "criteria": "between", "minimum": lo, "maximum": hi}
    example = "2024-06-15 09:30" if col.kind == "datetime" else "2024-06-15"
    msg = (
        f"日期，如 {example}（{lo.year}-{hi.year}）"
        if zh
        else f"A date, e.g. {example} ({lo.year}-{hi.year})"
    )
    return v, msg


PRINT_BLANK_ROWS = 20
"""Blank rows printed below the data (a blank template prints one page to fill by hand)."""


def print_area_formula(title: str, ncols: int, filled: int) -> str:
    """The data sheet's print area as a formula: the header, the rows that hold data and
    :data:`PRINT_BLANK_ROWS` blank ones, growing as rows are typed in column A (Excel
    evaluates a formula print area when it prints; the blank Table rows below are not
    printed).  ``filled``: the rows written with data."""
    q = "'" + title.replace("'", "''") + "'"
    least = filled + 1 + PRINT_BLANK_ROWS
    return f"=OFFSET({q}!$A$1,0,0,MAX({least},COUNTA({q}!$A:$A)+{PRINT_BLANK_ROWS}),{ncols})"


def dress_data_sheet(
    ws: Worksheet,
    fmt: Formats,
    sheet: Sheet,
    lay: SheetLayout,
    lang: Lang,
    last: int,
    problems_ref: str = "",
) -> None:
    """The input checks, highlights, frozen panes, protection and page setup of a data
    sheet whose last data row is ``last``."""
    end = max(last, MAX_ROW - 1)
    _input_checks(ws, sheet, lay, lang, end, problems_ref)
    _highlights(ws, fmt, sheet, lay, lang, end)
    ws.protect(
        "",
        {
            "autofilter": True,
            "sort": True,
            "format_columns": True,
            "format_rows": True,
            "insert_rows": True,
            "select_locked_cells": True,
            "select_unlocked_cells": True,
        },
    )
    ws.set_landscape()
    ws.set_paper(9)
    # A wide sheet (Monitoring has 30+ columns) printed one page wide shrinks to an
    # unreadable size: spread it over two pages and repeat the id column on each.
    wide = len(sheet.columns) > 16
    ws.fit_to_pages(2 if wide else 1, 0)
    ws.repeat_rows(0)
    if wide:
        ws.repeat_columns(0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header(f'&L&"-,Bold"{sheet.name(lang)}&RCSQ')
    ws.set_footer("&C" + ("第 &P 页，共 &N 页" if lang == "zh" else "Page &P of &N"))


def _input_checks(
    ws: Worksheet, sheet: Sheet, lay: SheetLayout, lang: Lang, end: int, problems_ref: str
) -> None:
    """Each input column's validation, or its input message when it takes any entry."""
    for i, c in enumerate(lay.columns):
        if c.role == "input":
            v = validation(c, lang, problems_ref if sheet is MONITORING else "")
            if v:
                ws.data_validation(1, i, end, i, v)
            elif c.help(lang):
                ws.data_validation(
                    1,
                    i,
                    end,
                    i,
                    {
                        "validate": "any",
                        "input_title": c.header(lang)[:32],
                        "input_message": c.help(lang)[:255],
                    },
                )


def _highlights(
    ws: Worksheet, fmt: Formats, sheet: Sheet, lay: SheetLayout, lang: Lang, end: int
) -> None:
    """Grades, failed QC results, class-A problems and late actions in colour; the panes
    each sheet freezes."""
    red = fmt.wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
    green = fmt.wb.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})
    amber = fmt.wb.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})
    blue = fmt.wb.add_format({"bg_color": "#DDEBF7", "font_color": "#1F4E78"})

    def cf(key: str, criteria: dict[str, Any]) -> None:
        i = lay.index(key)
        ws.conditional_format(1, i, end, i, criteria)

    from udfs.core.actions import STATUS_TEXT
    from udfs.core.scoring import GRADE_LABELS, QC_LABELS

    g = GRADE_LABELS[lang]
    if sheet is MONITORING:
        for label, f in (
            (g["excellent"], green),
            (g["good"], blue),
            (g["pass"], amber),
            (g["fail"], red),
        ):
            cf("grade", {"type": "cell", "criteria": "==", "value": f'"{label}"', "format": f})
        cf(
            "qc_result",
            {
                "type": "cell",
                "criteria": "==",
                "value": f'"{QC_LABELS[lang][False]}"',
                "format": red,
            },
        )
        ws.freeze_panes(1, 1)
    elif sheet is CALIBRATION:
        ws.freeze_panes(1, 2)
    elif sheet is PROBLEMS:
        cf("pareto_class", {"type": "cell", "criteria": "==", "value": '"A"', "format": red})
        ws.freeze_panes(1, 1)
    elif sheet is ACTIONS:
        tx = STATUS_TEXT[lang]
        days = f"${col_letter(lay.index('days_late'))}2"
        actual = f"${col_letter(lay.index('actual_date'))}2"
        overdue = f"AND(ISNUMBER({days}),{days}>0,NOT(ISNUMBER({actual})))"
        late = f"AND(ISNUMBER({days}),{days}>0,ISNUMBER({actual}))"
        cf("action_status", {"type": "formula", "criteria": "=" + overdue, "format": red})
        cf("action_status", {"type": "formula", "criteria": "=" + late, "format": amber})
        cf(
            "action_status",
            {"type": "cell", "criteria": "==", "value": f'"{tx["done_on_time"]}"', "format": green},
        )
        cf("days_late", {"type": "formula", "criteria": "=" + overdue, "format": red})
        ws.freeze_panes(1, 2)

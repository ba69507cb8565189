"""Writes the standard workbook (``csq new``) and filled workbooks (demo, import, tests).

Everything comes from ``schema.py`` (columns, validation, formulas) and
``config_sheet.py`` (the Config sheet).  Rows are written in order with xlsxwriter's
``constant_memory`` mode, so a 1,000,000-row Monitoring sheet keeps memory bounded.
Computed cells carry cached values computed by the CSQ_ function implementations
(``udfs.FUNCTIONS``, thin wrappers over ``udfs.core``), so a file read without the add-in
(pandas, openpyxl, ``csq report``, Excel until it recalculates) shows the right numbers;
LibreOffice recalculates spill formulas on load and WPS is untested (docs/addin.md).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_range
from xlsxwriter.worksheet import Worksheet

from udfs.core.config import DEFAULT_CONFIG, ConfigError, ScoringConfig
from udfs.core.errors import UsageError
from udfs.core.fields import (
    MONITORING_FIELDS,
    PROBLEM_FIELDS,
    RUBRIC_CHOICES,
    RUBRIC_KEYS,
    Lang,
)
from udfs.core.i18n import Catalog
from workbook_templates import fastrows, guide
from workbook_templates.cell_values import (
    Rows,
    cached_values,
    column_values,
    input_frame,
    problem_frequencies,
)
from workbook_templates.config_sheet import NAME_AS_OF
from workbook_templates.config_sheet import layout as config_layout
from workbook_templates.config_tables import NAME_PROBLEM_CATEGORIES
from workbook_templates.formulas import (
    Resolver,
    SheetLayout,
    choice_labels,
    sheet_layout,
)
from workbook_templates.output import write_atomic
from workbook_templates.schema import (
    ACTIONS,
    CALIBRATION,
    CONFIG,
    DATA_SHEETS,
    EVALUATION_FORM,
    GUIDE,
    MONITORING,
    PROBLEMS,
    TIMED_COLUMNS,
    Column,
    Sheet,
    col_letter,
    with_units,
)
from workbook_templates.xlsx_internals import cache_prepare_formula
from workbook_templates.xlsx_safe import SafeWorkbook

__all__ = ["build_workbook", "DEFAULT_CONFIG", "EMPTY_ROWS", "MAX_ROW"]

EMPTY_ROWS = 200
"""Blank rows of each Table in an empty template (protected sheets cannot grow a Table)."""
CHUNK_ROWS = 20_000
"""Monitoring rows converted and scored at a time: memory stays bounded for 1,000,000 rows."""
MAX_ROW = 1_048_575  # last 0-based row; validation and formats reach the whole column
FAST_ROWS = True
"""Write the data rows after the first through :mod:`workbook_templates.fastrows` (the same
XML as xlsxwriter's per-cell calls, several times faster); False: xlsxwriter for every cell."""

_msg = Catalog(
    {
        "bad_rows": (
            "--rows {n}: give a number of blank Monitoring rows from 1 to {most}",
            "--rows {n}：监测表空白行数须在 1 到 {most} 之间",
        ),
    }
)

TABLE_STYLE = "Table Style Medium 2"
CALC_ID = 191029  # Excel 2019 / Microsoft 365 calculation engine
HEADER_FILL = "#1F4E78"
COMPUTED_FILL = "#EEF3F8"
INPUT_FILL = "#DDEBF7"


# ----------------------------------------------------------------------- public API


def build_workbook(
    path: str | Path,
    lang: Lang = "zh",
    portable: bool = False,
    monitoring: Rows = None,
    problems: Rows = None,
    actions: Rows = None,
    config: ScoringConfig = DEFAULT_CONFIG,
    calibration: Rows = None,
    as_of: _dt.date | None = None,
    as_of_fixed: bool = False,
    blank_rows: int = EMPTY_ROWS,
    population: int | None = None,
    config_rows: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> Path:
    """Write a standard workbook to ``path`` atomically and return the path.

    ``monitoring``/``problems``/``actions`` hold rows keyed by the input columns' canonical
    keys (DataFrame or list of dicts); choice columns accept canonical keys or labels.
    Without rows, each Table gets :data:`EMPTY_ROWS` blank rows (the Monitoring Table
    ``blank_rows``: Excel does not grow a Table on a protected sheet).  ``as_of`` is the cached
    value of the Config sheet's ``=TODAY()`` cell (default: today); with ``as_of_fixed``
    the cell holds that date itself, so results are reproducible on any day.
    ``calibration``: rows of the Calibration sheet (contact id, reviewer, ratings).
    ``population`` fills the Config sheet's "contacts handled in the period" cell and
    ``config_rows`` (table key -> rows, as ``WorkbookData.config_tables``) replaces the
    default rows of the Config lists (``csq convert`` keeps a workbook's own).
    """
    if lang not in ("zh", "en"):
        raise UsageError(f"language {lang!r} not supported: use zh or en")
    if not 1 <= blank_rows < MAX_ROW:
        raise UsageError(_msg("bad_rows", lang, n=blank_rows, most=MAX_ROW - 1))
    if tuple(i.source for i in config.contact_indicators) != RUBRIC_KEYS:
        raise ConfigError(
            "the template scores the rubric columns " + ", ".join(RUBRIC_KEYS) + " in this "
            "order; per-contact indicators must use exactly these sources"
        )
    as_of = as_of or _dt.date.today()
    frames = {
        "monitoring": input_frame(monitoring, MONITORING),
        "problems": input_frame(problems, PROBLEMS),
        "actions": input_frame(actions, ACTIONS),
        "calibration": input_frame(calibration, CALIBRATION),
    }
    target = Path(path)
    write_atomic(
        target,
        lambda tmp: _write(
            tmp,
            lang,
            portable,
            frames,
            config,
            as_of,
            as_of_fixed,
            blank_rows,
            population,
            config_rows,
        ),
    )
    return target


# --------------------------------------------------------------------------- writer


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook, lang: Lang):
        font = {"font_name": "Microsoft YaHei" if lang == "zh" else "Calibri", "font_size": 10}
        self.font = font
        self.wb = wb
        self._cache: dict[tuple[Any, ...], Any] = {}
        self.title = wb.add_format(
            {**font, "bold": True, "font_size": 14, "font_color": HEADER_FILL}
        )
        self.section = wb.add_format({**font, "bold": True, "font_size": 11, "bottom": 1})
        self.header = wb.add_format(
            {
                **font,
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": HEADER_FILL,
                "text_wrap": True,
                "valign": "vcenter",
                "border": 1,
            }
        )
        self.spill_header = wb.add_format(
            {
                **font,
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": "#2E75B6",
                "text_wrap": True,
                "valign": "vcenter",
                "border": 1,
            }
        )
        self.wrap = wb.add_format({**font, "text_wrap": True, "valign": "top"})
        self.text = wb.add_format({**font, "valign": "top"})
        self.key = wb.add_format({**font, "font_color": "#7F7F7F", "font_size": 8})
        self.input_value = wb.add_format(
            {
                **font,
                "bg_color": INPUT_FILL,
                "locked": False,
                "border": 1,
                "border_color": "#9BC2E6",
            }
        )
        self.grey = wb.add_format({**font, "font_color": "#595959"})

    def cell(self, col: Column) -> Any:
        key = (col.num_format, col.role, col.kind, col.key)
        if key not in self._cache:
            spec: dict[str, Any] = dict(self.font)
            if col.num_format:
                spec["num_format"] = col.num_format
            if col.kind in ("yn", "rubric", "integer") or col.key in (
                "grade",
                "qc_result",
                "pareto_class",
                "met",
            ):
                spec["align"] = "center"
            if col.role == "input":
                spec["locked"] = False
            else:
                spec["bg_color"] = COMPUTED_FILL
            if col.kind == "text" and col.width >= 20:
                spec["text_wrap"] = False
            self._cache[key] = self.wb.add_format(spec)
        return self._cache[key]

    def setting(self, num_format: str | None, editable: bool) -> Any:
        key = ("setting", num_format, editable)
        if key not in self._cache:
            spec: dict[str, Any] = dict(self.font)
            if num_format:
                spec["num_format"] = num_format
            if editable:
                spec.update(bg_color=INPUT_FILL, locked=False, border=1, border_color="#9BC2E6")
            self._cache[key] = self.wb.add_format(spec)
        return self._cache[key]


def _write(
    path: Path,
    lang: Lang,
    portable: bool,
    frames: dict[str, pd.DataFrame | None],
    config: ScoringConfig,
    as_of: _dt.date,
    as_of_fixed: bool = False,
    blank_rows: int = EMPTY_ROWS,
    population: int | None = None,
    config_rows: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> None:
    wb = SafeWorkbook(str(path))
    wb.set_properties(
        {
            "title": "CSQ "
            + ("客服质量评价工作簿" if lang == "zh" else "customer-service quality workbook"),
            "subject": "portable" if portable else "udf",
            "author": "CSQ",
            "created": _dt.datetime(2024, 1, 1),
        }
    )
    # The marker the add-in looks for when a workbook opens (CSQRibbon.RebindOnOpen): a
    # UDF-mode workbook gets its CSQ_ formulas re-entered once, so they bind to the add-in.
    wb.set_custom_property("CSQ", "portable" if portable else "udf")
    if portable:
        wb.set_calc_mode("auto")  # native formulas: recalculating on open is always right
    else:
        # UDF mode: keep the cached values when the file is opened where the add-in is
        # absent: no full recalculation on load, and a current calc engine id (an old id
        # makes Excel recalculate everything when it opens the file).
        wb.set_calc_mode("auto", calc_id=CALC_ID)
        wb.calc_on_load = False
    fmt = _Formats(wb, lang)
    sheets = {s.key: wb.add_worksheet(s.name(lang)) for s in (GUIDE, CONFIG)}
    data_ws = {s.key: wb.add_worksheet(s.name(lang)) for s in DATA_SHEETS}
    eval_ws = wb.add_worksheet(EVALUATION_FORM.name(lang))

    guide.write_guide(sheets["guide"], fmt, lang, portable, config)
    names = _write_config(
        sheets["config"], fmt, lang, config, as_of, as_of_fixed, population, config_rows
    )
    for name, ref in names.items():
        wb.define_name(name, "=" + ref)

    mon = frames["monitoring"]
    categories = (
        column_values(mon, MONITORING.column("problem_category"), lang, len(mon))
        if mon is not None and "problem_category" in mon.columns
        else []
    )
    # the Monitoring problem-category dropdown offers the Problems sheet's problems
    n_problems = len(frames["problems"]) if frames["problems"] is not None else EMPTY_ROWS
    p_col = col_letter(sheet_layout(PROBLEMS, portable).index("problem"))
    p_sheet = PROBLEMS.name(lang).replace("'", "''")
    problems_ref = f"'{p_sheet}'!${p_col}$2:${p_col}${max(n_problems, 1) + 1}"
    for sheet in DATA_SHEETS:
        _write_data_sheet(
            data_ws[sheet.key],
            fmt,
            sheet,
            lang,
            portable,
            frames[sheet.key],
            config,
            as_of,
            categories,
            blank_rows if sheet is MONITORING else EMPTY_ROWS,
            problems_ref,
        )
    guide.write_evaluation_form(eval_ws, fmt, lang, config)
    data_ws["monitoring"].activate()
    wb.close()


def _write_config(
    ws: Worksheet,
    fmt: _Formats,
    lang: Lang,
    config: ScoringConfig,
    as_of: _dt.date,
    as_of_fixed: bool = False,
    population: int | None = None,
    config_rows: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> dict[str, str]:
    lay = config_layout(lang, config, population, config_rows)
    widths = (16, 34, 10, 16, 20, 12, 12, 12)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.set_column(0, 0, 16, fmt.key)
    for cell in sorted(lay.cells, key=lambda x: (x.row, x.col)):
        if cell.role == "title":
            ws.write_string(cell.row, cell.col, cell.value, fmt.title)
        elif cell.role == "section":
            ws.write_string(cell.row, cell.col, cell.value, fmt.section)
        elif cell.role == "header":
            ws.write_string(cell.row, cell.col, cell.value, fmt.header)
        elif cell.role == "key":
            ws.write_string(cell.row, cell.col, cell.value, fmt.key)
        elif cell.role == "formula" and as_of_fixed:  # the as-of date, fixed
            ws.write_datetime(cell.row, cell.col, as_of, fmt.setting(cell.number_format, True))
        elif cell.role == "formula":
            ws.write_formula(
                cell.row,
                cell.col,
                cell.value,
                fmt.setting(cell.number_format, True),
                (as_of - _dt.date(1899, 12, 30)).days,
            )
        elif cell.role == "value" and cell.value is None:  # optional, left for the user
            ws.write_blank(cell.row, cell.col, None, fmt.setting(cell.number_format, True))
            ws.data_validation(
                cell.row,
                cell.col,
                cell.row,
                cell.col,
                {"validate": "integer", "criteria": ">=", "value": 1, "ignore_blank": True},
            )
        elif cell.role == "value":
            ws.write_number(cell.row, cell.col, cell.value, fmt.setting(cell.number_format, True))
        elif cell.role == "entry":  # a row of a Config table: text or number, editable
            f = fmt.setting(cell.number_format, True)
            if cell.value is None:
                ws.write_blank(cell.row, cell.col, None, f)
            elif isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                ws.write_number(cell.row, cell.col, cell.value, f)
            else:
                ws.write_string(cell.row, cell.col, str(cell.value), f)
            if cell.choices:
                ws.data_validation(
                    cell.row,
                    cell.col,
                    cell.row,
                    cell.col,
                    {"validate": "list", "source": list(cell.choices), "ignore_blank": True},
                )
        else:
            ws.write_string(cell.row, cell.col, str(cell.value), fmt.text)
    assert NAME_AS_OF in lay.names
    ws.freeze_panes(1, 0)
    ws.protect("", {"format_columns": True, "format_rows": True})
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    return lay.names


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


def _validation(col: Column, lang: Lang, problems_ref: str = "") -> dict[str, Any] | None:
    zh = lang == "zh"
    title = col.header(lang)[:32]
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
        # the problems of the Problems sheet; another text is allowed after a warning
        msg = (
            "问题分析表中的问题类型；新的类别请先加到问题分析表"
            if zh
            else "A problem of the Problems sheet; add a new category there first"
        )
        help_ = col.help(lang)
        full = f"{msg}\n{help_}" if help_ and help_ not in msg else msg
        error_title = "不在问题列表中" if zh else "Not on the Problems sheet"
        return _warning_list(col, lang, problems_ref, msg, full, error_title)
    elif col.key == "problem" and col.field is PROBLEM_FIELDS["problem"]:
        # the Problems sheet's problem types come from the Config list, which the user may
        # edit; another problem is allowed after a warning
        msg = (
            "配置表“问题类别选项”中的问题类型；新的类型请先加到该列表"
            if zh
            else "A problem type of the Config list 'Problem category choices'; "
            "add a new type there first"
        )
        error_title = "不在问题类别选项中" if zh else "Not on the Config list"
        return _warning_list(col, lang, NAME_PROBLEM_CATEGORIES, msg, msg, error_title)
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
        v = {"validate": "integer" if col.kind == "integer" else "decimal"}
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
    elif col.kind in ("datetime", "date"):
        lo = _dt.date(1899, 12, 30) + _dt.timedelta(days=col.min or 36526)
        hi = _dt.date(1899, 12, 30) + _dt.timedelta(days=col.max or 73051)
        v = {"validate": "date", "criteria": "between", "minimum": lo, "maximum": hi}
        example = "2024-06-15 09:30" if col.kind == "datetime" else "2024-06-15"
        msg = (
            f"日期，如 {example}（{lo.year}-{hi.year}）"
            if zh
            else f"A date, e.g. {example} ({lo.year}-{hi.year})"
        )
    else:
        return None
    help_ = col.help(lang)
    full = f"{msg}\n{help_}" if help_ and help_ not in msg else msg
    v.update(
        input_title=title,
        input_message=full[:255],
        error_title=("输入无效" if zh else "Invalid entry")[:32],
        error_message=(f"{col.header(lang)}：{msg}" if zh else f"{col.header(lang)}: {msg}")[:255],
        error_type="stop",
        ignore_blank=True,
    )
    return v


def _write_data_sheet(
    ws: Worksheet,
    fmt: _Formats,
    sheet: Sheet,
    lang: Lang,
    portable: bool,
    df: pd.DataFrame | None,
    config: ScoringConfig,
    as_of: _dt.date,
    categories: list[Any],
    blank_rows: int = EMPTY_ROWS,
    problems_ref: str = "",
) -> None:
    lay = sheet_layout(sheet, portable)
    if sheet is MONITORING:  # first response / handle time: headers in the Config unit
        units = {k: str(getattr(config, setting)) for k, setting in TIMED_COLUMNS.items()}
        lay = dataclasses.replace(
            lay, table_columns=tuple(with_units(c, units) for c in lay.table_columns)
        )
    n_rows = len(df) if df is not None else blank_rows
    n_rows = max(n_rows, 1)
    first, last = 1, n_rows  # 0-based data rows
    res = Resolver(lay, lang, first, last)

    def chunk_values(start: int, stop: int) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
        """Cell values of the inputs and cached values of the computed columns, rows
        start..stop-1 (Monitoring is written in chunks: its computed columns are per row)."""
        part = None if df is None else df.iloc[start:stop]
        k = stop - start
        inputs = {
            c.key: column_values(part, c, lang, k) for c in sheet.columns if c.role == "input"
        }
        if sheet is PROBLEMS:
            inputs["frequency"] = problem_frequencies(inputs["problem"], categories)
        if df is None:
            cached = {c.key: [None] * k for c in sheet.columns if c.role == "computed"}
            if sheet is PROBLEMS:
                cached["frequency"] = [0] * k
        else:
            cached = cached_values(sheet, inputs, lang, config, as_of)
        return inputs, cached

    cols = lay.columns
    n_table = len(lay.table_columns)
    formulas = {c.key: res.formula(c) for c in cols if c.role == "computed"}

    # every row of a column has the same formula text: prepare it once, not per cell
    cache_prepare_formula(ws)

    # columns: width + default format (inputs unlocked, computed locked)
    for i, c in enumerate(cols):
        ws.set_column(i, i, c.width, fmt.cell(c))
    ws.set_row(0, 30)

    # the Table (defined before any row is written: constant_memory streams rows)
    # add_table's header strings are rewritten in-line below: keep the shared strings clean
    sst = {
        k: (v.copy() if isinstance(v, (dict, list)) else v) for k, v in vars(ws.str_table).items()
    }
    ws.constant_memory = 0
    # add_table() keeps one dict entry per table cell for an overlap check (gigabytes at
    # 1,000,000 rows): declare it on two rows, then widen its ranges to the real size.
    ws.add_table(
        0,
        0,
        1,
        n_table - 1,
        {
            "name": sheet.table,
            "style": TABLE_STYLE,
            "columns": [
                {"header": c.header(lang), "header_format": fmt.header} for c in lay.table_columns
            ],
        },
    )
    table = ws.tables[-1]
    ws.table_cells.clear()
    full = xl_range(0, 0, last, n_table - 1)
    table.update(range=full, a_range=full, autofilter=full)
    ws.constant_memory = 1
    vars(ws.str_table).update(sst)
    for i, c in enumerate(lay.table_columns):  # rewrite as in-line strings (streamed mode)
        ws.write_string(0, i, c.header(lang), fmt.header)
    for i, c in enumerate(lay.computed_columns, start=n_table):
        ws.write_string(0, i, c.header(lang), fmt.spill_header)

    # rows, streamed: the first through xlsxwriter (it anchors the spilled formulas), the
    # rest through the fast path (the same XML, see fastrows.py) where it applies
    cell_fmt = [fmt.cell(c) for c in cols]
    specs = [
        fastrows.RowColumn("input", cell_fmt[i])
        if c.role == "input"
        else fastrows.RowColumn("plain", cell_fmt[i])
        if lay.is_spill(c.key)
        else fastrows.RowColumn("formula", cell_fmt[i], formulas[c.key])
        for i, c in enumerate(cols)
    ]
    fast = FAST_ROWS and fastrows.fast_path_possible(ws, specs, range(first + 1, last + 1))
    step = CHUNK_ROWS if sheet is MONITORING else n_rows

    def write_row(row: int, r: int, inputs: dict[str, list[Any]], cached: dict[str, list[Any]]):
        """Row ``row`` (index ``r`` of the chunk) through xlsxwriter's per-cell calls."""
        for i, c in enumerate(cols):
            f = cell_fmt[i]
            if c.role == "input":
                _write_input(ws, row, i, inputs[c.key][r], f)
                continue
            value = cached[c.key][r]
            if lay.is_spill(c.key):
                if row == first:
                    ws.write_dynamic_array_formula(
                        row, i, last, i, formulas[c.key], f, _formula_value(value)
                    )
                else:
                    _write_plain(ws, row, i, value, f)
            else:
                ws.write_formula(row, i, formulas[c.key], f, _formula_value(value))

    for start in range(0, n_rows, step):
        stop = min(start + step, n_rows)
        inputs, cached = chunk_values(start, stop)
        skip = 1 if start == 0 else 0  # the first row: always xlsxwriter
        for r in range(skip if fast else stop - start):
            write_row(first + start + r, r, inputs, cached)
        if fast and stop - start > skip:
            values = [
                inputs[c.key][skip:]
                if c.role == "input"
                else cached[c.key][skip:]
                if lay.is_spill(c.key)
                else [_formula_value(v) for v in cached[c.key][skip:]]
                for c in cols
            ]
            fastrows.write_rows(
                ws,
                first + start + skip,
                specs,
                values,
                functools.partial(_shifted, write_row, skip, inputs, cached),
                keep_last=stop == n_rows,
            )
        del inputs, cached

    _sheet_dressing(ws, fmt, sheet, lay, lang, last, problems_ref)


def _shifted(write_row: Any, skip: int, inputs: Any, cached: Any, row: int, r: int) -> None:
    write_row(row, r + skip, inputs, cached)


def _formula_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, (np.floating, np.integer)):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _write_plain(ws: Worksheet, row: int, col: int, v: Any, f: Any) -> None:
    if v is None or v == "":
        return  # the column's format applies to an empty cell
    elif isinstance(v, str):
        ws.write_string(row, col, v, f)
    else:
        ws.write_number(row, col, float(v), f)


def _write_input(ws: Worksheet, row: int, col: int, v: Any, f: Any) -> None:
    if v is None:
        return  # the column's (unlocked, formatted) default applies to an empty cell
    elif isinstance(v, str):
        ws.write_string(row, col, v, f)  # customer text: always a string, never a formula
    elif isinstance(v, (_dt.datetime, _dt.date)):
        ws.write_datetime(row, col, v, f)
    elif isinstance(v, (int, float)):
        ws.write_number(row, col, v, f)
    else:
        ws.write_string(row, col, str(v), f)


def _sheet_dressing(
    ws: Worksheet,
    fmt: _Formats,
    sheet: Sheet,
    lay: SheetLayout,
    lang: Lang,
    last: int,
    problems_ref: str = "",
) -> None:
    zh = lang == "zh"
    cols = lay.columns
    end = max(last, MAX_ROW - 1)
    for i, c in enumerate(cols):
        if c.role == "input":
            v = _validation(c, lang, problems_ref if sheet is MONITORING else "")
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
    ws.set_footer("&C" + ("第 &P 页，共 &N 页" if zh else "Page &P of &N"))

"""Writes the standard workbook (``csq new``) and filled workbooks (demo, import, tests).

Everything comes from ``schema.py`` (columns, validation, formulas) and
``config_sheet.py`` (the Config sheet).  This module opens the workbook, sets its
properties and calculation mode, and hands each sheet to its writer: ``guide.py`` (Guide
and Evaluation), ``config_writer.py`` (Config), ``data_sheet.py`` (the data sheets' Tables
and rows) with ``sheet_dressing.py`` (their checks, highlights and page setup), all in the
formats of ``formats.py``.  Rows are written in order with xlsxwriter's
``constant_memory`` mode, so a 1,000,000-row Monitoring sheet keeps memory bounded.
Computed cells carry cached values computed by the CSQ_ function implementations
(``udfs.FUNCTIONS``, thin wrappers over ``udfs.core``), so a file read without the add-in
(pandas, openpyxl, ``csq report``, Excel until it recalculates) shows the right numbers;
LibreOffice recalculates spill formulas on load and WPS is untested (docs/addin.md).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from udfs.core.config import DEFAULT_CONFIG, ConfigError, ScoringConfig
from udfs.core.errors import UsageError
from udfs.core.extra_columns import extra_keys
from udfs.core.fields import RUBRIC_KEYS, Lang
from udfs.core.i18n import Catalog
from workbook_templates import guide
from workbook_templates.cell_values import Rows, column_values, input_frame
from workbook_templates.config_writer import write_config_sheet
from workbook_templates.data_sheet import write_data_sheet
from workbook_templates.formats import Formats
from workbook_templates.formulas import sheet_layout
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
    col_letter,
)
from workbook_templates.sheet_dressing import MAX_ROW
from workbook_templates.xlsx_safe import SafeWorkbook

__all__ = ["build_workbook", "DEFAULT_CONFIG", "EMPTY_ROWS", "MAX_ROW"]

EMPTY_ROWS = 200
"""Blank rows of each Table in an empty template (protected sheets cannot grow a Table)."""
CHUNK_ROWS = 20_000
"""Monitoring rows converted and scored at a time: memory stays bounded for 1,000,000 rows."""
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

CALC_ID = 191029  # Excel 2019 / Microsoft 365 calculation engine


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
    compat: bool = False,
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
    Monitoring columns keyed ``extra:<header>`` (an export's columns the map does not
    name) are written after the computed columns, outside the Table
    (:mod:`workbook_templates.extra_columns`).
    ``compat`` (UDF mode only): legacy array formulas instead of spilling ones, for Excel
    2016/2019 (no dynamic arrays).
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
    monitoring, extras = split_extras(monitoring)
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
            compat,
            extras,
        ),
    )
    return target


def split_extras(rows: Rows) -> tuple[Rows, pd.DataFrame | None]:
    """Monitoring rows without their extra columns (``extra:<header>``), and those columns
    (None: none)."""
    if not isinstance(rows, pd.DataFrame):
        return rows, None
    keys = extra_keys(rows.columns)
    if not keys:
        return rows, None
    return rows.drop(columns=keys), rows[keys].reset_index(drop=True)


# --------------------------------------------------------------------------- writer


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
    compat: bool = False,
    extras: pd.DataFrame | None = None,
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
    fmt = Formats(wb, lang)
    sheets = {s.key: wb.add_worksheet(s.name(lang)) for s in (GUIDE, CONFIG)}
    data_ws = {s.key: wb.add_worksheet(s.name(lang)) for s in DATA_SHEETS}
    eval_ws = wb.add_worksheet(EVALUATION_FORM.name(lang))

    guide.write_guide(sheets["guide"], fmt, lang, portable, config)
    names = write_config_sheet(
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
        print_area = write_data_sheet(
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
            fast=FAST_ROWS,
            chunk_rows=CHUNK_ROWS,
            legacy_arrays=compat and not portable,
            extras=extras if sheet is MONITORING else None,
        )
        title = sheet.name(lang).replace("'", "''")
        wb.define_name(f"'{title}'!_xlnm.Print_Area", print_area)
    guide.write_evaluation_form(eval_ws, fmt, lang, config)
    data_ws["monitoring"].activate()
    wb.close()

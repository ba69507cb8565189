"""Convert a workbook: the same workbook in the other variant (``csq convert``).

The portable variant computes with native Excel formulas only, for a colleague on
LibreOffice, WPS or Excel without Python; the UDF variant with the CSQ_ functions of the
add-in.  The input is read like any other (``addin.read.workbook``) and rebuilt through
``workbook_templates.builder.build_workbook`` with every input row of Monitoring, Problems
and Actions, the Config sheet's weights, bands, thresholds, as-of date, contacts handled
and lists.  The input is never modified; the output is written atomically.

A cell whose value the reader cannot use (text in a number column, a rating of 6, an
impossible date) is copied as it was, so nothing typed is lost and ``csq validate`` still
flags it in the new file.  N/A and blank rubric cells both mean "not rated" and are both
written blank.  A workbook whose Monitoring table cannot be found is not converted (exit 1).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from addin.read.workbook import read_workbook
from udfs.core.config import SECONDS_PER
from udfs.core.data import Finding, WorkbookData
from udfs.core.extra_columns import extra_keys, is_extra
from udfs.core.problems import Problem
from workbook_templates.builder import build_workbook
from workbook_templates.schema import (
    ACTIONS,
    CALIBRATION,
    DATA_SHEETS,
    MONITORING,
    PROBLEMS,
    Sheet,
)

SPARE_ROWS = {"monitoring": 50, "problems": 10, "actions": 10, "calibration": 20}
"""Blank rows kept below the data of each Table (a Table on a protected sheet cannot grow)."""


IS_REPORT = (
    "this is a report CSQ wrote, not a workbook; convert the workbook it was made from",
    "这是 CSQ 生成的报告，不是工作簿；请转换生成该报告的工作簿",
)


def _sheet_names(sheet: Sheet) -> set[str]:
    return {sheet.name("zh"), sheet.name("en")}


def unusable_reason(data: WorkbookData, mlang: str) -> str | None:
    """Why the Monitoring table cannot be used (the reader's verdict, as for ``csq
    report``) in the message language ``mlang``, or None when it can."""
    if data.rejected:
        return data.rejected_in(mlang)
    f = next((f for f in data.errors if not f.cell and f.sheet in _sheet_names(MONITORING)), None)
    if f is None:
        return None
    val = f" {f.value!r}" if f.value else ""
    return f"{f.where()}:{val} {f.render(mlang)}"


def unread_cells(data: WorkbookData) -> list[Finding]:
    """Data cells holding a value the reader could not use (text in a number column, a
    rating of 6, an impossible date): the typed tables hold a blank there."""
    data_sheets = set().union(*(_sheet_names(s) for s in DATA_SHEETS))
    return [f for f in data.errors if f.cell and f.key and f.value != "" and f.sheet in data_sheets]


def _as_typed(text: str) -> Any:
    """A finding's displayed value back as the cell held it: a number stays a number."""
    try:
        return float(text.replace(",", "")) if text.strip() else text
    except ValueError:
        return text


def _restore(df: pd.DataFrame, sheet: Sheet, findings: list[Finding]) -> pd.DataFrame:
    """Put the values the reader could not use back into their cells, as they were."""
    mine = [f for f in findings if f.sheet in _sheet_names(sheet) and f.key in df.columns]
    if not mine or "_row" not in df.columns:
        return df
    df = df.copy()
    where = {int(r): i for i, r in enumerate(df["_row"].tolist())}
    for f in mine:
        row = int(re.sub(r"^[A-Z]+", "", f.cell))
        if row in where:
            if df[f.key].dtype != object:
                df[f.key] = df[f.key].astype(object)
            df.iat[where[row], list(df.columns).index(f.key)] = _as_typed(f.value)
    return df


def _rows(df: pd.DataFrame, sheet: Sheet, spare: int, unread: list[Finding]) -> pd.DataFrame | None:
    """The input columns of a read table as builder rows, plus ``spare`` blank rows."""
    keys = [k for k in sheet.input_keys if k in df.columns]
    keys += extra_keys(df.columns)  # Monitoring's extra columns (an export's) are kept
    out = df[keys].copy()
    for key in keys:
        if (
            not is_extra(key) and sheet.column(key).kind == "yn"
        ):  # the reader's 1.0/0.0 -> the cell's Y/N
            out[key] = [
                None if pd.isna(v) else ("Y" if float(v) else "N") for v in out[key].tolist()
            ]
    out["_row"] = df["_row"] if "_row" in df.columns else None
    out = _restore(out, sheet, unread).drop(columns="_row")
    if out.empty:
        return None  # an empty Table: the template's own blank rows
    blank = pd.DataFrame([dict.fromkeys(keys)] * spare)
    return pd.concat([out, blank], ignore_index=True) if spare else out


def write_converted(
    data: WorkbookData, output: str | Path, portable: bool, lang: str | None = None
) -> Path:
    """Write the workbook ``data`` was read from as the portable (or UDF) variant; the
    cells the reader could not use are written back as they were (still flagged by
    ``csq validate``), so no input is lost."""
    out_lang = lang or data.lang
    unread = unread_cells(data)
    monitoring = data.monitoring.copy()
    for key, unit in (
        ("first_response_s", data.config.first_response_unit),
        ("handle_time_s", data.config.handle_time_unit),
    ):  # the reader gives seconds; the cells keep the unit the Config sheet names
        if unit != "s" and key in monitoring.columns:
            monitoring[key] = monitoring[key] / SECONDS_PER[unit]
    return build_workbook(
        output,
        lang="en" if out_lang == "en" else "zh",
        portable=portable,
        monitoring=_rows(monitoring, MONITORING, SPARE_ROWS["monitoring"], unread),
        problems=_rows(data.problems, PROBLEMS, SPARE_ROWS["problems"], unread),
        actions=_rows(data.actions, ACTIONS, SPARE_ROWS["actions"], unread),
        calibration=_rows(data.calibration, CALIBRATION, SPARE_ROWS["calibration"], unread)
        if len(data.calibration.columns)
        else None,
        config=data.config,
        as_of=data.as_of or _dt.date.today(),
        as_of_fixed=data.as_of is not None,
        population=data.population,
        config_rows={
            k: [{c: v for c, v in r.items() if c != "_row"} for r in rows]
            for k, rows in data.config_tables.items()
        },
    )


def unknown_columns(data: WorkbookData) -> list[Problem]:
    """Per data sheet, the columns that are not the template's ("Supervisor comment",
    "Ticket URL"): a conversion would lose them (one problem per sheet, naming them)."""
    data_sheets = set().union(*(_sheet_names(s) for s in DATA_SHEETS))
    by_sheet: dict[str, list[str]] = {}
    for f in data.findings:
        if f.code in ("unknown_header", "unknown_header_near") and f.sheet in data_sheets:
            by_sheet.setdefault(f.sheet, []).append(f"{f.cell} {f.value!r}")
    return [
        Problem("convert_unknown_columns", {"sheet": sheet, "columns": ", ".join(cols)})
        for sheet, cols in by_sheet.items()
    ]


@dataclass
class Converted:
    """What :func:`convert_workbook` did: the file written, or why nothing was."""

    path: Path | None
    reason: str | None = None
    contacts: int = 0
    problems: int = 0
    actions: int = 0
    kept: int = 0
    """Cells copied as they were (``csq validate`` still flags them)."""


def convert_workbook(
    source: Path, output: Path, portable: bool, out_lang: str | None, lang: str
) -> Converted:
    """Read ``source`` (messages in ``lang``) and write it to ``output`` as the portable (or
    UDF) variant in ``out_lang`` (None: the input's language); a workbook whose Monitoring
    table cannot be used is not converted (``reason``)."""
    from ..read.marker import is_csq_report

    if is_csq_report(source):  # as csq validate and csq report refuse it
        return Converted(None, IS_REPORT[1] if lang == "zh" else IS_REPORT[0])
    data = read_workbook(source, lang=lang)
    unusable = unusable_reason(data, lang)
    if unusable is not None:
        return Converted(None, unusable)
    lost = unknown_columns(data)
    if lost:  # the template has no place for them: refused, never dropped silently
        return Converted(None, "; ".join(p.render(lang) for p in lost))
    path = write_converted(data, output, portable, out_lang)
    return Converted(
        path,
        contacts=len(data.monitoring),
        problems=len(data.problems),
        actions=len(data.actions),
        kept=len(unread_cells(data)),
    )

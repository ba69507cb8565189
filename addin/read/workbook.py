"""Reading a standard workbook into typed tables, every bad cell listed with its address.

``read_workbook(path)`` gives an :class:`udfs.core.data.WorkbookData`: the Monitoring,
Problems and Actions tables with canonical column keys and typed columns, the Config
sheet's indicator system, the input's SHA-256, the detected language, and a
:class:`~udfs.core.data.Finding` for every problem (sheet!cell, value, what is allowed).

How sheets and columns are found (:mod:`addin.read.sheets`) - all driven by
``workbook_templates.schema``:

- a sheet by its name in either language, else by its headers (renamed sheets);
- the header row is the row among the first 30 that holds the most known headers, in
  either language (or the canonical key), so tables may start lower than row 1 and
  columns may be reordered; unknown columns are ignored (named in a warning), except the
  Monitoring sheet's columns right of its computed columns: extra columns, read as text
  under ``extra:<header>`` (:mod:`addin.read.extra_columns`);
- merged header cells, headers moved out of the header row, duplicate headers and
  missing required columns are findings.

Cells are converted by the calculation core's converters (``udfs.core.values``) and the
schema's choice lists, the same rules the CSQ_ functions apply in Excel; a bad cell is
blank in the typed table (its row keeps its good fields) and listed in ``findings``.
Computed columns (score, grade, ...) in the file are not read: the report recomputes them.

Files are read after the checks in :mod:`addin.read.safety`, with python-calamine
(about 8x faster than openpyxl read-only, see docs/validate.md), large data sheets as
typed columns with fastexcel (:mod:`addin.read.package` says which engine reads which
sheet); both hand the rows as column blocks to one conversion (:mod:`addin.read.blocks`).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import itertools
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from udfs.core.config import ScoringConfig
from udfs.core.data import Finding, WorkbookData
from udfs.core.errors import CsqError, InputError
from udfs.core.i18n import default_lang
from udfs.core.problems import Problem
from workbook_templates.extra_columns import extra_column
from workbook_templates.schema import (
    ACTIONS,
    CALIBRATION,
    CONFIG,
    DATA_SHEETS,
    MONITORING,
    OPTIONAL_SHEETS,
    PROBLEMS,
    TIMED_COLUMNS,
    Sheet,
    col_letter,
    with_units,
)

from .blocks import Block, col_index, concat, convert_block, row_blocks
from .cells import Converter, display
from .chunked import ChunkedSheet
from .columnar import ColumnarSheet
from .error_cells import error_cells, error_findings
from .extra_columns import sheet_extras
from .headers import Header, unit_findings
from .native_stderr import NativeStderr
from .package import COLUMNAR_ABOVE_BYTES, STREAM_ABOVE_BYTES, Package, short
from .safety import Limits, read_checked
from .seed_rows import count_findings, process_findings, relax_monitoring, relax_problems
from .sheets import (
    Scan,
    Sheets,
    as_lang,
    by_headers_findings,
    find_sheets,
    header_findings,
    missing_sheet,
    no_header_row,
    workbook_lang,
)
from .unusable import no_contact_time


def read_workbook(
    path: str | os.PathLike[str],
    *,
    config: ScoringConfig | None = None,
    lang: str | None = None,
    limits: Limits | None = None,
    stream_above: int = STREAM_ABOVE_BYTES,
    columnar_above: int | None = COLUMNAR_ABOVE_BYTES,
) -> WorkbookData:
    """Read and validate a standard workbook (either language).

    ``config``: use this indicator system instead of the workbook's Config sheet.
    ``stream_above``: worksheets with more XML than this many bytes are read by calamine
    a slice at a time.
    ``columnar_above``: worksheets with more XML than this are read as typed columns
    (``addin.read.columnar``; None: never).
    ``lang``: language of the findings' messages (default: the workbook's language).
    Raises ``InputError`` for a file that cannot be used at all (missing, too large,
    suspected zip bomb, not a workbook); everything else is a finding.
    """
    name = str(path)
    data = read_checked(path, limits, lang)
    sha = hashlib.sha256(data).hexdigest()
    book = Package(
        data, Path(name).name, lang or default_lang(), stream_above, columnar_above=columnar_above
    )
    del data
    try:
        with NativeStderr():
            return _read_book(book, name, sha, config, lang)
    except (CsqError, KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # noqa: BLE001 - never a traceback for a damaged file
        raise InputError(
            Problem("unreadable", {"name": Path(name).name, "detail": short(exc)}), lang
        ) from None
    finally:
        book.close()


def _read_book(
    book: Package, name: str, sha: str, config: ScoringConfig | None, lang: str | None
) -> WorkbookData:
    # 1. sheets by name, then the rest by their headers; the language they vote
    found = find_sheets(book)
    wb_lang = workbook_lang(found)
    msg_lang = lang or wb_lang
    # 2. the indicator system (first: its choice lists extend the tables' dropdown values)
    cfg, cfg_findings, as_of, population, cfg_tables, report_period = _read_config(
        book, found.by_name.get(CONFIG.key), config, msg_lang
    )
    # 3. the tables, then the checks of the Monitoring sheet that need the Config sheet
    extra = _added_choices(cfg_tables)
    tables, table_findings, rejected = _read_tables(book, found, cfg, extra, msg_lang)
    if not rejected:
        rejected += no_contact_time(tables[MONITORING.key], table_findings)
    findings = [*by_headers_findings(found, msg_lang), *table_findings, *cfg_findings]
    findings += _monitoring_findings(found, tables, cfg, cfg_tables, msg_lang)
    info, formats, report_findings = _report_cells(book, found.by_name.get(CONFIG.key))
    findings += report_findings
    return WorkbookData(
        path=name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"),
        monitoring=tables[MONITORING.key],
        problems=tables[PROBLEMS.key],
        actions=tables[ACTIONS.key],
        calibration=tables[CALIBRATION.key],
        config=cfg,
        findings=findings,
        lang=wb_lang,
        sha256=sha,
        as_of=as_of,
        population=population,
        config_tables=cfg_tables,
        rejected="; ".join(p.render(msg_lang) for p in rejected),
        rejections=tuple(rejected),
        report_period=report_period,
        **_monitoring_place(found),
        report_info=info,
        report_formats=formats,
    )


def _monitoring_place(found: Sheets) -> dict[str, Any]:
    """The Monitoring sheet's name and the column letter of each field read."""
    if MONITORING.key not in found.tables:
        return {}
    n, h, _scan = found.tables[MONITORING.key]
    cols = {} if h is None else {k: col_letter(c) for k, c in h.cols.items()}
    return {"monitoring_sheet": n, "monitoring_columns": cols}


def _report_cells(
    book: Package, name: str | None
) -> tuple[dict[str, str], tuple[str, ...] | None, list[Finding]]:
    """The Config sheet's report cells (organisation, monitoring objective and team,
    report formats), read on their own; none when the sheet is absent or unreadable."""
    from .config_sheet import read_report_cells

    if name is None:
        return {}, None, []
    try:
        grid = list(book.sheet(name).iter_rows())
    except Exception:  # noqa: BLE001 - _read_config already reported the sheet
        return {}, None, []
    grid = [[None if v == "" else v for v in row] for row in grid]
    return read_report_cells(grid, name)


def _read_tables(
    book: Package, found: Sheets, cfg: ScoringConfig, extra: dict[str, list[str]], lang: str
) -> tuple[dict[str, pd.DataFrame], list[Finding], list[Problem]]:
    """Every data sheet as a typed table (not found: empty), their findings in the order
    of the sheets, and the problems that reject the workbook: the Monitoring sheet not
    found, unreadable, without a header row or lacking a required column."""
    tables: dict[str, pd.DataFrame] = {}
    findings: list[Finding] = []
    rejected: list[Problem] = []
    units = {k: str(getattr(cfg, setting)) for k, setting in TIMED_COLUMNS.items()}
    for s in DATA_SHEETS:
        monitoring = s.key == MONITORING.key
        if s.key not in found.tables:
            tables[s.key] = _empty(s)
            if s.key in OPTIONAL_SHEETS:
                continue
            finding, problem = missing_sheet(s, book.names, lang)
            if monitoring:
                rejected.append(problem)
            findings.append(finding)
            continue
        n, h, scan = found.tables[s.key]
        args = (lang, extra if monitoring else None, units if monitoring else None)
        df, f = _read_table(s, n, h, scan, *args)
        if h is not None and not scan.error:  # formula errors (#N/A, ...): read as blanks
            sheet = scan.sheet
            if isinstance(sheet, ChunkedSheet) and sheet.scanned:  # found while slicing
                errors = sheet.error_cells
            else:
                errors = error_cells(book.zip, book.parts.get(n))
            if errors:
                f = _sorted(f + error_findings(s, n, h.cols, h.row, df, errors, lang))
        if monitoring and h is not None:  # seeds/001 as written (issue 20)
            df, f = relax_monitoring(df, f, h.cols, n, lang, extra)
            df["period"] = pd.Series(_months(df["contact_time"]), index=df.index, dtype=object)
        elif s.key == PROBLEMS.key:
            df, f = relax_problems(df, f)
        if monitoring:
            df = _to_seconds(df, cfg)
            rejected += [
                Problem("in_sheet", {"sheet": x.sheet, "problem": x.problem()})
                for x in f
                if not x.cell and x.severity == "error"
            ]
        tables[s.key] = df
        findings.extend(f)
    return tables, findings, rejected


def _monitoring_findings(
    found: Sheets,
    tables: dict[str, pd.DataFrame],
    cfg: ScoringConfig,
    cfg_tables: dict[str, list[dict[str, Any]]],
    lang: str,
) -> list[Finding]:
    """The Monitoring sheet's checks that need the Config sheet: each verdict against the
    score, the units its timed columns' headers name, problem categories on no list."""
    if MONITORING.key not in found.tables:
        return []
    n, h, scan = found.tables[MONITORING.key]
    if h is None:
        return []
    monitoring = tables[MONITORING.key]
    findings: list[Finding] = []
    if "qc_verdict" in h.cols:
        from .verdicts import verdict_findings

        at = col_letter(h.cols["qc_verdict"])
        findings += verdict_findings(monitoring, cfg, n, at, lang)
    timed = {k: c for k, c in h.cols.items() if k in TIMED_COLUMNS}
    if timed:
        hrow = h.row
        cells = {k: (f"{col_letter(c)}{hrow + 1}", scan.cell(hrow, c)) for k, c in timed.items()}
        units = {k: str(getattr(cfg, setting)) for k, setting in TIMED_COLUMNS.items()}
        findings += unit_findings(cells, units, n, lang)
    findings += process_findings(monitoring, cfg, h.cols, n, lang)
    pn, ph, _ = found.tables.get(PROBLEMS.key, ("", None, None))
    if ph is not None:
        findings += count_findings(monitoring, tables[PROBLEMS.key], ph.cols, pn, lang)
    if "problem_category" in h.cols:
        from .categories import category_findings

        problems = tables[PROBLEMS.key] if PROBLEMS.key in found.tables else None
        at = col_letter(h.cols["problem_category"])
        findings += category_findings(monitoring, cfg_tables, problems, n, at, lang)
    return findings


def _empty(s: Sheet) -> pd.DataFrame:
    conv = Converter(s, "en")
    cols = {c.key: conv.empty(c) for c in conv.columns}
    df = pd.DataFrame(
        {k: pd.Series(v, dtype=object) if v.dtype == object else v for k, v in cols.items()}
    )
    if s.key == MONITORING.key:
        df["period"] = pd.Series([], dtype=object)
    df["_row"] = pd.Series([], dtype=np.int64)
    return df


# ---- one table ---------------------------------------------------------------------------


def _to_seconds(df: pd.DataFrame, cfg: ScoringConfig) -> pd.DataFrame:
    """First response and handle time typed in minutes or hours (the Config sheet's unit
    settings) as seconds, the unit every figure is computed in."""
    from udfs.core.config import SECONDS_PER

    for key, unit in (
        ("first_response_s", cfg.first_response_unit),
        ("handle_time_s", cfg.handle_time_unit),
    ):
        if unit != "s" and key in df.columns:
            df[key] = df[key] * SECONDS_PER[unit]
    return df


def _added_choices(tables: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """Choices the user typed into the Config sheet's ``choices.*`` lists, by column key."""
    out: dict[str, list[str]] = {}
    for key, rows in tables.items():
        if key.startswith("choices."):
            out[key.removeprefix("choices.")] = [
                str(r["value"]).strip() for r in rows if r.get("value") not in (None, "")
            ]
    return out


def _read_table(
    s: Sheet,
    name: str,
    h: Header | None,
    scan: Scan,
    lang: str,
    extra_choices: dict[str, list[str]] | None = None,
    units: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, list[Finding]]:
    """One data sheet as typed rows and its findings (its header row's, then its cells');
    ``units`` (Monitoring: column key -> the Config unit) makes the range check of a timed
    column use that unit."""
    if scan.error:
        params = {"detail": scan.error}
        return _empty(s), [Finding.of("sheet_unreadable", name, "", "", "", params, lang)]
    if h is None:
        return _empty(s), [no_header_row(s, name, lang)]
    extras = sheet_extras(h, scan.head[h.row]) if s.key == MONITORING.key else {}
    if extras:  # the columns right of the computed ones: read as text (extra:<header>)
        s = dataclasses.replace(s, columns=(*s.columns, *map(extra_column, extras.values())))
        h = dataclasses.replace(h, cols={**h.cols, **{k: j for j, k in extras.items()}})
    # the data rows first: a sheet read as typed columns knows its merged cells after them
    conv, parts, data_findings = _read_rows(s, name, h, scan, lang, extra_choices, units)
    findings = header_findings(s, name, h, scan, lang) + data_findings
    df, found = _finish(parts, conv, h, s, findings)
    # where each column is, for findings the analysis makes later (the improvement loop)
    df.attrs.update(sheet=name, columns={k: col_letter(c) for k, c in h.cols.items()})
    return df, found


def _read_rows(
    s: Sheet,
    name: str,
    h: Header,
    scan: Scan,
    lang: str,
    extra_choices: dict[str, list[str]] | None,
    units: dict[str, str] | None,
) -> tuple[Converter, list[dict[str, Any]], list[Finding]]:
    """The data rows below the header row as column blocks, each converted by
    :func:`~addin.read.blocks.convert_block`: (the converter, the typed parts, the cell
    findings)."""
    typed = s
    if units:  # a month is 2,592,000 s = 43,200 min = 720 h: check what the user typed
        typed = dataclasses.replace(s, columns=tuple(with_units(c, units) for c in s.columns))
    conv = Converter(typed, lang, sheet=name)
    # very large sheets: equal texts share one str (a typed slice's do already)
    conv.share_text = isinstance(scan.sheet, ChunkedSheet) and not isinstance(
        scan.sheet, ColumnarSheet
    )
    conv.open_choices = s.key == MONITORING.key  # a value on no list: one warning (issue 20)
    for key, labels in (extra_choices or {}).items():
        conv.add_choices(key, labels)
    read = {h.cols[c.key]: c for c in conv.columns if c.key in h.cols}
    body = itertools.chain(scan.head[h.row + 1 :], scan.rest)  # columnar: no rest
    numbers = itertools.count(h.row + 2)  # the Excel row of each body row
    blocks = row_blocks(body, numbers, sorted(read))
    if isinstance(scan.sheet, ColumnarSheet):
        blocks = itertools.chain(blocks, scan.sheet.blocks(read))
    findings: list[Finding] = []
    parts = [convert_block(conv, h.cols, b, findings) for b in blocks]
    return conv, parts, findings


def _finish(
    parts: list[dict[str, Any]], conv: Converter, h: Header, s: Sheet, findings: list[Finding]
) -> tuple[pd.DataFrame, list[Finding]]:
    """The converted parts as one table, with the row-level rules applied."""
    if not parts:  # no rows: the typed empty columns
        none = Block(np.zeros(0, dtype=np.int64), {j: np.zeros(0, object) for j in h.cols.values()})
        parts = [convert_block(conv, h.cols, none, findings)]
    df = concat(parts, conv)
    conv.check_table(df, h.cols, findings)
    if s.key == MONITORING.key:
        df["period"] = pd.Series(_months(df["contact_time"]), index=df.index, dtype=object)
    return df, _sorted(findings)


def _months(t: pd.Series) -> np.ndarray:
    """``YYYY-MM`` of each time (None for none), each distinct month formatted once."""
    month = (t.dt.year * 12 + t.dt.month - 1).to_numpy(dtype=float, na_value=np.nan)
    codes, distinct = pd.factorize(month)  # NaN: code -1
    labels = [f"{int(m) // 12:04d}-{int(m) % 12 + 1:02d}" for m in distinct]
    return np.asarray([*labels, None], dtype=object)[codes]


def _sorted(findings: list[Finding]) -> list[Finding]:
    """Sheet-level findings first, then cell findings by row and column."""

    def key(f: Finding) -> tuple[int, int, int]:
        if not f.cell:
            return (0, 0, 0)
        digits = "".join(ch for ch in f.cell if ch.isdigit())
        return (1, int(digits or 0), col_index(f.cell))

    return sorted(findings, key=key)


# ---- the Config sheet ----------------------------------------------------------------------


def _read_config(
    book: Package, name: str | None, config: ScoringConfig | None, lang: str
) -> tuple[
    ScoringConfig,
    list[Finding],
    _dt.date | None,
    int | None,
    dict[str, list[dict[str, Any]]],
    str | None,
]:
    """The indicator system, its findings, the as-of date when the Config sheet holds
    a fixed date (not the ``=TODAY()`` formula, whose cached value is just the day the
    file was last calculated), the contacts handled in the period when filled in, the
    Config sheet's lists (``workbook_templates.config_tables``) found on it, and the
    report period typed on it (None: blank)."""
    from udfs.core.config import DEFAULT_CONFIG
    from workbook_templates import config_tables

    from .config_sheet import (
        VALUE_COL,
        parse_config_grid,
        read_as_of,
        read_population,
        read_report_period,
    )

    if name is None:
        if config is not None:
            return config, [], None, None, {}, None
        sheet = CONFIG.name(as_lang(lang))
        finding = Finding.of("config_missing", sheet, "", "", "", {}, lang, "warning")
        return DEFAULT_CONFIG, [finding], None, None, {}, None
    try:
        grid = list(book.sheet(name).iter_rows())
    except Exception as exc:
        finding = Finding.of("sheet_unreadable", name, "", "", "", {"detail": short(exc)}, lang)
        return config or DEFAULT_CONFIG, [finding], None, None, {}, None
    grid = [[None if v == "" else v for v in row] for row in grid]
    population, pop_findings = read_population(grid, name)
    period_label, period_findings = read_report_period(grid, name)
    pop_findings += period_findings
    as_of = None
    for r, row in enumerate(grid):
        if row and isinstance(row[0], str) and row[0].strip() == "as_of":
            ref = f"{col_letter(VALUE_COL)}{r + 1}"
            formulas = _formula_cells(book, name)
            if formulas is not None and ref not in formulas:
                as_of = read_as_of(grid)
                typed = row[VALUE_COL] if len(row) > VALUE_COL else None
                if as_of is None and typed is not None and str(typed).strip():
                    pop_findings.append(
                        Finding.of("bad_as_of", name, ref, "as_of", display(typed), {}, lang)
                    )
            break
    tables: dict[str, list[dict[str, Any]]] = {}
    table_findings: list[Finding] = []
    for table in config_tables.CONFIG_TABLES:
        rows, found = config_tables.read_table(grid, table, name, as_lang(lang))
        table_findings += found
        if rows is not None:
            tables[table.key] = rows
    from .scope_cells import read_scope_cells  # issue 19: report chapters by, special evaluation

    if scope := read_scope_cells(grid, name):
        tables["scope"] = scope
    if config is not None:
        return config, pop_findings + table_findings, as_of, population, tables, period_label
    cfg, found = parse_config_grid(grid, sheet=name, lang=lang)
    return cfg, found + pop_findings + table_findings, as_of, population, tables, period_label


_CELL = re.compile(r"<c\b([^>]*[^/>])?>(.*?)</c>", re.S)
_REF = re.compile(r'\br="([A-Z]+[0-9]+)"')


def _formula_cells(book: Package, sheet_name: str) -> set[str] | None:
    """References of the cells holding a formula in one (small) worksheet of an xlsx."""
    data = book.read_part(sheet_name)
    if data is None:
        return None
    xml = data.decode("utf-8", "replace")
    out: set[str] = set()
    for m in _CELL.finditer(xml):
        ref = _REF.search(m.group(1) or "")
        if ref and "<f" in m.group(2):
            out.add(ref.group(1))
    return out

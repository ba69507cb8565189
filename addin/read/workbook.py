"""Reading a standard workbook into typed tables, every bad cell listed with its address.

``read_workbook(path)`` gives an :class:`udfs.core.data.WorkbookData`: the Monitoring,
Problems and Actions tables with canonical column keys and typed columns, the Config
sheet's indicator system, the input's SHA-256, the detected language, and a
:class:`~udfs.core.data.Finding` for every problem (sheet!cell, value, what is allowed).

How sheets and columns are found - all driven by ``workbook_templates.schema``:

- a sheet by its name in either language, else by its headers (renamed sheets);
- the header row is the row among the first 30 that holds the most known headers, in
  either language (or the canonical key), so tables may start lower than row 1 and
  columns may be reordered; unknown columns are ignored;
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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from udfs.core.config import ScoringConfig
from udfs.core.data import Finding, WorkbookData
from udfs.core.errors import CsqError, InputError
from udfs.core.i18n import default_lang
from udfs.core.problems import Problem, Text
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
    with_units,
)

from .blocks import col_index, concat, convert_block, row_blocks
from .cells import Converter, col_letter, display
from .chunked import ChunkedSheet
from .columnar import ColumnarSheet
from .headers import (
    HEADER_INDEX,
    SHEET_NAMES,
    Header,
    closest_header,
    find_header,
    known_headers,
    norm_header,
)
from .native_stderr import NativeStderr
from .package import (
    COLUMNAR_ABOVE_BYTES,
    HEADER_SCAN_ROWS,
    STREAM_ABOVE_BYTES,
    Package,
    head_rows,
    short,
)
from .safety import Limits, read_checked
from .units import unit_findings

EN_ZH = ("en", "zh")


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
    cfg_name = next(
        (n for n in book.names if SHEET_NAMES.get(norm_header(n), ("",))[0] == "config"), None
    )
    book.config_formulas = _formula_cells(book, cfg_name) if cfg_name else None
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

    # 1. sheets by name, then the rest by their headers
    by_key: dict[str, str] = {}
    for n in book.names:
        hit = SHEET_NAMES.get(norm_header(n))
        if hit and hit[0] not in by_key:
            by_key[hit[0]] = n
    votes = {"zh": 0, "en": 0}
    for n in by_key.values():
        votes[SHEET_NAMES[norm_header(n)][1]] += 1
    headers: dict[str, tuple[str, Header | None, Any]] = {}
    pre: list[Finding] = []
    pending: list[tuple[str, str, str]] = []  # (message key, sheet, expected) for later
    for s in DATA_SHEETS:
        if s.key in by_key:
            n = by_key[s.key]
            headers[s.key] = (n, *_scan(book, n, s))
    taken = set(by_key.values())
    for s in DATA_SHEETS:
        if s.key in headers or s.key in OPTIONAL_SHEETS:  # optional sheets: by name only
            continue
        best: tuple[str, Header, Any] | None = None
        for n in book.names:
            if n in taken:
                continue
            h, scan = _scan(book, n, s)
            if h and len(h.cols) >= 3 and (best is None or len(h.cols) > len(best[1].cols)):
                best = (n, h, scan)
        if best:
            headers[s.key] = best
            taken.add(best[0])
            pending.append(("sheet_by_headers", best[0], s.key))
    for _name, h, _unused in headers.values():
        if h:
            votes["zh"] += h.votes["zh"]
            votes["en"] += h.votes["en"]
    wb_lang = "en" if votes["en"] > votes["zh"] else "zh"
    msg_lang = lang or wb_lang

    for kind, sheet_name, key in pending:
        expected = f"{_sheet_decl(key).zh} / {_sheet_decl(key).en}"
        pre.append(
            Finding.of(
                kind,
                sheet_name,
                "",
                "",
                "",
                {"sheet": sheet_name, "expected": expected},
                msg_lang,
                "warning",
            )
        )

    # 2. the indicator system (first: its choice lists extend the tables' dropdown values)
    cfg, cfg_findings, as_of, population, cfg_tables, report_period = _read_config(
        book, by_key.get(CONFIG.key), config, msg_lang
    )
    extra = _added_choices(cfg_tables)

    # 3. the tables
    findings: list[Finding] = list(pre)
    tables: dict[str, pd.DataFrame] = {}
    rejected: list[Problem] = []
    for s in DATA_SHEETS:
        if s.key not in headers:
            tables[s.key] = _empty(s)
            if s.key in OPTIONAL_SHEETS:
                continue
            severity = "error" if s.key == MONITORING.key else "warning"
            if s.key == MONITORING.key:
                rejected.append(
                    Problem(
                        "sheet_missing",
                        {"names": f"{s.zh} / {s.en}", "found": ", ".join(book.names) or "-"},
                    )
                )
            findings.append(
                Finding.of(
                    "sheet_missing",
                    s.name(msg_lang),  # type: ignore[arg-type]
                    "",
                    "",
                    "",
                    {"names": f"{s.zh} / {s.en}", "found": ", ".join(book.names) or "-"},
                    msg_lang,
                    severity,  # type: ignore[arg-type]
                )
            )
            continue
        n, h, scan = headers[s.key]
        units = {k: str(getattr(cfg, setting)) for k, setting in TIMED_COLUMNS.items()}
        args = (msg_lang, extra if s is MONITORING else None, units if s is MONITORING else None)
        df, f = _read_table(s, n, h, scan, *args)
        if s is MONITORING:
            df = _to_seconds(df, cfg)
        tables[s.key] = df
        findings.extend(f)
        if s.key == MONITORING.key:
            # a sheet that cannot be read, has no header row or lacks a required column
            rejected += [
                Problem("in_sheet", {"sheet": x.sheet, "problem": x.problem()})
                for x in f
                if not x.cell and x.severity == "error"
            ]

    findings.extend(cfg_findings)

    if MONITORING.key in headers and headers[MONITORING.key][1] is not None:
        n, h, _unused = headers[MONITORING.key]
        if h is not None and "qc_verdict" in h.cols:
            from .verdicts import verdict_findings

            findings.extend(
                verdict_findings(
                    tables[MONITORING.key], cfg, n, col_letter(h.cols["qc_verdict"]), msg_lang
                )
            )

    if MONITORING.key in headers and headers[MONITORING.key][1] is not None:
        n, h, mscan = headers[MONITORING.key]
        timed = {k: c for k, c in (h.cols.items() if h else ()) if k in TIMED_COLUMNS}
        if h is not None and timed:
            hrow = mscan.row0 + h.row
            findings.extend(
                unit_findings(
                    {
                        k: (f"{col_letter(c)}{hrow + 1}", _cell(mscan, hrow, c))
                        for k, c in timed.items()
                    },
                    {k: str(getattr(cfg, setting)) for k, setting in TIMED_COLUMNS.items()},
                    n,
                    msg_lang,
                )
            )
        if h is not None and "problem_category" in h.cols:
            from .categories import category_findings

            findings.extend(
                category_findings(
                    tables[MONITORING.key],
                    cfg_tables,
                    tables[PROBLEMS.key] if PROBLEMS.key in headers else None,
                    n,
                    col_letter(h.cols["problem_category"]),
                    msg_lang,
                )
            )

    return WorkbookData(
        path=name,
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
    )


def _sheet_decl(key: str) -> Sheet:
    return {s.key: s for s in (*DATA_SHEETS, CONFIG)}[key]


@dataclass
class _Scan:
    sheet: Any
    head: list[list[Any]]
    rest: Iterable[list[Any]]
    row0: int = 0  # rows and columns start at A1 for every engine
    col0: int = 0
    error: str = ""


def _scan(book: Package, name: str, s: Sheet) -> tuple[Header | None, _Scan]:
    try:
        sh = book.sheet(name, table=True)
        head, rest, _row0, _col0 = head_rows(sh)  # 0, 0: every sheet from A1
    except Exception as exc:  # a damaged sheet part: reported, the others still read
        return None, _Scan(None, [], [], error=short(exc))
    h = find_header(s, head, 0)
    return h, _Scan(sh, head, rest)


def _empty(s: Sheet) -> pd.DataFrame:
    conv = Converter(s, "en")
    cols = {
        c.key: pd.Series(conv.empty(c), dtype=object)
        if conv.empty(c).dtype == object
        else conv.empty(c)
        for c in conv.columns
    }
    df = pd.DataFrame(cols)
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
    scan: _Scan,
    lang: str,
    extra_choices: dict[str, list[str]] | None = None,
    units: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, list[Finding]]:
    """One data sheet as typed rows and its findings; ``units`` (Monitoring: column key ->
    the Config unit) makes the range check of a timed column use that unit."""
    findings: list[Finding] = []
    if scan.error:
        findings.append(
            Finding.of("sheet_unreadable", name, "", "", "", {"detail": scan.error}, lang)
        )
        return _empty(s), findings
    if h is None:
        examples = Text(*(", ".join(c.header(x) for c in s.columns if c.required) for x in EN_ZH))
        findings.append(
            Finding.of(
                "no_header_row",
                name,
                "",
                "",
                "",
                {"n": HEADER_SCAN_ROWS, "examples": examples},
                lang,
            )
        )
        return _empty(s), findings
    hrow = scan.row0 + h.row  # 0-based absolute
    header_cells = scan.head[h.row]
    # the data rows first: a sheet read as typed columns knows its merged cells after them
    conv, parts, data_findings = _read_rows(s, name, h, scan, lang, extra_choices, units)

    # merged header cells
    merged = getattr(scan.sheet, "merged_cell_ranges", None) or []
    in_merge: set[tuple[int, int]] = set()
    for (r0, c0), (r1, c1) in merged:
        if r0 <= hrow <= r1 and (c1 > c0 or r1 > r0):
            rng = f"{col_letter(c0)}{r0 + 1}:{col_letter(c1)}{r1 + 1}"
            in_merge.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1))
            findings.append(
                Finding.of(
                    "merged_header",
                    name,
                    f"{col_letter(c0)}{r0 + 1}",
                    "",
                    display(_cell(scan, r0, c0)),
                    {"rng": rng, "row": hrow + 1},
                    lang,
                )
            )
    # duplicate headers
    for key, c1, c2 in h.dupes:
        col = s.column(key)
        findings.append(
            Finding.of(
                "duplicate_header",
                name,
                f"{col_letter(c2)}{hrow + 1}",
                key,
                display(_cell(scan, hrow, c2)),
                {
                    "header": Text(col.header("en"), col.header("zh")),
                    "first": f"{col_letter(c1)}{hrow + 1}",
                    "second": f"{col_letter(c2)}{hrow + 1}",
                },
                lang,
                "warning",
            )
        )
    # headers outside the header row, and missing required columns
    index = HEADER_INDEX[s.key]
    moved: set[str] = set()
    for r, row in enumerate(scan.head[: h.row + 3]):
        if r == h.row:
            continue
        for j, v in enumerate(row):
            hit = index.get(norm_header(v))
            if hit is None or hit[0] in h.cols or hit[0] in moved:
                continue
            if (scan.row0 + r, scan.col0 + j) in in_merge:
                continue  # already reported as a merged header
            key = hit[0]
            moved.add(key)
            findings.append(
                Finding.of(
                    "moved_header",
                    name,
                    f"{col_letter(scan.col0 + j)}{scan.row0 + r + 1}",
                    key,
                    display(v),
                    {
                        "header": Text(s.column(key).header("en"), s.column(key).header("zh")),
                        "at": scan.row0 + r + 1,
                        "row": hrow + 1,
                    },
                    lang,
                )
            )
    # headers that are not read: named, with the closest known header
    known = known_headers(s, lang)
    computed = {norm_header(t) for c in s.columns if c.role != "input" for t in (c.key, c.zh, c.en)}
    for j, v in enumerate(header_cells):
        text = display(v).strip()
        if not text or (scan.row0 + h.row, scan.col0 + j) in in_merge:
            continue
        if norm_header(v) in index or norm_header(v) in computed:
            continue
        near = closest_header(norm_header(v), known)
        findings.append(
            Finding.of(
                "unknown_header_near" if near else "unknown_header",
                name,
                f"{col_letter(scan.col0 + j)}{hrow + 1}",
                "",
                text,
                {"header": text, "near": Text(*(known_headers(s, x)[near] for x in EN_ZH))}
                if near
                else {"header": text},
                lang,
                "warning",
            )
        )
    if s.key == MONITORING.key:  # optional fields absent: their figures show "no data"
        absent = [
            c
            for c in s.columns
            if c.role == "input" and not c.required and c.key not in h.cols and c.key not in moved
        ]
        if absent:
            listed = Text(", ".join(c.en for c in absent), "、".join(c.zh for c in absent))
            params = {"headers": listed, "n": len(absent)}
            findings.append(
                Finding.of("optional_missing", name, "", "", "", params, lang, "warning")
            )
    found_text = ", ".join(display(v) for v in header_cells if display(v)) or "-"
    for c in s.columns:
        if c.required and c.key not in h.cols and c.key not in moved:
            findings.append(
                Finding.of(
                    "missing_column",
                    name,
                    "",
                    c.key,
                    "",
                    {
                        "header": Text(f"{c.en} ({c.zh})", f"{c.zh} ({c.en})"),
                        "row": hrow + 1,
                        "found": found_text,
                    },
                    lang,
                )
            )

    findings += data_findings
    return _finish(parts, conv, h, s, findings)


def _read_rows(
    s: Sheet,
    name: str,
    h: Header,
    scan: _Scan,
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
    for key, labels in (extra_choices or {}).items():
        conv.add_choices(key, labels)
    read = {h.cols[c.key]: c for c in conv.columns if c.key in h.cols}
    body: Iterable[list[Any]] = scan.head[h.row + 1 :]
    if not isinstance(scan.sheet, ColumnarSheet):
        body = itertools.chain(body, scan.rest)
    numbers = itertools.count(scan.row0 + h.row + 2)  # the Excel row of each body row
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
        keys = [c.key for c in conv.columns if c.key in h.cols]
        parts = [conv.convert(keys, h.cols, [], [], findings)]
    df = concat(parts, conv)
    conv.check_table(df, h.cols, findings)
    if s.key == MONITORING.key:
        df["period"] = pd.Series(_months(df["contact_time"]), index=df.index, dtype=object)
    return df, _sorted(findings, s)


def _months(t: pd.Series) -> np.ndarray:
    """``YYYY-MM`` of each time (None for none), each distinct month formatted once."""
    month = (t.dt.year * 12 + t.dt.month - 1).to_numpy(dtype=float, na_value=np.nan)
    codes, distinct = pd.factorize(month)  # NaN: code -1
    labels = [f"{int(m) // 12:04d}-{int(m) % 12 + 1:02d}" for m in distinct]
    return np.asarray([*labels, None], dtype=object)[codes]


def _cell(scan: _Scan, r: int, c: int) -> Any:
    rr, cc = r - scan.row0, c - scan.col0
    if 0 <= rr < len(scan.head) and 0 <= cc < len(scan.head[rr]):
        return scan.head[rr][cc]
    return None


def _sorted(findings: list[Finding], s: Sheet) -> list[Finding]:
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
        finding = Finding.of("config_missing", CONFIG.name(lang), "", "", "", {}, lang, "warning")  # type: ignore[arg-type]
        return DEFAULT_CONFIG, [finding], None, None, {}, None
    try:
        grid = book.sheet(name).to_python(skip_empty_area=False)
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
            if book.config_formulas is not None and ref not in book.config_formulas:
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
        rows, found = config_tables.read_table(grid, table, name, "zh" if lang == "zh" else "en")
        table_findings += found
        if rows is not None:
            tables[table.key] = rows
    if config is not None:
        return config, pop_findings + table_findings, as_of, population, tables, period_label
    cfg, found = parse_config_grid(grid, sheet=name, lang=lang)
    out = [f if isinstance(f, Finding) else Finding(name, "", "", str(f), "warning") for f in found]
    return cfg, out + pop_findings + table_findings, as_of, population, tables, period_label


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

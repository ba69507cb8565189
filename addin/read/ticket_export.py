"""Reading a ticket or telephony export (CSV/XLSX, its own headers) into monitoring rows,
driven by a TOML column map (SPEC section 7); ``csq import`` (``addin.jobs.ticket_import``)
writes them into a standard workbook and ``csq sample`` draws from them.  The entry points
live here (:func:`open_export`, :func:`import_export`, :func:`convert`, :class:`ImportResult`),
with the table-wide rules and the order of the findings.

The map (see ``addin/maps/example_map.toml``)::

    [columns]                  # canonical key = source header (a list joins date + time)
    contact_id = "Call Id"
    contact_time = ["Date", "Time"]
    [values.answered]          # source value = canonical value
    "Answered" = "Y"
    [units]                    # s, ms, min, h or hh:mm:ss -> the field's own unit
    handle_time_s = "hh:mm:ss"
    [options]
    date_format = "%d/%m/%Y %H:%M"   # strptime format of contact_time (after joining)
    encoding = "gbk"                 # CSV only; default: detected (utf-8, utf-8-sig, gbk)
    delimiter = ";"                  # CSV only; default: detected
    sheet = "Calls"                  # XLSX only; default: the first sheet

One pipeline, map -> column blocks -> conversion:

- reading (:mod:`addin.read.ticket_export_read`, ``read_export``): a CSV export (raw text:
  :mod:`addin.read.ticket_export_csv`) or an XLSX export gives the same ``Export``: per
  mapped source column a ``Factor`` (the column as codes into its distinct values) and the
  location of every row (file:line for a CSV, sheet!cell for an XLSX);
- conversion (:func:`convert`, its steps in :mod:`addin.read.ticket_export_steps`): the
  value map, ``date_format`` (or a date cell joined with a time cell), units, the
  never-answered rule, Excel's text limit and the typed converters of
  :class:`addin.read.cells.Converter` run once per distinct value, and the results are
  spread back over the rows by their codes; then the table-wide rules (rows blank in every
  mapped column dropped, required fields, duplicate ids).

Values are checked with the same converters and schema rules as a workbook
(:mod:`addin.read.workbook`); a bad value is listed with file:line (CSV) or sheet!cell (XLSX) and
its column, and the row is kept with its good fields.  Contacts that were not answered
keep answered = N and lose their times, ratings, first-contact resolution and transfer
flag: they count in the answer rate and nowhere else.  The export is only read; the
workbook is written atomically by ``workbook_templates.builder.build_workbook``.

``csq sample`` reads a big export for a few fields first (``read_export(..., first=...)``)
and the drawn rows' other fields from their own lines (``Export.drawn``), so every
field of a drawn contact is converted exactly as ``csq import`` converts it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from udfs.core.data import Finding
from udfs.core.errors import InputError, UsageError
from udfs.core.i18n import default_lang
from workbook_templates.schema import MONITORING, col_letter

from .blocks import concat
from .cells import Converter
from .extra_columns import export_extras
from .import_map import INPUT_KEYS, ImportMap, load_map, message
from .safety import Limits
from .ticket_export_read import Export, read_export
from .ticket_export_steps import (
    accept_export_choices,
    blank_unanswered,
    convert_typed,
    convert_units,
    cut_long_texts,
    derive_durations,
    fill_fixed,
    kept_rows,
    locator,
    map_values,
    mapped_columns,
    not_applicable_rows,
    parse_date_column,
)


def open_export(
    export_path: str | os.PathLike[str],
    map_path: str | os.PathLike[str],
    lang: str | None = None,
    limits: Limits | None = None,
    first: tuple[str, ...] | None = None,
) -> tuple[ImportMap, Export]:
    """The validated map and the export's columns, every mapped header checked; with
    ``first``, only the columns of those fields are read for every row (``csq sample``)."""
    lang = lang or default_lang()
    limits = limits or Limits.from_env()
    imap = load_map(map_path, lang)
    only = imap.only(first) if first is not None else None
    export = read_export(export_path, imap, lang, limits, only)
    available = set(export.headers)
    missing = [s for srcs in imap.columns.values() for s in srcs if s not in available]
    status = imap.options.get("status")
    if status and status not in available:  # the backlog's status column (issue 23 item 12)
        missing.append(status)
    if missing:
        raise UsageError(
            message(
                "map_headers",
                lang,
                map=imap.path,
                export=f"{export.name}!{export.sheet}" if export.sheet else export.name,
                missing=", ".join(repr(s) for s in missing),
                found=", ".join(repr(h) for h in export.headers if h),
            )
        )
    if not export.any_rows:
        raise InputError(
            message("export_no_rows", lang, export=export.name, line=export.header_line)
        )
    return imap, export


def import_export(
    export_path: str | os.PathLike[str],
    map_path: str | os.PathLike[str],
    lang: str | None = None,
    limits: Limits | None = None,
) -> ImportResult:
    """Read and convert an export with a map (no workbook written)."""
    lang = lang or default_lang()
    imap, export = open_export(export_path, map_path, lang, limits)
    return convert(export, imap, lang)


# ---- conversion ---------------------------------------------------------------------------


@dataclass
class ImportResult:
    monitoring: pd.DataFrame  # typed, like WorkbookData.monitoring
    findings: list[Finding]
    unanswered: int
    not_applicable: dict[str, np.ndarray] = field(default_factory=dict)
    """Rubric key -> rows whose export value was N/A (written back as N/A, not blank:
    "not applicable" is not "not yet rated")."""
    added_choices: dict[str, list[str]] = field(default_factory=dict)
    """Choice field (channel, service type) -> the export's values that are not among its
    built-in choices, in the order found: kept as written and added to the workbook's
    Config list of that field (:mod:`addin.jobs.export_lists`), so the imported workbook
    validates without a warning about them."""


def convert(export: Export, imap: ImportMap, lang: str) -> ImportResult:
    """Typed monitoring rows of the export for the fields ``imap`` maps, every bad value
    listed with its location and source column (a mapped header that the export has
    twice first).  Each step runs once per distinct value of a column (the
    never-answered rule: on the codes of the row's answered value)."""
    raw = mapped_columns(export, imap)
    map_values(raw, imap)
    locate = locator(export, imap)
    conv = Converter(MONITORING, lang, locate=locate)
    findings = parse_date_column(raw, export, imap, conv)
    findings += convert_units(raw, imap, conv, export.lines)
    if imap.derived:
        findings += derive_durations(raw, export, imap, conv)
    added = accept_export_choices(raw, conv)
    findings += cut_long_texts(raw, export, imap, locate, lang)
    keep = kept_rows(raw, len(export.lines))
    if imap.constants or imap.defaults:  # after kept_rows: a blank record stays no contact
        fill_fixed(raw, imap, len(export.lines))
    unanswered = blank_unanswered(raw, conv)
    not_applicable = not_applicable_rows(raw)
    out, cols, typed = convert_typed(raw, export, imap, conv, keep)
    findings += typed
    df = concat([out], conv)
    names = imap.extras(export.headers)
    if names:  # the export's columns the map does not name: kept as they are
        for key, values in export_extras(export.columns, names, keep, lang).items():
            df[key] = values
    if not keep.all() and not_applicable:
        not_applicable = {k: v[keep] for k, v in not_applicable.items()}
    findings = _table_rules(df, cols, conv, findings, export, imap)
    return ImportResult(df, findings, unanswered, not_applicable, added)


def _table_rules(
    df: pd.DataFrame,
    cols: dict[str, int],
    conv: Converter,
    findings: list[Finding],
    export: Export,
    imap: ImportMap,
) -> list[Finding]:
    """The table-wide rules (required fields, duplicate ids) and each contact's period;
    every finding in the export's order, with its source column, the duplicate mapped
    headers first."""
    conv.check_table(df, cols, findings)
    t = df["contact_time"]
    df["period"] = t.dt.strftime("%Y-%m").astype(object).where(t.notna(), None)
    findings.sort(
        key=lambda f: (finding_line(f), INPUT_KEYS.index(f.key) if f.key in INPUT_KEYS else 0)
    )
    lang = conv.lang
    return [
        *export.notes,  # the file's own problems (ragged CSV records)
        *_duplicate_headers(export, imap, lang),
        *(_with_source(f, imap, lang) for f in findings),
    ]


def finding_line(f: Finding) -> int:
    """The line (CSV) or row (XLSX) a finding is on, for sorting."""
    text = f.cell or f.sheet.rsplit(":", 1)[-1]
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits or 0)


def _duplicate_headers(export: Export, imap: ImportMap, lang: str) -> list[Finding]:
    """A warning for each mapped source header that the export has more than once."""
    out = []
    for h in sorted(imap.sources, key=export.headers.index):
        at = [j for j, x in enumerate(export.headers) if x == h]
        if len(at) < 2:
            continue
        if export.sheet:
            first = export.col_of[h] - at[0]
            names = [col_letter(first + j) for j in at]
            sheet, cell = f"{export.name}!{export.sheet}", f"{names[1]}{export.header_line}"
        else:
            names = [str(j + 1) for j in at]
            sheet, cell = f"{export.name}:{export.header_line}", ""
        params = {"header": h, "n": len(at), "cols": ", ".join(names), "used": names[0]}
        out.append(Finding.of("duplicate_source", sheet, cell, "", h, params, lang, "warning"))
    return out


def _with_source(f: Finding, imap: ImportMap, lang: str) -> Finding:
    """``f`` naming the export's column it came from (the ``source`` parameter, which
    :func:`udfs.core.problems.render` words as ``column 'X': ...`` in either language)."""
    src = imap.source_label(f.key) if f.key else ""
    if not src:
        return f
    params = {**f.params, "source": src}
    return Finding.of(f.code, f.sheet, f.cell, f.key, f.value, params, f.lang, f.severity)


def for_builder(
    df: pd.DataFrame, not_applicable: dict[str, np.ndarray] | None = None
) -> pd.DataFrame:
    """The typed table as cell values for ``build_workbook`` (Y/N text, N/A where the
    export said so, no helper columns)."""
    out = df.drop(columns=[c for c in ("period", "_row") if c in df.columns])
    for key, na in (not_applicable or {}).items():
        if key in out.columns and na.any():
            col = out[key].astype(object)
            col[na] = "N/A"
            out[key] = col
    for c in MONITORING.columns:
        if c.kind == "yn" and c.key in out.columns:
            v = out[c.key].to_numpy(dtype=float)
            out[c.key] = pd.Series(
                [None if x != x else ("Y" if x == 1 else "N") for x in v],
                dtype=object,
                index=out.index,
            )
    return out

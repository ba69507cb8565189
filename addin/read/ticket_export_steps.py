"""The steps of converting a ticket export's columns (:func:`addin.read.ticket_export.convert`),
each run once per distinct value of a column (a :class:`Factor`), the results spread back
over the rows by their codes (one value's parsing: :mod:`addin.read.ticket_export_values`):

1. the value map (:func:`map_values`);
2. a date cell joined with a time cell (:func:`mapped_columns`), then the map's
   ``date_format`` (:func:`parse_date_column`);
3. units -> the field's own unit (:func:`convert_units`);
4. the never-answered rule (:func:`blank_unanswered`; rubric N/A kept:
   :func:`not_applicable_rows`);
5. Excel's text limit (:func:`cut_long_texts`);
6. the typed converters of :class:`addin.read.cells.Converter` (:func:`convert_typed`), on
   the rows that are contacts (:func:`kept_rows`, a table-wide rule: empty text is blank,
   a row blank in every mapped column is no contact).

A bad value gives a finding on every row holding it, at the row's place in the export
(:func:`locator`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from udfs.core.data import Finding
from udfs.core.fields import RUBRIC_KEYS
from udfs.core.problems import Problem, Text
from udfs.core.values import na_mask
from workbook_templates.schema import MONITORING

from .cells import Converter, display
from .import_map import FIELD_UNIT_S, INPUT_KEYS, ImportMap
from .ticket_export_read import Export, Factor
from .ticket_export_values import BAD_DURATION, join_cells, parse_dates, unit_seconds

NOT_ANSWERED_BLANKS: tuple[str, ...] = (
    "first_response_s",
    "handle_time_s",
    "resolution_time_h",
    "resolved_first_contact",
    "transferred",
    "csat",
    "nps",
    *RUBRIC_KEYS,
)
"""Fields of a contact that was never answered, left blank on import."""
EXCEL_CELL_CHARS = 32_767
"""The most characters an Excel cell holds."""


def _joined(parts: list[Factor]) -> Factor:
    """Several source columns as one (date + time): each distinct combination joined once
    (:func:`join_cells`)."""
    code = parts[0].codes.copy()
    for f in parts[1:]:
        code = code * len(f.values) + f.codes
    codes, combos = pd.factorize(code)
    radix = [len(f.values) for f in parts]
    idx = np.empty((len(combos), len(parts)), dtype=np.int64)
    rest = np.asarray(combos, dtype=np.int64)
    for k in range(len(parts) - 1, -1, -1):
        rest, idx[:, k] = np.divmod(rest, radix[k])
    texts_only = all(all(v is None or v.__class__ is str for v in f.values.tolist()) for f in parts)
    values = np.empty(len(combos) + 1, dtype=object)
    if texts_only:  # CSV fields: join_cells of texts is the stripped non-blank ones, spaced
        stripped = [
            [None if v is None or not v.strip() else v.strip() for v in f.values.tolist()]
            for f in parts
        ]
        cols = [[s[k] for k in idx[:, n].tolist()] for n, s in enumerate(stripped)]
        values[:-1] = [
            " ".join(x for x in row if x is not None) or None for row in zip(*cols, strict=True)
        ]
    else:
        values[:-1] = [
            join_cells([f.values[k] for f, k in zip(parts, row, strict=True)])
            for row in idx.tolist()
        ]
    values[-1] = None
    return Factor(codes.astype(np.int64, copy=False), values)


# ---- the steps ----------------------------------------------------------------------------

Locate = Callable[[str, int], tuple[str, str]]
"""(field key, row's line) -> (Finding.sheet, Finding.cell)."""


def locator(export: Export, imap: ImportMap) -> Locate:
    """The place of a field's value: its row in the field's first source column."""
    first_source = {key: srcs[0] for key, srcs in imap.columns.items()}

    def locate(key: str, line: int) -> tuple[str, str]:
        return export.where(first_source.get(key, ""), line)

    return locate


def mapped_columns(export: Export, imap: ImportMap) -> dict[str, Factor]:
    """Each mapped field's column, a copy for the steps to change; several source columns
    (date + time) are joined once per export (:func:`join_cells`)."""
    raw: dict[str, Factor] = {}
    for key, sources in imap.columns.items():
        if key in imap.derived:  # two timestamps, not joined: derive_durations
            continue
        parts = [export.columns[s] for s in sources]
        if len(parts) == 1:
            raw[key] = parts[0].copy()
            continue
        got = export.joined.get(tuple(sources))
        if got is None:
            got = export.joined[tuple(sources)] = _joined(parts)
        raw[key] = got.copy()
    return raw


def map_values(raw: dict[str, Factor], imap: ImportMap) -> None:
    """The map's ``[values]``: exact text first, then case-insensitive; then a field on
    another scale (``scale = [low, high]``) rescaled (:func:`rescaled`) where no value map
    gave its value."""
    for key in [*imap.values, *(k for k in imap.scales if k not in imap.values)]:
        if key not in raw:
            continue
        mapping = imap.values.get(key, {})
        folded = {k.casefold(): v for k, v in mapping.items()}
        scale = imap.scales.get(key)
        col = MONITORING.column(key)

        def mapped(
            v: Any,
            mapping: dict[str, str] = mapping,
            folded: dict = folded,
            scale: tuple[float, float] | None = scale,
            col: Any = col,
        ) -> Any:
            if v is None:
                return None
            s = display(v).strip()
            to = mapping[s] if s in mapping else folded.get(s.casefold())
            if to is not None:
                return to
            return v if scale is None else rescaled(v, scale, col.field.min, col.field.max)

        raw[key].map(mapped)


def rescaled(v: Any, scale: tuple[float, float], lo: float, hi: float) -> Any:
    """A number on the source scale ``[a, b]`` moved linearly onto ``[lo, hi]`` and
    rounded to a whole number (half up: 1-10 -> 1-5 turns 5 into 2.78 -> 3); anything
    else (text, a number off the source scale) is left as it is for the field's own check
    to report."""
    a, b = scale
    try:
        x = float(display(v).strip()) if not isinstance(v, int | float) else float(v)
    except ValueError:
        return v
    if not a <= x <= b:
        return v
    return float(np.floor(lo + (x - a) * (hi - lo) / (b - a) + 0.5))


def derive_durations(
    raw: dict[str, Factor], export: Export, imap: ImportMap, conv: Converter
) -> list[Finding]:
    """Time fields that are the difference of two timestamp columns (``{ from = ..., to =
    ... }``), in the field's unit; blank where either is blank; a text that is no date and
    time is a finding, a negative difference (``to`` before ``from``) a warning on its row,
    both left blank."""
    found: list[Finding] = []
    fmt = imap.options.get("date_format")
    time_col = MONITORING.column("contact_time")
    n = len(export.lines)
    for key, (a, b) in imap.derived.items():
        col = MONITORING.column(key)
        header = Text(col.en, col.zh)
        per_field = FIELD_UNIT_S[key.rsplit("_", 1)[1]]
        stamps = []
        bad = np.zeros(n, dtype=bool)
        for source in (a, b):
            f = export.columns[source]
            distinct = f.values.copy()
            if fmt:
                texts = [v for v in distinct[:-1].tolist() if isinstance(v, str) and v.strip()]
                memo = export.dates
                parse_dates([v for v in texts if (fmt, v) not in memo], fmt, memo)
                for j, v in enumerate(distinct[:-1].tolist()):
                    if isinstance(v, str) and v.strip():
                        distinct[j] = memo[(fmt, v)] or v
            values, errors, _ = conv.convert_cells(time_col, distinct.reshape(-1, 1))
            bad_value = errors[:, 0] != None  # noqa: E711
            for i in f.rows_with(bad_value).tolist():
                v = f.values[f.codes[i]]
                sheet, cell = export.where(source, int(export.lines[i]))
                params = {"header": header, "column": source}
                found.append(
                    Finding.of("bad_timestamp", sheet, cell, key, display(v), params, conv.lang)
                )
            bad |= bad_value[f.codes]
            stamps.append(np.asarray(values, dtype="datetime64[ns]")[f.codes])
        secs = (stamps[1] - stamps[0]).astype("timedelta64[ns]").astype(np.float64) / 1e9
        nat = np.isnat(stamps[0]) | np.isnat(stamps[1])
        secs[nat | bad] = np.nan
        negative = secs < 0
        for i in np.flatnonzero(negative).tolist():
            sheet, cell = export.where(a, int(export.lines[i]))
            params = {
                "header": header,
                "from": a,
                "to": b,
                "start": str(stamps[0][i].astype("datetime64[s]")).replace("T", " "),
                "end": str(stamps[1][i].astype("datetime64[s]")).replace("T", " "),
            }
            found.append(
                Finding.of("negative_duration", sheet, cell, key, "", params, conv.lang, "warning")
            )
        secs[negative] = np.nan
        values = np.empty(n + 1, dtype=object)
        out = secs / per_field
        values[:-1] = [None if x != x else x for x in out.tolist()]
        values[-1] = None
        raw[key] = Factor(np.arange(n, dtype=np.int64), values)
    return found


def fill_fixed(raw: dict[str, Factor], imap: ImportMap, n: int) -> None:
    """``[constants]`` as a column of one value (``n`` rows) and ``[defaults]`` in the
    blank cells of their mapped column."""
    for key, value in imap.constants.items():
        values = np.empty(2, dtype=object)
        values[0], values[1] = value, None
        raw[key] = Factor(np.zeros(n, dtype=np.int64), values)
    for key, value in imap.defaults.items():
        if key not in raw:
            continue
        f = raw[key]
        m = len(f.values)
        empty = np.fromiter(
            (v is None or (isinstance(v, str) and not v.strip()) for v in f.values.tolist()),
            dtype=bool,
            count=m,
        )
        values = np.empty(m + 1, dtype=object)
        values[: m - 1] = f.values[:-1]
        values[m - 1], values[m] = value, None
        remap = np.arange(m, dtype=np.int64)
        remap[empty] = m - 1
        f.codes = remap[f.codes]
        f.values = values


def value_findings(
    conv: Converter, key: str, f: Factor, bad: dict[int, Problem], lines: np.ndarray
) -> list[Finding]:
    """A finding on each row holding one of the ``bad`` distinct values of ``f``."""
    if not bad:
        return []
    hit = np.zeros(len(f.values), dtype=bool)
    hit[list(bad)] = True
    col = MONITORING.column(key)
    out = []
    for i in f.rows_with(hit).tolist():
        j = int(f.codes[i])
        out.append(conv.finding(col, 0, int(lines[i]), f.values[j], bad[j]))
    return out


def parse_date_column(
    raw: dict[str, Factor], export: Export, imap: ImportMap, conv: Converter
) -> list[Finding]:
    """Contact times written as text, parsed with the map's ``date_format`` (date cells
    are dates already); a finding for each text that does not match."""
    fmt = imap.options.get("date_format")
    if not fmt or "contact_time" not in raw:
        return []
    f = raw["contact_time"]
    bad: dict[int, Problem] = {}
    before = f.values
    after = before.copy()
    memo = export.dates
    texts = before[:-1].tolist()
    parse_dates([v for v in texts if isinstance(v, str) and (fmt, v) not in memo], fmt, memo)
    for j, v in enumerate(texts):
        if isinstance(v, str):
            when = memo[(fmt, v)]
            if when is None:
                bad[j] = Problem("bad_date_format", {"text": v, "fmt": fmt})
            after[j] = when
    found = value_findings(conv, "contact_time", Factor(f.codes, before), bad, export.lines)
    f.values = after
    return found


def convert_units(
    raw: dict[str, Factor], imap: ImportMap, conv: Converter, lines: np.ndarray
) -> list[Finding]:
    """Durations in the map's ``[units]`` -> the field's own unit; a finding for each bad
    ``hh:mm:ss`` text (text that is no number is left for the number check)."""
    found: list[Finding] = []
    for key, unit in imap.units.items():
        if key not in raw:
            continue
        f = raw[key]
        per_field = FIELD_UNIT_S[key.rsplit("_", 1)[1]]
        bad: dict[int, Problem] = {}
        before = f.values
        after = before.copy()
        for j, v in enumerate(before[:-1].tolist()):
            if v is None:
                continue
            secs = unit_seconds(v, unit)
            if secs is BAD_DURATION:
                bad[j] = Problem("bad_duration")
                after[j] = None
            elif secs is not None:
                after[j] = secs / per_field
            # None: left as text, the number check reports it
        found += value_findings(conv, key, Factor(f.codes, before), bad, lines)
        f.values = after
    return found


LISTED_CHOICES: tuple[str, ...] = ("channel", "service_type")
"""Choice fields whose choices a workbook's Config sheet lists (``choices.<field>``): an
export's own values of them are accepted and added to that list."""


def accept_export_choices(raw: dict[str, Factor], conv: Converter) -> dict[str, list[str]]:
    """The export's values of :data:`LISTED_CHOICES` fields that are not built-in choices
    (after the value map), accepted as typed: field -> those values, in the order found."""
    added: dict[str, list[str]] = {}
    for key in LISTED_CHOICES:
        if key not in raw:
            continue
        new = conv.unknown_choices(key, raw[key].values[:-1].tolist())
        if new:
            conv.add_choices(key, new)
            added[key] = new
    return added


def blank_unanswered(raw: dict[str, Factor], conv: Converter) -> int:
    """Contacts never answered count in the answer rate and nowhere else: their
    :data:`NOT_ANSWERED_BLANKS` fields are blanked.  The number of such contacts."""
    if "answered" not in raw:
        return 0
    f = raw["answered"]
    ans = conv.convert_cells(MONITORING.column("answered"), f.values.reshape(-1, 1))[0]
    not_answered = (ans == 0)[f.codes]
    for key in NOT_ANSWERED_BLANKS:
        if key in raw:
            raw[key].codes[not_answered] = raw[key].blank
    return int(not_answered.sum())


def not_applicable_rows(raw: dict[str, Factor]) -> dict[str, np.ndarray]:
    """Rubric key -> rows whose value is N/A: kept as N/A in the workbook (the score skips
    it either way)."""
    return {
        key: na_mask(raw[key].values.reshape(-1, 1))[:, 0][raw[key].codes]
        for key in RUBRIC_KEYS
        if key in raw
    }


def cut_long_texts(
    raw: dict[str, Factor], export: Export, imap: ImportMap, locate: Locate, lang: str
) -> list[Finding]:
    """Text longer than an Excel cell: kept up to the limit, and said so (no value is
    longer than the export's longest, nor a mapped one than the map's)."""
    longest = max([export.longest, *(len(t) for m in imap.values.values() for t in m.values())])
    found: list[Finding] = []
    for key, f in raw.items():
        col = MONITORING.column(key)
        if col.kind != "text" or longest <= EXCEL_CELL_CHARS:
            continue
        long = np.fromiter(
            (isinstance(v, str) and len(v) > EXCEL_CELL_CHARS for v in f.values.tolist()),
            dtype=bool,
            count=len(f.values),
        )
        for i in f.rows_with(long).tolist():
            v = f.values[f.codes[i]]
            sheet, cell = locate(key, int(export.lines[i]))
            params = {"header": Text(col.en, col.zh), "n": len(v)}
            found.append(
                Finding.of("text_too_long", sheet, cell, key, display(v), params, lang, "warning")
            )
        for j in np.flatnonzero(long).tolist():
            f.values[j] = f.values[j][:EXCEL_CELL_CHARS]
    return found


def kept_rows(raw: dict[str, Factor], n: int) -> np.ndarray:
    """Empty text made blank; the rows that are contacts (``n`` rows): a row blank in
    every mapped input column is none."""
    keys = [k for k in INPUT_KEYS if k in raw]
    empty_of: dict[str, np.ndarray] = {}
    for key in keys:
        f = raw[key]
        is_empty = (f.values == None) | (f.values == "")  # noqa: E711  (elementwise)
        f.values[is_empty] = None
        empty_of[key] = is_empty
    keep = np.ones(n, dtype=bool)
    if n and keys:
        blank_all = np.ones(n, dtype=bool)
        for key in keys:
            blank_all &= empty_of[key][raw[key].codes]
        keep = ~blank_all
    return keep


def convert_typed(
    raw: dict[str, Factor], export: Export, imap: ImportMap, conv: Converter, keep: np.ndarray
) -> tuple[dict[str, Any], dict[str, int], list[Finding]]:
    """The typed converters on the rows ``keep``, once per distinct value: the columns
    (``_row``: each row's line), each mapped input column's 0-based place and a finding
    on every row holding a bad value."""
    all_kept = bool(keep.all())
    row_no = export.lines if all_kept else export.lines[keep]
    rows = row_no.tolist()
    cols = {k: export.col_of.get(imap.columns.get(k, [""])[0], 0) for k in INPUT_KEYS if k in raw}
    found: list[Finding] = []
    out: dict[str, Any] = {"_row": row_no}
    for c in conv.columns:
        if c.key not in cols:
            out[c.key] = conv.empty(c, len(row_no))
            continue
        f = raw[c.key]
        codes = f.codes if all_kept else f.codes[keep]
        distinct = f.values.reshape(-1, 1)
        values, errors, problems = conv.convert_cells(c, distinct)
        out[c.key] = values[codes]
        bad_value = errors[:, 0] != None  # noqa: E711
        if not bad_value.any():
            continue
        at = np.flatnonzero(bad_value[codes])
        bad_codes = codes[at]
        conv.report(
            c,
            cols[c.key],
            [rows[i] for i in at.tolist()],
            distinct[bad_codes, 0].__getitem__,  # the raw value of the k-th bad row
            errors[bad_codes],
            {k: problems[j] for k, j in enumerate(bad_codes.tolist()) if j in problems},
            found,
        )
    return out, cols, found

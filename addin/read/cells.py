"""Typed columns from raw cells: one converter per table, every bad cell a finding.

:class:`Converter` turns the raw cell values of one table (as calamine or the streamed
reader give them) into typed columns with the calculation core's converters
(``udfs.core.values``) and the field declarations, and writes a
:class:`~udfs.core.data.Finding` (sheet!cell, value, what is allowed) for each cell it
cannot use: the core's coded problem (``not_in_range`` ...) or the reader's own
(``not_on_list``, ``date_out_of_range``, ``required_blank``, ``duplicate_id``), with the
column's header and what is allowed as parameters in both languages, so the finding is
worded from :mod:`udfs.core.problems` in either language.  ``csq import`` converts export
columns with the same class.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from udfs.core.data import Finding
from udfs.core.fields import (
    CHOICES,
    IMPORT_REQUIRED,
    OPEN_CHOICES,
    choice_lookup,
    status_choice,
)
from udfs.core.i18n import Catalog
from udfs.core.problems import Problem, Text
from udfs.core.values import (
    critical_mask,
    text_days,
    to_days,
    to_number,
    to_text,
    to_yes_no,
)
from workbook_templates.schema import MONITORING, PROBLEMS, Column, Sheet, col_letter

MEMO_MAX = 50_000
"""Distinct texts remembered per column to share repeated strings."""
EXCEL_1970 = 25569  # Excel serial number of 1970-01-01

# ---- messages --------------------------------------------------------------------------

_MESSAGES: dict[str, tuple[str, str]] = {
    "or_blank": ("{what}, or blank", "{what}，或留空"),
    "number_range": ("a number from {lo} to {hi}", "{lo} 到 {hi} 之间的数字"),
    "number_lo": ("a number of at least {lo}", "不小于 {lo} 的数字"),
    "number": ("a number", "数字"),
    "integer_range": ("a whole number from {lo} to {hi}", "{lo} 到 {hi} 之间的整数"),
    "rubric": ("a whole number from 1 to 5, or N/A", "1 到 5 之间的整数，或 N/A（不适用）"),
    "yn": ("Y or N (also yes/no, 是/否, 1/0)", "Y 或 N（也可填 是/否、yes/no、1/0）"),
    "choice": ("one of {labels}", "以下之一：{labels}"),
    "datetime": (
        "a date and time from {lo} to {hi}, e.g. 2024-06-15 09:30",
        "{lo} 至 {hi} 之间的日期时间，如 2024-06-15 09:30",
    ),
    "date": ("a date from {lo} to {hi}, e.g. 2024-06-15", "{lo} 至 {hi} 之间的日期，如 2024-06-15"),
    "text": ("any text", "任意文本"),
    "not_blank": ("any text (required)", "任意文本（必填）"),
}
"""What a cell may hold, zh/en; the findings' own texts are coded in
:data:`udfs.core.problems.CODES`."""


_m = Catalog(_MESSAGES)


def fmt_num(v: float | None) -> str:
    """A number as typed: ``15`` not ``15.0`` (None: blank)."""
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else f"{v:g}"


def _serial_date(serial: float) -> str:
    return (_dt.date(1899, 12, 30) + _dt.timedelta(days=int(serial))).isoformat()


def allowed_text(col: Column, lang: str, required: bool | None = None) -> str:
    """What a cell of ``col`` may hold, from the schema declaration, in ``lang``
    (``required``: whether the reader requires it, default the field's own)."""
    if required is not None and required != col.required:
        col = replace(col, field=replace(col.field, required=required))
    if col.kind in ("number", "score"):
        if col.min is not None and col.max is not None:
            what = _m("number_range", lang, lo=fmt_num(col.min), hi=fmt_num(col.max))
        elif col.min is not None:
            what = _m("number_lo", lang, lo=fmt_num(col.min))
        else:
            what = _m("number", lang)
    elif col.kind == "integer":
        what = _m("integer_range", lang, lo=fmt_num(col.min), hi=fmt_num(col.max))
    elif col.kind == "rubric":
        what = _m("rubric", lang)
    elif col.kind == "yn":
        what = _m("yn", lang)
    elif col.kind == "choice":
        other = "en" if lang == "zh" else "zh"
        labels = " / ".join(
            f"{c.label(lang)} ({c.label(other)})"  # type: ignore[arg-type]
            for c in CHOICES[col.choices or ""]
        )
        what = _m("choice", lang, labels=labels)
    elif col.kind in ("datetime", "date"):
        lo = _serial_date(col.min or 1)
        hi = _serial_date(col.max or 2958465)
        what = _m(col.kind, lang, lo=lo, hi=hi)
    elif col.required:
        return _m("not_blank", lang)
    else:
        what = _m("text", lang)
    return what if col.required else _m("or_blank", lang, what=what)


def display(v: Any) -> str:
    """A cell value as the user sees it (for ``Finding.value``)."""
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, bool):  # as Excel shows it
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:  # 1e308 stays 1e+308
        return str(int(v))
    if isinstance(v, (_dt.datetime, pd.Timestamp)):
        return v.strftime("%Y-%m-%d %H:%M") if (v.hour or v.minute) else v.strftime("%Y-%m-%d")
    if isinstance(v, _dt.date):
        return v.isoformat()
    s = str(v)
    return s if len(s) <= 60 else s[:59] + "…"


# ---- the converter ------------------------------------------------------------------------


class Converter:
    """Typed conversion of one sheet's input columns with the core's converters."""

    def __init__(
        self,
        s: Sheet,
        lang: str,
        sheet: str = "",
        locate: Callable[[str, int], tuple[str, str]] | None = None,
    ) -> None:
        self.s = s
        self.lang = lang
        self.sheet = sheet or s.name(lang)  # type: ignore[arg-type]
        self.locate = locate
        """(column key, row number) -> (Finding.sheet, Finding.cell); default sheet!A1."""
        self.columns = [c for c in s.columns if c.role == "input"]
        self._lookups = {
            c.key: choice_lookup(c.choices)
            for c in self.columns
            if c.kind == "choice" and c.choices
        }
        self._memo: dict[str, dict[str, str] | None] = {}
        self._texts: dict[int, tuple[Column, Text, Text]] = {}
        self._params: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.share_text = False
        """Share repeated texts (set for streamed, i.e. very large, sheets)."""
        self.open_choices = False
        """A workbook's Monitoring sheet (SPEC section 3): a value on no list of an editable
        Config list column is kept as typed, and contact and agent ids may be blank (the
        caller words one warning per value or column); else (``csq import``) both are
        errors."""

    def required(self, c: Column) -> bool:
        """Whether a cell of ``c`` must be filled (ids: only outside a workbook)."""
        return c.required or (not self.open_choices and c.key in IMPORT_REQUIRED)

    def add_choices(self, key: str, labels: list[str]) -> None:
        """Accept ``labels`` (the Config sheet's list for column ``key``) besides the
        built-in choices; a label that is not a built-in spelling is kept as typed."""
        lookup = self._lookups.get(key)
        if lookup is None:
            return
        lookup = dict(lookup)
        for label in labels:
            lookup.setdefault(label.casefold(), label)
        self._lookups[key] = lookup

    def unknown_choices(self, key: str, values: list[Any]) -> list[str]:
        """The texts among ``values`` that column ``key``'s choices (with any added) do
        not know, stripped, each once in the order found (``csq import`` adds them to the
        workbook's Config list); ``[]`` for a column without choices."""
        lookup = self._lookups.get(key)
        if lookup is None:
            return []
        out: dict[str, None] = {}
        for v in values:
            if v is None:
                continue
            t = to_text(np.array([[v]], dtype=object))[0, 0]
            if t is not None and t.strip() and t.casefold() not in lookup:
                out.setdefault(t.strip(), None)
        return list(out)

    def _shared(self, key: str, values: np.ndarray) -> np.ndarray:
        """Equal texts of a column share one string object (team, agent, reviewer and
        category repeat on every row; a million copies would cost hundreds of MB)."""
        memo = self._memo.setdefault(key, {})
        if memo is None:  # a column of (nearly) unique ids: not worth it
            return values
        out = np.empty(values.size, dtype=object)
        out[:] = [None if v is None else memo.setdefault(v, v) for v in values.tolist()]
        if len(memo) > MEMO_MAX:
            self._memo[key] = None
        return out

    def empty(self, c: Column, n: int = 0) -> np.ndarray:
        if c.kind in ("text", "choice"):
            return np.full(n, None, dtype=object)
        if c.kind in ("datetime", "date"):
            return np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        return np.full(n, np.nan)

    def texts(self, c: Column) -> tuple[Text, Text]:
        """The header of ``c`` and what its cells may hold, both languages (once per column)."""
        hit = self._texts.get(id(c))
        if hit is None or hit[0] is not c:
            header = Text(c.header("en"), c.header("zh"))
            req = self.required(c)
            hit = (c, header, Text(allowed_text(c, "en", req), allowed_text(c, "zh", req)))
            self._texts[id(c)] = hit
        return hit[1], hit[2]

    def params(self, c: Column, problem: Problem) -> dict[str, Any]:
        """A cell finding's parameters: the problem's (the cell's value apart: it is the
        finding's ``value``), the column's header and what is allowed; shared by the
        findings of one column and problem (a column of bad cells costs one dict)."""
        extra = tuple((k, v) for k, v in problem.params.items() if k != "value")
        key = (id(c), problem.code, extra)
        params = self._params.get(key)
        if params is None:
            header, allowed_texts = self.texts(c)
            params = {**dict(extra), "header": header, "allowed": allowed_texts}
            if len(self._params) < MEMO_MAX:
                self._params[key] = params
        return params

    def finding(self, c: Column, col_abs: int, row: int, value: Any, problem: Problem) -> Finding:
        """The finding of one cell: the coded ``problem`` with the column's header and
        what is allowed added to its parameters."""
        if self.locate is not None:
            sheet, cell = self.locate(c.key, row)
        else:
            sheet, cell = self.sheet, f"{col_letter(col_abs)}{row}"
        return Finding.of(
            problem.code, sheet, cell, c.key, display(value), self.params(c, problem), self.lang
        )

    def report(
        self,
        c: Column,
        col_abs: int,
        rows: list[int],
        raw_at: Callable[[int], Any],
        errors: np.ndarray,
        problems: dict[int, Problem],
        findings: list[Finding],
    ) -> None:
        """A finding for each cell of column ``c`` with an error: ``rows[i]`` is the Excel
        row of cell ``i``, ``raw_at(i)`` its value as read; the problem is the reader's own
        (``problems``) or the core's (``errors``)."""
        for i in np.flatnonzero(errors[:, 0] != None).tolist():  # noqa: E711
            problem = problems.get(i) or errors[i, 0]
            findings.append(self.finding(c, col_abs, rows[i], raw_at(i), problem))

    def convert_column(
        self, c: Column, col: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, dict[int, Problem]]:
        """(typed 1-D values, 2-D error array, reader's own problem texts by row)."""
        if c.kind in ("text", "yn", "choice") and col.shape[0] > 1:
            by_value = _by_distinct_text(col[:, 0])
            if by_value is not None:  # only text and blanks: each distinct text converted once
                codes, distinct = by_value
                return spread(self.convert_cells(c, distinct[:, None]), codes)
        return self.convert_cells(c, col)

    def convert_cells(
        self, c: Column, col: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, dict[int, Problem]]:
        problems: dict[int, Problem] = {}
        if c.kind == "text":
            text = to_text(col)[:, 0]
            if c.key == "critical_error":  # 无 / 否 / N / none / - ...: no critical error
                text = np.where(critical_mask(col)[:, 0], text, np.array(None, dtype=object))
            return (
                self._shared(c.key, text) if self.share_text else text,
                np.full(col.shape, None, dtype=object),
                problems,
            )
        if c.kind in ("number", "score"):
            v, e = to_number(col, c.key, c.min, c.max)
            return v[:, 0], e, problems
        if c.kind == "integer":
            v, e = to_number(col, c.key, c.min, c.max, integer=True)
            return v[:, 0], e, problems
        if c.kind == "rubric":
            v, e = to_number(col, c.key, 1, 5, integer=True, allow_na=True)
            return v[:, 0], e, problems
        if c.kind == "yn":
            v, e = to_yes_no(col, c.key)
            return v[:, 0], e, problems
        if c.kind == "choice":
            return self._choice(c, col)
        if c.kind in ("datetime", "date"):
            return self.dates(c, col)
        raise ValueError(f"unknown column kind {c.kind!r}")  # pragma: no cover

    def _choice(
        self, c: Column, col: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, dict[int, Problem]]:
        lookup = self._lookups[c.key]
        flat = col[:, 0].tolist()
        out = np.full(len(flat), None, dtype=object)
        errors = np.full(col.shape, None, dtype=object)
        problems: dict[int, Problem] = {}
        seen: dict[Any, str | None] = {}  # raw cell value -> key (None: unknown); values repeat
        for i, v in enumerate(flat):
            if v is None:
                continue
            try:
                k = seen[v]
            except KeyError:
                t = to_text(np.array([[v]], dtype=object))[0, 0]
                k = "" if t is None else lookup.get(t.casefold())
                seen[v] = k
            except TypeError:  # unhashable: never from a sheet
                k = None
            if k == "":
                continue  # blank
            if k is None and isinstance(t := to_text(np.array([[v]], dtype=object))[0, 0], str):
                if c.choices == "status":  # "延期3天": delayed (seeds/001's 表3)
                    k = status_choice(t)
                elif self.open_choices and c.key in OPEN_CHOICES:  # counted as typed
                    k = t.strip()
                if k is not None:
                    seen[v] = k
            if k is None:
                errors[i, 0] = "unknown"
                problems[i] = Problem("not_on_list")  # {value}: the finding's value
            else:
                out[i] = k
        return out, errors, problems

    def dates(
        self, c: Column, col: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, dict[int, Problem]]:
        flat = col[:, 0]
        if infer_dtype(flat, skipna=True) == "datetime":  # native date cells and blanks
            is_dt = ~pd.isna(flat)
        else:
            is_dt = np.fromiter(
                (isinstance(v, _dt.datetime) for v in flat), dtype=bool, count=flat.size
            )
        days = np.full(flat.shape, np.nan)
        errors = np.full(col.shape, None, dtype=object)
        if is_dt.any():  # native date cells: always dates; vectorised
            ts = pd.to_datetime(pd.Series(flat[is_dt], dtype=object))
            if c.kind == "date":
                ts = ts.dt.normalize()
            # microseconds: years up to 9999 fit (nanoseconds end in 2262); the window
            # check below turns a 3024 typo into a finding
            days[is_dt] = (ts.astype("datetime64[us]").astype(np.int64) / 86_400e6).to_numpy()
        rest = ~is_dt
        if rest.any():
            sub = col[rest]
            d, e = to_days(sub, c.key)
            if c.kind == "datetime":
                d = d[:, 0] + _time_fraction(sub[:, 0], e[:, 0])
            else:
                d = d[:, 0]
            days[rest] = d
            errors[rest] = e
        problems: dict[int, Problem] = {}
        lo, hi = date_window(c)
        out_of_range = ~np.isnan(days) & ((days < lo) | (days >= hi))
        for i in np.flatnonzero(out_of_range).tolist():
            errors[i, 0] = "range"
            window = {"lo": _serial_date(c.min or 1), "hi": _serial_date(c.max or 2958465)}
            problems[i] = Problem("date_out_of_range", window)
            days[i] = np.nan
        return days_to_ns(days), errors, problems

    def check_table(self, df: pd.DataFrame, cols: dict[str, int], findings: list[Finding]) -> None:
        """Row-level rules: required fields present, unique contact ids."""
        has_error = {(f.sheet, f.cell, f.key) for f in findings if f.key}
        rows = df["_row"].to_numpy()
        for c in self.columns:
            if not self.required(c) or c.key not in cols:
                continue
            col = cols[c.key]
            for i in np.flatnonzero(df[c.key].isna().to_numpy()).tolist():
                row = int(rows[i])
                if self.locate is not None:
                    where = (*self.locate(c.key, row), c.key)
                else:
                    where = (self.sheet, f"{col_letter(col)}{row}", c.key)
                if where in has_error:  # a bad value was already reported there
                    continue
                if _draft_to_fill(self.s.key, c.key, df, i):  # issue 21: a draft action
                    f = self.finding(c, col, row, None, Problem("action_draft_to_fill"))
                    findings.append(dataclasses.replace(f, severity="warning"))
                    continue
                findings.append(self.finding(c, col, row, None, Problem("required_blank")))
        if self.s.key == MONITORING.key and "contact_id" in cols:
            ids = df["contact_id"]
            dup = ids.notna() & ids.duplicated(keep="first")
            if dup.any():
                first = ~dup & ids.notna()
                first_row = dict(zip(ids[first], rows[first.to_numpy()], strict=False))
                c = self.s.column("contact_id")
                for i in np.flatnonzero(dup.to_numpy()).tolist():
                    problem = Problem("duplicate_id", {"first": int(first_row[ids.iat[i]])})
                    findings.append(
                        self.finding(c, cols["contact_id"], int(rows[i]), ids.iat[i], problem)
                    )
            self._hidden_duplicates(ids, rows, cols, findings)
        if self.s.key == PROBLEMS.key and "problem" in cols:
            self._duplicate_problems(df, rows, cols, findings)

    def _hidden_duplicates(
        self, ids: pd.Series, rows: np.ndarray, cols: dict[str, int], findings: list[Finding]
    ) -> None:
        """Contact ids equal once invisible characters (zero-width space, BOM, soft
        hyphen) are removed: duplicates nobody can see, each a finding."""
        if ids.dtype != object or not ids.str.contains(_INVISIBLE.pattern, na=False).any():
            return
        c = self.s.column("contact_id")
        first: dict[str, tuple[int, str]] = {}
        for i, v in enumerate(ids.tolist()):
            if not isinstance(v, str):
                continue
            key = _INVISIBLE.sub("", v).strip()
            if key not in first:
                first[key] = (i, v)
                continue
            j, seen = first[key]
            if seen == v:
                continue  # a plain duplicate: ``duplicate_id`` reports it
            shown = _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", v)
            problem = Problem("duplicate_id_hidden", {"first": int(rows[j])})
            findings.append(self.finding(c, cols["contact_id"], int(rows[i]), shown, problem))

    def _duplicate_problems(
        self, df: pd.DataFrame, rows: np.ndarray, cols: dict[str, int], findings: list[Finding]
    ) -> None:
        """A problem listed twice on the Problems sheet: only its first row is used."""
        names = df["problem"].map(lambda v: v.strip() if isinstance(v, str) else v)
        dup = names.notna() & names.duplicated(keep="first")
        if not dup.any():
            return
        kept = ~dup & names.notna()
        first = dict(zip(names[kept], rows[kept.to_numpy()], strict=False))
        c = self.s.column("problem")
        for i in np.flatnonzero(dup.to_numpy()).tolist():
            problem = Problem("duplicate_problem", {"first": int(first[names.iat[i]])})
            f = self.finding(c, cols["problem"], int(rows[i]), names.iat[i], problem)
            findings.append(dataclasses.replace(f, severity="warning"))


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
"""Characters that do not show: a contact id holding one looks like another."""


def date_window(c: Column) -> tuple[float, float]:
    """The days (since 1970-01-01) a date column accepts: ``lo <= day < hi``."""
    return (c.min or 1) - EXCEL_1970, (c.max or 2958465) - EXCEL_1970 + 1


def days_to_ns(days: np.ndarray) -> np.ndarray:
    """Day numbers (NaN blank) as datetime64[ns], to the second."""
    nat = np.isnan(days)
    secs = np.round(np.where(nat, 0, days) * 86_400).astype(np.int64)
    ns = np.where(nat, np.iinfo(np.int64).min, secs * 1_000_000_000)
    return ns.view("datetime64[ns]")


def _by_distinct_text(flat: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(codes, distinct texts) of a column that holds only text and blanks (None/NaN; code
    -1), else None.  Equal texts convert alike, so a column converts once per distinct
    text; a column with anything else (numbers, dates, booleans, which pandas would pool
    with equal values of other types, ``1`` with ``True``) is converted cell by cell."""
    if infer_dtype(flat, skipna=True) != "string":
        return None
    codes, distinct = pd.factorize(flat)
    return codes, np.asarray(distinct, dtype=object)


def spread(
    converted: tuple[np.ndarray, np.ndarray, dict[int, Problem]], codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, dict[int, Problem]]:
    """The conversion of each distinct text (:func:`_by_distinct_text`) given back to every
    cell that holds it; a blank cell (code -1) gets the blank value and no error."""
    values, errors, problems = converted
    blank: Any = None if values.dtype == object else np.nan
    values = np.append(values, np.array([blank], dtype=values.dtype))[codes]
    errors = np.append(errors[:, 0], np.array([None], dtype=object))[codes][:, None]
    if not problems:
        return values, errors, {}
    by_cell: dict[int, Problem] = {}
    for i in np.flatnonzero(errors[:, 0] != None):  # noqa: E711
        text = problems.get(int(codes[i]))
        if text is not None:
            by_cell[int(i)] = text
    return values, errors, by_cell


def _time_fraction(values: np.ndarray, errors: np.ndarray) -> np.ndarray:
    """Time of day (fraction of a day) of date cells that are not native datetimes."""
    out = np.zeros(values.shape)
    for i, v in enumerate(values):
        if errors[i] is not None or v is None:
            continue
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out[i] = float(v) - int(v)
        elif isinstance(v, str) and v.strip():
            days = text_days(v)
            if days is not None:
                out[i] = days - np.floor(days)
    return out


def _draft_to_fill(sheet: str, key: str, df: pd.DataFrame, i: int) -> bool:
    """A draft action (status not started) whose planned date is still to be filled: a
    warning, not an error (*Add actions from findings* leaves it for the lead)."""
    if sheet != "actions" or key != "planned_date" or "status" not in df.columns:
        return False
    return bool(df["status"].iat[i] == "not_started")

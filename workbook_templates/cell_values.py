"""What goes into each cell of a written workbook: prepared input values, cached results.

Input values are brought to the form a cell holds (choice keys as the sheet's labels,
dates without time zones, whole numbers as ints, bad text kept visible as text), a column
at a time.  Computed cells carry cached values from the CSQ_ function implementations
(``udfs.FUNCTIONS``), so a file read without the add-in shows the right numbers.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from udfs.core.config import ScoringConfig
from udfs.core.errors import UsageError
from udfs.core.fields import RUBRIC_KEYS, Lang, choice_label, choice_lookup
from udfs.core.process import limits as process_limits
from workbook_templates.schema import ACTIONS, CALIBRATION, MONITORING, PROBLEMS, Column, Sheet

_TEXT_TYPES = frozenset((str, type(None)))

Rows = pd.DataFrame | Sequence[Mapping[str, Any]] | None
"""Rows given to the writer: a frame or dicts with canonical column keys."""


# ------------------------------------------------------------------- row preparation


def input_frame(rows: Rows, sheet: Sheet) -> pd.DataFrame | None:
    if rows is None:
        return None
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    unknown = [c for c in df.columns if c not in sheet.keys and not str(c).startswith("_")]
    if unknown:
        raise UsageError(
            f"{sheet.en}: unknown column(s) {', '.join(map(str, unknown))}; "
            f"allowed: {', '.join(sheet.input_keys)}"
        )
    return df


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if v is pd.NaT:
        return True
    try:
        return bool(pd.isna(v)) if not isinstance(v, (str, list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


def cell_value(col: Column, v: Any, lang: Lang) -> Any:
    """An input value as it should sit in the cell (None = blank)."""
    if _is_missing(v):
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if col.kind in ("choice", "yn") and col.choices:
        if isinstance(v, str):
            key = _lookup(col.choices).get(v.strip().casefold())
            return choice_label(col.choices, key, lang) if key else v
        if isinstance(v, bool) and col.kind == "yn":
            return "Y" if v else "N"
        return str(v)
    if col.kind in ("datetime", "date"):
        if isinstance(v, pd.Timestamp):
            v = v.to_pydatetime()
        if isinstance(v, _dt.datetime):
            return v.replace(tzinfo=None) if col.kind == "datetime" else v.date()
        return v
    if col.kind in ("number", "integer", "rubric", "score"):
        if isinstance(v, bool):
            return int(v)
        if isinstance(v, (int, float)):
            return int(v) if isinstance(v, float) and v.is_integer() else v
        return str(v)  # bad text stays visible as text (validate reports it)
    # text
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


@functools.cache
def _lookup(name: str) -> dict[str, str]:
    return choice_lookup(name)


def column_values(df: pd.DataFrame | None, col: Column, lang: Lang, n: int) -> list[Any]:
    """The cell values of one input column, as :func:`cell_value` gives them, a column at
    a time: float and datetime columns are converted with numpy, repeated texts once."""
    if df is None or col.key not in df.columns:
        return [None] * n
    s = df[col.key]
    kind = s.dtype.kind
    if kind == "f" and col.kind in ("number", "integer", "rubric", "score"):
        a = s.to_numpy(dtype=np.float64)
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(a) & (a == np.floor(a))
        small = whole & (np.abs(a) < 2.0**53)
        out = a.astype(object)
        out[small] = a[small].astype(np.int64).astype(object)  # 5.0 -> 5, as cell_value
        big = whole & ~small
        if big.any():
            out[big] = [int(x) for x in a[big].tolist()]
        out[np.isnan(a)] = None
        return out.tolist()
    if kind == "M" and col.kind in ("datetime", "date") and getattr(s.dt, "tz", None) is None:
        missing = s.isna().to_numpy()
        py = s.array.to_pydatetime()  # type: ignore[attr-defined]
        if col.kind == "date":
            py = np.array([None if m else d.date() for d, m in zip(py, missing, strict=True)])
        out = np.asarray(py, dtype=object)
        out[missing] = None
        return out.tolist()
    if kind == "O":
        values = s.tolist()
        if col.kind == "text" and set(map(type, values)) <= _TEXT_TYPES:
            return values  # cell_value of text is the text itself, of None None
        memo: dict[str, Any] = {}
        out_list: list[Any] = []
        append = out_list.append
        for v in values:
            if v is None:
                append(None)
            elif type(v) is str:
                r = memo.get(v, memo)
                if r is memo:
                    r = memo[v] = cell_value(col, v, lang)
                append(r)
            else:
                append(cell_value(col, v, lang))
        return out_list
    return [cell_value(col, v, lang) for v in s.tolist()]


# ------------------------------------------------------------------ cached values


def _excel_value(v: Any) -> Any:
    """A cell value as Excel hands it to a function (dates as datetime, blanks None)."""
    if isinstance(v, _dt.date) and not isinstance(v, _dt.datetime):
        return _dt.datetime(v.year, v.month, v.day)
    return v


def _call(name: str, *args: Any, **kwargs: Any) -> list[Any]:
    from udfs import FUNCTIONS

    out = FUNCTIONS[name](*args, **kwargs)
    if isinstance(out, np.ndarray):
        out = out.tolist()
    if not isinstance(out, list):
        return [out]
    return [r[0] if isinstance(r, list) else r for r in out]


def _excel_values(values: list[Any]) -> list[Any]:
    """:func:`_excel_value` of each value (the list itself where no value is a date)."""
    if any(
        issubclass(t, _dt.date) and not issubclass(t, _dt.datetime) for t in set(map(type, values))
    ):
        return [_excel_value(v) for v in values]
    return values


def _column2d(values: list[Any]) -> np.ndarray:
    """The values as one column (what Excel passes for a range), for the CSQ_ functions."""
    return _rows2d([values])


def _rows2d(columns: list[list[Any]]) -> np.ndarray:
    """The columns side by side, each value as :func:`_excel_value` gives it."""
    out = np.empty((len(columns[0]) if columns else 0, len(columns)), dtype=object)
    for j, c in enumerate(columns):
        out[:, j] = _excel_values(c)
    return out


def cached_values(
    sheet: Sheet,
    inputs: dict[str, list[Any]],
    lang: Lang,
    config: ScoringConfig,
    as_of: _dt.date,
) -> dict[str, list[Any]]:
    """The value of every computed cell, per computed column key, as the CSQ_ functions
    return it for these cell values (None = blank).  Portable formulas give the same."""
    n = len(next(iter(inputs.values()))) if inputs else 0
    out: dict[str, list[Any]] = {}
    if n == 0:
        return {c.key: [] for c in sheet.columns if c.role == "computed"}
    weights = [[i.weight] for i in config.contact_indicators]
    th = [[config.grades.excellent], [config.grades.good], [config.grades.pass_]]
    if sheet is CALIBRATION:
        ratings = _rows2d([inputs[k] for k in RUBRIC_KEYS])
        out["score"] = _call("CSQ_SCORE", ratings, _column2d(inputs["critical_error"]), weights)
    elif sheet is MONITORING:
        ratings = _rows2d([inputs[k] for k in RUBRIC_KEYS])
        crit = _column2d(inputs["critical_error"])
        score = _call("CSQ_SCORE", ratings, crit, weights)
        out["score"] = score
        out["grade"] = _call("CSQ_GRADE", _column2d(score), th, lang)
        out["qc_result"] = _call("CSQ_QC_RESULT", _column2d(score), crit, config.grades.pass_, lang)
        out["process_result"] = _call(
            "CSQ_PROCESS",
            _column2d(inputs["first_response_s"]),
            _rows2d(
                [
                    inputs[k]
                    for k in ("escalation_min", "answer_min", "update_gap_min", "callback_h")
                ]
            ),
            _column2d(inputs["process_ok"]),
            [[x] for x in process_limits(config)],
            config.first_response_unit,
            lang,
        )
    elif sheet is PROBLEMS:
        freq = inputs["count"]
        labels = _column2d(inputs["problem"])
        a, b = config.pareto_a, config.pareto_b
        out["count"] = freq
        for key, what in (
            ("pareto_share", "share"),
            ("cumulative", "cumulative"),
            ("pareto_class", "class"),
        ):
            out[key] = _call("CSQ_PARETO", _column2d(freq), labels, what, a, b)
    elif sheet is ACTIONS:
        p, ac = _column2d(inputs["planned_date"]), _column2d(inputs["actual_date"])
        st = _column2d(inputs["status"])
        day = _dt.datetime(as_of.year, as_of.month, as_of.day)
        out["action_status"] = _call("CSQ_ACTION_STATUS", p, ac, day, st, lang)
        out["days_late"] = _call("CSQ_DAYS_LATE", p, ac, day, st)
        out["met"] = _call(
            "CSQ_MET",
            _column2d(inputs["baseline"]),
            _column2d(inputs["target"]),
            _column2d(inputs["after"]),
        )
    return {k: [None if v == "" else v for v in vals] for k, vals in out.items()}


def problem_frequencies(
    problems: list[Any], categories: Iterable[Any], typed: list[Any] | None = None
) -> list[int]:
    """COUNTIF semantics: case-insensitive exact match of each problem in the categories;
    when no category is typed at all, the typed frequencies (``typed``; blank 0), as the
    Problems sheet's count formula does."""
    categories = list(categories)
    if typed is not None and not any(isinstance(c, str) and c for c in categories):
        return [
            0
            if not (isinstance(p, str) and p.strip())
            else (int(t) if isinstance(t, (int, float)) and not isinstance(t, bool) else 0)
            for p, t in zip(problems, typed, strict=False)
        ]
    counts: dict[str, int] = {}
    for c in categories:
        if isinstance(c, str):
            k = c.casefold()
            counts[k] = counts.get(k, 0) + 1
    return [
        0 if not (isinstance(p, str) and p.strip()) else counts.get(p.casefold(), 0)
        for p in problems
    ]

"""Turning cell values (scalars, columns, ranges) into typed numpy arrays.

Every converter is vectorised and never raises for a bad cell: it returns the converted
array (NaN / NaT where a cell is blank, N/A or bad) and an ``errors`` array holding a
:class:`~udfs.core.problems.Problem` (a code such as ``not_in_range`` and its parameters:
column name, value, bounds) for each bad cell and ``None`` elsewhere, so one bad cell never
spoils the other rows.  The CSQ_ functions show it as a short in-cell message
(``#CSQ! csat 7 not in 1-5``, :func:`udfs.core.problems.cell_text`), the reader as a
finding in either language.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .fields import NA_TOKENS, NO_CRITICAL_ERROR_TOKENS, choice_lookup
from .problems import ERROR_PREFIX, Problem

EXCEL_EPOCH = np.datetime64("1899-12-30", "D")

Shape = Callable[[np.ndarray], Any]


def err(text: str) -> str:
    """A short in-cell message."""
    return f"{ERROR_PREFIX} {text}"


_SHARED: dict[tuple[str, ...], dict[str, str]] = {}


def problem(code: str, name: str, value: str, **bounds: str) -> Problem:
    """A value check's problem: column ``name`` and the bounds (one dict shared by the bad
    cells of a column), the cell's ``value`` as shown."""
    key = (name, *(f"{k}={v}" for k, v in bounds.items()))
    params = _SHARED.get(key)
    if params is None:
        params = {"name": name, **bounds}
        if len(_SHARED) < 4096:
            _SHARED[key] = params
    return Problem(code, params, value=value)


def number_or_none(v: Any) -> float | None:
    """``v`` as a float; None for None, for what is not a number and for NaN (a figure
    the analysis does not have)."""
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def fmt_value(v: Any) -> str:
    """A cell value as a user would recognise it in a message (short)."""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:  # 1e308: never 309 digits
        return str(int(v))
    if isinstance(v, (_dt.datetime, pd.Timestamp)):
        return v.strftime("%Y-%m-%d %H:%M") if (v.hour or v.minute) else v.strftime("%Y-%m-%d")
    if isinstance(v, _dt.date):
        return v.isoformat()
    s = str(v)
    return repr(s[:20] + "…" if len(s) > 20 else s) if isinstance(v, str) else s


def fmt_num(v: float) -> str:
    """A number as typed: ``15`` not ``15.0``; a huge one as ``1e+308``, never 309 digits."""
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else f"{v:g}"


def as_2d(x: Any) -> tuple[np.ndarray, Shape]:
    """Normalise a scalar, 1-D or 2-D input to a 2-D object array.

    Returns the array and a function that gives a result array of the same 2-D shape
    back in the caller's original form (scalar for a scalar, list for a list, list of
    lists for a range), which is what Excel spills.
    """
    if isinstance(x, pd.DataFrame):
        arr = x.to_numpy(dtype=object)
        return arr, lambda r: r.tolist()
    if isinstance(x, pd.Series):
        arr = x.to_numpy(dtype=object).reshape(-1, 1)
        return arr, lambda r: r[:, 0].tolist()
    if isinstance(x, np.ndarray):
        if x.ndim == 0:
            return x.astype(object).reshape(1, 1), lambda r: r[0, 0]
        if x.ndim == 1:
            return x.astype(object).reshape(-1, 1), lambda r: r[:, 0]
        return x.astype(object, copy=False), lambda r: r
    if isinstance(x, (list, tuple)):
        if len(x) == 0:
            return np.empty((0, 1), dtype=object), lambda r: []
        if isinstance(x[0], (list, tuple)):
            width = len(x[0])
            arr = np.empty((len(x), width), dtype=object)
            try:
                arr[:] = x
            except ValueError:  # ragged rows
                arr = np.empty((len(x), max(len(row) for row in x)), dtype=object)
                for i, row in enumerate(x):
                    arr[i, : len(row)] = row
            return arr, lambda r: r.tolist()
        arr = np.empty((len(x), 1), dtype=object)
        arr[:, 0] = x
        return arr, lambda r: r[:, 0].tolist()
    arr = np.empty((1, 1), dtype=object)
    arr[0, 0] = x
    return arr, lambda r: r[0, 0]


def blank_mask(arr: np.ndarray) -> np.ndarray:
    """True where a cell is empty: None, NaN, or text of only whitespace."""
    flat = arr.ravel()
    out = np.fromiter(
        (
            v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())
            for v in flat
        ),
        dtype=bool,
        count=flat.size,
    )
    return out.reshape(arr.shape)


def na_mask(arr: np.ndarray) -> np.ndarray:
    """True where a cell says "not applicable" (N/A, NA, 不适用, -)."""
    flat = arr.ravel()
    out = np.fromiter(
        (isinstance(v, str) and v.strip() in NA_TOKENS for v in flat), dtype=bool, count=flat.size
    )
    return out.reshape(arr.shape)


_NO_CRITICAL = frozenset(t.casefold() for t in NO_CRITICAL_ERROR_TOKENS)


def critical_mask(arr: np.ndarray) -> np.ndarray:
    """True where a critical-error cell holds a critical error: not blank and not one of
    :data:`~udfs.core.fields.NO_CRITICAL_ERROR_TOKENS` (无, 否, 没有, N, No, none, -, /)."""
    flat = pd.Series(arr.ravel(), dtype=object)
    out = np.zeros(flat.size, dtype=bool)
    filled = flat.notna().to_numpy(dtype=bool)
    if filled.any():
        seen: dict[Any, bool] = {}

        def is_error(v: Any) -> bool:
            try:
                return seen[v]
            except KeyError:
                text = (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)).strip()
                seen[v] = hit = bool(text) and text.casefold() not in _NO_CRITICAL
                return hit
            except TypeError:  # unhashable: never from a sheet
                return True

        out[filled] = [is_error(v) for v in flat[filled].tolist()]
    return out.reshape(arr.shape)


def to_number(
    arr: np.ndarray,
    name: str,
    lo: float | None = None,
    hi: float | None = None,
    *,
    integer: bool = False,
    allow_na: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Numbers (numeric text accepted) with range checks; blank -> NaN, no error.

    ``allow_na`` lets N/A-type text count as blank (rubric dimensions).
    """
    errors = np.full(arr.shape, None, dtype=object)
    try:
        if arr.dtype == object and any(type(v) in (bool, str) for v in arr.ravel().tolist()):
            raise TypeError("TRUE/FALSE or text")  # the slow path checks each ("NaN" too)
        values = arr.astype(float)  # fast path: only numbers and blanks
    except (ValueError, TypeError):
        flat = arr.ravel()
        conv = pd.to_numeric(pd.Series(flat, dtype=object), errors="coerce").to_numpy(
            dtype=float, na_value=np.nan, copy=True
        )  # a copy: pandas' own array is read-only (copy-on-write), numeric texts go in it
        for b in [j for j, v in enumerate(flat.tolist()) if type(v) is bool]:
            conv[b] = np.nan  # an Excel TRUE/FALSE in a number cell: reported below
        # Python-level work only for the cells that did not convert (blanks, N/A, text)
        for i in np.flatnonzero(np.isnan(conv)):
            v = flat[i]
            if v is None or (isinstance(v, float) and v != v):
                continue
            if isinstance(v, str):
                t = v.strip()
                if not t or (allow_na and t in NA_TOKENS):
                    continue
                try:
                    conv[i] = float(t)
                    if conv[i] == conv[i]:  # the text "NaN" is no number
                        continue
                except ValueError:
                    pass
            idx = np.unravel_index(i, arr.shape)
            code = "not_a_number_or_na" if allow_na else "not_a_number"
            errors[idx] = problem(code, name, fmt_value(v))
        values = conv.reshape(arr.shape)
    finite = ~np.isnan(values)
    out_of_range = np.zeros(arr.shape, dtype=bool)
    if lo is not None:
        out_of_range |= finite & (values < lo)
    if hi is not None:
        out_of_range |= finite & (values > hi)
    fraction = finite & ~out_of_range & (values != np.round(values)) if integer else None
    if out_of_range.any():
        for idx in zip(*np.nonzero(out_of_range), strict=True):
            v = fmt_num(values[idx])
            if lo is not None and hi is not None:
                errors[idx] = problem("not_in_range", name, v, lo=fmt_num(lo), hi=fmt_num(hi))
            elif lo is not None:
                errors[idx] = problem("below_minimum", name, v, lo=fmt_num(lo))
            else:
                errors[idx] = problem("above_maximum", name, v, hi=fmt_num(hi))  # type: ignore[arg-type]
    if fraction is not None and fraction.any():
        for idx in zip(*np.nonzero(fraction), strict=True):
            errors[idx] = problem("not_a_whole_number", name, fmt_num(values[idx]))
    bad_cells = errors != None  # noqa: E711  (elementwise)
    if bad_cells.any():
        values = np.where(bad_cells, np.nan, values)
    return values.astype(float, copy=False), errors


def to_yes_no(arr: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Y/N cells -> 1.0 / 0.0 (NaN blank).  Accepts Y/N, yes/no, 是/否, TRUE/FALSE, 1/0."""
    lookup = choice_lookup("yn")
    flat = arr.ravel().tolist()
    errors = np.full(len(flat), None, dtype=object)
    out = np.full(len(flat), np.nan)
    seen: dict[str, float | None] = {}  # text -> value (None: not Y/N); columns repeat
    for i, v in enumerate(flat):
        if v is None or (isinstance(v, float) and v != v):
            continue
        if isinstance(v, bool):
            out[i] = 1.0 if v else 0.0
            continue
        if isinstance(v, (int, float)):
            if v in (0, 1):
                out[i] = float(v)
            else:
                errors[i] = problem("not_yes_no", name, fmt_value(v))
            continue
        text = str(v)
        if text in seen:
            val = seen[text]
        else:
            s = text.strip().casefold()
            if not s:
                val = np.nan
            else:
                key = lookup.get(s)
                val = None if key is None else (1.0 if key == "Y" else 0.0)
            seen[text] = val
        if val is None:
            errors[i] = problem("not_yes_no", name, fmt_value(v))
        else:
            out[i] = val
    return out.reshape(arr.shape), errors.reshape(arr.shape)


def nonblank(arr: np.ndarray) -> np.ndarray:
    """True where a cell holds something (not None/NaN/whitespace-only text)."""
    flat = arr.ravel()
    out = np.array(
        [
            not (
                v is None
                or (isinstance(v, float) and v != v)
                or (isinstance(v, str) and not v.strip())
            )
            for v in flat.tolist()
        ],
        dtype=bool,
    )
    return out.reshape(arr.shape)


def to_text(arr: np.ndarray) -> np.ndarray:
    """Text cells stripped; blank -> None.  Numbers become their text (ids typed as numbers)."""
    out = np.empty(arr.size, dtype=object)
    vals: list[Any] = []
    for v in arr.ravel().tolist():
        if v.__class__ is str:  # the common case first
            vals.append(v.strip() or None)
            continue
        if v is None or (isinstance(v, float) and v != v):
            vals.append(None)
            continue
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        s = str(v).strip()
        vals.append(s or None)
    out[:] = vals
    return out.reshape(arr.shape)


_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:\s+|T|(?<=日))(\d{1,2})\s*[:：]\s*(\d{1,2})(?:\s*[:：]\s*(\d{1,2})(?:\.\d+)?)?Z?)?"
)
_UNIX_EPOCH = _dt.datetime(1970, 1, 1)


def text_days(text: str) -> float | None:
    """Date text -> day number with the time of day as a fraction, or None.

    Only year-month-day order is accepted (``2024-06-15``, ``2024/6/15``, ``2024.6.15``,
    ``2024年6月15日``, each optionally followed by ``09:30``, ``09:30:15`` or an ISO time such
    as ``T09:30:15.000Z``, read as written): text that
    only some readers would take as a date (``15/06/2024`` vs ``06/15/2024``), a time
    alone (``14:30:00``, which would otherwise become today), ``0``, ``-1`` and ``/1``
    are not dates.  Any year 1-9999 is read here; the window is checked by the caller.
    """
    m = _DATE_TEXT.fullmatch(text.strip())
    if m is None:
        return None
    y, mo, d, hh, mi, ss = (int(g) if g is not None else 0 for g in m.groups())
    try:
        when = _dt.datetime(y, mo, d, hh, mi, ss)
    except ValueError:  # 2024-02-30, 25:00, year 0
        return None
    return (when - _UNIX_EPOCH).total_seconds() / 86_400


def to_days(arr: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Dates -> day numbers (float days since 1970-01-01, NaN blank).

    Accepts datetime/date objects, Excel serial numbers (1 = 1900-01-01 up to 9999-12-31)
    and year-month-day text (:func:`text_days`).  Anything else is an error, never
    another date: a time of day alone, ``0``, ``-1``, day-month-year text.
    """
    errors = np.full(arr.shape, None, dtype=object)
    out = np.full(arr.shape, np.nan)
    for idx, v in np.ndenumerate(arr):
        if v is None or (isinstance(v, float) and v != v):
            continue
        day: float | None = None
        if isinstance(v, (_dt.datetime, pd.Timestamp)):
            day = float((v.date() - _UNIX_EPOCH.date()).days)
        elif isinstance(v, _dt.date):
            day = float((v - _UNIX_EPOCH.date()).days)
        elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            if 1 <= v < 2958466:  # Excel serials 1900-01-01 .. 9999-12-31
                day = float(int(v)) - 25569.0  # serial 25569 = 1970-01-01
        elif isinstance(v, str):
            if not v.strip():
                continue
            found = text_days(v)
            day = None if found is None else float(np.floor(found))
        if day is None:
            errors[idx] = problem("not_a_date", name, fmt_value(v))
        else:
            out[idx] = day
    return out, errors


def parse_as_of(value: Any) -> float:
    """One as-of date (any accepted date form) -> day number; ``ValueError`` if missing/bad."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return float(np.datetime64(_dt.date.today(), "D").astype(np.int64))
    arr, _ = as_2d(value)
    days, errors = to_days(arr[:1, :1], "as-of")
    if errors[0, 0] is not None or np.isnan(days[0, 0]):
        raise ValueError(f"as-of date {fmt_value(arr[0, 0])} is not a date")
    return float(days[0, 0])


def days_to_date(day: float) -> _dt.date:
    return (np.datetime64("1970-01-01", "D") + np.timedelta64(int(day), "D")).astype(_dt.date)


def merge_errors(*errs: np.ndarray) -> np.ndarray:
    """First error per cell across several error arrays of the same shape."""
    out = errs[0].copy()
    for e in errs[1:]:
        mask = (out == None) & (e != None)  # noqa: E711
        out[mask] = e[mask]
    return out


def row_errors(errors: np.ndarray) -> np.ndarray:
    """Per-row first error of a 2-D error array (shape (n,))."""
    out = np.full(errors.shape[0], None, dtype=object)
    for j in range(errors.shape[1] - 1, -1, -1):
        col = errors[:, j]
        mask = col != None  # noqa: E711
        out[mask] = col[mask]
    return out

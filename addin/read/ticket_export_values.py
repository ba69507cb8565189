"""One export value's parsing, for the steps of :mod:`addin.read.ticket_export_steps`: a
duration in a map's unit as seconds (:func:`unit_seconds`), a date cell and a time cell
as one value (:func:`join_cells`), date texts read with a map's ``date_format``
(:func:`parse_dates`)."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import pandas as pd

from .import_map import UNITS

_DURATION = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d+)?))?$")


def _duration_s(v: Any) -> float | None:
    """hh:mm:ss (or mm:ss) text, a time or timedelta, or an Excel time fraction -> seconds."""
    if isinstance(v, _dt.timedelta):
        return v.total_seconds()
    if isinstance(v, _dt.time):
        return v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
    if isinstance(v, float | int) and not isinstance(v, bool):
        return float(v) * 86400 if 0 <= v < 1 else None  # an Excel time-of-day cell
    if isinstance(v, str):
        m = _DURATION.match(v.strip())
        if not m:
            return None
        a, b, c = m.group(1), m.group(2), m.group(3)
        if c is None:  # mm:ss
            return int(a) * 60 + int(b) if int(b) < 60 else None
        if int(b) >= 60 or float(c) >= 60:  # 25:61:00 is no duration
            return None
        return int(a) * 3600 + int(b) * 60 + float(c)
    return None


BAD_DURATION = float("nan")
"""What :func:`unit_seconds` gives for text that is not an ``hh:mm:ss`` duration."""


def unit_seconds(v: Any, unit: str) -> float | None:
    """One export value in ``unit`` as seconds; :data:`BAD_DURATION` for a bad
    ``hh:mm:ss`` text, None for text that is not a number (the number check reports it)."""
    if unit == "hh:mm:ss":
        secs = _duration_s(v)
        return BAD_DURATION if secs is None else secs
    try:
        return float(str(v).strip()) * UNITS[unit]
    except ValueError:
        return None


def join_cells(parts: list[Any]) -> Any:
    """Several source cells as one value: a date cell and a time cell make a datetime;
    anything else is joined as text with spaces (then parsed with ``date_format``)."""
    present = [x for x in parts if x is not None and str(x).strip()]
    if not present:
        return None
    if (
        len(present) == 2
        and isinstance(present[0], _dt.date)
        and isinstance(present[1], _dt.time | _dt.datetime)
    ):
        day = present[0].date() if isinstance(present[0], _dt.datetime) else present[0]
        t = present[1].time() if isinstance(present[1], _dt.datetime) else present[1]
        return _dt.datetime.combine(day, t)
    return " ".join(_join_part(x) for x in present)


def _join_part(v: Any) -> str:
    if isinstance(v, _dt.datetime):
        return (
            v.strftime("%Y-%m-%d %H:%M:%S")
            if (v.hour or v.minute or v.second)
            else v.strftime("%Y-%m-%d")
        )
    if isinstance(v, _dt.time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, float) and 0 <= v < 1:  # an Excel time-of-day value
        secs = round(v * 86400)
        return f"{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d}"
    return str(v).strip()


_CANONICAL = re.compile(r"(?:%[YmdHMS%]|[^%])*")
"""Formats of zero-padded numeric fields only: for them ``strptime`` reads back exactly
what ``strftime`` wrote."""


def parse_dates(texts: list[str], fmt: str, memo: dict[tuple[str, str], Any]) -> None:
    """``datetime.strptime(text.strip(), fmt)`` (``None`` where it raises) for each text,
    into ``memo``.  With a format of zero-padded fields (``%d/%m/%Y %H:%M``), pandas parses
    the texts as a whole column and a text is taken only where ``strftime`` of the parsed
    time gives the text back, i.e. where it is that time's own spelling, which ``strptime``
    reads as exactly that time; every other text goes through ``strptime`` itself."""
    if not texts:
        return
    rest = texts
    if _CANONICAL.fullmatch(fmt):
        stripped = pd.Series([v.strip() for v in texts], dtype=object)
        parsed = pd.to_datetime(stripped, format=fmt, errors="coerce")
        same = (parsed.dt.strftime(fmt) == stripped).to_numpy(dtype=bool)
        when = parsed.dt.to_pydatetime()
        rest = []
        for v, ok, w in zip(texts, same.tolist(), when.tolist(), strict=True):
            if ok:
                memo[(fmt, v)] = w
            else:
                rest.append(v)
    for v in rest:
        try:
            memo[(fmt, v)] = _dt.datetime.strptime(v.strip(), fmt)
        except ValueError:
            memo[(fmt, v)] = None

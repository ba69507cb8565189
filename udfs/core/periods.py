"""Report periods: a month, quarter, half-year, year or an inclusive date range.

:func:`parse_period` reads what a QA lead types (``2024-07``, ``2024-Q3``, ``2024-H2``,
``2024``, ``2024-07-01..2024-07-15``) into a :class:`Period` with its first and last day.
A period knows the period of the same kind and length just before it
(:meth:`Period.previous`: the previous quarter for a quarter, the previous 15 days for a
15-day range), the same period a year earlier (:meth:`Period.last_year`) and its trend
(:meth:`Period.trend`: the last six periods of the same kind, ending with it).  The
analysis (:mod:`udfs.core.analysis`) selects contacts with :meth:`Period.mask`.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from .errors import UsageError
from .problems import Problem

PeriodKind = Literal["month", "quarter", "half", "year", "range"]
ACCEPTED = "YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY, YYYY-MM-DD..YYYY-MM-DD"
"""The accepted spellings, as the usage error lists them."""
MONTHS_OF: dict[str, int] = {"month": 1, "quarter": 3, "half": 6, "year": 12}
TREND_PERIODS = 6


class PeriodError(UsageError):
    """A period that is not one of :data:`ACCEPTED` (a usage error: exit 2), coded
    (``bad_period`` or ``period_order``): worded in any language."""


def _month_start(index: int) -> _dt.date:
    return _dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """A report period: its kind, first and last day (inclusive)."""

    kind: PeriodKind
    start: _dt.date
    end: _dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """The canonical spelling (what ``--period`` accepts): ``2021-Q1``, ``2024-07`` ..."""
        y, m = self.start.year, self.start.month
        if self.kind == "month":
            return f"{y:04d}-{m:02d}"
        if self.kind == "quarter":
            return f"{y:04d}-Q{(m - 1) // 3 + 1}"
        if self.kind == "half":
            return f"{y:04d}-H{(m - 1) // 6 + 1}"
        if self.kind == "year":
            return f"{y:04d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def text(self, lang: str) -> str:
        """The label as a reader would write it: ``2024年Q3`` / ``2024 Q3``."""
        y, m = self.start.year, self.start.month
        zh = lang == "zh"
        if self.kind == "month":
            return f"{y}年{m}月" if zh else f"{y}-{m:02d}"
        if self.kind == "quarter":
            return f"{y}年Q{(m - 1) // 3 + 1}" if zh else f"{y} Q{(m - 1) // 3 + 1}"
        if self.kind == "half":
            half = (m - 1) // 6 + 1
            return (f"{y}年{'上' if half == 1 else '下'}半年") if zh else f"{y} H{half}"
        if self.kind == "year":
            return f"{y}年" if zh else f"{y}"
        s, e = self.start, self.end
        if zh:
            tail = (
                f"{e.month}月{e.day}日" if e.year == s.year else f"{e.year}年{e.month}月{e.day}日"
            )
            return f"{s.year}年{s.month}月{s.day}日-{tail}"
        return f"{s.isoformat()} – {e.isoformat()}"

    @property
    def short(self) -> str:
        """A label for a narrow column or an axis: the canonical label, or ``08-18–09-01``
        for a date range (the year is in the title beside it)."""
        if self.kind != "range":
            return self.label
        return f"{self.start:%m-%d}–{self.end:%m-%d}"

    def shift(self, n: int) -> Period:
        """The period ``n`` steps of the same kind and length later (earlier when n < 0)."""
        if self.kind == "range":
            delta = _dt.timedelta(days=self.days * n)
            return Period("range", self.start + delta, self.end + delta)
        step = MONTHS_OF[self.kind]
        first = self.start.year * 12 + self.start.month - 1 + step * n
        start = _month_start(first)
        return Period(self.kind, start, _month_start(first + step) - _dt.timedelta(days=1))

    def previous(self) -> Period:
        """The period of the same kind and length just before this one."""
        return self.shift(-1)

    def last_year(self) -> Period:
        """The same period a year earlier (29 February becomes the 28th)."""
        if self.kind != "range":
            return self.shift(-12 // MONTHS_OF[self.kind])
        return Period("range", _year_back(self.start), _year_back(self.end))

    def trend(self, n: int = TREND_PERIODS) -> list[Period]:
        """The last ``n`` periods of the same kind, oldest first, ending with this one."""
        return [self.shift(k) for k in range(-(n - 1), 1)]

    def mask(self, times: Any) -> np.ndarray:
        """True for the timestamps inside the period (NaT never is)."""
        t = pd.to_datetime(pd.Series(times), errors="coerce")
        lo = pd.Timestamp(self.start)
        hi = pd.Timestamp(self.end) + pd.Timedelta(days=1)
        return ((t >= lo) & (t < hi)).to_numpy(dtype=bool)


def _year_back(d: _dt.date) -> _dt.date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_PART = re.compile(r"(\d{4})-?([QqHh])(\d)")
_YEAR = re.compile(r"(\d{4})")
_RANGE = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})\s*(?:\.\.|~|至)\s*(\d{4}-\d{1,2}-\d{1,2})")


def _date(text: str) -> _dt.date:
    y, m, d = (int(x) for x in text.split("-"))
    return _dt.date(y, m, d)


def parse_period(text: object, lang: str = "en") -> Period:
    """A :class:`Period` from its spelling; :class:`PeriodError` listing the accepted forms."""
    if isinstance(text, float) and text.is_integer():  # a year typed into a number cell
        text = int(text)
    value = str(text).strip() if text is not None else ""
    if isinstance(text, (_dt.datetime, _dt.date)):  # a Config cell typed as a date
        d = text.date() if isinstance(text, _dt.datetime) else text
        return month_period(f"{d.year:04d}-{d.month:02d}")
    try:
        if m := _MONTH.fullmatch(value):
            y, mo = int(m[1]), int(m[2])
            if 1 <= mo <= 12 and y >= 1:
                return month_period(f"{y:04d}-{mo:02d}")
        elif m := _PART.fullmatch(value):
            y, kind, n = int(m[1]), m[2].upper(), int(m[3])
            count = 4 if kind == "Q" else 2
            if 1 <= n <= count and y >= 1:
                kk: PeriodKind = "quarter" if kind == "Q" else "half"
                step = MONTHS_OF[kk]
                first = y * 12 + (n - 1) * step
                return Period(
                    kk, _month_start(first), _month_start(first + step) - _dt.timedelta(days=1)
                )
        elif m := _YEAR.fullmatch(value):
            y = int(m[1])
            if y >= 1:
                return Period("year", _dt.date(y, 1, 1), _dt.date(y, 12, 31))
        elif m := _RANGE.fullmatch(value):
            start, end = _date(m[1]), _date(m[2])
            if end < start:
                raise PeriodError(Problem("period_order", {"value": value}), lang)
            return Period("range", start, end)
    except (ValueError, OverflowError):
        pass
    raise PeriodError(Problem("bad_period", {"value": value, "forms": ACCEPTED}), lang)


def month_period(month: str) -> Period:
    """The month ``YYYY-MM`` as a :class:`Period`."""
    y, m = int(month[:4]), int(month[5:7])
    first = y * 12 + m - 1
    return Period("month", _month_start(first), _month_start(first + 1) - _dt.timedelta(days=1))

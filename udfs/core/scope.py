"""What a report covers: the special-evaluation filter (``--where``), the baseline period
(``--compare``), the default period's as-of rule and the refusal of an empty report.

A :class:`Scope` is what the caller asked for.  :func:`restrict` keeps the contacts that
match the filter (every figure of the report is then theirs) or refuses with the counts of
the values that do exist; :func:`default_period` is the latest month with contacts dated on
or before the as-of date (a contact dated later is a finding naming its cell and never
moves the period); :func:`require_contacts` refuses a period with no contacts, naming the
periods that hold data.  A refusal is a :class:`ScopeError`: a rejected input (exit 1),
worded from a coded problem in any language.  Usage mistakes (an unknown field, an empty
value list) are :class:`~udfs.core.errors.UsageError` (exit 2) naming the accepted fields.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from .data import Finding, WorkbookData
from .errors import CsqError, UsageError
from .extra_columns import EXTRA_PREFIX, extra_header, extra_key, extra_keys, is_extra
from .fields import CHOICES, MONITORING_FIELDS, choice_label, choice_lookup
from .periods import Period, month_period
from .problems import Problem, Text

WHERE_FIELDS: tuple[str, ...] = (
    "service_type",
    "channel",
    "team",
    "agent_id",
    "customer_level",
    "problem_category",
    "source",
    "contact_id",
)
"""The fields ``--where`` accepts (``customer_level``/``source`` when the workbook has them;
``contact_id=@FILE`` reads the ids from a file, one a line)."""

BY_FIELDS: tuple[str, ...] = (
    "service_type",
    "channel",
    "team",
    "customer_level",
    "source",
    "agent_id",
    "problem_category",
    "reviewer",
)
"""The fields ``--by`` accepts, besides any other text column the workbook has."""

DEFAULT_MIN_SEGMENT = 30
"""A segment with fewer contacts is grouped into "其他/Other" (Config ``min_segment``)."""

MAX_LISTED = 12
"""At most this many periods or values are named in a refusal; the rest are counted."""

_OTHER = Text("Other", "其他")
_FIELD_NAMES: dict[str, Text] = {
    "customer_level": Text("Customer level", "客户等级"),
    "source": Text("Source", "来源"),
}


class ScopeError(CsqError):
    """A report that would cover no contact (an empty period or filter): a rejected input."""


@dataclass(frozen=True)
class Scope:
    """What one report covers beside its period.

    ``where``: ``(field, values)`` pairs, all of which a contact must match (a contact
    matches a pair when its value is one of ``values``); ``compare``: a baseline period
    shown as "vs P" beside 环比/同比; ``by``: the field whose values get a chapter each;
    ``min_segment``: smaller segments are grouped as Other; ``teams``: the roll-up's team
    comparison table.  An analysis given a scope refuses an empty report."""

    where: tuple[tuple[str, tuple[str, ...]], ...] = ()
    compare: Period | None = None
    by: str | None = None
    min_segment: int = DEFAULT_MIN_SEGMENT
    teams: bool = False


def field_name(key: str, lang: str) -> str:
    """A Monitoring field's header in ``lang`` (``service_type`` -> 服务类型)."""
    f = MONITORING_FIELDS.get(key)
    if f is not None:
        return f.zh if lang == "zh" else f.en
    if is_extra(key):  # an export's column kept as it was: its own header
        return extra_header(key)
    if key in _FIELD_NAMES:
        return _FIELD_NAMES[key](lang)
    return key


def parse_where(text: str, lang: str) -> tuple[str, tuple[str, ...]]:
    """``FIELD=V1,V2`` -> ``(field, (V1, V2))``; a usage error names the accepted fields.

    Values are separated by commas (``,``, ``，`` or ``、``); ``contact_id=@FILE`` is read
    by the caller (the core reads no file)."""
    fld, sep, rest = str(text).partition("=")
    fld = fld.strip().lower().replace("-", "_")
    if not sep or fld not in WHERE_FIELDS:
        raise UsageError(
            Problem("scope_where_field", {"value": text, "fields": ", ".join(WHERE_FIELDS)}), lang
        )
    values = tuple(v.strip() for v in rest.replace("，", ",").replace("、", ",").split(","))
    values = tuple(v for v in values if v)
    if not values:
        raise UsageError(Problem("scope_where_empty", {"value": text, "field": fld}), lang)
    return fld, values


def check_by(by: str, lang: str) -> str:
    """A ``--by`` field, canonical; a usage error names the accepted fields.  A name that
    is no template field (``Priority``, ``extra:Priority``) is taken as an extra column
    (``extra:<header>``, issue 23 item 9), checked against the workbook's extra columns once
    it is read (:func:`resolve_by`)."""
    key = str(by).strip().lower().replace("-", "_")
    f = MONITORING_FIELDS.get(key)
    if key in BY_FIELDS or (f is not None and f.kind in ("choice", "text") and f.role == "input"):
        return key
    text = str(by).strip()
    if text.casefold().startswith(EXTRA_PREFIX):
        text = text[len(EXTRA_PREFIX) :].strip()
    if text and f is None and key not in _FIELD_NAMES:
        return extra_key(text)
    raise UsageError(Problem("scope_by_field", {"value": by, "fields": ", ".join(BY_FIELDS)}), lang)


class ByFieldError(UsageError):
    """``--by`` names a column the workbook does not have (exit 2, naming the fields and
    the workbook's extra columns); a report job lets it through instead of rejecting
    the workbook."""


def resolve_by(by: str | None, columns: Iterable[object], lang: str) -> str | None:
    """A ``--by`` extra column (``extra:<header>``) as the workbook holds it (the header
    ignoring case and surrounding spaces); :class:`ByFieldError` when it has none such."""
    if by is None or not is_extra(by):
        return by
    extras = extra_keys(columns)
    if by in extras:
        return by
    want = extra_header(by).strip().casefold()
    for key in extras:
        if extra_header(key).strip().casefold() == want:
            return key
    fields = ", ".join([*BY_FIELDS, *(extra_header(k) for k in extras)])
    raise ByFieldError(
        Problem("scope_by_field", {"value": extra_header(by), "fields": fields}), lang
    )


def _canon(fld: str, values: tuple[str, ...]) -> list[str]:
    """The values as the table holds them (a choice typed in either language -> its key)."""
    if fld in CHOICES:
        look = choice_lookup(fld)
        return [look.get(v.casefold(), v) for v in values]
    return list(values)


def value_label(fld: str, value: object, lang: str) -> str:
    """A value as a reader writes it (a choice key in ``lang``)."""
    if fld in CHOICES and isinstance(value, str):
        return choice_label(fld, value, lang)
    return str(value)


def _norm(col: pd.Series) -> pd.Series:
    return (
        col.astype(object)
        .where(col.notna(), None)
        .map(lambda v: None if v is None else str(v).strip().casefold())
    )


def where_mask(frame: pd.DataFrame, where: tuple[tuple[str, tuple[str, ...]], ...]) -> np.ndarray:
    """True for the contacts that match every ``(field, values)`` pair."""
    keep = np.ones(len(frame), dtype=bool)
    for fld, values in where:
        wanted = {v.strip().casefold() for v in _canon(fld, values)}
        keep &= _norm(frame[fld]).isin(wanted).to_numpy(dtype=bool)
    return keep


def filter_text(where: tuple[tuple[str, tuple[str, ...]], ...], lang: str) -> str:
    """The scope line of a special evaluation: ``专项评价：技术支持`` /
    ``Special evaluation: Technical``; several fields name themselves."""
    if not where:
        return ""
    parts = []
    for fld, values in where:
        if fld == "contact_id":
            n = len(values)
            parts.append(f"工单编号 {n} 条" if lang == "zh" else f"{n} listed contact ids")
            continue
        sep = "、" if lang == "zh" else ", "
        shown = sep.join(value_label(fld, v, lang) for v in _canon(fld, values))
        if len(where) > 1:
            shown = f"{field_name(fld, lang)}{'：' if lang == 'zh' else ': '}{shown}"
        parts.append(shown)
    return (
        ("专项评价：" + "；".join(parts))
        if lang == "zh"
        else ("Special evaluation: " + "; ".join(parts))
    )


def _counts_text(col: pd.Series, fld: str, lang: str) -> str:
    text = col.dropna().astype(str).str.strip()
    counts = text[text != ""].value_counts()
    if fld == "contact_id":
        return f"{len(counts)}"
    items = [f"{value_label(fld, k, lang)} {int(n)}" for k, n in counts.head(MAX_LISTED).items()]
    if len(counts) > MAX_LISTED:
        items.append(f"… (+{len(counts) - MAX_LISTED})")
    return ("、" if lang == "zh" else ", ").join(items) or "-"


def restrict(data: WorkbookData, where: tuple[tuple[str, tuple[str, ...]], ...]) -> WorkbookData:
    """``data`` with only the contacts matching ``where`` (every figure is then theirs).

    Refuses (:class:`ScopeError`) a field the Monitoring table does not have and a filter
    that matches no contact, with the count of each value that does exist."""
    if not where:
        return data
    mon = data.monitoring
    lang = data.lang
    for fld, _values in where:
        if fld not in mon.columns:
            raise ScopeError(
                Problem(
                    "scope_no_field", {"field": Text(field_name(fld, "en"), field_name(fld, "zh"))}
                ),
                lang,
            )
    keep = where_mask(mon, where)
    if not keep.any():
        fld, values = next(
            ((f, v) for f, v in where if not where_mask(mon, ((f, v),)).any()), where[-1]
        )
        params = {
            "field": Text(field_name(fld, "en"), field_name(fld, "zh")),
            "values": ", ".join(values) if fld != "contact_id" else f"{len(values)}",
            "present": Text(_counts_text(mon[fld], fld, "en"), _counts_text(mon[fld], fld, "zh")),
        }
        raise ScopeError(
            Problem("scope_no_match" if fld != "contact_id" else "scope_no_ids", params), lang
        )
    return replace(data, monitoring=mon[keep])


def from_config(scope: Scope, data: WorkbookData) -> tuple[Scope, list[Finding]]:
    """``scope`` completed from the Config sheet's scope cells (``config_tables["scope"]``:
    report chapters by, special evaluation, minimum segment size) where the caller gave
    none; a bad cell is a finding at its cell and is ignored."""
    rows = data.config_tables.get("scope") or []
    findings: list[Finding] = []
    lang = data.lang
    for row in rows:
        item, value, cell = row.get("item"), row.get("value"), str(row.get("cell") or "")
        text = str(value).strip()
        try:
            if item == "report_by" and scope.by is None:
                try:
                    key = resolve_by(
                        check_by(_field_key(text), lang), data.monitoring.columns, lang
                    )
                except UsageError:
                    raise ValueError(text) from None
                if key is None or key not in data.monitoring.columns:
                    raise ValueError(text)  # a column this workbook does not have
                scope = replace(scope, by=key)
            elif item == "report_where" and not scope.where:
                parts = [p for p in text.replace("；", ";").split(";") if p.strip()]
                where = []
                for part in parts:
                    fld, sep, rest = part.partition("=") if "=" in part else part.partition("＝")
                    where.append(parse_where(f"{_field_key(fld)}{sep}{rest}", lang))
                scope = replace(scope, where=tuple(where))
            elif item == "min_segment":
                n = float(text)
                if not n.is_integer() or n < 1:
                    raise ValueError(text)
                scope = replace(scope, min_segment=int(n))
        except (UsageError, ValueError):
            params = {"item": Text(*_CELL_NAMES[str(item)]), "fields": ", ".join(WHERE_FIELDS)}
            findings.append(
                Finding.of(
                    "scope_bad_cell",
                    str(row.get("sheet") or "Config"),
                    cell,
                    str(item),
                    text,
                    params,
                    lang,
                )  # fmt: skip
            )
    return scope, findings


_CELL_NAMES: dict[str, tuple[str, str]] = {
    "report_by": ("Report chapters by", "报告分章"),
    "report_where": ("Special evaluation", "专项评价"),
    "min_segment": ("Minimum segment size", "分章最少联系数"),
}


def _field_key(text: str) -> str:
    """A field typed as its key or its header in either language (服务类型 -> service_type)."""
    t = text.strip()
    for key, f in MONITORING_FIELDS.items():
        if t.casefold() in (key, f.zh.casefold(), f.en.casefold()):
            return key
    for key, names in _FIELD_NAMES.items():
        if t.casefold() in (key, names.en.casefold(), names.zh.casefold()):
            return key
    return t


def prepare(data: WorkbookData, scope: Scope, as_of: _dt.date) -> tuple[WorkbookData, Scope]:
    """``data`` restricted to the filter (the caller's, else the Config sheet's), with a
    finding for each contact dated after the as-of date (those never choose the default
    period) and for each bad scope cell; and the scope in force."""
    scope, bad = from_config(scope, data)
    scope = replace(scope, by=resolve_by(scope.by, data.monitoring.columns, data.lang))
    data = restrict(data, scope.where)
    late = [*bad, *future_findings(data, as_of)]
    return (replace(data, findings=[*data.findings, *late]) if late else data), scope


def _times(frame: pd.DataFrame) -> pd.Series:
    if "contact_time" not in frame.columns:
        return pd.Series([], dtype="datetime64[ns]")
    return pd.to_datetime(frame["contact_time"], errors="coerce")


def future_rows(frame: pd.DataFrame, as_of: _dt.date) -> np.ndarray:
    """True for the contacts dated after the as-of date (the whole day counts)."""
    t = _times(frame)
    if not len(t):
        return np.zeros(len(frame), dtype=bool)
    return (t >= pd.Timestamp(as_of) + pd.Timedelta(days=1)).to_numpy(dtype=bool)


def future_findings(data: WorkbookData, as_of: _dt.date) -> list[Finding]:
    """One warning per contact dated after the as-of date, naming its cell and value."""
    mon = data.monitoring
    late = future_rows(mon, as_of)
    if not late.any():
        return []
    sheet, col = (
        data.monitoring_sheet or "Monitoring",
        data.monitoring_columns.get("contact_time", ""),
    )
    out = []
    times = _times(mon)[late]
    rows = mon["_row"][late] if "_row" in mon.columns else pd.Series([None] * int(late.sum()))
    for t, row in zip(times, rows, strict=True):
        cell = f"{col}{int(row)}" if col and row is not None and not pd.isna(row) else ""
        value = t.strftime("%Y-%m-%d %H:%M") if not pd.isna(t) else ""
        params = {
            "header": Text(field_name("contact_time", "en"), field_name("contact_time", "zh")),
            "as_of": as_of.isoformat(),
        }
        out.append(
            Finding.of(
                "scope_future_contact",
                sheet,
                cell,
                "contact_time",
                value,
                params,
                data.lang,
                "warning",
            )
        )
    return out


def default_period(frame: pd.DataFrame, as_of: _dt.date) -> Period | None:
    """The latest month with contacts dated on or before the as-of date (``None``: none)."""
    t = _times(frame)
    t = t[t.notna() & (t < pd.Timestamp(as_of) + pd.Timedelta(days=1))]
    if not len(t):
        return None
    latest = t.max()
    return month_period(f"{latest.year:04d}-{latest.month:02d}")


def periods_text(periods: list[str]) -> str:
    """The months holding data, listed (a long list: first … last, and how many)."""
    if not periods:
        return "-"
    if len(periods) <= MAX_LISTED:
        return ", ".join(periods)
    return f"{periods[0]} … {periods[-1]} ({len(periods)})"


def require_contacts(
    n: int,
    rp: Period | None,
    periods: list[str],
    where: tuple[tuple[str, tuple[str, ...]], ...],
    lang: str,
    as_of: _dt.date,
) -> None:
    """Refuse a report that would cover no contact: the message names the periods with
    data (in the filter, when there is one)."""
    if n:
        return
    scope = Text("", "")
    if where:
        scope = Text(f" ({filter_text(where, 'en')})", f"（{filter_text(where, 'zh')}）")
    if rp is None:
        code = "scope_all_future" if periods else "scope_no_dates"
        raise ScopeError(
            Problem(code, {"as_of": as_of.isoformat(), "periods": periods_text(periods)}), lang
        )
    params: dict[str, Any] = {
        "period": rp.label,
        "periods": periods_text(periods),
        "scope": scope,
    }
    raise ScopeError(Problem("scope_empty_period", params), lang)


def other_label(lang: str) -> str:
    """The name of the grouped small segments."""
    return _OTHER(lang)

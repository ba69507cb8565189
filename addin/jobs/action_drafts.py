"""*Add actions from findings* (``csq actions --from-findings`` and the ribbon): the
workbook's findings that have no open action yet become draft rows of its Actions table.

The drafts come from the core (:func:`udfs.core.drafts.draft_actions`: measure = the
finding's recommendation, linked problem / metric / scope, baseline = current value,
target = the KPI target); they are numbered after the last action and written by
:func:`addin.jobs.table_rows.append_table_rows`, which changes only the Actions table (the
sheet's rows and the Table's range; styles grow by the "to be filled" highlight).
Running it again adds nothing: a draft is an open action that covers its finding.
"""

from __future__ import annotations

import datetime as _dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from udfs.core.i18n import Catalog

_msg = Catalog(
    {
        "no_table": (
            "no Actions table (Excel Table named 'Actions') in the workbook",
            "工作簿中没有改进跟踪表（名为 Actions 的 Excel 表格）",
        ),
    }
)


@dataclass
class DraftResult:
    """What *Add actions from findings* did to one workbook."""

    out: Path
    added: list[dict[str, Any]] = field(default_factory=list)
    first_row: int = 0
    last_row: int = 0
    period: str | None = None
    reason: str | None = None
    """Why the workbook was rejected (None: it was processed)."""


def next_numbers(existing: list[Any], n: int) -> list[Any]:
    """``n`` action numbers after the last one, in its pattern: whole numbers stay numbers
    (7 -> 8, 9), a numbered text keeps its prefix and width ("1-07" -> "1-08", "1-09")."""
    import re

    texts = [str(v).strip() for v in existing if v is not None and str(v).strip()]
    whole = []
    for t in texts:
        try:
            f = float(t)
        except ValueError:
            continue
        if f == f and f.is_integer():
            whole.append(int(f))
    if texts and len(whole) < len(texts):
        m = re.fullmatch(r"(.*?)(\d+)", texts[-1])
        if m:
            prefix, digits = m.group(1), m.group(2)
            same = [
                int(x.group(2))
                for t in texts
                if (x := re.fullmatch(r"(.*?)(\d+)", t)) and x.group(1) == prefix
            ]
            top = max(same)
            return [f"{prefix}{top + i:0{len(digits)}d}" for i in range(1, n + 1)]
    top = max(whole, default=0)
    return [top + i for i in range(1, n + 1)]


def header_keys() -> dict[str, str]:
    """Every spelling of an Actions column header (zh, en, key) -> its key."""
    from workbook_templates.schema import ACTIONS

    from ..read.headers import norm_header

    out: dict[str, str] = {}
    for c in ACTIONS.columns:
        for text in (c.zh, c.en, c.key):
            out.setdefault(norm_header(text), c.key)
    return out


def plan_drafts(
    src: str | Path, period: str | None, as_of: _dt.date | None, mlang: str
) -> DraftResult:
    """The draft rows for ``src`` (column key -> value), numbered after its last action;
    nothing is written.  ``result.reason`` says why a workbook was rejected."""
    from udfs.core.analysis import analyse
    from udfs.core.drafts import draft_actions

    from ..read.marker import is_csq_report
    from ..read.workbook import read_workbook
    from .report import msg, pick_as_of

    src = Path(src)
    result = DraftResult(src)
    if is_csq_report(str(src)):
        result.reason = msg("is_report", mlang)
        return result
    data = read_workbook(src)
    if data.rejected:
        result.reason = data.rejected_in(mlang)
        return result
    when, rule = pick_as_of(as_of, data.as_of)
    an = analyse(data, when, period or data.report_period, as_of_rule=rule)
    result.period = an.period
    drafts = draft_actions(an, data.lang)
    existing = data.actions["action_no"].tolist() if "action_no" in data.actions else []
    numbers = next_numbers(existing, len(drafts))
    result.added = [{"action_no": no, **d.values} for no, d in zip(numbers, drafts, strict=True)]
    return result


def add_actions_from_findings(
    src: str | Path,
    out: str | Path,
    period: str | None,
    as_of: _dt.date | None,
    mlang: str,
) -> DraftResult:
    """Append the drafts to the Actions table of ``src`` and write ``out`` (``out`` may be
    ``src``: the in-place write is atomic too)."""
    from udfs.core.drafts import TO_FILL

    from .table_rows import TableNotFound, append_table_rows

    src, out = Path(src), Path(out)
    result = plan_drafts(src, period, as_of, mlang)
    result.out = out
    if result.reason:
        return result
    if not result.added:
        if out.resolve() != src.resolve():
            from workbook_templates.output import write_atomic

            write_atomic(out, lambda tmp: shutil.copyfile(src, tmp))
        return result
    try:
        done = append_table_rows(src, out, "Actions", header_keys(), result.added, TO_FILL)
    except TableNotFound:
        result.added = []
        result.reason = _msg("no_table", mlang)
        return result
    result.first_row, result.last_row = done.first_row, done.last_row
    return result

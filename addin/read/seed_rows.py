"""The seed templates' rows as written (issue 20): what the reader accepts from them and
the one warning per column or value it gives instead of an error per row.

seeds/001's 表1 is a team-level monthly table: its 监测周期 is a month ("2024-05"), it has
no contact id and no agent, and its service types (物流投诉, 产品使用咨询) are the team's
own.  After a table is read (:mod:`addin.read.workbook`), :func:`relax_monitoring` turns the
month-only contact times the cell check refused into contacts of that month (the rows are
flagged ``_month_only``: the hour and weekday figures leave them out) and words one warning
per column for them, for blank contact and agent ids, and one per distinct value typed in
an editable choice column that is on no list (the converter accepted it as typed).
:func:`relax_problems` reads a typed share "35%" and :func:`count_findings` compares the
Problems sheet's typed counts with the Monitoring sheet's.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from udfs.core.data import Finding
from udfs.core.fields import CHOICES, OPEN_CHOICES, choice_lookup
from udfs.core.problems import Text
from workbook_templates.schema import MONITORING, PROBLEMS, Sheet, col_letter

from .blocks import col_index

MONTH_ONLY = "_month_only"
"""Monitoring column: the contact time was typed as a month only (bool)."""

_MONTH = re.compile(r"^\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?\s*$")
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[%％]\s*$")


def _row(cell: str) -> int:
    return int("".join(ch for ch in cell if ch.isdigit()) or 0)


def _header(s: Sheet, key: str) -> Text:
    c = s.column(key)
    return Text(c.header("en"), c.header("zh"))


def relax_monitoring(
    df: pd.DataFrame,
    findings: list[Finding],
    cols: dict[str, int],
    sheet: str,
    lang: str,
    added: dict[str, list[str]] | None = None,
) -> tuple[pd.DataFrame, list[Finding]]:
    """Month-only contact times read as the month (flagged), and the warnings of the
    seed-as-written rules, one per column or distinct value."""
    out: list[Finding] = []
    months: dict[int, pd.Timestamp] = {}
    first_month = ""
    for f in findings:
        m = _MONTH.match(f.value) if f.key == "contact_time" and f.cell else None
        if m and f.code == "not_a_date" and 1 <= int(m.group(2)) <= 12:
            months[_row(f.cell)] = pd.Timestamp(int(m.group(1)), int(m.group(2)), 1)
            first_month = first_month or f.value
            continue
        out.append(f)
    if months and len(df):
        rows = df["_row"].to_numpy()
        flag = np.isin(rows, list(months))
        times = df["contact_time"].copy()
        times[flag] = [months[int(r)] for r in rows[flag]]
        df = df.assign(contact_time=times)
        df[MONTH_ONLY] = flag
        at = f"{col_letter(cols['contact_time'])}{min(months)}"
        params = {"header": _header(MONITORING, "contact_time"), "n": len(months)}
        out.append(
            Finding.of(
                "month_only_time", sheet, at, "contact_time", first_month, params, lang, "warning"
            )
        )
    for key, code in (("contact_id", "contact_id_blank"), ("agent_id", "agent_id_blank")):
        if key not in cols or not len(df):
            continue
        blank = df[key].isna().to_numpy()
        if blank.any():
            first = int(df["_row"].to_numpy()[blank][0])
            params = {"header": _header(MONITORING, key), "n": int(blank.sum())}
            at = f"{col_letter(cols[key])}{first}"
            out.append(Finding.of(code, sheet, at, key, "", params, lang, "warning"))
    for key in sorted(OPEN_CHOICES & set(cols)):
        out += _new_choices(df, key, cols[key], sheet, lang, (added or {}).get(key, []))
    return df, sorted(out, key=_order)


def _new_choices(
    df: pd.DataFrame, key: str, col: int, sheet: str, lang: str, added: list[str]
) -> list[Finding]:
    """One warning per distinct value of choice column ``key`` that is on no list (the
    converter kept it as typed; a Config-added choice is a known one)."""
    if key not in df.columns or not len(df):
        return []
    name = MONITORING.column(key).choices
    known = set(choice_lookup(name).values()) if name in CHOICES else set()
    known |= {x.strip().casefold() for x in added}
    values = df[key]
    typed = values.map(lambda v: v if v in known else str(v).strip().casefold())
    new = values[values.notna() & ~typed.isin(known)]
    if not len(new):
        return []
    rows = df["_row"].to_numpy()
    out = []
    for value, idx in new.groupby(new, sort=False).groups.items():
        first = int(rows[df.index.get_indexer(idx)].min())
        params = {"header": _header(MONITORING, key), "n": len(idx)}
        out.append(
            Finding.of(
                "new_choice",
                sheet,
                f"{col_letter(col)}{first}",
                key,
                str(value),
                params,
                lang,
                "warning",
            )
        )
    return out


def _order(f: Finding) -> tuple[int, int, int]:
    if not f.cell:
        return (0, 0, 0)
    return (1, _row(f.cell), col_index(f.cell))


def relax_problems(df: pd.DataFrame, findings: list[Finding]) -> tuple[pd.DataFrame, list[Finding]]:
    """A share typed as text with a percent sign ("35%") is that share (0.35)."""
    out: list[Finding] = []
    fixed: dict[int, float] = {}
    for f in findings:
        m = _PERCENT.match(f.value) if f.key == "share" and f.cell else None
        if m and 0 <= float(m.group(1)) <= 100:
            fixed[_row(f.cell)] = float(m.group(1)) / 100
            continue
        out.append(f)
    if fixed and len(df):
        rows = df["_row"].to_numpy()
        share = df["share"].to_numpy(dtype=float).copy()
        for i, r in enumerate(rows.tolist()):
            if r in fixed:
                share[i] = fixed[r]
        df = df.assign(share=share)
    return df, out


def count_findings(
    monitoring: pd.DataFrame,
    problems: pd.DataFrame,
    cols: dict[str, int],
    sheet: str,
    lang: str,
) -> list[Finding]:
    """A typed count on the Problems sheet that disagrees with the Monitoring count of the
    same problem (case-insensitive, as COUNTIF), when the Monitoring rows carry problem
    categories: a warning; the Monitoring count is used."""
    if "frequency" not in problems.columns or "problem_category" not in monitoring.columns:
        return []
    cats = [c.strip().casefold() for c in monitoring["problem_category"] if isinstance(c, str)]
    cats = [c for c in cats if c]
    if not cats or "frequency" not in cols:
        return []
    counts: dict[str, int] = {}
    for c in cats:
        counts[c] = counts.get(c, 0) + 1
    out = []
    for problem, typed, row in zip(
        problems["problem"], problems["frequency"], problems["_row"], strict=False
    ):
        if not isinstance(problem, str) or typed is None or pd.isna(typed):
            continue
        n = counts.get(problem.strip().casefold(), 0)
        if int(typed) != n:
            params: dict[str, Any] = {
                "header": _header(PROBLEMS, "frequency"),
                "problem": problem,
                "count": n,
            }
            at = f"{col_letter(cols['frequency'])}{int(row)}"
            out.append(
                Finding.of(
                    "typed_count_differs",
                    sheet,
                    at,
                    "frequency",
                    str(int(typed)),
                    params,
                    lang,
                    "warning",
                )
            )
    return out


def process_findings(
    monitoring: pd.DataFrame, cfg: Any, cols: dict[str, int], sheet: str, lang: str
) -> list[Finding]:
    """A reviewer's 流程合规 Y/N that disagrees with the measured steps: a warning on its
    cell naming the first step missed (the reviewer's value is used)."""
    from udfs.core.process import STEPS, disagreements

    if "process_ok" not in cols or "process_ok" not in monitoring.columns:
        return []
    out = []
    rows = monitoring["_row"].to_numpy()
    ok = monitoring["process_ok"].to_numpy(dtype=float)
    for pos, measured, first in disagreements(monitoring, cfg):
        step = STEPS[first] if first >= 0 else None
        params = {
            "header": _header(MONITORING, "process_ok"),
            "measured": "Y" if measured else "N",
            "step": Text(step.late_en, step.late_zh)
            if step
            else Text("every step in time", "各步骤均在时限内"),
        }
        at = f"{col_letter(cols['process_ok'])}{int(rows[pos])}"
        value = "Y" if ok[pos] == 1 else "N"
        out.append(
            Finding.of(
                "process_ok_disagrees", sheet, at, "process_ok", value, params, lang, "warning"
            )
        )
    return out

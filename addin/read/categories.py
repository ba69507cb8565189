"""Findings about the Monitoring problem categories: each should be a known problem type.

A problem type is known when it is on the Config sheet's list "问题类别选项 / Problem
category choices" (``choices.problem_category``, which the Problems sheet's Problem dropdown
offers) or is a problem of the Problems table (which the Monitoring dropdown offers).  A
category in neither is a warning on its cell: the Pareto still counts it as typed, but it
is probably a typo or a type the QA lead has not added yet.  Comparison ignores case and
surrounding spaces.  A workbook with neither a Config list nor any problem (an older or
bare workbook) has nothing to compare with and gets no such warning.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from udfs.core.data import Finding
from udfs.core.problems import render


def _key(v: Any) -> str:
    return str(v).strip().casefold()


def _texts(values: Any) -> list[str]:
    return [str(v).strip() for v in values if v is not None and v == v and str(v).strip()]


def known_categories(
    config_tables: dict[str, list[dict[str, Any]]], problems: pd.DataFrame | None
) -> set[str] | None:
    """The known problem types (casefolded), or ``None`` when there is nothing to compare
    with (no Config list and no problem on the Problems sheet)."""
    listed = config_tables.get("choices.problem_category")
    types = _texts(r.get("value") for r in listed or [])
    if problems is not None and "problem" in problems.columns:
        types += _texts(problems["problem"].tolist())
    if listed is None and not types:
        return None
    return {_key(t) for t in types}


def category_findings(
    monitoring: pd.DataFrame,
    config_tables: dict[str, list[dict[str, Any]]],
    problems: pd.DataFrame | None,
    sheet: str,
    letter: str,
    lang: str,
) -> list[Finding]:
    """A warning for every Monitoring cell (column ``letter`` on ``sheet``) whose problem
    category is not a known problem type."""
    if "problem_category" not in monitoring.columns:
        return []
    known = known_categories(config_tables, problems)
    if known is None:
        return []
    col = monitoring["problem_category"]
    filled = col.notna().to_numpy()
    if not filled.any():
        return []
    # decide once per distinct text (categories repeat on every row of a big sheet)
    verdict = {v: bool(str(v).strip()) and _key(v) not in known for v in col[filled].unique()}
    bad = col[filled].map(verdict).to_numpy(dtype=bool)
    rows = monitoring["_row"].to_numpy()[filled][bad]
    values = col[filled].to_numpy()[bad]
    code, key = "unknown_category", "problem_category"
    rule = render(code, {}, lang)  # worded once for every cell
    return [
        Finding(sheet, f"{letter}{r}", str(v), rule, "warning", key, code, {}, lang)
        for v, r in zip(values.tolist(), rows.tolist(), strict=True)
    ]

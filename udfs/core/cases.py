"""Typical cases: which contacts may be shown as good cases and which as cases to improve.

The rule is per contact, never relative to the other contacts of a selection, so the team
report and every agent's feedback file (a subset of the same contacts) can never show one
contact as a good case in one and as a case to improve in another:

- a **good case** is graded Good or better (score at or above the Good threshold), has no
  critical error, no problem category, no failing QC verdict and no coaching note
  (:data:`COACHING_WORDS` in its QC note or problem description);
- a **case to improve** is below Good: a score under the Good threshold, or a failing QC
  result (a reviewer's typed 不合格/Fail verdict also counts for a contact that has no score);
- anything else (e.g. a 95-point contact with a problem tag) is neither.

Good cases: highest score first; cases to improve: failed QC first, then lowest score; within
equal scores a contact with a description or note comes first.  At most :data:`N_CASES` of
each, never padded.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .config import ScoringConfig
from .privacy import mask_id

N_CASES = 3
"""Good cases and cases to improve shown, at most."""
COACHING_WORDS = (
    "辅导",
    "需改进",
    "待改进",
    "需加强",
    "coach",
    "needs improvement",
    "to improve",
)
"""Words (case-insensitive) that make a QC note or description a coaching note: such a
contact is never a good case.  The one place this rule lives."""
TEXT_COLUMNS = ("contact_id", "customer_id", "reviewer", "problem_description", "qc_note")
"""Free-text columns a case carries from the monitoring table (customer ids masked)."""


def _filled(col: pd.Series) -> np.ndarray:
    """True where a cell holds something other than blanks (None and NaN are empty)."""
    out = col.notna().to_numpy(dtype=bool, copy=True)
    out[out] = (col[out].astype(str).str.strip() != "").to_numpy(dtype=bool)
    return out


_COACHING = re.compile("|".join(re.escape(w) for w in COACHING_WORDS), re.IGNORECASE)


def is_coaching(texts: pd.Series) -> np.ndarray:
    """True where a text names coaching (:data:`COACHING_WORDS`)."""
    return np.fromiter(
        (isinstance(v, str) and _COACHING.search(v) is not None for v in texts),
        dtype=bool,
        count=len(texts),
    )


def case_classes(
    cur: pd.DataFrame, full: pd.DataFrame, config: ScoringConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Per contact of ``cur`` (scored work frame; ``full`` the monitoring table with the
    free text, same index): may it be a good case, may it be a case to improve."""
    n = len(cur)
    score = cur["score"].to_numpy(dtype=float) if "score" in cur.columns else np.full(n, np.nan)
    qc = cur["qc_pass"].to_numpy(dtype=float) if "qc_pass" in cur.columns else np.full(n, np.nan)
    with np.errstate(invalid="ignore"):
        high = score >= config.grades.good
        low = score < config.grades.good
    good = high & (qc != 0)
    for c in ("problem_category", "critical_error"):
        if c in cur.columns:
            good &= ~_filled(cur[c])
    for c in ("problem_description", "qc_note"):
        if c in full.columns and good.any():  # the notes of the candidates only
            rows = np.flatnonzero(good)
            good[rows] = ~is_coaching(full.loc[cur.index[rows], c])
    bad = low | (qc == 0)
    return good, bad


def typical_cases(
    cur: pd.DataFrame, full: pd.DataFrame, config: ScoringConfig
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Up to :data:`N_CASES` good cases and cases to improve of ``cur`` (see the module
    docstring), with the free text of ``full`` (customer ids masked)."""
    good_mask, bad_mask = case_classes(cur, full, config)
    good = cur.iloc[_first(cur, full, np.flatnonzero(good_mask), good=True)]
    bad = cur.iloc[_first(cur, full, np.flatnonzero(bad_mask), good=False)]
    return _with_text(good, full), _with_text(bad, full)


def _first(cur: pd.DataFrame, full: pd.DataFrame, rows: np.ndarray, good: bool) -> np.ndarray:
    """The positions (in ``cur``) of the first :data:`N_CASES` of ``rows`` in case order."""
    if not len(rows):
        return rows
    part = cur.iloc[rows]
    score = (
        part["score"].to_numpy(dtype=float)
        if "score" in part.columns
        else np.full(len(rows), np.nan)
    )
    described = np.zeros(len(rows), dtype=bool)
    for c in ("problem_description", "qc_note"):
        if c in full.columns:
            described |= _filled(full.loc[part.index, c])
    keys = pd.DataFrame(
        {
            "neg_score": -score,
            "score": score,
            "passed": (part["qc_pass"].to_numpy(dtype=float) != 0)
            if "qc_pass" in part.columns
            else np.ones(len(rows), dtype=bool),
            "plain": ~described,
            "t": pd.to_datetime(part["contact_time"], errors="coerce").to_numpy()
            if "contact_time" in part.columns
            else np.arange(len(rows)),
        }
    )
    by = ["neg_score", "plain", "t"] if good else ["passed", "score", "plain", "t"]
    order = keys.sort_values(by, kind="stable", na_position="last").index[:N_CASES]
    return rows[order.to_numpy()]


def _with_text(part: pd.DataFrame, full: pd.DataFrame) -> pd.DataFrame:
    part = part.copy()
    for c in TEXT_COLUMNS:
        if c in full.columns:
            part[c] = full.loc[part.index, c]
    if "customer_id" in part.columns:
        part["customer_id"] = [mask_id(v) for v in part["customer_id"]]
    return part.reset_index(drop=True)

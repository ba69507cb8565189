"""Process-step compliance (seeds/003's service process; SPEC section 5).

The service-process template sets a time limit per step: first response within 10 s,
coordinate a complex issue with other departments within 30 min, a definite answer within
1 h, progress updates every 30 min-1 h while the customer waits, a call-back within 24 h of
resolution.  A step *applies* to a contact when its time is filled (blank = the step did not
happen, e.g. no escalation).  Per step: compliance = contacts within the limit / contacts the
step applies to.  Per contact: compliant when every applicable step is within its limit; the
reviewer's 流程合规 Y/N (``process_ok``) wins where typed.  ``process_compliance`` =
compliant contacts / contacts with at least one applicable step or a typed Y/N.

Limits come from the Config sheet (``ScoringConfig.limit_*``), each in its column's unit
(first response in seconds, as every figure; the others in minutes or hours).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .config import ScoringConfig


@dataclass(frozen=True)
class Step:
    """One service-process step: its key, the Monitoring column, the Config limit."""

    key: str
    column: str
    limit: str
    zh: str
    en: str
    late_zh: str
    late_en: str


STEPS: tuple[Step, ...] = (
    Step(
        "first_response",
        "first_response_s",
        "limit_first_response_s",
        "首次响应",
        "First response",
        "首次响应超时",
        "first response late",
    ),
    Step(
        "escalation",
        "escalation_min",
        "limit_escalation_min",
        "协调相关部门",
        "Escalation",
        "协调超时",
        "escalation late",
    ),
    Step(
        "answer",
        "answer_min",
        "limit_answer_min",
        "明确答复",
        "Definite answer",
        "答复超时",
        "answer late",
    ),
    Step(
        "update_gap",
        "update_gap_min",
        "limit_update_gap_min",
        "进度反馈",
        "Progress updates",
        "进度反馈超时",
        "progress update late",
    ),
    Step(
        "callback",
        "callback_h",
        "limit_callback_h",
        "回访",
        "Call-back",
        "回访超时",
        "call-back late",
    ),
)
"""The steps in process order (the first step missed is named in this order)."""

STEP_COLUMNS: tuple[str, ...] = tuple(s.column for s in STEPS)
RESULT_TEXT: dict[str, tuple[str, str]] = {
    "zh": ("合规", "不合规"),
    "en": ("Compliant", "Not compliant"),
}


def limits(config: ScoringConfig) -> tuple[float, ...]:
    """The five limits of ``config`` in :data:`STEPS` order."""
    return tuple(float(getattr(config, s.limit)) for s in STEPS)


def _values(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    v = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    return np.where(v >= 0, v, np.nan)  # a negative time is a finding, not a step


def step_matrix(
    values: np.ndarray, limit_values: tuple[float, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """(applies, within) boolean matrices (contacts x steps) for step times ``values``
    (NaN: the step did not apply)."""
    v = np.asarray(values, dtype=float)
    applies = ~np.isnan(v)
    within = applies & (v <= np.asarray(limit_values, dtype=float)[None, :] + 1e-9)
    return applies, within


def contact_compliance(
    values: np.ndarray, limit_values: tuple[float, ...], process_ok: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per contact: (measured 1/0/NaN, index of the first step missed or -1, final 1/0/NaN).

    ``measured``: 1 when every applicable step is within its limit, 0 when one is not, NaN
    when no step applies; ``final``: the reviewer's Y/N (1/0) where typed, else measured."""
    applies, within = step_matrix(values, limit_values)
    missed = applies & ~within
    any_step = applies.any(axis=1)
    measured = np.where(any_step, (~missed.any(axis=1)).astype(float), np.nan)
    first = np.where(missed.any(axis=1), missed.argmax(axis=1), -1)
    final = measured.copy()
    if process_ok is not None:
        ok = np.asarray(process_ok, dtype=float)
        final = np.where(np.isnan(ok), measured, ok)
    return measured, first, final


def frame_values(frame: pd.DataFrame) -> np.ndarray:
    """The step times of ``frame`` as a contacts x steps matrix (NaN: not applicable)."""
    if not len(frame):
        return np.zeros((0, len(STEPS)))
    return np.column_stack([_values(frame, s.column) for s in STEPS])


def _ok(frame: pd.DataFrame) -> np.ndarray | None:
    if "process_ok" not in frame.columns:
        return None
    return pd.to_numeric(frame["process_ok"], errors="coerce").to_numpy(dtype=float)


def has_process_data(frame: pd.DataFrame) -> bool:
    """Whether any process-step field (beyond the first response) or a Y/N is filled."""
    cols = [c for c in (*STEP_COLUMNS[1:], "process_ok") if c in frame.columns]
    return bool(cols) and bool(frame[cols].notna().to_numpy().any())


def compliance_rate(frame: pd.DataFrame, config: ScoringConfig) -> float | None:
    """``process_compliance``: compliant contacts / contacts judged (None: none judged)."""
    if not len(frame) or not has_process_data(frame):
        return None
    _, _, final = contact_compliance(frame_values(frame), limits(config), _ok(frame))
    judged = ~np.isnan(final)
    return float(final[judged].mean()) if judged.any() else None


def step_table(frame: pd.DataFrame, config: ScoringConfig) -> pd.DataFrame:
    """One row per step: step, limit, applies (n), within, rate (None: not applicable)."""
    lim = limits(config)
    applies, within = step_matrix(frame_values(frame), lim)
    rows = []
    for j, s in enumerate(STEPS):
        n = int(applies[:, j].sum())
        k = int(within[:, j].sum())
        rows.append(
            {"step": s.key, "limit": lim[j], "n": n, "within": k, "rate": k / n if n else None}
        )
    return pd.DataFrame(rows, columns=["step", "limit", "n", "within", "rate"])


def breakdown(frame: pd.DataFrame, config: ScoringConfig, by: str) -> pd.DataFrame:
    """``process_compliance`` and its n per value of column ``by`` (agent, channel ...)."""
    cols = [by, "n", "compliant", "rate"]
    if by not in frame.columns or not len(frame) or not has_process_data(frame):
        return pd.DataFrame(columns=cols)
    _, _, final = contact_compliance(frame_values(frame), limits(config), _ok(frame))
    f = pd.DataFrame({by: frame[by].to_numpy(dtype=object), "final": final}).dropna()
    if not len(f):
        return pd.DataFrame(columns=cols)
    g = f.groupby(by, sort=True)["final"]
    out = pd.DataFrame({"n": g.size(), "compliant": g.sum().astype(int)}).reset_index()
    out["rate"] = out["compliant"] / out["n"]
    return out[cols].sort_values(["rate", "n"], ascending=[True, False]).reset_index(drop=True)


def disagreements(frame: pd.DataFrame, config: ScoringConfig) -> list[tuple[int, float, int]]:
    """Rows (positions) where the reviewer's Y/N differs from the measured steps:
    (position, measured, first step missed or -1)."""
    ok = _ok(frame)
    if ok is None or not len(frame):
        return []
    measured, first, _ = contact_compliance(frame_values(frame), limits(config), ok)
    differ = ~np.isnan(ok) & ~np.isnan(measured) & (ok != measured)
    return [(int(i), float(measured[i]), int(first[i])) for i in np.flatnonzero(differ)]


def result_texts(
    measured: np.ndarray, first: np.ndarray, final: np.ndarray, lang: str
) -> list[Any]:
    """Each contact's result as the workbook shows it: 合规 / 不合规：回访超时 / blank."""
    yes, no = RESULT_TEXT["zh" if lang == "zh" else "en"]
    sep = "：" if lang == "zh" else ": "
    out: list[Any] = []
    for f, i in zip(final.tolist(), first.tolist(), strict=True):
        if f != f:  # NaN: no step applies and no Y/N typed
            out.append("")
        elif f == 1:
            out.append(yes)
        else:
            step = STEPS[i] if i >= 0 else None
            late = "" if step is None else (step.late_zh if lang == "zh" else step.late_en)
            out.append(no + (sep + late if late else ""))
    return out

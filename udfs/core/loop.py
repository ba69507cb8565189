"""The improvement loop (``seeds/000`` 五、反馈改进, ``seeds/001`` steps 4-6): the actions'
re-measured effects, weekly tracking, customer call-backs and the SOP register.

:func:`analyse_loop` is called once at the end of :func:`udfs.core.analysis.analyse`; its
result is the ``loop`` field of the :class:`~udfs.core.model.Analysis` (an
:class:`ImprovementLoop`, plain data), laid out by ``addin.report.actions_sheet`` (xlsx),
``addin.report.summary`` (``actions``) and the per-agent feedback.  Labels of the states
are :data:`~udfs.core.remeasure.EFFECT_STATE_LABELS`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .config import ScoringConfig
from .data import Finding, WorkbookData
from .fields import ACTION_FIELDS
from .problems import Text
from .remeasure import (
    EFFECT_STATES,
    Factorised,
    LoopSettings,
    as_rate,
    day_numbers,
    iso,
    remeasure,
    scope_mask,
    settings_from_rows,
)
from .targets import Target, metric_key

CALLBACK_RESULTS = ("resolved", "unresolved", "unreachable")
"""The call-back answers (解决/未解决/未接通), canonical keys of Monitoring ``callback_result``."""

CONFIG_SHEET = {"zh": "配置", "en": "Config"}
LOOP_TABLE = "loop"
"""The Config sheet's improvement-loop table (item, value, note)."""


@dataclass
class ImprovementLoop:
    """The loop's figures at the as-of date ("no data" is ``None``).

    Every table has ``action_no`` and ``_row`` (the Actions sheet's Excel row)."""

    settings: LoopSettings = field(default_factory=LoopSettings)
    effects: pd.DataFrame = field(default_factory=pd.DataFrame)
    """One row per action with a recognised metric (:data:`~udfs.core.remeasure.EFFECT_COLUMNS`):
    ``before``/``before_n`` over ``before_start..before_end``, ``after``/``after_n`` over
    ``after_start..after_end``, the typed after beside it, ``state`` (one of
    :data:`~udfs.core.remeasure.EFFECT_STATES`, None for a cancelled action) and ``met``."""
    state_counts: dict[str, int] = field(default_factory=dict)
    """Actions per effect state, in :data:`~udfs.core.remeasure.EFFECT_STATES` order."""
    tracking: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Every open action (no actual date, not cancelled): ``owner``, ``progress`` (0-100),
    ``last_update``, ``next_checkpoint``, ``days_since_update``, ``stale``,
    ``checkpoint_passed``, ``original_planned_date``, ``planned_date``, ``slip_days``."""
    stale: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The open actions with no update for more than ``settings.stale_days`` days."""
    slipped: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Actions whose planned date moved (an original planned date typed): ``slip_days``."""
    reverify_due: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The effects whose after-window closed with too little data."""
    sop_register: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Actions marked 纳入SOP: ``sop_document``, ``metric``, ``state``, ``met``."""
    callbacks: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Per action with a linked problem and call-backs: ``resolved``, ``unresolved``,
    ``unreachable``, ``called`` and ``resolved_rate`` (resolved / called)."""
    findings: list[Finding] = field(default_factory=list)


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v).strip()


def _header(key: str) -> Text:
    f = ACTION_FIELDS[key]
    return Text(f.en, f.zh)


class _Cells:
    """Finding factory for the Actions sheet's cells (columns known from the reader)."""

    def __init__(self, actions: pd.DataFrame, lang: str) -> None:
        self.sheet = str(actions.attrs.get("sheet") or ("改进跟踪" if lang == "zh" else "Actions"))
        self.cols: Mapping[str, str] = actions.attrs.get("columns") or {}
        self.lang = lang

    def finding(
        self, code: str, key: str, row: Any, value: Any, severity: str = "warning", **params: Any
    ) -> Finding:
        letter = self.cols.get(key, "")
        cell = f"{letter}{int(row)}" if letter and row is not None and row == row else ""
        value_text = _text(value)
        if isinstance(value, (pd.Timestamp, _dt.date)):
            value_text = str(value)[:10]
        return Finding.of(
            code,
            self.sheet,
            cell,
            key,
            value_text,
            {"header": _header(key), **params},
            self.lang,
            "error" if severity == "error" else "warning",
        )


def analyse_loop(
    data: WorkbookData,
    work: pd.DataFrame,
    as_of: _dt.date,
    config: ScoringConfig,
    targets: Mapping[str, Target] | None = None,
) -> ImprovementLoop:
    """The loop's figures: ``work`` is every scored contact (index aligned with
    ``data.monitoring``), ``targets`` the KPI targets by key (for their direction)."""
    lang = "zh" if data.lang == "zh" else "en"
    out = ImprovementLoop()
    out.settings, bad = settings_from_rows(data.config_tables.get(LOOP_TABLE))
    for item, value, row in bad:
        out.findings.append(
            Finding.of(
                "loop_setting",
                CONFIG_SHEET[lang],
                f"B{row}" if row else "",
                "",
                _text(value),
                {"item": item, "default": getattr(LoopSettings(), item)},
                lang,
                "warning",
            )
        )
    actions = data.actions
    if actions is None or not len(actions):
        out.effects = remeasure(pd.DataFrame(), work, as_of, out.settings, config)
        out.state_counts = {k: 0 for k in EFFECT_STATES}
        return out
    actions = actions.reset_index(drop=True)
    cells = _Cells(data.actions, lang)
    cache: dict[str, Factorised] = {}  # the scope columns factorised once per analysis
    skip = _check_actions(actions, work, cells, out.findings, cache)
    out.effects = remeasure(actions, work, as_of, out.settings, config, targets, skip, cache)
    st = out.effects["state"]
    out.state_counts = {k: int((st == k).sum()) for k in EFFECT_STATES}
    out.reverify_due = out.effects[(st == "reverify_due").to_numpy(dtype=bool)].reset_index(
        drop=True
    )
    out.tracking = _tracking(actions, as_of, out.settings)
    out.stale = out.tracking[out.tracking["stale"].astype(bool)].reset_index(drop=True)
    out.slipped = out.tracking[out.tracking["slip_days"].fillna(0) > 0].reset_index(drop=True)
    out.sop_register = _sop_register(actions, out.effects, cells, out.findings)
    cb = data.monitoring.get("callback_result") if data.monitoring is not None else None
    if cb is not None:
        cb_work = work.assign(callback_result=cb.reindex(work.index))
        out.callbacks = _callbacks(actions, cb_work, cache)
    return out


def _check_actions(
    actions: pd.DataFrame,
    work: pd.DataFrame,
    cells: _Cells,
    findings: list[Finding],
    cache: dict[str, Factorised],
) -> list[int]:
    """Findings for an unknown metric, a scope that matches no contact and a completion
    before the start; the positions of the actions not to re-measure."""
    skip: list[int] = []
    start = day_numbers(actions["start_date"]) if "start_date" in actions.columns else None
    actual = day_numbers(actions["actual_date"]) if "actual_date" in actions.columns else None
    for i, a in enumerate(actions.to_dict("records")):
        row = a.get("_row")
        m = _text(a.get("metric"))
        if m and metric_key(m) is None:
            findings.append(cells.finding("action_metric_unknown", "metric", row, m))
        if start is not None and actual is not None and actual[i] < start[i]:
            findings.append(
                cells.finding(
                    "action_done_before_start",
                    "actual_date",
                    row,
                    a.get("actual_date"),
                    "error",
                    start=iso(start[i]),
                )
            )
            skip.append(i)
        if m and metric_key(m) is not None:
            _, empty = scope_mask(a, work, cache)
            if empty is not None:
                findings.append(cells.finding("action_scope_empty", empty, row, a.get(empty)))
    return skip


def _col(actions: pd.DataFrame, key: str) -> pd.Series:
    if key in actions.columns:
        return actions[key]
    return pd.Series([None] * len(actions), index=actions.index, dtype=object)


def _tracking(actions: pd.DataFrame, as_of: _dt.date, s: LoopSettings) -> pd.DataFrame:
    """Weekly tracking of the open actions: days since the last update (else the start),
    stale, checkpoint passed, the slip of a moved planned date."""
    as_of_day = float((as_of - _dt.date(1970, 1, 1)).days)
    actual = day_numbers(_col(actions, "actual_date"))
    cancelled = (_col(actions, "status").astype(object) == "cancelled").to_numpy(dtype=bool)
    last = day_numbers(_col(actions, "last_update"))
    start = day_numbers(_col(actions, "start_date"))
    ref = np.where(np.isnan(last), start, last)
    since = as_of_day - ref
    check = day_numbers(_col(actions, "next_checkpoint"))
    planned = day_numbers(_col(actions, "planned_date"))
    original = day_numbers(_col(actions, "original_planned_date"))
    slip = planned - original
    open_ = np.isnan(actual) & ~cancelled
    frame = pd.DataFrame(
        {
            "action_no": _col(actions, "action_no").to_numpy(dtype=object),
            "measure": _col(actions, "measure").to_numpy(dtype=object),
            "owner": _col(actions, "owner").to_numpy(dtype=object),
            "scope_agent": _col(actions, "scope_agent").to_numpy(dtype=object),
            "status": _col(actions, "status").to_numpy(dtype=object),
            "progress": pd.to_numeric(_col(actions, "progress"), errors="coerce").to_numpy(),
            "last_update": [iso(d) for d in last],
            "next_checkpoint": [iso(d) for d in check],
            "days_since_update": since,
            "stale": open_ & ~np.isnan(since) & (since > s.stale_days),
            "checkpoint_passed": open_ & ~np.isnan(check) & (as_of_day > check),
            "original_planned_date": [iso(d) for d in original],
            "planned_date": [iso(d) for d in planned],
            "slip_days": np.where(slip > 0, slip, np.nan),
            "_row": _col(actions, "_row").to_numpy(dtype=object),
        }
    )
    keep = open_ | (frame["slip_days"].fillna(0) > 0).to_numpy(dtype=bool)
    return frame[keep].reset_index(drop=True)


def _sop_register(
    actions: pd.DataFrame, effects: pd.DataFrame, cells: _Cells, findings: list[Finding]
) -> pd.DataFrame:
    """The actions marked 纳入SOP, with their verified state (a mark on an action not
    verified as met is a warning)."""
    flag = pd.to_numeric(_col(actions, "in_sop"), errors="coerce").fillna(0).to_numpy() > 0
    doc = _col(actions, "sop_document")
    state = dict(zip(effects["_row"], effects["state"], strict=True)) if len(effects) else {}
    rows = []
    for i, a in enumerate(actions.to_dict("records")):
        if not flag[i]:
            continue
        st = state.get(a.get("_row"))
        if st != "verified_met":
            findings.append(
                cells.finding(
                    "action_sop_unverified", "in_sop", a.get("_row"), "Y", state=st or "-"
                )
            )
        rows.append(
            {
                "action_no": a.get("action_no"),
                "measure": a.get("measure"),
                "problem": a.get("problem"),
                "metric": a.get("metric"),
                "sop_document": _text(doc.iloc[i]) or None,
                "state": st,
                "_row": a.get("_row"),
            }
        )
    cols = ["action_no", "measure", "problem", "metric", "sop_document", "state", "_row"]
    return pd.DataFrame(rows, columns=cols)


def _callbacks(
    actions: pd.DataFrame, work: pd.DataFrame, cache: dict[str, Factorised]
) -> pd.DataFrame:
    """Customer re-verification per action with a linked problem: the call-back answers of
    the contacts in its scope from its start (else its planned date) on."""
    days = day_numbers(work["contact_time"]) if "contact_time" in work.columns else None
    result = work["callback_result"].astype(object).to_numpy()
    start = day_numbers(_col(actions, "start_date"))
    planned = day_numbers(_col(actions, "planned_date"))
    rows = []
    for i, a in enumerate(actions.to_dict("records")):
        if not _text(a.get("problem")):
            continue
        mask, _ = scope_mask(a, work, cache)
        begin = start[i] if start[i] == start[i] else planned[i]
        if days is not None and begin == begin:
            mask &= days >= begin
        got = result[mask]
        counts = {k: int(np.count_nonzero(got == k)) for k in CALLBACK_RESULTS}
        called = sum(counts.values())
        if not called:
            continue
        rows.append(
            {
                "action_no": a.get("action_no"),
                "problem": a.get("problem"),
                **counts,
                "called": called,
                "resolved_rate": counts["resolved"] / called,
                "_row": a.get("_row"),
            }
        )
    cols = ["action_no", "problem", *CALLBACK_RESULTS, "called", "resolved_rate", "_row"]
    return pd.DataFrame(rows, columns=cols)


def agent_actions(loop: ImprovementLoop, agent: str) -> pd.DataFrame:
    """The effects of the actions scoped to ``agent`` (the per-agent feedback's list)."""
    e = loop.effects
    if not len(e):
        return e
    return e[e["scope_agent"].astype(str) == str(agent)].reset_index(drop=True)


def typed_value(kpi: str | None, v: Any) -> float | None:
    """A typed baseline/target/after in the KPI's unit (None when blank)."""
    f = as_rate(kpi, v)
    return None if f != f else f

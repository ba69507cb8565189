"""KPI targets: the Config sheet's Targets table turned into typed targets, and each
headline KPI checked against its target (gap = value - target; met or not).

The reader hands the table over as plain rows (``WorkbookData.config_tables["targets"]``);
:func:`targets_from_rows` turns them into :class:`Target` objects, falling back to
:data:`DEFAULT_TARGETS` when the workbook has no such table (an older workbook).
:func:`check_targets` compares them with the report period's figures.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

TARGET_KPIS: dict[str, tuple[str, str]] = {
    # KPI key (SPEC section 5 name) -> (English, 简体中文)
    "answer_rate": ("Answer rate", "接通率"),
    "fcr": ("First-contact resolution (FCR)", "首次解决率"),
    "csat_mean": ("CSAT mean (1-5)", "满意度均值(1-5)"),
    "csat_pct": ("CSAT % (4-5)", "满意率(4-5分)"),
    "nps": ("NPS", "净推荐值 NPS"),
    "avg_first_response_s": ("Avg first response (s)", "平均首次响应(秒)"),
    "avg_handle_time_s": ("Avg handle time (s)", "平均处理时长(秒)"),
    "avg_resolution_time_h": ("Avg resolution time (h)", "平均解决时长(小时)"),
    "service_level": ("Service level", "服务水平"),
    "transfer_rate": ("Transfer rate", "转接率"),
    "repeat_rate": ("Repeat-contact rate", "重复来电率"),
    "qa_score_mean": ("Mean QA score", "质检均分"),
    "qc_pass_rate": ("QC pass rate", "质检合格率"),
    "composite_score": ("Composite score", "综合得分"),
    # issue 20 (seeds/003, seeds/001)
    "process_compliance": ("Process compliance", "服务流程合规率"),
    "repeat_complaint_rate": ("Repeat-complaint rate", "投诉重复率"),
}
"""The KPIs a target may be set for, in report order."""

RATE_KPIS = frozenset(
    {"answer_rate", "fcr", "csat_pct", "service_level", "transfer_rate", "repeat_rate"}
    | {"qc_pass_rate", "process_compliance", "repeat_complaint_rate"}
)
"""KPIs that are fractions 0-1: a target typed as 85 (per cent) means 0.85."""

HIGHER = ("higher", "越高越好")
LOWER = ("lower", "越低越好")
DIRECTIONS = (*HIGHER, *LOWER)
"""The Targets table's direction column accepts these (either language)."""


@dataclass(frozen=True)
class Target:
    """A KPI's target and whether a higher value is better."""

    kpi: str
    target: float
    higher_is_better: bool = True


DEFAULT_TARGETS: tuple[Target, ...] = (
    Target("answer_rate", 0.95),
    Target("fcr", 0.85),  # the seed example report: "FCR 78.6 %, short of the 85 % target"
    Target("csat_mean", 4.5),
    Target("csat_pct", 0.90),
    Target("avg_first_response_s", 30, higher_is_better=False),
    Target("service_level", 0.80),  # the 80/20 rule with the 30 s threshold
    Target("transfer_rate", 0.10, higher_is_better=False),
    Target("repeat_rate", 0.10, higher_is_better=False),
    Target("qa_score_mean", 85),
    Target("qc_pass_rate", 0.95),
    Target("composite_score", 80),  # the grade "Good"
    Target("process_compliance", 0.95),  # issue 20
    Target("repeat_complaint_rate", 0.05, higher_is_better=False),  # seeds/001: 15 % -> 5 %
)
"""The defaults a new workbook's Targets table holds (docs/report.md explains each)."""


@dataclass(frozen=True)
class TargetCheck:
    """One KPI against its target: ``gap`` = value - target; ``met`` honours the direction."""

    kpi: str
    target: float
    value: float
    gap: float
    met: bool
    higher_is_better: bool

    @property
    def shortfall(self) -> float:
        """How far the value is on the wrong side of the target, relative to the target
        (0 when met); orders the misses, largest first."""
        if self.met:
            return 0.0
        scale = abs(self.target) or 1.0
        return abs(self.gap) / scale


def targets_from_rows(rows: Sequence[Mapping[str, Any]] | None) -> tuple[Target, ...]:
    """The Targets table's rows (``kpi``, ``target``, ``direction``) as :class:`Target`\\ s.

    ``None`` (no such table in the workbook) gives :data:`DEFAULT_TARGETS`; an empty table
    means no targets.  A rate target above 1 is read as per cent (85 -> 0.85).  A KPI
    listed twice keeps its last row.  The reader has already checked every cell."""
    if rows is None:
        return DEFAULT_TARGETS
    out: dict[str, Target] = {}
    for row in rows:
        kpi = metric_key(row.get("kpi"))  # the key, or a label of either language
        t = row.get("target")
        if kpi is None or not isinstance(t, (int, float)):
            continue
        value = float(t)
        if kpi in RATE_KPIS and value > 1:
            value /= 100
        direction = str(row.get("direction") or "").strip().casefold()
        higher = direction not in {d.casefold() for d in LOWER}
        out[kpi] = Target(kpi, value, higher)
    return tuple(out.values())


def check_targets(targets: Sequence[Target], figures: Mapping[str, Any]) -> dict[str, TargetCheck]:
    """Every KPI that has both a target and a value, in :data:`TARGET_KPIS` order."""
    found: dict[str, TargetCheck] = {}
    for t in targets:
        v = figures.get(t.kpi)
        if v is None or isinstance(v, bool) or not isinstance(v, (int, float)) or v != v:
            continue
        v = float(v)
        met = v >= t.target if t.higher_is_better else v <= t.target
        found[t.kpi] = TargetCheck(t.kpi, t.target, v, v - t.target, met, t.higher_is_better)
    order = list(TARGET_KPIS)
    return dict(sorted(found.items(), key=lambda kv: order.index(kv[0])))


def kpi_label(kpi: str, lang: str, unit: bool = True) -> str:
    """A KPI's name; ``unit=False`` drops a time unit ("(s)", "(秒)") for use in a
    sentence that prints the unit beside the figure."""
    en, zh = TARGET_KPIS.get(kpi, (kpi, kpi))
    text = zh if lang == "zh" else en
    return text if unit else re.sub(r"\s*\((s|h|秒|小时)\)$", "", text)


_ALIASES: dict[str, tuple[str, ...]] = {
    "fcr": ("一次解决率", "首解率", "first contact resolution"),
    "csat_mean": ("csat", "满意度", "满意度均值", "csat mean"),
    "csat_pct": ("csat %", "csat%", "满意率"),
    "avg_first_response_s": ("首次响应", "首响", "响应时长", "first response"),
    "avg_handle_time_s": ("处理时长", "aht", "handle time"),
    "service_level": ("sl",),
    "qa_score_mean": ("质检得分", "qa score", "质检分"),
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().casefold())


def metric_key(text: object) -> str | None:
    """The KPI key of a metric name as typed on the Actions sheet (``FCR``, ``首次响应``,
    ``Service level`` ...), or ``None`` when it is not one of :data:`TARGET_KPIS`."""
    if not isinstance(text, str) or not text.strip():
        return None
    t = _norm(text)
    for key, (en, zh) in TARGET_KPIS.items():
        names = {key, en, zh, kpi_label(key, "en", unit=False), kpi_label(key, "zh", unit=False)}
        names |= set(_ALIASES.get(key, ()))
        if key == "fcr":
            names.add("fcr")
        if t in {_norm(n) for n in names}:
            return key
    return None

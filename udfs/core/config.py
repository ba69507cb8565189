"""The indicator system as validated configuration (SPEC section 4).

Defaults reproduce the seed templates.  Every face (Excel functions, template Config
sheet, report, CLI) reads the same :class:`ScoringConfig`; invalid configuration fails
with a message that names the indicator and the problem.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import CsqError
from .fields import MONITORING_KEYS

Group = Literal["efficiency", "professionalism", "attitude", "result"]
Rule = Literal["rubric", "bands", "yes_no", "percent", "score"]

GROUP_LABELS: dict[str, tuple[str, str]] = {
    "efficiency": ("效率", "Efficiency"),
    "professionalism": ("专业", "Professionalism"),
    "attitude": ("态度", "Attitude"),
    "result": ("结果", "Result"),
}

TEAM_SOURCES: tuple[str, ...] = (
    "csat_mean",
    "csat_pct",
    "nps",
    "answer_rate",
    "fcr",
    "avg_first_response_s",
    "avg_handle_time_s",
    "avg_resolution_time_h",
    "service_level",
    "transfer_rate",
    "repeat_rate",
    "qa_score_mean",
    "qc_pass_rate",
)
"""Valid ``source`` fields of agent/team (composite) indicators: the SPEC section 5 metrics."""


class ConfigError(CsqError, ValueError):
    """Invalid indicator configuration; ``str()`` names the indicator and the problem."""


class Indicator(BaseModel):
    """One indicator: where its value comes from and how the value becomes 0-100 points."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(min_length=1)
    label_zh: str
    label_en: str
    group: Group
    weight: float
    source: str
    rule: Rule
    bands: tuple[float, ...] = ()
    """Ascending upper-inclusive thresholds (rule ``bands``): value <= bands[i] -> points[i]."""
    points: tuple[float, ...] = ()
    """Points per band; one more than ``bands`` (the last applies above the last threshold)."""

    @field_validator("weight")
    @classmethod
    def _weight_not_negative(cls, v: float) -> float:
        if not v >= 0:  # also rejects NaN
            raise ValueError(f"weight must be 0 or more, got {v}")
        return v

    @model_validator(mode="after")
    def _bands_consistent(self) -> Indicator:
        if self.rule == "bands":
            if not self.bands:
                raise ValueError("rule 'bands' needs at least one threshold in 'bands'")
            if any(b2 <= b1 for b1, b2 in zip(self.bands, self.bands[1:], strict=False)):
                raise ValueError(f"bands must be in ascending order, got {list(self.bands)}")
            if len(self.points) != len(self.bands) + 1:
                raise ValueError(
                    f"bands has {len(self.bands)} thresholds so points needs "
                    f"{len(self.bands) + 1} values, got {len(self.points)}"
                )
        return self

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


class GradeThresholds(BaseModel):
    """Lower bounds (inclusive) of the grades on the 0-100 scale."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    excellent: float = 90
    good: float = 80
    pass_: float = Field(60, alias="pass")

    @model_validator(mode="after")
    def _descending(self) -> GradeThresholds:
        if not (100 >= self.excellent > self.good > self.pass_ >= 0):
            raise ValueError(
                "grade thresholds must satisfy 100 >= excellent > good > pass >= 0, got "
                f"{self.excellent}/{self.good}/{self.pass_}"
            )
        return self

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.excellent, self.good, self.pass_)


def _ind(
    key: str,
    zh: str,
    en: str,
    group: Group,
    weight: float,
    source: str,
    rule: Rule,
    bands: tuple[float, ...] = (),
    points: tuple[float, ...] = (),
) -> Indicator:
    return Indicator(
        key=key,
        label_zh=zh,
        label_en=en,
        group=group,
        weight=weight,
        source=source,
        rule=rule,
        bands=bands,
        points=points,
    )


RESPONSE_BANDS: tuple[tuple[float, ...], tuple[float, ...]] = ((30, 60), (100, 80, 60))
"""First response for team indicators: <=30 s -> 100, <=60 s -> 80, >60 s -> 60."""
SPEED_BANDS: tuple[tuple[float, ...], tuple[float, ...]] = ((3, 5, 10, 30), (5, 4, 3, 2, 1))
"""Rubric "speed" from seconds: <=3 -> 5, <=5 -> 4, <=10 -> 3, <=30 -> 2, >30 -> 1."""

BAND_PRESETS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "first_response": RESPONSE_BANDS,
    "speed": SPEED_BANDS,
}

DEFAULT_CONTACT_INDICATORS: tuple[Indicator, ...] = (
    _ind("speed", "响应速度", "Response speed", "efficiency", 15, "speed", "rubric"),
    _ind("attitude", "服务态度", "Service attitude", "attitude", 20, "attitude", "rubric"),
    _ind("solving", "问题解决能力", "Problem-solving ability", "result", 25, "solving", "rubric"),
    _ind(
        "knowledge",
        "专业知识",
        "Professional knowledge",
        "professionalism",
        15,
        "knowledge",
        "rubric",
    ),
    _ind(
        "satisfaction",
        "客户满意度",
        "Customer satisfaction",
        "attitude",
        15,
        "satisfaction",
        "rubric",
    ),
    _ind("records", "信息记录规范性", "Record keeping", "professionalism", 10, "records", "rubric"),
)

# The report template's weights: "客户满意度权重占比30%，首次解决率占比25%"; the other 45 %
# go to the mean QA score (30, as much as CSAT: the two quality views weigh the same) and the
# first response (15, as before).
DEFAULT_TEAM_INDICATORS: tuple[Indicator, ...] = (
    _ind("qa_score", "质检均分", "Mean QA score", "professionalism", 30, "qa_score_mean", "score"),
    _ind("csat", "客户满意度", "CSAT", "attitude", 30, "csat_mean", "rubric"),
    _ind("fcr", "首次解决率", "First-contact resolution", "result", 25, "fcr", "percent"),
    _ind(
        "first_response",
        "首次响应",
        "First response",
        "efficiency",
        15,
        "avg_first_response_s",
        "bands",
        *RESPONSE_BANDS,
    ),
)


TimeUnit = Literal["s", "min", "h"]
SECONDS_PER: dict[str, float] = {"s": 1.0, "min": 60.0, "h": 3600.0}
"""Seconds in one unit of a Config time unit setting."""


class ScoringConfig(BaseModel):
    """The whole indicator system: per-contact QA score and agent/team composite."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    contact_indicators: tuple[Indicator, ...] = DEFAULT_CONTACT_INDICATORS
    team_indicators: tuple[Indicator, ...] = DEFAULT_TEAM_INDICATORS
    grades: GradeThresholds = GradeThresholds()
    critical_auto_fail: bool = True
    """A non-blank critical error makes the contact's score 0 (grade Fail)."""
    service_level_s: float = Field(30, gt=0)
    repeat_window_days: int = Field(30, gt=0)
    pareto_a: float = Field(0.80, gt=0, lt=1)
    pareto_b: float = Field(0.95, gt=0, le=1)
    min_agent_sample: int = Field(5, ge=1)
    first_response_unit: TimeUnit = "s"
    """Unit the Monitoring sheet's first-response column is typed in (s, min or h); the
    figures are always computed in seconds."""
    handle_time_unit: TimeUnit = "s"
    """Unit the Monitoring sheet's handle-time column is typed in (s, min or h)."""
    # process-step limits (seeds/003; udfs.core.process), each in its column's unit
    limit_first_response_s: float = Field(10, gt=0)
    limit_escalation_min: float = Field(30, gt=0)
    limit_answer_min: float = Field(60, gt=0)
    limit_update_gap_min: float = Field(60, gt=0)
    limit_callback_h: float = Field(24, gt=0)
    """Agents with fewer scored contacts are listed but not ranked in the report."""

    @model_validator(mode="after")
    def _check(self) -> ScoringConfig:
        _check_indicators("contact_indicators", self.contact_indicators, MONITORING_KEYS)
        _check_indicators("team_indicators", self.team_indicators, TEAM_SOURCES)
        if self.pareto_b <= self.pareto_a:
            raise ValueError(f"pareto_b ({self.pareto_b}) must be above pareto_a ({self.pareto_a})")
        return self

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json", by_alias=True), ensure_ascii=False, indent=2)


def _check_indicators(where: str, inds: tuple[Indicator, ...], fields: tuple[str, ...]) -> None:
    if not inds:
        raise ValueError(f"{where}: at least one indicator is needed")
    seen: set[str] = set()
    for ind in inds:
        if ind.key in seen:
            raise ValueError(f"{where}: indicator {ind.key!r} is declared twice")
        seen.add(ind.key)
        if ind.source not in fields:
            raise ValueError(
                f"{where}: indicator {ind.key!r} has unknown source field {ind.source!r}; "
                f"allowed: {', '.join(fields)}"
            )
    if sum(i.weight for i in inds) <= 0:
        raise ValueError(f"{where}: all weights are zero; at least one must be above 0")


def load_config(data: dict | None = None) -> ScoringConfig:
    """Build a validated config from plain data (TOML/JSON); ``None`` gives the defaults.

    Raises :class:`ConfigError` whose message lists every problem with its location.
    """
    if data is None:
        return DEFAULT_CONFIG
    try:
        return ScoringConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(exc, data)) from None


def format_validation_error(exc: ValidationError, data: dict | None = None) -> str:
    """One line per problem: location (with indicator key where known), message, input."""
    lines = []
    for err in exc.errors():
        parts = [str(p) for p in err["loc"]]
        if len(parts) >= 2 and parts[0].endswith("_indicators") and parts[1].isdigit():
            try:
                key = (data or {})[parts[0]][int(parts[1])]["key"]
                parts[1] = f"indicator {key!r}"
            except (KeyError, IndexError, TypeError):
                parts[1] = f"indicator #{int(parts[1]) + 1}"
        loc = ".".join(parts)
        msg = err["msg"].removeprefix("Value error, ")
        given = err.get("input")
        tail = f" (given: {given!r})" if given is not None and not isinstance(given, dict) else ""
        lines.append(f"{loc or 'config'}: {msg}{tail}" if loc else f"{msg}{tail}")
    return "invalid CSQ configuration:\n  " + "\n  ".join(lines)


DEFAULT_CONFIG = ScoringConfig()


def with_weights(config: ScoringConfig, which: str, weights: dict[str, float]) -> ScoringConfig:
    """A copy of ``config`` with some indicator weights replaced (validated)."""
    inds = getattr(config, which)
    unknown = set(weights) - {i.key for i in inds}
    if unknown:
        raise ConfigError(f"{which}: unknown indicator(s) {', '.join(sorted(unknown))}")
    data = config.model_dump(by_alias=True)
    data[which] = [{**i.model_dump(), "weight": weights.get(i.key, i.weight)} for i in inds]
    return load_config(data)

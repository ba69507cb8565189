"""How the standard workbook lays out the CSQ fields: sheets, headers, widths, formulas.

The fields themselves (keys, zh/en labels, kinds, ranges, choice lists) are the core's
vocabulary, :mod:`udfs.core.fields`; this module declares, once, how each sheet shows them:
column order, width, number format, the help text of the Guide sheet and the formula of
each computed column in UDF and portable mode.  Everything that writes or reads a
standard workbook (the template builder, the report, ``csq import``, ``csq validate``, the
ribbon) is driven by these declarations; no other module keeps a list of columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from udfs.core.config import SECONDS_PER
from udfs.core.fields import (
    ACTION_FIELDS,
    MONITORING_FIELDS,
    NO_CRITICAL_ERROR_TOKENS,
    PROBLEM_FIELDS,
    RUBRIC_KEYS,
    Field,
    Kind,
    Lang,
    Role,
)


@dataclass(frozen=True)
class Column:
    """One column of a sheet: a core :class:`~udfs.core.fields.Field` and its layout."""

    field: Field
    width: float = 12
    num_format: str | None = None
    help_zh: str = ""
    help_en: str = ""
    udf: str = ""
    """Formula of a computed column in UDF mode (CSQ_ functions, one spilling call per column).

    Placeholders (resolved by ``workbook_templates.formulas``): ``{col:key}`` the whole
    column of this sheet's Table, ``{cols:a:b}`` columns a..b, ``{spill:key}`` the spill
    range of another computed column, ``{lang}`` zh/en, ``{key}`` this row's cell.  Empty:
    the native formula is used in both modes (per row, inside the Table).
    """
    native: str = ""
    """Formula of a computed column in portable mode (native Excel functions, per row).

    Same placeholders plus ``{ext:sheet.key}`` (another Table's column), ``{t:name}`` a
    label in the sheet's language, and ``@name`` for a formula generated in code.
    """

    # The field's vocabulary, read through (one declaration, in the core).
    @property
    def key(self) -> str:
        return self.field.key

    @property
    def zh(self) -> str:
        return self.field.zh

    @property
    def en(self) -> str:
        return self.field.en

    @property
    def kind(self) -> Kind:
        return self.field.kind

    @property
    def role(self) -> Role:
        return self.field.role

    @property
    def required(self) -> bool:
        return self.field.required

    @property
    def choices(self) -> str | None:
        return self.field.choices

    @property
    def min(self) -> float | None:
        return self.field.min

    @property
    def max(self) -> float | None:
        return self.field.max

    @property
    def customer_text(self) -> bool:
        return self.field.customer_text

    def header(self, lang: Lang) -> str:
        return self.field.label(lang)

    def help(self, lang: Lang) -> str:
        return self.help_zh if lang == "zh" else self.help_en


@dataclass(frozen=True)
class Sheet:
    """A sheet of the standard workbook; ``table`` is the Excel Table name for data sheets."""

    key: str
    zh: str
    en: str
    table: str | None = None
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def name(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"{self.key} has no column {key!r}")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def input_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.role == "input")


_DT = "yyyy-mm-dd hh:mm"
_D = "yyyy-mm-dd"
_M, _P, _A = MONITORING_FIELDS, PROBLEM_FIELDS, ACTION_FIELDS


def _rubric(key: str, hzh: str, hen: str) -> Column:
    return Column(_M[key], width=9, help_zh=hzh, help_en=hen)


MONITORING = Sheet(
    "monitoring",
    "监测表",
    "Monitoring",
    table="Monitoring",
    columns=(
        Column(
            _M["contact_id"],
            width=14,
            help_zh="每条抽检记录的唯一编号",
            help_en="Unique id of the sampled contact",
        ),
        Column(
            _M["contact_time"],
            width=18,
            num_format=_DT,
            help_zh="日期和时间，如 2024-06-15 09:30",
            help_en="Date and time, e.g. 2024-06-15 09:30",
        ),
        Column(_M["channel"], width=11),
        Column(_M["service_type"], width=12),
        Column(_M["team"], width=10),
        Column(_M["agent_id"], width=11),
        Column(_M["reviewer"], width=10),
        Column(
            _M["customer_id"],
            width=14,
            help_zh="输出时只保留后 4 位",
            help_en="Masked to the last 4 characters in every output",
        ),
        Column(_M["first_response_s"], width=11, num_format="0"),
        Column(_M["handle_time_s"], width=11, num_format="0"),
        Column(_M["resolution_time_h"], width=12, num_format="0.0"),
        Column(_M["answered"], width=9),
        Column(_M["resolved_first_contact"], width=10),
        Column(_M["transferred"], width=9),
        Column(_M["csat"], width=9),
        Column(_M["nps"], width=9),
        _rubric("speed", "5=3秒内响应 … 1=超过30秒", "5 = within 3 s … 1 = over 30 s"),
        _rubric("attitude", "礼貌、耐心、同理心", "Courtesy, patience, empathy"),
        _rubric("solving", "问题是否被正确解决", "Was the problem solved correctly"),
        _rubric("knowledge", "业务与产品知识准确", "Accurate product and policy knowledge"),
        _rubric("satisfaction", "客户情绪与认可度", "Customer sentiment and acceptance"),
        _rubric("records", "工单记录完整规范", "Complete, tidy contact records"),
        Column(
            _M["critical_error"],
            width=16,
            help_zh="留空或填 " + "、".join(NO_CRITICAL_ERROR_TOKENS) + " = 无；"
            "填写原因则本条得分为 0（自动不合格）",
            help_en="Blank or " + ", ".join(NO_CRITICAL_ERROR_TOKENS) + " = none; "
            "any reason makes the score 0 (auto-fail)",
        ),
        Column(
            _M["problem_category"],
            width=14,
            help_zh="与问题分析表的问题类型一致",
            help_en="Same wording as on the Problems sheet",
        ),
        Column(_M["problem_description"], width=30),
        Column(_M["qc_note"], width=24),
        Column(
            _M["qc_verdict"],
            width=22,
            help_zh="选填：质检员判定的 合格/不合格，可加原因，如 不合格(未同步仓库数据)；填写后报告以此为质检结果",
            help_en="Optional: the reviewer's Pass/Fail, with a reason if wanted, e.g. Fail (stock not synced); where filled the report uses it as the QC result",
        ),
        # process steps (seeds/003) and the customer side, issue 20
        Column(
            _M["escalation_min"],
            width=11,
            num_format="0.##",
            help_zh="复杂问题协调技术/售后/业务部门的用时；未协调则留空（该步骤不适用）",
            help_en="Time to bring in the departments concerned for a complex issue; blank when none was needed (the step does not apply)",
        ),
        Column(
            _M["answer_min"],
            width=11,
            num_format="0.##",
            help_zh="给客户明确答复的用时；当场解决可留空",
            help_en="Time until the customer had a definite answer; blank when solved on the spot",
        ),
        Column(
            _M["update_gap_min"],
            width=11,
            num_format="0.##",
            help_zh="客户等待期间两次进度反馈之间最长的间隔；无需等待则留空",
            help_en="Longest gap between progress updates while the customer waited; blank when nobody waited",
        ),
        Column(
            _M["callback_h"],
            width=10,
            num_format="0.##",
            help_zh="问题解决后到回访的用时；未回访留空",
            help_en="Hours from resolution to the call-back; blank when there was none",
        ),
        Column(
            _M["process_ok"],
            width=9,
            help_zh="选填：质检员判定是否按标准流程服务（Y/N）；填写后以此为准",
            help_en="Optional: the reviewer's Y/N on following the standard process; where typed it is used",
        ),
        Column(_M["customer_level"], width=10),
        Column(
            _M["source"],
            width=10,
            help_zh="抽检/客户投诉/客户表扬/神秘客户/社交媒体/回访",
            help_en="Sample / complaint / praise / mystery shopper / social media / call-back",
        ),
        Column(
            _M["callback_result"],
            width=10,
            help_zh="措施完成后回访客户的结果：解决、未解决、未接通",
            help_en="The customer's answer when called back after an action: resolved, unresolved, unreachable",
        ),
        Column(
            _M["score"],
            width=10,
            num_format="0.00",
            help_zh="各维度加权得分，0-100；不适用(N/A)的维度不计入，权重按比例重新分配；有致命错误得 0 分",
            help_en="Weighted rubric score 0-100; N/A dimensions are skipped and the weights re-spread; a critical error gives 0",
            udf="CSQ_SCORE({cols:speed:records},{col:critical_error},CSQ_Weights)",
            native="@score",
        ),
        Column(
            _M["grade"],
            width=10,
            help_zh="≥90 优秀，80-<90 良好，60-<80 合格，<60 不合格（阈值见配置表）",
            help_en=">=90 Excellent, 80-<90 Good, 60-<80 Pass, <60 Fail (thresholds on Config)",
            udf='CSQ_GRADE({spill:score},CSQ_GradeThresholds,"{lang}")',
            native="@grade",
        ),
        Column(
            _M["qc_result"],
            width=10,
            help_zh="得分 ≥ 合格线且无致命错误为合格",
            help_en="Pass when the score reaches the pass mark and there is no critical error",
            udf='CSQ_QC_RESULT({spill:score},{col:critical_error},CSQ_PassMark,"{lang}")',
            native="@qc_result",
        ),
        Column(
            _M["process_result"],
            width=16,
            help_zh="各流程步骤是否在配置表的时限内（首次响应、协调、答复、进度反馈、回访），不合规时写出第一个超时的步骤；质检员填写的流程合规优先；无步骤数据时留空",
            help_en="Whether each process step was within its Config limit (first response, escalation, answer, updates, call-back), naming the first step missed; the reviewer's Y/N wins; blank without step data",
            udf='CSQ_PROCESS({col:first_response_s},{cols:escalation_min:callback_h},{col:process_ok},CSQ_ProcessLimits,CSQ_FirstResponseUnit,"{lang}")',
            native="@process_result",
        ),
    ),
)

PROBLEMS = Sheet(
    "problems",
    "问题分析",
    "Problems",
    table="Problems",
    columns=(
        Column(_P["problem"], width=18),
        Column(
            _P["frequency"],
            width=9,
            num_format="0",
            help_zh="选填：手工填写的发生频次；监测表没有填写问题类别时，帕累托按此计算",
            help_en="Optional: a typed count; used for the Pareto when no Monitoring row names a problem category",
        ),
        Column(
            _P["share"],
            width=9,
            num_format="0%",
            help_zh="选填：手工填写的占比（如 35%），报告照录；未填时按 计数/总计数",
            help_en="Optional: a typed share (e.g. 35 %), reported as typed; blank: count / total",
        ),
        Column(
            _P["count"],
            width=8,
            num_format="0",
            help_zh="监测表中该问题类别出现的次数（COUNTIF）；监测表没有任何问题类别时取发生频次",
            help_en="How often the Monitoring sheet names this problem category (COUNTIF); the typed frequency when no Monitoring row names one",
            native="@count",
        ),
        Column(
            _P["pareto_share"],
            width=9,
            num_format="0.0%",
            help_zh="计数 / 总计数",
            help_en="Count / total count",
            udf='CSQ_PARETO({col:count},{col:problem},"share",CSQ_ParetoA,CSQ_ParetoB)',
            native="@pareto_share",
        ),
        Column(
            _P["cumulative"],
            width=11,
            num_format="0.0%",
            help_zh="按计数从高到低累计（“其他”总在最后）",
            help_en="Running share, most frequent first ('Other' always last)",
            udf='CSQ_PARETO({col:count},{col:problem},"cumulative",CSQ_ParetoA,CSQ_ParetoB)',
            native="@cumulative",
        ),
        Column(
            _P["pareto_class"],
            width=10,
            help_zh="A 类：累计至 80% 的问题（重点改进）；B 类至 95%；其余 C 类",
            help_en="A: the problems up to 80 % cumulative (fix first); B up to 95 %; C the rest",
            udf='CSQ_PARETO({col:count},{col:problem},"class",CSQ_ParetoA,CSQ_ParetoB)',
            native="@pareto_class",
        ),
        Column(_P["direct_cause"], width=22),
        Column(_P["root_cause"], width=22),
        Column(_P["cause_category"], width=11),
        Column(_P["impact_scope"], width=16),
    ),
)

ACTIONS = Sheet(
    "actions",
    "改进跟踪",
    "Actions",
    table="Actions",
    columns=(
        Column(_A["action_no"], width=7),
        Column(_A["measure"], width=28),
        Column(_A["problem"], width=16),
        Column(_A["owner"], width=10),
        Column(_A["cooperating_dept"], width=12),
        Column(_A["planned_date"], num_format=_D, width=12),
        Column(_A["actual_date"], num_format=_D, width=12),
        Column(_A["status"], width=10),
        Column(
            _A["action_status"],
            width=18,
            help_zh="按计划/实际完成日期与评估日期判定：按时完成、延期完成、逾期、进行中",
            help_en="From planned/actual dates and the as-of date: done on time, done late, overdue, open",
            udf='CSQ_ACTION_STATUS({col:planned_date},{col:actual_date},CSQ_AsOf,{col:status},"{lang}")',
            native="@action_status",
        ),
        Column(
            _A["days_late"],
            width=10,
            num_format="0",
            help_zh="延期完成或逾期的天数；按时或未到期为 0",
            help_en="Days done late or overdue; 0 when on time or not yet due",
            udf="CSQ_DAYS_LATE({col:planned_date},{col:actual_date},CSQ_AsOf,{col:status})",
            native="@days_late",
        ),
        Column(_A["metric"], width=14),
        Column(_A["baseline"], width=9),
        Column(_A["target"], width=9),
        Column(_A["after"], width=9),
        Column(
            _A["met"],
            width=9,
            help_zh="改进后达到目标值为 Y（目标高于基线时越高越好，否则越低越好）",
            help_en="Y when 'after' reached the target (higher is better when the target is above the baseline, lower otherwise)",
            udf="CSQ_MET({col:baseline},{col:target},{col:after})",
            native="@met",
        ),
        # issue 21: the improvement loop (re-measurement scope, weekly tracking, SOP)
        Column(
            _A["start_date"],
            num_format=_D,
            width=12,
            help_zh="选填：措施开始日期；“改进前”取其前 30 天（留空则取计划完成日期前 30 天）",
            help_en="Optional: when the measure started; 'before' is the 30 days before it (blank: before the planned date)",
        ),
        Column(
            _A["original_planned_date"],
            num_format=_D,
            width=12,
            help_zh="延期时填原计划日期，计划完成日期改为新日期；报告显示延期天数",
            help_en="When delayed: the first planned date (the planned date holds the new one); the report shows the slip",
        ),
        Column(
            _A["scope_agent"],
            width=11,
            help_zh="选填：复测只统计该客服的记录",
            help_en="Optional: re-measure only this agent's contacts",
        ),
        Column(_A["scope_channel"], width=10),
        Column(_A["scope_service_type"], width=11),
        Column(_A["progress"], width=8, num_format="0"),
        Column(_A["last_update"], num_format=_D, width=12),
        Column(_A["next_checkpoint"], num_format=_D, width=12),
        Column(
            _A["in_sop"],
            width=8,
            help_zh="复测达标后填 Y，纳入《标准操作手册》",
            help_en="Y once verified as met and written into the standard operating procedure",
        ),
        Column(_A["sop_document"], width=18),
    ),
)

CALIBRATION = Sheet(
    "calibration",
    "校准",
    "Calibration",
    table="Calibration",
    columns=(
        Column(
            _M["contact_id"],
            width=14,
            help_zh="校准会上每位质检员都评同一批记录：每人每条一行",
            help_en="Every reviewer scores the same contacts: one row per reviewer and contact",
        ),
        Column(
            _M["reviewer"],
            width=12,
            help_zh="给出本行评分的质检员",
            help_en="The reviewer who gave this row's ratings",
        ),
        *(c for c in MONITORING.columns if c.key in RUBRIC_KEYS),
        MONITORING.column("critical_error"),
        MONITORING.column("score"),
    ),
)
"""Several reviewers' ratings of the same contacts (a calibration session)."""

CONFIG = Sheet("config", "配置", "Config")
GUIDE = Sheet("guide", "说明", "Guide")
EVALUATION_FORM = Sheet("evaluation_form", "评价表", "Evaluation form")

SHEETS: tuple[Sheet, ...] = (
    GUIDE,
    CONFIG,
    MONITORING,
    PROBLEMS,
    ACTIONS,
    CALIBRATION,
    EVALUATION_FORM,
)
"""All sheets of the standard workbook, in workbook order."""

DATA_SHEETS: tuple[Sheet, ...] = (MONITORING, PROBLEMS, ACTIONS, CALIBRATION)
OPTIONAL_SHEETS: frozenset[str] = frozenset({CALIBRATION.key})
"""Data sheets an older or hand-made workbook may lack without a finding (found by name)."""


# ---- time columns typed in the Config sheet's unit (s / min / h) ----

TIMED_COLUMNS: dict[str, str] = {
    "first_response_s": "first_response_unit",
    "handle_time_s": "handle_time_unit",
}
"""Monitoring columns whose unit is a Config setting: column key -> setting key."""

UNIT_WORDS: dict[str, tuple[str, str]] = {
    "s": ("秒", "s"),
    "min": ("分钟", "min"),
    "h": ("小时", "h"),
}
"""Time unit -> the word in a header: (zh, en)."""


def unit_header(key: str, lang: Lang, unit: str) -> str:
    """The header of timed column ``key`` in ``unit``: 首次响应(分钟) / First response (min).
    The field's own label is the seconds spelling, 首次响应(秒) / First response (s)."""
    f = MONITORING_FIELDS[key]
    zh_word, en_word = UNIT_WORDS[unit]
    if lang == "zh":
        return f.zh.replace("(秒)", f"({zh_word})")
    return f.en.replace("(s)", f"({en_word})")


def with_units(col: Column, units: dict[str, str]) -> Column:
    """``col`` as written when its unit is a Config setting (``units``: column key -> s /
    min / h): the header says the unit, the cell's range is in that unit (a month:
    2,592,000 s = 43,200 min = 720 h) and minutes and hours show decimals."""
    unit = units.get(col.key, "s")
    if col.key not in TIMED_COLUMNS or unit == "s":
        return col
    hi = None if col.field.max is None else col.field.max / SECONDS_PER[unit]
    f = replace(
        col.field,
        zh=unit_header(col.key, "zh", unit),
        en=unit_header(col.key, "en", unit),
        max=int(hi) if hi is not None and hi.is_integer() else hi,
    )
    # "First response (min)" needs two lines of a wider column in the 30-pt header row
    return replace(col, field=f, num_format="0.##", width=max(col.width, 14))


def sheet_by_key(key: str) -> Sheet:
    for s in SHEETS:
        if s.key == key:
            return s
    raise KeyError(key)


def col_letter(col: int) -> str:
    """0-based column index -> Excel column letters (0 -> A, 26 -> AA)."""
    letters = ""
    c = col + 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return letters

"""The one declaration of every CSQ sheet and column.

Everything that writes or reads a standard workbook (the template builder, the report,
``csq import``, ``csq validate``, the ribbon) is driven by these declarations; no other
module keeps a list of columns.  A column has a canonical key, a Chinese and an English
header, a value kind, its validation, a width and number format, and whether QA staff type
it (``input``) or the workbook computes it (``computed``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["text", "datetime", "date", "number", "integer", "yn", "rubric", "choice", "score"]
Role = Literal["input", "computed"]
Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

NA_TOKENS = frozenset({"N/A", "NA", "n/a", "na", "不适用", "-", "—"})
"""Cell texts that mean "not applicable" for a rubric dimension (the indicator is skipped)."""


@dataclass(frozen=True)
class Choice:
    """One allowed value of a dropdown: canonical key plus its zh/en display text."""

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    def label(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


CHOICES: dict[str, tuple[Choice, ...]] = {
    "channel": (
        Choice("phone", "电话", "Phone", ("call", "voice", "热线")),
        Choice("chat", "在线客服", "Chat", ("online", "im", "在线", "live chat")),
        Choice("email", "邮件", "Email", ("e-mail", "mail", "电子邮件")),
        Choice("social", "社交媒体", "Social", ("wechat", "weibo", "微信", "social media")),
        Choice("ticket", "工单", "Ticket", ("web form", "form", "表单")),
    ),
    "service_type": (
        Choice("inquiry", "咨询", "Inquiry", ("consultation", "question")),
        Choice("complaint", "投诉", "Complaint", ()),
        Choice("after_sales", "售后", "After-sales", ("after sales", "return", "退换货")),
        Choice("technical", "技术支持", "Technical", ("tech support", "technical support")),
        Choice("billing", "账务", "Billing", ("payment", "invoice", "账单")),
    ),
    "yn": (
        Choice("Y", "Y", "Y", ("yes", "是", "true", "1", "已解决", "是的")),
        Choice("N", "N", "N", ("no", "否", "false", "0", "未解决")),
    ),
    "cause_category": (
        Choice("people", "人员", "People", ("staff", "人")),
        Choice("process", "流程", "Process", ("procedure", "制度")),
        Choice("tools", "工具", "Tools", ("system", "systems", "系统", "tool")),
        Choice("customer", "客户", "Customer", ("client",)),
    ),
    "status": (
        Choice("not_started", "未开始", "Not started", ("todo", "planned")),
        Choice("in_progress", "进行中", "In progress", ("doing", "ongoing")),
        Choice("done", "已完成", "Done", ("completed", "finished", "closed", "完成")),
        Choice("cancelled", "已取消", "Cancelled", ("canceled", "取消")),
    ),
}

RUBRIC_CHOICES: tuple[str, ...] = ("5", "4", "3", "2", "1", "N/A")


@dataclass(frozen=True)
class Column:
    """One column of a sheet."""

    key: str
    zh: str
    en: str
    kind: Kind = "text"
    role: Role = "input"
    required: bool = False
    choices: str | None = None
    """Name of a list in :data:`CHOICES` (for ``kind='choice'``/``'yn'``)."""
    min: float | None = None
    max: float | None = None
    width: float = 12
    num_format: str | None = None
    help_zh: str = ""
    help_en: str = ""
    customer_text: bool = False
    """Free text that may come from customers: always written as a string, never a formula."""
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

    def header(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

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


RUBRIC_KEYS: tuple[str, ...] = (
    "speed",
    "attitude",
    "solving",
    "knowledge",
    "satisfaction",
    "records",
)

_DT = "yyyy-mm-dd hh:mm"
_D = "yyyy-mm-dd"


def _rubric(key: str, zh: str, en: str, hzh: str, hen: str) -> Column:
    return Column(key, zh, en, kind="rubric", min=1, max=5, width=9, help_zh=hzh, help_en=hen)


MONITORING = Sheet(
    "monitoring",
    "监测表",
    "Monitoring",
    table="Monitoring",
    columns=(
        Column(
            "contact_id",
            "工单编号",
            "Contact ID",
            required=True,
            width=14,
            help_zh="每条抽检记录的唯一编号",
            help_en="Unique id of the sampled contact",
        ),
        Column(
            "contact_time",
            "联系时间",
            "Contact time",
            kind="datetime",
            required=True,
            width=18,
            num_format=_DT,
            min=36526,
            max=73051,
            help_zh="日期和时间，如 2024-06-15 09:30",
            help_en="Date and time, e.g. 2024-06-15 09:30",
        ),
        Column("channel", "渠道", "Channel", kind="choice", choices="channel", width=11),
        Column(
            "service_type",
            "服务类型",
            "Service type",
            kind="choice",
            choices="service_type",
            width=12,
        ),
        Column("team", "班组", "Team", width=10),
        Column("agent_id", "客服工号", "Agent ID", required=True, width=11),
        Column("reviewer", "质检员", "Reviewer", width=10),
        Column(
            "customer_id",
            "客户编号",
            "Customer ID",
            width=14,
            help_zh="输出时只保留后 4 位",
            help_en="Masked to the last 4 characters in every output",
        ),
        Column(
            "first_response_s",
            "首次响应(秒)",
            "First response (s)",
            kind="number",
            min=0,
            max=86400 * 30,
            width=11,
            num_format="0",
        ),
        Column(
            "handle_time_s",
            "处理时长(秒)",
            "Handle time (s)",
            kind="number",
            min=0,
            max=86400 * 30,
            width=11,
            num_format="0",
        ),
        Column(
            "resolution_time_h",
            "解决时长(小时)",
            "Resolution time (h)",
            kind="number",
            min=0,
            max=24 * 366,
            width=12,
            num_format="0.0",
        ),
        Column("answered", "是否接通", "Answered", kind="yn", choices="yn", width=9),
        Column(
            "resolved_first_contact",
            "首次解决",
            "Resolved first contact",
            kind="yn",
            choices="yn",
            width=10,
        ),
        Column("transferred", "是否转接", "Transferred", kind="yn", choices="yn", width=9),
        Column("csat", "满意度(1-5)", "CSAT (1-5)", kind="integer", min=1, max=5, width=9),
        Column("nps", "推荐度(0-10)", "NPS (0-10)", kind="integer", min=0, max=10, width=9),
        _rubric(
            "speed",
            "响应速度",
            "Speed",
            "5=3秒内响应 … 1=超过30秒",
            "5 = within 3 s … 1 = over 30 s",
        ),
        _rubric(
            "attitude", "服务态度", "Attitude", "礼貌、耐心、同理心", "Courtesy, patience, empathy"
        ),
        _rubric(
            "solving",
            "问题解决",
            "Solving",
            "问题是否被正确解决",
            "Was the problem solved correctly",
        ),
        _rubric(
            "knowledge",
            "专业知识",
            "Knowledge",
            "业务与产品知识准确",
            "Accurate product and policy knowledge",
        ),
        _rubric(
            "satisfaction",
            "客户满意",
            "Satisfaction",
            "客户情绪与认可度",
            "Customer sentiment and acceptance",
        ),
        _rubric(
            "records", "记录规范", "Records", "工单记录完整规范", "Complete, tidy contact records"
        ),
        Column(
            "critical_error",
            "致命错误",
            "Critical error",
            width=16,
            customer_text=True,
            help_zh="留空=无；填写原因则本条得分为 0（自动不合格）",
            help_en="Blank = none; any reason makes the score 0 (auto-fail)",
        ),
        Column(
            "problem_category",
            "问题类别",
            "Problem category",
            width=14,
            help_zh="与问题分析表的问题类型一致",
            help_en="Same wording as on the Problems sheet",
        ),
        Column(
            "problem_description", "问题描述", "Problem description", width=30, customer_text=True
        ),
        Column("qc_note", "质检备注", "QC note", width=24, customer_text=True),
        Column(
            "score",
            "质检得分",
            "QA score",
            kind="score",
            role="computed",
            width=10,
            num_format="0.00",
            help_zh="各维度加权得分，0-100；不适用(N/A)的维度不计入，权重按比例重新分配；有致命错误得 0 分",
            help_en="Weighted rubric score 0-100; N/A dimensions are skipped and the weights "
            "re-spread; a critical error gives 0",
            udf="CSQ_SCORE({cols:speed:records},{col:critical_error},CSQ_Weights)",
            native="@score",
        ),
        Column(
            "grade",
            "等级",
            "Grade",
            role="computed",
            width=10,
            help_zh="≥90 优秀，80-<90 良好，60-<80 合格，<60 不合格（阈值见配置表）",
            help_en=">=90 Excellent, 80-<90 Good, 60-<80 Pass, <60 Fail (thresholds on Config)",
            udf='CSQ_GRADE({spill:score},CSQ_GradeThresholds,"{lang}")',
            native="@grade",
        ),
        Column(
            "qc_result",
            "质检结果",
            "QC result",
            role="computed",
            width=10,
            help_zh="得分 ≥ 合格线且无致命错误为合格",
            help_en="Pass when the score reaches the pass mark and there is no critical error",
            udf='CSQ_QC_RESULT({spill:score},{col:critical_error},CSQ_PassMark,"{lang}")',
            native="@qc_result",
        ),
    ),
)

PROBLEMS = Sheet(
    "problems",
    "问题分析",
    "Problems",
    table="Problems",
    columns=(
        Column("problem", "问题类型", "Problem", required=True, width=18),
        Column(
            "frequency",
            "频次",
            "Frequency",
            kind="integer",
            role="computed",
            width=9,
            num_format="0",
            help_zh="监测表中该问题类别出现的次数（COUNTIF）",
            help_en="How often the Monitoring sheet names this problem category (COUNTIF)",
            native="IF(LEN(TRIM({problem}))=0,0,COUNTIF({ext:monitoring.problem_category},{problem}))",
        ),
        Column(
            "share",
            "占比",
            "Share",
            kind="number",
            role="computed",
            width=9,
            num_format="0.0%",
            help_zh="频次 / 总频次",
            help_en="Frequency / total frequency",
            udf='CSQ_PARETO({col:frequency},{col:problem},"share",CSQ_ParetoA,CSQ_ParetoB)',
            native="@share",
        ),
        Column(
            "cumulative",
            "累计占比",
            "Cumulative share",
            kind="number",
            role="computed",
            width=11,
            num_format="0.0%",
            help_zh="按频次从高到低累计（“其他”总在最后）",
            help_en="Running share, most frequent first ('Other' always last)",
            udf='CSQ_PARETO({col:frequency},{col:problem},"cumulative",CSQ_ParetoA,CSQ_ParetoB)',
            native="@cumulative",
        ),
        Column(
            "pareto_class",
            "帕累托分类",
            "Pareto class",
            role="computed",
            width=10,
            help_zh="A 类：累计至 80% 的问题（重点改进）；B 类至 95%；其余 C 类",
            help_en="A: the problems up to 80 % cumulative (fix first); B up to 95 %; C the rest",
            udf='CSQ_PARETO({col:frequency},{col:problem},"class",CSQ_ParetoA,CSQ_ParetoB)',
            native="@pareto_class",
        ),
        Column("direct_cause", "直接原因", "Direct cause", width=22),
        Column("root_cause", "根本原因", "Root cause", width=22),
        Column(
            "cause_category",
            "原因类别",
            "Cause category",
            kind="choice",
            choices="cause_category",
            width=11,
        ),
        Column("impact_scope", "影响范围", "Impact scope", width=16),
    ),
)

ACTIONS = Sheet(
    "actions",
    "改进跟踪",
    "Actions",
    table="Actions",
    columns=(
        Column("action_no", "编号", "No.", required=True, width=7),
        Column("measure", "改进措施", "Measure", required=True, width=28),
        Column("problem", "关联问题", "Linked problem", width=16),
        Column("owner", "责任人", "Owner", width=10),
        Column("cooperating_dept", "配合部门", "Cooperating dept", width=12),
        Column(
            "planned_date",
            "计划完成日期",
            "Planned date",
            kind="date",
            required=True,
            num_format=_D,
            min=36526,
            max=73051,
            width=12,
        ),
        Column(
            "actual_date",
            "实际完成日期",
            "Actual date",
            kind="date",
            num_format=_D,
            min=36526,
            max=73051,
            width=12,
        ),
        Column("status", "状态", "Status", kind="choice", choices="status", width=10),
        Column(
            "action_status",
            "执行判定",
            "Action status",
            role="computed",
            width=18,
            help_zh="按计划/实际完成日期与评估日期判定：按时完成、延期完成、逾期、进行中",
            help_en="From planned/actual dates and the as-of date: done on time, done late, "
            "overdue, open",
            udf="CSQ_ACTION_STATUS({col:planned_date},{col:actual_date},CSQ_AsOf,"
            '{col:status},"{lang}")',
            native="@action_status",
        ),
        Column(
            "days_late",
            "延期天数",
            "Days late/overdue",
            kind="integer",
            role="computed",
            width=10,
            num_format="0",
            help_zh="延期完成或逾期的天数；按时或未到期为 0",
            help_en="Days done late or overdue; 0 when on time or not yet due",
            udf="CSQ_DAYS_LATE({col:planned_date},{col:actual_date},CSQ_AsOf,{col:status})",
            native="@days_late",
        ),
        Column("metric", "效果指标", "Metric", width=14),
        Column("baseline", "基线值", "Baseline", kind="number", width=9),
        Column("target", "目标值", "Target", kind="number", width=9),
        Column("after", "改进后", "After", kind="number", width=9),
        Column(
            "met",
            "是否达标",
            "Met?",
            role="computed",
            width=9,
            help_zh="改进后达到目标值为 Y（目标高于基线时越高越好，否则越低越好）",
            help_en="Y when 'after' reached the target (higher is better when the target is "
            "above the baseline, lower otherwise)",
            udf="CSQ_MET({col:baseline},{col:target},{col:after})",
            native="@met",
        ),
    ),
)

CONFIG = Sheet("config", "配置", "Config")
GUIDE = Sheet("guide", "说明", "Guide")
EVALUATION_FORM = Sheet("evaluation_form", "评价表", "Evaluation form")

SHEETS: tuple[Sheet, ...] = (GUIDE, CONFIG, MONITORING, PROBLEMS, ACTIONS, EVALUATION_FORM)
"""All sheets of the standard workbook, in workbook order."""

DATA_SHEETS: tuple[Sheet, ...] = (MONITORING, PROBLEMS, ACTIONS)

MONITORING_FIELDS: tuple[str, ...] = MONITORING.keys
"""Canonical monitoring keys (valid ``source`` fields of per-contact indicators)."""


def sheet_by_key(key: str) -> Sheet:
    for s in SHEETS:
        if s.key == key:
            return s
    raise KeyError(key)


def choice_lookup(name: str) -> dict[str, str]:
    """Map every accepted spelling (key, zh, en, aliases; case-folded) to the canonical key."""
    out: dict[str, str] = {}
    for c in CHOICES[name]:
        for text in (c.key, c.zh, c.en, *c.aliases):
            out[text.strip().casefold()] = c.key
    return out


def choice_label(name: str, key: str, lang: Lang) -> str:
    for c in CHOICES[name]:
        if c.key == key:
            return c.label(lang)
    return key

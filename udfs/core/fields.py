"""The CSQ vocabulary: every field of the three data tables, its type, range and labels.

This is the one list of what a monitoring row, a problem and an action *are* (SPEC section
3): canonical keys, zh/en labels, value kinds, allowed ranges, the dropdown choice lists
and the "not applicable" tokens.  How a sheet lays these fields out (header widths, number
formats, validation messages, formulas) is declared in ``workbook_templates.schema``, which
imports this module; nothing here knows about sheets or files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "datetime", "date", "number", "integer", "yn", "rubric", "choice", "score"]
Role = Literal["input", "computed"]
Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

NA_TOKENS = frozenset({"N/A", "NA", "n/a", "na", "不适用", "-", "—"})
"""Cell texts that mean "not applicable" for a rubric dimension (the indicator is skipped)."""

NO_CRITICAL_ERROR_TOKENS: tuple[str, ...] = ("无", "否", "没有", "N", "No", "none", "-", "/")
"""Critical-error cell texts that mean "no critical error" (how Chinese exports write
"none"), compared without surrounding spaces and case; blank means the same.  Every face
uses this one list: the core's scoring and metrics, the CSQ_ functions, the portable
template's native formulas, the reader and ``csq import``.  Any other text is a critical
error, and the text is its reason."""

EXCEL_MIN_DATE = 36526  # 2000-01-01 as an Excel serial
EXCEL_MAX_DATE = 73051  # 2100-01-01
"""Contact times and action dates are accepted in this window (documented in docs/validate.md)."""


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
        Choice("repair", "维修", "Repair", ("maintenance", "报修", "维修服务")),
        Choice("suggestion", "建议", "Suggestion", ("feedback", "proposal", "意见")),
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
    "callback_result": (
        Choice("resolved", "解决", "Resolved", ("已解决", "resolved", "solved")),
        Choice("unresolved", "未解决", "Unresolved", ("not resolved",)),
        Choice("unreachable", "未接通", "Unreachable", ("no answer", "未联系上", "无人接听")),
    ),
    "status": (
        Choice("not_started", "未开始", "Not started", ("todo", "planned")),
        Choice("in_progress", "进行中", "In progress", ("doing", "ongoing")),
        Choice("done", "已完成", "Done", ("completed", "finished", "closed", "完成")),
        Choice("cancelled", "已取消", "Cancelled", ("canceled", "取消")),
        # seeds/001's 表3: 进行中/已完成/延期, and "延期3天" (see status_choice)
        Choice("delayed", "延期", "Delayed", ("postponed", "延迟", "已延期")),
    ),
}

CHOICES["customer_level"] = (  # seeds/000: 关联客户画像数据（客户等级）; editable on Config
    Choice("vip", "VIP", "VIP", ("vip客户", "大客户", "key account")),
    Choice("regular", "普通", "Regular", ("普通客户", "normal", "standard")),
    Choice("new", "新客", "New", ("新客户", "new customer", "首次")),
)
CHOICES["source"] = (  # where a contact came from (seeds/000 数据来源, seeds/001 神秘客户)
    Choice("sample", "抽检", "Sample", ("抽样", "sampled", "qa sample")),
    Choice("complaint", "客户投诉", "Complaint", ("投诉", "complaints")),
    Choice("praise", "客户表扬", "Praise", ("表扬", "compliment")),
    Choice("mystery_shopper", "神秘客户", "Mystery shopper", ("暗访", "mystery")),
    Choice("social", "社交媒体", "Social media", ("社媒", "公开评价", "social")),
    Choice("callback", "回访", "Call-back", ("回访调查", "call back", "follow-up")),
)

RUBRIC_CHOICES: tuple[str, ...] = ("5", "4", "3", "2", "1", "N/A")

RUBRIC_KEYS: tuple[str, ...] = (
    "speed",
    "attitude",
    "solving",
    "knowledge",
    "satisfaction",
    "records",
)


@dataclass(frozen=True)
class Field:
    """One field of a data table: key, zh/en label, value kind and allowed range."""

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
    customer_text: bool = False
    """Free text that may come from customers: always written as a string, never a formula."""
    aliases: tuple[str, ...] = ()
    """Other header texts the readers accept for this field (older labels, a seed
    template's own column names); the template always writes :attr:`zh` / :attr:`en`."""
    announce_missing: bool = True
    """A sheet without this optional column gets it named in the "optional columns not
    found" warning; False for an optional block a team adopts when it wants it (process
    steps, customer side): its absence is no data problem."""

    def label(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


def _fields(*fields: Field) -> dict[str, Field]:
    return {f.key: f for f in fields}


def _rubric(key: str, zh: str, en: str, *aliases: str) -> Field:
    return Field(key, zh, en, kind="rubric", min=1, max=5, aliases=aliases)


_MONTH_S = 86400 * 30
_D0, _D1 = EXCEL_MIN_DATE, EXCEL_MAX_DATE

MONITORING_FIELDS: dict[str, Field] = _fields(
    # contact id and agent id may be absent for a team-level table (seeds/001's 表1)
    Field("contact_id", "工单编号", "Contact ID", aliases=("客户服务编号",)),
    Field(
        "contact_time",
        "联系时间",
        "Contact time",
        "datetime",
        required=True,
        min=_D0,
        max=_D1,
        aliases=("监测周期",),
    ),
    Field("channel", "渠道", "Channel", "choice", choices="channel"),
    Field(
        "service_type",
        "服务类型",
        "Service type",
        "choice",
        choices="service_type",
        aliases=("服务类型(咨询/投诉/维修)",),
    ),
    Field("team", "班组", "Team"),
    Field("agent_id", "客服工号", "Agent ID"),
    Field("reviewer", "质检员", "Reviewer"),
    Field("customer_id", "客户编号", "Customer ID", aliases=("客户ID(脱敏)", "客户ID")),
    Field("first_response_s", "首次响应(秒)", "First response (s)", "number", min=0, max=_MONTH_S),
    Field("handle_time_s", "处理时长(秒)", "Handle time (s)", "number", min=0, max=_MONTH_S),
    Field(
        "resolution_time_h", "解决时长(小时)", "Resolution time (h)", "number", min=0, max=24 * 366
    ),
    Field("answered", "是否接通", "Answered", "yn", choices="yn"),
    Field("resolved_first_contact", "首次解决", "Resolved first contact", "yn", choices="yn"),
    Field("transferred", "是否转接", "Transferred", "yn", choices="yn"),
    Field(
        "csat", "满意度(1-5)", "CSAT (1-5)", "integer", min=1, max=5, aliases=("CSAT评分(1-5分)",)
    ),
    Field("nps", "推荐度(0-10)", "NPS (0-10)", "integer", min=0, max=10),
    # the six dimensions named as in seeds/003's evaluation table (issue 20); the earlier
    # short labels stay accepted as header aliases, so existing workbooks keep working
    _rubric("speed", "响应速度", "Response speed", "Speed"),
    _rubric("attitude", "服务态度", "Service attitude", "Attitude"),
    _rubric("solving", "问题解决能力", "Problem-solving ability", "问题解决", "Solving"),
    _rubric("knowledge", "专业知识", "Professional knowledge", "Knowledge"),
    _rubric("satisfaction", "客户满意度", "Customer satisfaction", "客户满意", "Satisfaction"),
    _rubric("records", "信息记录规范性", "Record keeping", "记录规范", "Records"),
    Field("critical_error", "致命错误", "Critical error", customer_text=True),
    Field("problem_category", "问题类别", "Problem category"),
    Field("problem_description", "问题描述", "Problem description", customer_text=True),
    Field("qc_note", "质检备注", "QC note", customer_text=True),
    Field("qc_verdict", "质检员判定", "Reviewer's verdict", customer_text=True),
    # qc_verdict: a reviewer's typed 合格/不合格 (Pass/Fail) with an optional reason, e.g.
    # "不合格(未同步仓库数据)"; where filled it is the QC result used (scoring.parse_verdict)
    # ---- issue 19: scope: teams, segments, filter, compare
    # ---- issue 20: seed templates: process compliance, customer level, source
    # process steps (seeds/003): blank = the step did not apply to this contact
    Field(
        "escalation_min",
        "协调用时(分钟)",
        "Escalation (min)",
        "number",
        min=0,
        max=_MONTH_S / 60,
        announce_missing=False,
    ),
    Field(
        "answer_min",
        "明确答复用时(分钟)",
        "Time to answer (min)",
        "number",
        min=0,
        max=_MONTH_S / 60,
        announce_missing=False,
    ),
    Field(
        "update_gap_min",
        "最长反馈间隔(分钟)",
        "Longest update gap (min)",
        "number",
        min=0,
        max=_MONTH_S / 60,
        announce_missing=False,
    ),
    Field(
        "callback_h",
        "回访用时(小时)",
        "Call-back (h)",
        "number",
        min=0,
        max=24 * 366,
        announce_missing=False,
    ),
    Field(
        "process_ok", "流程合规", "Process compliant", "yn", choices="yn", announce_missing=False
    ),
    # customer side (seeds/000, seeds/001)
    Field(
        "customer_level",
        "客户等级",
        "Customer level",
        "choice",
        choices="customer_level",
        announce_missing=False,
    ),
    Field("source", "来源", "Source", "choice", choices="source", announce_missing=False),
    # ---- issue 21: the improvement loop
    Field(
        "callback_result",
        "回访结果",
        "Call-back result",
        "choice",
        choices="callback_result",
        announce_missing=False,
    ),
    # callback_result: the customer's answer when called back after an action (客户二次验证)
    # ---- issue 23: real exports: distributions, agent KPIs, backlog
    Field("score", "质检得分", "QA score", "score", role="computed"),
    Field("grade", "等级", "Grade", role="computed"),
    Field("qc_result", "质检结果", "QC result", role="computed"),
    Field("process_result", "流程合规结果", "Process result", role="computed"),
)
"""One row per sampled contact, in template order."""

PROBLEM_FIELDS: dict[str, Field] = _fields(
    Field("problem", "问题类型", "Problem", required=True, aliases=("问题现象",)),
    # typed as in seeds/001's 表2 (issue 20): used when the Monitoring rows carry no problem
    # category; a typed share is kept as typed (it may be a share of more than these rows)
    Field("frequency", "发生频次", "Frequency", "integer", min=0, max=10**9, aliases=("频次",)),
    Field("share", "占比", "Share", "number", min=0, max=1),
    Field("count", "计数", "Count", "integer", role="computed"),
    Field("pareto_share", "计算占比", "Computed share", "number", role="computed"),
    Field("cumulative", "累计占比", "Cumulative share", "number", role="computed"),
    Field("pareto_class", "帕累托分类", "Pareto class", role="computed"),
    Field("direct_cause", "直接原因", "Direct cause"),
    Field("root_cause", "根本原因", "Root cause"),
    Field("cause_category", "原因类别", "Cause category", "choice", choices="cause_category"),
    Field("impact_scope", "影响范围", "Impact scope"),
)
"""One row per problem type of the Pareto analysis."""

ACTION_FIELDS: dict[str, Field] = _fields(
    Field("action_no", "编号", "No.", required=True),
    Field("measure", "改进措施", "Measure", required=True),
    Field("problem", "关联问题", "Linked problem"),
    Field("owner", "责任人", "Owner"),
    Field("cooperating_dept", "配合部门", "Cooperating dept"),
    Field("planned_date", "计划完成日期", "Planned date", "date", required=True, min=_D0, max=_D1),
    Field("actual_date", "实际完成日期", "Actual date", "date", min=_D0, max=_D1),
    Field("status", "状态", "Status", "choice", choices="status"),
    Field("action_status", "执行判定", "Action status", role="computed"),
    Field("days_late", "延期天数", "Days late/overdue", "integer", role="computed"),
    Field("metric", "效果指标", "Metric"),
    Field("baseline", "基线值", "Baseline", "number"),
    Field("target", "目标值", "Target", "number"),
    Field("after", "改进后", "After", "number"),
    Field("met", "是否达标", "Met?", role="computed"),
    # ---- issue 20: seed templates
    # ---- issue 21: the improvement loop
    Field("start_date", "开始日期", "Start date", "date", min=_D0, max=_D1),
    Field("original_planned_date", "原计划日期", "Original planned date", "date", min=_D0, max=_D1),
    Field("scope_agent", "范围-客服工号", "Scope: agent"),
    Field("scope_channel", "范围-渠道", "Scope: channel"),
    Field("scope_service_type", "范围-服务类型", "Scope: service type"),
    Field("progress", "进度%", "Progress %", "number", min=0, max=100),
    Field("last_update", "最近更新", "Last update", "date", min=_D0, max=_D1),
    Field("next_checkpoint", "下次检查", "Next checkpoint", "date", min=_D0, max=_D1),
    Field("in_sop", "纳入SOP", "In SOP", "yn", choices="yn"),
    Field("sop_document", "SOP文件", "SOP document"),
)
"""One row per improvement action."""

MONITORING_KEYS: tuple[str, ...] = tuple(MONITORING_FIELDS)
"""Canonical monitoring keys (valid ``source`` fields of per-contact indicators)."""


IMPORT_REQUIRED: frozenset[str] = frozenset({"contact_id", "agent_id"})
"""Fields a ticket export must give (``csq import``: one row per ticket of one agent); a
workbook's Monitoring sheet may leave them out (a team-level table, seeds/001's 表1)."""

OPEN_CHOICES: frozenset[str] = frozenset({"channel", "service_type", "customer_level", "source"})
"""Choice fields whose list is the Config sheet's, editable: a value typed that is on no
list is accepted and counted as typed (one warning per distinct value; SPEC section 3)."""

_DELAYED = re.compile(
    r"^(?:延期|延迟|推迟|delayed|postponed)\s*(?:by\s*)?\d+(?:\.\d+)?\s*(?:天|日|个工作日|days?|d)?$",
    re.IGNORECASE,
)


def status_choice(text: str) -> str | None:
    """The status key of an action status written with its delay, as seeds/001's 表3 does
    ("延期3天", "delayed 3 days"): ``delayed``; any other text: None (look it up)."""
    return "delayed" if _DELAYED.match(text.strip()) else None


def choice_lookup(name: str) -> dict[str, str]:
    """Map every accepted spelling (key, zh, en, aliases; case-folded) to the canonical key."""
    out: dict[str, str] = {}
    for c in CHOICES[name]:
        for text in (c.key, c.zh, c.en, *c.aliases):
            out[text.strip().casefold()] = c.key
    return out


def choice_label(name: str, key: str, lang: Lang | str) -> str:
    """The display text of a choice key in ``lang``; an unknown key is returned as given."""
    for c in CHOICES[name]:
        if c.key == key:
            return c.zh if lang == "zh" else c.en
    return key


def choice_order(*names: str) -> dict[str, int]:
    """Position of each choice key in its list (reports show choices in template order)."""
    return {c.key: i for name in names for i, c in enumerate(CHOICES[name])}

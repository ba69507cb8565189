"""The recommendation library: what to do about a finding, by cause category, weak rubric
dimension or kind of finding, editable on the Config sheet.

Each finding of :mod:`udfs.core.conclusions` names a library key (``knowledge``, ``process``,
``overdue`` ...).  :func:`library_from_rows` reads the Config sheet's Recommendations table
(plain rows ``key``, ``recommendation``) over the bilingual defaults of
:data:`DEFAULT_RECOMMENDATIONS`: a key the table gives uses the workbook's wording, the
others keep the default in the report's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

DEFAULT_RECOMMENDATIONS: dict[str, tuple[str, str]] = {
    # key -> (English, 简体中文); cause categories first, then rubric dimensions, then kinds
    "people": (
        "Coach the agents concerned (side-by-side listening, weekly case review) until the "
        "problem stops recurring.",
        "针对相关客服开展辅导（陪听带教、每周案例复盘），直至问题不再重复出现。",
    ),
    "process": (
        "Review and simplify the process at fault, publish the revised steps and check them "
        "in the next QA cycle.",
        "梳理并简化相关流程，发布修订后的操作步骤，并在下一轮质检中检查执行情况。",
    ),
    "tools": (
        "Fix the system or knowledge-base gap with IT: name an owner and a date and track it "
        "on the Actions sheet.",
        "与 IT 协作修复系统或知识库缺陷：明确责任人和完成日期，并在改进跟踪表中跟进。",
    ),
    "customer": (
        "Improve the information customers see (FAQ, notices, self-service) so that fewer "
        "need to contact us.",
        "完善面向客户的信息（常见问题、公告、自助服务），减少客户来电需求。",
    ),
    "root_cause": (
        "Find the root cause (five whys) and record it with its cause category on the "
        "Problems sheet, then plan an action.",
        "用“五问法”找出根本原因，在问题分析表中记录根本原因与原因类别，再制定改进行动。",
    ),
    "speed": (
        "Check staffing against the contacts by hour and set alerts on response time.",
        "按时段核对排班与来电量，设置响应时长预警。",
    ),
    "attitude": (
        "Service-attitude training with recorded good examples; coach empathy phrases.",
        "开展服务态度培训，结合优秀录音示范，辅导共情话术。",
    ),
    "solving": (
        "Problem-solving workshops on the most frequent problem types and an escalation "
        "guide for complex cases.",
        "针对高频问题开展问题解决工作坊，制定复杂问题升级指引。",
    ),
    "knowledge": (
        "Product training with an exam (pass mark 95 %), and update the knowledge base.",
        "开展产品知识培训并组织考试（合格线 95 分），同步更新知识库。",
    ),
    "satisfaction": (
        "Call back dissatisfied customers within 24 hours and review the causes weekly.",
        "24 小时内回访不满意客户，并每周复盘不满意原因。",
    ),
    "records": (
        "A records standard (required fields, ticket template) and a weekly spot check.",
        "制定记录规范（必填项、工单模板），每周抽查记录质量。",
    ),
    "staffing": (
        "Match staffing to the contacts by hour (peak-hour shifts, callback queue) and "
        "watch the service level daily.",
        "按时段匹配排班与来电量（高峰时段加班次、回呼队列），每日监控服务水平。",
    ),
    "fcr": (
        "Analyse the contacts not resolved at first contact by problem type and give "
        "first-line agents the authority and knowledge to close them.",
        "按问题类型分析未一次解决的联系，赋予一线客服当场解决所需的权限与知识。",
    ),
    "quality": (
        "Calibrate the reviewers, then coach on the rubric items with the lowest scores.",
        "先开展质检员校准，再针对得分最低的评分项进行辅导。",
    ),
    "below_pass": (
        "A one-to-one coaching plan for each agent below the pass mark, re-evaluated next period.",
        "为低于合格线的客服制定一对一辅导计划，下期复评。",
    ),
    "overdue": (
        "Escalate the overdue actions to their owners' managers and agree new dates.",
        "将逾期改进行动上报责任人主管，重新确定完成日期。",
    ),
    "sample": (
        "Raise the QA sample to at least 10 % of the contacts handled.",
        "将抽检量提高到不低于总服务量的 10%。",
    ),
    "data_quality": (
        "Correct the cells listed on the Data quality sheet (csq validate) before the next report.",
        "在下次报告前更正数据质量表所列单元格（可运行 csq validate）。",
    ),
}
"""Library keys and their default recommendations (the Config table's default rows)."""

RECOMMENDATION_LABELS: dict[str, tuple[str, str]] = {
    # key -> (English, 简体中文): what the Config table's "Applies to" column shows
    "people": ("People", "人员"),
    "process": ("Process", "流程"),
    "tools": ("Tools", "工具"),
    "customer": ("Customer", "客户"),
    "root_cause": ("Root cause", "根本原因"),
    "speed": ("Speed", "响应速度"),
    "attitude": ("Attitude", "服务态度"),
    "solving": ("Solving", "问题解决"),
    "knowledge": ("Knowledge", "专业知识"),
    "satisfaction": ("Satisfaction", "客户满意"),
    "records": ("Records", "记录规范"),
    "staffing": ("Staffing", "排班"),
    "fcr": ("FCR", "首次解决"),
    "quality": ("QA score", "质检得分"),
    "below_pass": ("Below pass", "低于合格线"),
    "overdue": ("Overdue", "逾期行动"),
    "sample": ("Sample", "抽检量"),
    "data_quality": ("Data quality", "数据质量"),
}
"""The library keys as the Config sheet shows them (cause categories, rubric dimensions,
kinds of finding); the reader takes these labels in either language, or the key."""


def recommendation_key(text: object) -> str | None:
    """The library key of an "Applies to" cell: the key itself or its label in either
    language (ignoring case); None when it names nothing in the library."""
    t = str(text or "").strip().casefold()
    for key, (en, zh) in RECOMMENDATION_LABELS.items():
        if t in (key, en.casefold(), zh):
            return key
    return t if t in DEFAULT_RECOMMENDATIONS else None


KPI_RECOMMENDATION: dict[str, str] = {
    "answer_rate": "staffing",
    "service_level": "staffing",
    "avg_first_response_s": "staffing",
    "avg_handle_time_s": "solving",
    "avg_resolution_time_h": "process",
    "fcr": "fcr",
    "transfer_rate": "fcr",
    "repeat_rate": "fcr",
    "csat_mean": "satisfaction",
    "csat_pct": "satisfaction",
    "nps": "satisfaction",
    "qa_score_mean": "quality",
    "qc_pass_rate": "quality",
    "composite_score": "quality",
}
"""The library key of a KPI that misses its target."""


def library_from_rows(rows: Sequence[Mapping[str, Any]] | None, lang: str) -> dict[str, str]:
    """Key -> recommendation text: the workbook's rows over the defaults in ``lang``.

    A row still holding a default text (in either language: the table is written in the
    sheet's language) is not an edit, so an English report of a Chinese workbook keeps
    the English default; an edited text is used as written."""
    out = {k: (zh if lang == "zh" else en) for k, (en, zh) in DEFAULT_RECOMMENDATIONS.items()}
    for row in rows or ():
        key = recommendation_key(row.get("key"))
        text = str(row.get("recommendation") or "").strip()
        if key is not None and key in out and text and text not in DEFAULT_RECOMMENDATIONS[key]:
            out[key] = text
    return out

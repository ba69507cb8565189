"""The ribbon's texts: every message box in English and Chinese (:func:`both`), the
buttons' names, the findings sheet's title and header."""

from __future__ import annotations

from typing import Any

TITLE = "CSQ"


NO_WORKBOOK = (
    "Open a workbook first (or create one: File > New > Blank workbook), then press the button again.",
    "请先打开或新建一个工作簿（文件 > 新建 > 空白工作簿），再点击此按钮。",
)
"""What a CSQ button says with no workbook open: shown by the VBA (``CSQRibbon.OnButton``),
since xlwings' ``RunPython`` needs an active workbook before Python starts."""


MESSAGES: dict[str, tuple[str, str]] = {
    # key: (English, 简体中文); the message box shows both
    "report_done": (
        "Report written: {report}\nPeriod {period}, {contacts} contacts, grade {grade}.",
        "报告已生成：{report}\n报告期 {period}，{contacts} 条服务记录，等级 {grade}。",
    ),
    "drafts_done": (
        "{n} draft action(s) added to the Actions table (rows {first}-{last}, period "
        "{period}): fill in the highlighted owner, cooperating dept and planned date.",
        "已向改进跟踪表添加 {n} 条措施草稿（第 {first}-{last} 行，报告期 {period}）：请填写高亮的"
        "责任人、配合部门和计划完成日期。",
    ),
    "drafts_none": (
        "Every finding already has an open action: nothing added (period {period}).",
        "每条发现都已有进行中的措施，未添加（报告期 {period}）。",
    ),
    "no_table": (
        "the workbook has no Excel Table named {table}",
        "工作簿中没有名为 {table} 的 Excel 表格",
    ),
    "feedback_done": (
        "Feedback workbooks written, one per agent: {n}, in {folder} (period {period}).",
        "已为每位客服生成个人反馈，共 {n} 份，保存在 {folder}（报告期 {period}）。",
    ),
    "report_findings": (
        "Data-quality findings listed in the report: {n} (use Validate to see them here).",
        "报告中列出了 {n} 个数据质量问题（点“校验数据”可在本工作簿查看）。",
    ),
    "refresh_done": (
        "Scores recalculated: {contacts} contacts, mean QA score {score}, grade {grade}.",
        "评分已重新计算：{contacts} 条服务记录，平均质检得分 {score}，等级 {grade}。",
    ),
    "selftest_done": (
        "Self-test recalculated ({n} CSQ_ formulas re-entered): {outcome}. Each row's "
        "PASS/FAIL is in column F.",
        "自检已重新计算（重新输入 {n} 个 CSQ_ 公式）：{outcome}。每行的 PASS/FAIL 见 F 列。",
    ),
    "rebound": (
        "CSQ_ formulas re-entered so that they use this add-in's functions: {n}.",
        "已重新输入 {n} 个 CSQ_ 公式，使其调用本加载项的函数。",
    ),
    "protected_password": (
        "sheet '{sheet}' is protected with a password, so its CSQ_ formulas could not be "
        "re-entered: unprotect it (Review > Unprotect Sheet) and press Refresh scores again",
        "工作表“{sheet}”设有保护密码，无法重新输入其中的 CSQ_ 公式：请先撤销保护"
        "（审阅 > 撤销工作表保护）再点“刷新评分”",
    ),
    "validate_ok": (
        "No problems found ({rows} monitoring rows).",
        "未发现问题（监测表 {rows} 行）。",
    ),
    "validate_found": (
        "Errors: {errors}, warnings: {warnings}, listed on sheet '{sheet}'. First: {first}.",
        "发现 {errors} 个错误、{warnings} 个警告，已列在“{sheet}”表。第一个：{first}。",
    ),
    "new_done": ("New workbook: {path}", "已新建工作簿：{path}"),
    "help": (
        "CSQ {version} - customer-service quality evaluation.\n"
        "Python: {python}\nSettings file: {conf}\nFunctions: {n} (type =CSQ_ in a cell).\n"
        "Help: docs/addin.md; command line: csq --help.",
        "CSQ {version} 客服质检评价。\nPython：{python}\n设置文件：{conf}\n"
        "函数：{n} 个（在单元格输入 =CSQ_）。\n帮助：docs/addin.md；命令行：csq --help。",
    ),
    "failed": (
        "'{action}' could not finish: {error}",
        "“{action}”未能完成：{error}",
    ),
    "not_on_disk": (
        "the workbook {path} is not on disk (moved, renamed or deleted?); save it and try again",
        "工作簿 {path} 不在磁盘上（已被移动、改名或删除？）；请保存后重试",
    ),
    "unexpected": (
        "'{action}' stopped on an unexpected problem: {error}\nDetails were saved to {log}.",
        "“{action}”遇到意外问题而停止：{error}\n详细信息已保存到 {log}。",
    ),
    "unknown_button": (
        "unknown button '{control}'; the add-in and the csq package may not match: "
        "reinstall with 'csq addin install'",
        "未知按钮“{control}”；加载项与 csq 版本可能不一致，请运行 'csq addin install' 重新安装",
    ),
    "no_data": ("no data", "无数据"),
    "pick_department": ("Pick the folder of the team workbooks", "选择各班组工作簿所在的文件夹"),
    "department_cancelled": (
        "No folder picked; nothing written.",
        "未选择文件夹；未生成任何文件。",
    ),
    "department_none": (
        "{folder} holds no workbook (.xlsx/.xlsm) to combine",
        "{folder} 中没有可合并的工作簿（.xlsx/.xlsm）",
    ),
    "department_done": (
        "Department report written: {report}\n{n} workbook(s) combined; period {period}, "
        "{contacts} contacts, grade {grade}.",
        "部门报告已生成：{report}\n合并 {n} 个工作簿；报告期 {period}，{contacts} 条联系，等级 {grade}。",
    ),
    "department_lacking": (
        "Could not be used, so the department figures lack their teams: {names}",
        "以下工作簿无法使用，部门数据缺少其班组：{names}",
    ),
    "not_editable": (
        "{name} cannot be opened for editing ({detail}); open and save it in Excel first",
        "{name} 无法打开编辑（{detail}）；请先在 Excel 中打开并保存",
    ),
}


ACTION_NAMES: dict[str, tuple[str, str]] = {
    "csqReport": ("Generate report", "生成报告"),
    "csqFeedback": ("Feedback per agent", "个人反馈"),
    "csqActions": ("Add actions from findings", "根据发现添加措施"),
    "csqDepartment": ("Department report", "部门报告"),
    "csqRefresh": ("Refresh scores", "刷新评分"),
    "csqValidate": ("Validate", "校验数据"),
    "csqNew": ("New workbook", "新建工作簿"),
    "csqHelp": ("Settings / Help", "设置与帮助"),
}


FINDINGS_SHEET = {"en": "CSQ Findings", "zh": "CSQ 校验结果"}


FINDINGS_HEADER = {
    "en": ["Sheet", "Cell", "Value", "Problem", "Severity"],
    "zh": ["工作表", "单元格", "值", "问题", "级别"],
}


SEVERITY = {
    "en": {"error": "error", "warning": "warning"},
    "zh": {"error": "错误", "warning": "警告"},
}


def both(key: str, **values: object) -> str:
    """A message in English, then in Chinese; a value may be an (English, Chinese) pair."""
    en, zh = MESSAGES[key]
    en_vals = {k: v[0] if isinstance(v, tuple) else v for k, v in values.items()}
    zh_vals = {k: v[1] if isinstance(v, tuple) else v for k, v in values.items()}
    return f"{en.format(**en_vals)}\n\n{zh.format(**zh_vals)}"


def grade_text(key: Any) -> tuple[str, str]:
    """A grade key shown in both languages (优秀 Excellent ...), '-' when there is none."""
    if not key:
        return ("-", "-")
    from udfs.core.scoring import grade_label

    return (grade_label(key, "en") or str(key), grade_label(key, "zh") or str(key))

"""The Guide sheet (how to fill the workbook, what each column means) and the Evaluation
form sheet (the 1-5 rubric wording per dimension and level).

Column descriptions come from the declarations in ``schema.py``; this module only holds
prose that is not a column (the steps, the rubric wording).
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from udfs.core.config import DEFAULT_CONFIG, ScoringConfig
from udfs.core.fields import CHOICES, NO_CRITICAL_ERROR_TOKENS, RUBRIC_CHOICES, RUBRIC_KEYS, Lang
from workbook_templates.evaluation_wording import GRADE_TEXT, NOTE_TEXT, level_texts
from workbook_templates.schema import (
    CONFIG,
    DATA_SHEETS,
    MONITORING,
    TIMED_COLUMNS,
    UNIT_WORDS,
    Column,
    with_units,
)

TITLE = {"zh": "客服质量评价工作簿 — 填写说明", "en": "Customer-service quality workbook — guide"}

STEPS = {
    "zh": (
        "1. 在“监测表”每行登记一条抽检记录：联系时间必填（只填月份如 2024-05 也可，计为该月）；"
        "工单编号、客服工号按团队汇总时可留空，其余可留空。",
        "2. 六个评分维度填 1-5 分（5=优秀，4=良好，3=合格，1-2=需改进），不适用填 N/A；"
        "有致命错误时在“致命错误”中写明原因，本条得 0 分；留空或填 "
        + "、".join(NO_CRITICAL_ERROR_TOKENS)
        + " 表示没有致命错误。",
        "3. 灰底列（得分、等级、质检结果、占比、执行判定等）由公式自动计算，已锁定，请勿手填。",
        "4. “问题分析”表的计数自动统计监测表中的问题类别（本表“问题类型”从“配置”表的“问题类别选项”中选择，"
        "监测表“问题类别”的下拉列表即本表的问题类型）；监测表没有填写问题类别时，按本表手填的发生频次计算，"
        "手填的占比照录；累计占比与帕累托分类按计数从高到低计算，与行的顺序无关；帕累托图见评价报告。",
        "5. “改进跟踪”表填写计划与实际完成日期，执行判定与延期天数按“配置”表的评估日期计算。",
        "6. 权重、分档、等级阈值、服务水平、评估日期，以及渠道、服务类型与问题类别的下拉选项、首次响应与处理时长的单位"
        "（秒/分钟/小时），都在“配置”表的蓝色单元格修改，全表随即重算。",
        "7. 工作表保护无密码：需要增加超出表格的行或调整结构时，审阅 → 撤消工作表保护。"
        "各表格可按任意填写列排序、筛选，公式列随行重算。",
        "8. “质检员判定”选填：填 合格 或 不合格，可加原因，如 不合格(未同步仓库数据)；填写后报告以此为质检结果，"
        "与按得分判定不一致时在校验结果中提示。",
        "9. 报告期、KPI 目标与改进建议库在“配置”表下方填写；“个人反馈”按钮为每位客服生成个人反馈。",
        "10. 服务流程（选填）：填写协调用时、明确答复用时、最长反馈间隔与回访用时，未发生的步骤留空；"
        "时限在“配置”表“流程时限”各行（默认 10 秒、30 分钟、60 分钟、60 分钟、24 小时）；"
        "“流程合规结果”列写出第一个超时的步骤，质检员填写的“流程合规”优先。",
    ),
    "en": (
        "1. Log one sampled contact per row of the Monitoring sheet: Contact time is required "
        "(a month alone, e.g. 2024-05, counts as a contact of that month); Contact ID and "
        "Agent ID may stay blank in a team-level table, and so may everything else.",
        "2. Rate the six rubric dimensions 1-5 (5 Excellent, 4 Good, 3 Pass, 1-2 Needs "
        "improvement) or N/A when not applicable; a critical error (write the reason) makes "
        "the contact's score 0; blank or "
        + ", ".join(NO_CRITICAL_ERROR_TOKENS)
        + " means no critical error.",
        "3. Shaded columns (score, grade, QC result, shares, action status...) are formulas, "
        "locked; do not type in them.",
        "4. The Problems sheet counts the Monitoring sheet's problem categories by formula "
        "(this sheet's Problem dropdown offers the Config list of problem categories, and the "
        "Monitoring problem-category dropdown offers this sheet's problems); when no "
        "Monitoring row names a category, the frequencies typed here are used and typed "
        "shares kept as typed; cumulative share and Pareto class follow count order "
        "whatever the row order; the report draws the Pareto chart.",
        "5. On the Actions sheet enter planned and actual dates; status and days late use the "
        "as-of date on the Config sheet.",
        "6. Weights, bands, grade thresholds, service level, the as-of date, the channel, "
        "service-type and problem-category dropdown lists and the units of first response and "
        "handle time "
        "(s/min/h) are the blue cells on the Config sheet; the workbook recalculates at once.",
        "7. Sheets are protected without a password: to add rows beyond a table or change "
        "the layout, use Review > Unprotect Sheet. Each table sorts and filters by any input "
        "column; the formula columns recompute with the rows.",
        "8. Reviewer's verdict (optional): Pass or Fail, with a reason if wanted, e.g. Fail "
        "(stock not synced); where filled the report uses it as the QC result, and Validate "
        "flags a verdict that differs from the score-based result.",
        "9. Report period, KPI targets and the recommendation library are on the Config "
        "sheet; Feedback per agent writes each agent a workbook of their own.",
        "10. Service process (optional): type the escalation, answer, longest update gap and "
        "call-back times, blank for a step that did not happen; the limits are the Config "
        "sheet's process-limit rows (default 10 s, 30, 60, 60 min, 24 h); Process result names "
        "the first step missed, and the reviewer's Process compliant Y/N wins.",
    ),
}

QA_CYCLE_TITLE = {
    "zh": "质检循环：抽样、关键词标注、校准",
    "en": "The QA cycle: sample, tag, calibrate",
}
QA_CYCLE = {
    "zh": (
        "抽样：在命令行运行 csq sample 导出文件.csv --map 映射.toml -o 本月质检.xlsx --ratio 0.10 "
        "--by agent,channel,hour_band，按客服、渠道、时段分层随机抽取（每层不少于 10%）；"
        "“配置”表记录随机种子、比例、分层、导出文件的 SHA-256 以及全部工单的总体数据，"
        "报告据此显示总体与样本对照和抽样比例（低于“抽样记录”中的 min_ratio 时提示）。",
        "关键词标注：“配置”表的“反馈关键词”列出关键词、问题类别和正面/负面，可增删。"
        "公式 =CSQ_TAG(Monitoring[问题描述],CSQ_Keywords,CSQ_KeywordCategories) "
        "按最长关键词给出每行的问题类别（中文按子串匹配，英文不区分大小写，无匹配留空）；"
        "csq import --tag / csq sample --tag 自动填写空白的问题类别，并在质检备注中注明。",
        "校准会（建议每月一次）：1) 选 5-10 条有代表性的记录（含疑难、争议案例）；"
        "2) 每位质检员独立评分，在“校准”表中每人每条填一行：工单编号、质检员、六个维度、致命错误；"
        "3) 生成报告，查看“质检员与校准”页：各维度 Krippendorff α（≥0.8 较可靠，<0.667 需重新统一标准）、"
        "与小组中位数的一致率、各质检员的偏差（正值偏宽松）和分歧最大的记录；"
        "4) 会上逐条讨论分歧最大的记录，统一评分口径并更新“评价表”说明。",
        "日常宽严度：在监测表填写“质检员”列，报告列出每位质检员的平均得分与团队平均的差值。",
    ),
    "en": (
        "Sample: run csq sample export.csv --map map.toml -o qa-month.xlsx --ratio 0.10 "
        "--by agent,channel,hour_band to draw a stratified random sample (at least 10 % of "
        "each agent, channel and hour band). The Config sheet records the seed, ratio, strata, "
        "the export's SHA-256 and the population figures of every contact; the report shows "
        "them beside the sample and flags a sampling ratio below min_ratio (Sampling record).",
        "Keyword tagging: the Config sheet's Feedback keywords list keyword, problem category "
        "and positive/negative; edit it freely. "
        "=CSQ_TAG(Monitoring[Problem description],CSQ_Keywords,CSQ_KeywordCategories) gives "
        "each row the category of its longest keyword (Chinese as substrings, English "
        "ignoring case, blank when none matches); csq import --tag / csq sample --tag fill a "
        "blank problem category this way and say so in the QC note.",
        "Calibration session (monthly): 1) pick 5-10 representative contacts, hard and "
        "disputed ones included; 2) every reviewer scores them alone, one row per reviewer "
        "and contact on the Calibration sheet (contact ID, reviewer, six ratings, critical "
        "error); 3) generate the report and open Reviewers & calibration: Krippendorff's "
        "alpha per dimension (0.8 or more is reliable, below 0.667 needs a common standard), "
        "agreement with the panel median, each reviewer's deviation (positive = lenient) and "
        "the contacts with the widest spread; 4) discuss those contacts, agree the standard "
        "and update the Evaluation form's notes.",
        "Daily leniency: fill the Reviewer column of the Monitoring sheet; the report lists "
        "each reviewer's mean score against the team mean.",
    ),
}

MODE = {
    (
        "zh",
        False,
    ): "计算方式：CSQ 函数（需加载 CSQ 加载项；未加载时 Excel 在重算前显示保存时的结果，"
    "LibreOffice 打开即显示 #NAME?，请改用便携版；未在 WPS 中测试）。",
    (
        "zh",
        True,
    ): "计算方式：便携版，仅用 Excel 原生公式（无需加载项；重算结果已在 LibreOffice 中验证，未在 WPS 中测试）。",
    ("en", False): "Computed by the CSQ_ functions (needs the CSQ add-in; without it Excel "
    "shows the values saved with the file until it recalculates, LibreOffice shows #NAME? "
    "at once: use the portable variant; not tested in WPS).",
    ("en", True): "Portable variant: native Excel formulas only (no add-in needed; the "
    "results are checked in LibreOffice; not tested in WPS).",
}

COLS = {
    "zh": ("列", "类型", "说明"),
    "en": ("Column", "Type", "What to enter / what it means"),
}
ROLE = {
    "zh": {"input": "填写", "computed": "公式"},
    "en": {"input": "input", "computed": "formula"},
}


def describe(col: Column, lang: Lang) -> str:
    """What a column holds, in words: its help text plus the allowed values."""
    zh = lang == "zh"
    parts = [col.help(lang)] if col.help(lang) else []
    if col.choices and col.choices in CHOICES:
        labels = "/".join(c.label(lang) for c in CHOICES[col.choices])
        parts.append(("可选：" if zh else "one of: ") + labels)
    elif col.kind == "rubric":
        parts.append("1-5 或 N/A" if zh else "1-5 or N/A")
    elif col.role == "input" and col.kind in ("integer", "number") and col.min is not None:
        hi = f"-{col.max:,.10g}" if col.max is not None else "+"
        parts.append(("范围 " if zh else "range ") + f"{col.min:,.10g}{hi}")
    if col.required:
        parts.append("必填" if zh else "required")
    if col.customer_text:
        parts.append("按文本保存" if zh else "kept as text")
    return ("；" if zh else "; ").join(p for p in parts if p)


def _unit_note(col: Column, lang: Lang, unit: str) -> str:
    """How a timed column's unit is set: the Config setting and the unit it holds now."""
    setting = TIMED_COLUMNS[col.key]
    zh_word, en_word = UNIT_WORDS[unit]
    if lang == "zh":
        return f"单位：{zh_word}（“配置”表 {setting}：秒/分钟/小时；报告统一换算为秒）"
    return f"unit: {en_word} (Config setting {setting}: s / min / h; the report works in seconds)"


def _lines(text: str, width: float) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` characters wide (Excel's
    width unit, the digit 0): Chinese characters count two, other text a little under one;
    rounded up, with a margin, so that a wrapped row never overlaps the next."""
    cols = sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 0.9 for ch in text)
    return max(1, math.ceil(cols / width))


def write_guide(
    ws: Any, fmt: Any, lang: Lang, portable: bool, config: ScoringConfig | None = None
) -> None:
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 9)
    ws.set_column(2, 2, 90, fmt.wrap)
    ws.write_string(0, 0, TITLE[lang], fmt.title)
    ws.write_string(1, 0, MODE[(lang, portable)], fmt.grey)
    row = 3
    for step in STEPS[lang]:  # across A:C, wrapped: a long step stays on the page
        ws.merge_range(row, 0, row, 2, step, fmt.wrap)
        ws.set_row(row, 15 * _lines(step, 123))
        row += 1
    row += 1
    ws.write_string(row, 0, QA_CYCLE_TITLE[lang], fmt.section)
    row += 1
    for text in QA_CYCLE[lang]:
        ws.merge_range(row, 0, row, 2, text, fmt.wrap)
        ws.set_row(row, 15 * _lines(text, 123))
        row += 1
    row += 1
    for sheet in DATA_SHEETS:
        ws.write_string(row, 0, sheet.name(lang), fmt.section)
        row += 1
        for c, h in enumerate(COLS[lang]):
            ws.write_string(row, c, h, fmt.header)
        row += 1
        for col in sheet.columns:
            if sheet is MONITORING and col.key in TIMED_COLUMNS:
                unit = str(getattr(config or DEFAULT_CONFIG, TIMED_COLUMNS[col.key]))
                col = with_units(col, {col.key: unit})
                text = ("；" if lang == "zh" else "; ").join(
                    p for p in (describe(col, lang), _unit_note(col, lang, unit)) if p
                )
            else:
                text = describe(col, lang)
            ws.write_string(row, 0, col.header(lang), fmt.text)
            ws.write_string(row, 1, ROLE[lang][col.role], fmt.text)
            ws.write_string(row, 2, text, fmt.wrap)
            if _lines(text, 90) > 1:  # a wrapped description gets the height it needs
                ws.set_row(row, 15 * _lines(text, 90))
            row += 1
        row += 1
    note = (
        f"配置说明见“{CONFIG.name(lang)}”表；评分标准见“评价表”。"
        if lang == "zh"
        else f"Settings: see the {CONFIG.name(lang)} sheet; rubric wording: see Evaluation form."
    )
    ws.write_string(row, 0, note, fmt.grey)
    ws.protect("", {"format_columns": True, "format_rows": True})
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_landscape()


def scoring_note(key: str, weight: float, total: float, lang: Lang) -> str:
    """The 评分说明 (scoring note) of one rubric dimension: its weight and how a rating
    becomes points, from the workbook's configuration."""
    share = 100 * weight / total if total else 0
    pct = f"{share:.1f}".rstrip("0").rstrip(".")
    if lang == "zh":
        text = f"权重 {pct}%；5 分=100，4=80，3=60，2=40，1=20；N/A 不计入，权重按比例重新分配"
        if key == "speed":
            text += "；按首次响应秒数评分（见左侧各档）"
        return text + "。"
    text = (
        f"Weight {pct} %; 5 = 100, 4 = 80, 3 = 60, 2 = 40, 1 = 20 points; N/A is skipped "
        "and the weights re-spread"
    )
    if key == "speed":
        text += "; rated from the first-response seconds (levels to the left)"
    return text + "."


def write_evaluation_form(ws: Any, fmt: Any, lang: Lang, config: Any = None) -> None:
    """The template's evaluation table (seeds/003): 评价维度, the five levels (1分 … 5分),
    评价等级 and 评分说明, word for word; then CSQ's own column, how a rating becomes points
    with this workbook's weights."""
    from udfs.core.config import DEFAULT_CONFIG

    config = config or DEFAULT_CONFIG
    weights = {i.source: float(i.weight) for i in config.contact_indicators}
    total = sum(weights.values())
    zh = lang == "zh"
    ws.set_column(0, 0, 16)
    ws.set_column(1, 5, 20, fmt.wrap)
    ws.set_column(6, 6, 22, fmt.wrap)
    ws.set_column(7, 7, 30, fmt.wrap)
    ws.set_column(8, 8, 40, fmt.wrap)
    ws.write_string(
        0,
        0,
        "服务质量评价表（1-5 分）" if zh else "Service-quality evaluation form (1-5)",
        fmt.title,
    )
    ws.write_string(
        1,
        0,
        "N/A = 不适用，该维度不计入得分，权重按比例重新分配。"
        if zh
        else "N/A = not applicable: the dimension is skipped and the weights re-spread.",
        fmt.grey,
    )
    heads = (
        ("评价维度", *(f"{n}分" for n in range(1, 6)), "评价等级", "评分说明", "权重与计分（CSQ）")
        if zh
        else (
            "Dimension",
            "1 point",
            *(f"{n} points" for n in range(2, 6)),
            "Rating grade",
            "Scoring notes",
            "Weight and points (CSQ)",
        )
    )
    for j, text in enumerate(heads):
        ws.write_string(3, j, text, fmt.header)
    ws.set_row(3, 30)
    for i, key in enumerate(RUBRIC_KEYS, start=4):
        ws.write_string(i, 0, MONITORING.column(key).header(lang), fmt.text)
        for j, text in enumerate(reversed(level_texts(key, lang)), start=1):
            ws.write_string(i, j, text, fmt.wrap)
        ws.write_string(i, 6, GRADE_TEXT[lang], fmt.wrap)
        ws.write_string(i, 7, NOTE_TEXT[lang][key], fmt.wrap)
        ws.write_string(i, 8, scoring_note(key, weights.get(key, 0), total, lang), fmt.wrap)
        ws.set_row(i, 60)
    assert set(RUBRIC_CHOICES) >= {"5", "1", "N/A"}
    ws.protect("", {"format_columns": True, "format_rows": True})
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)

"""The Config sheet: its layout (rows, named ranges), as the builder writes it; the parser
that reads it back is :mod:`addin.read.config_sheet`.

Column A of every setting row holds a stable machine key (``contact.speed``,
``grades.pass``, ``service_level_s`` ...), column B the label in the sheet's language and
column C the value the user edits; indicator rows add group, source, rule, bands and points
in columns D-H.  The workbook-level names below point at column C, so the CSQ_ functions
(UDF mode) and the native formulas (portable mode) recalculate when a weight changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from udfs.core.config import DEFAULT_CONFIG, GROUP_LABELS, Indicator, ScoringConfig
from udfs.core.fields import Lang
from workbook_templates import config_tables
from workbook_templates.config_tables import cell_name
from workbook_templates.schema import CONFIG

# Workbook-level defined names (the add-in, ribbon and formulas refer to these).
NAME_WEIGHTS = "CSQ_Weights"
NAME_TEAM_WEIGHTS = "CSQ_TeamWeights"
NAME_GRADE_THRESHOLDS = "CSQ_GradeThresholds"
NAME_PASS_MARK = "CSQ_PassMark"
NAME_SERVICE_LEVEL = "CSQ_ServiceLevel"
NAME_REPEAT_WINDOW = "CSQ_RepeatWindow"
NAME_PARETO_A = "CSQ_ParetoA"
NAME_PARETO_B = "CSQ_ParetoB"
NAME_MIN_AGENT_SAMPLE = "CSQ_MinAgentSample"
NAME_AS_OF = "CSQ_AsOf"
NAME_FIRST_RESPONSE_UNIT = "CSQ_FirstResponseUnit"
NAME_PROCESS_LIMITS = "CSQ_ProcessLimits"
"""The five process-step limits (seeds/003), consecutive rows of the settings section."""

VALUE_COL = 2  # column C
DEFAULT_REPORT_FORMATS = "xlsx, docx"
"""The Config sheet's "report formats" cell as a new workbook has it."""
KEY_COL = 0  # column A

INDICATOR_HEADERS: dict[str, tuple[str, ...]] = {
    "zh": ("键", "指标", "权重", "分组", "数据来源", "规则", "分档阈值", "分档得分"),
    "en": ("Key", "Indicator", "Weight", "Group", "Source", "Rule", "Band limits", "Band points"),
}
SETTING_HEADERS: dict[str, tuple[str, ...]] = {
    "zh": ("键", "设置", "值", "说明"),
    "en": ("Key", "Setting", "Value", "Notes"),
}

TITLE = {
    "zh": "评分配置（修改蓝色单元格，公式随即重算）",
    "en": "Scoring configuration (edit the blue cells; formulas recalculate at once)",
}
SECTION = {
    "contact": ("单条质检评分指标（权重）", "Per-contact QA score indicators (weights)"),
    "team": ("坐席/团队综合评分指标", "Agent/team composite indicators"),
    "settings": ("等级阈值与其他设置", "Grade thresholds and other settings"),
}

# key, zh label, en label, zh note, en note, default getter, kind, named range
SETTINGS: tuple[tuple[str, str, str, str, str, str, str | None], ...] = (
    ("grades.excellent", "优秀 ≥", "Excellent ≥", "0-100 分制", "on the 0-100 scale", "num", None),
    ("grades.good", "良好 ≥", "Good ≥", "", "", "num", None),
    ("grades.pass", "合格 ≥（质检合格线）", "Pass ≥ (QC pass mark)", "", "", "num", NAME_PASS_MARK),
    (
        "service_level_s",
        "服务水平阈值(秒)",
        "Service level threshold (s)",
        "首次响应 ≤ 该秒数计入服务水平",
        "first response within this many seconds counts as in service level",
        "num",
        NAME_SERVICE_LEVEL,
    ),
    (
        "repeat_window_days",
        "重复来电窗口(天)",
        "Repeat-contact window (days)",
        "",
        "",
        "int",
        NAME_REPEAT_WINDOW,
    ),
    (
        "pareto_a",
        "帕累托 A 类上限",
        "Pareto class A up to",
        "0-1，默认 0.8",
        "0-1, default 0.8",
        "num",
        NAME_PARETO_A,
    ),
    (
        "pareto_b",
        "帕累托 B 类上限",
        "Pareto class B up to",
        "0-1，默认 0.95",
        "0-1, default 0.95",
        "num",
        NAME_PARETO_B,
    ),
    (
        "min_agent_sample",
        "坐席排名最少样本",
        "Minimum contacts to rank an agent",
        "",
        "",
        "int",
        NAME_MIN_AGENT_SAMPLE,
    ),
    (
        "first_response_unit",
        "首次响应单位",
        "First response unit",
        "监测表“首次响应”列的单位：s 秒 / min 分钟 / h 小时",
        "unit of the Monitoring first-response column: s / min / h",
        "unit",
        NAME_FIRST_RESPONSE_UNIT,
    ),
    (
        "handle_time_unit",
        "处理时长单位",
        "Handle time unit",
        "监测表“处理时长”列的单位：s 秒 / min 分钟 / h 小时",
        "unit of the Monitoring handle-time column: s / min / h",
        "unit",
        None,
    ),
    (
        "population",
        "报告期总接待量",
        "Contacts handled in the report period",
        "选填：该月全部接待量（非抽样数），用于计算抽样比例",
        "optional: every contact handled that month (not only the sample); gives the sampling ratio",
        "count",
        None,
    ),
    (
        "report_period",
        "报告期",
        "Report period",
        "选填：2024-07、2024-Q3、2024-H2、2024 或 2024-07-01..2024-07-15；留空 = 数据中最近的月份",
        "optional: 2024-07, 2024-Q3, 2024-H2, 2024 or 2024-07-01..2024-07-15; "
        "blank = the latest month in the data",
        "period",
        None,
    ),
    (
        "as_of",
        "评估日期",
        "As-of date",
        "默认 =TODAY()；填写固定日期可复现报告",
        "defaults to =TODAY(); type a fixed date to make results reproducible",
        "date",
        NAME_AS_OF,
    ),
    # process-step limits (seeds/003 客服服务全流程操作指引), issue 20
    (
        "limit_first_response_s",
        "流程时限：首次响应(秒)",
        "Process limit: first response (s)",
        "第一步：10 秒内完成首次响应",
        "step 1: first response within 10 s",
        "num",
        None,
    ),
    (
        "limit_escalation_min",
        "流程时限：协调相关部门(分钟)",
        "Process limit: escalation (min)",
        "第三步：复杂问题 30 分钟内协调技术/售后/业务部门",
        "step 3: coordinate a complex issue with other departments within 30 min",
        "num",
        None,
    ),
    (
        "limit_answer_min",
        "流程时限：明确答复(分钟)",
        "Process limit: definite answer (min)",
        "第三步：预计 1 小时内给客户明确答复",
        "step 3: a definite answer within 1 h",
        "num",
        None,
    ),
    (
        "limit_update_gap_min",
        "流程时限：进度反馈间隔(分钟)",
        "Process limit: update gap (min)",
        "第四步：每隔 30 分钟-1 小时主动反馈进展",
        "step 4: a progress update every 30 min-1 h while the customer waits",
        "num",
        None,
    ),
    (
        "limit_callback_h",
        "流程时限：回访(小时)",
        "Process limit: call-back (h)",
        "第五步：问题解决后 24 小时内回访",
        "step 5: call back within 24 h of resolution",
        "num",
        None,
    ),
    # the report's own cells (optional text; shown in the Word report's 监测概况)
    (
        "organisation",
        "单位",
        "Organisation",
        "选填：报告封面上的单位名称",
        "optional: shown on the report's cover",
        "text",
        None,
    ),
    (
        "monitoring_objective",
        "监测目标",
        "Monitoring objective",
        "选填：本次监测的目标",
        "optional: what this monitoring is for",
        "text",
        None,
    ),
    (
        "monitoring_lead",
        "监测小组组长",
        "Monitoring lead",
        "选填：监测小组组长",
        "optional: who leads the monitoring team",
        "text",
        None,
    ),
    (
        "qa_specialists",
        "质检专员",
        "QA specialists",
        "选填：质检专员（多人用顿号分隔）",
        "optional: the QA specialists, comma-separated",
        "text",
        None,
    ),
    (
        "business_experts",
        "业务专家",
        "Business experts",
        "选填：业务专家",
        "optional: the business experts",
        "text",
        None,
    ),
    (
        "report_formats",
        "报告格式",
        "Report formats",
        "xlsx、docx、pptx、pdf 中的一个或多个，逗号分隔；默认 xlsx, docx",
        "one or more of xlsx, docx, pptx, pdf, comma-separated; default xlsx, docx",
        "text",
        None,
    ),
)

UNIT_CHOICES: tuple[str, ...] = ("s", "min", "h")
UNIT_ALIASES: dict[str, str] = {
    "s": "s", "sec": "s", "秒": "s", "seconds": "s",
    "min": "min", "m": "min", "分": "min", "分钟": "min", "minutes": "min",
    "h": "h", "hr": "h", "小时": "h", "时": "h", "hours": "h",
}  # fmt: skip

RULE_LABELS: dict[str, tuple[str, str]] = {
    "rubric": ("评分 1-5", "rubric 1-5"),
    "bands": ("分档", "bands"),
    "yes_no": ("是/否", "yes/no"),
    "percent": ("百分比", "percent"),
    "score": ("分数 0-100", "score 0-100"),
}


@dataclass(frozen=True)
class ConfigCell:
    """One cell of the Config sheet as the builder writes it."""

    row: int
    col: int
    value: Any
    role: str  # "title", "section", "header", "key", "label", "value", "info", "formula", "entry"
    number_format: str | None = None
    choices: tuple[str, ...] = ()
    """For an ``entry`` cell of a Config table: the dropdown's values."""


@dataclass(frozen=True)
class ConfigLayout:
    cells: tuple[ConfigCell, ...]
    names: dict[str, str]  # defined name -> absolute A1 range on the Config sheet


def _setting_value(config: ScoringConfig, key: str) -> Any:
    if key.startswith("grades."):
        return {"excellent": config.grades.excellent, "good": config.grades.good}.get(
            key.split(".", 1)[1], config.grades.pass_
        )
    return getattr(config, key)


def _abs(row: int, col: int) -> str:
    return cell_name(row, col, absolute=True)


def _fmt_list(values: tuple[float, ...]) -> str:
    return ";".join(str(int(v)) if float(v).is_integer() else str(v) for v in values)


def layout(
    lang: Lang,
    config: ScoringConfig = DEFAULT_CONFIG,
    population: int | None = None,
    table_rows: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> ConfigLayout:
    """Every cell of the Config sheet and the defined names, from ``config``.

    ``population`` fills the optional "contacts handled" cell; ``table_rows`` (table key ->
    rows keyed by column key, as ``WorkbookData.config_tables`` holds them) replaces a
    Config list's default rows, so a converted workbook keeps the user's own lists.
    """
    cells: list[ConfigCell] = [ConfigCell(0, 0, TITLE[lang], "title")]
    names: dict[str, str] = {}
    row = 2
    for prefix, inds, name in (
        ("contact", config.contact_indicators, NAME_WEIGHTS),
        ("team", config.team_indicators, NAME_TEAM_WEIGHTS),
    ):
        row = _indicator_rows(cells, names, row, lang, prefix, inds, name)
    row = _setting_rows(cells, names, row, lang, config, population)
    for table in config_tables.CONFIG_TABLES:
        row = _table_rows(cells, names, row + 1, lang, table, table_rows)
    return ConfigLayout(tuple(cells), dict(sorted(names.items())))


def _sheet_ref(lang: Lang) -> str:
    return f"'{CONFIG.name(lang)}'"


def _indicator_rows(
    cells: list[ConfigCell],
    names: dict[str, str],
    row: int,
    lang: Lang,
    prefix: str,
    inds: Sequence[Indicator],
    name: str,
) -> int:
    """One indicator section (title, headers, a row per indicator, the weights' name) from
    ``row``; returns the row after it and its blank row."""
    i = 0 if lang == "zh" else 1
    cells.append(ConfigCell(row, 0, SECTION[prefix][i], "section"))
    row += 1
    for c, h in enumerate(INDICATOR_HEADERS[lang]):
        cells.append(ConfigCell(row, c, h, "header"))
    row += 1
    first = row
    for ind in inds:
        cells += [
            ConfigCell(row, 0, f"{prefix}.{ind.key}", "key"),
            ConfigCell(row, 1, ind.label(lang), "label"),
            ConfigCell(row, 2, float(ind.weight), "value", "0.##"),
            ConfigCell(row, 3, GROUP_LABELS[ind.group][i], "info"),
            ConfigCell(row, 4, ind.source, "info"),
            ConfigCell(row, 5, RULE_LABELS[ind.rule][i], "info"),
        ]
        if ind.rule == "bands":  # editable, like the weights ("30;60", "100;80;60")
            cells += [
                ConfigCell(row, 6, _fmt_list(ind.bands), "entry"),
                ConfigCell(row, 7, _fmt_list(ind.points), "entry"),
            ]
        row += 1
    names[name] = f"{_sheet_ref(lang)}!{_abs(first, VALUE_COL)}:{_abs(row - 1, VALUE_COL)}"
    return row + 1


def _setting_rows(
    cells: list[ConfigCell],
    names: dict[str, str],
    row: int,
    lang: Lang,
    config: ScoringConfig,
    population: int | None,
) -> int:
    """The settings section from ``row`` (one row per :data:`SETTINGS` entry, their names
    and the grade thresholds' range); returns the row after it."""
    zh = lang == "zh"
    sheet = _sheet_ref(lang)
    cells.append(ConfigCell(row, 0, SECTION["settings"][0 if zh else 1], "section"))
    row += 1
    for c, h in enumerate(SETTING_HEADERS[lang]):
        cells.append(ConfigCell(row, c, h, "header"))
    row += 1
    for key, lzh, len_, nzh, nen, kind, name in SETTINGS:
        cells += [
            ConfigCell(row, 0, key, "key"),
            ConfigCell(row, 1, lzh if zh else len_, "label"),
            _setting_value_cell(row, key, kind, config, population),
        ]
        if nzh:
            cells.append(ConfigCell(row, 3, nzh if zh else nen, "info"))
        if key == "grades.excellent":
            grade_first = row
        if key == "limit_first_response_s":
            limits_first = row
        if name:
            names[name] = f"{sheet}!{_abs(row, VALUE_COL)}"
        row += 1
    names[NAME_GRADE_THRESHOLDS] = (
        f"{sheet}!{_abs(grade_first, VALUE_COL)}:{_abs(grade_first + 2, VALUE_COL)}"
    )
    names[NAME_PROCESS_LIMITS] = (
        f"{sheet}!{_abs(limits_first, VALUE_COL)}:{_abs(limits_first + 4, VALUE_COL)}"
    )
    return row


def _setting_value_cell(
    row: int, key: str, kind: str, config: ScoringConfig, population: int | None
) -> ConfigCell:
    """A setting's value cell (column C) for its kind."""
    if kind == "date":
        return ConfigCell(row, 2, "=TODAY()", "formula", "yyyy-mm-dd")
    if kind == "unit":  # s / min / h, a dropdown
        return ConfigCell(row, 2, str(getattr(config, key)), "entry", None, UNIT_CHOICES)
    if kind == "count":  # optional, blank until the user knows it
        return ConfigCell(row, 2, population, "value", "#,##0")
    if kind == "period":  # optional text, blank = the latest month
        return ConfigCell(row, 2, None, "entry", "@")
    if kind == "text":  # optional text; report formats start with the default
        return ConfigCell(
            row, 2, DEFAULT_REPORT_FORMATS if key == "report_formats" else None, "entry", "@"
        )
    fmt = "0" if kind == "int" else "0.##"
    return ConfigCell(row, 2, float(_setting_value(config, key)), "value", fmt)


def _table_rows(
    cells: list[ConfigCell],
    names: dict[str, str],
    row: int,
    lang: Lang,
    table: config_tables.ConfigTable,
    table_rows: Mapping[str, Sequence[Mapping[str, Any]]] | None,
) -> int:
    """One Config list from ``row`` (marker, headers, its rows and spare rows, its names);
    returns the row after it."""
    cells += [
        ConfigCell(row, 0, table.marker, "key"),
        ConfigCell(row, 1, table.title(lang), "section"),
    ]
    if table.note(lang):
        cells.append(ConfigCell(row, 3, table.note(lang), "info"))
    row += 1
    for c, col in enumerate(table.columns):
        cells.append(ConfigCell(row, c, col.header(lang), "header"))
    row += 1
    if table_rows is not None and table.key in table_rows:
        defaults = [[r.get(col.key) for col in table.columns] for r in table_rows[table.key]]
    else:
        defaults = [list(v) for v in table.defaults(lang)]
    first_entry = row
    for values in [*defaults, *([[]] * table.spare_rows)]:
        for c, col in enumerate(table.columns):
            v = values[c] if c < len(values) else None
            fmt = "0.###" if col.kind == "number" else None
            choices = col.dropdown(lang) if col.dropdown else col.choices
            cells.append(ConfigCell(row, c, v, "entry", fmt, choices))
        row += 1
    keys = [col.key for col in table.columns]
    sheet = _sheet_ref(lang)
    for col_key, name in table.names:
        c = keys.index(col_key)
        names[name] = f"{sheet}!{_abs(first_entry, c)}:{_abs(max(row - 1, first_entry), c)}"
    return row

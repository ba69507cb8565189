"""Problems as data: every data-quality problem is a stable code with parameters, worded
once, here, in the language asked for.

A value check of the core (:mod:`udfs.core.values`) gives a :class:`Problem` (``code``,
``params``) for a bad cell; the CSQ_ Excel functions show its short English cell form
(:func:`cell_text`: ``#CSQ! csat 7 not in 1-5``), the workbook reader turns it into a
:class:`~udfs.core.data.Finding` whose rule is the long form (:func:`render`) in English or
Chinese.  The reader's own problems (a merged header, a missing column, ...) are coded in
the same :data:`CODES`, so ``csq validate --json``, the report and the ribbon word a
problem from one catalogue and nothing is ever parsed back from its text.

A parameter that is worded differently per language (a column's header, what a cell may
hold) is a :class:`Text` (English, 简体中文); a parameter that is itself a problem (the
reason of a rejected workbook, named with its sheet) is a :class:`Problem`.  docs/validate.md
lists every code with its meaning and both texts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

ERROR_PREFIX = "#CSQ!"


class Text(NamedTuple):
    """A parameter worded per language: ``Text(en, zh)``."""

    en: str
    zh: str

    def __call__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


_ALLOWED_EN = "; allowed: {allowed}"
_ALLOWED_ZH = "；允许：{allowed}"

CODES: dict[str, tuple[str, str]] = {
    # ---- a cell's value (the core's checks; long form: column header, what is allowed)
    "not_a_number": (
        "{header}: is not a number" + _ALLOWED_EN,
        "{header}：不是数字" + _ALLOWED_ZH,
    ),
    "not_a_number_or_na": (
        "{header}: is not a number or N/A" + _ALLOWED_EN,
        "{header}：不是数字或 N/A" + _ALLOWED_ZH,
    ),
    "not_in_range": (
        "{header}: not in {lo}-{hi}" + _ALLOWED_EN,
        "{header}：不在 {lo}-{hi} 范围内" + _ALLOWED_ZH,
    ),
    "below_minimum": ("{header}: below {lo}" + _ALLOWED_EN, "{header}：小于 {lo}" + _ALLOWED_ZH),
    "above_maximum": ("{header}: above {hi}" + _ALLOWED_EN, "{header}：大于 {hi}" + _ALLOWED_ZH),
    "not_a_whole_number": (
        "{header}: not a whole number" + _ALLOWED_EN,
        "{header}：不是整数" + _ALLOWED_ZH,
    ),
    "not_yes_no": ("{header}: is not Y/N" + _ALLOWED_EN, "{header}：不是 Y/N" + _ALLOWED_ZH),
    "not_a_date": ("{header}: is not a date" + _ALLOWED_EN, "{header}：不是有效日期" + _ALLOWED_ZH),
    "planned_date_missing": ("planned date missing", "缺少计划日期"),
    # ---- a cell's value (the reader's checks)
    "not_on_list": (
        "{header}: {value} is not a known value" + _ALLOWED_EN,
        "{header}：{value} 不是可选值" + _ALLOWED_ZH,
    ),
    "date_out_of_range": (
        "{header}: {value} is outside {lo} to {hi}" + _ALLOWED_EN,
        "{header}：{value} 超出 {lo} 至 {hi}" + _ALLOWED_ZH,
    ),
    "required_blank": (
        "{header}: required but blank" + _ALLOWED_EN,
        "{header}：必填但为空" + _ALLOWED_ZH,
    ),
    "duplicate_id": (
        "{header}: {value} is a duplicate of row {first}; each contact needs its own id",
        "{header}：{value} 与第 {first} 行重复；每条记录的编号必须唯一",
    ),
    "not_a_verdict": (
        "Reviewer's verdict: not a verdict; allowed: Pass or Fail (合格/不合格), "
        "optionally with a reason, e.g. Fail (stock not synced), or blank",
        "质检员判定：不是判定；允许：合格 或 不合格（Pass/Fail），可加原因，"
        "如 不合格(未同步仓库数据)，或留空",
    ),
    "verdict_disagrees": (
        "Reviewer's verdict {verdict} differs from the score-based result {by_score} "
        "(QA score {score}); the report uses the verdict",
        "质检员判定为{verdict}，按得分判定为{by_score}（质检得分 {score}）；报告以质检员判定为准",
    ),
    "unknown_category": (
        "Problem category: not on the Config list 'Problem category choices' nor among "
        "the Problems sheet's problems; add it to one of them (it is counted as typed)",
        "问题类别：不在配置表“问题类别选项”中，也不是问题分析表中的问题；"
        "请添加到其中之一（按原文统计）",
    ),
    # ---- headers and sheets
    "missing_column": (
        "required column {header} not found (header row {row}: {found})",
        "缺少必需的列 {header}（表头行 {row}：{found}）",
    ),
    "no_header_row": (
        "no header row found in the first {n} rows; expected headers such as {examples}",
        "前 {n} 行中未找到表头行；应包含如 {examples} 等列名",
    ),
    "merged_header": (
        "header cells {rng} are merged; give each column its own header cell in row {row} "
        "(columns under the merge are not read)",
        "表头单元格 {rng} 被合并；第 {row} 行中每一列都需要单独的表头单元格（合并区域下的列未读取）",
    ),
    "moved_header": (
        "header {header} is in row {at}, not in the header row {row}; the column is not read "
        "(move the header into row {row})",
        "表头 {header} 位于第 {at} 行，而不在表头行第 {row} 行；该列未读取（请移到第 {row} 行）",
    ),
    "duplicate_header": (
        "column {header} appears twice ({first} and {second}); only {first} is read",
        "列 {header} 出现两次（{first} 和 {second}）；只读取 {first}",
    ),
    "unknown_header": (
        "column {header} is not a known header and is not read",
        "列 {header} 不是可识别的表头，未读取",
    ),
    "unknown_header_near": (
        "column {header} is not a known header and is not read; did you mean {near}?",
        "列 {header} 不是可识别的表头，未读取；是否应为 {near}？",
    ),
    "optional_missing": (
        "{n} optional column(s) not found, so the figures that need them show no data: {headers}",
        "未找到 {n} 个可选列，依赖它们的指标显示为无数据：{headers}",
    ),
    "unit_disagrees": (
        "{header}: the header says {said} but the Config setting {setting} is {unit}; "
        "the values are read as {unit} (the setting)",
        "{header}：表头单位为{said}，但“配置”表 {setting} 为{unit}；数值按配置表的单位（{unit}）换算",
    ),
    "sheet_missing": (
        "sheet {names} not found (sheets in the file: {found})",
        "未找到工作表 {names}（文件中的工作表：{found}）",
    ),
    "sheet_by_headers": (
        "sheet {sheet} is read as {expected} (recognised by its headers)",
        "工作表 {sheet} 按表头识别为 {expected}",
    ),
    "sheet_unreadable": ("sheet cannot be read ({detail})", "工作表无法读取（{detail}）"),
    "unreadable": (
        "{name}: cannot be read as a workbook ({detail})",
        "{name}：无法作为工作簿读取（{detail}）",
    ),
    "in_sheet": ("{sheet}: {problem}", "{sheet}: {problem}"),
    # ---- a ticket/telephony export (csq import)
    "bad_date_format": (
        "{header}: {text} does not match the date format {fmt}" + _ALLOWED_EN,
        "{header}：{text} 与日期格式 {fmt} 不符" + _ALLOWED_ZH,
    ),
    "bad_duration": (
        "{header}: {value} is not a duration hh:mm:ss" + _ALLOWED_EN,
        "{header}：{value} 不是 hh:mm:ss 格式的时长" + _ALLOWED_ZH,
    ),
    "text_too_long": (
        "{header}: text of {n:,} characters is longer than an Excel cell holds; the first "
        "32,767 are kept",
        "{header}：文本长 {n:,} 个字符，超出 Excel 单元格上限；保留前 32,767 个字符",
    ),
    "duplicate_source": (
        "header {header!r} appears {n} times (columns {cols}); the first, column {used}, is used",
        "表头 {header!r} 出现 {n} 次（第 {cols} 列）；使用第一个，即第 {used} 列",
    ),
    "from_source": ("column {source!r}: {rest}", "列 {source!r}：{rest}"),
    # ---- the Config sheet
    "bad_as_of": (
        "the as-of date is not a date; allowed: a date such as 2024-06-30, or =TODAY(); "
        "today is used",
        "评估基准日不是日期；允许：如 2024-06-30 的日期，或 =TODAY()；已使用今天",
    ),
    "config_missing": (
        "no Config sheet (配置 / Config); the default indicator system is used",
        "没有配置表（配置 / Config）；使用默认指标体系",
    ),
    "config_weight": (
        "weight must be a number 0 or more; the default is used",
        "权重须为不小于 0 的数字；已使用默认值",
    ),
    "config_group": (
        "group must be one of efficiency/professionalism/attitude/result",
        "分组须为 效率/专业/态度/结果 之一",
    ),
    "config_rule": ("rule must be one of {rules}", "规则须为 {rules} 之一"),
    "config_numbers": (
        "{field} must be numbers separated by ';' (e.g. 30;60)",
        "{field} 须为以“;”分隔的数字（如 30;60）",
    ),
    "config_indicator": (
        "indicator {key!r} is invalid ({msg}); the default is used",
        "指标 {key!r} 无效（{msg}）；已使用默认值",
    ),
    "config_setting": (
        "{label} must be {what}; the default is used",
        "{label} 须为{what}；已使用默认值",
    ),
    "config_weight_scale": (
        "weight {w} is a fraction beside whole-point weights ({others}): was {pct} meant? "
        "Weights are points, e.g. {points}; the dimension counts {share} of the total as typed",
        "权重 {w} 是小数，而其他权重为整数分值（{others}）：是否想填 {pct}？权重按分值填写，"
        "如 {points}；按现值该项只占总权重的 {share}",
    ),
    "config_fallback": ("{msg}; the defaults for {part} are used", "{msg}；{part} 已使用默认值"),
    "config_population": (
        "contacts handled must be a whole number of 1 or more, or blank; it is ignored",
        "接待量须为不小于 1 的整数，或留空；已忽略",
    ),
    "bad_period": (
        "period {value!r} is not one of the accepted forms: {forms} "
        "(e.g. 2024-07, 2024-Q3, 2024-H2, 2024, 2024-07-01..2024-07-15)",
        "报告期 {value!r} 格式不正确；可用格式：{forms}"
        "（例如 2024-07、2024-Q3、2024-H2、2024、2024-07-01..2024-07-15）",
    ),
    "period_order": (
        "period {value!r}: the range ends before it starts",
        "报告期 {value!r}：结束日期早于开始日期",
    ),
    # ---- a list on the Config sheet (workbook_templates.config_tables)
    "config_table_number": ("{col}: a number", "{col}：应为数字"),
    "config_table_choice": ("{col}: one of {allowed}", "{col}：应为以下之一：{allowed}"),
    "config_table_required": ("{col}: required in a filled row", "{col}：该行已填写时必填"),
    # ---- the QA cycle (the Config sheet's sampling record)
    "sampling_min_ratio": (
        "min_ratio must be a number between 0 and 1; 10 % is used",
        "min_ratio 须为 0 到 1 之间的数字；已使用 10%",
    ),
    "sampling_below_min": (
        "sampling ratio {ratio:.1%} of {period} ({sampled} of {population} contacts) is "
        "below the minimum {min:.0%}",
        "{period} 抽样比例 {ratio:.1%}（{population} 条中抽取 {sampled} 条）低于最低要求 {min:.0%}",
    ),
    # ---- issue 18: the narrative report (noise verdicts, owed findings)
    # ---- issue 19: scope: teams, segments, filter, compare
    # ---- issue 20: seed templates: process compliance, customer level, source
    # ---- issue 21: the improvement loop
    # ---- issue 22: hostile inputs, second round
    # ---- issue 23: real exports: distributions, agent KPIs, backlog
    "bad_timestamp": (
        "{header}: {value} in column {column!r} is not a date and time; the duration is left blank",
        "{header}：列 {column!r} 中的 {value} 不是日期时间；该时长留空",
    ),
    "negative_duration": (
        "{header}: {to!r} ({end}) is before {from!r} ({start}); the duration is left blank",
        "{header}：{to!r}（{end}）早于 {from!r}（{start}）；该时长留空",
    ),
    # ---- issue 24: the desk: language, Excel versions, selftest
}
"""Code -> (English, 简体中文) long form: a finding's rule, a rejection's reason."""

CELL_FORMS: dict[str, str] = {
    "not_a_number": "{name} {value} is not a number",
    "not_a_number_or_na": "{name} {value} is not a number or N/A",
    "not_in_range": "{name} {value} not in {lo}-{hi}",
    "below_minimum": "{name} {value} below {lo}",
    "above_maximum": "{name} {value} above {hi}",
    "not_a_whole_number": "{name} {value} not a whole number",
    "not_yes_no": "{name} {value} is not Y/N",
    "not_a_date": "{name} {value} is not a date",
    "planned_date_missing": "planned date missing",
}
"""Code -> the short in-cell form (English, after ``#CSQ!``) of the core's value checks."""

FINDING_CODES: tuple[str, ...] = tuple(CODES)
"""Every code a finding or a rejection reason may carry (docs/validate.md lists them)."""


class _Worded:
    """The parameters seen by ``str.format_map``: each one looked up only when the text
    uses it, a :class:`Text` or :class:`Problem` worded in the language."""

    __slots__ = ("lang", "params", "value")

    def __init__(self, params: Mapping[str, Any], lang: str, value: Any) -> None:
        self.params = params
        self.lang = lang
        self.value = value

    def __getitem__(self, key: str) -> Any:
        try:
            v = self.params[key]
        except KeyError:
            if key != "value" or self.value is None:
                raise
            return self.value
        if type(v) is Text:
            return v.zh if self.lang == "zh" else v.en
        if isinstance(v, Problem):
            return v.render(self.lang)
        return v


def render(
    code: str, params: Mapping[str, Any], lang: str, catalog: Any = None, value: Any = None
) -> str:
    """The long form of problem ``code`` with ``params`` in ``lang`` (zh or en);
    ``catalog``: another ``code -> (English, 简体中文)`` table than :data:`CODES`;
    ``value``: the ``{value}`` when ``params`` has none (a finding's own value)."""
    en, zh = (catalog if catalog is not None else CODES)[code]
    text = zh if lang == "zh" else en
    if not params:
        return text
    text = text.format_map(_Worded(params, lang, value))
    if params.get("source") and catalog is None and code != "from_source":  # its column
        return render("from_source", {"source": params["source"], "rest": text}, lang)
    return text


@dataclass(frozen=True, eq=True, slots=True)
class Problem:
    """One problem as data: a stable ``code`` and its ``params`` (never a finished text).

    ``catalog`` names the table of texts when it is not :data:`CODES` (a module's own
    ``code -> (English, 简体中文)`` dict, e.g. the file checks' refusals).  A value check's
    params (column name, bounds) are shared by the bad cells of a column; each cell's
    value is its own ``value``."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    catalog: Mapping[str, tuple[str, str]] | None = field(default=None, compare=False, hash=False)
    value: Any = None
    """The ``{value}`` of the text when ``params`` has none (a bad cell's value)."""

    def render(self, lang: str) -> str:
        """The long form in ``lang``."""
        return render(self.code, self.params, lang, self.catalog, self.value)

    def __str__(self) -> str:
        return cell_text(self)


def cell_text(problem: Problem, prefix: bool = True) -> str:
    """The short in-cell form of a value check's problem: ``#CSQ! csat 7 not in 1-5``."""
    text = CELL_FORMS[problem.code].format_map(_Worded(problem.params, "en", problem.value))
    return f"{ERROR_PREFIX} {text}" if prefix else text

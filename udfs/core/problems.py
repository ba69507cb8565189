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
    "config_report_format": (
        "report format {value!r} is not one of {allowed}; the other formats are written",
        "报告格式 {value!r} 无法识别（可用：{allowed}）；其余格式照常生成",
    ),
    # ---- issue 19: scope: teams, segments, filter, compare
    "scope_where_field": (
        "--where {value}: use FIELD=V1,V2 with one of these fields: {fields}",
        "--where {value}：请使用 字段=值1,值2，字段可为：{fields}",
    ),
    "scope_where_empty": (
        "--where {value}: no value given for {field}",
        "--where {value}：未给出 {field} 的取值",
    ),
    "scope_by_field": (
        "--by {value}: not a field to divide the report by; use one of: {fields}",
        "--by {value}：不能按此字段分章；可用字段：{fields}",
    ),
    "scope_no_field": (
        "the Monitoring table has no {field} column to select or divide by",
        "监测表没有“{field}”列，无法按其筛选或分章",
    ),
    "scope_no_match": (
        "no contact has {field} {values}; the values present: {present}",
        "没有“{field}”为 {values} 的联系记录；现有取值：{present}",
    ),
    "scope_no_ids": (
        "none of the {values} listed contact ids is in the Monitoring table ({present} ids)",
        "所列 {values} 个工单编号均不在监测表中（表中共 {present} 个编号）",
    ),
    "scope_empty_period": (
        "no contacts in the report period {period}{scope}; periods with data: {periods}",
        "报告期 {period} 没有联系记录{scope}；有数据的期间：{periods}",
    ),
    "scope_all_future": (
        "every contact is dated after the as-of date {as_of}; periods with data: {periods}",
        "所有联系记录都晚于评估日期 {as_of}；有数据的期间：{periods}",
    ),
    "scope_no_dates": (
        "no contact has a usable contact time; no report period",
        "没有任何联系记录具有可用的联系时间；无法确定报告期",
    ),
    "scope_future_contact": (
        "{header}: {value} is after the as-of date {as_of}; "
        "not used to choose the default report period",
        "{header}：{value} 晚于评估日期 {as_of}；不用于确定默认报告期",
    ),
    "scope_bad_cell": (
        "{item}: {value} is not usable and is ignored; a field ({fields}) or "
        "FIELD=V1,V2, or a whole number of contacts",
        "{item}：{value} 无法使用，已忽略；应为字段（{fields}）、字段=值1,值2 或联系数（整数）",
    ),
    "rollup_config_differs": (
        "its Config sheet differs from the department's ({base}): {cells}; "
        "the department's settings are used",
        "其配置表与部门配置（{base}）不同：{cells}；已使用部门配置",
    ),
    "rollup_duplicate_id": (
        "{header}: {value} is also in {other}; counted once",
        "{header}：{value} 也出现在 {other} 中；只计一次",
    ),
    "rollup_team_missing": (
        "{name} could not be used ({reason}); the department figures lack team {team}",
        "{name} 无法使用（{reason}）；部门数据缺少班组 {team}",
    ),
    # ---- issue 20: seed templates: process compliance, customer level, source
    "month_only_time": (
        "{header}: {n} row(s) give only a month (e.g. {value}): each is a contact of that "
        "month, left out of the hour and weekday figures",
        "{header}：{n} 行只填了月份（如 {value}）：计为该月的联系，不参与时段和星期分析",
    ),
    "contact_id_blank": (
        "{header}: blank in {n} row(s): duplicates cannot be checked for them",
        "{header}：{n} 行为空，这些行无法检查重复",
    ),
    "agent_id_blank": (
        "{header}: blank in {n} row(s): agent rankings and feedback skip them",
        "{header}：{n} 行为空，客服排名与个人反馈不含这些行",
    ),
    "new_choice": (
        "{header}: {value} is not on the Config list; accepted and counted as typed ({n} row(s))",
        "{header}：{value} 不在配置表的选项中，已按原文计入（{n} 行）",
    ),
    "typed_count_differs": (
        "{header}: {problem} typed {value}, but the Monitoring sheet counts {count}; the "
        "Monitoring count is used",
        "{header}：{problem} 填写为 {value}，监测表计数为 {count}；以监测表计数为准",
    ),
    "step_time_bad": (
        "{header}: {value} is not a time of 0 or more; the step is left out for this contact",
        "{header}：{value} 不是不小于 0 的时长；该步骤对本条记录不计",
    ),
    "process_ok_disagrees": (
        "{header}: the reviewer typed {value} but the measured steps give {measured} "
        "({step}); the reviewer's value is used",
        "{header}：质检员填写 {value}，按各步骤时限测得为 {measured}（{step}）；以质检员填写为准",
    ),
    # ---- issue 21: the improvement loop
    "action_metric_unknown": (
        "{header}: {value} is not a KPI CSQ can re-measure; the effect is not computed; "
        "allowed: a KPI key or name such as fcr, csat_mean, 首次解决率",
        "{header}：{value} 不是可复测的指标，未计算效果；允许：指标键或名称，如 fcr、csat_mean、首次解决率",
    ),
    "action_scope_empty": (
        "{header}: {value} matches no contact on the Monitoring sheet; the action's effect "
        "has no data",
        "{header}：{value} 在监测表中没有匹配的记录，该措施的效果无数据",
    ),
    "action_done_before_start": (
        "{header}: {value} is before the start date {start}; the effect is not computed",
        "{header}：{value} 早于开始日期 {start}，未计算效果",
    ),
    "action_sop_unverified": (
        "{header}: marked as in the SOP but its effect is not verified as met ({state})",
        "{header}：已标记纳入SOP，但效果未经复测确认达标（{state}）",
    ),
    "action_draft_to_fill": (
        "{header}: to be filled (a draft action, not started)" + _ALLOWED_EN,
        "{header}：待填写（未开始的措施草稿）" + _ALLOWED_ZH,
    ),
    "loop_setting": (
        "{item}: {value} is not a whole number in range; the default {default} is used",
        "{item}：{value} 不是有效的整数，已使用默认值 {default}",
    ),
    # ---- issue 22: hostile inputs, second round
    "no_contact_time": (
        "not one of the {n} contact(s) has a readable contact time (first bad cells: {cells}); "
        "nothing can be reported",
        "{n} 条记录中没有一条的联系时间可以读取（首批错误单元格：{cells}）；无法生成报告",
    ),
    "sheet_chosen": (
        "several sheets qualify as {expected}: {sheet} is read, {others} not (visible "
        "sheets before hidden ones, then the one with the most known headers)",
        "有多个工作表可作为{expected}：读取 {sheet}，未读取 {others}（可见工作表优先于隐藏的，"
        "其次取可识别表头最多的）",
    ),
    "config_duplicate_key": (
        "{value} is typed a second time (first on row {first}); only row {first} is used",
        "{value} 重复填写（首次在第 {first} 行）；只使用第 {first} 行",
    ),
    "config_points_count": (
        "{n} band limit(s) need {need} band points (one per band, the last above the last "
        "limit), {got} given; the default bands and points are used",
        "{n} 个分段阈值需要 {need} 个分值（每段一个，最后一个用于超过最后阈值的部分），"
        "当前为 {got} 个；已使用默认分段与分值",
    ),
    "config_source": (
        "the source of an indicator is fixed ({source}); the edited value is ignored",
        "指标的数据来源是固定的（{source}）；修改后的值未被采用",
    ),
    "duplicate_id_hidden": (
        "{header}: {value} is a duplicate of row {first} once its invisible characters "
        "(shown as \\u200b etc.) are removed; each contact needs its own id",
        "{header}：{value} 去掉不可见字符（显示为 \\u200b 等）后与第 {first} 行重复；"
        "每条记录的编号必须唯一",
    ),
    "duplicate_problem": (
        "{header}: {value} is listed again (first on row {first}); only row {first} is used",
        "{header}：{value} 重复列出（首次在第 {first} 行）；只使用第 {first} 行",
    ),
    "csv_too_many_fields": (
        "the record has {got} fields, the header {n}: a delimiter in an unquoted text "
        "shifts the rest; the record is not imported (put such a text in quotes)",
        "该记录有 {got} 个字段，表头为 {n} 个：未加引号的文本中含分隔符，后面的字段会错位；"
        "该记录未导入（请给此类文本加引号）",
    ),
    "csv_too_few_fields": (
        "the record has {got} fields, the header {n}; the missing fields are read as blank",
        "该记录有 {got} 个字段，表头为 {n} 个；缺少的字段按空白读取",
    ),
    "not_finite": (
        "{header}: the cell holds {value}, which is no number (written by another program); "
        "the cell is not used",
        "{header}：单元格内容为 {value}，不是数字（由其他程序写入）；该单元格不参与计算",
    ),
    "not_finite_critical": (
        "{header}: the cell holds {value}, which is no value; counted as a critical error "
        "until it is corrected",
        "{header}：单元格内容为 {value}，不是有效值；更正前按有致命错误计",
    ),
    "convert_unknown_columns": (
        "{sheet}: column(s) {columns} are not columns of the template and would be lost; "
        "nothing written (move them to a sheet of their own or delete them, then convert)",
        "{sheet}：列 {columns} 不是模板中的列，转换后会丢失；未写入任何文件（请移到单独的工作表或删除后再转换）",
    ),
    "formula_error": (
        "{header}: the formula gives the error {value}; the cell is not used until the "
        "formula is fixed",
        "{header}：公式结果为错误值 {value}；修正公式前该单元格不参与计算",
    ),
    "formula_error_critical": (
        "{header}: the formula gives the error {value}; counted as a critical error until "
        "the formula is fixed",
        "{header}：公式结果为错误值 {value}；修正公式前按有致命错误计",
    ),
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

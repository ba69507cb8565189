"""Editable lists on the Config sheet (targets, keywords, choice lists ...), declared once.

A :class:`ConfigTable` is a small table below the settings of the Config sheet: a marker
row (``table.<key>`` in column A, the title beside it), a header row, the default rows in
the sheet's language and some blank rows for the user's own.  The builder writes every
table of :data:`CONFIG_TABLES`; :func:`read_table` reads one back from the sheet's raw
cells, whatever language the sheet is in, with a finding for every cell it cannot use.
Adding a list to the Config sheet is one declaration here; what the rows *mean* (a KPI
key, a keyword's category) is checked by the code that uses them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from udfs.core.data import Finding
from udfs.core.fields import Lang
from udfs.core.problems import Text
from udfs.core.recommendations import DEFAULT_RECOMMENDATIONS, RECOMMENDATION_LABELS
from udfs.core.sampling import POPULATION_FIGURES
from udfs.core.tagging import DEFAULT_KEYWORDS, POLARITY_LABELS
from udfs.core.targets import DEFAULT_TARGETS, DIRECTIONS, HIGHER, LOWER, TARGET_KPIS, kpi_label
from workbook_templates.schema import col_letter

CellKind = Literal["text", "number", "choice"]
MARKER = "table."
"""Column A of a table's marker row holds ``table.<key>``."""


@dataclass(frozen=True)
class TableColumn:
    """One column of a Config table."""

    key: str
    zh: str
    en: str
    kind: CellKind = "text"
    choices: tuple[str, ...] = ()
    """For ``kind='choice'``: the accepted values (a dropdown; any language's spelling)."""
    required: bool = False
    dropdown: Callable[[Lang], tuple[str, ...]] | None = None
    """The dropdown in the sheet's language when it differs from ``choices`` (which then
    also accepts the keys and the other language's labels)."""
    width: float = 0
    """Column width wanted on the Config sheet (0: the sheet's own width)."""

    def header(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class ConfigTable:
    """A list on the Config sheet: its key, title, columns and default rows."""

    key: str
    zh: str
    en: str
    columns: tuple[TableColumn, ...]
    defaults: Callable[[Lang], Sequence[Sequence[Any]]] = field(default=lambda lang: ())
    """The rows written into a new workbook, in the sheet's language (one value per column)."""
    note_zh: str = ""
    note_en: str = ""
    spare_rows: int = 10
    """Blank editable rows below the defaults, for the user's own entries."""
    names: tuple[tuple[str, str], ...] = ()
    """(column key, workbook-level defined name) pairs: the name covers that column's rows
    (defaults and spare rows), so a formula can pass the list to a CSQ_ function."""

    def title(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def note(self, lang: Lang) -> str:
        return self.note_zh if lang == "zh" else self.note_en

    @property
    def marker(self) -> str:
        return f"{MARKER}{self.key}"


def _target_defaults(lang: Lang) -> list[tuple[Any, ...]]:
    """The default targets, each KPI by its label in the sheet's language (the reader
    takes a label of either language or the key, udfs.core.targets.metric_key)."""
    zh = lang == "zh"
    return [
        (
            kpi_label(t.kpi, lang),
            None,
            t.target,
            (HIGHER if t.higher_is_better else LOWER)[1 if zh else 0],
        )
        for t in DEFAULT_TARGETS
    ]


def _kpi_labels(lang: Lang) -> tuple[str, ...]:
    return tuple(kpi_label(k, lang) for k in TARGET_KPIS)


_KPI_ACCEPTED = (*TARGET_KPIS, *_kpi_labels("en"), *_kpi_labels("zh"))


TARGETS_TABLE = ConfigTable(
    key="targets",
    zh="KPI 目标",
    en="KPI targets",
    columns=(
        TableColumn(
            "kpi",
            "指标",
            "KPI",
            "choice",
            _KPI_ACCEPTED,
            required=True,
            dropdown=_kpi_labels,
            width=18,
        ),  # fmt: skip
        TableColumn("name", "备注", "Notes"),
        TableColumn("target", "目标值", "Target", "number", required=True),
        TableColumn("direction", "方向", "Better when", "choice", DIRECTIONS),
    ),
    defaults=_target_defaults,
    note_zh="比率填 0-1 或百分数（85 = 85%）；删除一行即不设该目标",
    note_en="rates as 0-1 or per cent (85 = 85 %); delete a row to drop that target",
    spare_rows=4,
)
"""The report's targets (udfs.core.targets): KPI key, target, higher or lower is better."""


RECOMMENDATIONS_TABLE = ConfigTable(
    key="recommendations",
    zh="改进建议库",
    en="Recommendation library",
    columns=(
        TableColumn(
            "key",
            "适用于",
            "Applies to",
            "choice",
            (
                *DEFAULT_RECOMMENDATIONS,
                *(label for pair in RECOMMENDATION_LABELS.values() for label in pair),
            ),
            required=True,
            dropdown=lambda lang: tuple(
                zh if lang == "zh" else en for en, zh in RECOMMENDATION_LABELS.values()
            ),
        ),  # fmt: skip
        TableColumn("recommendation", "改进建议", "Recommendation", required=True),
    ),
    defaults=lambda lang: [
        (RECOMMENDATION_LABELS[k][1 if lang == "zh" else 0], zh if lang == "zh" else en)
        for k, (en, zh) in DEFAULT_RECOMMENDATIONS.items()
    ],
    note_zh="原因类别、薄弱评分维度或发现类型 -> 报告中的改进建议",
    note_en="cause category, weak rubric dimension or kind of finding -> the report's advice",
    spare_rows=4,
)
"""The report's recommendation library (udfs.core.recommendations), editable."""


# ---- the QA cycle (issue 11): keywords for tagging, the sample's record, population ----

NAME_KEYWORDS = "CSQ_Keywords"
NAME_KEYWORD_CATEGORIES = "CSQ_KeywordCategories"
POLARITY_CHOICES: tuple[str, ...] = ("负面", "正面", "negative", "positive")


def _keyword_defaults(lang: Lang) -> list[tuple[str, str, str]]:
    i = 0 if lang == "zh" else 1
    return [(k.keyword, k.category, POLARITY_LABELS[k.polarity][i]) for k in DEFAULT_KEYWORDS[lang]]


KEYWORDS = ConfigTable(
    "keywords",
    "反馈关键词（CSQ_TAG 与 --tag 使用）",
    "Feedback keywords (used by CSQ_TAG and --tag)",
    (
        TableColumn("keyword", "关键词", "Keyword", required=True),
        TableColumn("category", "问题类别", "Problem category", required=True),
        TableColumn("polarity", "正面/负面", "Positive/negative", "choice", POLARITY_CHOICES),
    ),
    defaults=_keyword_defaults,
    note_zh="最长的关键词优先；中文按子串匹配，英文不区分大小写",
    note_en="longest keyword first; Chinese matched as substrings, English ignoring case",
    spare_rows=15,
    names=(("keyword", NAME_KEYWORDS), ("category", NAME_KEYWORD_CATEGORIES)),
)

SAMPLING = ConfigTable(
    "sampling",
    "抽样记录（csq sample 填写）",
    "Sampling record (filled by csq sample)",
    (
        TableColumn("item", "项目", "Item", required=True),
        TableColumn("value", "值", "Value"),
        TableColumn("note", "说明", "Notes"),
    ),
    defaults=lambda lang: [
        (
            "min_ratio",
            0.1,
            "抽样比例低于此值时报告提示" if lang == "zh" else "the report flags a lower ratio",
        )
    ],
    spare_rows=2,
)

POPULATION_KEYS: tuple[str, ...] = ("contacts", "sampled", *POPULATION_FIGURES[1:])
"""The population figures recorded per period and per stratum (plus ``sampled``)."""

POPULATION = ConfigTable(
    "population",
    "总体数据（全部工单，非抽样）",
    "Population figures (every contact, not the sample)",
    (
        TableColumn("period", "期间", "Period"),
        TableColumn("stratum", "分层", "Stratum"),
        TableColumn("contacts", "总量", "Contacts", "number", required=True),
        TableColumn("sampled", "抽样数", "Sampled", "number"),
        TableColumn("answered", "接通量", "Answered", "number"),
        TableColumn("answer_rate", "接通率", "Answer rate", "number"),
        TableColumn("resolved_first_contact", "首次解决量", "Resolved first contact", "number"),
        TableColumn("fcr", "首次解决率", "FCR", "number"),
        TableColumn("avg_first_response_s", "平均首响(秒)", "Avg first response (s)", "number"),
        TableColumn("avg_handle_time_s", "平均处理时长(秒)", "Avg handle time (s)", "number"),
        TableColumn("service_level", "服务水平", "Service level", "number"),
        TableColumn("transfer_rate", "转接率", "Transfer rate", "number"),
        TableColumn("csat_mean", "满意度均值", "CSAT mean", "number"),
        TableColumn("csat_pct", "满意率", "CSAT %", "number"),
        # the denominators, so months combine exactly into a quarter (issue 23)
        TableColumn("answer_base", "接通率分母", "Answer rate base", "number"),
        TableColumn("fcr_base", "首次解决率分母", "FCR base", "number"),
        TableColumn("first_response_n", "首响样本数", "First responses", "number"),
        TableColumn("handle_time_n", "处理时长样本数", "Handle times", "number"),
        TableColumn("transfer_base", "转接率分母", "Transfer rate base", "number"),
        TableColumn("csat_n", "满意度样本数", "CSAT ratings", "number"),
    ),
    note_zh="期间留空=全部期间；分层留空=全部；比率为 0-1；分母与样本数用于按月合并为季度、年度",
    note_en="blank period = all periods; blank stratum = everyone; rates 0-1; the bases and "
    "counts combine months into a quarter or year",
    spare_rows=3,
)


# ---- the improvement loop (issue 21) ----

_LOOP_NOTES: dict[str, tuple[str, str]] = {
    "before_days": ("改进前窗口天数（止于开始日期前一天）", "days of the before-window (ending the day before the start)"),
    "after_offset_days": ("完成后第几天开始复测（1-2周）", "days after completion the after-window opens (1-2 weeks)"),
    "after_days": ("复测窗口天数", "days of the after-window"),
    "min_n": ("复测结论所需最少记录数", "contacts a window needs for a verdict"),
    "stale_days": ("进行中措施超过此天数未更新即提示", "an open action not updated for longer is flagged"),
}  # fmt: skip

LOOP = ConfigTable(
    "loop",
    "改进闭环（效果复测与周跟踪）",
    "Improvement loop (re-measurement and weekly tracking)",
    (
        TableColumn("item", "项目", "Item", required=True),
        TableColumn("value", "值", "Value", "number"),
        TableColumn("note", "说明", "Notes"),
    ),
    defaults=lambda lang: [
        (k, v, _LOOP_NOTES[k][0 if lang == "zh" else 1])
        for k, v in (
            ("before_days", 30),
            ("after_offset_days", 7),
            ("after_days", 14),
            ("min_n", 20),
            ("stale_days", 7),
        )
    ],
    spare_rows=0,
)


# ---- the Monitoring dropdowns (issue 12) ----


def _choice_defaults(name: str) -> Callable[[Lang], Sequence[Sequence[Any]]]:
    def rows(lang: Lang) -> Sequence[Sequence[Any]]:
        from udfs.core.fields import CHOICES

        return [(c.label(lang),) for c in CHOICES[name]]

    return rows


def _choice_list(
    field: str,
    zh: str,
    en: str,
    defaults: Callable[[Lang], Sequence[Sequence[Any]]] | None = None,
    note_zh: str = "监测表下拉列表的选项；可修改或在空行中新增（新增的选项按原文统计）",
    note_en: str = "the choices of the Monitoring dropdown; edit them or add yours in the "
    "blank rows (an added choice is counted as typed)",
    spare_rows: int = 6,
) -> ConfigTable:
    """An editable dropdown list of a Monitoring column (channel, service type, problem
    category), named ``CSQ_List_<field>``."""
    return ConfigTable(
        key=f"choices.{field}",
        zh=zh,
        en=en,
        columns=(TableColumn("value", "选项", "Choice", width=16),),
        defaults=defaults or _choice_defaults(field),
        note_zh=note_zh,
        note_en=note_en,
        spare_rows=spare_rows,
        names=(("value", f"CSQ_List_{field}"),),
    )


OTHER_CATEGORY: dict[Lang, str] = {"zh": "其他", "en": "Other"}


def default_problem_categories(lang: Lang) -> tuple[str, ...]:
    """The problem types of a new workbook: the complaint categories of the default keyword
    list (so ``CSQ_TAG`` tags into this list), in list order, then "其他/Other" (the
    Pareto's last row)."""
    out: list[str] = []
    for k in DEFAULT_KEYWORDS[lang]:
        if k.polarity == "negative" and k.category not in out:
            out.append(k.category)
    out.append(OTHER_CATEGORY[lang])
    return tuple(out)


NAME_PROBLEM_CATEGORIES = "CSQ_List_problem_category"

CHOICE_LISTS: tuple[ConfigTable, ...] = (
    _choice_list("channel", "渠道选项", "Channel choices"),
    _choice_list("service_type", "服务类型选项", "Service type choices"),
    _choice_list("customer_level", "客户等级选项", "Customer level choices"),  # issue 20
    _choice_list("source", "来源选项", "Source choices"),
    _choice_list(
        "problem_category",
        "问题类别选项",
        "Problem category choices",
        defaults=lambda lang: [(c,) for c in default_problem_categories(lang)],
        note_zh="问题分析表“问题类型”下拉列表的选项；监测表的问题类别从问题分析表的问题中选择",
        note_en="the Problems sheet's Problem dropdown; Monitoring's problem category offers "
        "that sheet's problems",
        spare_rows=10,
    ),
)
"""The Config lists that drive the dropdowns (issue 12): channel and service type on
Monitoring; problem category on the Problems sheet's Problem column, whose problems are in
turn the Monitoring problem-category dropdown."""

CONFIG_TABLES: tuple[ConfigTable, ...] = (
    TARGETS_TABLE,
    RECOMMENDATIONS_TABLE,
    KEYWORDS,
    SAMPLING,
    POPULATION,
    LOOP,
    *CHOICE_LISTS,
)
"""Every list the Config sheet holds, in sheet order (each issue's lists are added here)."""


def table_by_key(key: str) -> ConfigTable:
    for t in CONFIG_TABLES:
        if t.key == key:
            return t
    raise KeyError(key)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def cell_name(row: int, col: int, absolute: bool = False) -> str:
    """The A1 name of a 0-based cell (``$C$5`` when ``absolute``)."""
    letters = col_letter(col)
    return f"${letters}${row + 1}" if absolute else f"{letters}{row + 1}"


def read_table(
    grid: list[list[Any]], table: ConfigTable, sheet: str, lang: Lang = "en"
) -> tuple[list[dict[str, Any]] | None, list[Finding]]:
    """The rows of ``table`` on a Config sheet given as raw cell values (0-based rows).

    Returns ``None`` when the sheet has no such table (an older workbook: the caller uses
    its defaults), else one dict per filled row (column key -> value; ``_row`` the Excel
    row number) and a finding for each cell that is not usable (the row is then left out).
    Blank rows are skipped; the table ends at the next marker row or the end of the sheet.
    """
    start = None
    for r, row in enumerate(grid):
        if row and isinstance(row[0], str) and row[0].strip() == table.marker:
            start = r
            break
    if start is None:
        return None, []
    rows: list[dict[str, Any]] = []
    findings: list[Finding] = []
    r = start + 2  # the marker row, then the header row
    while r < len(grid):
        row = grid[r]
        first = row[0] if row else None
        if isinstance(first, str) and first.strip().startswith(MARKER):
            break
        values = [row[c] if c < len(row) else None for c in range(len(table.columns))]
        if all(_blank(v) for v in values):
            r += 1
            continue
        out: dict[str, Any] = {"_row": r + 1}
        ok = True
        for c, (col, v) in enumerate(zip(table.columns, values, strict=True)):
            name = {"col": Text(col.en, col.zh)}
            if _blank(v):
                if col.required:
                    where = (sheet, cell_name(r, c), "")
                    findings.append(Finding.of("config_table_required", *where, "", name, lang))
                    ok = False
                out[col.key] = None
            elif col.kind == "number":
                if isinstance(v, bool) or not isinstance(v, (int, float)):
                    try:
                        v = float(str(v).strip().replace(",", ""))
                    except ValueError:
                        where = (sheet, cell_name(r, c), "")
                        findings.append(
                            Finding.of("config_table_number", *where, str(v), name, lang)
                        )
                        ok = False
                        continue
                out[col.key] = float(v)
            elif col.kind == "choice":
                text = str(v).strip()
                if col.choices and text.casefold() not in {x.casefold() for x in col.choices}:
                    allowed = " / ".join(col.choices)
                    params = {**name, "allowed": allowed}
                    where = (sheet, cell_name(r, c), "")
                    findings.append(Finding.of("config_table_choice", *where, text, params, lang))
                    ok = False
                    continue
                out[col.key] = text
            else:
                if isinstance(v, float) and v.is_integer():
                    v = int(v)
                if isinstance(v, (_dt.datetime, _dt.date)):
                    v = v.isoformat()
                out[col.key] = str(v).strip()
        if ok:
            rows.append(out)
        r += 1
    return rows, findings

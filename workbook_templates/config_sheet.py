"""The Config sheet: its layout (rows, named ranges) and the parser that reads it back.

Column A of every setting row holds a stable machine key (``contact.speed``,
``grades.pass``, ``service_level_s`` ...), column B the label in the sheet's language and
column C the value the user edits; indicator rows add group, source, rule, bands and points
in columns D-H.  The workbook-level names below point at column C, so the CSQ_ functions
(UDF mode) and the native formulas (portable mode) recalculate when a weight changes.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from udfs.core.config import (
    DEFAULT_CONFIG,
    GROUP_LABELS,
    ConfigError,
    Indicator,
    ScoringConfig,
    format_validation_error,
)
from udfs.core.data import Finding
from udfs.core.fields import Lang
from udfs.core.i18n import Catalog
from workbook_templates import config_tables
from workbook_templates.config_tables import MARKER, cell_name
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

VALUE_COL = 2  # column C
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
_SETTINGS: tuple[tuple[str, str, str, str, str, str, str | None], ...] = (
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
        None,
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
)

UNIT_CHOICES: tuple[str, ...] = ("s", "min", "h")
_UNIT_ALIASES: dict[str, str] = {
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
    zh = lang == "zh"
    i = 0 if zh else 1
    cells: list[ConfigCell] = [ConfigCell(0, 0, TITLE[lang], "title")]
    names: dict[str, str] = {}
    sheet = f"'{CONFIG.name(lang)}'"
    row = 2
    for prefix, inds, name in (
        ("contact", config.contact_indicators, NAME_WEIGHTS),
        ("team", config.team_indicators, NAME_TEAM_WEIGHTS),
    ):
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
        names[name] = f"{sheet}!{_abs(first, VALUE_COL)}:{_abs(row - 1, VALUE_COL)}"
        row += 1
    cells.append(ConfigCell(row, 0, SECTION["settings"][i], "section"))
    row += 1
    for c, h in enumerate(SETTING_HEADERS[lang]):
        cells.append(ConfigCell(row, c, h, "header"))
    row += 1
    for key, lzh, len_, nzh, nen, kind, name in _SETTINGS:
        cells += [
            ConfigCell(row, 0, key, "key"),
            ConfigCell(row, 1, lzh if zh else len_, "label"),
        ]
        if kind == "date":
            cells.append(ConfigCell(row, 2, "=TODAY()", "formula", "yyyy-mm-dd"))
        elif kind == "unit":  # s / min / h, a dropdown
            cells.append(ConfigCell(row, 2, str(getattr(config, key)), "entry", None, UNIT_CHOICES))
        elif kind == "count":  # optional, blank until the user knows it
            cells.append(ConfigCell(row, 2, population, "value", "#,##0"))
        elif kind == "period":  # optional text, blank = the latest month
            cells.append(ConfigCell(row, 2, None, "entry", "@"))
        else:
            fmt = "0" if kind == "int" else "0.##"
            cells.append(ConfigCell(row, 2, float(_setting_value(config, key)), "value", fmt))
        if nzh:
            cells.append(ConfigCell(row, 3, nzh if zh else nen, "info"))
        if key == "grades.excellent":
            grade_first = row
        if name:
            names[name] = f"{sheet}!{_abs(row, VALUE_COL)}"
        row += 1
    names[NAME_GRADE_THRESHOLDS] = (
        f"{sheet}!{_abs(grade_first, VALUE_COL)}:{_abs(grade_first + 2, VALUE_COL)}"
    )
    for table in config_tables.CONFIG_TABLES:
        row += 1
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
                cells.append(ConfigCell(row, c, v, "entry", fmt, col.choices))
            row += 1
        keys = [col.key for col in table.columns]
        for col_key, name in table.names:
            c = keys.index(col_key)
            names[name] = f"{sheet}!{_abs(first_entry, c)}:{_abs(max(row - 1, first_entry), c)}"
    return ConfigLayout(tuple(cells), dict(sorted(names.items())))


# ---------------------------------------------------------------------------- parsing

_MSG: dict[str, tuple[str, str]] = {
    # key: (English, 简体中文) - findings about Config sheet cells, in the sheet's language
    "weight": (
        "weight must be a number 0 or more; the default is used",
        "权重须为不小于 0 的数字；已使用默认值",
    ),
    "group": (
        "group must be one of efficiency/professionalism/attitude/result",
        "分组须为 效率/专业/态度/结果 之一",
    ),
    "rule": ("rule must be one of {rules}", "规则须为 {rules} 之一"),
    "numbers": (
        "{field} must be numbers separated by ';' (e.g. 30;60)",
        "{field} 须为以“;”分隔的数字（如 30;60）",
    ),
    "indicator": (
        "indicator {key!r} is invalid ({msg}); the default is used",
        "指标 {key!r} 无效（{msg}）；已使用默认值",
    ),
    "setting": (
        "{label} must be {what}; the default is used",
        "{label} 须为{what}；已使用默认值",
    ),
    "weight_scale": (
        "weight {w} is a fraction beside whole-point weights ({others}): was {pct} meant? "
        "Weights are points, e.g. {points}; the dimension counts {share} of the total as typed",
        "权重 {w} 是小数，而其他权重为整数分值（{others}）：是否想填 {pct}？权重按分值填写，"
        "如 {points}；按现值该项只占总权重的 {share}",
    ),
    "whole": ("a whole number", "整数"),
    "number": ("a number", "数字"),
    "fallback": ("{msg}; the defaults for {part} are used", "{msg}；{part} 已使用默认值"),
    "population": (
        "contacts handled must be a whole number of 1 or more, or blank; it is ignored",
        "接待量须为不小于 1 的整数，或留空；已忽略",
    ),
}


_msg = Catalog(_MSG)


def _cell_name(row: int, col: int) -> str:
    return cell_name(row, col)


def _is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())


_RULE_ZH: tuple[tuple[str, str], ...] = (
    (r"bands must be in ascending order, got (.*)", "分段阈值须从小到大排列，当前为 {0}"),
    (r"rule 'bands' needs at least one threshold in 'bands'", "“bands”规则至少需要一个分段阈值"),
    (
        r"bands has (\d+) thresholds so points needs (\d+) values, got (\d+)",
        "有 {0} 个分段阈值，分值须为 {1} 个，当前为 {2} 个",
    ),
    (r"weight must be 0 or more, got (.*)", "权重须不小于 0，当前为 {0}"),
)


def _validation_words(exc: Exception, lang: str) -> str:
    """A validation error in words (pydantic's own text carries a documentation URL and
    type codes a QA lead has no use for), in ``lang``."""
    import re

    errors = getattr(exc, "errors", None)
    try:
        texts = [str(e["msg"]).removeprefix("Value error, ") for e in errors()]  # type: ignore[misc]
    except Exception:  # noqa: BLE001 - not a pydantic error
        texts = [str(exc).splitlines()[0] if str(exc) else type(exc).__name__]
    if lang == "zh":
        for i, text in enumerate(texts):
            for pattern, zh in _RULE_ZH:
                m = re.fullmatch(pattern, text)
                if m:
                    texts[i] = zh.format(*m.groups())
                    break
    return "; ".join(texts) if lang != "zh" else "；".join(texts)


def _fmt_num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _number(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return None if v != v else float(v)
    if isinstance(v, str):
        try:
            return float(v.strip().rstrip("%")) / (100 if v.strip().endswith("%") else 1)
        except ValueError:
            return None
    return None


def _numbers(v: Any) -> tuple[float, ...] | None:
    if _is_blank(v):
        return ()
    n = _number(v)
    if n is not None:
        return (n,)
    if isinstance(v, str):
        parts = [p for p in v.replace("，", ";").replace(",", ";").replace("；", ";").split(";")]
        out = [_number(p) for p in parts if p.strip()]
        if out and all(x is not None for x in out):
            return tuple(x for x in out if x is not None)
    return None


def _lookup_group(v: Any) -> str | None:
    if not isinstance(v, str):
        return None
    s = v.strip().casefold()
    for key, (lzh, len_) in GROUP_LABELS.items():
        if s in (key, lzh.casefold(), len_.casefold()):
            return key
    return None


def _lookup_rule(v: Any) -> str | None:
    if not isinstance(v, str):
        return None
    s = v.strip().casefold()
    for key, (lzh, len_) in RULE_LABELS.items():
        if s in (key, lzh.casefold(), len_.casefold()):
            return key
    return None


def _detect_lang(grid: list[list[object]]) -> Lang:
    for r in grid[:4]:
        for v in r[:2]:
            if isinstance(v, str) and any("\u4e00" <= ch <= "\u9fff" for ch in v):
                return "zh"
    return "en"


def parse_config_grid(
    grid: list[list[object]], sheet: str | None = None, lang: str | None = None
) -> tuple[ScoringConfig, list[Finding]]:
    """Read the Config sheet's raw cell values back into a validated :class:`ScoringConfig`.

    ``grid`` is the sheet as a reader returns it (0-based rows of values, either language).
    Rows are found by the key in column A, so moved or reordered rows still parse.  A bad
    cell is reported as a :class:`Finding` (sheet, cell, value, what is allowed) and its
    default is used; if the whole set does not validate (e.g. all weights 0), the default
    of the offending part is used and the problem reported.  ``lang``: the findings'
    language (default: the sheet's own).
    """
    detected = _detect_lang(grid)
    sheet = sheet or CONFIG.name(detected)
    lang = lang if lang in ("zh", "en") else detected
    findings: list[Finding] = []
    data = DEFAULT_CONFIG.model_dump(by_alias=True)
    defaults = {
        "contact": {i.key: i for i in DEFAULT_CONFIG.contact_indicators},
        "team": {i.key: i for i in DEFAULT_CONFIG.team_indicators},
    }
    found: dict[str, list[dict[str, Any]]] = {"contact": [], "team": []}
    rows_of: dict[str, int] = {}
    weights: dict[str, list[tuple[int, float, Any, str]]] = {}

    def bad(r: int, c: int, v: Any, rule: str, key: str) -> None:
        findings.append(
            Finding(sheet, _cell_name(r, c), "" if _is_blank(v) else str(v), rule, "error", key)
        )

    def cell(r: int, c: int) -> Any:
        row = grid[r]
        return row[c] if c < len(row) else None

    for r, row in enumerate(grid):
        if not row or not isinstance(row[0], str):
            continue
        key = row[0].strip()
        if key.startswith(MARKER):
            break  # the lists below the settings (config_tables) are read on their own
        prefix, _, ikey = key.partition(".")
        if prefix in ("contact", "team") and ikey:
            base = defaults[prefix].get(ikey)
            ind: dict[str, Any] = (
                base.model_dump()
                if base
                else {"key": ikey, "label_zh": ikey, "label_en": ikey, "weight": 0.0}
            )
            label = cell(r, 1)
            if not _is_blank(label) and base is None:
                ind["label_zh"] = ind["label_en"] = str(label).strip()
            w = cell(r, 2)
            # a weight typed "10%" is 10 points beside weights of 15 and 20, not 0.1
            wn = _number(w.strip().removesuffix("%")) if isinstance(w, str) else _number(w)
            if wn is None or wn < 0:
                bad(r, 2, w, _msg("weight", lang), key)
                ind["weight"] = base.weight if base else 0.0
            else:
                ind["weight"] = wn
                weights.setdefault(prefix, []).append((r, wn, w, key))
            g = cell(r, 3)
            if not _is_blank(g):
                gk = _lookup_group(g)
                if gk is None:
                    bad(r, 3, g, _msg("group", lang), key)
                else:
                    ind["group"] = gk
            src = cell(r, 4)
            if not _is_blank(src):
                ind["source"] = str(src).strip()
            rl = cell(r, 5)
            if not _is_blank(rl):
                rk = _lookup_rule(rl)
                if rk is None:
                    bad(r, 5, rl, _msg("rule", lang, rules="/".join(RULE_LABELS)), key)
                else:
                    ind["rule"] = rk
            for c, field in ((6, "bands"), (7, "points")):
                v = cell(r, c)
                nums = _numbers(v)
                if nums is None:
                    bad(r, c, v, _msg("numbers", lang, field=field), key)
                elif nums or ind["rule"] == "bands":
                    ind[field] = nums or ind.get(field, ())
            try:
                Indicator.model_validate(ind)
            except Exception as exc:  # noqa: BLE001 - reported as a finding
                msg = _validation_words(exc, lang)
                bad(r, 0, key, _msg("indicator", lang, key=ikey, msg=msg), key)
                if base is None:
                    continue
                ind = base.model_dump()
            found[prefix].append(ind)
            rows_of[f"{prefix}_indicators"] = rows_of.get(f"{prefix}_indicators", r)
            continue
        setting = next((s for s in _SETTINGS if s[0] == key), None)
        if setting is None:
            continue
        kind = setting[5]
        v = cell(r, 2)
        rows_of[key] = r
        if key in ("as_of", "population", "report_period"):
            continue  # read with read_as_of() / read_population() / read_report_period()
        if kind == "unit":
            text = "" if v is None else str(v).strip().lower()
            unit = _UNIT_ALIASES.get(text)
            if unit is None:
                label = setting[1] if lang == "zh" else setting[2]
                bad(r, 2, v, _msg("setting", lang, label=label, what="s / min / h"), key)
            else:
                data[key] = unit
            continue
        n = _number(v)
        if n is None or (kind == "int" and not float(n).is_integer()):
            what = _msg("whole" if kind == "int" else "number", lang)
            label = setting[1] if lang == "zh" else setting[2]
            bad(r, 2, v, _msg("setting", lang, label=label, what=what), key)
            continue
        if key.startswith("grades."):
            data["grades"]["pass" if key == "grades.pass" else key.split(".")[1]] = n
        else:
            data[key] = int(n) if kind == "int" else n
    for prefix in ("contact", "team"):
        if found[prefix]:
            data[f"{prefix}_indicators"] = found[prefix]
        # a weight of 0.1 beside 15 and 20 is a "10%" typed into a percent cell: a finding
        typed = weights.get(prefix, [])
        whole = [wn for _, wn, _, _ in typed if wn >= 1]
        total = sum(wn for _, wn, _, _ in typed)
        for r, wn, w, key in typed:
            if whole and 0 < wn < 1 and total > 0:
                others = ", ".join(_fmt_num(x) for x in whole)
                text = _msg(
                    "weight_scale",
                    lang,
                    w=_fmt_num(wn),
                    others=others,
                    pct=f"{_fmt_num(wn * 100)}%",
                    points=_fmt_num(wn * 100),
                    share=f"{wn / total:.1%}",
                )
                bad(r, 2, w, text, key)
    return _validate_with_fallback(data, findings, sheet, rows_of, lang), findings


def _validate_with_fallback(
    data: dict[str, Any],
    findings: list[Finding],
    sheet: str,
    rows_of: dict[str, int],
    lang: Lang = "en",
) -> ScoringConfig:
    """Validate; on failure reset each offending top-level part to its default and retry."""
    defaults = DEFAULT_CONFIG.model_dump(by_alias=True)
    for _ in range(8):
        try:
            return ScoringConfig.model_validate(data)
        except Exception as exc:  # pydantic ValidationError
            from pydantic import ValidationError

            if not isinstance(exc, ValidationError):
                raise
            parts = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            if not parts:  # a model-level rule (e.g. pareto_b <= pareto_a, all weights 0)
                msg = format_validation_error(exc, data).split("\n  ", 1)[-1]
                parts = {
                    p
                    for p in ("pareto_a", "pareto_b", "contact_indicators", "team_indicators")
                    if p in msg
                } or {"pareto_a", "pareto_b"}
            msg = format_validation_error(exc, data).split("\n  ", 1)[-1].replace("\n  ", "; ")
            for p in sorted(parts):
                r = rows_of.get(p if p != "grades" else "grades.excellent")
                cell = _cell_name(r, VALUE_COL) if r is not None else ""
                findings.append(
                    Finding(sheet, cell, "", _msg("fallback", lang, msg=msg, part=p), "error", p)
                )
                data[p] = defaults[p]
    raise ConfigError("the Config sheet could not be read")  # pragma: no cover


def read_as_of(grid: list[list[object]]) -> _dt.date | None:
    """The as-of date cell's value (the cached value of ``=TODAY()`` when not overwritten)."""
    for row in grid:
        if row and isinstance(row[0], str) and row[0].strip() == "as_of" and len(row) > VALUE_COL:
            v = row[VALUE_COL]
            if isinstance(v, _dt.datetime):
                return v.date()
            if isinstance(v, _dt.date):
                return v
            if isinstance(v, (int, float)) and not isinstance(v, bool) and 1 <= v < 2958466:
                return _dt.date(1899, 12, 30) + _dt.timedelta(days=int(v))
            if isinstance(v, str) and v.strip():
                try:
                    return _dt.date.fromisoformat(v.strip()[:10].replace("/", "-"))
                except ValueError:
                    return None
    return None


def read_population(grid: list[list[object]], sheet: str) -> tuple[int | None, list[Finding]]:
    """The optional "contacts handled in the report period" cell: a whole number of 1 or
    more, or blank. It turns the sample size into a sampling ratio in the report."""
    for r, row in enumerate(grid):
        if not (row and isinstance(row[0], str) and row[0].strip() == "population"):
            continue
        v = row[VALUE_COL] if len(row) > VALUE_COL else None
        if _is_blank(v):
            return None, []
        n = _number(v)
        if n is not None and n >= 1 and float(n).is_integer():
            return int(n), []
        rule = _msg("population", _detect_lang(grid))
        return None, [Finding(sheet, _cell_name(r, VALUE_COL), str(v), rule, "error", "population")]
    return None, []


def read_report_period(grid: list[list[object]], sheet: str) -> tuple[str | None, list[Finding]]:
    """The optional "report period" cell (``2024-Q3`` ...), checked; blank -> ``None``.

    A value that is not a period is reported (with the accepted forms) and ignored, so the
    report falls back to the latest month."""
    from udfs.core.periods import PeriodError, parse_period

    for r, row in enumerate(grid):
        if not (row and isinstance(row[0], str) and row[0].strip() == "report_period"):
            continue
        v = row[VALUE_COL] if len(row) > VALUE_COL else None
        if _is_blank(v):
            return None, []
        lang = _detect_lang(grid)
        try:
            return parse_period(v, lang).label, []
        except PeriodError as exc:
            return None, [
                Finding(sheet, _cell_name(r, VALUE_COL), str(v), str(exc), "error", "report_period")
            ]
    return None, []

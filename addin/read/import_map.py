"""The column map of ``csq import`` / ``csq sample``: a TOML file naming, for each
canonical field, the export's column, value maps, units and reading options.

:func:`load_map` reads and validates it (every problem a usage error naming the map's
line); the messages of the map and of the export reader (``addin.read.ticket_export``) are
one catalogue, :data:`message`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from udfs.core.errors import UsageError
from udfs.core.fields import IMPORT_REQUIRED, choice_lookup
from udfs.core.i18n import Catalog, default_lang
from workbook_templates.schema import MONITORING

UNITS: dict[str, float] = {
    "s": 1.0,
    "sec": 1.0,
    "seconds": 1.0,
    "ms": 0.001,
    "min": 60.0,
    "minutes": 60.0,
    "h": 3600.0,
    "hours": 3600.0,
    "hh:mm:ss": 1.0,
}
"""Accepted units, as seconds per unit."""
FIELD_UNIT_S = {"s": 1.0, "h": 3600.0}
"""Seconds per canonical unit, by the key's suffix (``_s`` seconds, ``_h`` hours)."""

_MESSAGES: dict[str, tuple[str, str]] = {
    "map_missing": ("{map}: map file not found", "{map}：映射文件不存在"),
    "map_toml": ("{map}: not valid TOML ({detail})", "{map}：不是有效的 TOML（{detail}）"),
    "map_section": (
        "{map}:{line}: unknown section [{name}]; allowed: [columns], [values.<key>], "
        "[units], [options]",
        "{map}:{line}：未知的节 [{name}]；允许：[columns]、[values.<键>]、[units]、[options]",
    ),
    "map_no_columns": (
        "{map}: the [columns] section is missing or empty",
        "{map}：缺少 [columns] 节或其为空",
    ),
    "map_key": (
        "{map}:{line}: [{section}] {key!r} is not a monitoring field; allowed: {allowed}",
        "{map}:{line}：[{section}] 中的 {key!r} 不是监测表字段；允许：{allowed}",
    ),
    "map_source": (
        "{map}:{line}: [columns] {key} must name a source header (text) or a list of "
        "headers, got {value!r}",
        "{map}:{line}：[columns] {key} 必须是源表头（文本）或表头列表，实际为 {value!r}",
    ),
    "map_required": (
        "{map}: [columns] must map the required field(s) {keys}",
        "{map}：[columns] 必须映射必需字段 {keys}",
    ),
    "map_values_unmapped": (
        "{map}:{line}: [values.{key}] maps values of a field that [columns] does not map",
        "{map}:{line}：[values.{key}] 对应的字段未在 [columns] 中映射",
    ),
    "map_value_target": (
        "{map}:{line}: [values.{key}] {source!r} = {target!r}: {target!r} is not allowed "
        "for {key}; allowed: {allowed}",
        "{map}:{line}：[values.{key}] {source!r} = {target!r}：{key} 不接受 {target!r}；"
        "允许：{allowed}",
    ),
    "map_unit_key": (
        "{map}:{line}: [units] {key}: only time fields take a unit ({allowed})",
        "{map}:{line}：[units] {key}：只有时长字段可以设置单位（{allowed}）",
    ),
    "map_unit": (
        "{map}:{line}: [units] {key} = {unit!r}: unknown unit; allowed: {allowed}",
        "{map}:{line}：[units] {key} = {unit!r}：未知单位；允许：{allowed}",
    ),
    "map_section_any": (
        "{map}:{line}: unknown section [{name}]; allowed: [columns], [values.<key>], "
        "[units], [options], [constants], [defaults]",
        "{map}:{line}：未知的节 [{name}]；允许：[columns]、[values.<键>]、[units]、[options]、"
        "[constants]、[defaults]",
    ),
    "map_derived": (
        "{map}:{line}: [columns] {key} = {{ from = ..., to = ... }}: only a time field "
        "({allowed}) can be the difference of two timestamp columns",
        "{map}:{line}：[columns] {key} = {{ from = ..., to = ... }}：只有时长字段（{allowed}）"
        "可以是两个时间列之差",
    ),
    "map_table": (
        "{map}:{line}: [columns] {key}: a table takes either from and to (two timestamp "
        "columns) or column and scale = [low, high]; got {value!r}",
        "{map}:{line}：[columns] {key}：表格形式只接受 from 与 to（两个时间列），或 column 与 "
        "scale = [最小值, 最大值]；实际为 {value!r}",
    ),
    "map_scale_key": (
        "{map}:{line}: [columns] {key}: only a number field with a range ({allowed}) can be "
        "rescaled",
        "{map}:{line}：[columns] {key}：只有有取值范围的数值字段（{allowed}）可以换算刻度",
    ),
    "map_scale": (
        "{map}:{line}: [columns] {key}: scale must be two numbers [low, high] with low below "
        "high, got {value!r}",
        "{map}:{line}：[columns] {key}：scale 须为两个数 [最小值, 最大值]，且最小值小于最大值，"
        "实际为 {value!r}",
    ),
    "map_fixed_value": (
        "{map}:{line}: [{section}] {key} = {value!r}: {problem}",
        "{map}:{line}：[{section}] {key} = {value!r}：{problem}",
    ),
    "map_constant_mapped": (
        "{map}:{line}: [constants] {key}: the field is mapped in [columns] too; keep one",
        "{map}:{line}：[constants] {key}：该字段已在 [columns] 中映射；只保留一处",
    ),
    "map_default_unmapped": (
        "{map}:{line}: [defaults] {key}: the field is not mapped in [columns] (for every row "
        "use [constants])",
        "{map}:{line}：[defaults] {key}：该字段未在 [columns] 中映射（整列同一值请用 [constants]）",
    ),
    "map_option": (
        "{map}:{line}: [options] {key!r} is unknown; allowed: {allowed}",
        "{map}:{line}：[options] 中的 {key!r} 未知；允许：{allowed}",
    ),
    "map_headers": (
        "{map}: source column(s) not in {export}: {missing}\n  headers in the export: {found}",
        "{map}：导出文件 {export} 中没有这些源列：{missing}\n  导出文件的表头：{found}",
    ),
    "export_suffix": (
        "{export}: expected a .csv or .xlsx export",
        "{export}：导出文件应为 .csv 或 .xlsx",
    ),
    "export_encoding": (
        "{export}: cannot decode the text (tried utf-8 and gbk); set [options] encoding",
        "{export}：无法解码文本（已尝试 utf-8 和 gbk）；请在 [options] 中设置 encoding",
    ),
    "export_empty": ("{export}: no header row found", "{export}：未找到表头行"),
    "export_sheet": (
        "{export}: no sheet {sheet!r}; sheets: {found}",
        "{export}：没有工作表 {sheet!r}；现有工作表：{found}",
    ),
    "map_encoding_text": (
        "{map}: cannot read the map's text (tried utf-8, utf-16 and gbk); save it as UTF-8",
        "{map}：无法读取映射文件的文本（已尝试 utf-8、utf-16 和 gbk）；请另存为 UTF-8",
    ),
    "map_encoding": (
        "{map}:{line}: [options] encoding = {value!r} is not a known text encoding; "
        "use e.g. utf-8, gbk, gb18030 or utf-16",
        "{map}:{line}：[options] encoding = {value!r} 不是已知的文本编码；"
        "请使用如 utf-8、gbk、gb18030 或 utf-16",
    ),
    "map_delimiter": (
        "{map}:{line}: [options] delimiter = {value!r} must be one character "
        '(e.g. ",", ";", "|" or "tab")',
        '{map}:{line}：[options] delimiter = {value!r} 必须是单个字符（如 ","、";"、"|" 或 "tab"）',
    ),
    "export_no_rows": (
        "{export}: no data rows below the header (line {line}); nothing to import",
        "{export}：表头（第 {line} 行）下没有数据行；没有可导入的内容",
    ),
    "export_decode_as": (
        "{export}: the text is not {encoding} ({detail}); check [options] encoding",
        "{export}：文本不是 {encoding} 编码（{detail}）；请检查 [options] encoding",
    ),
}


message = Catalog(_MESSAGES)
"""``message(key, lang, **values)``: the map's and the export's messages, zh/en."""


# ---- the map ------------------------------------------------------------------------------

INPUT_KEYS: tuple[str, ...] = MONITORING.input_keys
TIME_KEYS: tuple[str, ...] = tuple(
    c.key for c in MONITORING.columns if c.kind == "number" and c.key.endswith(("_s", "_h"))
)
OPTIONS: tuple[str, ...] = ("date_format", "encoding", "delimiter", "sheet", "status", "open")


SECTIONS: tuple[str, ...] = ("columns", "values", "units", "options", "constants", "defaults")
SCALED_KEYS: tuple[str, ...] = tuple(
    c.key
    for c in MONITORING.columns
    if c.role == "input"
    and c.kind in ("integer", "rubric")
    and c.field.min is not None
    and c.field.max is not None
)
"""Number fields with a range (CSAT, NPS, rubric ratings): a source on another scale
(``{ column = "Satisfaction", scale = [1, 10] }``) is rescaled linearly to it."""


@dataclass
class ImportMap:
    """A validated column map."""

    path: str
    columns: dict[str, list[str]]
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    """Field -> one value for every row (``[constants]``; the field has no column)."""
    defaults: dict[str, Any] = field(default_factory=dict)
    """Field -> the value of its blank cells (``[defaults]``; a mapped field)."""
    derived: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Time field -> (from, to) timestamp columns: the field is their difference (its
    ``columns`` entry holds both headers)."""
    scales: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Field -> (low, high) of its source's scale, rescaled linearly to the field's range."""
    keep_extras: bool = True
    """Read the export's columns the map does not name too (kept as extra columns of the
    Monitoring sheet, issue 23 item 5); False for ``csq sample``'s first pass."""

    def source_label(self, key: str) -> str:
        return " + ".join(self.columns.get(key, [key]))

    @property
    def sources(self) -> set[str]:
        """Every source header the map reads."""
        return {s for srcs in self.columns.values() for s in srcs}

    def extras(self, headers: list[str]) -> list[str]:
        """The export's headers the map does not name (each once, in the export's order;
        none without :attr:`keep_extras`): kept as extra columns."""
        if not self.keep_extras:
            return []
        sources = self.sources
        return list(dict.fromkeys(h for h in headers if h and h not in sources))

    def wanted(self, headers: list[str]) -> set[str]:
        """The source headers read: the mapped ones and the extra columns."""
        return self.sources | set(self.extras(headers))

    def only(self, keys: Iterable[str]) -> ImportMap:
        """The same map restricted to ``keys`` (``csq sample`` converts the whole export
        for the fields the strata and population figures need, the rest only for the
        sampled rows)."""
        wanted = set(keys)

        def keep(d: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in d.items() if k in wanted}

        return ImportMap(
            self.path,
            keep(self.columns),
            keep(self.values),
            keep(self.units),
            dict(self.options),
            keep(self.constants),
            keep(self.defaults),
            keep(self.derived),
            keep(self.scales),
            keep_extras=False,
        )


def _line_of(text: str, section: str, key: str | None = None) -> int:
    """Line number of ``[section]`` (or of ``key =`` inside it) in the TOML text."""
    current = None
    sec_line = 0
    for n, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        m = re.match(r"^\[\s*([^\]]+?)\s*\]", s)
        if m:
            current = m.group(1).replace('"', "").replace(" ", "")
            if current == section.replace(" ", ""):
                sec_line = n
                if key is None:
                    return n
            continue
        if key is not None and current == section.replace(" ", ""):
            k = s.split("=", 1)[0].strip().strip('"').strip("'") if "=" in s else None
            if k == key:
                return n
    return sec_line


def load_map(path: str | os.PathLike[str], lang: str | None = None) -> ImportMap:
    """Read and validate a column map; ``UsageError`` names the map line and the key."""
    lang = lang or default_lang()
    p = Path(path)
    if not p.is_file():
        raise UsageError(message("map_missing", lang, map=p))
    text = _map_text(p, lang)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(message("map_toml", lang, map=p, detail=exc)) from None
    for name in doc:
        if name not in SECTIONS:
            raise UsageError(
                message("map_section_any", lang, map=p, line=_line_of(text, name), name=name)
            )
    constants = _map_fixed(doc.get("constants") or {}, "constants", p, text, lang)
    columns, derived, scales = _map_columns(doc.get("columns"), set(constants), p, text, lang)
    for key in constants:
        if key in columns:
            line = _line_of(text, "constants", key)
            raise UsageError(message("map_constant_mapped", lang, map=p, line=line, key=key))
    defaults = _map_fixed(doc.get("defaults") or {}, "defaults", p, text, lang)
    for key in defaults:
        if key not in columns:
            line = _line_of(text, "defaults", key)
            raise UsageError(message("map_default_unmapped", lang, map=p, line=line, key=key))
    values = _map_values(doc.get("values") or {}, columns, p, text, lang)
    units = _map_units(doc.get("units") or {}, p, text, lang)
    options = _map_options(doc.get("options") or {}, p, text, lang)
    _check_options(options, p, text, lang)
    return ImportMap(str(p), columns, values, units, options, constants, defaults, derived, scales)


def _fixed_problem(key: str, value: Any, lang: str) -> str | None:
    """Why ``value`` cannot be written into field ``key`` (the field's own checks, as for
    a workbook cell), or None when it can."""
    import numpy as np

    from .cells import Converter

    conv = Converter(MONITORING, lang)
    col = MONITORING.column(key)
    _, errors, problems = conv.convert_cells(col, np.array([[value]], dtype=object))
    if errors[0, 0] is None:
        return None
    problem = problems.get(0) or errors[0, 0]
    return conv.finding(col, 0, 1, value, problem).rule


def _map_fixed(raw: Any, section: str, p: Path, text: str, lang: str) -> dict[str, Any]:
    """``[constants]`` / ``[defaults]``: field -> a value valid for that field (checked at
    load, as a workbook cell would be)."""
    out: dict[str, Any] = {}
    for key, value in (raw or {}).items():
        line = _line_of(text, section, key)
        if key not in INPUT_KEYS:
            allowed = ", ".join(INPUT_KEYS)
            raise UsageError(
                message(
                    "map_key", lang, map=p, line=line, section=section, key=key, allowed=allowed
                )
            )
        problem = _fixed_problem(key, value, lang)
        if problem is not None:
            raise UsageError(
                message(
                    "map_fixed_value",
                    lang,
                    map=p,
                    line=line,
                    section=section,
                    key=key,
                    value=value,
                    problem=problem,
                )
            )
        out[key] = value
    return out


def _map_columns(
    raw_cols: Any, constant: set[str], p: Path, text: str, lang: str
) -> tuple[dict[str, list[str]], dict[str, tuple[str, str]], dict[str, tuple[float, float]]]:
    """``[columns]``: each known field -> its source headers (every required field mapped
    or a constant), the derived durations and the rescaled fields."""
    if not isinstance(raw_cols, dict) or not raw_cols:
        raise UsageError(message("map_no_columns", lang, map=p))
    allowed = ", ".join(INPUT_KEYS)
    columns: dict[str, list[str]] = {}
    derived: dict[str, tuple[str, str]] = {}
    scales: dict[str, tuple[float, float]] = {}
    for key, src in raw_cols.items():
        line = _line_of(text, "columns", key)
        if key not in INPUT_KEYS:
            raise UsageError(
                message(
                    "map_key", lang, map=p, line=line, section="columns", key=key, allowed=allowed
                )
            )
        if isinstance(src, dict):
            src = _column_table(key, src, line, derived, scales, p, lang)
        srcs = [src] if isinstance(src, str) else src
        if (
            not isinstance(srcs, list)
            or not srcs
            or not all(isinstance(x, str) and x.strip() for x in srcs)
        ):
            raise UsageError(message("map_source", lang, map=p, line=line, key=key, value=src))
        columns[key] = [x.strip() for x in srcs]
    missing = [
        c.key
        for c in MONITORING.columns
        if (c.required or c.key in IMPORT_REQUIRED)
        and c.key not in columns
        and c.key not in constant
    ]
    if missing:
        raise UsageError(message("map_required", lang, map=p, keys=", ".join(missing)))
    derived = {k: (a.strip(), b.strip()) for k, (a, b) in derived.items()}
    return columns, derived, scales


def _column_table(
    key: str,
    table: dict[str, Any],
    line: int,
    derived: dict[str, tuple[str, str]],
    scales: dict[str, tuple[float, float]],
    p: Path,
    lang: str,
) -> Any:
    """A ``[columns]`` entry given as a table: ``{ from = "Created", to = "Replied" }`` (a
    time field, the difference of two timestamp columns) or ``{ column = "Score", scale =
    [1, 10] }`` (a field with a range, rescaled).  Returns the source header(s)."""
    if set(table) == {"from", "to"}:
        if key not in TIME_KEYS:
            allowed = ", ".join(TIME_KEYS)
            raise UsageError(
                message("map_derived", lang, map=p, line=line, key=key, allowed=allowed)
            )
        a, b = table["from"], table["to"]
        if not (isinstance(a, str) and a.strip() and isinstance(b, str) and b.strip()):
            raise UsageError(message("map_source", lang, map=p, line=line, key=key, value=table))
        derived[key] = (a, b)
        return [a, b]
    if set(table) == {"column", "scale"}:
        if key not in SCALED_KEYS:
            allowed = ", ".join(SCALED_KEYS)
            raise UsageError(
                message("map_scale_key", lang, map=p, line=line, key=key, allowed=allowed)
            )
        sc = table["scale"]
        ok = (
            isinstance(sc, list)
            and len(sc) == 2
            and all(isinstance(x, int | float) and not isinstance(x, bool) for x in sc)
            and sc[0] < sc[1]
        )
        if not ok:
            raise UsageError(message("map_scale", lang, map=p, line=line, key=key, value=sc))
        scales[key] = (float(sc[0]), float(sc[1]))
        return table["column"]
    raise UsageError(message("map_table", lang, map=p, line=line, key=key, value=table))


def _map_values(
    raw: dict[str, Any], columns: dict[str, list[str]], p: Path, text: str, lang: str
) -> dict[str, dict[str, str]]:
    """``[values.<field>]``: source value -> the value written (a choice field: one of
    its choices), for mapped fields only."""
    values: dict[str, dict[str, str]] = {}
    for key, table in raw.items():
        section = f"values.{key}"
        line = _line_of(text, section)
        if key not in INPUT_KEYS:
            allowed = ", ".join(INPUT_KEYS)
            raise UsageError(
                message(
                    "map_key", lang, map=p, line=line, section="values", key=key, allowed=allowed
                )
            )
        if key not in columns:
            raise UsageError(message("map_values_unmapped", lang, map=p, line=line, key=key))
        col = MONITORING.column(key)
        lookup = choice_lookup(col.choices) if col.choices else None
        values[key] = {}
        for source, target in (table or {}).items():
            target_text = str(target).strip()
            if lookup is None and key not in TIME_KEYS:
                # any other field: the target must be a value of that field (a number in
                # range for CSAT ...), refused here rather than blamed on every row
                problem = _fixed_problem(key, target_text, lang)
                if problem is not None:
                    raise UsageError(
                        message(
                            "map_fixed_value",
                            lang,
                            map=p,
                            line=_line_of(text, section, source),
                            section=section,
                            key=source,
                            value=target,
                            problem=problem,
                        )
                    )
            if lookup is not None and target_text.casefold() not in lookup:
                shown = " / ".join(sorted({k for k in lookup.values()}))
                raise UsageError(
                    message(
                        "map_value_target",
                        lang,
                        map=p,
                        line=_line_of(text, section, source),
                        key=key,
                        source=source,
                        target=target,
                        allowed=shown,
                    )
                )
            values[key][str(source).strip()] = target_text
    return values


def _map_units(raw: dict[str, Any], p: Path, text: str, lang: str) -> dict[str, str]:
    """``[units]``: a timed field -> the unit its source is in."""
    units: dict[str, str] = {}
    for key, unit in raw.items():
        line = _line_of(text, "units", key)
        if key not in TIME_KEYS:
            raise UsageError(
                message(
                    "map_unit_key", lang, map=p, line=line, key=key, allowed=", ".join(TIME_KEYS)
                )
            )
        u = str(unit).strip().lower()
        if u not in UNITS:
            raise UsageError(
                message(
                    "map_unit", lang, map=p, line=line, key=key, unit=unit, allowed=", ".join(UNITS)
                )
            )
        units[key] = u
    return units


def _map_options(raw: dict[str, Any], p: Path, text: str, lang: str) -> dict[str, str]:
    """``[options]``: the known options as texts (checked by :func:`_check_options`)."""
    options: dict[str, str] = {}
    for key, value in raw.items():
        if key not in OPTIONS:
            raise UsageError(
                message(
                    "map_option",
                    lang,
                    map=p,
                    line=_line_of(text, "options", key),
                    key=key,
                    allowed=", ".join(OPTIONS),
                )
            )
        # ``open`` may be a list of the open statuses: one a line
        options[key] = "\n".join(map(str, value)) if isinstance(value, list) else str(value)
    return options


def _map_text(p: Path, lang: str) -> str:
    """The map's text: UTF-8 (with or without BOM), UTF-16 with a BOM, or GBK (Notepad on
    a Chinese Windows saves "ANSI" as GBK)."""
    data = p.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for enc in encodings:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UsageError(message("map_encoding_text", lang, map=p))


DELIMITER_NAMES = {"\\t": "\t", "tab": "\t", "\t": "\t"}


def _check_options(options: dict[str, str], p: Path, text: str, lang: str) -> None:
    """An unknown encoding or a delimiter that is not one character is a usage error
    naming the option and its line."""
    import codecs

    enc = options.get("encoding")
    if enc is not None:
        try:
            codecs.lookup(enc.strip())
        except LookupError:
            line = _line_of(text, "options", "encoding")
            raise UsageError(message("map_encoding", lang, map=p, line=line, value=enc)) from None
        options["encoding"] = enc.strip()
    delim = options.get("delimiter")
    if delim is not None:
        one = DELIMITER_NAMES.get(delim.strip().lower(), delim)
        if len(one) != 1:
            line = _line_of(text, "options", "delimiter")
            raise UsageError(message("map_delimiter", lang, map=p, line=line, value=delim))
        options["delimiter"] = one

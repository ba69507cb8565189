"""Reading the Config sheet back: its raw cells (as a reader returns them, either language)
into a validated :class:`~udfs.core.config.ScoringConfig` with a finding for every cell it
cannot use, and the as-of date, contacts handled and report period cells.  The layout it
reads is :mod:`workbook_templates.config_sheet` (rows found by the key in column A).
"""

from __future__ import annotations

import datetime as _dt
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
from udfs.core.problems import Text
from workbook_templates.config_sheet import RULE_LABELS, SETTINGS, UNIT_ALIASES, VALUE_COL
from workbook_templates.config_tables import MARKER, cell_name
from workbook_templates.schema import CONFIG

from .cells import fmt_num

__all__ = [
    "VALUE_COL",
    "parse_config_grid",
    "read_as_of",
    "read_population",
    "read_report_cells",
    "read_report_period",
]

_WHAT: dict[str, Text] = {
    # what a setting must be (the ``{what}`` of the ``config_setting`` problem)
    "int": Text("a whole number", "整数"),
    "num": Text("a number", "数字"),
    "unit": Text("s / min / h", "s / min / h"),
}


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


def _lookup(labels: dict[str, tuple[str, str]], v: Any) -> str | None:
    """The key of a group or rule typed as its key or its label in either language."""
    if not isinstance(v, str):
        return None
    s = v.strip().casefold()
    for key, (lzh, len_) in labels.items():
        if s in (key, lzh.casefold(), len_.casefold()):
            return key
    return None


def _detect_lang(grid: list[list[object]]) -> Lang:
    for r in grid[:4]:
        for v in r[:2]:
            if isinstance(v, str) and any("\u4e00" <= ch <= "\u9fff" for ch in v):
                return "zh"
    return "en"


_SETTING_KEYS = frozenset(s[0] for s in SETTINGS)


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
    findings_lang: Lang = "zh" if lang == "zh" else "en" if lang == "en" else detected
    p = _GridParse(grid, sheet or CONFIG.name(detected), findings_lang)
    data = DEFAULT_CONFIG.model_dump(by_alias=True)
    found: dict[str, list[dict[str, Any]]] = {"contact": [], "team": []}
    seen: dict[str, int] = {}  # key -> its first row (a key typed twice: a finding)
    for r, row in enumerate(grid):
        if not row or not isinstance(row[0], str):
            continue
        key = row[0].strip()
        if key.startswith(MARKER):
            break  # the lists below the settings (config_tables) are read on their own
        if key in seen and (key.partition(".")[0] in ("contact", "team") or key in _SETTING_KEYS):
            p.bad(r, 0, key, "config_duplicate_key", key, first=seen[key] + 1)
            continue  # the first row is used
        seen.setdefault(key, r)
        prefix, _, ikey = key.partition(".")
        if prefix in ("contact", "team") and ikey:
            ind = p.indicator(r, key, prefix, ikey)
            if ind is not None:
                found[prefix].append(ind)
                p.rows_of[f"{prefix}_indicators"] = p.rows_of.get(f"{prefix}_indicators", r)
            continue
        setting = next((s for s in SETTINGS if s[0] == key), None)
        if setting is not None:
            p.setting(r, key, setting, data)
    for prefix in ("contact", "team"):
        if found[prefix]:
            data[f"{prefix}_indicators"] = found[prefix]
        p.weight_scale(prefix)
    return _validate_with_fallback(data, p.findings, p.sheet, p.rows_of, p.lang), p.findings


class _GridParse:
    """One reading of the Config sheet's grid: the findings so far, the row of every part
    (for a finding about a part as a whole) and the weights typed per section."""

    def __init__(self, grid: list[list[object]], sheet: str, lang: Lang) -> None:
        self.grid, self.sheet, self.lang = grid, sheet, lang
        self.findings: list[Finding] = []
        self.rows_of: dict[str, int] = {}
        self.weights: dict[str, list[tuple[int, float, Any, str]]] = {}
        self.defaults = {
            "contact": {i.key: i for i in DEFAULT_CONFIG.contact_indicators},
            "team": {i.key: i for i in DEFAULT_CONFIG.team_indicators},
        }

    def bad(self, r: int, c: int, v: Any, code: str, key: str, /, **params: Any) -> None:
        """A finding: problem ``code`` with ``params`` about cell ``(r, c)`` of value ``v``."""
        value = "" if _is_blank(v) else str(v)
        cell = cell_name(r, c)
        self.findings.append(Finding.of(code, self.sheet, cell, key, value, params, self.lang))

    def cell(self, r: int, c: int) -> Any:
        row = self.grid[r]
        return row[c] if c < len(row) else None

    def indicator(self, r: int, key: str, prefix: str, ikey: str) -> dict[str, Any] | None:
        """The indicator on row ``r`` (its default where a cell is bad); None for a new
        indicator that does not validate."""
        base = self.defaults[prefix].get(ikey)
        ind: dict[str, Any] = (
            base.model_dump()
            if base
            else {"key": ikey, "label_zh": ikey, "label_en": ikey, "weight": 0.0}
        )
        label = self.cell(r, 1)
        if not _is_blank(label) and base is None:
            ind["label_zh"] = ind["label_en"] = str(label).strip()
        w = self.cell(r, 2)
        # a weight typed "10%" is 10 points beside weights of 15 and 20, not 0.1
        wn = _number(w.strip().removesuffix("%")) if isinstance(w, str) else _number(w)
        if wn is None or wn < 0:
            self.bad(r, 2, w, "config_weight", key)
            ind["weight"] = base.weight if base else 0.0
        else:
            ind["weight"] = wn
            self.weights.setdefault(prefix, []).append((r, wn, w, key))
        self.group_source_rule(r, key, ind)
        for c, field in ((6, "bands"), (7, "points")):
            v = self.cell(r, c)
            nums = _numbers(v)
            if nums is None:
                self.bad(r, c, v, "config_numbers", key, field=field)
            elif nums or ind["rule"] == "bands":
                ind[field] = nums or ind.get(field, ())
        self.band_points(r, key, ind, base)
        try:
            Indicator.model_validate(ind)
        except Exception as exc:  # noqa: BLE001 - reported as a finding
            msg = Text(_validation_words(exc, "en"), _validation_words(exc, "zh"))
            self.bad(r, 0, key, "config_indicator", key, key=ikey, msg=msg)
            if base is None:
                return None
            ind = base.model_dump()
        return ind

    def band_points(self, r: int, key: str, ind: dict[str, Any], base: Indicator | None) -> None:
        """Band points that are not one more than the band limits ("100;80" for two
        limits): a finding at the points cell (H), and the indicator's default bands and
        points (an indicator that is a band rule by default; others are checked whole)."""
        if ind.get("rule") != "bands" or base is None or base.rule != "bands":
            return
        bands, points = tuple(ind.get("bands") or ()), tuple(ind.get("points") or ())
        ordered = all(b2 > b1 for b1, b2 in zip(bands, bands[1:], strict=False))
        if bands and ordered and len(points) != len(bands) + 1:
            params = {"n": len(bands), "need": len(bands) + 1, "got": len(points)}
            self.bad(r, 7, self.cell(r, 7), "config_points_count", key, **params)
            ind["bands"], ind["points"] = base.bands, base.points

    def group_source_rule(self, r: int, key: str, ind: dict[str, Any]) -> None:
        """Columns D-F of an indicator row: group, source and rule (blank: the default)."""
        g = self.cell(r, 3)
        if not _is_blank(g):
            gk = _lookup(GROUP_LABELS, g)
            if gk is None:
                self.bad(r, 3, g, "config_group", key)
            else:
                ind["group"] = gk
        src = self.cell(r, 4)
        if not _is_blank(src):
            if "source" in ind and str(src).strip() != ind["source"]:  # fixed by the template
                self.bad(r, 4, src, "config_source", key, source=ind["source"])
            else:
                ind["source"] = str(src).strip()
        rl = self.cell(r, 5)
        if not _is_blank(rl):
            rk = _lookup(RULE_LABELS, rl)
            if rk is None:
                self.bad(r, 5, rl, "config_rule", key, rules="/".join(RULE_LABELS))
            else:
                ind["rule"] = rk

    def setting(self, r: int, key: str, setting: tuple[Any, ...], data: dict[str, Any]) -> None:
        """The setting on row ``r`` into ``data`` (a bad value: a finding, the default kept)."""
        kind = setting[5]
        v = self.cell(r, 2)
        self.rows_of[key] = r
        if key in ("as_of", "population", "report_period") or kind == "text":
            return  # read with read_as_of() / ... / read_report_cells()
        label = Text(setting[2], setting[1])
        if kind == "unit":
            text = "" if v is None else str(v).strip().lower()
            unit = UNIT_ALIASES.get(text)
            if unit is None:
                self.bad(r, 2, v, "config_setting", key, label=label, what=_WHAT["unit"])
            else:
                data[key] = unit
            return
        n = _number(v)
        if n is None or (kind == "int" and not float(n).is_integer()):
            what = _WHAT["int" if kind == "int" else "num"]
            self.bad(r, 2, v, "config_setting", key, label=label, what=what)
            return
        if key.startswith("grades."):
            data["grades"]["pass" if key == "grades.pass" else key.split(".")[1]] = n
        else:
            data[key] = int(n) if kind == "int" else n

    def weight_scale(self, prefix: str) -> None:
        """A weight of 0.1 beside 15 and 20 is a "10%" typed into a percent cell: a finding."""
        typed = self.weights.get(prefix, [])
        whole = [wn for _, wn, _, _ in typed if wn >= 1]
        total = sum(wn for _, wn, _, _ in typed)
        for r, wn, w, key in typed:
            if whole and 0 < wn < 1 and total > 0:
                others = ", ".join(fmt_num(x) for x in whole)
                points, share = fmt_num(wn * 100), f"{wn / total:.1%}"
                params = {"w": fmt_num(wn), "others": others, "pct": f"{points}%"}
                self.bad(r, 2, w, "config_weight_scale", key, **params, points=points, share=share)


def _validate_with_fallback(
    data: dict[str, Any],
    findings: list[Finding],
    sheet: str,
    rows_of: dict[str, int],
    lang: Lang,
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
                cell = cell_name(r, VALUE_COL) if r is not None else ""
                params = {"msg": msg, "part": p}
                findings.append(Finding.of("config_fallback", sheet, cell, p, "", params, lang))
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
        cell, lang = cell_name(r, VALUE_COL), _detect_lang(grid)
        return None, [Finding.of("config_population", sheet, cell, "population", str(v), {}, lang)]
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
            code, params, cell = exc.code, exc.params, cell_name(r, VALUE_COL)
            return None, [Finding.of(code, sheet, cell, "report_period", str(v), params, lang)]
    return None, []


REPORT_FORMATS = ("xlsx", "docx", "pptx", "pdf")
"""The report formats ``csq report`` writes (``--format`` and the Config cell)."""


def parse_formats(text: str) -> tuple[tuple[str, ...], list[str]]:
    """``"xlsx, docx"`` -> the known formats in the order given (no repeats) and the
    unknown words; commas, semicolons, 、 and spaces separate."""
    import re

    known: list[str] = []
    unknown: list[str] = []
    for word in re.split(r"[,;，；、\s]+", text.strip()):
        w = word.strip().lower().lstrip(".")
        if not w:
            continue
        if w in REPORT_FORMATS:
            if w not in known:
                known.append(w)
        else:
            unknown.append(word.strip())
    return tuple(known), unknown


def read_report_cells(
    grid: list[list[object]], sheet: str
) -> tuple[dict[str, str], tuple[str, ...] | None, list[Finding]]:
    """The Config sheet's optional report cells: the texts (organisation, monitoring
    objective and team) and the report formats (None: no such cell or blank).  An unknown
    format is a finding at its cell; the known ones are still used."""
    texts = [s[0] for s in SETTINGS if s[5] == "text"]
    info: dict[str, str] = {}
    formats: tuple[str, ...] | None = None
    findings: list[Finding] = []
    for r, row in enumerate(grid):
        if not (row and isinstance(row[0], str) and row[0].strip() in texts):
            continue
        key = row[0].strip()
        v = row[VALUE_COL] if len(row) > VALUE_COL else None
        if _is_blank(v):
            continue
        text = str(v).strip()
        if key != "report_formats":
            info[key] = text
            continue
        known, unknown = parse_formats(text)
        formats = known
        lang = _detect_lang(grid)
        for word in unknown:
            params = {"allowed": ", ".join(REPORT_FORMATS)}
            findings.append(
                Finding.of(
                    "config_report_format",
                    sheet,
                    cell_name(r, VALUE_COL),
                    "report_formats",
                    word,
                    params,
                    lang,
                )
            )
    return info, formats, findings

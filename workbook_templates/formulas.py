"""Formulas of the computed columns, resolved from the declarations in ``schema.py``.

Two modes:

- **UDF** (default): each computed column is one spilling ``CSQ_`` call in the first data
  row, just right of the sheet's Table, taking whole Table columns
  (``=CSQ_SCORE(Monitoring[[响应速度]:[信息记录规范性]],Monitoring[致命错误],CSQ_Weights)``);
  a column whose formula is native in both modes (Problems count, a COUNTIF) is a
  per-row formula there.
- **Portable**: every computed column is a native per-row formula right of the Table
  (``[#This Row]`` references to the Table's cells of the same row), giving the same
  values as the CSQ_ functions.

In both modes the Tables hold the input columns only (unlocked), so Excel can sort and
filter them on a protected sheet, and the computed columns stand in the same order.

:func:`structured_to_a1` turns Table references back into A1 ranges for engines that do
not read structured references (the ``formulas`` test harness).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from udfs.core.actions import STATUS_TEXT
from udfs.core.fields import CHOICES, NO_CRITICAL_ERROR_TOKENS, RUBRIC_KEYS, Lang, choice_lookup
from udfs.core.pareto import OTHER_LABELS
from udfs.core.process import RESULT_TEXT, STEPS
from udfs.core.scoring import GRADE_LABELS, QC_LABELS
from workbook_templates.schema import Column, Sheet, col_letter, sheet_by_key

from .config_sheet import (
    NAME_AS_OF,
    NAME_FIRST_RESPONSE_UNIT,
    NAME_GRADE_THRESHOLDS,
    NAME_PASS_MARK,
    NAME_PROCESS_LIMITS,
    NAME_WEIGHTS,
)

# Expressions over named ranges (the Config sheet)
_PARETO = ("CSQ_ParetoA", "CSQ_ParetoB")


def escape_header(text: str) -> str:
    """A header as it must appear inside a structured reference's brackets."""
    return re.sub(r"([\[\]#'])", r"'\1", text)


@dataclass(frozen=True)
class SheetLayout:
    """Where each column of a data sheet sits in one mode."""

    sheet: Sheet
    portable: bool
    table_columns: tuple[Column, ...]
    """Columns inside the Excel Table, left to right: the input columns only, so that no
    locked cell lies inside a Table and Excel can sort and filter it on a protected sheet."""
    computed_columns: tuple[Column, ...]
    """Computed columns right of the Table, in the same order in both modes: one spilling
    CSQ_ formula each in UDF mode, a native per-row formula otherwise."""
    legacy_arrays: bool = False
    """UDF mode for Excel without dynamic arrays (2016/2019, ``csq new --compat``): each
    CSQ_ column is a legacy array formula (Ctrl+Shift+Enter) over the column's rows, and
    references to another such column are its fixed range instead of the spill ``X2#``."""

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.table_columns + self.computed_columns

    @property
    def spill_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.computed_columns if self.is_spill(c.key))

    def index(self, key: str) -> int:
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        raise KeyError(key)

    def in_table(self, key: str) -> bool:
        return any(c.key == key for c in self.table_columns)

    def is_spill(self, key: str) -> bool:
        """Whether ``key`` is one spilling CSQ_ formula (UDF mode) rather than per-row."""
        return not self.portable and bool(self.sheet.column(key).udf) and not self.in_table(key)


def sheet_layout(sheet: Sheet, portable: bool) -> SheetLayout:
    """Inputs in the Table, computed columns right of it; the same order in both modes.

    A sort of the Table moves its rows only; the computed cells beside it stay where they
    are and compute from whatever row now sits next to them ([#This Row] references, or
    one spilling call over the whole Table column), so their values stay right.
    """
    table = tuple(c for c in sheet.columns if c.role == "input")
    computed = tuple(c for c in sheet.columns if c.role == "computed")
    return SheetLayout(sheet, portable, table, computed)


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _has_critical(cell: str) -> str:
    """Native test "this critical-error cell holds a critical error": not blank and not
    one of the "none" tokens (MATCH compares text without case, like the core)."""
    tokens = "{" + ",".join(_q(t) for t in NO_CRITICAL_ERROR_TOKENS) + "}"
    return f"AND(LEN(TRIM({cell}))>0,ISNA(MATCH(TRIM({cell}),{tokens},0)))"


class Resolver:
    """Resolves one sheet's formula templates for one language and mode."""

    def __init__(self, layout: SheetLayout, lang: Lang, first_row: int, last_row: int):
        self.layout = layout
        self.sheet = layout.sheet
        self.lang = lang
        self.first_row = first_row  # 0-based first data row
        self.last_row = last_row

    # references -----------------------------------------------------------------
    def col(self, key: str, sheet: Sheet | None = None) -> str:
        sh = sheet or self.sheet
        if sh is self.sheet and not self.layout.in_table(key):
            if self.layout.is_spill(key):
                return self.spill(key)
            # a per-row computed column beside the Table: its cells over the Table's rows
            c = col_letter(self.layout.index(key))
            name = self.sheet.name(self.lang).replace("'", "''")
            return f"'{name}'!${c}${self.first_row + 1}:${c}${self.last_row + 1}"
        return f"{sh.table}[{escape_header(sh.column(key).header(self.lang))}]"

    def cols(self, a: str, b: str) -> str:
        ha = escape_header(self.sheet.column(a).header(self.lang))
        hb = escape_header(self.sheet.column(b).header(self.lang))
        return f"{self.sheet.table}[[{ha}]:[{hb}]]"

    def row(self, key: str) -> str:
        if not self.layout.in_table(key):  # a computed column beside the Table, same row
            c = col_letter(self.layout.index(key))
            return f"INDEX(${c}:${c},ROW())"
        h = escape_header(self.sheet.column(key).header(self.lang))
        return f"{self.sheet.table}[[#This Row],[{h}]]"

    def spill(self, key: str) -> str:
        c = col_letter(self.layout.index(key))
        if self.layout.legacy_arrays:  # no spill operator before Excel 2021: the range
            name = self.sheet.name(self.lang).replace("'", "''")
            return f"'{name}'!${c}${self.first_row + 1}:${c}${self.last_row + 1}"
        return f"ANCHORARRAY({c}{self.first_row + 1})"

    # templates ------------------------------------------------------------------
    def formula(self, column: Column) -> str:
        """The formula (with leading '=') of a computed column in this mode."""
        if not self.layout.portable and column.udf:
            template = column.udf
        else:
            template = column.native
        if template.startswith("@"):
            body = getattr(self, "_native_" + template[1:])()
        else:
            body = self.expand(template)
        return "=" + body

    def expand(self, template: str) -> str:
        def sub(m: re.Match[str]) -> str:
            token = m.group(1)
            kind, _, rest = token.partition(":")
            if not rest:
                if kind == "lang":
                    return self.lang
                return self.row(kind)
            if kind == "col":
                return self.col(rest)
            if kind == "cols":
                a, b = rest.split(":")
                return self.cols(a, b)
            if kind == "spill":
                return self.spill(rest)
            if kind == "ext":
                sh, key = rest.split(".")
                return self.col(key, sheet_by_key(sh))
            raise KeyError(f"unknown placeholder {{{token}}}")

        # placeholders are {word} / {word:...}; array constants like {"a","b"} stay
        return re.sub(r"\{([a-z_]+(?::[a-z_.]+)*)\}", sub, template)

    # native generators ------------------------------------------------------------
    def _native_score(self) -> str:
        crit = self.row("critical_error")
        wsum, total = [], []
        for k, key in enumerate(RUBRIC_KEYS, start=1):
            r = self.row(key)
            w = f"INDEX({NAME_WEIGHTS},{k})"
            wsum.append(f"ISNUMBER({r})*{w}")
            total.append(f"N({r})*20*{w}")
        ws, tot = "+".join(wsum), "+".join(total)
        return f'IF({_has_critical(crit)},0,IF(({ws})=0,"",ROUND(({tot})/({ws}),2)))'

    def _native_grade(self) -> str:
        s = self.row("score")
        g = GRADE_LABELS[self.lang]
        t = NAME_GRADE_THRESHOLDS
        return (
            f'IF({s}="","",IF({s}>=INDEX({t},1),{_q(g["excellent"])},'
            f"IF({s}>=INDEX({t},2),{_q(g['good'])},"
            f"IF({s}>=INDEX({t},3),{_q(g['pass'])},{_q(g['fail'])}))))"
        )

    def _native_qc_result(self) -> str:
        s, crit = self.row("score"), self.row("critical_error")
        q = QC_LABELS[self.lang]
        return (
            f'IF({s}="","",IF(AND({s}>={NAME_PASS_MARK},NOT({_has_critical(crit)})),'
            f"{_q(q[True])},{_q(q[False])}))"
        )

    def _native_process_result(self) -> str:
        """CSQ_PROCESS per row: the reviewer's Y/N first, else the first step over its
        Config limit (first response converted from the Config unit to seconds)."""
        u = NAME_FIRST_RESPONSE_UNIT
        factor = f'IF({u}="min",60,IF({u}="h",3600,1))'
        late, applies = [], []
        for j, step in enumerate(STEPS, start=1):
            x = self.row(step.column)
            v = f"{x}*{factor}" if j == 1 else x
            lim = f"INDEX({NAME_PROCESS_LIMITS},{j})"
            late.append(
                (
                    f"AND(ISNUMBER({x}),{v}>{lim})",
                    step.late_zh if self.lang == "zh" else step.late_en,
                )
            )
            applies.append(f"AND(ISNUMBER({x}),{x}>=0)")
        missed = '""'
        for cond, text in reversed(late):
            missed = f"IF({cond},{_q(text)},{missed})"
        ok = self.row("process_ok")
        spell = choice_lookup("yn")
        yes = ",".join(f"LOWER(TRIM({ok}))={_q(k)}" for k, v in sorted(spell.items()) if v == "Y")
        no = ",".join(f"LOWER(TRIM({ok}))={_q(k)}" for k, v in sorted(spell.items()) if v == "N")
        good, bad = RESULT_TEXT[self.lang]
        sep = "：" if self.lang == "zh" else ": "
        return (
            f'IF(OR({yes}),{_q(good)},IF({missed}<>"",{_q(bad + sep)}&{missed},'
            f'IF(OR({no}),{_q(bad)},IF(OR({",".join(applies)}),{_q(good)},""))))'
        )

    def _pareto_parts(self) -> tuple[str, str, str]:
        F, L = self.col("count"), self.col("problem")
        f, lab = self.row("count"), self.row("problem")
        others = "{" + ",".join(_q(x) for x in sorted(OTHER_LABELS)) + "}"

        def key(counts: str, labels: str) -> str:
            return f"({counts}-1E9*ISNUMBER(MATCH(LOWER(TRIM({labels})),{others},0)))"

        ka, ki = key(F, L), key(f, lab)
        cum = f"SUMPRODUCT({F}*(({ka}>{ki})+({ka}={ki})*(ROW({F})<=ROW({f}))))"
        return f, cum, f"SUM({F})"

    def _native_count(self) -> str:
        """COUNTIF of the problem among the Monitoring categories; the typed frequency when
        no Monitoring row names a category (seeds/001's 表2 typed as written)."""
        cats = self.col("problem_category", sheet_by_key("monitoring"))
        p, f = self.row("problem"), self.row("frequency")
        return f'IF(LEN(TRIM({p}))=0,0,IF(COUNTIF({cats},"?*")>0,COUNTIF({cats},{p}),N({f})))'

    def _native_pareto_share(self) -> str:
        f, _, total = self._pareto_parts()
        return f'IF({total}=0,"",{f}/{total})'

    def _native_cumulative(self) -> str:
        _, cum, total = self._pareto_parts()
        return f'IF({total}=0,"",{cum}/{total})'

    def _native_pareto_class(self) -> str:
        f, cum, total = self._pareto_parts()
        a, b = _PARETO
        return (
            f'IF({total}=0,"",IF({f}=0,"C",'
            f'IF({cum}-{f}<{a}*{total}-1E-9*{total},"A",'
            f'IF({cum}-{f}<{b}*{total}-1E-9*{total},"B","C"))))'
        )

    def _cancelled(self) -> str:
        s = self.row("status")
        spellings = sorted(k for k, v in choice_lookup("status").items() if v == "cancelled")
        return "OR(" + ",".join(f"LOWER(TRIM({s}))={_q(x)}" for x in spellings) + ")"

    def _n_text(self, key: str, n: str) -> str:
        """The status text for ``key`` with ``{n}`` filled by the expression ``n``."""
        template = STATUS_TEXT[self.lang][key]
        pre, _, post = template.partition("{n}")
        text = f"{_q(pre)}&{n}&{_q(post)}"
        if self.lang == "en" and "{n} days" in template:
            one = template.replace("{n} days", "1 day")
            return f"IF({n}=1,{_q(one)},{text})"
        return text

    def _native_action_status(self) -> str:
        p, a = self.row("planned_date"), self.row("actual_date")
        tx = STATUS_TEXT[self.lang]
        asof = f"INT({NAME_AS_OF})"
        late = f"(INT({a})-INT({p}))"
        over = f"({asof}-INT({p}))"
        due = f"(INT({p})-{asof})"
        return (
            f"IF({self._cancelled()},{_q(tx['cancelled'])},"
            f'IF(NOT(ISNUMBER({p})),"",'
            f"IF(ISNUMBER({a}),IF(INT({a})<=INT({p}),{_q(tx['done_on_time'])},"
            f"{self._n_text('done_late', late)}),"
            f"IF({asof}>INT({p}),{self._n_text('overdue', over)},"
            f"IF({due}=0,{_q(tx['open_today'])},{self._n_text('open', due)})))))"
        )

    def _native_days_late(self) -> str:
        p, a = self.row("planned_date"), self.row("actual_date")
        return (
            f'IF({self._cancelled()},0,IF(NOT(ISNUMBER({p})),"",'
            f"IF(ISNUMBER({a}),MAX(0,INT({a})-INT({p})),MAX(0,INT({NAME_AS_OF})-INT({p})))))"
        )

    def _native_met(self) -> str:
        b, t, x = self.row("baseline"), self.row("target"), self.row("after")
        return (
            f'IF(OR(NOT(ISNUMBER({t})),NOT(ISNUMBER({x}))),"",'
            f'IF(OR(NOT(ISNUMBER({b})),{t}>={b}),IF({x}>={t},"Y","N"),IF({x}<={t},"Y","N")))'
        )


def choice_labels(name: str, lang: Lang) -> list[str]:
    return [c.label(lang) for c in CHOICES[name]]


# ------------------------------------------------------------- structured refs -> A1


def structured_to_a1(
    formula: str,
    tables: dict[str, tuple[str, dict[str, int], int, int]],
    current_row: int | None = None,
) -> str:
    """Replace Table references with A1 ranges.

    ``tables`` maps a Table name to (sheet name, header -> 0-based column, first data row,
    last data row), rows 0-based.  ``current_row`` (0-based) resolves ``[#This Row]``.
    ``ANCHORARRAY(X2)`` becomes the spill range ``X2:X<last>`` of the sheet's Table rows.
    """

    def unescape(h: str) -> str:
        return re.sub(r"'(.)", r"\1", h)

    def rng(table: str, h1: str, h2: str | None, this_row: bool) -> str:
        sheet, cols, r1, r2 = tables[table]
        c1 = cols[unescape(h1)]
        c2 = cols[unescape(h2)] if h2 else c1
        prefix = f"'{sheet}'!"
        if this_row:
            assert current_row is not None
            a = f"{col_letter(c1)}{current_row + 1}"
            return prefix + (a if c1 == c2 else f"{a}:{col_letter(c2)}{current_row + 1}")
        return f"{prefix}{col_letter(c1)}{r1 + 1}:{col_letter(c2)}{r2 + 1}"

    hdr = r"((?:[^\[\]']|'.)+)"
    names = "|".join(re.escape(t) for t in tables)
    if not names:
        return formula
    out = re.sub(
        rf"\b({names})\[\[#This Row\],\[{hdr}\]\]",
        lambda m: rng(m.group(1), m.group(2), None, True),
        formula,
    )
    out = re.sub(
        rf"\b({names})\[\[{hdr}\]:\[{hdr}\]\]",
        lambda m: rng(m.group(1), m.group(2), m.group(3), False),
        out,
    )
    out = re.sub(
        rf"\b({names})\[{hdr}\]",
        lambda m: rng(m.group(1), m.group(2), None, False),
        out,
    )
    return out

"""Which Excel each workbook variant needs, from the functions its formulas use (parsed
from the written xlsx) against per-version lists: the portable variant uses nothing newer
than Excel 2010; the function variant's spilling formulas need dynamic arrays (Excel 2021
or Microsoft 365); ``csq new --compat`` writes the same CSQ_ calls as legacy array
formulas, which Excel 2016/2019 compute."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest

from udfs.functions import FUNCTIONS
from workbook_templates.builder import build_workbook
from workbook_templates.example_rows import action_rows, monitoring_rows, problem_rows

# Worksheet functions by the Excel version that introduced them (Microsoft's function
# reference, "Excel functions (by category)"); only the ones a template could plausibly use.
EXCEL_2007 = {
    "ABS", "AND", "AVERAGE", "AVERAGEIF", "AVERAGEIFS", "CHOOSE", "COUNT", "COUNTA",
    "COUNTBLANK", "COUNTIF", "COUNTIFS", "DATE", "DAY", "HOUR", "IF", "IFERROR", "INDEX",
    "INDIRECT", "INT", "ISBLANK", "ISERROR", "ISNA", "ISNUMBER", "ISTEXT", "LEFT", "LEN",
    "LOWER", "MATCH", "MAX", "MIN", "MONTH", "N", "NOT", "OFFSET", "OR", "RANK", "RIGHT",
    "ROUND", "ROUNDDOWN", "ROUNDUP", "ROW", "ROWS", "SUM", "SUMIF", "SUMIFS", "SUMPRODUCT",
    "TEXT", "TODAY", "TRIM", "UPPER", "VALUE", "VLOOKUP", "WEEKDAY", "YEAR",
}  # fmt: skip
EXCEL_2010 = EXCEL_2007 | {"AGGREGATE", "RANK.EQ", "RANK.AVG", "PERCENTILE.INC"}
EXCEL_2013 = EXCEL_2010 | {"IFNA", "ISFORMULA", "SHEET", "FORMULATEXT", "DAYS"}
EXCEL_2019 = EXCEL_2013 | {"IFS", "MAXIFS", "MINIFS", "SWITCH", "TEXTJOIN", "CONCAT"}
EXCEL_2021 = EXCEL_2019 | {
    "ANCHORARRAY", "FILTER", "SORT", "SORTBY", "UNIQUE", "SEQUENCE", "XLOOKUP", "LET",
}  # fmt: skip
VERSIONS = {"2010": EXCEL_2010, "2013": EXCEL_2013, "2016": EXCEL_2013, "2019": EXCEL_2019,
            "2021": EXCEL_2021}  # fmt: skip
SUPPORTED = {"portable": "2010", "compat": "2010", "udf": "2021"}
"""The oldest Excel whose worksheet functions cover each variant's native formulas
(docs/templates.md, *Excel versions*; the CSQ_ functions need the add-in, Windows Excel)."""

_CALL = re.compile(r"((?:_xlfn\.|_xlws\.)?[A-Z][A-Z0-9_.]*)\(")


def formulas_of(path: Path) -> list[tuple[str, str, dict[str, str]]]:
    """(part, formula, attributes) of every formula: cells, conditional formats,
    validations and defined names."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith(".xml"):
                continue
            text = z.read(name).decode("utf-8")
            for attrs, f in re.findall(r"<f( [^>]*)?>(.*?)</f>", text, re.S):
                out.append((name, f, dict(re.findall(r'(\w+)="([^"]*)"', attrs or ""))))
            for f in re.findall(r"<(?:formula|formula1|formula2)>(.*?)</", text, re.S):
                out.append((name, f, {}))
            for f in re.findall(r"<definedName[^>]*>([^<]*)</definedName>", text):
                out.append((name, f, {}))
    return out


def functions_used(path: Path) -> set[str]:
    return {m for _, f, _ in formulas_of(path) for m in _CALL.findall(f)}


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("versions")
    data = dict(
        monitoring=monitoring_rows(8, "en"),
        problems=problem_rows("en"),
        actions=action_rows(dt.date(2026, 1, 1), "en"),
    )
    return {
        "portable": build_workbook(d / "p.xlsx", lang="en", portable=True, **data),
        "udf": build_workbook(d / "u.xlsx", lang="en", **data),
        "compat": build_workbook(d / "c.xlsx", lang="en", compat=True, **data),
    }


def _oldest(names: set[str]) -> str:
    native = {n.removeprefix("_xlfn.").removeprefix("_xlws.") for n in names} - set(FUNCTIONS)
    return next(v for v, fns in VERSIONS.items() if native <= fns)


@pytest.mark.parametrize("variant", ["portable", "udf", "compat"])
def test_each_variant_needs_the_excel_the_docs_state(books, variant):
    used = functions_used(books[variant])
    assert _oldest(used) == SUPPORTED[variant], sorted(used)


def test_portable_uses_no_newer_function_and_no_add_in(books):
    used = functions_used(books["portable"])
    assert not any(n.startswith(("_xlfn.", "_xlws.", "CSQ_")) for n in used)


def test_udf_variant_spills_and_compat_uses_legacy_arrays(books):
    spills = [a for _, f, a in formulas_of(books["udf"]) if re.search(r"CSQ_\w+\(", f)]
    assert spills and all(a.get("t") == "array" for a in spills)
    with zipfile.ZipFile(books["udf"]) as z:
        assert "xl/metadata.xml" in z.namelist()  # dynamic-array cells (cm="1")
    legacy = [(p, f, a) for p, f, a in formulas_of(books["compat"]) if re.search(r"CSQ_\w+\(", f)]
    assert len(legacy) == len(spills)
    for _, f, a in legacy:
        assert a.get("t") == "array" and re.fullmatch(r"[A-Z]+2:[A-Z]+\d+", a["ref"])
        assert "ANCHORARRAY" not in f and "#" not in f.replace("#This Row", "")
    with zipfile.ZipFile(books["compat"]) as z:
        assert "xl/metadata.xml" not in z.namelist()  # nothing Excel 2016 cannot read
    assert not any(n.startswith("_xlfn.") for n in functions_used(books["compat"]))


def test_compat_formulas_are_the_udf_ones_with_ranges_for_spills(books):
    def csq(path):
        return [f for _, f, _ in formulas_of(path) if re.search(r"CSQ_\w+\(", f)]

    def norm(f: str) -> str:  # a spill X2# and a fixed range X2:X<n> read the same
        f = re.sub(r"_xlfn\.ANCHORARRAY\(([A-Z]+)(\d+)\)", r"'Monitoring'!$\1$\2:$\1$", f)
        return re.sub(r"(\$[A-Z]+\$\d+:\$[A-Z]+\$)\d+", r"\1", f)

    for u, c in zip(csq(books["udf"]), csq(books["compat"]), strict=True):
        assert norm(u) == norm(c)


def test_compat_workbook_recalculated_by_formulas_matches_core(tmp_path):
    """The legacy-array workbook computes the same columns as the core (``formulas``
    engine with the Python functions registered, as for the spilling variant)."""
    from test_templates_engines import AS_OF, assert_same, expected, recalc_with_formulas

    from workbook_templates import example_rows as sample

    path = build_workbook(
        tmp_path / "compat.xlsx",
        lang="zh",
        compat=True,
        monitoring=sample.monitoring_rows(200, "zh"),
        problems=sample.problem_rows("zh"),
        actions=sample.action_rows(AS_OF, "zh"),
        as_of=AS_OF,
        as_of_fixed=True,
    )
    assert assert_same(recalc_with_formulas(path, "zh"), expected("zh"), "formulas") > 600


class _Cell:
    """A COM Range of Excel 2016: no Formula2; ``array`` is the legacy block it belongs to."""

    def __init__(self, address: str, formula: str, array: _Cell | None = None) -> None:
        self.Address, self.Formula, self.array = address, formula, array
        self.HasFormula, self.HasArray = True, array is not None
        self.sets: list[str] = []

    def __getattr__(self, name: str):
        if name == "Formula2":
            raise AttributeError("Formula2: Excel 2016 has no dynamic arrays")
        raise AttributeError(name)

    def __setattr__(self, name: str, value) -> None:
        if name == "Formula2":
            raise AttributeError("Formula2")
        if name in ("Formula", "FormulaArray") and "sets" in self.__dict__:
            self.sets.append(name)
        object.__setattr__(self, name, value)

    @property
    def CurrentArray(self):
        return self.array

    def Cells(self, r: int, c: int):
        return self


def test_excel_2016_rebinding_uses_formula_and_whole_legacy_arrays(monkeypatch):
    """Refresh scores on Excel 2016/2019 (no Formula2): a plain CSQ_ cell is re-entered
    through Formula, a legacy array block once through FormulaArray."""
    from types import SimpleNamespace

    from addin.excel import books

    block = _Cell("$AB$2", "=CSQ_SCORE(Monitoring[[Speed]:[Records]])")
    block.FormulaArray = block.Formula
    block.sets.clear()
    inside = _Cell("$AB$3", block.Formula, array=block)
    block.array, block.HasArray = block, True
    plain = _Cell("$E$5", "=CSQ_VERSION()")
    hits = [block, inside, plain]

    class Used:
        def Find(self, What, LookIn, LookAt):  # noqa: N803 - COM names
            found = [h for h in hits if What in h.Formula]
            self.found = found
            return found[0] if found else None

        def FindNext(self, after):  # noqa: N802
            i = self.found.index(after) + 1
            return self.found[i % len(self.found)]

    api = SimpleNamespace(UsedRange=Used(), Range=lambda a: {h.Address: h for h in hits}[a])
    sheet = SimpleNamespace(api=api)
    fake = SimpleNamespace(sheets={"Monitoring": sheet}, name="x.xlsx")
    monkeypatch.setattr("sys.platform", "win32")  # csq_formula_cells looks on Windows only
    book = books.XlwingsBook(fake)
    cells = book.csq_formula_cells("Monitoring")
    assert cells == ["$AB$2", "$E$5"]  # the block once, by its first cell
    for c in cells:
        book.reenter_formula("Monitoring", c)
    assert block.sets == ["FormulaArray"] and plain.sets == ["Formula"]


@pytest.mark.parametrize(("dynamic", "metadata"), [(True, True), (False, False)])
def test_new_workbook_button_writes_the_compat_workbook_on_excel_2016(tmp_path, dynamic, metadata):
    """The ribbon's New workbook asks Excel whether it spills (only Excel 2021/365 have
    Range.Formula2) and writes legacy array formulas where it does not."""
    from types import SimpleNamespace

    from addin.excel.ribbon_actions import new_workbook

    cell = SimpleNamespace(Formula="=1", **({"Formula2": "=1"} if dynamic else {}))
    api = SimpleNamespace(ActiveSheet=SimpleNamespace(Range=lambda a: cell))
    opened: list[Path] = []
    book = SimpleNamespace(
        book=SimpleNamespace(app=SimpleNamespace(api=api)),
        saved_path=lambda: tmp_path / "team.xlsx",
        open_workbook=opened.append,
    )
    new_workbook(book)
    (path,) = opened
    with zipfile.ZipFile(path) as z:
        assert ("xl/metadata.xml" in z.namelist()) is metadata
    kinds = {a.get("t") for _, f, a in formulas_of(path) if re.search(r"CSQ_\w+\(", f)}
    assert kinds == {"array"}

"""The xlwings Lite build: ``main.py`` runs with only numpy, pandas and pydantic on the path
(no CSQ checkout, no ``udfs`` package), defines every function of ``udfs.FUNCTIONS`` with
xlwings' ``@func`` decorator (how Lite finds them) and gives the same results as the package
on sample inputs."""

from __future__ import annotations

import datetime as dt
import importlib.metadata as md
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from addin.cli import main as csq
from addin.excel.lite import REQUIREMENTS, main_py
from udfs import FUNCTIONS

# Sample calls for every function: bad cells, blanks and N/A included.
D = dt.datetime
SAMPLES: dict[str, list[tuple[Any, ...]]] = {
    "CSQ_SCORE": [
        ([[5, 5, 5, 5, 5, 5], [5, 4, 3, "N/A", 5, 5], [7, 5, 5, 5, 5, 5], [None] * 6],),
        ([[5, 5, 5, 5, 5, 5]], [["wrong refund"]]),
        ([[1, 4, 1, 1, 1, 1]], None, [[0], [1], [0], [0], [0], [0]]),
    ],
    "CSQ_EXPLAIN": [([[5, 4, 3, "N/A", 5, 5]], None, None, "en"), ([[4, 4, 4, 4, 4, 4]],)],
    "CSQ_GRADE": [([[90], [89.99], [60], [59.9], [None], ["abc"]],), (85, None, "en")],
    "CSQ_LEVEL": [([[5], [4], [3], [2], ["N/A"], [6]],), (2, "en")],
    "CSQ_BAND": [([[30], [31], [61], ["x"]],), ([[3], [31]], "speed"), (7, [[5, 10]], [[3, 2, 1]])],
    "CSQ_COMPOSITE": [([[90, 4.5, 0.8, 25], [None, None, None, 45]],)],
    "CSQ_PARETO": [
        ([[28], [42], [10], [40]], [["B"], ["A"], ["其他"], ["C"]], "class"),
        ([[28], [42], [10], [40]], None, "cumulative"),
    ],
    "CSQ_ACTION_STATUS": [
        ([[D(2024, 6, 15)], [D(2024, 6, 15)]], [[D(2024, 6, 20)], [None]], D(2024, 7, 1)),
        ([[D(2024, 6, 15)]], None, D(2024, 6, 1), None, "en"),
    ],
    "CSQ_DAYS_LATE": [
        ([[D(2024, 6, 15)], [D(2024, 6, 15)]], [[D(2024, 6, 20)], [None]], "2024-07-01")
    ],
    "CSQ_MET": [([[0.2], [10]], [[0.1], [20]], [[0.08], [15]])],
    "CSQ_QC_RESULT": [([[59.9], [60], [None]], [[None], ["rude"], [None]]), (75, None, 60, "en")],
    "CSQ_CSAT": [([[5], [4], [2], ["x"], [None]],), ([[5], [4], [2]], "pct")],
    "CSQ_NPS": [([[10], [9], [7], [3], [None]],)],
    "CSQ_FCR": [([["Y"], ["N"], ["Y"]], [["Y"], ["Y"], ["N"]])],
    "CSQ_SLA": [([[12], [45], [30]], None, 30)],
    "CSQ_REPEAT_RATE": [
        ([["c1"], ["c1"], ["c2"]], [[D(2024, 6, 1)], [D(2024, 6, 20)], [D(2024, 6, 2)]])
    ],
    "CSQ_MASK": [([["13812345678"], ["ab"], [None]],)],
    "CSQ_TAG": [([["客户说响应慢"], ["rude agent"], [None]],)],
    "CSQ_PROCESS": [([[5], [12], [None]], [[20, None, None, 30], [None] * 4, [None] * 4])],
    "CSQ_VERSION": [()],
}

_RUNNER = r"""
import datetime as dt, json, runpy, sys
sys.path[:0] = [SITE]
sys.modules.pop("udfs", None)
try:
    import udfs  # noqa: F401
except ImportError:
    pass
else:
    raise SystemExit("udfs importable: the environment is not clean")
for name in ("xlwings", "workbook_templates", "addin"):
    if name in sys.modules:
        raise SystemExit(name + " already imported")
ns = runpy.run_path(MAIN)
samples = json.loads(SAMPLES, object_hook=lambda o: dt.datetime.fromisoformat(o["d"]) if "d" in o else o)
out = {"defined": sorted(k for k in ns if k.startswith("CSQ_")),
       "decorated": sorted(getattr(sys.modules.get("xlwings"), "REGISTERED", [])),
       "results": {}}
for fname, calls in samples.items():
    out["results"][fname] = [ns[fname](*args) for args in calls]
print(json.dumps(out, default=str))
"""

# A stand-in for xlwings as Lite provides it: @func records each function it decorates.
_XLWINGS_STUB = """
REGISTERED = []
def func(f=None, **kw):
    def deco(g):
        REGISTERED.append(g.__name__)
        return g
    return deco(f) if f is not None else deco
def arg(*a, **kw):
    return lambda g: g
"""


def _encode(obj: Any) -> Any:
    if isinstance(obj, dt.datetime):
        return {"d": obj.isoformat()}
    if isinstance(obj, dict):
        return {k: _encode(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_encode(x) for x in obj]
    return obj


def _only_numpy_pandas_pydantic(dest: Path) -> None:
    """A site folder holding links to numpy, pandas, pydantic and their requirements only."""
    todo, seen = ["numpy", "pandas", "pydantic"], set()
    while todo:
        name = todo.pop()
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:  # a requirement only for another platform
            continue
        key = dist.metadata["Name"].lower()
        if key in seen:
            continue
        seen.add(key)
        for req in dist.requires or []:
            if "extra ==" in req or "sys_platform" in req or "platform_system" in req:
                continue
            todo.append(re.split(r"[ ;<>=!~\[]", req, maxsplit=1)[0])
        for f in dist.files or []:
            top = f.parts[0]
            if top.endswith((".dist-info", ".egg-info")) or top in ("..", "__pycache__"):
                continue
            src = Path(str(dist.locate_file(top)))
            if src.exists() and not (dest / top).exists():
                (dest / top).symlink_to(src)


def _json_roundtrip(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


@pytest.fixture(scope="module")
def lite_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("lite")
    assert csq(["addin", "build", "-o", str(root / "dist" / "csq.xlam")]) == 0
    lite = root / "dist" / "xlwings-lite"
    work = root / "empty"
    work.mkdir()
    main = work / "main.py"
    main.write_bytes((lite / "main.py").read_bytes())
    site = root / "site"
    site.mkdir()
    _only_numpy_pandas_pydantic(site)
    (site / "xlwings.py").write_text(_XLWINGS_STUB, encoding="utf-8")
    code = (
        f"SITE = {str(site)!r}\nMAIN = {str(main)!r}\n"
        f"SAMPLES = {json.dumps(_encode(SAMPLES))!r}\n" + _RUNNER
    )
    # -I: no user site, no PYTHONPATH, no script folder; -S: no site-packages (so no
    # editable install of csq); the only things importable are the stdlib and ``site``.
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result: dict[str, Any] = json.loads(proc.stdout)
    result["dir"] = lite
    return result


def test_build_writes_main_py_and_requirements(lite_run: dict[str, Any]) -> None:
    lite = lite_run["dir"]
    assert (lite / "main.py").read_text(encoding="utf-8") == main_py()
    reqs = (lite / "requirements.txt").read_text(encoding="utf-8").split()
    assert reqs == REQUIREMENTS.split()
    assert {"xlwings", "numpy", "pandas", "pydantic"} == set(reqs)
    assert not re.search(r"^\s*(from|import) (udfs|workbook_templates|addin)\b", main_py(), re.M)


def test_main_py_defines_and_registers_every_function(lite_run: dict[str, Any]) -> None:
    assert lite_run["defined"] == sorted(FUNCTIONS)
    assert lite_run["decorated"] == sorted(FUNCTIONS)  # every one carries @func for Lite
    assert set(SAMPLES) == set(FUNCTIONS)  # a new function needs a sample here


def test_main_py_gives_the_packages_results(lite_run: dict[str, Any]) -> None:
    for name, calls in SAMPLES.items():
        expected = [_json_roundtrip(FUNCTIONS[name](*args)) for args in calls]
        assert lite_run["results"][name] == expected, name
    # a few values a user would check by hand in Lite
    res = lite_run["results"]
    assert res["CSQ_SCORE"][0] == [[100.0], [83.53], ["#CSQ! speed 7 not in 1-5"], [None]]
    assert res["CSQ_GRADE"][1] == "Good"
    assert res["CSQ_MASK"][0][0] == ["*******5678"]


class _LiteRange:
    def __init__(self, sheet: _LiteSheet, row: int, col: int) -> None:
        self.sheet, self.row, self.column = sheet, row, col

    @property
    def formula(self) -> Any:
        return self.sheet.cells_[self.row - 1][self.column - 1]

    @formula.setter
    def formula(self, value: str) -> None:
        if self.sheet.protected:
            raise RuntimeError("The cell or chart you're trying to change is protected")
        self.sheet.entered.append((self.row, self.column, value))


class _LiteSheet:
    """What the Lite script uses of an xlwings Lite sheet (used_range, cells, name)."""

    def __init__(self, name: str, cells: list[list[Any]], protected: bool = False) -> None:
        self.name, self.cells_, self.protected = name, cells, protected
        self.entered: list[tuple[int, int, str]] = []

    @property
    def used_range(self) -> Any:
        from types import SimpleNamespace

        return SimpleNamespace(formula=self.cells_, row=1, column=1)

    def cells(self, row: int, col: int) -> _LiteRange:
        return _LiteRange(self, row, col)


def test_lite_script_reenters_only_the_csq_formulas(lite_run: dict[str, Any], capsys) -> None:
    """The @script in main.py: every CSQ_ formula entered again, nothing else touched;
    a protected sheet is named, not a traceback."""
    ns: dict[str, Any] = {"__name__": "lite_main"}
    exec(compile(main_py(), "main.py", "exec"), ns)  # noqa: S102 - our own build
    mon = _LiteSheet(
        "Monitoring",
        [["QA score", "Grade"], ["=CSQ_SCORE(Monitoring[[Speed]:[Records]])", "=csq_grade(A2#)"],
         ["", "=SUM(1,2)"], [5, "text"]],
    )  # fmt: skip
    locked = _LiteSheet("Actions", [["=CSQ_ACTION_STATUS(B2:B9)"]], protected=True)
    book = type("Book", (), {"sheets": [mon, locked]})()
    assert ns["reenter_csq_formulas"](book) == 2
    assert mon.entered == [
        (2, 1, "=CSQ_SCORE(Monitoring[[Speed]:[Records]])"),
        (2, 2, "=csq_grade(A2#)"),
    ]
    out = capsys.readouterr().out
    assert "re-entered 2 CSQ_ formulas" in out and "已重新输入 2 个 CSQ_ 公式" in out
    assert "unprotect it first: Actions" in out

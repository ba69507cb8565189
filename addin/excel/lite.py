"""The xlwings Lite build: one self-contained ``main.py`` and its ``requirements.txt``.

xlwings Lite (an Office add-in for Excel on Windows, Mac and the web) runs a single
``main.py`` in Pyodide, with the packages named in ``requirements.txt``.  ``udfs/functions.py``
cannot be pasted there as it is: it imports ``udfs.core`` with package-relative imports.
The build therefore writes a ``main.py`` that carries the source of every ``udfs/core``
module the functions need (found by walking their imports), serves them to Python's import
system as the private package ``csq_lite_core``, and then defines the functions themselves
with their imports pointed at that package.  The functions keep xlwings' ``@func``/``@arg``
decorators, which is how Lite finds them.  Two builds give identical bytes.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import udfs
from udfs.core.version import __version__
from workbook_templates.output import write_text_atomic

LITE_DIR = "xlwings-lite"
CORE_PACKAGE = "csq_lite_core"  # the name main.py serves the core modules under
UDFS_DIR = Path(udfs.__file__).resolve().parent
CORE_DIR = UDFS_DIR / "core"
FUNCTIONS_PY = UDFS_DIR / "functions.py"

# numpy, pandas and pydantic are built into Pyodide, so they are not pinned (Lite's advice);
# xlwings is pure Python and provides the @func/@arg decorators.
REQUIREMENTS = "xlwings\nnumpy\npandas\npydantic\n"

_LOADER = '''
import importlib.abc as _abc
import importlib.util as _util
import sys as _sys


class _CoreLoader(_abc.MetaPathFinder, _abc.Loader):
    """Serves the embedded CSQ core modules as the package {pkg}."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "{pkg}" or (
            fullname.startswith("{pkg}.") and fullname[{cut}:] in _CORE_SOURCES
        ):
            return _util.spec_from_loader(fullname, self, is_package=fullname == "{pkg}")
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        if module.__name__ == "{pkg}":
            return
        name = module.__name__[{cut}:]
        code = compile(_CORE_SOURCES[name], "<csq core " + name + ".py>", "exec")
        exec(code, module.__dict__)


if not any(isinstance(f, _CoreLoader) for f in _sys.meta_path):
    _sys.meta_path.insert(0, _CoreLoader())
'''


def _relative_imports(source: str) -> set[str]:
    """The ``udfs.core`` modules that ``source`` imports (as names inside the core)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            mod = node.module or ""
            if mod == "core":  # functions.py: ``from .core import actions as _actions``
                names.update(a.name for a in node.names)
            elif mod.startswith("core."):
                names.add(mod.split(".")[1])
            elif node.module and not mod.startswith("core"):  # inside core: ``from .x``
                names.add(mod.split(".")[0])
            elif node.module is None:  # ``from . import metrics``
                names.update(a.name for a in node.names)
    return names


def core_modules() -> list[str]:
    """Every ``udfs/core`` module that ``udfs/functions.py`` needs, directly or not, sorted."""
    todo = sorted(_relative_imports(FUNCTIONS_PY.read_text(encoding="utf-8")))
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = CORE_DIR / f"{name}.py"
        if not path.is_file():
            raise FileNotFoundError(f"udfs/core/{name}.py (imported by the functions) is missing")
        seen.add(name)
        todo.extend(_relative_imports(path.read_text(encoding="utf-8")) - seen)
    return sorted(seen)


def _strip_header(source: str) -> str:
    """``source`` without its module docstring and ``from __future__`` import."""
    tree = ast.parse(source)
    drop: set[int] = set()
    for node in tree.body[:3]:
        is_doc = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        is_future = isinstance(node, ast.ImportFrom) and node.module == "__future__"
        if is_doc or is_future:
            drop.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    lines = source.splitlines(keepends=True)
    return "".join(line for i, line in enumerate(lines, start=1) if i not in drop).lstrip("\n")


def _rewrite_function_imports(source: str) -> str:
    """Point ``from .core...`` imports of functions.py at the embedded core package."""
    out = source.replace("from .core import ", f"from {CORE_PACKAGE} import ")
    out = out.replace("from .core.", f"from {CORE_PACKAGE}.")
    leftover = [n for n in ast.walk(ast.parse(out)) if isinstance(n, ast.ImportFrom) and n.level]
    if leftover:
        raise ValueError(f"functions.py line {leftover[0].lineno}: a relative import is left")
    return out


LITE_SCRIPT = '''

# ---- xlwings Lite script: re-enter the CSQ_ formulas of a workbook ----

try:  # xlwings Lite's decorator for a script run from the task pane
    from xlwings import script
except ImportError:  # pragma: no cover - an xlwings without Lite scripts

    def script(f=None, **_):
        return f if f is not None else (lambda g: g)


@script
def reenter_csq_formulas(book):
    """Re-enter every CSQ_ formula of this workbook so that it calls these functions.

    Excel on the web keeps a formula written elsewhere (by csq, or by the desktop add-in)
    uncalculated or #NAME? until it is entered again; this does that for every cell whose
    formula calls a CSQ_ function (the anchor cell of a spilling column), on every sheet.
    A protected sheet must be unprotected first (Review > Unprotect Sheet, no password).
    """
    n, refused = 0, []
    for sheet in book.sheets:
        used = sheet.used_range
        grid = used.formula
        if not isinstance(grid, (list, tuple)):
            grid = [[grid]]
        elif grid and not isinstance(grid[0], (list, tuple)):
            grid = [grid]
        top, left = used.row, used.column
        try:
            for r, row in enumerate(grid):
                for c, formula in enumerate(row):
                    if isinstance(formula, str) and formula.startswith("=") and "CSQ_" in formula.upper():
                        sheet.cells(top + r, left + c).formula = formula
                        n += 1
        except Exception as exc:  # a protected sheet refuses: say which
            refused.append(f"{sheet.name} ({exc})")
    print(f"re-entered {n} CSQ_ formulas / 已重新输入 {n} 个 CSQ_ 公式")
    for name in refused:
        print(
            f"not changed, unprotect it first: {name} / 未能修改，请先撤消工作表保护：{name}"
        )
    return n
'''
"""The Lite script appended to ``main.py``: Lite has no ribbon, so *Refresh scores*'
re-entering of CSQ_ formulas is a script run from the xlwings Lite pane."""


def main_py() -> str:
    """The text of the self-contained ``main.py`` for xlwings Lite."""
    sources = {
        name: (CORE_DIR / f"{name}.py").read_text(encoding="utf-8") for name in core_modules()
    }
    parts = [
        f'"""CSQ {__version__}: the CSQ_ Excel functions for xlwings Lite.\n\n'
        "Generated by `csq addin build` from udfs/functions.py and the udfs/core modules it\n"
        "uses; do not edit (rebuild instead).  Paste this file into xlwings Lite's main.py\n"
        'tab and requirements.txt into its requirements.txt tab.\n"""\n\n',
        "from __future__ import annotations\n\n",
        "# The CSQ calculation core, one module source per entry.\n",
        "_CORE_SOURCES = {\n",
    ]
    for name, text in sources.items():
        parts.append(f"    {name!r}: {text!r},\n")
    parts.append("}\n")
    parts.append(_LOADER.format(pkg=CORE_PACKAGE, cut=len(CORE_PACKAGE) + 1))
    parts.append("\n# ---- udfs/functions.py ----\n\n")
    body = _rewrite_function_imports(_strip_header(FUNCTIONS_PY.read_text(encoding="utf-8")))
    parts.append(body)
    parts.append(LITE_SCRIPT)
    text = "".join(parts)
    compile(text, "main.py", "exec")  # a build that cannot run is not written
    return text


def build_lite(out_dir: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write ``main.py`` and ``requirements.txt`` into ``out_dir``; return their paths."""
    folder = Path(out_dir)
    main = write_text_atomic(folder / "main.py", main_py())
    req = write_text_atomic(folder / "requirements.txt", REQUIREMENTS)
    return main, req

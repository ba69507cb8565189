"""The house's floors: every import points down (README, Development).

Ground floor ``udfs/core`` (the calculation core and the analysis model) imports no other
package of the project; ``udfs`` (the Excel functions) imports only the core;
``workbook_templates`` imports only ``udfs``; ``addin`` may import everything below it.
Imports inside functions count too: a lazy import is still an arrow.

Inside ``addin`` the rooms: ``addin.jobs`` (the jobs the ribbon and the CLI share) may import
``addin.read``, ``addin.report`` and the floors below, never ``addin.commands``,
``addin.excel`` or ``addin.cli``; ``addin.excel`` (the ribbon) may import ``addin.jobs`` but
not ``addin.commands``; ``addin.commands`` parses, calls ``addin.jobs`` and prints (no
``addin.read``/``addin.report`` of its own); only ``addin.cli`` imports ``addin.commands``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("udfs", "workbook_templates", "addin")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every project module that ``path`` imports, relative imports resolved."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
    return {m for m in found if m.split(".")[0] in PACKAGES}


def _arrows() -> list[tuple[str, str]]:
    out = []
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            src = _module_name(path)
            out.extend((src, dst) for dst in sorted(_imports(path)))
    return out


def _floor(module: str) -> int:
    if module == "udfs.core" or module.startswith("udfs.core."):
        return 0
    if module.split(".")[0] == "udfs":
        return 1
    if module.split(".")[0] == "workbook_templates":
        return 2
    return 3  # addin


ARROWS = _arrows()


def test_the_walker_sees_the_arrows_it_should():
    # a walker that found nothing would pass the real test vacuously
    assert ("addin.jobs.report", "addin.read.workbook") in ARROWS  # lazy, relative
    assert ("workbook_templates.schema", "udfs.core.fields") in ARROWS
    assert ("udfs.core.analysis", "udfs.core.metrics") in ARROWS  # `from . import metrics`
    assert len(ARROWS) > 100


def test_every_import_points_down_or_sideways():
    up = [f"{s} -> {d}" for s, d in ARROWS if _floor(d) > _floor(s)]
    assert up == [], "imports pointing up: " + "; ".join(up)


def test_the_core_imports_no_excel_library():
    # the core ships alone (xlwings Lite, servers): no xlwings, no file formats
    banned = ("xlwings", "xlsxwriter", "openpyxl", "python_calamine")
    bad = []
    for path in sorted((ROOT / "udfs" / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            bad += [f"{path.name}: {n}" for n in names if n.split(".")[0] in banned]
    assert bad == []


def _room(module: str) -> str:
    """``addin.jobs.report`` -> ``addin.jobs``; ``addin.cli`` stays itself."""
    return ".".join(module.split(".")[:2])


def _room_arrows(src_room: str) -> list[tuple[str, str]]:
    return [(s, d) for s, d in ARROWS if _room(s) == src_room and _room(d) != src_room]


def test_the_jobs_import_only_the_readers_the_report_writers_and_below():
    allowed = {"addin.read", "addin.report"}
    bad = [
        f"{s} -> {d}"
        for s, d in _room_arrows("addin.jobs")
        if _floor(d) == 3 and _room(d) not in allowed and d != "addin"
    ]
    assert bad == [], "addin.jobs importing a room above it: " + "; ".join(bad)


def test_the_ribbon_imports_the_jobs_not_the_commands():
    bad = [f"{s} -> {d}" for s, d in _room_arrows("addin.excel") if _room(d) == "addin.commands"]
    assert bad == [], "addin.excel importing addin.commands: " + "; ".join(bad)
    assert any(_room(d) == "addin.jobs" for _, d in _room_arrows("addin.excel"))


def test_the_commands_reach_the_work_only_through_the_jobs():
    bad = [
        f"{s} -> {d}"
        for s, d in _room_arrows("addin.commands")
        if _floor(d) == 3 and _room(d) not in {"addin.jobs", "addin"}
    ]
    assert bad == [], "addin.commands importing past addin.jobs: " + "; ".join(bad)


def test_only_the_cli_imports_the_commands():
    bad = [
        f"{s} -> {d}"
        for s, d in ARROWS
        if _room(d) == "addin.commands" and _room(s) not in {"addin.commands", "addin.cli"}
    ]
    assert bad == [], "addin.commands imported from outside addin.cli: " + "; ".join(bad)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _private_imports(path: Path, source: str | None = None) -> list[str]:
    """``from <module> import _name`` of a project module other than ``path`` itself (a
    private name crossing a module boundary); ``import x._y`` too."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    text = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] not in PACKAGES or target == module:
                continue
            private = [a.name for a in node.names if _private(a.name)]
            private += [p for p in target.split(".") if _private(p)]
            out += [f"{module}: from {target} import {n}" for n in private]
        elif isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[0] in PACKAGES and any(_private(p) for p in parts):
                    out.append(f"{module}: import {a.name}")
    return out


PRIVATE_IMPORTS = sorted(
    line
    for pkg in PACKAGES
    for path in sorted((ROOT / pkg).rglob("*.py"))
    for line in _private_imports(path)
)


def test_the_private_import_walker_sees_one():
    probe = ROOT / "addin" / "read" / "_probe_for_the_layers_test.py"  # not written
    source = "from .cells import _m, display\nfrom addin.read.cells import _x\nfrom . import __version__\n"
    assert _private_imports(probe, source) == [
        "addin.read._probe_for_the_layers_test: from addin.read.cells import _m",
        "addin.read._probe_for_the_layers_test: from addin.read.cells import _x",
    ]


def test_no_private_name_crosses_a_module_boundary():
    assert PRIVATE_IMPORTS == [], "private names imported across modules: " + "; ".join(
        PRIVATE_IMPORTS
    )

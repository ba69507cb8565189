"""The functions module under xlwings' real Windows decorators.

On Linux ``xlwings.func`` is a no-op, so this loads xlwings' own ``xlwings.udfs`` (with the
pywin32 modules it imports stubbed out), decorates ``udfs.functions`` with its real
``xlfunc``/``xlarg`` and checks the metadata classic xlwings would register in Excel.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types

import pytest


@pytest.fixture()
def xlwings_windows_decorators(monkeypatch: pytest.MonkeyPatch):
    for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
        mod = types.ModuleType(name)
        mod.Dispatch = object  # type: ignore[attr-defined]
        mod.CoInitialize = lambda: None  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, name, mod)
    xw_udfs = importlib.import_module("xlwings.udfs")
    import xlwings

    monkeypatch.setattr(xlwings, "func", xw_udfs.xlfunc)
    monkeypatch.setattr(xlwings, "arg", xw_udfs.xlarg)
    import udfs.functions

    mod = importlib.reload(udfs.functions)
    yield mod
    monkeypatch.undo()
    importlib.reload(udfs.functions)
    sys.modules.pop("xlwings.udfs", None)


def test_every_function_carries_xlwings_metadata(xlwings_windows_decorators) -> None:
    mod = xlwings_windows_decorators
    for name, f in mod.FUNCTIONS.items():
        exported = getattr(mod, name)
        assert exported is f, f"{name}: the module attribute must be the safe wrapper"
        meta = f.__xlfunc__
        params = list(inspect.signature(f).parameters)
        assert [a["name"] for a in meta["args"]] == params, name
        assert meta["name"] == name
        # range arguments arrive as 2-D lists so one call covers a whole column
        for a in meta["args"]:
            if a["name"] in ("ratings", "score", "counts", "planned", "customer_id"):
                assert a["options"].get("ndim") == 2, (name, a["name"])
        # the docstring is the help Excel shows (xlwings passes its first 255 characters)
        help_text = meta["ret"]["doc"]
        assert help_text == f.__doc__
        first_sentence = help_text.strip().split(".")[0]
        assert 10 < len(first_sentence) < 255, name


def test_calls_still_return_cells_under_real_decorators(xlwings_windows_decorators) -> None:
    F = xlwings_windows_decorators.FUNCTIONS
    assert F["CSQ_SCORE"]([[4, 4, 4, 4, 4, 4]]) == 80.0
    assert F["CSQ_GRADE"]([[95], [50]]) == [["优秀"], ["不合格"]]

"""Every default a CSQ_ function's docstring states (the help Excel's function wizard shows)
is the default the code uses: the signature's, or the core's configuration where the
signature says None."""

from __future__ import annotations

import datetime as dt
import inspect
import re

import numpy as np
import pytest

from addin.excel.xlam import function_help
from udfs.core.config import DEFAULT_CONFIG
from udfs.core.values import parse_as_of
from udfs.functions import FUNCTIONS

_CONTACT = [i.weight for i in DEFAULT_CONFIG.contact_indicators]
_TEAM = [i.weight for i in DEFAULT_CONFIG.team_indicators]
_GRADES = [DEFAULT_CONFIG.grades.excellent, DEFAULT_CONFIG.grades.good, DEFAULT_CONFIG.grades.pass_]
RESOLVED_NONE = {
    # (function, argument) whose signature default is None -> what the code then uses
    ("CSQ_SCORE", "weights"): _CONTACT,
    ("CSQ_EXPLAIN", "weights"): _CONTACT,
    ("CSQ_COMPOSITE", "weights"): _TEAM,
    ("CSQ_GRADE", "thresholds"): _GRADES,
}


def stated_defaults(name: str) -> list[tuple[str, str]]:
    """(argument, stated default) for each "(default X)" and '"X" (default)' in the
    docstring: the argument is the last one of the signature named before it."""
    func = FUNCTIONS[name]
    doc = " ".join((inspect.getdoc(func) or "").split())
    params = list(inspect.signature(func).parameters)
    out = []
    for m in re.finditer(r'\(default ([^)]*)\)|"(\w+)" \(default\)', doc):
        before = doc[: m.start()]
        named = [(max(before.rfind(p), before.rfind(p.replace("_", " "))), p) for p in params]
        pos, arg = max(named)
        assert pos >= 0, f"{name}: no argument named before {m.group()!r}"
        out.append((arg, m.group(1) or m.group(2)))
    return out


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", text)]


ALL = [(n, a, v) for n in FUNCTIONS for a, v in stated_defaults(n)]


def test_the_defaults_stated_are_found():
    found = {(n, a) for n, a, _ in ALL}
    for key in RESOLVED_NONE:
        assert key in found or key == ("CSQ_EXPLAIN", "weights"), key
    assert ("CSQ_COMPOSITE", "weights") in found and ("CSQ_SLA", "threshold") in found
    assert ("CSQ_GRADE", "lang") in found and ("CSQ_QC_RESULT", "pass_mark") in found
    assert len(ALL) >= 9


@pytest.mark.parametrize(("name", "arg", "stated"), ALL)
def test_stated_default_is_the_codes(name, arg, stated):
    default = inspect.signature(FUNCTIONS[name]).parameters[arg].default
    if stated == "today":
        assert default is None
        today = float(np.datetime64(dt.date.today(), "D").astype(np.int64))
        assert parse_as_of(default) == today
    elif default is None:
        assert (name, arg) in RESOLVED_NONE, f"{name}({arg}=None): add the code's default here"
        assert _numbers(stated) == RESOLVED_NONE[(name, arg)], (name, arg)
    elif isinstance(default, str):
        assert stated == default
    else:
        assert _numbers(stated) == [float(default)]


def test_wizard_help_of_the_first_argument():
    """Excel's Insert Function dialog: CSQ_GRADE's and CSQ_LEVEL's first argument are
    described as what they take, not as the grade table."""
    grade = function_help(FUNCTIONS["CSQ_GRADE"])[1]
    level = function_help(FUNCTIONS["CSQ_LEVEL"])[1]
    assert grade[0].startswith("a QA score 0-100") and "Excellent" not in grade[0]
    assert level[0].startswith("a rubric rating 1-5") and "优秀" not in level[0]
    assert grade[2] == level[1] == '(optional) "zh" (default) or "en".'

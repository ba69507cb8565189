"""The list of slow tests (``tests/conftest.py``) names tests that exist.

A renamed or deleted test would otherwise drop out of the list unseen, and a slow test
would silently rejoin the fast subset (``pytest -m "not slow"``).
"""

from __future__ import annotations

from pathlib import Path

from conftest import ALL, SLOW

HERE = Path(__file__).parent


def test_every_slow_entry_names_a_test_module_and_tests_that_exist() -> None:
    stale = []
    for module, names in SLOW.items():
        path = HERE / module
        if not path.exists():
            stale.append(module)
            continue
        if names == ALL:
            continue
        text = path.read_text(encoding="utf-8")
        stale += [f"{module}::{n}" for n in names if f"def {n}(" not in text]
    assert stale == [], "tests/conftest.py SLOW names what no longer exists: " + ", ".join(stale)

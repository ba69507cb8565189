"""Checks that make a read workbook unusable although its Monitoring table was found:
every contact time unreadable (a report of 0 contacts would be a false success)."""

from __future__ import annotations

import pandas as pd

from udfs.core.data import Finding
from udfs.core.problems import Problem

FIRST_CELLS = 3
"""How many of the bad cells a rejection names."""


def no_contact_time(monitoring: pd.DataFrame, findings: list[Finding]) -> list[Problem]:
    """The rejection of a Monitoring table with rows but not one readable contact time,
    naming its first bad cells (``[]`` when the table is empty or some time is readable)."""
    if not len(monitoring) or "contact_time" not in monitoring.columns:
        return []
    if monitoring["contact_time"].notna().any():
        return []
    bad = [f.where() for f in findings if f.key == "contact_time" and f.cell]
    cells = ", ".join(bad[:FIRST_CELLS]) + (", …" if len(bad) > FIRST_CELLS else "")
    return [Problem("no_contact_time", {"n": len(monitoring), "cells": cells or "-"})]

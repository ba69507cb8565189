"""Extra columns (issue 23, item 5): the columns of an export that its map does not name,
kept in the imported workbook's Monitoring sheet right of the template's columns and read
back into the Monitoring table under the key ``extra:<header>``.  Their values are text as
written; ``--by`` may break the report down by one of them."""

from __future__ import annotations

from collections.abc import Iterable

EXTRA_PREFIX = "extra:"
"""Key of an extra column in the Monitoring table: the prefix and the header."""


def extra_key(header: str) -> str:
    """The Monitoring-table key of the extra column headed ``header``."""
    return EXTRA_PREFIX + header


def is_extra(key: object) -> bool:
    """Whether ``key`` names an extra column."""
    return isinstance(key, str) and key.startswith(EXTRA_PREFIX)


def extra_header(key: str) -> str:
    """The header of an extra column (its key without the prefix)."""
    return key[len(EXTRA_PREFIX) :] if is_extra(key) else key


def extra_keys(columns: Iterable[object]) -> list[str]:
    """The extra columns among a table's columns, in order."""
    return [c for c in columns if is_extra(c)]  # type: ignore[misc]

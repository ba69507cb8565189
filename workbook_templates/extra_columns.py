"""The layout of extra columns (issue 23, item 5; keys: :mod:`udfs.core.extra_columns`):
columns of an export that the map does not name, written on the Monitoring sheet after
the template's computed columns, outside the Table, one column each, headed by the
export's header (written as text, never a formula) and holding the export's values as
they were (text as text).  A workbook without them is the blank template unchanged."""

from __future__ import annotations

from udfs.core.extra_columns import extra_header
from udfs.core.fields import Field
from workbook_templates.schema import Column

EXTRA_WIDTH = 14

EXTRA_COLUMN = Column(
    Field("extra", "", "", kind="text", customer_text=True, announce_missing=False),
    width=EXTRA_WIDTH,
)
"""The column every extra column is formatted as (unlocked text, like an input)."""


def extra_column(key: str) -> Column:
    """An extra column as a schema column (key ``extra:<header>``, headed ``<header>`` in
    either language): free text, customer text rules (never a formula)."""
    h = extra_header(key)
    return Column(
        Field(key, h, h, kind="text", customer_text=True, announce_missing=False),
        width=EXTRA_WIDTH,
    )

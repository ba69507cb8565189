"""Writes the Config sheet: the cells :func:`workbook_templates.config_sheet.layout` places.

Titles, sections, headers, the as-of date (``=TODAY()`` or fixed), the settings and the rows
of the editable Config lists, each in its format, with its dropdown where it has choices.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from typing import Any

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from udfs.core.config import ScoringConfig
from udfs.core.fields import Lang
from workbook_templates.config_sheet import NAME_AS_OF
from workbook_templates.config_sheet import layout as config_layout
from workbook_templates.formats import Formats


def write_config_sheet(
    ws: Worksheet,
    fmt: Formats,
    lang: Lang,
    config: ScoringConfig,
    as_of: _dt.date,
    as_of_fixed: bool = False,
    population: int | None = None,
    config_rows: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> dict[str, str]:
    lay = config_layout(lang, config, population, config_rows)
    # the population table runs to column N: its time headers need 18 (平均处理时长(秒))
    widths = (16, 34, 10, 16, 20, 12, 12, 12, 18, 18, 12, 12, 12, 12)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.set_column(0, 0, 16, fmt.key)
    lists = _ChoiceLists(ws, [c.choices for c in lay.cells if c.role == "entry" and c.choices])
    pending = sorted(lists.cells)  # written in row order (the sheet streams its rows)
    for cell in sorted(lay.cells, key=lambda x: (x.row, x.col)):
        while pending and pending[0][0] < cell.row:
            ws.write_string(*pending.pop(0))
        if cell.role == "title":
            ws.write_string(cell.row, cell.col, cell.value, fmt.title)
        elif cell.role == "section":
            ws.write_string(cell.row, cell.col, cell.value, fmt.section)
        elif cell.role == "header":
            ws.write_string(cell.row, cell.col, cell.value, fmt.header)
        elif cell.role == "key":
            ws.write_string(cell.row, cell.col, cell.value, fmt.key)
        elif cell.role == "formula" and as_of_fixed:  # the as-of date, fixed
            ws.write_datetime(cell.row, cell.col, as_of, fmt.setting(cell.number_format, True))
        elif cell.role == "formula":
            ws.write_formula(
                cell.row,
                cell.col,
                cell.value,
                fmt.setting(cell.number_format, True),
                (as_of - _dt.date(1899, 12, 30)).days,
            )
        elif cell.role == "value" and cell.value is None:  # optional, left for the user
            ws.write_blank(cell.row, cell.col, None, fmt.setting(cell.number_format, True))
            ws.data_validation(
                cell.row,
                cell.col,
                cell.row,
                cell.col,
                {"validate": "integer", "criteria": ">=", "value": 1, "ignore_blank": True},
            )
        elif cell.role == "value":
            ws.write_number(cell.row, cell.col, cell.value, fmt.setting(cell.number_format, True))
        elif cell.role == "entry":  # a row of a Config table: text or number, editable
            f = fmt.setting(cell.number_format, True)
            if cell.value is None:
                ws.write_blank(cell.row, cell.col, None, f)
            elif isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                ws.write_number(cell.row, cell.col, cell.value, f)
            else:
                ws.write_string(cell.row, cell.col, str(cell.value), f)
            if cell.choices:
                ws.data_validation(
                    cell.row,
                    cell.col,
                    cell.row,
                    cell.col,
                    {
                        "validate": "list",
                        "source": lists.source(cell.choices),
                        "ignore_blank": True,
                    },
                )
        else:
            ws.write_string(cell.row, cell.col, str(cell.value), fmt.text)
    for r, c, item in pending:
        ws.write_string(r, c, item)
    assert NAME_AS_OF in lay.names
    ws.freeze_panes(1, 0)
    ws.protect("", {"format_columns": True, "format_rows": True})
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    return lay.names


LIST_LIMIT = 255
"""Excel's limit on the characters of a typed list validation ("a,b,c")."""

LIST_COLUMN = 40
"""0-based column (AO) of the hidden cells holding a list too long to be typed."""


class _ChoiceLists:
    """The source of a dropdown: the typed list when it fits Excel's 255 characters, else
    a hidden column of the Config sheet holding the choices (one column per distinct
    list, from row 1), referenced absolutely, so every choice stays in the dropdown.
    ``cells`` are the hidden cells to write, ``(row, col, text)``."""

    def __init__(self, ws: Any, lists: Sequence[Sequence[str]]) -> None:
        self.columns: dict[tuple[str, ...], int] = {}
        self.cells: list[tuple[int, int, str]] = []
        for choices in lists:
            items = tuple(str(c) for c in choices)
            if len(",".join(items)) > LIST_LIMIT and items not in self.columns:
                col = LIST_COLUMN + len(self.columns)
                self.columns[items] = col
                ws.set_column(col, col, None, None, {"hidden": True})
                self.cells += [(r, col, item) for r, item in enumerate(items)]

    def source(self, choices: Sequence[str]) -> list[str] | str:
        items = tuple(str(c) for c in choices)
        col = self.columns.get(items)
        if col is None:
            return list(items)
        name = xl_col_to_name(col, col_abs=True)
        return f"={name}$1:{name}${len(items)}"

"""The fallback for cells calamine cannot read: one sheet (or one slice) through openpyxl.

python-calamine panics on some cells (a date-formatted number far outside the calendar:
``pyo3_runtime.PanicException``).  Only the sheet or slice holding such a cell is read
again here, by openpyxl in read-only mode (cached values, no formulas), with the values
calamine gives where it can: numbers, texts, booleans, error values as their text, dates
as ``datetime``; a date-formatted number outside the calendar stays a number, so it
becomes a finding with its own value.  Rows come from row 1 and column A, blank rows
included, blanks as ``""``.
"""

from __future__ import annotations

import io
import warnings
from typing import Any


def openpyxl_rows(data: bytes, sheet: str) -> list[list[Any]]:
    """Every row of worksheet ``sheet`` of the xlsx ``data`` (see the module's docstring)."""
    import openpyxl
    from openpyxl.styles.numbers import is_date_format, is_timedelta_format
    from openpyxl.utils.datetime import from_excel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about what it does not support
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        ws = wb[sheet]
        ws.reset_dimensions()  # every cell, whatever the sheet's stated dimension says
        # numbers as stored: the date-formatted ones are converted below, where a number
        # outside the calendar can stay a number (openpyxl would make it "#VALUE!")
        wb._date_formats = set()  # noqa: SLF001 - openpyxl's one switch for it
        out: list[list[Any]] = []
        for row in ws.iter_rows():
            values: list[Any] = []
            for cell in row:
                v = cell.value
                if v is None:
                    v = ""
                elif (
                    isinstance(v, (int, float))
                    and not isinstance(v, bool)
                    and is_date_format(cell.number_format)
                ):
                    try:
                        v = from_excel(
                            v, wb.epoch, timedelta=is_timedelta_format(cell.number_format)
                        )
                    except (OverflowError, ValueError):
                        pass
                values.append(v)
            out.append(values)
        # trailing blank cells, as calamine ends every row at the sheet's last column
        width = max((len(r) for r in out), default=0)
        return [r + [""] * (width - len(r)) for r in out]
    finally:
        wb.close()

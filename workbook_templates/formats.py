"""The cell formats of the workbook's sheets (fonts, fills, input and computed cells).

One :class:`Formats` per workbook: the Guide, Config, data and Evaluation sheets share it,
and the per-column formats are made once and cached.
"""

from __future__ import annotations

from typing import Any

import xlsxwriter

from udfs.core.fields import Lang
from workbook_templates.schema import Column

HEADER_FILL = "#1F4E78"
COMPUTED_FILL = "#EEF3F8"
INPUT_FILL = "#DDEBF7"


class Formats:
    """The named formats of one workbook, in its language's font."""

    def __init__(self, wb: xlsxwriter.Workbook, lang: Lang):
        font = {"font_name": "Microsoft YaHei" if lang == "zh" else "Calibri", "font_size": 10}
        self.font = font
        self.wb = wb
        self._cache: dict[tuple[Any, ...], Any] = {}
        self.title = wb.add_format(
            {**font, "bold": True, "font_size": 14, "font_color": HEADER_FILL}
        )
        self.section = wb.add_format({**font, "bold": True, "font_size": 11, "bottom": 1})
        self.header = wb.add_format(
            {
                **font,
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": HEADER_FILL,
                "text_wrap": True,
                "valign": "vcenter",
                "border": 1,
            }
        )
        self.spill_header = wb.add_format(
            {
                **font,
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": "#2E75B6",
                "text_wrap": True,
                "valign": "vcenter",
                "border": 1,
            }
        )
        self.wrap = wb.add_format({**font, "text_wrap": True, "valign": "top"})
        self.text = wb.add_format({**font, "valign": "top"})
        self.key = wb.add_format({**font, "font_color": "#7F7F7F", "font_size": 8})
        self.input_value = wb.add_format(
            {
                **font,
                "bg_color": INPUT_FILL,
                "locked": False,
                "border": 1,
                "border_color": "#9BC2E6",
            }
        )
        self.grey = wb.add_format({**font, "font_color": "#595959"})

    def cell(self, col: Column) -> Any:
        key = (col.num_format, col.role, col.kind, col.key)
        if key not in self._cache:
            spec: dict[str, Any] = dict(self.font)
            if col.num_format:
                spec["num_format"] = col.num_format
            if col.kind in ("yn", "rubric", "integer") or col.key in (
                "grade",
                "qc_result",
                "pareto_class",
                "met",
            ):
                spec["align"] = "center"
            if col.role == "input":
                spec["locked"] = False
            else:
                spec["bg_color"] = COMPUTED_FILL
            if col.kind == "text" and col.width >= 20:
                spec["text_wrap"] = False
            self._cache[key] = self.wb.add_format(spec)
        return self._cache[key]

    def setting(self, num_format: str | None, editable: bool) -> Any:
        key = ("setting", num_format, editable)
        if key not in self._cache:
            spec: dict[str, Any] = dict(self.font)
            if num_format:
                spec["num_format"] = num_format
            if editable:
                spec.update(bg_color=INPUT_FILL, locked=False, border=1, border_color="#9BC2E6")
            self._cache[key] = self.wb.add_format(spec)
        return self._cache[key]

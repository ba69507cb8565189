"""The report's page furniture: cell formats, number formats, a sheet written top to bottom.

:class:`Writer` owns the xlsxwriter workbook and its named formats; :class:`Sheet` writes
one worksheet row by row (titles, headings, header rows that grow for wrapped text, data
rows) with A4 print settings and the report footer.  Customer text is always written as a
string.  The sheets themselves are in :mod:`addin.report.xlsx`.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from udfs import __version__
from udfs.core.model import Analysis
from workbook_templates.output import REPORT_MARKER
from workbook_templates.xlsx_safe import SafeWorkbook

from .labels import label

METRIC_FORMATS: dict[str, str] = {
    # each KPI's number format in the report (the format keys of Writer.FORMATS)
    "contacts": "int",
    "answered": "int",
    "answer_rate": "pct",
    "resolved_first_contact": "int",
    "fcr": "pct",
    "csat_mean": "dec2",
    "csat_pct": "pct",
    "nps": "dec1",
    "avg_first_response_s": "dec1",
    "avg_handle_time_s": "dec1",
    "avg_resolution_time_h": "dec1",
    "service_level": "pct",
    "transfer_rate": "pct",
    "repeat_rate": "pct",
    "qa_score_mean": "dec1",
    "qc_pass_rate": "pct",
    "composite_score": "dec1",
}


def _text_units(text: str) -> float:
    # in units of the column width (one digit): CJK glyphs ~2, Latin letters ~0.9
    return sum(2.0 if ord(ch) > 0x2E80 else 0.9 for ch in text) + 1


def text_units(text: str) -> float:
    """How wide a text is in units of the column width (CJK glyphs count double)."""
    return _text_units(text)


def _break_header(text: str, width: float) -> str:
    """A header too wide for its column breaks before its bracket ("满意度均值\n(1-5)"), so
    that a wrap never leaves ")" alone on a line."""
    if "\n" in text or _text_units(text) <= width * 0.85:
        return text
    for bracket in ("(", "（"):
        i = text.find(bracket)
        if i > 0:
            return text[:i].rstrip() + "\n" + text[i:]
    return text


class Sheet:
    """A worksheet written top to bottom (xlsxwriter constant_memory needs row order)."""

    def __init__(self, w: Writer, key: str, widths: Sequence[float]):
        self.w = w
        self.ws = w.wb.add_worksheet(label(key, w.lang))
        self.name = self.ws.get_name()
        self.row = 0
        self.y = 0.0  # the points written so far (row heights), for the page estimate
        self.breaks: list[int] = []
        self.ncols = len(widths)
        self.widths = list(widths)
        for i, width in enumerate(widths):
            self.ws.set_column(i, i, width)
        self.ws.set_paper(9)  # A4
        self.ws.set_landscape()  # every page the same way round
        self.ws.fit_to_pages(1, 0)
        self.ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        footer = label(
            "footer",
            w.lang,
            src=w.an.source or "-",
            p=w.an.period or "-",
            d=w.an.as_of.isoformat(),
            v=__version__,
        ).replace("&", "&&")
        self.ws.set_footer(f"&L&8{footer}&R&8&P / &N")

    # page estimate: where the next row falls on the printed page (A4 landscape, fitted to
    # one page wide), so that a heading and its table header never end a page
    PAGE_HEIGHT_PT = 595.0 - 2 * 0.6 * 72  # A4 landscape less the margins (footer inside)
    PAGE_WIDTH_PT = 842.0 - 2 * 0.5 * 72
    KEEP_ROWS = 8
    """A heading starts a new page unless it, the table header and some rows fit."""
    ROW_PT = 12.75
    """A row of default height as LibreOffice and Excel print it (rows without a set
    height fit their 11-point text)."""

    def _advance(self, height: float, rows: int = 1) -> None:
        self.y += height * rows
        self.row += rows

    def _page_height(self) -> float:
        """The printable height in unscaled points (fit to one page wide shrinks rows)."""
        width_pt = sum(w * 7 + 5 for w in self.widths) * 0.75
        scale = min(1.0, self.PAGE_WIDTH_PT / width_pt) if width_pt else 1.0
        return self.PAGE_HEIGHT_PT / scale

    def keep_with_next(self, rows: int = KEEP_ROWS) -> None:
        """Start a new page here when fewer than ``rows`` default rows still fit."""
        if getattr(self.ws, "fit_height", 0) == 1:
            return  # a sheet printed on one page (the overview) has no page to break
        page = self._page_height()
        if self.row > 0 and self.y % page + rows * self.ROW_PT > page:
            self.breaks.append(self.row)
            self.y = 0.0  # the new page starts here
            self.ws.set_h_pagebreaks(self.breaks)

    def title(self, text: str) -> None:
        self.ws.set_row(self.row, 24)
        self.ws.write_string(self.row, 0, text, self.w.f["title"])
        self._advance(24)
        self._advance(self.ROW_PT)

    def heading(self, text: str) -> None:
        self.keep_with_next()
        self.ws.write_string(self.row, 0, text, self.w.f["h2"])
        self._advance(self.ROW_PT)

    def note(self, text: str) -> None:
        self.ws.write_string(self.row, 0, text, self.w.f["note"])
        self._advance(self.ROW_PT)

    def gap(self, n: int = 1) -> None:
        self._advance(self.ROW_PT, n)

    def header(self, labels: Sequence[str], repeat: bool = False) -> None:
        """A table's header row; ``repeat``: printed again at the top of every page (one
        table per sheet can repeat, the long one)."""
        labels = [
            _break_header(t, self.widths[c] if c < len(self.widths) else 10)
            for c, t in enumerate(labels)
        ]
        # wrapped header text needs a taller row (CJK characters are about two units wide)
        need = max(
            (
                sum(
                    math.ceil(_text_units(part) / max(self.widths[c] * 0.85, 1))
                    for part in t.split("\n")
                )
                for c, t in enumerate(labels)
                if c < len(self.widths)
            ),
            default=0,
        )
        height = self.ROW_PT
        if need > 1:
            height = 15 * min(3, math.ceil(need))
            self.ws.set_row(self.row, height)
        for c, text in enumerate(labels):
            self.ws.write_string(self.row, c, text, self.w.f["th"])
        if repeat:
            self.ws.repeat_rows(self.row)
        self._advance(height)

    def cells(self, values: Sequence[Any], fmts: Sequence[str | None] | None = None) -> int:
        r = self.row
        # wrapped text: give the row the height of its longest cell (LibreOffice and Excel
        # do not grow rows written by xlsxwriter on their own)
        lines = 1
        for c, v in enumerate(values):
            if fmts and fmts[c] == "wrap" and isinstance(v, str) and c < len(self.widths):
                width = max(self.widths[c] - 1, 1)
                est = sum(math.ceil(_text_units(part) / width) for part in v.split("\n"))
                lines = max(lines, min(est, 15))
        if lines > 1:
            self.ws.set_row(r, 15 * lines)
        for c, v in enumerate(values):
            self.w.cell(self.ws, r, c, v, (fmts[c] if fmts else None))
        self._advance(15.0 * lines if lines > 1 else self.ROW_PT)
        return r


NUMBER_FORMATS = frozenset(
    {"int", "dec1", "dec2", "pct", "d_int", "d_dec1", "d_dec2", "d_pct", "date", "datetime",
     "big", "group_dec1", "group_d_dec1"}
)  # fmt: skip


class Writer:
    FORMATS: dict[str, dict[str, Any]] = {
        "title": {"bold": True, "font_size": 15, "font_color": "#1F3864"},
        "h2": {"bold": True, "font_size": 11, "font_color": "#1F3864", "bottom": 1},
        "note": {"italic": True, "font_color": "#595959", "font_size": 9},
        "th": {
            "bold": True,
            "bg_color": "#D9E1F2",
            "border": 1,
            "text_wrap": True,
            "valign": "vcenter",
        },
        "text": {"border": 1, "valign": "vcenter"},
        "wrap": {"border": 1, "text_wrap": True, "valign": "vcenter"},
        "label": {"border": 1, "bold": True, "bg_color": "#F2F2F2", "valign": "vcenter"},
        "int": {"border": 1, "num_format": "0"},
        "dec1": {"border": 1, "num_format": "0.0"},
        "dec2": {"border": 1, "num_format": "0.00"},
        "pct": {"border": 1, "num_format": "0.0%"},
        "d_int": {"border": 1, "num_format": "+0;-0;0"},
        "d_dec1": {"border": 1, "num_format": "+0.0;-0.0;0.0"},
        "d_dec2": {"border": 1, "num_format": "+0.00;-0.00;0.00"},
        "d_pct": {"border": 1, "num_format": "+0.0%;-0.0%;0.0%"},  # replaced by points
        "date": {"border": 1, "num_format": "yyyy-mm-dd"},
        "datetime": {"border": 1, "num_format": "yyyy-mm-dd hh:mm"},
        "big": {"bold": True, "font_size": 14, "border": 1, "num_format": "0.00"},
        "big_text": {"bold": True, "font_size": 14, "border": 1},
        "group": {"bold": True, "border": 1, "bg_color": "#EDEDED"},
        "group_dec1": {"bold": True, "border": 1, "bg_color": "#EDEDED", "num_format": "0.0"},
        "group_d_dec1": {
            "bold": True,
            "border": 1,
            "bg_color": "#EDEDED",
            "num_format": "+0.0;-0.0;0.0",
        },
        "mono": {"font_name": "Consolas", "font_size": 9},
        "plain": {},
        "small": {"border": 1, "font_size": 8, "valign": "vcenter"},
        "bad": {"border": 1, "font_color": "#C00000", "bold": True, "indent": 1},
        "good": {"border": 1, "font_color": "#375623", "bold": True, "indent": 1},
    }

    def __init__(self, path: Path, an: Analysis, lang: str):
        self.an = an
        self.lang = lang
        self.info: dict[str, str] = {}  # the Config sheet's report cells (the narrative's)
        # the report is small (no per-contact rows but a few cases): held in memory, not
        # streamed through a temporary file per sheet and part (a tenth of a tiny report)
        self.wb = SafeWorkbook(str(path), {"in_memory": True})
        font = "Microsoft YaHei" if lang == "zh" else "Calibri"
        self.font = font
        self.f = {
            k: self.wb.add_format({"font_name": font, "valign": "vcenter", **v})
            for k, v in self.FORMATS.items()
        }
        self.f["mono"] = self.wb.add_format(self.FORMATS["mono"])
        # a change of a rate is in percentage points: the cell holds points (x100), never "%"
        pp = label("pp_unit", lang).replace('"', "")
        self.f["d_pct"] = self.wb.add_format(
            {
                "font_name": font,
                "valign": "vcenter",
                "border": 1,
                "num_format": f'+0.0"{pp}";-0.0"{pp}";0.0"{pp}"',
            }
        )
        self.wb.set_properties(
            {
                "title": label("title", lang),
                "subject": an.source,
                "comments": f"CSQ {__version__}; as of {an.as_of.isoformat()}",
            }
        )
        # the marker: csq report never reads a report back as a workbook
        self.wb.set_custom_property(REPORT_MARKER, f"CSQ {__version__}")

    def cell(self, ws: Any, r: int, c: int, v: Any, fmt: str | None) -> None:
        f = self.f.get(fmt or "text", self.f["text"])
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
            ws.write_blank(r, c, None, f)
        elif isinstance(v, (bool, np.bool_)):
            ws.write_string(r, c, label("yes" if v else "no", self.lang), self.f["text"])
        elif isinstance(v, (int, float, np.integer, np.floating)):
            fv = float(v) * (100.0 if fmt == "d_pct" else 1.0)  # rate change: points
            if math.isinf(fv):
                ws.write_blank(r, c, None, f)
            else:
                ws.write_number(r, c, fv, f)
        elif isinstance(v, (pd.Timestamp, _dt.datetime)):
            ws.write_datetime(r, c, pd.Timestamp(v).to_pydatetime().replace(tzinfo=None), f)
        elif isinstance(v, _dt.date):
            ws.write_datetime(r, c, _dt.datetime(v.year, v.month, v.day), f)
        else:
            # customer text and everything else: always a string, never a formula
            ws.write_string(
                r,
                c,
                str(v)[:32767],
                self.f["text"] if fmt in NUMBER_FORMATS else f,  # "no data" in a number column
            )

    def chart_title(self, name: str, unit: str, period: str) -> dict[str, Any]:
        text = f"{name} ({unit})\n{self.an.source} · {period}"
        return {"name": text, "name_font": {"size": 10, "bold": True, "name": self.font}}

    def axis_font(self) -> dict[str, Any]:
        return {"name": self.font, "size": 8}

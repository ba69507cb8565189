"""The evaluation report as an xlsx workbook: one sheet per part of SPEC section 8.

:func:`write_report` lays out an :class:`~udfs.core.analysis.Analysis` with native charts,
in Chinese or English, and writes it atomically.  Every figure comes from the analysis;
the sheet modules (``overview_sheet.py``, ``conclusions_sheet.py``, ``indicators_sheet.py``,
``agents_sheet.py``, ``channels_sheet.py``, ``trend_sheet.py``, ``hours_sheet.py``,
``pareto_sheet.py``, ``actions_sheet.py``, ``cases_sheet.py``, ``qa_cycle.py``,
``quality_sheet.py``, ``method_sheet.py``; ``scope_sheet.py``: the Teams, Segments and
Baseline sheets when the analysis holds them) only choose labels, number formats and
places, in the order this module calls them.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from udfs.core.analysis import analyse
from udfs.core.data import WorkbookData
from udfs.core.model import Analysis
from workbook_templates.output import atomic_path

from .actions_sheet import actions_sheet
from .agents_sheet import agents_sheet
from .cases_sheet import cases_sheet
from .channels_sheet import channels_sheet
from .conclusions_sheet import conclusions_sheet
from .hours_sheet import hours_sheet
from .indicators_sheet import indicators_sheet
from .layout import Writer
from .method_sheet import method_sheet
from .operations_sheet import operations_sheet
from .overview_sheet import overview_sheet
from .pareto_sheet import pareto_sheet
from .process_sheet import process_sheet
from .qa_cycle import write_qa_cycle
from .quality_sheet import quality_sheet
from .scope_sheet import scope_sheets
from .trend_sheet import trend_sheet


def write_report(
    data: WorkbookData,
    out_path: str | os.PathLike[str],
    *,
    lang: str = "zh",
    as_of: _dt.date,
    analysis: Analysis | None = None,
) -> Path:
    """Write the evaluation report workbook atomically; returns ``out_path``."""
    lang = "en" if lang == "en" else "zh"
    an = analysis if analysis is not None else analyse(data, as_of)
    out_path = Path(out_path)
    with atomic_path(out_path) as tmp:
        w = Writer(tmp, an, lang)
        w.info = dict(data.report_info)
        overview_sheet(w)
        conclusions_sheet(w)
        indicators_sheet(w)
        agents_sheet(w)
        channels_sheet(w)
        scope_sheets(w)  # issue 19: teams, segments, baseline (only when asked for)
        trend_sheet(w)
        hours_sheet(w)
        operations_sheet(w)  # issue 23
        pareto_sheet(w)
        process_sheet(w)  # issue 20
        actions_sheet(w)
        cases_sheet(w)
        write_qa_cycle(w)
        quality_sheet(w)
        method_sheet(w)
        w.wb.close()
    return out_path

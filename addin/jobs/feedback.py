"""Feedback files: one feedback workbook per agent, holding only that agent's figures and
contacts beside the team's averages (the template: "向客服团队/个人反馈监测结果").

For a workbook and every agent of its report period,
``<workbook>.<agent>.feedback.xlsx`` is written atomically into a folder.  The figures
come from the same analysis as ``csq report`` (same period rule: ``--period``, else the
Config sheet's report period, else the latest month).  Shared by ``csq feedback`` and the
ribbon.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from udfs.core.i18n import Catalog

_msg = Catalog(
    {
        "no_agents": (
            "no agent has contacts in the report period {period}",
            "报告期 {period} 内没有客服的联系记录",
        ),
    }
)


def feedback_name(src: Path, agent: str) -> str:
    """``team.xlsx`` + agent ``A1`` -> ``team.A1.feedback.xlsx`` (unsafe characters -> _)."""
    stem = src.name[: -len(src.suffix)] if src.suffix else src.name
    safe = re.sub(r"[^\w.-]+", "_", agent, flags=re.UNICODE).strip("._") or "agent"
    return f"{stem}.{safe}.feedback.xlsx"


def feedback_one(
    src: str,
    out_dir: Path,
    as_of: _dt.date | None,
    lang: str | None,
    period: str | None,
    mlang: str,
) -> tuple[list[Path], str | None, str | None]:
    """Write the feedback files of one workbook: (files, period label, rejection reason)."""
    from udfs.core.analysis import analyse
    from udfs.core.feedback import agent_feedback
    from udfs.core.i18n import output_lang
    from udfs.core.scope import Scope, ScopeError

    from ..read.marker import is_csq_report
    from ..read.workbook import read_workbook
    from ..report.feedback import write_feedback
    from .report import msg, pick_as_of

    if is_csq_report(src):
        return [], None, msg("is_report", mlang)
    data = read_workbook(src, lang=lang if lang in ("zh", "en") else None)
    if data.rejected:  # the reason in the message language, from its codes
        return [], None, data.rejected_in(mlang)
    when, rule = pick_as_of(as_of, data.as_of)
    try:  # a period with no contacts is a rejection naming the periods with data
        an = analyse(data, when, period or data.report_period, as_of_rule=rule, scope=Scope())
    except ScopeError as exc:
        return [], None, exc.render(mlang)
    views = agent_feedback(data, an)
    if not views:
        return [], an.period, _msg("no_agents", mlang, period=an.period or "-")
    rlang = output_lang(lang, data.lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    used: set[str] = set()
    for v in views:
        name = feedback_name(Path(src), v.agent_id)
        while name.casefold() in used:  # two ids that differ only by unsafe characters
            name = name.replace(".feedback.xlsx", "_.feedback.xlsx")
        used.add(name.casefold())
        written.append(write_feedback(v, an, out_dir / name, lang=rlang))
    return written, an.period, None

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
import hashlib
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


NAME_BYTES = 200
"""A feedback file name is kept to this many UTF-8 bytes (file systems allow 255)."""


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, on a character boundary."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def feedback_name(src: Path, agent: str) -> str:
    """``team.xlsx`` + agent ``A1`` -> ``team.A1.feedback.xlsx`` (unsafe characters -> _).

    A name longer than :data:`NAME_BYTES` is shortened: the workbook's and the agent's
    parts cut, and the agent part ends in 8 hex digits of the id's hash, so two long ids
    that start alike still get their own files."""
    stem = src.name[: -len(src.suffix)] if src.suffix else src.name
    safe = re.sub(r"[^\w.-]+", "_", agent, flags=re.UNICODE).strip("._") or "agent"
    name = f"{stem}.{safe}.feedback.xlsx"
    if len(name.encode("utf-8")) <= NAME_BYTES:
        return name
    tag = hashlib.sha256(agent.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    stem = _cut(stem, 80)
    room = NAME_BYTES - len(f"{stem}.-{tag}.feedback.xlsx".encode())
    return f"{stem}.{_cut(safe, room).rstrip('._')}-{tag}.feedback.xlsx"


def feedback_one(
    src: str,
    out_dir: Path,
    as_of: _dt.date | None,
    lang: str | None,
    period: str | None,
    mlang: str,
    claimed: dict[str, str] | None = None,
) -> tuple[list[Path], str | None, str | None]:
    """Write the feedback files of one workbook: (files, period label, rejection reason).

    ``claimed``: file names (case-folded) already written by other workbooks of the same
    run -> that workbook; a workbook whose file names clash with them is rejected before
    anything is written (another workbook's files are never replaced)."""
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
    names = []
    used: set[str] = set()
    for v in views:
        name = feedback_name(Path(src), v.agent_id)
        while name.casefold() in used:  # two ids that differ only by unsafe characters
            name = name.replace(".feedback.xlsx", "_.feedback.xlsx")
        used.add(name.casefold())
        names.append(name)
    if claimed is not None:
        other = next((claimed[n.casefold()] for n in names if n.casefold() in claimed), None)
        if other is not None:
            return [], an.period, msg("collision", mlang, other=other)
        claimed.update({n.casefold(): src for n in names})
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for v, name in zip(views, names, strict=True):
        written.append(write_feedback(v, an, out_dir / name, lang=rlang))
    return written, an.period, None

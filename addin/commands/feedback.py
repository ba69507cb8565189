"""``csq feedback``: one feedback workbook per agent, holding only that agent's figures and
contacts beside the team's averages (the template: "向客服团队/个人反馈监测结果").

For every input workbook and every agent of its report period,
``<workbook>.<agent>.feedback.xlsx`` is written atomically into ``-o DIR``.  The figures
come from the same analysis as ``csq report`` (same period rule: ``--period``, else the
Config sheet's report period, else the latest month).  A workbook that cannot be used is
listed as rejected (exit 1) and the others are still processed; exit 2 is a usage error.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any

from udfs.core.errors import CsqError, UsageError
from udfs.core.i18n import Catalog

_msg = Catalog(
    {
        "ok": (
            "ok        {input}: {n} feedback file(s) in {dir} (period {period})",
            "成功      {input}：已在 {dir} 生成 {n} 份个人反馈（报告期 {period}）",
        ),
        "rejected": ("rejected  {input}: {reason}", "已拒绝    {input}：{reason}"),
        "no_agents": (
            "no agent has contacts in the report period {period}",
            "报告期 {period} 内没有客服的联系记录",
        ),
        "total": (
            "{files} feedback file(s) written for {ok} workbook(s), {bad} rejected",
            "共为 {ok} 个工作簿生成 {files} 份个人反馈，{bad} 个被拒绝",
        ),
        "no_out": (
            "-o DIR is required (the folder for the feedback files)",
            "必须用 -o DIR 指定反馈文件的输出文件夹",
        ),
        "out_not_dir": ("-o {path} is a file, not a folder", "-o {path} 是文件，不是文件夹"),
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

    from ..read.marker import is_csq_report
    from ..read.workbook import read_workbook
    from ..report.feedback import write_feedback
    from .report import msg, pick_as_of

    if is_csq_report(src):
        return [], None, msg("is_report", mlang)
    data = read_workbook(src, lang=lang if lang in ("zh", "en") else None)
    if data.rejected:
        return [], None, data.rejected
    when, rule = pick_as_of(as_of, data.as_of)
    an = analyse(data, when, period or data.report_period, as_of_rule=rule)
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


def cmd_feedback(args: Any) -> int:
    """``csq feedback WORKBOOK... -o DIR [--period P] [--as-of D] [--lang zh|en]``."""
    from udfs.core.i18n import default_lang

    from .report import expand_inputs, msg, parse_as_of, parse_period_arg

    mlang = default_lang()
    lang = getattr(args, "lang", None)
    as_of = parse_as_of(getattr(args, "as_of", None), mlang)
    period = parse_period_arg(getattr(args, "period", None), mlang)
    if not getattr(args, "output_dir", None):
        raise UsageError(_msg("no_out", mlang))
    out_dir = Path(args.output_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(_msg("out_not_dir", mlang, path=out_dir))
    inputs, missing = expand_inputs(args.inputs)
    if not inputs and not missing:
        raise UsageError(msg("no_inputs", mlang, inputs=" ".join(args.inputs)))
    ok = bad = files = 0
    for m in missing:
        print(_msg("rejected", mlang, input=m, reason=msg("not_found", mlang)))
        bad += 1
    for src in inputs:
        try:
            written, label, reason = feedback_one(str(src), out_dir, as_of, lang, period, mlang)
        except CsqError as exc:
            written, label, reason = [], None, str(exc)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - one bad workbook never stops the batch
            written, label, reason = [], None, f"{type(exc).__name__}: {exc}".splitlines()[0]
        if reason:
            bad += 1
            print(_msg("rejected", mlang, input=src, reason=reason))
            continue
        ok += 1
        files += len(written)
        print(_msg("ok", mlang, input=src, n=len(written), dir=out_dir, period=label or "-"))
    print(_msg("total", mlang, files=files, ok=ok, bad=bad))
    return 0 if bad == 0 else 1

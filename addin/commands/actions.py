"""``csq actions WORKBOOK --from-findings [-o OUT | --in-place] [--period P]``: the
findings that have no open action yet become draft rows of the Actions table (the work:
:mod:`addin.jobs.action_drafts`).  The input is changed only with ``--in-place``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from udfs.core.errors import UsageError
from udfs.core.i18n import Catalog, default_lang

from ..jobs.action_drafts import add_actions_from_findings
from .report import parse_as_of, parse_period_arg

_msg = Catalog(
    {
        "need_from": (
            "say what to add: --from-findings",
            "请指定要添加的内容：--from-findings",
        ),
        "need_out": (
            "give -o OUT (a copy) or --in-place (change the workbook itself)",
            "请用 -o OUT 指定输出副本，或用 --in-place 直接修改工作簿",
        ),
        "same": (
            "-o names the input itself; use --in-place to change it",
            "-o 指向输入文件本身；如需直接修改请用 --in-place",
        ),
        "missing": ("{input}: file not found", "{input}：文件不存在"),
        "added": (
            "ok        {input}: {n} draft action(s) added to {out} (rows {first}-{last}, period "
            "{period}); fill in owner, cooperating dept and planned date (highlighted)",
            "成功      {input}：已向 {out} 添加 {n} 条改进措施草稿（第 {first}-{last} 行，报告期 "
            "{period}）；请填写高亮的责任人、配合部门和计划完成日期",
        ),
        "item": ("  No. {no}: {measure}", "  编号 {no}：{measure}"),
        "nothing": (
            "ok        {input}: every finding already has an open action; nothing added ({out})",
            "成功      {input}：每条发现都已有进行中的措施，未添加（{out}）",
        ),
        "rejected": ("rejected  {input}: {reason}", "已拒绝    {input}：{reason}"),
    }
)


def cmd_actions(args: Any) -> int:
    """``csq actions WORKBOOK --from-findings [-o OUT | --in-place] [--period P]``."""
    mlang = default_lang()
    if not getattr(args, "from_findings", False):
        raise UsageError(_msg("need_from", mlang))
    src = Path(args.workbook)
    if getattr(args, "in_place", False):
        out = src
    elif getattr(args, "output", None):
        out = Path(args.output)
        if out.exists() and src.exists() and out.resolve() == src.resolve():
            raise UsageError(_msg("same", mlang))
    else:
        raise UsageError(_msg("need_out", mlang))
    if not src.is_file():
        print(_msg("rejected", mlang, input=src, reason=_msg("missing", mlang, input=src)))
        return 1
    as_of = parse_as_of(getattr(args, "as_of", None), mlang)
    period = parse_period_arg(getattr(args, "period", None), mlang)
    r = add_actions_from_findings(src, out, period, as_of, mlang)
    if r.reason:
        print(_msg("rejected", mlang, input=src, reason=r.reason))
        return 1
    if not r.added:
        print(_msg("nothing", mlang, input=src, out=out))
        return 0
    print(
        _msg(
            "added",
            mlang,
            input=src,
            n=len(r.added),
            out=out,
            first=r.first_row,
            last=r.last_row,
            period=r.period or "-",
        )
    )
    for row in r.added:
        print(_msg("item", mlang, no=row["action_no"], measure=row.get("measure") or ""))
    return 0

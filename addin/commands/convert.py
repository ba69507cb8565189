"""``csq convert WORKBOOK --portable|--udf -o OUT``: the same workbook in the other variant
(the work: :mod:`addin.jobs.convert`).  The input is never modified; a workbook whose
Monitoring table cannot be found is not converted (exit 1)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from udfs.core.errors import UsageError
from udfs.core.i18n import Catalog, default_lang

from ..jobs.common import check_output
from ..jobs.convert import convert_workbook

_msg = Catalog(
    {
        "kept": (
            "{n} cell(s) that csq validate flags were copied as they are; fix them in "
            "either file (csq validate {path} lists them)",
            "{n} 个被 csq validate 标出的单元格已按原样复制；可在任一文件中修正"
            "（csq validate {path} 会列出）",
        ),
        "not_usable": (
            "{path}: not converted: {reason}",
            "{path}：未转换：{reason}",
        ),
        "converted": (
            "written: {out} ({variant}; {n} contacts, {p} problems, {a} actions)",
            "已生成：{out}（{variant}；{n} 条服务记录，{p} 个问题，{a} 项改进行动）",
        ),
        "portable": ("portable, native formulas", "可移植版，原生公式"),
        "udf": ("CSQ_ functions, needs the add-in", "CSQ_ 函数版，需加载项"),
        "same_file": (
            "-o {out} is the input itself; write the converted workbook to a new file",
            "-o {out} 就是输入文件；请把转换结果写到新文件",
        ),
    }
)


def cmd_convert(args: Any) -> int:
    source = Path(args.workbook)
    output = Path(args.output)
    portable = bool(args.portable)
    lang = getattr(args, "lang", None)
    check_output(output, lang or default_lang(), force=bool(getattr(args, "force", False)))
    if output.exists() and source.exists() and output.resolve() == source.resolve():
        raise UsageError(_msg("same_file", lang, out=output))
    out_lang = lang  # the new workbook's language: the input's unless --lang says
    lang = lang or default_lang()  # messages: --lang, else CSQ_LANG (SPEC section 1)
    done = convert_workbook(source, output, portable, out_lang, lang)
    if done.path is None:
        print(f"csq: {_msg('not_usable', lang, path=source, reason=done.reason)}", file=sys.stderr)
        return 1
    print(
        _msg(
            "converted",
            lang,
            out=done.path,
            variant=_msg("portable" if portable else "udf", lang),
            n=done.contacts,
            p=done.problems,
            a=done.actions,
        )
    )
    if done.kept:
        print(_msg("kept", lang, n=done.kept, path=source))
    return 0

"""``csq feedback WORKBOOK... -o DIR``: one feedback workbook per agent of every input
(the work: :mod:`addin.jobs.feedback`).

A workbook that cannot be used is listed as rejected (exit 1) and the others are still
processed; exit 2 is a usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from udfs.core.errors import CsqError, UsageError
from udfs.core.i18n import Catalog

from ..jobs.batch import expand_inputs
from ..jobs.common import safe_text, shown
from ..jobs.feedback import feedback_one
from .report import msg, not_found, parse_as_of, parse_period_arg

_msg = Catalog(
    {
        "ok": (
            "ok        {input}: {n} feedback file(s) in {dir} (period {period})",
            "成功      {input}：已在 {dir} 生成 {n} 份个人反馈（报告期 {period}）",
        ),
        "rejected": ("rejected  {input}: {reason}", "已拒绝    {input}：{reason}"),
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


def cmd_feedback(args: Any) -> int:
    """``csq feedback WORKBOOK... -o DIR [--period P] [--as-of D] [--lang zh|en]``."""
    from udfs.core.i18n import default_lang

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
    if not inputs:
        raise UsageError(msg("no_inputs", mlang, inputs=" ".join(args.inputs)))
    ok = bad = files = 0
    for m in missing:
        print(safe_text(_msg("rejected", mlang, input=shown(m), reason=not_found(m, mlang))))
        bad += 1
    claimed: dict[str, str] = {}  # file names written by earlier workbooks of this run
    for src in inputs:
        try:
            written, label, reason = feedback_one(
                str(src), out_dir, as_of, lang, period, mlang, claimed
            )
        except CsqError as exc:
            written, label, reason = [], None, str(exc)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - one bad workbook never stops the batch
            written, label, reason = [], None, f"{type(exc).__name__}: {exc}".splitlines()[0]
        if reason:
            bad += 1
            print(safe_text(_msg("rejected", mlang, input=shown(src), reason=reason)))
            continue
        ok += 1
        written = [p for p in written if Path(p).exists()]  # count only files that exist
        files += len(written)
        text = _msg("ok", mlang, input=shown(src), n=len(written), dir=shown(out_dir),
                    period=label or "-")  # fmt: skip
        print(safe_text(text))
    print(_msg("total", mlang, files=files, ok=ok, bad=bad))
    return 0 if bad == 0 else 1

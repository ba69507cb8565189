"""``csq sample EXPORT --map MAP.toml -o WORKBOOK [--ratio] [--min] [--by] [--seed]
[--period] [--tag]``: a stratified random QA sample of a full ticket export, written as a
standard workbook ready for the reviewers (the work: :mod:`addin.jobs.population`)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from udfs.core.errors import UsageError
from udfs.core.i18n import Catalog, default_lang
from udfs.core.sampling import SamplePlan

from ..jobs.common import check_output, safe_text, t
from ..jobs.export_lists import added_text
from ..jobs.population import draw_sample
from ..jobs.progress import showing
from .import_ import keywords_of as _keywords
from .import_ import print_findings, print_tagged

_msg = Catalog(
    {
        "output_is_input": (
            "{out} is the export itself; the export is never overwritten",
            "{out} 就是导出文件本身；不会覆盖导出文件",
        ),
        "by_empty": ("--by: name at least one stratum", "--by：至少指定一个分层维度"),
        "summary": (
            "{sampled} of {contacts:|contact|contacts} sampled ({ratio:.1%}) in "
            "{strata:|stratum|strata} by {by}, seed {seed}; {e:|bad value|bad values}, "
            "{w:|warning|warnings}",
            "从 {contacts} 条记录中抽取 {sampled} 条（{ratio:.1%}），按 {by} 分为 {strata} 层，"
            "随机种子 {seed}；{e} 个错误值，{w} 个警告",
        ),
        "tagged": (
            "{n} blank problem category(ies) filled from the description by keyword",
            "{n} 条空白问题类别已按关键词由问题描述填写",
        ),
    }
)


def parse_by(text: str | None, lang: str) -> tuple[str, ...]:
    by = tuple(x.strip() for x in (text or "agent").split(",") if x.strip())
    if not by:
        raise UsageError(_msg("by_empty", lang))
    return by


def cmd_sample(args: Any) -> int:
    from udfs.core.i18n import output_lang

    lang = default_lang()  # messages: CSQ_LANG, else the locale
    book_lang = output_lang(getattr(args, "lang", None))  # the workbook written
    out = Path(args.output)
    export = Path(args.export)
    if export.exists() and out.exists() and out.resolve() == export.resolve():
        raise UsageError(_msg("output_is_input", lang, out=out))
    check_output(out, lang, bool(getattr(args, "force", False)))
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    plan = SamplePlan(
        ratio=float(args.ratio), min_n=int(args.min), by=parse_by(args.by, lang), seed=seed
    )
    plan.check(lang)
    with showing("sample", lang):
        done = draw_sample(
            export,
            args.map_path,
            out,
            plan,
            lang,
            book_lang,
            period=getattr(args, "period", None),
            portable=bool(getattr(args, "portable", False)),
            tag=bool(getattr(args, "tag", False)),
            keywords=_keywords(args, lang),
        )
    print_findings(done.findings, lang)
    e = sum(1 for f in done.findings if f.severity == "error")
    print(
        _msg(
            "summary",
            lang,
            sampled=done.sampled,
            contacts=done.contacts,
            ratio=done.sampled / done.contacts,
            strata=done.strata,
            by=",".join(plan.by),
            seed=done.seed,
            e=e,
            w=len(done.findings) - e,
        )
    )
    if getattr(args, "tag", False):
        print(_msg("tagged", lang, n=done.tagged))
        print_tagged(done.tagged_by, lang)
    for line in added_text(done.added, lang, book_lang):
        print(safe_text(line))
    print(t("written", lang, path=out))
    return 1 if e else 0

"""``csq import EXPORT --map MAP.toml -o WORKBOOK [--lang] [--portable] [--tag] [--force]``: a
ticket-system export into a filled standard workbook (the work:
:mod:`addin.jobs.ticket_import`)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from udfs.core.data import Finding
from udfs.core.errors import UsageError
from udfs.core.grouping import group_findings
from udfs.core.i18n import Catalog, default_lang
from udfs.core.tagging import Keyword

from ..jobs.common import safe_text, t
from ..jobs.export_lists import added_text
from ..jobs.progress import showing
from ..jobs.ticket_import import import_ticket_export, keyword_table

_msg = Catalog(
    {
        "output_is_input": (
            "{out} is the export itself; the export is never overwritten",
            "{out} 就是导出文件本身；不会覆盖导出文件",
        ),
        "tagged": (
            "{n} blank problem category(ies) filled from the description by keyword",
            "{n} 条空白问题类别已按关键词由问题描述填写",
        ),
        "tagged_by": ("  {category}: {n}", "  {category}：{n}"),
        "summary": (
            "{contacts:|contact|contacts} imported ({unanswered} not answered: times, ratings "
            "and first-contact resolution left blank); {e:|bad value|bad values}, "
            "{w:|warning|warnings}",
            "已导入 {contacts} 条记录（其中 {unanswered} 条未接通：时长、评分和首次解决留空）；"
            "{e} 个错误值，{w} 个警告",
        ),
    }
)


def print_findings(findings: Sequence[Finding], lang: str = "en") -> None:
    """The findings of the export on stderr (``csq import`` and ``csq sample``): one line
    per finding, identical ones (rule x column x value) on one line with the first few
    places and how many more (:mod:`udfs.core.grouping`)."""
    for g in group_findings(findings):
        f = g.first
        where = g.where(lang)
        print(
            safe_text(f"{where}: {f.value!r} {f.rule}" if f.value else f"{where}: {f.rule}"),
            file=sys.stderr,
        )


def keywords_of(args: Any, lang: str) -> tuple[Keyword, ...] | None:
    """The ``--keywords FILE`` table (None: the new workbook's keywords)."""
    return keyword_table(getattr(args, "keywords", None), lang)


_keywords = keywords_of


def print_tagged(tagged_by: dict[str, int], lang: str) -> None:
    """The rows tagged per problem category, one line each (most first)."""
    for category, n in tagged_by.items():
        print(safe_text(_msg("tagged_by", lang, category=category, n=n)))


def _run_import(args: Any, export: Path, out: Path, lang: str, book_lang: str) -> Any:
    return import_ticket_export(
        export,
        args.map_path,
        out,
        lang,
        book_lang,
        portable=bool(getattr(args, "portable", False)),
        tag=bool(getattr(args, "tag", False)),
        keywords=_keywords(args, lang),
    )


def cmd_import(args: Any) -> int:
    from udfs.core.i18n import output_lang

    lang = default_lang()  # messages
    book_lang = output_lang(getattr(args, "lang", None))  # the workbook written
    out = Path(args.output)
    export = Path(args.export)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(t("output_suffix", lang, path=out))
    if export.exists() and out.exists() and out.resolve() == export.resolve():
        raise UsageError(_msg("output_is_input", lang, out=out))
    if out.exists() and not getattr(args, "force", False):
        raise UsageError(t("output_exists", lang, path=out))
    with showing("import", lang):
        done = _run_import(args, export, out, lang, book_lang)
    result = done.result
    print_findings(result.findings, lang)
    e = sum(1 for f in result.findings if f.severity == "error")
    print(
        _msg(
            "summary",
            lang,
            contacts=len(result.monitoring),
            unanswered=result.unanswered,
            e=e,
            w=len(result.findings) - e,
        )
    )
    if done.tagged is not None:
        print(_msg("tagged", lang, n=done.tagged))
        print_tagged(done.tagged_by, lang)
    for line in added_text(done.added, lang, book_lang):
        print(safe_text(line))
    print(t("written", lang, path=out))
    return 1 if e else 0

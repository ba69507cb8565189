"""The demo (``csq demo``, the README's first command): the demo teams' workbooks
(:mod:`.demo_data`) written by the template builder, then reported by the same batch as
``csq report``."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Any

from udfs.core.fields import Lang
from udfs.core.i18n import Catalog

from .demo_data import MONTHS, demo_data

MESSAGES: dict[str, tuple[str, str]] = {
    "writing": ("Writing sample workbooks to {dir} ...", "正在生成示例工作簿到 {dir} ……"),
    "workbook": (
        "  workbook  {path}  ({team}: {n} contacts, {m} months)",
        "  工作簿    {path}（{team}：{n} 条服务记录，{m} 个月）",
    ),
    "reporting": (
        "Reporting them (same as: csq report {dir} --as-of {as_of}) ...",
        "正在生成报告（等同于：csq report {dir} --as-of {as_of}）……",
    ),
    "report": ("  report    {path}", "  报告      {path}"),
    "summary": ("  summary   {path}", "  摘要      {path}"),
    "rejected": ("  rejected  {path}: {reason}", "  已拒绝    {path}：{reason}"),
    "next": (
        "Next: open the .report.xlsx files; edit a workbook and run csq report {dir} again; "
        "check one with csq validate {example}.",
        "下一步：打开 .report.xlsx 查看报告；修改工作簿后再次运行 csq report {dir}；"
        "用 csq validate {example} 检查数据。",
    ),
}


_msg = Catalog(MESSAGES)


def write_demo(
    folder: str | os.PathLike[str],
    *,
    lang: str = "zh",
    seed: int = 7,
    as_of: _dt.date | None = None,
    echo: Any = print,
    msg_lang: str | None = None,
) -> tuple[list[Path], list[Any]]:
    """Write the team workbooks, then report them like ``csq report``; returns both."""
    from udfs.core.i18n import default_lang
    from workbook_templates.builder import build_workbook

    from .batch import run_batch

    book_lang: Lang = "en" if lang == "en" else "zh"  # the workbooks' language
    mlang = msg_lang or default_lang()  # the messages; the workbooks are in book_lang
    as_of = as_of or _dt.date.today()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    echo(_msg("writing", mlang, dir=folder))
    books = []
    for team in demo_data(seed, book_lang, as_of):
        path = folder / f"team-{team.slug}.xlsx"
        build_workbook(path, lang=book_lang, monitoring=team.monitoring, problems=team.problems,
                       actions=team.actions, calibration=team.calibration,
                       as_of=as_of)  # fmt: skip
        books.append(path)
        echo(_msg("workbook", mlang, path=path, team=team.name, n=len(team.monitoring), m=MONTHS))
    echo(_msg("reporting", mlang, dir=folder, as_of=as_of.isoformat()))
    results = run_batch(books, None, as_of, book_lang, jobs=1, msg_lang=mlang)
    for r in results:
        if r.ok:
            echo(_msg("report", mlang, path=r.report))
            echo(_msg("summary", mlang, path=r.summary))
        else:
            echo(_msg("rejected", mlang, path=r.input, reason=r.reason))
    echo(_msg("next", mlang, dir=folder, example=books[0]))
    return books, results

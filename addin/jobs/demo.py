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
    "exists": (
        "{paths} already exist (edited demo workbooks are kept): add --force to write the "
        "demo again over them, or choose another folder",
        "{paths} 已存在（为保留你修改过的示例工作簿，未覆盖）：如需重新生成请加 --force，或换一个文件夹",
    ),
    "next": (
        "Next: open the .report.xlsx files; edit a workbook and run csq report {dir} again; "
        "check one with csq validate {example}.",
        "下一步：打开 .report.xlsx 查看报告；修改工作簿后再次运行 csq report {dir}；"
        "用 csq validate {example} 检查数据。",
    ),
}


_msg = Catalog(MESSAGES)

SPARE_ROWS = 50
"""Blank rows after the demo data in each Table: Excel does not grow a Table on a
protected sheet, so these are where a user adds a contact (as in a blank template)."""


def _spare(df: Any) -> Any:
    import pandas as pd

    return pd.concat([df, pd.DataFrame(index=range(SPARE_ROWS), columns=df.columns)],
                     ignore_index=True)  # fmt: skip


def write_demo(
    folder: str | os.PathLike[str],
    *,
    lang: str = "zh",
    seed: int = 7,
    as_of: _dt.date | None = None,
    echo: Any = print,
    msg_lang: str | None = None,
    force: bool = False,
) -> tuple[list[Path], list[Any]]:
    """Write the team workbooks, then report them like ``csq report``; returns both.

    Workbooks already in ``folder`` (a user may have edited them, as the closing hint
    suggests) are not overwritten without ``force``: ``UsageError`` before anything is
    written.  Each sheet's Table gets :data:`SPARE_ROWS` blank rows after the data, so a
    contact, problem or action can be added on the protected sheet."""
    from udfs.core.errors import UsageError
    from udfs.core.i18n import default_lang
    from workbook_templates.builder import build_workbook

    from .batch import run_batch
    from .demo_data import TEAMS

    book_lang: Lang = "en" if lang == "en" else "zh"  # the workbooks' language
    mlang = msg_lang or default_lang()  # the messages; the workbooks are in book_lang
    as_of = as_of or _dt.date.today()
    folder = Path(folder)
    existing = [folder / f"team-{t['slug']}.xlsx" for t in TEAMS]
    existing = [p for p in existing if p.exists()]
    if existing and not force:
        raise UsageError(_msg("exists", mlang, paths=", ".join(str(p) for p in existing)))
    folder.mkdir(parents=True, exist_ok=True)
    echo(_msg("writing", mlang, dir=folder))
    books = []
    for team in demo_data(seed, book_lang, as_of):
        path = folder / f"team-{team.slug}.xlsx"
        build_workbook(path, lang=book_lang, monitoring=_spare(team.monitoring),
                       problems=_spare(team.problems), actions=_spare(team.actions),
                       calibration=team.calibration, as_of=as_of)  # fmt: skip
        books.append(path)
        echo(_msg("workbook", mlang, path=path, team=team.name, n=len(team.monitoring), m=MONTHS))
    echo(_msg("reporting", mlang, dir=folder, as_of=as_of.isoformat()))
    results = run_batch(books, None, as_of, book_lang, jobs=1, msg_lang=mlang)
    for r in results:
        if r.ok:
            for written in r.files[:-1] or [r.report]:  # every format the Config sheet asks for
                echo(_msg("report", mlang, path=written))
            echo(_msg("summary", mlang, path=r.summary))
        else:
            echo(_msg("rejected", mlang, path=r.input, reason=r.reason))
    echo(_msg("next", mlang, dir=folder, example=books[0]))
    return books, results

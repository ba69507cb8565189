"""``csq report``: evaluation reports for many workbooks, in parallel processes.

Inputs may be files, folders (every .xlsx/.xlsm directly inside, skipping reports and
Office lock files) or globs.  Each input gives ``<name>.report.xlsx`` and
``<name>.summary.json`` (beside the input, or in ``-o DIR``), written atomically; inputs
are only ever read.  One unreadable workbook never stops the batch: it is listed as
rejected with its reason and the exit code 1.  Exit 2 is a usage error.  The work is
:mod:`addin.jobs.batch` and :mod:`addin.jobs.report`; this module parses, checks and prints.
"""

from __future__ import annotations

import datetime as _dt
import errno
import os
import sys
import time
from collections.abc import Iterable
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from udfs.core.errors import UsageError

from ..jobs.batch import (
    BatchInterrupted,
    expand_inputs,
    other_spreadsheets,
    run_batch,
    without_reports,
)
from ..jobs.common import safe_text, shown
from ..jobs.progress import showing
from ..jobs.report import Result

if TYPE_CHECKING:
    from udfs.core.scope import Scope

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (English, 简体中文)
    "ok": (
        "ok        {input} -> {report} (period {period}, {contacts} contacts, grade {grade})",
        "成功      {input} -> {report}（报告期 {period}，{contacts} 条服务记录，等级 {grade}）",
    ),
    "rejected": ("rejected  {input}: {reason}", "已拒绝    {input}：{reason}"),
    "findings": (
        "          {n} data-quality finding(s), listed in the report (csq validate {input})",
        "          {n} 个数据质量问题，已列入报告（可运行 csq validate {input}）",
    ),
    "total": (
        "{ok} report(s) written, {bad} input(s) rejected; as of {as_of}",
        "已生成 {ok} 份报告，{bad} 个文件被拒绝；基准日 {as_of}",
    ),
    "total_mixed": (
        "{ok} report(s) written, {bad} input(s) rejected; as of each workbook's own date "
        "(its Config sheet, else today)",
        "已生成 {ok} 份报告，{bad} 个文件被拒绝；基准日按各工作簿（配置表，否则今天）",
    ),
    "no_inputs": (
        "no workbook matched {inputs} (.xlsx/.xlsm files, folders or globs)",
        "没有找到匹配 {inputs} 的工作簿（可给出 .xlsx/.xlsm 文件、文件夹或通配符）",
    ),
    "bad_as_of": (
        "--as-of {value!r} is not a date; use YYYY-MM-DD, e.g. 2024-06-30",
        "--as-of {value!r} 不是日期；请使用 YYYY-MM-DD 格式，例如 2024-06-30",
    ),
    "bad_jobs": (
        "--jobs {value} must be a whole number of 1 or more",
        "--jobs {value} 必须是大于等于 1 的整数",
    ),
    "not_found": ("file not found", "文件不存在"),
    "interrupted": (
        "interrupted: {done} of {n} workbook(s) finished (listed above); nothing else was written",
        "已中断：{n} 个工作簿中已完成 {done} 个（见上）；其余均未写入",
    ),
    "period_range": (
        "--period {value!r} is outside the accepted range 2000-01 to 2099-12",
        "--period {value!r} 超出可用范围 2000-01 至 2099-12",
    ),
    "matched_nothing": (
        "matched no .xlsx/.xlsm workbook",
        "没有匹配到任何 .xlsx/.xlsm 工作簿",
    ),
    "skipped_other": (
        "skipped   {input}: a {kind} file is not read; save it as .xlsx to include it",
        "已跳过    {input}：不读取 {kind} 文件；如需纳入请另存为 .xlsx",
    ),
    "cannot_write": ("cannot write {path}: {why}", "无法写入 {path}：{why}"),
    "skipped_reports": (
        "skipped   {input}: a report CSQ wrote, not a workbook",
        "已跳过    {input}：CSQ 生成的报告，不是工作簿",
    ),
    "no_grade": ("-", "-"),
    "bad_combine": (
        "--combine {value!r}: give a plain name for the department report (no folder)",
        "--combine {value!r}：请给出部门报告的名称（不含文件夹）",
    ),
    "bad_config": (
        "--config {value!r}: not a workbook file",
        "--config {value!r}：不是工作簿文件",
    ),
    "bad_id_file": ("cannot read the id list {path}: {why}", "无法读取编号列表 {path}：{why}"),
    "lacking": (
        "          the department report lacks team(s): {teams}",
        "          部门报告缺少班组：{teams}",
    ),
    "findings_combined": (
        "          {n} data-quality finding(s), listed in the report's data-quality sheet",
        "          {n} 个数据质量问题，已列入报告的数据质量表",
    ),
    "combined": (
        "{n} workbook(s) combined into one department report, {bad} input(s) rejected",
        "已将 {n} 个工作簿合并为一份部门报告，{bad} 个文件被拒绝",
    ),
    "written": ("          {path}", "          {path}"),
    "output_failed": ("failed    {reason}", "失败      {reason}"),
}


def msg(key: str, lang: str, **values: object) -> str:
    en, zh = MESSAGES[key]
    return (zh if lang == "zh" else en).format(**values)


class Progress:
    """A one-line progress bar on a terminal; silent when ``stream`` is not a TTY."""

    def __init__(self, total: int, stream: TextIO | None = None, width: int = 28):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = total > 0 and _isatty(self.stream)
        self.total, self.done, self.width = total, 0, width
        self.t0 = time.monotonic()

    def step(self, name: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        filled = int(self.width * self.done / self.total)
        bar = "#" * filled + "-" * (self.width - filled)
        secs = time.monotonic() - self.t0
        line = f"\r[{bar}] {self.done}/{self.total} {secs:5.1f}s {Path(name).name[:40]}"
        self.stream.write(line.ljust(100)[:100])
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def summary_lines(results: Iterable[Result], as_of: _dt.date | None, lang: str) -> list[str]:
    results = list(results)
    from udfs.core.scoring import grade_label

    lines = []
    ok = bad = 0
    for r in results:
        if r.ok:
            ok += 1
            lines.append(
                msg(
                    "ok",
                    lang,
                    input=shown(r.input),
                    report=shown(r.report),
                    period=r.period or "-",
                    contacts=r.contacts,
                    grade=grade_label(r.grade, lang) or msg("no_grade", lang),
                )
            )
            for path in r.files[1:]:
                lines.append(msg("written", lang, path=shown(path)))
            for reason in r.output_errors:
                lines.append(msg("output_failed", lang, reason=reason))
            if r.findings:
                lines.append(msg("findings", lang, n=r.findings, input=shown(r.input)))
        else:
            bad += 1
            lines.append(msg("rejected", lang, input=shown(r.input), reason=r.reason))
    dates = {r.as_of for r in results if r.ok and r.as_of}
    if as_of is None and len(dates) > 1:  # the Config sheets hold different dates
        lines.append(msg("total_mixed", lang, ok=ok, bad=bad))
        return lines
    when = as_of.isoformat() if as_of else (dates.pop() if dates else _dt.date.today().isoformat())
    lines.append(msg("total", lang, ok=ok, bad=bad, as_of=when))
    return lines


def cmd_report(args: Any) -> int:
    """``csq report INPUT... [-o DIR] [--period P] [--as-of DATE] [--jobs N] [--lang zh|en]``.

    Messages are in the message language (``CSQ_LANG``, else the locale); each report in
    ``--lang``, else its workbook's language.  Files that are CSQ reports are skipped
    with a note, never read as workbooks.
    """
    from udfs.core.i18n import default_lang

    mlang = default_lang()
    lang = getattr(args, "lang", None)
    as_of = parse_as_of(getattr(args, "as_of", None), mlang)
    period = parse_period_arg(getattr(args, "period", None), mlang)
    formats = parse_formats_arg(getattr(args, "format", None), mlang)
    jobs = getattr(args, "jobs", 1)
    if not isinstance(jobs, int) or jobs < 1:
        raise UsageError(msg("bad_jobs", mlang, value=jobs))
    scope = parse_scope(args, mlang)
    found, missing = expand_inputs(args.inputs)
    inputs, skipped = without_reports(found)
    if not inputs and not skipped:
        raise UsageError(msg("no_inputs", mlang, inputs=" ".join(args.inputs)))
    out_dir = Path(args.output_dir) if getattr(args, "output_dir", None) else None
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        raise UsageError(msg("cannot_write", mlang, path=out_dir, why=os.strerror(errno.ENOTDIR)))
    single = len(inputs) == 1 and not missing and jobs == 1
    # one workbook: a bar over its phases (read, analyse, write); several: one step each
    progress = Progress(0 if single else len(inputs) + len(missing))
    results = [Result(m, False, not_found(m, mlang)) for m in missing]
    for _ in missing:
        progress.step("")

    def done(r: Result) -> None:
        progress.step(r.input)

    combine = getattr(args, "combine", None)
    try:
        if combine:
            return _combine(args, inputs, results, out_dir, as_of, lang, mlang, period, scope, done)
        with showing("report", mlang) if single else nullcontext():
            results += run_batch(
                inputs,
                out_dir,
                as_of,
                lang,
                jobs,
                on_done=done,
                msg_lang=mlang,
                period=period,
                scope=scope,
                formats=formats,
            )
    except BatchInterrupted as stop:  # Ctrl-C: what was written, then exit 130
        progress.close()
        for line in summary_lines(results + stop.results, as_of, mlang):
            print(safe_text(line))
        print(f"csq: {msg('interrupted', mlang, done=len(stop.results), n=len(inputs))}",
              file=sys.stderr)  # fmt: skip
        return 130
    finally:
        progress.close()
    for p in skipped:
        print(safe_text(msg("skipped_reports", mlang, input=shown(p))))
    for p in other_spreadsheets(args.inputs):
        print(safe_text(msg("skipped_other", mlang, input=shown(p), kind=p.suffix.lower())))
    for line in summary_lines(results, as_of, mlang):
        print(safe_text(line))
    ok = all(r.ok and not r.output_errors for r in results)
    return 0 if ok and results else 1


def parse_formats_arg(value: str | None, lang: str) -> tuple[str, ...] | None:
    """``--format xlsx,docx,pptx,pdf``: the formats in order; an unknown one is a usage
    error (exit 2)."""
    if value is None:
        return None
    from ..jobs.documents import msg as doc_msg
    from ..jobs.documents import parse_formats

    known, unknown = parse_formats(value)
    if unknown or not known:
        raise UsageError(doc_msg("unknown_format", lang, value=(unknown or [value])[0]))
    return known


def not_found(pattern: str, lang: str) -> str:
    """Why an argument gave no input: a file not found, or a folder/glob matching nothing."""
    import glob

    if glob.has_magic(pattern) or Path(pattern).is_dir():
        return msg("matched_nothing", lang)
    return msg("not_found", lang)


def _combine(
    args: Any,
    inputs: list[Path],
    results: list[Result],
    out_dir: Path | None,
    as_of: _dt.date | None,
    lang: str | None,
    mlang: str,
    period: str | None,
    scope: Scope,
    done: Any,
) -> int:
    """``--combine NAME``: one department report of every input (:mod:`addin.jobs.rollup`)."""
    from ..jobs.rollup import rollup

    name = str(args.combine).strip()
    if not name or any(c in name for c in '/\\:*?"<>|'):
        raise UsageError(msg("bad_combine", mlang, value=args.combine))
    config = Path(args.config) if getattr(args, "config", None) else None
    if config is not None and not config.is_file():
        raise UsageError(msg("bad_config", mlang, value=args.config))
    r = rollup(
        inputs,
        name,
        out_dir,
        as_of,
        lang,
        mlang,
        period=period,
        scope=scope,
        config=config,
        jobs=getattr(args, "jobs", 1),
        on_done=done,
        formats=parse_formats_arg(getattr(args, "format", None), mlang),
    )
    results += r.inputs
    lines = [msg("rejected", mlang, input=x.input, reason=x.reason) for x in results if not x.ok]
    if r.report.ok:
        lines += summary_lines([r.report], as_of, mlang)[:1]
        lines += [msg("written", mlang, path=shown(p)) for p in r.report.files[1:]]
        lines += [msg("output_failed", mlang, reason=x) for x in r.report.output_errors]
        if r.report.findings:
            lines.append(msg("findings_combined", mlang, n=r.report.findings))
    else:
        lines.append(msg("rejected", mlang, input=r.report.input, reason=r.report.reason))
    if r.lacking:
        lines.append(msg("lacking", mlang, teams=", ".join(r.lacking)))
    ok = sum(x.ok for x in results)
    lines.append(msg("combined", mlang, n=ok, bad=len(results) - ok))
    for line in lines:
        print(safe_text(line))
    ok_all = r.report.ok and not r.report.output_errors and all(x.ok for x in results)
    return 0 if ok_all else 1


def parse_scope(args: Any, lang: str) -> Scope:
    """``--where``, ``--compare``, ``--by`` as a :class:`Scope`; usage errors exit 2.
    ``contact_id=@FILE`` reads the ids from FILE, one a line (blank lines skipped)."""
    from udfs.core.periods import parse_period
    from udfs.core.scope import Scope, check_by, parse_where

    where = []
    for text in getattr(args, "where", None) or []:
        fld, _, rest = str(text).partition("=")
        if fld.strip().lower() == "contact_id" and rest.strip().startswith("@"):
            path = Path(rest.strip()[1:])
            try:
                ids = path.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(msg("bad_id_file", lang, path=path, why=exc)) from None
            text = "contact_id=" + ",".join(i.strip() for i in ids if i.strip())
        where.append(parse_where(text, lang))
    cmp = getattr(args, "compare", None)
    by = getattr(args, "by", None)
    return Scope(
        where=tuple(where),
        compare=parse_period(cmp, lang) if cmp is not None else None,
        by=check_by(by, lang) if by is not None else None,
    )


def parse_as_of(value: str | None, lang: str) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(msg("bad_as_of", lang, value=value)) from None


def parse_period_arg(value: str | None, lang: str) -> str | None:
    """``--period``: checked here (a usage error, exit 2, lists the accepted forms)."""
    if value is None:
        return None
    from udfs.core.periods import parse_period

    period = parse_period(value, lang)
    if period.start < PERIOD_RANGE[0] or period.end > PERIOD_RANGE[1]:
        raise UsageError(msg("period_range", lang, value=value))
    return period.label


PERIOD_RANGE = (_dt.date(2000, 1, 1), _dt.date(2099, 12, 31))
"""The periods ``--period`` accepts: the contact times a workbook may hold."""

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
from typing import Any, TextIO

from udfs.core.errors import UsageError

from ..jobs.batch import expand_inputs, run_batch, without_reports
from ..jobs.common import safe_text
from ..jobs.progress import showing
from ..jobs.report import Result

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (English, 简体中文)
    "ok": (
        "ok        {input} -> {report} (period {period}, {contacts} contacts, grade {grade})",
        "成功      {input} -> {report}（报告期 {period}，{contacts} 条联系，等级 {grade}）",
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
    "cannot_write": ("cannot write {path}: {why}", "无法写入 {path}：{why}"),
    "skipped_reports": (
        "skipped   {input}: a report CSQ wrote, not a workbook",
        "已跳过    {input}：CSQ 生成的报告，不是工作簿",
    ),
    "no_grade": ("-", "-"),
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
                    input=r.input,
                    report=r.report,
                    period=r.period or "-",
                    contacts=r.contacts,
                    grade=grade_label(r.grade, lang) or msg("no_grade", lang),
                )
            )
            if r.findings:
                lines.append(msg("findings", lang, n=r.findings, input=r.input))
        else:
            bad += 1
            lines.append(msg("rejected", lang, input=r.input, reason=r.reason))
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
    jobs = getattr(args, "jobs", 1)
    if not isinstance(jobs, int) or jobs < 1:
        raise UsageError(msg("bad_jobs", mlang, value=jobs))
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
    results = [Result(m, False, msg("not_found", mlang)) for m in missing]
    for _ in missing:
        progress.step("")

    def done(r: Result) -> None:
        progress.step(r.input)

    try:
        with showing("report", mlang) if single else nullcontext():
            results += run_batch(
                inputs, out_dir, as_of, lang, jobs, on_done=done, msg_lang=mlang, period=period
            )
    finally:
        progress.close()
    for p in skipped:
        print(safe_text(msg("skipped_reports", mlang, input=p)))
    for line in summary_lines(results, as_of, mlang):
        print(safe_text(line))
    return 0 if all(r.ok for r in results) and results else 1


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

    return parse_period(value, lang).label

"""``csq report``: evaluation reports for many workbooks, in parallel processes.

Inputs may be files, folders (every .xlsx/.xlsm directly inside, skipping reports and
Office lock files) or globs.  Each input gives ``<name>.report.xlsx`` and
``<name>.summary.json`` (beside the input, or in ``-o DIR``), written atomically; inputs
are only ever read.  One unreadable workbook never stops the batch: it is listed as
rejected with its reason and the exit code is 1.  Exit 2 is a usage error.
"""

from __future__ import annotations

import datetime as _dt
import errno
import glob
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from udfs.core.errors import CsqError, UsageError

from .common import one_line, safe_text

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
REPORT_SUFFIX = ".report.xlsx"
SUMMARY_SUFFIX = ".summary.json"

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
    "collision": (
        "its output name is the same as that of {other}; use separate -o folders",
        "输出文件名与 {other} 相同；请使用不同的 -o 文件夹",
    ),
    "crashed": (
        "the worker process stopped unexpectedly (out of memory?)",
        "处理进程意外终止（内存不足？）",
    ),
    "unexpected": ("could not be reported: {err}", "无法生成报告：{err}"),
    "is_report": (
        "this is a report CSQ wrote, not a workbook; skipped",
        "这是 CSQ 生成的报告，不是工作簿；已跳过",
    ),
    "no_contacts": (
        "the Monitoring table has no contacts; no report written",
        "监测表中没有任何联系记录；未生成报告",
    ),
    "output_is_input": (
        "its report or summary would overwrite {other}, an input of this run; use -o DIR",
        "其报告或摘要会覆盖本次的输入文件 {other}；请用 -o 指定输出文件夹",
    ),
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


@dataclass
class Result:
    """The outcome for one input."""

    input: str
    ok: bool
    reason: str = ""
    report: str = ""
    summary: str = ""
    period: str | None = None
    contacts: int = 0
    grade: str | None = None
    findings: int = 0
    as_of: str = ""


# --------------------------------------------------------------------------- inputs
def _is_candidate(path: Path) -> bool:
    name = path.name
    return (
        path.suffix.lower() in WORKBOOK_SUFFIXES
        and not name.startswith("~$")  # Office lock file
        and not name.startswith(".")  # hidden / our own temporary files
        and not name.lower().endswith(REPORT_SUFFIX)
    )


def expand_inputs(patterns: Sequence[str]) -> tuple[list[Path], list[str]]:
    """Files, folders (not recursive) and globs -> (workbooks in order, missing names).

    A file named explicitly is always taken (the reader decides whether it is usable);
    folders and globs contribute only .xlsx/.xlsm workbooks that are not reports or
    Office lock files.
    """
    found: list[Path] = []
    missing: list[str] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        key = os.path.normcase(os.path.abspath(p))
        if key not in seen:
            seen.add(key)
            found.append(p)

    for pat in patterns:
        p = Path(pat)
        if p.is_dir():
            for child in sorted(p.iterdir()):
                if child.is_file() and _is_candidate(child):
                    add(child)
        elif p.is_file():
            add(p)
        elif glob.has_magic(pat):
            for m in sorted(glob.glob(pat)):
                mp = Path(m)
                if mp.is_file() and _is_candidate(mp):
                    add(mp)
                elif mp.is_dir():
                    for child in sorted(mp.iterdir()):
                        if child.is_file() and _is_candidate(child):
                            add(child)
        else:
            missing.append(pat)
    return found, missing


def output_paths(src: Path, out_dir: Path | None) -> tuple[Path, Path]:
    folder = out_dir if out_dir is not None else src.parent
    stem = src.name[: -len(src.suffix)] if src.suffix else src.name
    return folder / f"{stem}{REPORT_SUFFIX}", folder / f"{stem}{SUMMARY_SUFFIX}"


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


# --------------------------------------------------------------------------- one input
def report_one(
    src: str,
    out_dir: str | None,
    as_of: _dt.date | None,
    lang: str | None,
    msg_lang: str | None = None,
    period: str | None = None,
) -> Result:
    """Read one workbook and write its report and summary; never raises.

    ``lang``: the report's language (None: the workbook's own); ``msg_lang``: the language
    of the rejection reason (default: :func:`udfs.core.i18n.default_lang`).  ``period``:
    the report period (``--period``), else the workbook's Config cell, else the latest
    month with data.  The as-of date
    is ``as_of``, else the Config sheet's fixed date, else today; the report's Method
    sheet records which.  Every exception, ``BaseException`` ones raised by native readers
    included, becomes a rejection with a one-line reason (as text, so a worker process can
    always send it back).
    """
    from udfs.core.i18n import default_lang

    mlang = msg_lang or default_lang()
    try:
        return _report_one(src, out_dir, as_of, lang, mlang, period)
    except CsqError as exc:
        reason = exc.render(mlang)  # a coded error in the message language
        for prefix in (f"{src}: ", f"{Path(src).name}: "):
            reason = reason.removeprefix(prefix)
        return Result(input=src, ok=False, reason=reason)
    except MemoryError:
        return Result(input=src, ok=False, reason=msg("crashed", mlang))
    except OSError as exc:  # the output folder or disk refused the report
        from .common import os_message

        return Result(input=src, ok=False, reason=os_message(exc, mlang))
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - one bad workbook never stops the batch
        return Result(input=src, ok=False, reason=msg("unexpected", mlang, err=one_line(exc)))


def _report_one(
    src: str,
    out_dir: str | None,
    as_of: _dt.date | None,
    lang: str | None,
    mlang: str,
    period: str | None = None,
) -> Result:
    from udfs.core.analysis import analyse
    from udfs.core.i18n import output_lang

    from ..read.marker import is_csq_report
    from ..read.workbook import read_workbook
    from ..report.summary import build_summary, summary_text
    from ..report.xlsx import write_report

    if is_csq_report(src):
        return Result(input=src, ok=False, reason=msg("is_report", mlang))
    report_path, summary_path = output_paths(Path(src), Path(out_dir) if out_dir else None)
    data = read_workbook(src, lang=lang if lang in ("zh", "en") else None)
    if data.rejected:  # the reason in the message language, from its codes
        return Result(input=src, ok=False, reason=data.rejected_in(mlang))
    if not len(data.monitoring):
        return Result(input=src, ok=False, reason=msg("no_contacts", mlang))
    rlang = output_lang(lang, data.lang)
    when, rule = pick_as_of(as_of, data.as_of)
    an = analyse(data, when, period or data.report_period, as_of_rule=rule)
    text = summary_text(build_summary(data, when, an, rlang))
    write_pair(
        report_path,
        lambda p: write_report(data, p, lang=rlang, as_of=when, analysis=an),
        summary_path,
        text,
    )
    return Result(
        input=src,
        ok=True,
        report=str(report_path),
        summary=str(summary_path),
        period=an.period,
        contacts=int(an.headline.get("contacts") or 0),
        grade=an.headline.get("grade"),
        findings=len(an.findings),
        as_of=when.isoformat(),
    )


def pick_as_of(given: _dt.date | None, config: _dt.date | None) -> tuple[_dt.date, str]:
    """The one as-of rule of every face: ``--as-of``, else the Config sheet's fixed date,
    else today; with the rule's name (``udfs.core.analysis.AS_OF_RULES``)."""
    if given is not None:
        return given, "option"
    if config is not None:
        return config, "config"
    return _dt.date.today(), "today"


def write_pair(
    report_path: Path, write_xlsx: Callable[[Path], object], summary_path: Path, text: str
) -> None:
    """Write ``<name>.report.xlsx`` and ``<name>.summary.json`` both or neither.

    Both are written completely to temporary files in their folders first (a full disk or
    a refused folder changes nothing and leaves no temporary file); then both are renamed
    into place.  Should the second rename fail, the new report is removed again, so a
    report never stands beside a summary of another run.
    """
    from workbook_templates.output import final_mode, temp_beside

    report_path.parent.mkdir(parents=True, exist_ok=True)
    summary_path.parent.mkdir(parents=True, exist_ok=True)
    tmps: list[Path] = []
    try:
        tmp_report = temp_beside(report_path)
        tmps.append(tmp_report)
        tmp_summary = temp_beside(summary_path)
        tmps.append(tmp_summary)
        try:
            write_xlsx(tmp_report)
            tmp_summary.write_text(text, encoding="utf-8")
        except OSError as exc:  # name the file the user asked for, not our temporary one
            target = summary_path if str(exc.filename) == str(tmp_summary) else report_path
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        os.chmod(tmp_report, final_mode(report_path))
        os.chmod(tmp_summary, final_mode(summary_path))
        os.replace(tmp_report, report_path)
        try:
            os.replace(tmp_summary, summary_path)
        except BaseException:
            report_path.unlink(missing_ok=True)
            raise
    finally:
        for tmp in tmps:
            tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------- progress
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


# --------------------------------------------------------------------------- batch
def run_batch(
    inputs: Sequence[Path],
    out_dir: Path | None,
    as_of: _dt.date | None,
    lang: str | None,
    jobs: int = 1,
    on_done: Callable[[Result], None] | None = None,
    msg_lang: str | None = None,
    period: str | None = None,
) -> list[Result]:
    """Report every input (in ``jobs`` processes); results in input order.

    ``lang`` is the reports' language (None: each workbook's own), ``msg_lang`` that of
    the reasons.  An input whose report or summary would replace another input of the
    same run, or the output of an earlier input, is rejected before anything is written.
    """
    from udfs.core.i18n import default_lang

    mlang = msg_lang or default_lang()
    results: dict[int, Result] = {}
    todo: list[tuple[int, Path]] = []
    claimed: dict[str, str] = {}
    as_input = {os.path.normcase(os.path.abspath(src)): str(src) for src in inputs}

    def reject(i: int, src: Path, reason: str) -> None:
        results[i] = Result(str(src), False, reason)
        if on_done:
            on_done(results[i])

    for i, src in enumerate(inputs):
        keys = [os.path.normcase(os.path.abspath(p)) for p in output_paths(src, out_dir)]
        hit = next((as_input[k] for k in keys if k in as_input), None)
        if hit is not None:
            reject(i, src, msg("output_is_input", mlang, other=hit))
            continue
        other = next((claimed[k] for k in keys if k in claimed), None)
        if other is not None:
            reject(i, src, msg("collision", mlang, other=other))
            continue
        claimed.update({k: str(src) for k in keys})
        todo.append((i, src))
    od = str(out_dir) if out_dir is not None else None
    if jobs <= 1 or len(todo) <= 1:
        for i, src in todo:
            results[i] = report_one(str(src), od, as_of, lang, mlang, period)
            if on_done:
                on_done(results[i])
    else:
        # only a batch with --jobs pays for the process pool's imports
        from concurrent.futures import ProcessPoolExecutor, as_completed
        from concurrent.futures.process import BrokenProcessPool

        with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
            futures = {
                pool.submit(report_one, str(src), od, as_of, lang, mlang, period): (i, src)
                for i, src in todo
            }
            for fut in as_completed(futures):
                i, src = futures[fut]
                try:
                    results[i] = fut.result()
                except BrokenProcessPool:
                    results[i] = Result(str(src), False, msg("crashed", mlang))
                except KeyboardInterrupt:
                    raise
                except BaseException as exc:  # noqa: BLE001 - e.g. a result that cannot be sent back
                    results[i] = Result(
                        str(src), False, msg("unexpected", mlang, err=one_line(exc))
                    )
                if on_done:
                    on_done(results[i])
    return [results[i] for i in sorted(results)]


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

    from ..read.marker import is_csq_report

    mlang = default_lang()
    lang = getattr(args, "lang", None)
    as_of = parse_as_of(getattr(args, "as_of", None), mlang)
    period = parse_period_arg(getattr(args, "period", None), mlang)
    jobs = getattr(args, "jobs", 1)
    if not isinstance(jobs, int) or jobs < 1:
        raise UsageError(msg("bad_jobs", mlang, value=jobs))
    found, missing = expand_inputs(args.inputs)
    inputs = [p for p in found if not is_csq_report(p)]
    skipped = [p for p in found if p not in inputs]
    if not inputs and not skipped:
        raise UsageError(msg("no_inputs", mlang, inputs=" ".join(args.inputs)))
    out_dir = Path(args.output_dir) if getattr(args, "output_dir", None) else None
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        raise UsageError(msg("cannot_write", mlang, path=out_dir, why=os.strerror(errno.ENOTDIR)))
    progress = Progress(len(inputs) + len(missing))
    results = [Result(m, False, msg("not_found", mlang)) for m in missing]
    for _ in missing:
        progress.step("")

    def done(r: Result) -> None:
        progress.step(r.input)

    try:
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

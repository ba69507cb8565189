"""``csq report``: evaluation reports for many workbooks, in parallel processes.

Inputs may be files, folders (every .xlsx/.xlsm directly inside, skipping reports and
Office lock files) or globs.  Each input gives ``<name>.report.xlsx`` and
``<name>.summary.json`` (beside the input, or in ``-o DIR``), written atomically; inputs
are only ever read.  One unreadable workbook never stops the batch: it is listed as
rejected with its reason and the exit code is 1.  Exit 2 is a usage error.
"""

from __future__ import annotations

import datetime as _dt
import glob
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from udfs.core.errors import CsqError, UsageError

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


# --------------------------------------------------------------------------- one input
def parse_period_arg(value: str | None, lang: str) -> str | None:
    """``--period``: checked here (a usage error, exit 2, lists the accepted forms)."""
    if value is None:
        return None
    from udfs.core.periods import parse_period

    return parse_period(value, lang).label


def report_one(
    src: str,
    out_dir: str | None,
    as_of: _dt.date | None,
    lang: str,
    period: str | None = None,
) -> Result:
    """Read one workbook and write its report and summary; never raises.

    ``period``: the report period (``--period``); else the workbook's Config cell; else
    the latest month with data."""
    from udfs.core.analysis import analyse

    from ..files.reader import read_workbook
    from ..report.summary import build_summary, write_summary
    from ..report.xlsx import write_report

    try:
        report_path, summary_path = output_paths(Path(src), Path(out_dir) if out_dir else None)
        data = read_workbook(src, lang=lang)
        when = as_of or data.as_of or _dt.date.today()
        an = analyse(data, when, period or data.report_period)
        write_report(data, report_path, lang=lang, as_of=when, analysis=an)
        write_summary(summary_path, build_summary(data, when, an, lang))
        return Result(
            input=src,
            ok=True,
            report=str(report_path),
            summary=str(summary_path),
            period=an.period,
            contacts=int(an.headline.get("contacts") or 0),
            grade=an.headline.get("grade"),
            findings=len(an.findings),
        )
    except CsqError as exc:
        reason = str(exc)
        for prefix in (f"{src}: ", f"{Path(src).name}: "):
            reason = reason.removeprefix(prefix)
        return Result(input=src, ok=False, reason=reason)
    except MemoryError:
        return Result(input=src, ok=False, reason=msg("crashed", lang))
    except Exception as exc:  # noqa: BLE001 - one bad workbook never stops the batch
        return Result(
            input=src, ok=False, reason=msg("unexpected", lang, err=f"{type(exc).__name__}: {exc}")
        )


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
    lang: str,
    jobs: int = 1,
    on_done: Callable[[Result], None] | None = None,
    period: str | None = None,
) -> list[Result]:
    """Report every input (in ``jobs`` processes); results in input order."""
    results: dict[int, Result] = {}
    todo: list[tuple[int, Path]] = []
    claimed: dict[str, str] = {}
    for i, src in enumerate(inputs):
        rep, _ = output_paths(src, out_dir)
        key = os.path.normcase(os.path.abspath(rep))
        if key in claimed:
            results[i] = Result(str(src), False, msg("collision", lang, other=claimed[key]))
            if on_done:
                on_done(results[i])
            continue
        claimed[key] = str(src)
        todo.append((i, src))
    od = str(out_dir) if out_dir is not None else None
    if jobs <= 1 or len(todo) <= 1:
        for i, src in todo:
            results[i] = report_one(str(src), od, as_of, lang, period)
            if on_done:
                on_done(results[i])
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
            futures = {
                pool.submit(report_one, str(src), od, as_of, lang, period): (i, src)
                for i, src in todo
            }
            for fut in as_completed(futures):
                i, src = futures[fut]
                try:
                    results[i] = fut.result()
                except BrokenProcessPool:
                    results[i] = Result(str(src), False, msg("crashed", lang))
                if on_done:
                    on_done(results[i])
    return [results[i] for i in sorted(results)]


def summary_lines(results: Iterable[Result], as_of: _dt.date | None, lang: str) -> list[str]:
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
    when = as_of.isoformat() if as_of else _dt.date.today().isoformat()
    lines.append(msg("total", lang, ok=ok, bad=bad, as_of=when))
    return lines


def cmd_report(args: Any) -> int:
    """``csq report INPUT... [-o DIR] [--period P] [--as-of DATE] [--jobs N] [--lang zh|en]``."""
    lang = "en" if getattr(args, "lang", "zh") == "en" else "zh"
    as_of = parse_as_of(getattr(args, "as_of", None), lang) or _dt.date.today()
    period = parse_period_arg(getattr(args, "period", None), lang)
    jobs = getattr(args, "jobs", 1)
    if not isinstance(jobs, int) or jobs < 1:
        raise UsageError(msg("bad_jobs", lang, value=jobs))
    inputs, missing = expand_inputs(args.inputs)
    if not inputs:
        raise UsageError(msg("no_inputs", lang, inputs=" ".join(args.inputs)))
    out_dir = Path(args.output_dir) if getattr(args, "output_dir", None) else None
    progress = Progress(len(inputs) + len(missing))
    results = [Result(m, False, msg("not_found", lang)) for m in missing]
    for _ in missing:
        progress.step("")

    def done(r: Result) -> None:
        progress.step(r.input)

    try:
        results += run_batch(inputs, out_dir, as_of, lang, jobs, on_done=done, period=period)
    finally:
        progress.close()
    for line in summary_lines(results, as_of, lang):
        print(line)
    return 0 if all(r.ok for r in results) else 1

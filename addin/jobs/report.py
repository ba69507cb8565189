"""Report one workbook: read it, analyse it, write ``<name>.report.xlsx`` and
``<name>.summary.json`` (:mod:`.report_pair`), and the Word report, deck and PDF its
formats ask for (:mod:`.documents`); never raises, a workbook that cannot be used
is a :class:`Result` with its reason.  Shared by ``csq report``, ``csq demo``, the batch
(:mod:`.batch`) and the ribbon.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from udfs.core.errors import CsqError
from udfs.core.scope import ByFieldError, Scope

from .common import one_line
from .documents import DEFAULT_FORMATS, write_documents
from .report_pair import write_pair

if TYPE_CHECKING:  # annotations only: the job imports the core lazily (start-up time)
    from udfs.core.data import WorkbookData
    from udfs.core.model import Analysis

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
REPORT_SUFFIX = ".report.xlsx"
SUMMARY_SUFFIX = ".summary.json"

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (English, 简体中文): the reasons a workbook is not reported
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
    files: list[str] = field(default_factory=list)
    """Every file written (report formats and summary), in the order written."""
    output_errors: list[str] = field(default_factory=list)
    """One line per format that could not be written (the others were)."""


def output_paths(src: Path, out_dir: Path | None) -> tuple[Path, Path]:
    folder = out_dir if out_dir is not None else src.parent
    stem = src.name[: -len(src.suffix)] if src.suffix else src.name
    return folder / f"{stem}{REPORT_SUFFIX}", folder / f"{stem}{SUMMARY_SUFFIX}"


def report_one(
    src: str,
    out_dir: str | None,
    as_of: _dt.date | None,
    lang: str | None,
    msg_lang: str | None = None,
    period: str | None = None,
    scope: Scope | None = None,
    formats: tuple[str, ...] | None = None,
) -> Result:
    """Read one workbook and write its report and summary; never raises.

    ``formats``: the report formats (``--format``; None: the workbook's Config cell
    "report formats", else xlsx and docx); ``summary.json`` is always written.

    ``lang``: the report's language (None: the workbook's own); ``msg_lang``: the language
    of the rejection reason (default: :func:`udfs.core.i18n.default_lang`).  ``period``:
    the report period (``--period``), else the workbook's Config cell, else the latest
    month up to the as-of date (a period or filter with no contacts is a rejection
    naming the periods with data).  ``scope``: the filter, baseline and chapters
    (:class:`udfs.core.scope.Scope`).  The as-of date
    is ``as_of``, else the Config sheet's fixed date, else today; the report's Method
    sheet records which.  Every exception, ``BaseException`` ones raised by native readers
    included, becomes a rejection with a one-line reason (as text, so a worker process can
    always send it back).
    """
    from udfs.core.i18n import default_lang

    mlang = msg_lang or default_lang()
    try:
        return _report_one(src, out_dir, as_of, lang, mlang, period, scope, formats)
    except ByFieldError:  # --by names a column the workbook lacks: a usage error (exit 2)
        raise
    except CsqError as exc:
        reason = exc.render(mlang)  # a coded error in the message language
        for name in (f"{src}", f"{Path(src).name}"):  # the line already names the file
            for colon in (": ", "："):
                reason = reason.removeprefix(name + colon)
        return Result(input=src, ok=False, reason=reason)
    except MemoryError:
        return Result(input=src, ok=False, reason=msg("crashed", mlang))
    except OSError as exc:  # the output folder or disk refused the report
        from .common import os_message

        return Result(input=src, ok=False, reason=os_message(exc, mlang))
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - one bad workbook never stops the batch
        from .common import os_error_in, os_message

        inner = os_error_in(exc)  # a writer's own exception around a full disk
        if inner is not None and isinstance(exc, Exception):
            return Result(input=src, ok=False, reason=os_message(inner, mlang))
        return Result(input=src, ok=False, reason=msg("unexpected", mlang, err=one_line(exc)))


def _report_one(
    src: str,
    out_dir: str | None,
    as_of: _dt.date | None,
    lang: str | None,
    mlang: str,
    period: str | None = None,
    scope: Scope | None = None,
    formats: tuple[str, ...] | None = None,
) -> Result:
    from udfs.core.analysis import analyse
    from udfs.core.i18n import output_lang

    from ..read.marker import is_csq_report
    from ..read.workbook import read_workbook
    from .progress import phase

    if is_csq_report(src):
        return Result(input=src, ok=False, reason=msg("is_report", mlang))
    report_path, summary_path = output_paths(Path(src), Path(out_dir) if out_dir else None)
    phase("read_workbook")
    data = read_workbook(src, lang=lang if lang in ("zh", "en") else None)
    if data.rejected:  # the reason in the message language, from its codes
        return Result(input=src, ok=False, reason=data.rejected_in(mlang))
    if not len(data.monitoring):
        return Result(input=src, ok=False, reason=msg("no_contacts", mlang))
    rlang = output_lang(lang, data.lang)
    when, rule = pick_as_of(as_of, data.as_of)
    phase("analyse")
    an = analyse(data, when, period or data.report_period, as_of_rule=rule, scope=scope or Scope())
    phase("write_report")
    return write_outputs(src, data, an, when, rlang, mlang, report_path, summary_path, formats)


def write_outputs(
    name: str,
    data: WorkbookData,
    an: Analysis,
    when: _dt.date,
    rlang: str,
    mlang: str,
    report_path: Path,
    summary_path: Path,
    formats: Sequence[str] | None,
) -> Result:
    """Every output of one analysis: the summary (always), the xlsx report with it (both
    replaced or neither), then the Word report, deck and PDF (``formats``: None = the
    workbook's Config cell, else xlsx and docx); the result names every file written and
    every format that failed.  One path for a team report and a department roll-up."""
    from ..report.summary import build_summary, summary_text
    from ..report.xlsx import write_report

    text = summary_text(build_summary(data, when, an, rlang))
    fmts = tuple(formats or data.report_formats or DEFAULT_FORMATS)
    files = [str(summary_path)]
    if "xlsx" in fmts:
        write_pair(
            report_path,
            lambda p: write_report(data, p, lang=rlang, as_of=when, analysis=an),
            summary_path,
            text,
        )
        files.insert(0, str(report_path))
    else:
        from ..report.summary import write_summary_text

        write_summary_text(summary_path, text)
    written, errors = write_documents(data, an, rlang, report_path, fmts, mlang)
    files[-1:-1] = written
    return Result(
        input=name,
        ok=True,
        report=files[0],
        summary=str(summary_path),
        period=an.period,
        contacts=int(an.headline.get("contacts") or 0),
        grade=an.headline.get("grade"),
        findings=len(an.findings),
        as_of=when.isoformat(),
        files=files,
        output_errors=errors,
    )


def pick_as_of(given: _dt.date | None, config: _dt.date | None) -> tuple[_dt.date, str]:
    """The one as-of rule of every face: ``--as-of``, else the Config sheet's fixed date,
    else today; with the rule's name (``udfs.core.model.AS_OF_RULES``)."""
    if given is not None:
        return given, "option"
    if config is not None:
        return config, "config"
    return _dt.date.today(), "today"

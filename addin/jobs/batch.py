"""Run a batch of reports: inputs (files, folders, globs) expanded to workbooks, each
reported in turn or in ``jobs`` worker processes, one :class:`~.report.Result` per input in
input order; an input whose outputs would overwrite another input or another's outputs is
rejected before anything is written.  ``csq report``, ``csq demo`` and the ribbon share it.
"""

from __future__ import annotations

import datetime as _dt
import glob
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from udfs.core.scope import Scope

from .common import one_line
from .report import REPORT_SUFFIX, WORKBOOK_SUFFIXES, Result, msg, output_paths, report_one


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
        before = len(found)
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
            continue
        if len(found) == before and not p.is_file() and not _only_repeats(pat, seen):
            missing.append(pat)  # a folder or glob that matched no workbook: named
    return found, missing


def _only_repeats(pat: str, seen: set[str]) -> bool:
    """Whether a folder or glob matched workbooks that earlier arguments already named."""
    p = Path(pat)
    hits = [Path(m) for m in glob.glob(pat)] if glob.has_magic(pat) else [p]
    for h in hits:
        kids = sorted(h.iterdir()) if h.is_dir() else [h]
        for k in kids:
            if k.is_file() and _is_candidate(k):
                if os.path.normcase(os.path.abspath(k)) in seen:
                    return True
    return False


OTHER_SPREADSHEETS = (".xls", ".xlsb", ".ods", ".numbers", ".csv")
"""Files a folder or glob may hold that CSQ does not read as workbooks (named as skipped)."""


def other_spreadsheets(patterns: Sequence[str]) -> list[Path]:
    """Spreadsheets of other kinds (.xls, .ods, ...) inside the folders and globs of
    ``patterns``: a folder run names them as skipped instead of passing them over silently."""
    out: list[Path] = []
    for pat in patterns:
        p = Path(pat)
        if p.is_file():
            continue
        hits = [Path(m) for m in sorted(glob.glob(pat))] if glob.has_magic(pat) else [p]
        for h in hits:
            kids = sorted(h.iterdir()) if h.is_dir() else [h]
            out += [
                k
                for k in kids
                if k.is_file()
                and k.suffix.lower() in OTHER_SPREADSHEETS
                and not k.name.startswith(("~$", "."))
            ]
    return list(dict.fromkeys(out))


def run_batch(
    inputs: Sequence[Path],
    out_dir: Path | None,
    as_of: _dt.date | None,
    lang: str | None,
    jobs: int = 1,
    on_done: Callable[[Result], None] | None = None,
    msg_lang: str | None = None,
    period: str | None = None,
    scope: Scope | None = None,
    formats: tuple[str, ...] | None = None,
) -> list[Result]:
    """Report every input (in ``jobs`` processes); results in input order.

    ``lang`` is the reports' language (None: each workbook's own), ``msg_lang`` that of
    the reasons; ``formats`` the report formats (None: each workbook's Config cell).
    An input whose report or summary would replace another input of the
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
        try:
            for i, src in todo:
                results[i] = report_one(str(src), od, as_of, lang, mlang, period, scope, formats)
                if on_done:
                    on_done(results[i])
        except KeyboardInterrupt:  # the file in progress removed its temporary files
            raise BatchInterrupted([results[i] for i in sorted(results)]) from None
    else:
        _in_processes(todo, results, od, as_of, lang, mlang, period, jobs, on_done, scope, formats)
    return [results[i] for i in sorted(results)]


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C during a batch: ``results`` are the inputs finished before it (their
    reports written whole); the others wrote nothing."""

    def __init__(self, results: list[Result]) -> None:
        super().__init__()
        self.results = results


def _ignore_sigint() -> None:
    """A worker leaves Ctrl-C to the batch, which stops it (:func:`_in_processes`)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _in_processes(
    todo: list[tuple[int, Path]],
    results: dict[int, Result],
    od: str | None,
    as_of: _dt.date | None,
    lang: str | None,
    mlang: str,
    period: str | None,
    jobs: int,
    on_done: Callable[[Result], None] | None,
    scope: Scope | None = None,
    formats: tuple[str, ...] | None = None,
) -> None:
    """Report ``todo`` in ``jobs`` worker processes into ``results``.  On Ctrl-C the
    workers are stopped at once, the temporary files of the reports they were writing
    removed (a report appears whole or not at all), and :class:`BatchInterrupted` lists
    the finished ones."""
    # only a batch with --jobs pays for the process pool's imports
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=_ignore_sigint)
    futures = {}
    try:
        futures = {
            pool.submit(report_one, str(src), od, as_of, lang, mlang, period, scope, formats): (
                i,
                src,
            )
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
                results[i] = Result(str(src), False, msg("unexpected", mlang, err=one_line(exc)))
            if on_done:
                on_done(results[i])
    except KeyboardInterrupt:
        workers = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for w in workers:
            w.terminate()
        for w in workers:
            w.join(5)
        unfinished = [src for i, src in todo if i not in results]
        _remove_temporary_files(unfinished, Path(od) if od else None)
        raise BatchInterrupted([results[i] for i in sorted(results)]) from None
    finally:
        pool.shutdown(wait=True)


def _remove_temporary_files(inputs: list[Path], out_dir: Path | None) -> None:
    """The temporary files (``.<name>.*.tmp``) of the outputs of ``inputs``, stopped
    while they were written."""
    for src in inputs:
        for target in output_paths(src, out_dir):
            for tmp in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
                tmp.unlink(missing_ok=True)


def without_reports(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """``paths`` split into (workbooks, CSQ reports): a report is skipped with a note, never
    read as a workbook."""
    from ..read.marker import is_csq_report

    reports = [p for p in paths if is_csq_report(p)]
    return [p for p in paths if p not in reports], reports

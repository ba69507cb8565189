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


def run_batch(
    inputs: Sequence[Path],
    out_dir: Path | None,
    as_of: _dt.date | None,
    lang: str | None,
    jobs: int = 1,
    on_done: Callable[[Result], None] | None = None,
    msg_lang: str | None = None,
    period: str | None = None,
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
        for i, src in todo:
            results[i] = report_one(str(src), od, as_of, lang, mlang, period, formats)
            if on_done:
                on_done(results[i])
    else:
        # only a batch with --jobs pays for the process pool's imports
        from concurrent.futures import ProcessPoolExecutor, as_completed
        from concurrent.futures.process import BrokenProcessPool

        with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
            futures = {
                pool.submit(report_one, str(src), od, as_of, lang, mlang, period, formats): (i, src)
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


def without_reports(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """``paths`` split into (workbooks, CSQ reports): a report is skipped with a note, never
    read as a workbook."""
    from ..read.marker import is_csq_report

    reports = [p for p in paths if is_csq_report(p)]
    return [p for p in paths if p not in reports], reports

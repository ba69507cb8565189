"""Progress of one long job on a terminal (SPEC section 7; issue 23, item 15): ``csq
import``, ``csq sample``, ``csq validate`` and a single ``csq report`` show a tqdm bar
over the job's phases on stderr, only when stderr is a terminal; in a pipe or a file
nothing is written.

A command installs a bar (:func:`showing`) around its job; the jobs say which phase they
are in (:func:`phase`), which does nothing when no bar is installed (the ribbon, tests,
the processes of ``csq report --jobs N``)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from udfs.core.i18n import Catalog

_t = Catalog(
    {
        "read_export": ("reading the export", "读取导出文件"),
        "convert": ("converting the values", "转换数值"),
        "draw": ("drawing the sample", "抽取样本"),
        "write_workbook": ("writing the workbook", "写入工作簿"),
        "read_workbook": ("reading the workbook", "读取工作簿"),
        "check": ("listing the findings", "整理问题"),
        "analyse": ("computing the figures", "计算指标"),
        "write_report": ("writing the report", "写入报告"),
    }
)

PHASES: dict[str, tuple[str, ...]] = {
    "import": ("read_export", "convert", "write_workbook"),
    "sample": ("read_export", "draw", "convert", "write_workbook"),
    "validate": ("read_workbook", "check"),
    "report": ("read_workbook", "analyse", "write_report"),
}
"""Each job's phases, in order."""

_current: list[Any] = []  # the installed bar, if any (one job at a time per process)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class _Bar:
    def __init__(self, job: str, phases: Sequence[str], lang: str, stream: Any) -> None:
        from tqdm import tqdm

        self.phases, self.lang = list(phases), lang
        size = shutil.get_terminal_size()  # a terminal that says 0x0: 80x24
        self.bar = tqdm(
            total=len(self.phases),
            desc=f"csq {job}",
            file=stream,
            leave=False,
            ncols=size.columns if size.columns >= 20 else 80,
            nrows=size.lines if size.lines >= 2 else 24,
            bar_format="{desc} {n_fmt}/{total_fmt} [{elapsed}]{postfix}",
        )
        self.at = -1

    def phase(self, key: str) -> None:
        if key not in self.phases:
            return
        i = self.phases.index(key)
        if i > self.at:
            self.bar.update(i - max(self.at, 0) if self.at >= 0 else i)
            self.at = i
            self.bar.set_postfix_str(_t(key, self.lang))

    def close(self) -> None:
        self.bar.close()


@contextmanager
def showing(job: str, lang: str, stream: Any = None) -> Iterator[None]:
    """A bar over ``job``'s :data:`PHASES` on ``stream`` (stderr) while the block runs,
    when it is a terminal; nothing otherwise."""
    stream = sys.stderr if stream is None else stream
    if not _isatty(stream):
        yield
        return
    bar = _Bar(job, PHASES[job], lang, stream)
    _current.append(bar)
    try:
        yield
    finally:
        _current.remove(bar)
        bar.close()


def phase(key: str) -> None:
    """The running job has reached phase ``key`` (nothing without a bar)."""
    if _current:
        _current[-1].phase(key)

"""Write a report's pair of files, ``<name>.report.xlsx`` and ``<name>.summary.json``, both
or neither (temporary files beside them, then two renames)."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path


def write_pair(
    report_path: Path, write_xlsx: Callable[[Path], object], summary_path: Path, text: str
) -> None:
    """Write ``<name>.report.xlsx`` and ``<name>.summary.json`` both or neither.

    Both are written completely to temporary files in their folders first (a full disk or
    a refused folder changes nothing and leaves no temporary file); then both are renamed
    into place.  Should the second rename fail, the old report (moved aside first) is put
    back, so a report never stands beside a summary of another run: the pair is replaced
    both or neither.  A folder standing where a file goes is named as such.
    """
    from workbook_templates.output import final_mode, temp_beside

    report_path.parent.mkdir(parents=True, exist_ok=True)
    summary_path.parent.mkdir(parents=True, exist_ok=True)
    for target in (report_path, summary_path):
        if target.is_dir():  # name the folder in the way, not a temporary file
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
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
        old: Path | None = None
        if report_path.exists():  # kept aside until the summary is in place
            old = temp_beside(report_path)
            tmps.append(old)
            os.replace(report_path, old)
        try:
            os.replace(tmp_report, report_path)
            os.replace(tmp_summary, summary_path)
        except BaseException:
            if old is not None:
                os.replace(old, report_path)  # the old pair stands as it was
            else:
                report_path.unlink(missing_ok=True)
            raise
    finally:
        for tmp in tmps:
            tmp.unlink(missing_ok=True)

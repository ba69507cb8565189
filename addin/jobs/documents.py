"""The report's other formats beside the workbook: ``<name>.report.docx`` (Word),
``<name>.report.pptx`` (the meeting deck) and ``<name>.report.pdf`` (the Word report
converted by LibreOffice), each written atomically from the one narrative
(:mod:`udfs.core.narrative`).  Called by :mod:`.report`; python-docx and python-pptx are
imported only here, and only when their format is asked for.

A format that cannot be written is one line naming the file (no partial file is left);
the other formats are still written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from udfs.core.data import WorkbookData
from udfs.core.model import Analysis

from ..read.config_sheet import REPORT_FORMATS, parse_formats

__all__ = ["DEFAULT_FORMATS", "REPORT_FORMATS", "parse_formats", "write_documents", "write_pdf"]

DEFAULT_FORMATS = ("xlsx", "docx")
"""Without ``--format`` and without the Config cell "report formats"."""
PDF_TIMEOUT_S = 180

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (English, 简体中文)
    "no_soffice": (
        "{path}: no PDF written: LibreOffice (soffice) is not on PATH; install LibreOffice, "
        "or open {docx} in Word and save it as PDF",
        "{path}：未生成 PDF：PATH 中找不到 LibreOffice（soffice）；请安装 LibreOffice，"
        "或用 Word 打开 {docx} 另存为 PDF",
    ),
    "soffice_failed": (
        "{path}: no PDF written: LibreOffice could not convert {docx} ({why})",
        "{path}：未生成 PDF：LibreOffice 无法转换 {docx}（{why}）",
    ),
    "timeout": ("timed out after {s} s", "超过 {s} 秒未完成"),
    "no_output": ("it wrote no PDF", "未输出 PDF 文件"),
    "unknown_format": (
        "unknown report format {value!r}: use one or more of xlsx, docx, pptx, pdf",
        "无法识别的报告格式 {value!r}：可用 xlsx、docx、pptx、pdf 中的一个或多个",
    ),
}


def msg(key: str, lang: str, **values: object) -> str:
    en, zh = MESSAGES[key]
    return (zh if lang == "zh" else en).format(**values)


def document_path(base: Path, fmt: str) -> Path:
    """``<name>.report.<fmt>`` beside ``<name>.report.xlsx`` (``base``)."""
    return base.with_suffix(f".{fmt}")


def write_documents(
    data: WorkbookData,
    an: Analysis,
    lang: str,
    base: Path,
    formats: tuple[str, ...],
    mlang: str,
) -> tuple[list[str], list[str]]:
    """Write the docx, pptx and pdf of ``formats``; returns (files written, one line per
    format that could not be written)."""
    from udfs.core.narrative import narrative_for

    from .common import os_message

    wanted = [f for f in ("docx", "pptx", "pdf") if f in formats]
    if not wanted:
        return [], []
    narrative = narrative_for(an, lang, data.report_info)
    written: list[str] = []
    errors: list[str] = []
    docx_done: Path | None = None
    for fmt in wanted:
        path = document_path(base, fmt)
        try:
            if fmt == "docx":
                from ..report.docx_report import write_docx

                write_docx(narrative, an, path)
                docx_done = path
            elif fmt == "pptx":
                from ..report.pptx_deck import write_pptx

                write_pptx(narrative, an, path)
            else:
                err = write_pdf(narrative, an, path, docx_done, mlang)
                if err:
                    errors.append(err)
                    continue
            written.append(str(path))
        except OSError as exc:
            if not exc.filename or str(exc.filename).endswith(".tmp"):
                exc = OSError(exc.errno, exc.strerror or str(exc), str(path))
            errors.append(os_message(exc, mlang))
    return written, errors


def write_pdf(
    narrative: Any, an: Analysis, path: Path, docx: Path | None, mlang: str
) -> str | None:
    """Convert the Word report to ``path`` with LibreOffice headless (a private profile,
    a timeout, the PDF checked before it is renamed into place); a one-line reason when
    it cannot be done."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    shown = docx if docx is not None else path.with_suffix(".docx")
    if soffice is None:
        return msg("no_soffice", mlang, path=path, docx=shown.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".csq-pdf-", dir=path.parent))
    try:
        src = work / (path.stem + ".docx")
        if docx is not None:
            shutil.copyfile(docx, src)
        else:
            from ..report.docx_report import write_docx

            write_docx(narrative, an, src)
        profile = (work / "profile").resolve().as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
        cmd += ["--convert-to", "pdf", "--outdir", str(work), str(src)]
        try:
            subprocess.run(
                cmd,
                capture_output=True,
                timeout=PDF_TIMEOUT_S,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return msg(
                "soffice_failed",
                mlang,
                path=path,
                docx=shown.name,
                why=msg("timeout", mlang, s=PDF_TIMEOUT_S),
            )
        out = work / (path.stem + ".pdf")
        if not out.is_file() or out.stat().st_size == 0:
            return msg(
                "soffice_failed", mlang, path=path, docx=shown.name, why=msg("no_output", mlang)
            )
        from workbook_templates.output import final_mode

        os.chmod(out, final_mode(path))
        os.replace(out, path)
        return None
    finally:
        shutil.rmtree(work, ignore_errors=True)

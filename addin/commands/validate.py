"""``csq validate``: every problem of a workbook, cell by cell, and the library twin.

``validate_workbook(path)`` returns the same findings the reader collects (and the report's
data-quality sheet and the ribbon show); ``cmd_validate`` prints them grouped by sheet, one
per line with sheet!cell, value and rule, then the counts; ``--json`` gives each finding
with its stable ``code``, ``field`` and ``params`` besides the texts (docs/validate.md lists
the codes).  Exit code 1 when there is at least one error, 0 otherwise (warnings do not
fail).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from udfs.core.data import Finding
from udfs.core.i18n import Catalog, default_lang
from udfs.core.problems import Problem, Text

from ..read.workbook import read_workbook

_MESSAGES: dict[str, tuple[str, str]] = {
    "error": ("error", "错误"),
    "warning": ("warning", "警告"),
    "sheet_head": ("{sheet}: {counts}", "{sheet}：{counts}"),
    "counts": ("{e} error(s), {w} warning(s)", "{e} 个错误，{w} 个警告"),
    "total": (
        "{path}: {e} error(s), {w} warning(s) in {rows} monitoring row(s)",
        "{path}：监测表 {rows} 行，{e} 个错误，{w} 个警告",
    ),
    "ok": (
        "{path}: no problems found ({rows} monitoring rows)",
        "{path}：未发现问题（监测表 {rows} 行）",
    ),
    "is_report": (
        "{path}: this is an evaluation report written by CSQ ({version}), not a workbook; "
        "validate the workbook it was made from",
        "{path}：这是 CSQ（{version}）生成的评价报告，不是工作簿；请校验生成它的工作簿",
    ),
    "unusable": (
        "{path}: not a usable CSQ workbook: {reason}",
        "{path}：不是可用的 CSQ 工作簿：{reason}",
    ),
}


_t = Catalog(_MESSAGES)


def validate_workbook(path: str | os.PathLike[str], *, lang: str | None = None) -> list[Finding]:
    """Every finding of the workbook at ``path`` (messages in ``lang``, default the
    workbook's language).  Raises ``InputError`` for a file that cannot be read at all."""
    return read_workbook(path, lang=lang).findings


def format_finding(f: Finding, lang: str) -> str:
    """One line: ``  [error] Monitoring!F12  '7'  CSAT (1-5): not in 1-5; allowed: ...``."""
    value = f" {f.value!r}" if f.value else ""
    return f"  [{_t(f.severity, lang)}] {f.where()}{value}  {f.rule}"


def format_report(findings: Sequence[Finding], path: str, rows: int, lang: str) -> str:
    """Findings grouped by sheet (in order of first appearance) with counts at the end."""
    lines: list[str] = []
    sheets: dict[str, list[Finding]] = {}
    for f in findings:
        sheets.setdefault(f.sheet, []).append(f)
    for sheet, items in sheets.items():
        e = sum(1 for f in items if f.severity == "error")
        counts = _t("counts", lang, e=e, w=len(items) - e)
        lines.append(_t("sheet_head", lang, sheet=sheet, counts=counts))
        lines.extend(format_finding(f, lang) for f in items)
    e = sum(1 for f in findings if f.severity == "error")
    if findings:
        lines.append(_t("total", lang, path=path, e=e, w=len(findings) - e, rows=rows))
    else:
        lines.append(_t("ok", lang, path=path, rows=rows))
    return "\n".join(lines)


def _param(v: Any, lang: str) -> Any:
    """A finding parameter for JSON: a per-language text in ``lang``, a nested problem as
    ``{"code", "params"}``, numbers and texts as they are."""
    if isinstance(v, Text):
        return v(lang)
    if isinstance(v, Problem):
        return {"code": v.code, "params": {k: _param(x, lang) for k, x in v.params.items()}}
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def finding_json(f: Finding) -> dict[str, Any]:
    """One finding as ``csq validate --json`` lists it (docs/validate.md, "JSON")."""
    return {
        "sheet": f.sheet,
        "cell": f.cell,
        "value": f.value,
        "rule": f.rule,
        "severity": f.severity,
        "key": f.key,
        "code": f.code,
        "field": f.field,
        "params": {k: _param(v, f.lang) for k, v in f.params.items()},
    }


def findings_json(findings: Sequence[Finding], path: str, rows: int, sha256: str) -> str:
    e = sum(1 for f in findings if f.severity == "error")
    doc = {
        "file": path,
        "sha256": sha256,
        "monitoring_rows": rows,
        "errors": e,
        "warnings": len(findings) - e,
        "findings": [finding_json(f) for f in findings],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def cmd_validate(args: Any) -> int:
    """``csq validate WORKBOOK [--lang zh|en] [--json]``; exit 1 on errors.

    Messages are in ``--lang``, else the message language (``CSQ_LANG``, else the
    locale).  A CSQ report is named as such instead of being listed as a broken workbook.
    Control characters from cells are shown escaped, never sent to the terminal.
    """
    from ..read.marker import is_csq_report
    from .common import safe_text

    lang = getattr(args, "lang", None) or default_lang()
    path = str(args.workbook)
    if is_csq_report(path):
        from udfs import __version__

        text = _t("is_report", lang, path=path, version=f"CSQ {__version__}")
        if getattr(args, "json", False):
            print(
                json.dumps({"file": path, "csq_report": True, "message": text}, ensure_ascii=False)
            )
        else:
            print(safe_text(text))
        return 1
    data = read_workbook(args.workbook, lang=lang)
    rows = len(data.monitoring)
    if getattr(args, "json", False):
        print(findings_json(data.findings, path, rows, data.sha256))
    else:
        print(safe_text(format_report(data.findings, path, rows, lang)))
        if data.rejected:
            print(safe_text(_t("unusable", lang, path=path, reason=data.rejected)))
    sys.stdout.flush()
    return 1 if data.errors else 0

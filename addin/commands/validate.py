"""``csq validate``: every problem of a workbook, cell by cell (the work:
:mod:`addin.jobs.validate`).

``cmd_validate`` prints the findings grouped by sheet, identical findings (rule x column x
value) on one line with the first few cells and how many more (:mod:`udfs.core.grouping`),
with sheet!cell, value and rule, then the counts (or, with ``--json``, one JSON document: each finding with its
stable ``code``, ``field`` and ``params`` besides the texts; docs/validate.md lists the codes).  Exit code 1 when there is at
least one error, 0 otherwise (warnings do not fail).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from udfs.core.data import Finding
from udfs.core.grouping import FindingGroup, effect, group_findings
from udfs.core.i18n import Catalog, default_lang

from ..jobs.common import printable, safe_text, shown
from ..jobs.progress import showing
from ..jobs.validate import finding_json, is_report, read_for_validation

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


def format_finding(f: Finding, lang: str) -> str:
    """One line: ``  [error] Monitoring!F12  '7'  CSAT (1-5): not in 1-5; allowed: ...``."""
    value = f" {f.value!r}" if f.value else ""
    return f"  [{_t(f.severity, lang)}] {f.where()}{value}  {f.rule}"


def format_group(g: FindingGroup, lang: str) -> str:
    """One line for identical findings: ``  [warning] Monitoring!F2, F3 and 8 more 'x'  rule``
    (a single finding: :func:`format_finding`)."""
    if g.count == 1:
        return format_finding(g.first, lang)
    f = g.first
    value = f" {f.value!r}" if f.value else ""
    return f"  [{_t(f.severity, lang)}] {g.where(lang)}{value}  {f.rule}"


def format_report(findings: Sequence[Finding], path: str, rows: int, lang: str) -> str:
    """Findings grouped by sheet (in order of first appearance), identical ones on one
    line, with counts at the end."""
    lines: list[str] = []
    sheets: dict[str, list[Finding]] = {}
    for f in findings:
        sheets.setdefault(f.sheet, []).append(f)
    for sheet, items in sheets.items():
        e = sum(1 for f in items if f.severity == "error")
        counts = _t("counts", lang, e=e, w=len(items) - e)
        lines.append(_t("sheet_head", lang, sheet=sheet, counts=counts))
        lines.extend(format_group(g, lang) for g in group_findings(items))
    e = sum(1 for f in findings if f.severity == "error")
    if findings:
        lines.append(_t("total", lang, path=path, e=e, w=len(findings) - e, rows=rows))
    else:
        lines.append(_t("ok", lang, path=path, rows=rows))
    return "\n".join(lines)


def group_json(g: FindingGroup) -> dict[str, Any]:
    """Identical findings as ``--json`` lists them under ``groups``: the first finding's
    fields, ``count``, the first few ``cells`` and ``effect`` (what the figures do with
    those cells, ``""`` when the rule says it)."""
    f = g.first
    out = finding_json(f)
    del out["cell"]
    return {**out, "count": g.count, "cells": list(g.places), "effect": effect(f, f.lang)}


def findings_json(findings: Sequence[Finding], path: str, rows: int, sha256: str) -> str:
    e = sum(1 for f in findings if f.severity == "error")
    doc = {
        "file": path,
        "sha256": sha256,
        "monitoring_rows": rows,
        "errors": e,
        "warnings": len(findings) - e,
        "findings": [finding_json(f) for f in findings],
        "groups": [group_json(g) for g in group_findings(findings)],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)


def cmd_validate(args: Any) -> int:
    """``csq validate WORKBOOK [--lang zh|en] [--json]``; exit 1 on errors.

    Messages are in ``--lang``, else the message language (``CSQ_LANG``, else the
    locale).  A CSQ report is named as such instead of being listed as a broken workbook.
    Control characters from cells are shown escaped, never sent to the terminal.
    """
    lang = getattr(args, "lang", None) or default_lang()
    path = shown(args.workbook)  # printed: a new line or an override in the name escaped
    if is_report(str(args.workbook)):
        from udfs import __version__

        text = _t("is_report", lang, path=path, version=f"CSQ {__version__}")
        if getattr(args, "json", False):
            print(
                json.dumps({"file": path, "csq_report": True, "message": text}, ensure_ascii=False)
            )
        else:
            print(safe_text(text))
        return 1
    with showing("validate", lang):
        data = read_for_validation(args.workbook, lang)
    rows = len(data.monitoring)
    if getattr(args, "json", False):
        print(findings_json(data.findings, printable(str(args.workbook)), rows, data.sha256))
    else:
        print(safe_text(format_report(data.findings, path, rows, lang)))
        if data.rejected:
            print(safe_text(_t("unusable", lang, path=path, reason=data.rejected)))
    sys.stdout.flush()
    return 1 if data.errors else 0

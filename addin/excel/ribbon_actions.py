"""The ribbon's actions, one per button: each runs a job (``addin.jobs``: the same work as
the ``csq`` command) on the active workbook through the book interface (:mod:`.books`)
and returns the message to show."""

from __future__ import annotations

import datetime as _dt
import re
import tempfile
from pathlib import Path
from typing import Any

from udfs import __version__
from udfs.core.errors import CsqError

from .books import BookLike
from .ribbon_text import FINDINGS_HEADER, FINDINGS_SHEET, MESSAGES, SEVERITY, both, grade_text


def _lang_of(book: BookLike, snapshot: Path | None = None) -> str:
    """The workbook's language: Chinese sheet names mean zh (the reader accepts both)."""
    names: list[str] = []
    if snapshot is not None:
        try:
            import warnings

            import openpyxl

            with warnings.catch_warnings():  # e.g. a formula print area openpyxl cannot keep
                warnings.simplefilter("ignore")
                names = openpyxl.load_workbook(snapshot, read_only=True).sheetnames
        except Exception:  # noqa: BLE001 - unreadable files are reported by the reader
            names = []
    if any(re.search(r"[\u4e00-\u9fff]", n) for n in names):
        return "zh"
    from udfs.core.i18n import default_lang

    return default_lang()


def _fmt(v: Any, digits: int = 1) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return MESSAGES["no_data"][0] + " / " + MESSAGES["no_data"][1]
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def generate_report(book: BookLike) -> str:
    """Report of the active workbook, written beside it (or in the temp folder when it was
    never saved) by the same code as ``csq report``, then opened."""
    from ..jobs.report import report_one

    with tempfile.TemporaryDirectory(prefix="csq-") as tmp:
        snap = book.snapshot(Path(tmp))
        saved = book.saved_path()
        out_dir = saved.parent if saved else Path(tempfile.gettempdir())
        result = report_one(str(snap), str(out_dir), None, _lang_of(book, snap))
    if not result.ok:
        raise CsqError(result.reason)
    report = Path(result.report)
    if report.suffix == ".xlsx":
        book.open_workbook(report)
    text = both(
        "report_done",
        report=report,
        period=result.period or "-",
        contacts=result.contacts,
        grade=grade_text(result.grade),
    )
    if result.findings:
        text += "\n\n" + both("report_findings", n=result.findings)
    # every file written (the Config sheet's report formats), then any that could not be
    text += "\n\n" + "\n".join(result.files + result.output_errors)
    return text


def agent_feedback_files(book: BookLike) -> str:
    """One feedback workbook per agent of the report period (the same code as
    ``csq feedback``), in a ``<workbook>-feedback`` folder beside the workbook (or in the
    temp folder when it was never saved)."""
    from udfs.core.i18n import default_lang

    from ..jobs.feedback import feedback_one

    with tempfile.TemporaryDirectory(prefix="csq-") as tmp:
        snap = book.snapshot(Path(tmp))
        saved = book.saved_path()
        base = saved.parent if saved else Path(tempfile.gettempdir())
        folder = base / f"{Path(snap).stem}-feedback"
        files, period, reason = feedback_one(
            str(snap), folder, None, _lang_of(book, snap), None, default_lang()
        )
    if reason:
        raise CsqError(reason)
    return both("feedback_done", n=len(files), folder=folder, period=period or "-")


def actions_from_findings(book: BookLike) -> str:
    """*Add actions from findings*: one draft row in the Actions table per finding with no
    open action yet (the same drafts as ``csq actions --from-findings``), added to the open
    workbook; running it again adds nothing."""
    from udfs.core.drafts import TO_FILL
    from udfs.core.i18n import default_lang

    from ..jobs.action_drafts import plan_drafts

    with tempfile.TemporaryDirectory(prefix="csq-") as tmp:
        snap = book.snapshot(Path(tmp))
        plan = plan_drafts(snap, None, None, default_lang())
    if plan.reason:
        raise CsqError(plan.reason)
    if not plan.added:
        return both("drafts_none", period=plan.period or "-")
    first, last = book.append_rows("Actions", plan.added, TO_FILL)
    return both("drafts_done", n=len(plan.added), first=first, last=last, period=plan.period or "-")


def department_report(book: BookLike) -> str:
    """*Department report*: every workbook of a folder the user picks combined into one
    report (the same code as ``csq report FOLDER --combine NAME``), written into that folder
    as ``<folder name>.report.xlsx`` and opened."""
    from udfs.core.i18n import default_lang

    from ..jobs.batch import expand_inputs, without_reports
    from ..jobs.rollup import rollup

    folder = book.pick_folder(both("pick_department"))
    if folder is None:
        return both("department_cancelled")
    found, _missing = expand_inputs([str(folder)])
    inputs, _reports = without_reports(found)
    if not inputs:
        raise CsqError(both("department_none", folder=folder))
    name = folder.name or "department"
    r = rollup(inputs, name, folder, None, None, default_lang())
    if not r.report.ok:
        raise CsqError(r.report.reason)
    report = Path(r.report.report)
    book.open_workbook(report)
    text = both(
        "department_done",
        report=report,
        n=sum(x.ok for x in r.inputs),
        period=r.report.period or "-",
        contacts=r.report.contacts,
        grade=grade_text(r.report.grade),
    )
    bad = [Path(x.input).name for x in r.inputs if not x.ok]
    if bad:
        text += "\n\n" + both("department_lacking", names=", ".join(bad))
    return text


def rebind_formulas(book: BookLike) -> int:
    """Re-enter every CSQ_ formula of the workbook; returns how many.

    Excel stores a call to an add-in function as a reference to the add-in's file, and a
    workbook written elsewhere (by CSQ on Linux) holds the bare name; Microsoft documents
    cases where such formulas stay ``#NAME?`` until they are entered again.  Each protected
    sheet is protected again with ``UserInterfaceOnly`` (macros may edit, the user may not)
    and the same options, every CSQ_ anchor formula is entered again (``Formula2 =
    Formula2``), and the sheet's protection is put back as it was.
    """
    n = 0
    for sheet in book.sheet_names():
        cells = book.csq_formula_cells(sheet)
        if not cells:
            continue
        options = book.protection(sheet)
        if options is not None:
            book.protect(sheet, options, ui_only=True)
        try:
            for cell in cells:
                book.reenter_formula(sheet, cell)
                n += 1
        finally:
            if options is not None:
                book.protect(sheet, options, ui_only=False)
    return n


def refresh_scores(book: BookLike) -> str:
    """Re-enter every CSQ_ formula (so it binds to this add-in), recalculate every formula,
    then show the headline figures from the core (for the self-test workbook of ``csq
    selftest``: its total, "all N passed")."""
    from udfs.core.analysis import analyse

    from ..jobs.selftest import SELFTEST_SHEET, selftest_outcome
    from ..read.workbook import read_workbook

    rebound = rebind_formulas(book)
    book.recalculate()
    with tempfile.TemporaryDirectory(prefix="csq-") as tmp:
        snap = book.snapshot(Path(tmp))
        if SELFTEST_SHEET in book.sheet_names():  # csq selftest: its total is the outcome
            return both("selftest_done", outcome=selftest_outcome(snap), n=rebound)
        data = read_workbook(snap, lang=_lang_of(book, snap))
    an = analyse(data, data.as_of or _dt.date.today(), data.report_period)
    h = an.headline
    text = both(
        "refresh_done",
        contacts=h.get("contacts") or 0,
        score=_fmt(h.get("qa_score_mean")),
        grade=grade_text(h.get("grade")),
    )
    if rebound:
        text += "\n\n" + both("rebound", n=rebound)
    return text


def validate(book: BookLike) -> str:
    """Findings on a sheet of their own, the first bad cell selected."""
    from ..jobs.validate import read_for_validation

    with tempfile.TemporaryDirectory(prefix="csq-") as tmp:
        snap = book.snapshot(Path(tmp))
        lang = _lang_of(book, snap)
        data = read_for_validation(snap, lang)
    findings = [f for f in data.findings if f.sheet not in FINDINGS_SHEET.values()]
    sheet = FINDINGS_SHEET[lang]
    if not findings:
        book.write_table(sheet, [FINDINGS_HEADER[lang]])
        return both("validate_ok", rows=len(data.monitoring))
    from ..jobs.common import safe_text  # control characters from cells, escaped

    rows = [FINDINGS_HEADER[lang]] + [
        [
            safe_text(f.sheet),
            f.cell,
            safe_text(f.value),
            safe_text(f.rule),
            SEVERITY[lang][f.severity],
        ]
        for f in findings
    ]
    book.write_table(sheet, rows)
    first = next((f for f in findings if f.cell), None)
    if first is not None:
        book.select(first.sheet, first.cell)
    errors = sum(f.severity == "error" for f in findings)
    return both(
        "validate_found",
        errors=errors,
        warnings=len(findings) - errors,
        sheet=sheet,
        first=str(first or findings[0]),
    )


def _free_name(folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.xlsx"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.xlsx"
        n += 1
    return path


def new_workbook(book: BookLike) -> str:
    """A fresh standard workbook (``csq new``) beside the active one, opened in Excel; on
    an Excel without dynamic arrays (2016/2019) the ``--compat`` one."""
    from udfs.core.i18n import default_lang

    from ..jobs.new_workbook import new_workbook as write_new_workbook

    saved = book.saved_path()
    folder = saved.parent if saved else Path.home()
    from .host import excel_has_dynamic_arrays

    lang = default_lang()
    path = _free_name(folder, f"CSQ-{_dt.date.today():%Y-%m}")
    # Excel 2016/2019 cannot spill: legacy array formulas there (csq new --compat)
    write_new_workbook(path, lang, portable=False, rows=None,
                       compat=not excel_has_dynamic_arrays(book))  # fmt: skip
    book.open_workbook(path)
    return both("new_done", path=path)


def settings_help(book: BookLike) -> str:
    import sys

    from udfs.functions import FUNCTIONS

    from .xlam import user_config_path

    return both(
        "help",
        version=__version__,
        python=sys.executable,
        conf=user_config_path(),
        n=len(FUNCTIONS),
    )

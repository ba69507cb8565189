"""The CSQ ribbon's actions, in Python.

Every button of the CSQ tab calls ``on_button(control_id)`` (through the one VBA callback in
``addin/vba/CSQRibbon.bas``).  The dispatcher maps the button id to an action, runs it on
the active workbook and shows the outcome, or any error, as one message box in English and
Chinese: never a traceback (that goes to a log file named in the message).

Actions only talk to Excel through a small book interface (``BookLike``): ``XlwingsBook``
wraps the workbook Excel passes in, ``FileBook`` is a workbook file on disk so the same
actions run (and are tested) on Linux without Excel.  The work itself is the CLI's:
Generate report is ``csq report`` for one workbook, Validate is ``csq validate``, New
workbook is ``csq new``.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from udfs import __version__
from udfs.core.errors import CsqError

TITLE = "CSQ"

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (English, 简体中文); the message box shows both
    "report_done": (
        "Report written: {report}\nPeriod {period}, {contacts} contacts, grade {grade}.",
        "报告已生成：{report}\n报告期 {period}，{contacts} 条联系，等级 {grade}。",
    ),
    "feedback_done": (
        "{n} feedback workbook(s), one per agent, written to {folder} (period {period}).",
        "已为每位客服生成个人反馈，共 {n} 份，保存在 {folder}（报告期 {period}）。",
    ),
    "report_findings": (
        "{n} data-quality finding(s) are listed in the report (use Validate to see them here).",
        "报告中列出了 {n} 个数据质量问题（点“校验数据”可在本工作簿查看）。",
    ),
    "refresh_done": (
        "Scores recalculated: {contacts} contacts, mean QA score {score}, grade {grade}.",
        "评分已重新计算：{contacts} 条联系，平均质检得分 {score}，等级 {grade}。",
    ),
    "rebound": (
        "{n} CSQ_ formula(s) re-entered so that they use this add-in's functions.",
        "已重新输入 {n} 个 CSQ_ 公式，使其调用本加载项的函数。",
    ),
    "protected_password": (
        "sheet '{sheet}' is protected with a password, so its CSQ_ formulas could not be "
        "re-entered: unprotect it (Review > Unprotect Sheet) and press Refresh scores again",
        "工作表“{sheet}”设有保护密码，无法重新输入其中的 CSQ_ 公式：请先撤销保护"
        "（审阅 > 撤销工作表保护）再点“刷新评分”",
    ),
    "validate_ok": (
        "No problems found ({rows} monitoring rows).",
        "未发现问题（监测表 {rows} 行）。",
    ),
    "validate_found": (
        "{errors} error(s) and {warnings} warning(s), listed on sheet '{sheet}'. First: {first}.",
        "发现 {errors} 个错误、{warnings} 个警告，已列在“{sheet}”表。第一个：{first}。",
    ),
    "new_done": ("New workbook: {path}", "已新建工作簿：{path}"),
    "help": (
        "CSQ {version} - customer-service quality evaluation.\n"
        "Python: {python}\nSettings file: {conf}\nFunctions: {n} (type =CSQ_ in a cell).\n"
        "Help: docs/addin.md; command line: csq --help.",
        "CSQ {version} 客服质检评价。\nPython：{python}\n设置文件：{conf}\n"
        "函数：{n} 个（在单元格输入 =CSQ_）。\n帮助：docs/addin.md；命令行：csq --help。",
    ),
    "failed": (
        "'{action}' could not finish: {error}",
        "“{action}”未能完成：{error}",
    ),
    "unexpected": (
        "'{action}' stopped on an unexpected problem: {error}\nDetails were saved to {log}.",
        "“{action}”遇到意外问题而停止：{error}\n详细信息已保存到 {log}。",
    ),
    "unknown_button": (
        "unknown button '{control}'; the add-in and the csq package may not match: "
        "reinstall with 'csq addin install'",
        "未知按钮“{control}”；加载项与 csq 版本可能不一致，请运行 'csq addin install' 重新安装",
    ),
    "no_data": ("no data", "无数据"),
    "not_editable": (
        "{name} cannot be opened for editing ({detail}); open and save it in Excel first",
        "{name} 无法打开编辑（{detail}）；请先在 Excel 中打开并保存",
    ),
}

ACTION_NAMES: dict[str, tuple[str, str]] = {
    "csqReport": ("Generate report", "生成报告"),
    "csqFeedback": ("Feedback per agent", "个人反馈"),
    "csqRefresh": ("Refresh scores", "刷新评分"),
    "csqValidate": ("Validate", "校验数据"),
    "csqNew": ("New workbook", "新建工作簿"),
    "csqHelp": ("Settings / Help", "设置与帮助"),
}

FINDINGS_SHEET = {"en": "CSQ Findings", "zh": "CSQ 校验结果"}
FINDINGS_HEADER = {
    "en": ["Sheet", "Cell", "Value", "Problem", "Severity"],
    "zh": ["工作表", "单元格", "值", "问题", "级别"],
}
SEVERITY = {
    "en": {"error": "error", "warning": "warning"},
    "zh": {"error": "错误", "warning": "警告"},
}


def both(key: str, **values: object) -> str:
    """A message in English, then in Chinese; a value may be an (English, Chinese) pair."""
    en, zh = MESSAGES[key]
    en_vals = {k: v[0] if isinstance(v, tuple) else v for k, v in values.items()}
    zh_vals = {k: v[1] if isinstance(v, tuple) else v for k, v in values.items()}
    return f"{en.format(**en_vals)}\n\n{zh.format(**zh_vals)}"


def _grade(key: Any) -> tuple[str, str]:
    """A grade key shown in both languages (优秀 Excellent ...), '-' when there is none."""
    if not key:
        return ("-", "-")
    from udfs.core.scoring import grade_label

    return (grade_label(key, "en") or str(key), grade_label(key, "zh") or str(key))


# --- the book interface ---------------------------------------------------------------------


class BookLike(Protocol):
    """What the ribbon actions need from the active workbook and its Excel."""

    name: str

    def saved_path(self) -> Path | None:
        """Where the workbook is saved, or None when it never was."""

    def snapshot(self, folder: Path) -> Path:
        """A copy of the workbook as it is now (unsaved edits included), in ``folder``."""

    def write_table(self, sheet: str, rows: list[list[str]]) -> None:
        """Replace ``sheet`` (created at the end if missing) with ``rows``, all as text."""

    def select(self, sheet: str, cell: str) -> None: ...

    def recalculate(self) -> None: ...

    def sheet_names(self) -> list[str]: ...

    def csq_formula_cells(self, sheet: str) -> list[str]:
        """Addresses of the cells holding a formula that calls a CSQ_ function (for a
        spilling formula: its anchor cell only)."""

    def protection(self, sheet: str) -> dict[str, bool] | None:
        """The sheet's protection options (:data:`PROTECTION_OPTIONS` -> allowed), or None
        when the sheet is not protected."""

    def protect(self, sheet: str, options: dict[str, bool], ui_only: bool) -> None:
        """Protect ``sheet`` (no password) with ``options``; ``ui_only``: macros may edit."""

    def reenter_formula(self, sheet: str, cell: str) -> None:
        """Enter the cell's formula again, as typing it would (``Formula2 = Formula2``)."""

    def open_workbook(self, path: Path) -> None: ...

    def alert(self, title: str, message: str) -> None: ...


PROTECTION_OPTIONS: dict[str, str] = {
    # Excel's Worksheet.Protection.Allow<name> -> openpyxl's sheetProtection attribute
    # (in the file an attribute set to 1 means the action is *not* allowed)
    "FormattingCells": "formatCells",
    "FormattingColumns": "formatColumns",
    "FormattingRows": "formatRows",
    "InsertingColumns": "insertColumns",
    "InsertingRows": "insertRows",
    "InsertingHyperlinks": "insertHyperlinks",
    "DeletingColumns": "deleteColumns",
    "DeletingRows": "deleteRows",
    "Sorting": "sort",
    "Filtering": "autoFilter",
    "UsingPivotTables": "pivotTables",
}
"""The protection options kept when CSQ re-protects a sheet, in ``Worksheet.Protect``'s
argument order (after Password, DrawingObjects, Contents, Scenarios, UserInterfaceOnly)."""


_CSQ_CALL = re.compile(r"\bCSQ_[A-Z]+(?:_[A-Z]+)*\(", re.IGNORECASE)


def calls_csq(formula: str) -> bool:
    """Whether ``formula`` calls a CSQ_ function (not merely a CSQ_ defined name such as
    ``CSQ_Weights``, which portable formulas use)."""
    return bool(_CSQ_CALL.search(formula))


class FileBook:
    """A workbook file standing in for Excel's active workbook (tests, scripts).

    A file has no calculation engine: re-entering a formula or protecting a sheet is
    recorded (``reentered``, ``protect_calls``) against the protection read from the file,
    and the file itself is left as it is.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self.opened: list[Path] = []
        self.alerts: list[tuple[str, str]] = []
        self.recalculated = 0
        self.reentered: list[tuple[str, str, str]] = []
        """(sheet, cell, state of the sheet's protection at that moment)."""
        self.protect_calls: list[tuple[str, dict[str, bool], bool]] = []
        self._protection: dict[str, tuple[dict[str, bool], bool] | None] | None = None
        self._formulas: dict[str, list[str]] = {}

    def _load(self) -> dict[str, tuple[dict[str, bool], bool] | None]:
        if self._protection is None:
            import openpyxl

            self._protection = {}
            try:
                wb = openpyxl.load_workbook(self.path)
            except Exception:  # noqa: BLE001 - not a workbook: the reader says why, later
                return self._protection
            for ws in wb.worksheets:
                p = ws.protection
                if p.sheet and not p.password:
                    opts = {k: not bool(getattr(p, a)) for k, a in PROTECTION_OPTIONS.items()}
                    self._protection[ws.title] = (opts, False)
                elif p.sheet:
                    self._protection[ws.title] = ({"password": True}, False)
                else:
                    self._protection[ws.title] = None
                cells = []
                for row in ws.iter_rows():
                    for c in row:
                        v = c.value
                        text = getattr(v, "text", v)
                        if c.data_type == "f" and isinstance(text, str) and calls_csq(text):
                            cells.append(c.coordinate)
                self._formulas[ws.title] = cells
            wb.close()
        return self._protection

    def sheet_names(self) -> list[str]:
        return list(self._load())

    def csq_formula_cells(self, sheet: str) -> list[str]:
        self._load()
        return list(self._formulas.get(sheet, []))

    def protection(self, sheet: str) -> dict[str, bool] | None:
        state = self._load()[sheet]
        if state is None:
            return None
        if "password" in state[0]:
            raise CsqError(both("protected_password", sheet=sheet))
        return dict(state[0])

    def protect(self, sheet: str, options: dict[str, bool], ui_only: bool) -> None:
        self._load()[sheet] = (dict(options), ui_only)
        self.protect_calls.append((sheet, dict(options), ui_only))

    def reenter_formula(self, sheet: str, cell: str) -> None:
        state = self._load()[sheet]
        mode = "unprotected" if state is None else ("ui_only" if state[1] else "protected")
        self.reentered.append((sheet, cell, mode))

    def saved_path(self) -> Path | None:
        return self.path

    def snapshot(self, folder: Path) -> Path:
        target = folder / self.name
        shutil.copyfile(self.path, target)
        return target

    def write_table(self, sheet: str, rows: list[list[str]]) -> None:
        wb = self._open_book()
        if sheet in wb.sheetnames:
            del wb[sheet]
        ws = wb.create_sheet(sheet)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(r, c)
                cell.value = value
                cell.data_type = "s"  # text from the workbook is never a formula
                cell.number_format = "@"
        self._save_book(wb)

    def select(self, sheet: str, cell: str) -> None:
        wb = self._open_book()
        ws = wb[sheet]
        for other in wb.worksheets:
            other.sheet_view.tabSelected = other is ws
        wb.active = wb.sheetnames.index(sheet)
        ws.sheet_view.selection[0].activeCell = cell
        ws.sheet_view.selection[0].sqref = cell
        self._save_book(wb)

    def _open_book(self) -> Any:
        """The workbook for editing; a macro-enabled one keeps its VBA project."""
        import openpyxl

        try:
            return openpyxl.load_workbook(self.path, keep_vba=self._macros())
        except Exception as exc:  # noqa: BLE001 - a damaged part: one clear message
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CsqError(both("not_editable", name=self.name, detail=detail[:120])) from None

    def _save_book(self, wb: Any) -> None:
        from workbook_templates.output import atomic_path

        with atomic_path(self.path) as tmp:
            wb.save(tmp)

    def _macros(self) -> bool:
        return self.path.suffix.lower() in (".xlsm", ".xlam")

    def recalculate(self) -> None:
        self.recalculated += 1  # a file has no calculation engine; Excel's does this

    def open_workbook(self, path: Path) -> None:
        self.opened.append(Path(path))

    def alert(self, title: str, message: str) -> None:
        self.alerts.append((title, message))


class XlwingsBook:
    """Excel's active workbook through xlwings (Windows/Mac, called from the ribbon)."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.name = book.name

    def saved_path(self) -> Path | None:
        full = Path(self.book.fullname)
        return full if full.is_absolute() and full.exists() else None

    def snapshot(self, folder: Path) -> Path:
        name = (
            self.name
            if Path(self.name).suffix.lower() in (".xlsx", ".xlsm")
            else f"{self.name}.xlsx"
        )
        target = folder / name
        try:
            self.book.api.SaveCopyAs(str(target))  # Windows: unsaved edits included
        except Exception:  # noqa: BLE001 - Mac: fall back to the saved file
            saved = self.saved_path()
            if saved is None:
                raise CsqError("save the workbook first / 请先保存工作簿") from None
            shutil.copyfile(saved, target)
        return target

    def write_table(self, sheet: str, rows: list[list[str]]) -> None:
        names = [s.name for s in self.book.sheets]
        if sheet in names:
            ws = self.book.sheets[sheet]
            ws.clear()
        else:
            ws = self.book.sheets.add(sheet, after=self.book.sheets[len(names) - 1])
        width = max(len(r) for r in rows)
        rng = ws.range("A1").resize(len(rows), width)
        rng.number_format = "@"  # as text: a value starting with = never becomes a formula
        rng.value = rows
        ws.range("A1").resize(1, width).font.bold = True
        ws.autofit("c")

    def select(self, sheet: str, cell: str) -> None:
        ws = self.book.sheets[sheet]
        ws.activate()
        ws.range(cell).select()

    def recalculate(self) -> None:
        try:
            self.book.app.api.CalculateFull()
        except Exception:  # noqa: BLE001 - Mac
            self.book.app.calculate()

    def open_workbook(self, path: Path) -> None:
        self.book.app.books.open(str(path))

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def csq_formula_cells(self, sheet: str) -> list[str]:
        import sys

        if sys.platform != "win32":
            return []  # Excel for Mac runs no VBA functions: there is nothing to bind
        from udfs.functions import FUNCTIONS

        used = self.book.sheets[sheet].api.UsedRange
        out: list[str] = []
        # Range.Find for each function's call (not a COM loop over every formula cell)
        for name in FUNCTIONS:
            first = used.Find(What=f"{name}(", LookIn=-4123, LookAt=2)  # xlFormulas, xlPart
            hit = first
            while hit is not None:
                if hit.HasFormula and calls_csq(str(hit.Formula2)) and hit.Address not in out:
                    out.append(hit.Address)
                hit = used.FindNext(hit)
                if hit is None or hit.Address == first.Address:
                    break
        return out

    def protection(self, sheet: str) -> dict[str, bool] | None:
        ws = self.book.sheets[sheet].api
        if not ws.ProtectContents:
            return None
        p = ws.Protection
        return {k: bool(getattr(p, "Allow" + k)) for k in PROTECTION_OPTIONS}

    def protect(self, sheet: str, options: dict[str, bool], ui_only: bool) -> None:
        ws = self.book.sheets[sheet].api
        try:
            ws.Unprotect("")
        except Exception:  # noqa: BLE001 - a password the user set: leave the sheet alone
            raise CsqError(both("protected_password", sheet=sheet)) from None
        # Worksheet.Protect(Password, DrawingObjects, Contents, Scenarios, UserInterfaceOnly,
        #                   AllowFormattingCells, ... AllowUsingPivotTables)
        ws.Protect("", True, True, True, ui_only, *(options[k] for k in PROTECTION_OPTIONS))

    def reenter_formula(self, sheet: str, cell: str) -> None:
        rng = self.book.sheets[sheet].api.Range(cell)
        rng.Formula2 = rng.Formula2

    def alert(self, title: str, message: str) -> None:
        self.book.app.alert(message, title=title)


# --- actions --------------------------------------------------------------------------------


def _lang_of(book: BookLike, snapshot: Path | None = None) -> str:
    """The workbook's language: Chinese sheet names mean zh (the reader accepts both)."""
    names: list[str] = []
    if snapshot is not None:
        try:
            import openpyxl

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
    book.open_workbook(report)
    text = both(
        "report_done",
        report=report,
        period=result.period or "-",
        contacts=result.contacts,
        grade=_grade(result.grade),
    )
    if result.findings:
        text += "\n\n" + both("report_findings", n=result.findings)
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
    then show the headline figures from the core."""
    from udfs.core.analysis import analyse

    from ..read.workbook import read_workbook

    rebound = rebind_formulas(book)
    book.recalculate()
    with tempfile.TemporaryDirectory(prefix="csq-") as tmp:
        snap = book.snapshot(Path(tmp))
        data = read_workbook(snap, lang=_lang_of(book, snap))
    an = analyse(data, data.as_of or _dt.date.today(), data.report_period)
    h = an.headline
    text = both(
        "refresh_done",
        contacts=h.get("contacts") or 0,
        score=_fmt(h.get("qa_score_mean")),
        grade=_grade(h.get("grade")),
    )
    if rebound:
        text += "\n\n" + both("rebound", n=rebound)
    return text


def validate(book: BookLike) -> str:
    """Findings on a sheet of their own, the first bad cell selected."""
    from ..read.workbook import read_workbook

    with tempfile.TemporaryDirectory(prefix="csq-") as tmp:
        snap = book.snapshot(Path(tmp))
        lang = _lang_of(book, snap)
        data = read_workbook(snap, lang=lang)
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
    """A fresh standard workbook (``csq new``) beside the active one, opened in Excel."""
    from udfs.core.i18n import default_lang
    from workbook_templates.builder import build_workbook

    saved = book.saved_path()
    folder = saved.parent if saved else Path.home()
    lang = default_lang()
    path = _free_name(folder, f"CSQ-{_dt.date.today():%Y-%m}")
    build_workbook(path, lang=lang)
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


ACTIONS: dict[str, Callable[[BookLike], str]] = {
    "csqReport": generate_report,
    "csqFeedback": agent_feedback_files,
    "csqRefresh": refresh_scores,
    "csqValidate": validate,
    "csqNew": new_workbook,
    "csqHelp": settings_help,
}


def on_open(name: str, book: BookLike | None = None) -> int:
    """A CSQ workbook (document property ``CSQ`` = ``udf``) was opened with the add-in
    loaded: re-enter its CSQ_ formulas once, silently; returns how many.  Called by the
    add-in's ``WorkbookOpen`` handler (``CSQRibbon.RebindOnOpen``).  Never raises and shows
    no message: a problem goes to the log, and *Refresh scores* does the same on demand."""
    try:
        if book is None:
            import xlwings as xw

            book = XlwingsBook(xw.books[name])
        return rebind_formulas(book)
    except Exception:  # noqa: BLE001 - opening a workbook must never show a traceback
        try:
            with open(_log_path(), "a", encoding="utf-8") as fh:
                fh.write(f"--- {_dt.datetime.now():%Y-%m-%d %H:%M:%S} on_open {name}\n")
                fh.write(traceback.format_exc())
        except OSError:
            pass
        return 0


def _log_path() -> Path:
    return Path(tempfile.gettempdir()) / "csq-addin.log"


def on_button(control_id: str, book: BookLike | None = None) -> str:
    """Run the action of ribbon button ``control_id`` and show its outcome in one message.

    Returns the message shown.  Never raises: errors become the message.
    """
    action = ACTIONS.get(control_id)
    name = ACTION_NAMES.get(control_id, (control_id, control_id))
    label = f"{name[0]} / {name[1]}"
    try:
        if book is None:
            import xlwings as xw

            book = XlwingsBook(xw.Book.caller())
        text = both("unknown_button", control=control_id) if action is None else action(book)
    except CsqError as exc:
        text = both("failed", action=label, error=exc)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - never a traceback, PanicException included
        log = _log_path()
        try:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(f"--- {_dt.datetime.now():%Y-%m-%d %H:%M:%S} {control_id}\n")
                fh.write(traceback.format_exc())
        except OSError:
            pass
        text = both("unexpected", action=label, error=f"{type(exc).__name__}: {exc}", log=log)
    if book is not None:
        try:
            book.alert(TITLE, text)
        except Exception:  # noqa: BLE001 - nothing more can be shown
            pass
    return text

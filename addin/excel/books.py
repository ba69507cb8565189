"""The book interface of the ribbon's actions (``BookLike``): ``XlwingsBook`` wraps the
workbook Excel passes in, ``FileBook`` is a workbook file on disk so the same actions run
(and are tested) on Linux without Excel."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any, Protocol

from udfs.core.errors import CsqError

from .ribbon_text import both


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

    def append_rows(
        self, table: str, rows: list[dict[str, Any]], highlight: tuple[str, ...]
    ) -> tuple[int, int]:
        """Add ``rows`` (column key -> value) to Excel Table ``table`` below its last filled
        row, the Table growing as needed; ``highlight``: keys whose cells are marked as
        to be filled.  Returns the first and last Excel row written."""

    def pick_folder(self, prompt: str) -> Path | None:
        """A folder the user picks (*Department report*); None when cancelled."""


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
    and the file itself is left as it is.  A table or a selection is written into the file
    (openpyxl) only when that loses nothing: a workbook with parts openpyxl drops (the
    dynamic-array metadata of the CSQ_ columns, rich values) is never re-saved; what would
    have been written is kept in ``tables`` and ``selected`` instead.
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
        self.folder: Path | None = self.path.parent
        """What :meth:`pick_folder` answers (None: the user cancelled)."""
        self._protection: dict[str, tuple[dict[str, bool], bool] | None] | None = None
        self._formulas: dict[str, list[str]] = {}
        self.tables: dict[str, list[list[str]]] = {}
        """Every table written (or, for a workbook that is never re-saved, asked for)."""
        self.selected: tuple[str, str] | None = None

    def keeps_everything(self) -> bool:
        """Whether re-saving the file with openpyxl loses nothing: no dynamic-array
        metadata (``xl/metadata.xml``, cells with ``cm=``), no rich values."""
        import zipfile

        try:
            with zipfile.ZipFile(self.path) as z:
                names = z.namelist()
                if any(n == "xl/metadata.xml" or n.startswith("xl/richData/") for n in names):
                    return False
                return not any(
                    b' cm="' in z.read(n) for n in names if n.startswith("xl/worksheets/sheet")
                )
        except (OSError, zipfile.BadZipFile):
            return True  # not a zip: opening it for editing says why

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
        self.tables[sheet] = [list(r) for r in rows]
        if not self.keeps_everything():
            return
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
        self.selected = (sheet, cell)
        if not self.keeps_everything():
            return
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

    def pick_folder(self, prompt: str) -> Path | None:
        return self.folder

    def alert(self, title: str, message: str) -> None:
        self.alerts.append((title, message))

    def append_rows(
        self, table: str, rows: list[dict[str, Any]], highlight: tuple[str, ...]
    ) -> tuple[int, int]:
        from ..jobs.action_drafts import header_keys
        from ..jobs.table_rows import TableNotFound, append_table_rows

        try:
            done = append_table_rows(self.path, self.path, table, header_keys(), rows, highlight)
        except TableNotFound:
            raise CsqError(both("no_table", table=table)) from None
        return done.first_row, done.last_row


def _formula(cell: Any) -> str:
    """A cell's formula text: ``Formula2`` (Excel 2021/365), else ``Formula`` (2016/2019)."""
    try:
        return str(cell.Formula2)
    except Exception:  # noqa: BLE001 - no Formula2 before dynamic arrays
        return str(cell.Formula)


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

    def pick_folder(self, prompt: str) -> Path | None:
        try:  # Windows: Office's folder picker (msoFileDialogFolderPicker = 4)
            dialog = self.book.app.api.FileDialog(4)
            dialog.Title = prompt
            saved = self.saved_path()
            if saved is not None:
                dialog.InitialFileName = str(saved.parent) + "\\"
            if dialog.Show() != -1:
                return None
            return Path(str(dialog.SelectedItems(1)))
        except Exception:  # noqa: BLE001 - Mac: the active workbook's folder
            saved = self.saved_path()
            return saved.parent if saved is not None else None

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
                if hit.HasFormula and calls_csq(_formula(hit)):
                    # a legacy array formula (csq new --compat) is re-entered whole, once
                    anchor = hit.CurrentArray.Cells(1, 1) if hit.HasArray else hit
                    if anchor.Address not in out:
                        out.append(anchor.Address)
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
        if rng.HasArray:  # a legacy (Ctrl+Shift+Enter) array over the column: all of it
            block = rng.CurrentArray
            block.FormulaArray = block.FormulaArray
            return
        try:
            rng.Formula2 = rng.Formula2  # a spilling formula stays one (Excel 2021/365)
        except Exception:  # noqa: BLE001 - Excel 2016/2019 have no Formula2
            rng.Formula = rng.Formula

    def alert(self, title: str, message: str) -> None:
        self.book.app.alert(message, title=title)

    def append_rows(
        self, table: str, rows: list[dict[str, Any]], highlight: tuple[str, ...]
    ) -> tuple[int, int]:
        """ListRows.Add on the Table (the way a user adds a row), sheet protection lifted
        for macros only and put back as it was; text is written as text."""
        from ..jobs.action_drafts import header_keys
        from ..read.headers import norm_header

        keys = header_keys()
        for ws in self.book.sheets:
            for lo in ws.api.ListObjects:
                if str(lo.Name).casefold() == table.casefold():
                    break
            else:
                continue
            options = self.protection(ws.name)
            if options is not None:
                self.protect(ws.name, options, ui_only=True)
            try:
                cols = {}
                for i in range(1, lo.ListColumns.Count + 1):
                    k = keys.get(norm_header(str(lo.ListColumns(i).Name)))
                    if k and k not in cols:
                        cols[k] = i
                body = lo.DataBodyRange
                n = 0 if body is None else body.Rows.Count
                last = 0  # the last filled row of the body
                for r in range(n, 0, -1):
                    if any(str(body.Cells(r, c).Value or "").strip() for c in cols.values()):
                        last = r
                        break
                first_row = None
                for j, values in enumerate(rows):
                    r = last + 1 + j
                    if r > n:
                        lo.ListRows.Add()
                        body = lo.DataBodyRange
                        n += 1
                    for k, v in values.items():
                        if k not in cols or v is None:
                            continue
                        cell = body.Cells(r, cols[k])
                        if isinstance(v, str):
                            cell.NumberFormat = "@"
                        cell.Value = v
                    for k in highlight:
                        if k in cols:
                            body.Cells(r, cols[k]).Interior.Color = 0xCCF2FF  # BGR
                    if first_row is None:
                        first_row = int(body.Cells(r, 1).Row)
                last_row = int(body.Cells(last + len(rows), 1).Row)
                return (first_row or last_row), last_row
            finally:
                if options is not None:
                    self.protect(ws.name, options, ui_only=False)
        raise CsqError(both("no_table", table=table))

"""Every Table of the standard workbook can be sorted and filtered on its protected sheet.

Excel refuses to sort a range holding locked cells on a protected sheet, whatever the
protection options say.  The test reads the written XML itself (tables' ranges, the cells'
and columns' styles, ``cellXfs`` protection, ``sheetProtection``) and finds no locked cell
in any Table's data rows, in both modes.  A sort is then simulated the way Excel does it
(the Table's rows change order, the cells beside it stay) and LibreOffice recalculates the
portable workbook: every computed value is still the core's value for the row beside it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, range_boundaries
from test_templates_engines import AS_OF, expected, recalc_with_libreoffice, sheet_columns

from workbook_templates import example_rows as sample
from workbook_templates.builder import build_workbook
from workbook_templates.schema import ACTIONS, MONITORING, PROBLEMS

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _locked_styles(z: zipfile.ZipFile) -> list[bool]:
    """cellXfs index -> locked (a cell is locked unless its style says locked="0")."""
    root = ET.fromstring(z.read("xl/styles.xml"))
    out = []
    for xf in root.find("m:cellXfs", NS) or []:
        prot = xf.find("m:protection", NS)
        out.append(not (prot is not None and prot.get("locked") == "0"))
    return out


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part name."""
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    return {
        s.get("name"): "xl/" + str(target[s.get(REL)]).removeprefix("/xl/")
        for s in wb.find("m:sheets", NS) or []
    }


def locked_cells_in_tables(path: Path) -> dict[str, list[str]]:
    """For each Table on a protected sheet: the locked cells of its data rows."""
    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as z:
        locked = _locked_styles(z)
        for sheet, part in _sheet_parts(z).items():
            root = ET.fromstring(z.read(part))
            if root.find("m:sheetProtection", NS) is None:
                continue
            cols: dict[int, int] = {}
            for c in root.iter(f"{{{NS['m']}}}col"):
                for i in range(int(c.get("min")), int(c.get("max")) + 1):
                    cols[i] = int(c.get("style", "0"))
            rows: dict[int, int] = {}
            cells: dict[tuple[int, int], int] = {}
            for r in root.iter(f"{{{NS['m']}}}row"):
                rn = int(r.get("r"))
                if r.get("customFormat") == "1":
                    rows[rn] = int(r.get("s", "0"))
                for c in r.findall("m:c", NS):
                    m = re.fullmatch(r"([A-Z]+)(\d+)", c.get("r"))
                    assert m
                    cells[(int(m.group(2)), column_index_from_string(m.group(1)))] = int(
                        c.get("s", "0")
                    )
            rels_part = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
            if rels_part not in z.namelist():
                continue
            for rel in ET.fromstring(z.read(rels_part)):
                if not rel.get("Type", "").endswith("/table"):
                    continue
                tpart = "xl/" + rel.get("Target").replace("../", "")
                t = ET.fromstring(z.read(tpart))
                c1, r1, c2, r2 = range_boundaries(t.get("ref"))
                bad = []
                for r in range(r1 + 1, r2 + 1):  # the data rows (the header row is r1)
                    for c in range(c1, c2 + 1):
                        style = cells.get((r, c), rows.get(r, cols.get(c, 0)))
                        if locked[style]:
                            bad.append(f"{sheet}!{openpyxl.utils.get_column_letter(c)}{r}")
                out[t.get("name")] = bad
    return out


@pytest.mark.parametrize("portable", [False, True])
@pytest.mark.parametrize("filled", [False, True])
def test_no_locked_cell_inside_a_table_on_a_protected_sheet(tmp_path, portable, filled):
    kw = {}
    if filled:
        kw = {
            "monitoring": sample.monitoring_rows(50, "en"),
            "problems": sample.problem_rows("en"),
            "actions": sample.action_rows(AS_OF, "en"),
        }
    path = build_workbook(tmp_path / "w.xlsx", lang="en", portable=portable, **kw)
    found = locked_cells_in_tables(path)
    assert set(found) == {"Monitoring", "Problems", "Actions", "Calibration"}  # every Table
    assert found == {"Monitoring": [], "Problems": [], "Actions": [], "Calibration": []}


def test_the_scan_finds_a_locked_cell(tmp_path):
    """The check can fail: a Table with a locked column is reported cell by cell."""
    import xlsxwriter

    path = tmp_path / "locked.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("S")
    unlocked = wb.add_format({"locked": False})
    ws.set_column(0, 0, 10, unlocked)
    ws.add_table(0, 0, 2, 1, {"name": "Tab", "columns": [{"header": "a"}, {"header": "b"}]})
    ws.protect()
    wb.close()
    assert locked_cells_in_tables(path) == {"Tab": ["S!B2", "S!B3"]}


def test_problems_and_actions_columns_in_the_same_order_in_both_modes(tmp_path):
    for sheet in (MONITORING, PROBLEMS, ACTIONS):
        heads = []
        for portable in (False, True):
            p = build_workbook(tmp_path / f"{portable}.xlsx", lang="zh", portable=portable)
            ws = openpyxl.load_workbook(p, read_only=True)[sheet.name("zh")]
            heads.append([c for c in next(ws.iter_rows(max_row=1, values_only=True)) if c])
        assert heads[0] == heads[1], sheet.key
        # the inputs first (the Table), the computed columns beside it
        keys = [c.key for c in sheet.columns]
        roles = [sheet.column(k).role for k in keys]
        assert heads[0] == [
            sheet.column(k).header("zh") for k, r in zip(keys, roles, strict=True) if r == "input"
        ] + [sheet.column(k).header("zh") for k, r in zip(keys, roles, strict=True) if r != "input"]


def _sort_table_rows(path: Path, out: Path, sheet_name: str, table: str, order: list[int]) -> None:
    """What Excel's sort does: the Table's rows take the new order; cells beside it stay."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet_name]
    c1, r1, c2, r2 = range_boundaries(ws.tables[table].ref)
    rows = [[ws.cell(r, c).value for c in range(c1, c2 + 1)] for r in range(r1 + 1, r2 + 1)]
    for i, src in enumerate(order):
        for j, v in enumerate(rows[src]):
            ws.cell(r1 + 1 + i, c1 + j).value = v
    wb.save(out)


def test_computed_values_follow_a_sort_in_libreoffice(tmp_path):
    """Portable workbook: sort Monitoring, Problems and Actions (reverse order), recalculate
    in LibreOffice: each computed cell is the core's value of the row now beside it."""
    lang = "en"
    src = build_workbook(
        tmp_path / "p.xlsx",
        lang=lang,
        portable=True,
        monitoring=sample.monitoring_rows(200, lang),
        problems=sample.problem_rows(lang),
        actions=sample.action_rows(AS_OF, lang),
        as_of=AS_OF,
        as_of_fixed=True,
    )
    sizes = {"monitoring": 200, "problems": 8, "actions": 10}
    step = src
    for sheet in (MONITORING, PROBLEMS, ACTIONS):
        nxt = tmp_path / f"sorted_{sheet.key}.xlsx"
        _sort_table_rows(
            step, nxt, sheet.name(lang), sheet.table, list(range(sizes[sheet.key]))[::-1]
        )
        step = nxt
    got = sheet_columns(
        openpyxl.load_workbook(recalc_with_libreoffice(step, tmp_path), data_only=True), lang
    )
    want = expected(lang)
    for sheet, cols in want.items():
        for key, values in cols.items():
            # Pareto share/cumulative/class do not depend on row order except for ties,
            # which the core breaks by input order too: compare with the reversed input
            rev = values[::-1]
            if sheet == "problems" and key in ("cumulative", "pareto_class"):
                continue  # checked below against the core on the reversed rows
            for i, (a, b) in enumerate(zip(got[sheet][key], rev, strict=True)):
                same = abs(a - b) < 1e-9 if isinstance(b, float) and a is not None else a == b
                assert same, f"{sheet}.{key} row {i + 2}: {a!r} after the sort, core {b!r}"
    # Pareto on the reversed Problems rows, from the core
    from udfs.core.pareto import pareto_columns

    pr = sample.problem_rows(lang).iloc[::-1]
    freq = [float(f) for f in want["problems"]["count"][::-1]]
    share, cum, cls = pareto_columns(list(pr["problem"]), freq)
    assert [round(x, 9) for x in got["problems"]["cumulative"]] == [round(x, 9) for x in cum]
    assert got["problems"]["pareto_class"] == list(cls)

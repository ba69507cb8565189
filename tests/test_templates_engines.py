"""A filled workbook (200 contacts, problems, actions) computes the same values in the
calculation core, in the ``formulas`` engine (UDF mode, CSQ_ functions registered) and in
LibreOffice (portable mode, native formulas only); the cached values agree too.

Expected values come from ``udfs.core`` applied directly to the sample rows, not from the
workbook.  The ``formulas`` library reads neither structured references nor spill ranges,
so the harness turns Table references into A1 ranges (``formulas.structured_to_a1``),
defined names into their ranges and ``ANCHORARRAY(X2)`` into the spill range.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import formulas as fe
import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import column_index_from_string, range_boundaries

from udfs import FUNCTIONS
from udfs.core import actions as core_actions
from udfs.core import process as core_process
from udfs.core.config import DEFAULT_CONFIG
from udfs.core.fields import RUBRIC_KEYS
from udfs.core.pareto import pareto_columns
from udfs.core.scoring import GRADE_LABELS, QC_LABELS, grade_keys, qc_pass, score_contacts
from workbook_templates import example_rows as sample
from workbook_templates.builder import build_workbook
from workbook_templates.formulas import structured_to_a1
from workbook_templates.schema import ACTIONS, MONITORING, PROBLEMS

AS_OF = dt.date(2024, 7, 10)
EPOCH = dt.date(1970, 1, 1)


# ------------------------------------------------------------- expected (the core)


def expected(lang: str) -> dict[str, dict[str, list]]:
    """Every computed column from the core, applied to the sample rows directly."""
    mon = sample.monitoring_rows(200, lang)
    ratings = np.column_stack(
        [pd.to_numeric(mon[k].replace("N/A", np.nan), errors="coerce") for k in RUBRIC_KEYS]
    ).astype(float)
    crit = mon["critical_error"].notna().to_numpy()
    score = score_contacts(ratings, crit, DEFAULT_CONFIG.contact_indicators)
    gl = GRADE_LABELS[lang]
    grades = [None if k is None else gl[k] for k in grade_keys(score, DEFAULT_CONFIG.grades)]
    qc = qc_pass(score, crit, DEFAULT_CONFIG.grades.pass_)
    qcl = [None if np.isnan(q) else QC_LABELS[lang][bool(q)] for q in qc]

    fr = pd.to_numeric(mon["first_response_s"], errors="coerce").to_numpy(float)
    steps = np.column_stack(
        [fr]
        + [
            pd.to_numeric(mon[k], errors="coerce").to_numpy(float)
            for k in ("escalation_min", "answer_min", "update_gap_min", "callback_h")
        ]
    )
    ok = mon["process_ok"].map({"Y": 1.0, "N": 0.0}).to_numpy(float)
    measured, first, final = core_process.contact_compliance(
        steps, core_process.limits(DEFAULT_CONFIG), ok
    )
    process_result = [t or None for t in core_process.result_texts(measured, first, final, lang)]

    pr = sample.problem_rows(lang)
    counts = mon["problem_category"].value_counts()
    freq = np.array([float(counts.get(p, 0)) for p in pr["problem"]])
    share, cum, cls = pareto_columns(list(pr["problem"]), freq)

    ac = sample.action_rows(AS_OF, lang)

    def days(col: str) -> np.ndarray:
        return np.array(
            [
                np.nan if pd.isna(d) else float((pd.Timestamp(d).date() - EPOCH).days)
                for d in ac[col]
            ]
        )

    st, n = core_actions.action_status(
        days("planned_date"),
        days("actual_date"),
        float((AS_OF - EPOCH).days),
        (ac["status"] == "cancelled").to_numpy(),
    )
    met = core_actions.effect_met(
        ac["baseline"].to_numpy(float), ac["target"].to_numpy(float), ac["after"].to_numpy(float)
    )

    def nn(a: np.ndarray) -> list:
        return [None if (isinstance(v, float) and np.isnan(v)) else v for v in a]

    return {
        "monitoring": {
            "score": nn(score),
            "grade": grades,
            "qc_result": qcl,
            "process_result": process_result,
        },
        "problems": {
            "count": list(freq),
            "pareto_share": nn(share),
            "cumulative": nn(cum),
            "pareto_class": list(cls),
        },
        "actions": {
            "action_status": list(core_actions.status_text(st, n, lang)),
            "days_late": nn(core_actions.days_late(st, n)),
            "met": [None if np.isnan(m) else ("Y" if m else "N") for m in met],
        },
    }


def build(tmp: Path, lang: str, portable: bool) -> Path:
    return build_workbook(
        tmp / f"filled_{lang}_{'portable' if portable else 'udf'}.xlsx",
        lang=lang,
        portable=portable,
        monitoring=sample.monitoring_rows(200, lang),
        problems=sample.problem_rows(lang),
        actions=sample.action_rows(AS_OF, lang),
        as_of=AS_OF,
        as_of_fixed=True,
    )


def sheet_columns(wb: openpyxl.Workbook, lang: str) -> dict[str, dict[str, list]]:
    """Computed columns of a workbook's data sheets, found by header text."""
    out = {}
    for sheet in (MONITORING, PROBLEMS, ACTIONS):
        ws = wb[sheet.name(lang)]
        rows = list(ws.iter_rows(values_only=True))
        hdr = list(rows[0])
        out[sheet.key] = {
            c.key: [
                None if v == "" else v for v in (r[hdr.index(c.header(lang))] for r in rows[1:])
            ]
            for c in sheet.columns
            if c.role == "computed"
        }
    return out


def assert_same(got: dict, want: dict, engine: str) -> int:
    n = 0
    for sheet, cols in want.items():
        for key, values in cols.items():
            g = got[sheet][key]
            assert len(g) == len(values), (engine, sheet, key)
            for i, (a, b) in enumerate(zip(g, values, strict=True)):
                if isinstance(b, float) and a is not None and not isinstance(a, str):
                    ok = abs(float(a) - b) < 1e-9
                else:
                    ok = a == b
                assert ok, f"{engine}: {sheet}.{key} row {i + 2}: got {a!r}, core says {b!r}"
                n += 1
    return n


# ----------------------------------------------------------------------- LibreOffice


def recalc_with_libreoffice(src: Path, out_dir: Path) -> Path:
    """Open in LibreOffice with 'always recalculate' and save as xlsx."""
    profile = out_dir / "lo_profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
        '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
        "</oor:items>\n",
        encoding="utf-8",
    )
    conv = out_dir / "lo_out"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(conv),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return conv / src.name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_portable_workbook_recalculated_by_libreoffice_matches_core(tmp_path, lang):
    src = build(tmp_path, lang, portable=True)
    # the cell values LibreOffice computes itself (it recalculates everything on load)
    recalced = recalc_with_libreoffice(src, tmp_path)
    want = expected(lang)
    n = assert_same(
        sheet_columns(openpyxl.load_workbook(recalced, data_only=True), lang), want, "LibreOffice"
    )
    assert n == 200 * 4 + 8 * 4 + 10 * 3
    # and the values cached in the file for readers without a spreadsheet engine
    assert_same(sheet_columns(openpyxl.load_workbook(src, data_only=True), lang), want, "cached")


def test_libreoffice_follows_a_changed_weight(tmp_path):
    """A weight typed on the Config sheet changes the scores (named range, no hard-coding)."""
    src = build(tmp_path, "en", portable=True)
    wb = openpyxl.load_workbook(src)
    ws = wb["Config"]
    row = next(r for r in range(1, 40) if ws.cell(r, 1).value == "contact.speed")
    ws.cell(row, 3).value = 0  # speed no longer counts
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    got = sheet_columns(
        openpyxl.load_workbook(recalc_with_libreoffice(changed, tmp_path), data_only=True), "en"
    )["monitoring"]["score"]
    mon = sample.monitoring_rows(200, "en")
    # contact 2 by hand from its ratings: weights 0/20/25/15/15/10 over the rated ones
    r = mon.iloc[1]
    pts = {k: r[k] for k in RUBRIC_KEYS if isinstance(r[k], (int, float)) and not pd.isna(r[k])}
    w = {
        "speed": 0,
        "attitude": 20,
        "solving": 25,
        "knowledge": 15,
        "satisfaction": 15,
        "records": 10,
    }
    hand = round(sum(pts[k] * 20 * w[k] for k in pts) / sum(w[k] for k in pts), 2)
    assert got[1] == pytest.approx(hand)


# ------------------------------------------------------------------------- formulas


def _udf(name: str):
    impl = FUNCTIONS[name]

    def call(*args):
        conv = []
        for a in args:
            if isinstance(a, np.ndarray):
                a = [[None if v is fe.functions.sh.EMPTY else v for v in row] for row in a.tolist()]
            elif a is fe.functions.sh.EMPTY:
                a = None
            conv.append(a)
        res = impl(*conv)
        arr = np.array(res if isinstance(res, list) else [[res]], dtype=object)
        if arr.ndim == 1:
            arr = arr.reshape(-1, 1)
        return arr

    return call


def recalc_with_formulas(path: Path, lang: str) -> dict[str, dict[str, list]]:
    """Recompute every computed cell of a UDF-mode workbook with the ``formulas`` engine."""
    for name in FUNCTIONS:
        fe.get_functions()[name] = _udf(name)
    wb = openpyxl.load_workbook(path)
    vals = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb}
    cached = openpyxl.load_workbook(path, data_only=True)
    for ws in cached:  # inputs and config values as the engine sees them (dates as serials)
        for r, row in enumerate(ws.iter_rows(values_only=True)):
            for c, v in enumerate(row):
                if isinstance(v, dt.datetime):
                    v = (v - dt.datetime(1899, 12, 30)).total_seconds() / 86400
                if not (
                    isinstance(vals[ws.title][r][c], str)
                    and str(vals[ws.title][r][c]).startswith("=")
                ):
                    if not hasattr(vals[ws.title][r][c], "text"):
                        vals[ws.title][r][c] = v
    tables = {}
    for ws in wb:
        for t in ws.tables.values():
            c1, r1, c2, r2 = range_boundaries(t.ref)
            hdr = {vals[ws.title][0][c]: c for c in range(c1 - 1, c2)}
            tables[t.name] = (ws.title, hdr, r1, r2 - 1)
    names = {n: d.attr_text for n, d in wb.defined_names.items()}

    def translate(formula: str, sheet: str, row: int, last: int) -> str:
        f = structured_to_a1(formula, tables, row)
        f = re.sub(
            r"(?:_xlfn\.)?ANCHORARRAY\(([A-Z]+)(\d+)\)",
            lambda m: f"'{sheet}'!{m.group(1)}{m.group(2)}:{m.group(1)}{last + 1}",
            f,
        )
        for n, ref in names.items():
            f = re.sub(rf"\b{n}\b(?!\()", ref, f)
        return f

    def read(ref: str) -> object:
        m = re.fullmatch(r"'?(.+?)'?!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?", ref)
        assert m, ref
        sh = next(s for s in vals if s.upper() == m.group(1).upper())
        c1, r1 = column_index_from_string(m.group(2)) - 1, int(m.group(3)) - 1
        c2 = column_index_from_string(m.group(4)) - 1 if m.group(4) else c1
        r2 = int(m.group(5)) - 1 if m.group(5) else r1
        grid = vals[sh]
        block = [
            [
                (
                    grid[r][c]
                    if r < len(grid) and c < len(grid[r]) and grid[r][c] not in (None, "")
                    else fe.functions.sh.EMPTY
                )
                for c in range(c1, c2 + 1)
            ]
            for r in range(r1, r2 + 1)
        ]
        arr = np.array(block, dtype=object)
        return arr if arr.size > 1 else arr[0, 0]

    for sheet in (MONITORING, PROBLEMS, ACTIONS):
        title = sheet.name(lang)
        ws = wb[title]
        last = ws.tables[sheet.table].ref.split(":")[1]
        last_row = int(re.sub(r"[A-Z]", "", last)) - 1
        for c in range(ws.max_column):
            for r in range(1, last_row + 1):
                xcell = ws.cell(r + 1, c + 1)
                if xcell.data_type != "f":  # customer text such as "=1+1" is a string cell
                    continue
                cell = xcell.value
                text = cell.text if hasattr(cell, "text") else cell
                text = text if text.startswith("=") else "=" + text
                func = fe.Parser().ast(translate(text, title, r, last_row))[1].compile()
                res = func(*[read(i) for i in func.inputs])
                res = np.asarray(res, dtype=object)
                if res.ndim == 0:
                    res = res.reshape(1, 1)
                for i, v in enumerate(res.reshape(-1)):
                    v = v.item() if isinstance(v, np.generic) else v
                    vals[title][r + i][c] = (
                        None if v in ("", None) or v is fe.functions.sh.EMPTY else v
                    )
    out = {}
    for sheet in (MONITORING, PROBLEMS, ACTIONS):
        rows = vals[sheet.name(lang)]
        hdr = rows[0]
        out[sheet.key] = {
            c.key: [r[hdr.index(c.header(lang))] for r in rows[1:]]
            for c in sheet.columns
            if c.role == "computed"
        }
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_udf_workbook_recalculated_by_formulas_matches_core_and_cache(tmp_path, lang):
    src = build(tmp_path, lang, portable=False)
    want = expected(lang)
    n = assert_same(recalc_with_formulas(src, lang), want, "formulas")
    assert n == 200 * 4 + 8 * 4 + 10 * 3
    assert_same(sheet_columns(openpyxl.load_workbook(src, data_only=True), lang), want, "cached")


def test_udf_formulas_are_one_spilling_call_per_column(tmp_path):
    src = build(tmp_path, "en", portable=False)
    ws = openpyxl.load_workbook(src)["Monitoring"]
    hdr = [c.value for c in ws[1]]
    score = ws.cell(2, hdr.index("QA score") + 1).value
    assert score.text == (
        "=CSQ_SCORE(Monitoring[[Response speed]:[Record keeping]],Monitoring[Critical error],"
        "CSQ_Weights)"
    )
    assert score.ref.endswith("201")  # spills over the 200 contacts
    assert ws.cell(3, hdr.index("QA score") + 1).value is None or not hasattr(
        ws.cell(3, hdr.index("QA score") + 1).value, "text"
    )
    grade = ws.cell(2, hdr.index("Grade") + 1).value.text
    assert grade.startswith("=CSQ_GRADE(_xlfn.ANCHORARRAY(")

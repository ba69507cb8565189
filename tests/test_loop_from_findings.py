"""*Add actions from findings* (``csq actions --from-findings``, issue 21): one draft per
finding without an open action, idempotent, only the Actions table changed (every other
part of the package byte-identical), on a protected sheet and a Table without spare rows,
read back with openpyxl and recalculated in LibreOffice."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import loop_fixtures as lf
import openpyxl
import pytest

from addin.cli import main
from addin.read.workbook import read_workbook
from udfs.core.analysis import analyse
from udfs.core.drafts import draft_actions


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _members(p: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(p) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def _v(v: object) -> object:
    """A cell value comparable across loads (an array formula by its text and range)."""
    return (v.text, v.ref) if hasattr(v, "ref") and hasattr(v, "text") else v


def _rows(p: Path, sheet: str = "改进跟踪") -> list[tuple]:
    ws = openpyxl.load_workbook(p)[sheet]
    rows = ws.iter_rows(min_row=2, values_only=True)
    return [tuple(_v(v) for v in r) for r in rows if any(v is not None for v in r[:22])]


def test_drafts_once_then_nothing_and_only_the_actions_table_changes(
    tmp_path: Path, capsys
) -> None:
    src = lf.build(tmp_path / "in.xlsx")
    before = _sha(src)
    out1, out2 = tmp_path / "out1.xlsx", tmp_path / "out2.xlsx"
    assert main(["actions", str(src), "--from-findings", "-o", str(out1)]) == 0
    said = capsys.readouterr().out
    assert "4 draft action(s)" in said or "4 条改进措施草稿" in said
    assert _sha(src) == before  # the input is never changed without --in-place
    rows = _rows(out1)
    assert len(rows) == 8 + 4
    drafts = rows[8:]
    assert [r[0] for r in drafts] == [9, 10, 11, 12]  # numbered after the last action
    # measure = the recommendation; owner, dept, planned date left blank; status not started
    assert all(r[1] and r[3] is None and r[4] is None and r[5] is None for r in drafts)
    assert {r[7] for r in drafts} == {"未开始"}
    by_metric = {r[8]: r for r in drafts if r[8]}
    csat = by_metric["满意度均值(1-5)"]
    assert csat[9] == pytest.approx(4.0) and csat[10] == pytest.approx(4.5)  # value, target
    assert any(r[2] == "系统卡顿" and r[8] is None for r in drafts)  # the class-A problem
    # the to-fill cells are highlighted
    ws = openpyxl.load_workbook(out1)["改进跟踪"]
    for col in "DEF":
        assert ws[f"{col}10"].fill.fgColor.rgb == "FFFFF2CC"
    assert ws["B10"].fill.fgColor.rgb != "FFFFF2CC"
    # only the Actions sheet, its Table and the styles changed
    a, b = _members(src), _members(out1)
    assert list(a) == list(b)
    changed = {n for n in a if a[n] != b[n]}
    assert changed == {"xl/worksheets/sheet5.xml", "xl/tables/table3.xml", "xl/styles.xml"}
    assert ws.tables["Actions"].ref == "A1:V13"  # grew from A1:V9 (no spare rows)
    # the workbook validates with no error (the blank planned dates are warnings)
    data = read_workbook(out1)
    assert not data.errors
    assert {f.code for f in data.findings if f.sheet == "改进跟踪"} == {"action_draft_to_fill"}
    # a second run adds nothing
    assert main(["actions", str(out1), "--from-findings", "-o", str(out2)]) == 0
    assert len(_rows(out2)) == 12
    assert _members(out2) == _members(out1)


def test_in_place_and_usage(tmp_path: Path) -> None:
    src = lf.build(tmp_path / "in.xlsx")
    assert main(["actions", str(src), "--from-findings"]) == 2  # -o or --in-place needed
    assert main(["actions", str(src), "-o", str(tmp_path / "x.xlsx")]) == 2  # what to add
    assert main(["actions", str(src), "--from-findings", "--in-place"]) == 0
    assert len(_rows(src)) == 12


def test_blank_rows_of_the_template_are_filled_first(tmp_path: Path) -> None:
    from workbook_templates.builder import build_workbook

    src = build_workbook(
        tmp_path / "blank.xlsx", lang="en", monitoring=lf.monitoring(), as_of=lf.AS_OF,
        as_of_fixed=True, problems=[{"problem": lf.P}, {"problem": "系统卡顿"}],
    )  # fmt: skip
    out = tmp_path / "out.xlsx"
    assert main(["actions", str(src), "--from-findings", "-o", str(out)]) == 0
    a, b = _members(src), _members(out)
    # the Table keeps its range: the drafts went into its blank rows
    changed = {n for n in a if a[n] != b[n]}
    assert "xl/tables/table3.xml" not in changed and len(changed) == 2
    ws = openpyxl.load_workbook(out)["Actions"]
    assert ws["A2"].value == 1 and ws["H2"].value == "Not started"
    assert ws.protection.sheet  # still protected


def test_a_missed_action_comes_back_as_a_re_analysis_draft(tmp_path: Path) -> None:
    rows = lf.actions()
    rows = rows[rows["action_no"] != "5"]  # no open action on the problem
    from workbook_templates.builder import build_workbook

    src = build_workbook(
        tmp_path / "in.xlsx", lang="zh", monitoring=lf.monitoring(), actions=rows,
        problems=[{"problem": lf.P}, {"problem": "系统卡顿"}], as_of=lf.AS_OF,
        as_of_fixed=True, config_rows={"loop": lf.LOOP_ROWS},
    )  # fmt: skip
    data = read_workbook(src)
    drafts = draft_actions(analyse(data, lf.AS_OF), "zh")
    re_an = [d for d in drafts if "复盘编号 2" in d.values["measure"]]
    assert len(re_an) == 1
    v = re_an[0].values
    assert v["measure"].startswith("措施未达预期，需重新分析原因")
    assert (v["problem"], v["metric"], v["scope_agent"]) == (lf.P, "首次解决率", "A1")
    assert v["baseline"] == pytest.approx(0.8) and v["target"] == pytest.approx(0.9)
    out = tmp_path / "out.xlsx"
    assert main(["actions", str(src), "--from-findings", "-o", str(out)]) == 0
    again = draft_actions(analyse(read_workbook(out), lf.AS_OF), "zh")
    assert again == []


@pytest.mark.parametrize("portable", [True, False])
def test_grown_table_recalculates_in_libreoffice(tmp_path: Path, portable: bool) -> None:
    from test_templates_engines import recalc_with_libreoffice

    from workbook_templates.builder import build_workbook

    src = build_workbook(
        tmp_path / "in.xlsx", lang="zh", portable=portable, monitoring=lf.monitoring(),
        actions=lf.actions(), problems=[{"problem": lf.P}, {"problem": "系统卡顿"}],
        as_of=lf.AS_OF, as_of_fixed=True, config_rows={"loop": lf.LOOP_ROWS},
    )  # fmt: skip
    out = tmp_path / "out.xlsx"
    assert main(["actions", str(src), "--from-findings", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["改进跟踪"]
    assert ws.protection.sheet
    if portable:  # the per-row formulas carried down into the new rows
        assert str(ws["W13"].value).startswith("=IF(") and ws["W13"].value == ws["W9"].value
    else:  # the spilled CSQ_ columns reach the new last row
        assert ws["W2"].value.ref == "W2:W13"
    recalced = recalc_with_libreoffice(out, tmp_path)
    got = openpyxl.load_workbook(recalced, data_only=True)["改进跟踪"]
    if portable:
        assert got["W2"].value == "按时完成"  # the old rows still compute
        assert got["W6"].value == "进行中，15 天后到期"
        assert got["W13"].value in (None, "")  # a draft without a planned date
    assert got["A13"].value == 12 and got["H13"].value == "未开始"
    # every other sheet reads the same
    before = openpyxl.load_workbook(src)
    for name in before.sheetnames:
        if name == "改进跟踪":
            continue
        old = [[_v(c.value) for c in r] for r in before[name].iter_rows()]
        new = [[_v(c.value) for c in r] for r in wb[name].iter_rows()]
        assert old == new, name


def test_ribbon_button_adds_the_same_drafts_once(tmp_path: Path) -> None:
    from addin.excel.books import FileBook
    from addin.excel.ribbon import on_button

    src = lf.build(tmp_path / "in.xlsx")
    cli_out = tmp_path / "cli.xlsx"
    assert main(["actions", str(src), "--from-findings", "-o", str(cli_out)]) == 0
    text = on_button("csqActions", FileBook(src))
    assert "4 draft action(s)" in text and "4 条措施草稿" in text
    assert _rows(src) == _rows(cli_out)
    again = on_button("csqActions", FileBook(src))
    assert "nothing added" in again and len(_rows(src)) == 12


def test_drafts_are_numbered_in_the_actions_own_pattern() -> None:
    from addin.jobs.action_drafts import next_numbers

    assert next_numbers(["1-08", "1-09", "1-10"], 2) == ["1-11", "1-12"]
    assert next_numbers([3, "7", None], 2) == [8, 9]
    assert next_numbers([], 1) == [1]
    assert next_numbers(["A-007"], 1) == ["A-008"]


def test_a_workbook_resaved_by_libreoffice(tmp_path: Path) -> None:
    """Shared strings, LibreOffice's own XML: the drafts are added the same way."""
    from test_templates_engines import recalc_with_libreoffice

    from workbook_templates.builder import build_workbook

    src = build_workbook(
        tmp_path / "in.xlsx", lang="zh", portable=True, monitoring=lf.monitoring(),
        actions=lf.actions(), problems=[{"problem": lf.P}, {"problem": "系统卡顿"}],
        as_of=lf.AS_OF, as_of_fixed=True, config_rows={"loop": lf.LOOP_ROWS},
    )  # fmt: skip
    resaved = recalc_with_libreoffice(src, tmp_path)
    out = tmp_path / "out.xlsx"
    assert main(["actions", str(resaved), "--from-findings", "-o", str(out)]) == 0
    assert len(_rows(out)) == 12 and not read_workbook(out).errors
    ws = openpyxl.load_workbook(out)["改进跟踪"]
    assert ws.tables["Actions"].ref == "A1:V13" and ws["W13"].value == ws["W2"].value
    assert main(["actions", str(out), "--from-findings", "-o", str(tmp_path / "o2.xlsx")]) == 0
    assert _members(tmp_path / "o2.xlsx") == _members(out)

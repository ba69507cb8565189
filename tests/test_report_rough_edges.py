"""The report's rough edges, as a reader of the printed pages would notice them: a title with
team and period, rate changes in percentage points, no printed helper column, the Method page
in plain words, small samples marked, a recommendation printed once, the channel chart's
second axis titled."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from report_fixtures import AS_OF, workbook_data

from addin.report.xlsx import write_report
from udfs.core.analysis import analyse


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("rough")
    data = workbook_data()
    an = analyse(data, AS_OF)
    # two findings that share one recommendation: it is printed once
    first = an.conclusions[0]
    an.conclusions = [first, replace(first, text={"zh": "第二条发现。", "en": "Second."})]
    return {
        lang: write_report(data, d / f"t.{lang}.report.xlsx", lang=lang, as_of=AS_OF, analysis=an)
        for lang in ("zh", "en")
    }


def _texts(path: Path, sheet: str) -> list[str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return [str(v) for row in wb[sheet].iter_rows(values_only=True) for v in row if v is not None]


def test_method_page_has_no_raw_codes_or_spec_references(reports: dict[str, Path]) -> None:
    for lang, sheet in (("zh", "方法说明"), ("en", "Method")):
        texts = _texts(reports[lang], sheet)
        for code in ("qa_score_mean", "rubric", "bands", "avg_first_response_s", "csat_mean"):
            assert code not in texts, (lang, code)
        assert not any("规格" in t or "SPEC" in t for t in texts)
    assert "1-5 分评分 ×20" in _texts(reports["zh"], "方法说明")


def test_rate_changes_are_printed_in_percentage_points(reports: dict[str, Path]) -> None:
    with zipfile.ZipFile(reports["zh"]) as z:
        styles = z.read("xl/styles.xml").decode()
    assert "个百分点" in styles
    assert not re.search(r'formatCode="\+0\.0%', styles)  # no "+1.1%" change format left
    with zipfile.ZipFile(reports["en"]) as z:
        assert "pp" in z.read("xl/styles.xml").decode()


def test_small_samples_are_marked(reports: dict[str, Path]) -> None:
    texts = _texts(reports["en"], "Channels")
    assert "Phone *" in texts  # 8 contacts in October, all channels under 30
    assert any(t.startswith("* fewer than 30 contacts") for t in texts)


def test_a_recommendation_shared_by_findings_is_printed_once(reports: dict[str, Path]) -> None:
    texts = _texts(reports["en"], "Findings")
    assert "See the recommendation of No. 1." in texts
    assert any("(answers findings 1, 2)" in t for t in texts)
    zh = _texts(reports["zh"], "发现与建议")
    assert "见第 1 条的建议。" in zh


def test_channel_chart_titles_its_service_level_axis(reports: dict[str, Path]) -> None:
    with zipfile.ZipFile(reports["en"]) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    eff = next(c for c in charts if "Efficiency by channel" in c)
    assert eff.count("<c:valAx>") == 2
    second = eff.split("<c:valAx>")[2]
    assert "Service level" in second  # the right axis names what it measures


def test_title_names_the_team_and_the_period(reports: dict[str, Path]) -> None:
    assert _texts(reports["zh"], "概览")[0] == "客服质量评价报告 — T1 · 2026年10月"


def test_a_heading_near_a_page_foot_starts_the_next_page(tmp_path: Path) -> None:
    from addin.report.layout import Sheet, Writer

    w = Writer(tmp_path / "p.xlsx", analyse(workbook_data(), AS_OF), "en")
    s = Sheet(w, "sh_method", [30, 30])
    # A4 landscape less 0.6-inch margins: 595 - 86.4 = 508.6 pt; default rows 12.75 pt
    for _ in range(37):  # 471.75 pt used: a heading, its header and two rows would not fit
        s.note("x")
    s.heading("Table")
    s.header(["a", "b"])
    assert s.breaks == [37]
    s.cells([1, 2])
    w.wb.close()
    with zipfile.ZipFile(tmp_path / "p.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert '<brk id="37"' in sheet

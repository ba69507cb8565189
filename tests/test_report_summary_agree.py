"""The xlsx report and summary.json are two layouts of one analysis: they never disagree.

Every headline figure printed on the report's Overview sheet is looked up by its printed
label and compared with the same key of summary.json, in both languages; then the overall
score, grade, sample size and data-quality counts.
"""

from __future__ import annotations

import openpyxl
import pytest
from report_fixtures import AS_OF, workbook_data

from addin.report.labels import label, metric_label
from addin.report.layout import METRIC_FORMATS
from addin.report.summary import build_summary
from addin.report.xlsx import write_report
from udfs.core.analysis import analyse
from udfs.core.scoring import grade_label


def _overview(path, lang):
    ws = openpyxl.load_workbook(path)[label("sh_overview", lang)]
    return {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0] is not None}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_overview_figure_equals_its_summary_key(tmp_path, lang):
    data = workbook_data()
    an = analyse(data, AS_OF)
    out = tmp_path / "r.xlsx"
    write_report(data, out, lang=lang, as_of=AS_OF, analysis=an)
    summary = build_summary(data, AS_OF, an)
    page = _overview(out, lang)

    compared = 0
    for key in METRIC_FORMATS:
        if key == "composite_score":
            continue
        printed = page[metric_label(key, lang)]  # KeyError: a KPI missing from the Overview
        if summary[key] is None:
            assert printed == label("no_data", lang), key
        else:
            assert printed == pytest.approx(summary[key], rel=1e-12), key
            compared += 1
    assert compared >= 10  # the fixture has data for most KPIs

    assert page[label("overall", lang)] == pytest.approx(summary["composite_score"])
    assert page[label("overall_grade", lang)] == grade_label(summary["grade"], lang)
    assert page[label("sample_size", lang)] == summary["contacts"]
    dq = summary["data_quality"]
    assert page[label("quality_line", lang)] == label(
        "quality_counts", lang, e=dq["errors"], w=dq["warnings"]
    )


def test_the_report_period_and_as_of_agree(tmp_path):
    data = workbook_data()
    an = analyse(data, AS_OF)
    out = tmp_path / "r.xlsx"
    write_report(data, out, lang="en", as_of=AS_OF, analysis=an)
    summary = build_summary(data, AS_OF, an)
    page = _overview(out, "en")
    assert page[label("report_period", "en")].startswith(summary["period"] + " ")
    assert page[label("as_of", "en")].date().isoformat() == summary["as_of"]

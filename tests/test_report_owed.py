"""Findings the report owes its reader: a composite on fewer indicators than configured, a
period without QA scores, reviewers who do not agree (Krippendorff's alpha), a sample below
the Config minimum.  Expected alphas come from the ``krippendorff`` package."""

from __future__ import annotations

import datetime as dt

import krippendorff
import numpy as np
import pandas as pd
import pytest

from addin.report.summary import build_summary
from udfs.core.analysis import analyse
from udfs.core.config import ScoringConfig
from udfs.core.data import WorkbookData

AS_OF = dt.date(2024, 6, 10)
DIMS = ("speed", "attitude", "solving", "knowledge", "satisfaction", "records")


def _contacts(n: int, rubric: bool, csat_only: bool = False) -> pd.DataFrame:
    rows = []
    for i in range(n):
        r: dict = {
            "contact_id": f"K{i:03d}",
            "contact_time": pd.Timestamp("2024-05-03 10:00") + pd.Timedelta(minutes=i),
            "agent_id": f"A{i % 2}",
            "answered": 1.0,
            "csat": float(3 + i % 3),
        }
        if not csat_only:
            r["resolved_first_contact"] = float(i % 4 != 0)
            r["first_response_s"] = float(10 + i)
        if rubric:
            r.update({d: float(3 + i % 3) for d in DIMS})
        rows.append(r)
    df = pd.DataFrame(rows)
    df["period"] = df["contact_time"].dt.strftime("%Y-%m")
    return df


def _data(df: pd.DataFrame, **kw: object) -> WorkbookData:
    return WorkbookData("t.xlsx", df, pd.DataFrame(), pd.DataFrame(), ScoringConfig(), **kw)  # type: ignore[arg-type]


def test_csat_alone_composite_says_so_and_no_scores_means_no_grade() -> None:
    data = _data(_contacts(20, rubric=False, csat_only=True))
    an = analyse(data, AS_OF)
    h = an.headline
    # default composite: QA score 30, CSAT 30, FCR 25, first response 15 -> only CSAT has data
    assert (h["composite_indicators"], h["composite_indicators_configured"]) == (1, 4)
    assert h["composite_score"] is not None and h["grade"] is None
    kinds = [c.kind for c in an.conclusions]
    assert "composite_basis" in kinds and "no_scores" in kinds
    basis = next(c for c in an.conclusions if c.kind == "composite_basis")
    assert "4 项指标中的 1 项" in basis.text["zh"] and "1 of the 4" in basis.text["en"]
    assert "客户满意度" in basis.text["zh"]
    # no rubric advice of any kind
    assert not {"weak_dimension", "below_pass"} & set(kinds)
    rubric = (*DIMS, "quality", "below_pass")
    assert all(not c.recommendation for c in an.conclusions if c.library_key in rubric)
    assert an.agents["grade"].isna().all()
    summary = build_summary(data, AS_OF, an, "en")
    assert summary["composite_indicators"] == 1 and summary["grade"] is None


def test_a_full_composite_has_no_basis_finding() -> None:
    an = analyse(_data(_contacts(20, rubric=True)), AS_OF)
    assert an.headline["composite_indicators"] == an.headline["composite_indicators_configured"]
    assert "composite_basis" not in [c.kind for c in an.conclusions]
    assert an.headline["grade"] is not None


def _calibration(disagree: bool) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = []
    for c in range(8):
        truth = 1 + c % 5
        for r in ("R1", "R2", "R3"):
            v = float(rng.integers(1, 6)) if disagree else float(truth)
            rows.append({"contact_id": f"K{c:03d}", "reviewer": r, **{d: v for d in DIMS}})
    return pd.DataFrame(rows)


def test_low_krippendorff_alpha_is_a_finding() -> None:
    cal = _calibration(disagree=True)
    an = analyse(_data(_contacts(20, rubric=True), calibration=cal), AS_OF)
    alpha = an.qa_cycle.calibration.alpha["overall"]  # type: ignore[union-attr]
    # the same ratings scored per reviewer x contact, alpha from the krippendorff package
    scores = an.qa_cycle.calibration  # type: ignore[union-attr]
    speed = cal.pivot_table(index="reviewer", columns="contact_id", values="speed").to_numpy()
    expected_speed = krippendorff.alpha(speed, level_of_measurement="ordinal")
    assert scores.alpha["speed"] == pytest.approx(expected_speed)
    assert alpha is not None and alpha < 0.667
    found = [c for c in an.conclusions if c.kind == "calibration"]
    assert len(found) == 1 and found[0].value == pytest.approx(alpha)
    assert "Krippendorff" in found[0].text["zh"] and f"{alpha:.2f}" in found[0].text["en"]
    assert found[0].recommendation["zh"].startswith("先开展质检员校准")


def test_agreeing_reviewers_give_no_calibration_finding() -> None:
    an = analyse(_data(_contacts(20, rubric=True), calibration=_calibration(False)), AS_OF)
    assert "calibration" not in [c.kind for c in an.conclusions]


def test_a_sample_below_the_minimum_is_among_the_conclusions() -> None:
    # 20 sampled of 1,000 handled = 2 % < the default 10 %
    an = analyse(_data(_contacts(20, rubric=True), population=1000), AS_OF)
    sample = next(c for c in an.conclusions if c.kind == "sample")
    assert sample.value == pytest.approx(0.02) and "1000" in sample.text["zh"]


def test_overview_says_the_composite_rests_on_part_of_the_system(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    from addin.report.xlsx import write_report

    data = _data(_contacts(20, rubric=False, csat_only=True))
    path = write_report(data, tmp_path / "r.xlsx", lang="en", as_of=AS_OF)
    ws = openpyxl.load_workbook(path, read_only=True)["Overview"]
    texts = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    grade_at = texts.index("Overall grade")
    assert texts[grade_at + 1] == "no data"  # no QA scores: no grade
    assert texts[grade_at + 2].startswith("The composite rests on 1 of the 4 configured")

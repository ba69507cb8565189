"""Reviewer calibration (udfs.core.calibration): Krippendorff's alpha checked against the
independent ``krippendorff`` package on random data with missing ratings, and the
agreement / deviation figures worked out by hand."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest

from udfs.core.calibration import alpha_ordinal, calibrate


@pytest.mark.parametrize("seed", range(8))
def test_alpha_matches_the_krippendorff_package_with_missing_ratings(seed: int) -> None:
    rng = np.random.default_rng(seed)
    reviewers, units = int(rng.integers(2, 7)), int(rng.integers(5, 60))
    truth = rng.integers(1, 6, units)
    noise = rng.integers(-1, 2, (reviewers, units)) * (rng.random((reviewers, units)) < 0.4)
    data = np.clip(truth + noise, 1, 5).astype(float)
    data[rng.random(data.shape) < 0.3] = np.nan  # missing ratings
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal")
    assert alpha_ordinal(data) == pytest.approx(expected, abs=1e-9)


def test_alpha_on_scores_0_to_100_matches_the_package() -> None:
    rng = np.random.default_rng(42)
    data = np.round(rng.normal(80, 8, (3, 25)), 2)
    data[rng.random(data.shape) < 0.2] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal")
    assert alpha_ordinal(data) == pytest.approx(expected, abs=1e-9)


def test_alpha_of_krippendorffs_own_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", 4 coders x 12
    # units with missing values; the ordinal alpha he reports is 0.815
    nan = np.nan
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]
    assert alpha_ordinal(data) == pytest.approx(0.815, abs=0.0005)


def test_no_alpha_without_two_ratings_of_a_contact_or_any_variation() -> None:
    assert alpha_ordinal([[1, 2, 3], [np.nan, np.nan, np.nan]]) is None
    assert alpha_ordinal([[4, 4], [4, 4]]) is None


def _rows(spec: dict[str, dict[str, list[float | None]]]) -> pd.DataFrame:
    rows = []
    for contact, by in spec.items():
        for reviewer, ratings in by.items():
            row = {"contact_id": contact, "reviewer": reviewer, "critical_error": None}
            row.update(
                zip(
                    ("speed", "attitude", "solving", "knowledge", "satisfaction", "records"),
                    ratings,
                    strict=True,
                )
            )
            rows.append(row)
    return pd.DataFrame(rows).astype(
        {k: float for k in ("speed", "attitude", "solving", "knowledge", "satisfaction", "records")}
    )


def test_agreement_deviation_and_widest_spread_by_hand() -> None:
    cal = _rows(
        {
            "C1": {"Lin": [5] * 6, "Wang": [5] * 6, "Zhao": [3] * 6},
            "C2": {"Lin": [4] * 6, "Wang": [4] * 6, "Zhao": [4] * 6},
        }
    )
    out = calibrate(cal)
    assert (out.contacts, out.reviewer_count) == (2, 3)
    # C1 median 5: Lin, Wang equal, Zhao not; C2 median 4: all equal -> 5 of 6 per dimension
    assert out.agreement["speed"] == pytest.approx(5 / 6)
    rev = out.reviewers.set_index("reviewer")
    # Zhao: C1 3-5 = -2, C2 0 -> mean -1 (strict); Lin and Wang 0
    assert rev.loc["Zhao", "mean_deviation"] == pytest.approx(-1.0)
    assert rev.loc["Lin", "mean_deviation"] == pytest.approx(0.0)
    # within one point: Zhao only on C2 -> 1/2
    assert rev.loc["Zhao", "within_one"] == pytest.approx(0.5)
    # mean scores: Lin (100 + 80) / 2 = 90; Zhao (60 + 80) / 2 = 70
    assert rev.loc["Lin", "mean_score"] == pytest.approx(90.0)
    assert rev.loc["Zhao", "mean_score"] == pytest.approx(70.0)
    first = out.widest.iloc[0]
    assert (first["contact_id"], first["lowest"], first["highest"], first["spread"]) == (
        "C1",
        60.0,
        100.0,
        40.0,
    )
    assert set(out.alpha) == {
        "speed",
        "attitude",
        "solving",
        "knowledge",
        "satisfaction",
        "records",
        "overall",
    }


def test_a_repeated_rating_counts_once_and_is_reported() -> None:
    cal = _rows({"C1": {"Lin": [5] * 6, "Wang": [4] * 6}})
    cal = pd.concat([cal, cal.iloc[[0]]], ignore_index=True)
    out = calibrate(cal)
    assert out.duplicates == ["C1 / Lin"]
    assert out.reviewers.set_index("reviewer").loc["Lin", "contacts"] == 1


def test_the_worked_example_of_docs_qa_cycle() -> None:
    # docs/qa-cycle.md and the README quote these figures
    cal = _rows(
        {
            "T-1001": {
                "Lin": [5, 5, 4, 4, 5, 5],
                "Wang": [5, 4, 4, 4, 5, 5],
                "Zhao": [4, 4, 3, 4, 4, 4],
            },
            "T-1002": {
                "Lin": [3, 2, 2, 3, 2, 3],
                "Wang": [3, 3, 2, 3, 2, 3],
                "Zhao": [3, 2, 2, 2, 2, 3],
            },
            "T-1003": {
                "Lin": [4, 4, 5, 4, 4, 4],
                "Wang": [4, 4, 4, 4, 4, None],
                "Zhao": [3, 3, 4, 3, 3, 3],
            },
            "T-1005": {
                "Lin": [5, 5, 5, 5, 5, 4],
                "Wang": [5, 5, 5, 4, 5, 4],
                "Zhao": [4, 5, 4, 4, 4, 4],
            },
        }
    )
    out = calibrate(cal)
    for key in ("speed", "attitude", "solving", "knowledge", "satisfaction", "records"):
        m = cal.pivot(index="reviewer", columns="contact_id", values=key).to_numpy(float)
        want = krippendorff.alpha(reliability_data=m, level_of_measurement="ordinal")
        assert out.alpha[key] == pytest.approx(want, abs=1e-9), key
    assert round(out.alpha["speed"], 3) == 0.656 and round(out.alpha["overall"], 3) == 0.635
    # hand-checked scores: T-1003 Lin 85 (4,4,5,4,4,4), Zhao 65 (3,3,4,3,3,3)
    assert out.widest.iloc[0][["contact_id", "lowest", "highest"]].tolist() == [
        "T-1003",
        65.0,
        85.0,
    ]
    dev = out.reviewers.set_index("reviewer")["mean_deviation"].round(2).to_dict()
    assert dev == {"Lin": 0.15, "Wang": 0.04, "Zhao": -0.52}
    assert out.agreement["speed"] == 0.75

"""No noise reported as news: changes are called up/down only beyond sampling noise (95 %).

Expected verdicts come from scipy computed here (pooled two-proportion z via the normal
distribution, ``scipy.stats.ttest_ind(equal_var=False)``, ``scipy.stats.t.interval``), on
periods made by hand.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from udfs.core.analysis import analyse
from udfs.core.config import ScoringConfig
from udfs.core.data import WorkbookData
from udfs.core.significance import mean_interval, mean_verdict, rate_verdict

AS_OF = dt.date(2024, 7, 10)
DIMS = ("speed", "attitude", "solving", "knowledge", "satisfaction", "records")


def _z_p(x1: int, n1: int, x0: int, n0: int) -> float:
    p = (x1 + x0) / (n1 + n0)
    z = (x1 / n1 - x0 / n0) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n0))
    return float(2 * stats.norm.sf(abs(z)))


def test_811_against_872_percent_of_133_is_stable_and_large_samples_are_up() -> None:
    # 108/133 = 81.2 %, 116/133 = 87.2 %: p = 0.18
    assert _z_p(116, 133, 108, 133) > 0.05
    assert rate_verdict(116, 133, 108, 133) == "stable"
    # the same rates on 10,000 contacts each: p far below 0.05
    assert _z_p(8720, 10000, 8110, 10000) < 0.05
    assert rate_verdict(8720, 10000, 8110, 10000) == "up"
    assert rate_verdict(8110, 10000, 8720, 10000) == "down"
    assert rate_verdict(5, 5, 3, 0) is None  # no previous data: untestable


@pytest.mark.parametrize("seed", range(8))
def test_welch_verdict_agrees_with_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(80 + seed, 8, 30 + seed * 5)
    b = rng.normal(80, 12, 40)
    p = stats.ttest_ind(a, b, equal_var=False).pvalue
    expected = "stable" if p >= 0.05 else ("up" if a.mean() > b.mean() else "down")
    assert mean_verdict(a, b) == expected
    lo, hi = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=stats.sem(a))
    assert mean_interval(a) == (pytest.approx(lo), pytest.approx(hi))
    assert mean_verdict(a[:1], b) is None  # one value: no variance, untestable


def _month(month: str, n: int, resolved: int, level: int, csat: float) -> list[dict]:
    return [
        {
            "contact_id": f"{month}-{i:05d}",
            "contact_time": pd.Timestamp(f"{month}-02 09:00") + pd.Timedelta(minutes=i),
            "agent_id": f"A{i % 4}",
            "answered": 1.0,
            "resolved_first_contact": 1.0 if i < resolved else 0.0,
            "csat": csat,
            **{d: float(level if (i // 4) % 2 else level - 1) for d in DIMS},
        }
        for i in range(n)
    ]


def _analyse(rows: list[dict]) -> object:
    df = pd.DataFrame(rows)
    df["period"] = df["contact_time"].dt.strftime("%Y-%m")
    data = WorkbookData("t.xlsx", df, pd.DataFrame(), pd.DataFrame(), ScoringConfig())
    return analyse(data, AS_OF, "2024-06")


def _fcr_row(an: object):  # type: ignore[no-untyped-def]
    return next(
        r
        for r in an.team_indicators  # type: ignore[attr-defined]
        if r.indicator is not None and r.indicator.source == "fcr"
    )


def test_fcr_move_of_133_contacts_a_month_is_stable_in_rows_and_conclusions() -> None:
    an = _analyse(_month("2024-05", 133, 108, 4, 4.0) + _month("2024-06", 133, 116, 4, 4.0))
    row = _fcr_row(an)
    assert row.vs_prev == pytest.approx(8 / 133)
    assert row.vs_prev_verdict == "stable"
    assert row.vs_year_ago is None and row.vs_year_ago_verdict is None  # no June 2023
    fcr = [c for c in an.conclusions if c.kind == "change" and c.metric == "fcr"]  # type: ignore[attr-defined]
    assert fcr and "基本持平（在抽样误差范围内）" in fcr[0].text["zh"]
    assert "stable (within sampling noise)" in fcr[0].text["en"]
    assert "改善" not in fcr[0].text["zh"]


def test_a_large_fcr_move_is_up_and_called_an_improvement() -> None:
    an = _analyse(_month("2024-05", 2000, 1000, 4, 4.0) + _month("2024-06", 2000, 1400, 4, 4.0))
    assert _fcr_row(an).vs_prev_verdict == "up"
    fcr = next(c for c in an.conclusions if c.kind == "change" and c.metric == "fcr")  # type: ignore[attr-defined]
    assert "改善" in fcr.text["zh"] and "improved" in fcr.text["en"]


def test_rubric_dimension_rows_carry_welch_verdicts() -> None:
    # June's ratings one point higher (4/3 alternating against 3/2): a clear rise
    an = _analyse(_month("2024-05", 60, 30, 3, 4.0) + _month("2024-06", 60, 30, 4, 4.0))
    dims = [r for r in an.dim_indicators if r.kind == "indicator"]  # type: ignore[attr-defined]
    assert dims and all(r.vs_prev_verdict == "up" for r in dims)
    groups = [r for r in an.dim_indicators if r.kind == "group"]  # type: ignore[attr-defined]
    assert all(r.vs_prev_verdict is None for r in groups)


def test_agent_intervals_and_who_is_singled_out() -> None:
    rows = _month("2024-06", 40, 20, 4, 4.0)
    for r in rows:  # A0 rated 5 everywhere (score 100), the others 3/4 alternating
        if r["agent_id"] == "A0":
            r.update({d: 5.0 for d in DIMS})
    an = _analyse(rows)
    ag = an.agents.set_index("agent_id")  # type: ignore[attr-defined]
    team = an.contacts["score"].to_numpy(dtype=float)  # type: ignore[attr-defined]
    lo, hi = stats.t.interval(0.95, len(team) - 1, loc=team.mean(), scale=stats.sem(team))
    assert an.team_score_interval == (pytest.approx(lo), pytest.approx(hi))  # type: ignore[attr-defined]
    a1 = an.contacts[an.contacts["agent_id"] == "A1"]["score"].to_numpy(dtype=float)  # type: ignore[attr-defined]
    lo1, hi1 = stats.t.interval(0.95, len(a1) - 1, loc=a1.mean(), scale=stats.sem(a1))
    assert (ag.loc["A1", "ci_low"], ag.loc["A1", "ci_high"]) == (
        pytest.approx(lo1),
        pytest.approx(hi1),
    )
    # A0: every score 100, interval [100, 100], above the team's upper end
    assert hi < 100
    assert bool(ag.loc["A0", "singled_out"])


@pytest.mark.parametrize("df", [1, 2, 3.7, 9, 30, 132, 1000])
def test_student_t_without_scipy_matches_scipy(df: float) -> None:
    from udfs.core.significance import t_quantile, t_two_sided_p

    for t in (0.1, 1.0, 1.96, 2.5, 4.0, 12.0):
        assert t_two_sided_p(t, df) == pytest.approx(2 * stats.t.sf(t, df), rel=1e-9, abs=1e-15)
    assert t_quantile(0.975, df) == pytest.approx(stats.t.ppf(0.975, df), rel=1e-9)


def test_the_analysis_does_not_import_scipy() -> None:
    # scipy takes about half a second to import: a report's start-up must not pay for it
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys; from report_fixtures import AS_OF, workbook_data; "
        "from udfs.core.analysis import analyse; an = analyse(workbook_data(), AS_OF); "
        "assert an.team_score_interval[0] is not None; print('scipy' in sys.modules)"
    )
    tests = Path(__file__).parent
    env_path = f"{tests.parent}{os.pathsep}{tests}"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": env_path},
        check=True,
    )
    assert out.stdout.strip() == "False"

"""Population figures over several months (issue 23, items 13 and 14): ``csq sample``
records each month's figures with their denominators; a quarter's (half's, year's, whole
months') rates are the summed numerators over the summed denominators and its means the
summed sums over the summed counts, so they equal the whole export's; a month of the
period without contacts does not make the sampling ratio "not recorded"."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from addin.cli import main


def _export(path: Path, months: tuple[int, ...], seed: int = 5, n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    day = rng.integers(1, 28, n)
    month = rng.choice(months, n)
    answered = rng.choice(["Y", "N", ""], n, p=[0.8, 0.15, 0.05])
    df = pd.DataFrame(
        {
            "Id": [f"C{i}" for i in range(n)],
            "When": [f"2024-{m:02d}-{d:02d} {h:02d}:15" for m, d, h in
                     zip(month, day, rng.integers(8, 20, n), strict=True)],
            "Agent": rng.choice(["A1", "A2", "A3"], n),
            "Answered": answered,
            "Resolved": rng.choice(["Y", "N", ""], n, p=[0.6, 0.3, 0.1]),
            "Transferred": rng.choice(["Y", "N"], n, p=[0.2, 0.8]),
            "Wait": rng.choice([*range(5, 90, 7), None], n).astype(object),
            "Talk": rng.integers(60, 900, n),
            "CSAT": rng.choice([1, 2, 3, 4, 5, None], n).astype(object),
        }
    )  # fmt: skip
    df.to_csv(path, index=False)
    return df


MAP = """[columns]
contact_id = "Id"
contact_time = "When"
agent_id = "Agent"
answered = "Answered"
resolved_first_contact = "Resolved"
transferred = "Transferred"
first_response_s = "Wait"
handle_time_s = "Talk"
csat = "CSAT"
"""


def _expected(df: pd.DataFrame) -> dict[str, float]:
    """The whole export's figures with pandas (SPEC section 5 definitions): blank
    answered counts as answered; a never-answered contact has no times, CSAT or flags."""
    answered = df["Answered"].fillna("")
    ans = answered != "N"
    has = answered != ""
    res = df["Resolved"].fillna("")[ans]
    tr = df["Transferred"][ans]
    wait = pd.to_numeric(df["Wait"], errors="coerce")[ans].dropna()
    talk = pd.to_numeric(df["Talk"], errors="coerce")[ans].dropna()
    csat = pd.to_numeric(df["CSAT"], errors="coerce")[ans].dropna()
    return {
        "contacts": len(df),
        "answer_rate": (answered[has] == "Y").mean(),
        "fcr": (res[res != ""] == "Y").mean(),
        "avg_first_response_s": wait.mean(),
        "service_level": (wait <= 30).mean(),
        "avg_handle_time_s": talk.mean(),
        "transfer_rate": (tr == "Y").mean(),
        "csat_mean": csat.mean(),
        "csat_pct": (csat >= 4).mean(),
    }


def _sample_and_report(tmp_path: Path, months: tuple[int, ...], period: str) -> tuple[dict, dict]:
    export = tmp_path / "calls.csv"
    df = _export(export, months)
    m = tmp_path / "map.toml"
    m.write_text(MAP, encoding="utf-8")
    book = tmp_path / "s.xlsx"
    args = ["sample", str(export), "--map", str(m), "-o", str(book), "--ratio", "0.2"]
    assert main([*args, "--seed", "1", "--lang", "en"]) == 0
    out = tmp_path / "out"
    rc = main(["report", str(book), "-o", str(out), "--period", period, "--as-of", "2025-01-15"])
    assert rc == 0
    summary = json.loads((out / "s.summary.json").read_text(encoding="utf-8"))
    return summary, _expected(df)


def test_a_quarters_population_rates_equal_the_whole_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary, want = _sample_and_report(tmp_path, (7, 8, 9), "2024-Q3")
    pop = summary["population"]
    for k, v in want.items():
        assert pop[k] == pytest.approx(v, rel=1e-9), k
    assert summary["sampling"]["ratio"] == pytest.approx(summary["contacts"] / want["contacts"])


def test_a_month_without_contacts_leaves_the_quarter_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary, want = _sample_and_report(tmp_path, (7, 9), "2024-Q3")  # no August
    assert summary["sampling"]["ratio"] == pytest.approx(summary["contacts"] / want["contacts"])
    assert summary["population"]["fcr"] == pytest.approx(want["fcr"], rel=1e-9)


def test_a_range_of_whole_months_combines_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary, want = _sample_and_report(tmp_path, (7, 8), "2024-07-01..2024-08-31")
    assert summary["population"]["csat_mean"] == pytest.approx(want["csat_mean"], rel=1e-9)

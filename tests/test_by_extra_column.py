"""``csq report --by <extra column>`` (issue 23, item 9): a column of the export that the
map does not name, kept in the imported workbook, divides the report into one segment
per value (the small ones grouped as Other), each with its KPIs.  Expected figures: a
pandas groupby on the test's own rows."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from addin.cli import main

MAP = """[columns]
contact_id = "Call Id"
contact_time = "Time"
agent_id = "Agent"
answered = "Answered"
resolved_first_contact = "Resolved"
first_response_s = "Wait"
csat = "CSAT"
"""


def _rows() -> pd.DataFrame:
    rng = np.random.default_rng(23)
    n = 130
    pri = np.array(["High"] * 40 + ["Medium"] * 35 + ["Low"] * 45 + ["Urgent"] * 10)
    rng.shuffle(pri)
    answered = rng.random(n) < 0.85
    df = pd.DataFrame(
        {
            "Call Id": [f"C{i:04d}" for i in range(n)],
            "Time": [f"2024-06-{1 + i % 28:02d} {8 + i % 9:02d}:15" for i in range(n)],
            "Agent": rng.choice(["ann", "bob", "cyd"], n),
            "Answered": np.where(answered, "Y", "N"),
            "Resolved": np.where(answered, rng.choice(["Y", "N"], n), ""),
            "Wait": np.where(answered, rng.integers(5, 90, n).astype(str), ""),
            "CSAT": np.where(
                answered & (rng.random(n) < 0.8), rng.integers(1, 6, n).astype(str), ""
            ),
            "Priority": pri,
        }
    )
    return df


def _expected(g: pd.DataFrame) -> dict[str, float]:
    ans = g[g["Answered"] == "Y"]
    wait = pd.to_numeric(ans["Wait"], errors="coerce")
    csat = pd.to_numeric(ans["CSAT"], errors="coerce")
    res = ans["Resolved"].replace("", np.nan).dropna()
    return {
        "contacts": len(g),
        "answer_rate": (g["Answered"] == "Y").mean(),
        "fcr": (res == "Y").mean(),
        "avg_first_response_s": wait.mean(),
        "csat_mean": csat.mean(),
    }


@pytest.fixture()
def workbook(tmp_path: Path) -> Path:
    export = tmp_path / "calls.csv"
    _rows().to_csv(export, index=False)
    m = tmp_path / "calls.toml"
    m.write_text(MAP, encoding="utf-8")
    out = tmp_path / "calls.xlsx"
    assert main(["import", str(export), "--map", str(m), "-o", str(out), "--lang", "en"]) == 0
    return out


@pytest.mark.parametrize("by", ["Priority", "extra:priority"])
def test_segments_by_an_extra_column_equal_a_pandas_groupby(
    workbook: Path, tmp_path: Path, by: str
) -> None:
    out = tmp_path / "r"
    assert main(["report", str(workbook), "-o", str(out), "--period", "2024-06",
                 "--by", by, "--lang", "en", "--format", "xlsx"]) == 0  # fmt: skip
    summary = json.loads(next(out.glob("*.summary.json")).read_text(encoding="utf-8"))
    seg = summary["segments"]
    assert seg["by"] == "extra:Priority"
    rows = {r["value"]: r for r in seg["rows"]}
    df = _rows()
    want = {k: _expected(g) for k, g in df.groupby("Priority")}
    want["__other__"] = want.pop("Urgent")  # 10 contacts < 30: grouped as Other
    assert set(rows) == set(want)
    assert rows["__other__"]["members"] == ["Urgent"]
    for value, exp in want.items():
        for kpi, v in exp.items():
            assert rows[value][kpi] == pytest.approx(v), (value, kpi)


def test_an_unknown_by_column_exits_2_naming_the_extra_columns(
    workbook: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    rc = main(["report", str(workbook), "-o", str(tmp_path / "r"), "--by", "Colour",
               "--lang", "en"])  # fmt: skip
    assert rc == 2
    err = capsys.readouterr().err
    assert "--by Colour" in err and "Priority" in err and "service_type" in err
    assert not (tmp_path / "r").exists() or not list((tmp_path / "r").iterdir())

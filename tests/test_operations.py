"""Distributions and agents on operational KPIs (issue 23, items 10-11), against figures
computed with pandas from the export itself: percentiles of first response and handle
time (overall, by channel, by hour), the CSAT distribution, abandonment by hour and
weekday, the agent KPI table and its ranking basis."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from addin.cli import main

MAP = """[columns]
contact_id = "Call Id"
contact_time = ["Date", "Time"]
agent_id = "Agent"
channel = "Channel"
answered = "Answered (Y/N)"
resolved_first_contact = "Resolved"
first_response_s = "Speed of answer in seconds"
handle_time_s = "AvgTalkDuration"
csat = { column = "Satisfaction", scale = [1, 10] }
[units]
handle_time_s = "hh:mm:ss"
"""


def _export(path: Path, n: int = 600, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    when = pd.Timestamp("2024-03-01") + pd.to_timedelta(rng.integers(0, 30 * 86400, n), "s")
    answered = rng.choice(["Y", "N"], n, p=[0.85, 0.15])
    talk = rng.integers(20, 1200, n)
    df = pd.DataFrame(
        {
            "Call Id": [f"ID{i:05d}" for i in range(n)],
            "Agent": rng.choice(["Ann", "Bob", "Cy", "Di"], n),
            "Date": when.strftime("%Y-%m-%d"),
            "Time": when.strftime("%H:%M:%S"),
            "Channel": rng.choice(["Phone", "Chat", "Email"], n),
            "Answered (Y/N)": answered,
            "Resolved": np.where(answered == "Y", rng.choice(["Y", "N"], n), ""),
            "Speed of answer in seconds": np.where(
                answered == "Y", rng.integers(1, 200, n).astype(str), ""
            ),
            "AvgTalkDuration": np.where(
                answered == "Y",
                [f"00:{t // 60:02d}:{t % 60:02d}" for t in talk.tolist()],
                "",
            ),
            "Satisfaction": np.where(answered == "Y", rng.integers(1, 11, n).astype(str), ""),
        }
    )
    df.to_csv(path, index=False)
    return df


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, pd.DataFrame]:
    d = tmp_path_factory.mktemp("ops")
    df = _export(d / "calls.csv")
    (d / "m.toml").write_text(MAP, encoding="utf-8")
    book = d / "calls.xlsx"
    assert main(["import", str(d / "calls.csv"), "--map", str(d / "m.toml"), "-o", str(book),
                 "--lang", "en"]) == 0  # fmt: skip
    out = d / "out"
    assert main(["report", str(book), "-o", str(out), "--period", "2024-03",
                 "--as-of", "2024-04-15"]) == 0  # fmt: skip
    return json.loads((out / "calls.summary.json").read_text(encoding="utf-8")), df


def _pandas(df: pd.DataFrame) -> pd.DataFrame:
    """The export as pandas reads it: times in seconds, CSAT 1-10 onto 1-5 half up."""
    ans = df["Answered (Y/N)"] == "Y"
    t = pd.to_datetime(df["Date"] + " " + df["Time"])
    talk = pd.to_timedelta(df["AvgTalkDuration"].replace("", None)).dt.total_seconds()
    sat = pd.to_numeric(df["Satisfaction"].replace("", None))
    return pd.DataFrame(
        {
            "agent": df["Agent"],
            "channel": df["Channel"].str.lower(),
            "hour": t.dt.hour,
            "weekday": t.dt.day_of_week,
            "ans": ans,
            "fr": pd.to_numeric(df["Speed of answer in seconds"].replace("", None)),
            "ht": talk,
            "csat": np.floor(1 + (sat - 1) * 4 / 9 + 0.5),
            "fcr": (df["Resolved"] == "Y").where(ans),
        }
    )


def test_time_percentiles_match_pandas(run: tuple[dict, pd.DataFrame]) -> None:
    summary, df = run
    p = _pandas(df)
    rows = summary["distributions"]["time_percentiles"]
    got = {(r["metric"], r["by"], str(r["group"])): r for r in rows}
    for metric, col in (("first_response_s", "fr"), ("handle_time_s", "ht")):
        v = p.loc[p["ans"], [col, "channel", "hour"]].dropna(subset=[col])
        checks = [(("all", ""), v[col])]
        checks += [(("channel", c), g[col]) for c, g in v.groupby("channel")]
        checks += [(("hour", str(h)), g[col]) for h, g in v.groupby("hour")]
        for (by, group), series in checks:
            r = got[(metric, by, group)]
            assert r["n"] == len(series)
            for k, q in (("median", 0.5), ("p80", 0.8), ("p90", 0.9)):
                assert r[k] == pytest.approx(series.quantile(q)), (metric, by, group, k)


def test_csat_distribution_and_abandonment_match_pandas(run: tuple[dict, pd.DataFrame]) -> None:
    summary, df = run
    p = _pandas(df)
    d = summary["distributions"]
    counts = p["csat"].value_counts()
    assert d["csat_counts"] == {str(r): int(counts.get(r, 0)) for r in range(1, 6)}
    for key, col, size in (("abandonment_by_hour", "hour", 24), ("abandonment_by_weekday",
                                                                  "weekday", 7)):  # fmt: skip
        g = p.groupby(col)["ans"]
        for r in d[key]:
            k = r[col]
            n = int(g.size().get(k, 0))
            assert r["contacts"] == n
            assert r["unanswered"] == (n - int(g.sum().get(k, 0)))
            assert r["share"] == (pytest.approx(1 - g.mean()[k]) if n else None)
        assert len(d[key]) == size


def test_agents_on_operational_kpis_match_pandas(run: tuple[dict, pd.DataFrame]) -> None:
    summary, df = run
    p = _pandas(df)
    ops = summary["agent_operations"]
    assert ops["ranked_on"] == "operational"  # no QA score in an export
    by = {r["agent_id"]: r for r in ops["agents"]}
    for agent, g in p.groupby("agent"):
        a = g[g["ans"]]
        r = by[agent]
        assert r["contacts"] == len(g)
        assert r["answer_rate"] == pytest.approx(g["ans"].mean())
        assert r["fcr"] == pytest.approx(a["fcr"].astype(float).mean())
        assert r["avg_first_response_s"] == pytest.approx(a["fr"].mean())
        assert r["avg_handle_time_s"] == pytest.approx(a["ht"].mean())
        assert r["csat_mean"] == pytest.approx(a["csat"].mean())
        assert r["service_level"] == pytest.approx((a["fr"] <= 30).mean())
    ranks = [r["rank"] for r in ops["agents"]]
    assert sorted(ranks) == [1, 2, 3, 4]

"""Ticket backlog (issue 23, item 12): a ticket export with a status column named by the
map (``[options] status`` / ``open``) gives summary.json ``backlog``: the tickets open at
the report period's end by age band, resolution time over closed tickets only, and the
tickets without a creation time counted.  Expected figures: pandas on the test's rows."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from addin.cli import main
from addin.read.workbook import read_workbook

MAP = """[constants]
agent_id = "queue"

[columns]
contact_id = "Ticket"
contact_time = "Created"
resolution_time_h = { from = "Created", to = "Resolved" }

[options]
status = "Status"
open = ["Open", "pending"]
"""


def _rows() -> pd.DataFrame:
    rng = np.random.default_rng(12)
    n = 120
    created = pd.Timestamp("2024-06-01") + pd.to_timedelta(rng.uniform(0, 40, n), unit="D")
    created = created.floor("min")
    status = rng.choice(["Open", "Pending", "Closed", "Solved"], n, p=[0.2, 0.1, 0.5, 0.2])
    hours = rng.uniform(0.5, 300, n)
    resolved = created + pd.to_timedelta(hours, unit="h")
    closed = np.isin(status, ["Closed", "Solved"])
    df = pd.DataFrame(
        {
            "Ticket": [f"T{i}" for i in range(n)],
            "Created": created.strftime("%Y-%m-%d %H:%M"),
            "Resolved": np.where(closed, resolved.strftime("%Y-%m-%d %H:%M"), ""),
            "Status": status,
            "Priority": rng.choice(["P1", "P2"], n),
        }
    )
    df.loc[[3, 7], "Created"] = ""  # no creation time: counted, in no figure
    df.loc[7, "Status"] = "Open"
    return df


def _expected(df: pd.DataFrame) -> dict[str, object]:
    created = pd.to_datetime(df["Created"].replace("", None))
    resolved = pd.to_datetime(df["Resolved"].replace("", None))
    end = pd.Timestamp("2024-07-01")  # June's end
    is_open = df["Status"].str.lower().isin(["open", "pending"])
    res_h = (resolved - created) / pd.Timedelta(hours=1)
    at_end = created.notna() & (created < end) & (is_open | (~is_open & (resolved >= end)))
    age = (end - created) / pd.Timedelta(days=1)
    bands = pd.cut(age[at_end], [0, 1, 3, 7, np.inf], right=False,
                   labels=["0-1d", "1-3d", "3-7d", ">7d"])  # fmt: skip
    june = created.notna() & (created >= "2024-06-01") & (created < end)
    closed = june & ~is_open & res_h.notna()
    return {
        "open_at_end": int(at_end.sum()),
        "by_age": {k: int(v) for k, v in bands.value_counts().items()},
        "closed": int(closed.sum()),
        "resolution_h_mean": res_h[closed].mean(),
        "resolution_h_median": res_h[closed].median(),
        "no_created_time": int(created.isna().sum()),
        "no_created_time_open": int((created.isna() & is_open).sum()),
    }


def test_backlog_equals_pandas(tmp_path: Path) -> None:
    export = tmp_path / "tickets.csv"
    df = _rows()
    df.to_csv(export, index=False)
    m = tmp_path / "m.toml"
    m.write_text(MAP, encoding="utf-8")
    book = tmp_path / "t.xlsx"
    main(["import", str(export), "--map", str(m), "-o", str(book), "--lang", "en"])
    data = read_workbook(book)
    flags = data.monitoring.set_index("contact_id")["extra:Open (Y/N)"]
    want_flags = df.set_index("Ticket")["Status"].str.lower().isin(["open", "pending"])
    assert (flags == want_flags.map({True: "Y", False: "N"})).all()
    out = tmp_path / "r"
    assert main(["report", str(book), "-o", str(out), "--period", "2024-06", "--lang", "en",
                 "--format", "xlsx"]) == 0  # fmt: skip
    got = json.loads(next(out.glob("*.summary.json")).read_text(encoding="utf-8"))["backlog"]
    want = _expected(df)
    assert got["column"] == "Open (Y/N)" and got["period_end"] == "2024-06-30"
    for k, v in want.items():
        assert got[k] == pytest.approx(v), k
    assert sum(got["by_age"].values()) == got["open_at_end"] > 0


def test_no_status_option_no_backlog(tmp_path: Path) -> None:
    export = tmp_path / "tickets.csv"
    _rows().to_csv(export, index=False)
    m = tmp_path / "m.toml"
    m.write_text(MAP.split("[options]")[0], encoding="utf-8")
    book = tmp_path / "t.xlsx"
    main(["import", str(export), "--map", str(m), "-o", str(book), "--lang", "en"])
    out = tmp_path / "r"
    assert main(["report", str(book), "-o", str(out), "--period", "2024-06", "--lang", "en",
                 "--format", "xlsx"]) == 0  # fmt: skip
    assert "backlog" not in json.loads(next(out.glob("*.summary.json")).read_text("utf-8"))


def test_the_shipped_ticket_example_backlog_by_hand(tmp_path: Path) -> None:
    """July of addin/maps/tickets_export.csv: TK-3 open since 07-02 (29.6 days at the end of
    July); closed with a resolution time: TK-1 3 h, TK-2 24 h (TK-5 resolved before it was
    created: no time); TK-4 open without a creation time."""
    maps = Path(__file__).resolve().parents[1] / "addin" / "maps"
    book = tmp_path / "t.xlsx"
    main(["import", str(maps / "tickets_export.csv"), "--map", str(maps / "tickets_map.toml"),
          "-o", str(book), "--lang", "zh"])  # fmt: skip
    out = tmp_path / "r"
    assert main(["report", str(book), "-o", str(out), "--period", "2024-07",
                 "--format", "xlsx"]) == 0  # fmt: skip
    got = json.loads(next(out.glob("*.summary.json")).read_text(encoding="utf-8"))["backlog"]
    assert got == {
        "column": "未结(Y/N)",
        "period_end": "2024-07-31",
        "open_at_end": 1,
        "by_age": {"0-1d": 0, "1-3d": 0, "3-7d": 0, ">7d": 1},
        "closed": 2,
        "resolution_h_mean": 13.5,
        "resolution_h_median": 13.5,
        "no_created_time": 1,
        "no_created_time_open": 1,
    }
    data = read_workbook(book)
    assert data.monitoring["extra:优先级"].tolist() == [
        "高",
        "低",
        "中",
        "低",
        "高",
        "中",
        "低",
        "高",
    ]

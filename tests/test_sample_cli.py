"""``csq sample``: the stratified draw end to end, the record and population figures in
the workbook, the same seed giving the same Monitoring rows byte for byte, the export
never modified, usage errors, ``--tag``, and the report of a sampled workbook (population
beside the sample, automatic sampling ratio, a low ratio flagged)."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import math
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from addin.cli import main
from addin.read.workbook import read_workbook
from addin.report.summary import build_summary
from addin.report.xlsx import write_report

ROOT = Path(__file__).resolve().parents[1]
MAP = ROOT / "addin" / "maps" / "example_map.toml"
EXAMPLE = ROOT / "addin" / "maps" / "example_export.csv"
AS_OF = dt.date(2026, 12, 1)

_spec = importlib.util.spec_from_file_location(
    "bench_sample", ROOT / "benchmarks" / "bench_sample.py"
)
assert _spec and _spec.loader
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("exp") / "calls.csv"
    bench.write_export(path, 3000, seed=5, agents=12)
    return path


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _sample(export: Path, out: Path, *extra: str) -> int:
    return main(["sample", str(export), "--map", str(MAP), "-o", str(out), "--lang", "en", *extra])


def _monitoring_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet3.xml")  # Guide, Config, Monitoring


def test_each_agent_and_channel_gets_its_quota_and_rubric_cells_are_blank(
    export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _sha(export)
    out = tmp_path / "s.xlsx"
    assert (
        _sample(export, out, "--by", "agent,channel", "--ratio", "0.1", "--min", "3", "--seed", "9")
        == 0
    )
    assert _sha(export) == before  # the export is only read
    full = pd.read_csv(export, dtype=str, keep_default_na=False)
    data = read_workbook(out)
    assert data.errors == []
    mon = data.monitoring
    # every stratum: max(ceil(10 % of its size), min(3, size)) contacts, worked out here from
    # the export itself with pandas
    sizes = full.groupby(["Agent", "Channel"]).size()
    channel = {
        "Voice": "phone",
        "Live Chat": "chat",
        "E-mail": "email",
        "WeChat": "social",
        "Web": "ticket",
    }
    got = mon.assign(ch=mon["channel"]).groupby(["agent_id", "ch"]).size()
    for (agent, ch), size in sizes.items():
        want = max(math.ceil(round(size * 0.1, 9)), min(3, size))
        assert got.get((agent, channel[ch]), 0) == want, (agent, ch, size)
    assert len(mon) == int(got.sum())
    assert (
        mon[["speed", "attitude", "solving", "knowledge", "satisfaction", "records"]]
        .isna()
        .all()
        .all()
    )
    assert set(mon["contact_id"]) <= set(full["Ticket No"])
    printed = capsys.readouterr().out
    assert f"{len(mon)} of 3000 contacts sampled" in printed and "seed 9" in printed

    rec = {r["item"]: r["value"] for r in data.config_tables["sampling"]}
    assert rec["seed"] == "9" and rec["ratio"] == "0.1" and rec["min"] == "3"
    assert rec["strata"] == "agent,channel" and rec["export"] == "calls.csv"
    assert rec["export_sha256"] == before
    pop = data.config_tables["population"]
    total = next(r for r in pop if not r["period"] and not r["stratum"])
    assert total["contacts"] == 3000 and total["sampled"] == len(mon)
    # answer rate of the whole export, from the CSV with pandas
    assert total["answer_rate"] == pytest.approx((full["Call Status"] == "Answered").mean())
    months = sorted(r["period"] for r in pop if r["period"])
    assert months == ["2026-09", "2026-10", "2026-11"]
    strata = [r for r in pop if r["stratum"]]
    assert len(strata) == len(sizes) and sum(r["contacts"] for r in strata) == 3000


def test_same_export_and_seed_give_the_same_monitoring_rows_byte_for_byte(
    export: Path, tmp_path: Path
) -> None:
    a, b, c = tmp_path / "a.xlsx", tmp_path / "b.xlsx", tmp_path / "c.xlsx"
    assert _sample(export, a, "--seed", "123") == 0
    assert _sample(export, b, "--seed", "123") == 0
    assert _sample(export, c, "--seed", "124") == 0
    assert _monitoring_xml(a) == _monitoring_xml(b)
    assert _monitoring_xml(a) != _monitoring_xml(c)


def test_without_a_seed_a_fresh_one_is_recorded_and_reproduces_the_draw(
    export: Path, tmp_path: Path
) -> None:
    a = tmp_path / "a.xlsx"
    assert _sample(export, a) == 0
    seed = {r["item"]: r["value"] for r in read_workbook(a).config_tables["sampling"]}["seed"]
    assert seed.isdigit()
    b = tmp_path / "b.xlsx"
    assert _sample(export, b, "--seed", seed) == 0
    assert _monitoring_xml(a) == _monitoring_xml(b)


def test_period_limits_the_draw(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "oct.xlsx"
    assert _sample(export, out, "--period", "2026-10", "--seed", "1") == 0
    data = read_workbook(out)
    assert set(data.monitoring["period"]) == {"2026-10"}
    assert [r["period"] for r in data.config_tables["population"] if r["period"]] == ["2026-10"]


@pytest.mark.parametrize(
    "args, text",
    [
        (["--by", "agent,shoe"], "--by shoe: unknown stratum"),
        (["--ratio", "0"], "--ratio 0: must be more than 0"),
        (["--period", "Oct"], "--period 'Oct'"),
        (["--period", "2020-01"], "no contacts to sample in period 2020-01"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    export: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], text: str
) -> None:
    out = tmp_path / "x.xlsx"
    assert _sample(export, out, *args) == 2
    err = capsys.readouterr().err.strip()
    assert text in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert not out.exists()


def test_tag_fills_blank_categories_from_complaint_keywords(tmp_path: Path) -> None:
    src = tmp_path / "e.csv"
    text = EXAMPLE.read_text(encoding="utf-8").splitlines()
    # T-1001 gets a description with a keyword and no issue type
    text[1] = text[1].replace(",,,,", ",,,the customer got a wrong answer,", 1)
    src.write_text("\n".join(text) + "\n", encoding="utf-8")
    out = tmp_path / "t.xlsx"
    assert main(["sample", str(src), "--map", str(MAP), "-o", str(out), "--lang", "en",
                 "--ratio", "1", "--seed", "1", "--tag"]) == 0  # fmt: skip
    m = read_workbook(out).monitoring.set_index("contact_id")
    assert m.loc["T-1001", "problem_category"] == "Wrong answer"
    assert m.loc["T-1001", "qc_note"] == "auto-tagged: wrong answer"
    assert m.loc["T-1003", "problem_category"] == "Wrong info"  # a typed category stays
    out2 = tmp_path / "i.xlsx"
    assert (
        main(["import", str(src), "--map", str(MAP), "-o", str(out2), "--lang", "en", "--tag"]) == 0
    )
    m2 = read_workbook(out2).monitoring.set_index("contact_id")
    assert m2.loc["T-1001", "problem_category"] == "Wrong answer"


def test_report_of_a_sampled_workbook_shows_the_population_beside_the_sample(
    export: Path, tmp_path: Path
) -> None:
    out = tmp_path / "s.xlsx"
    assert _sample(export, out, "--seed", "4", "--ratio", "0.05") == 0
    data = read_workbook(out)
    s = build_summary(data, AS_OF)
    full = pd.read_csv(export, dtype=str, keep_default_na=False)
    nov = full[full["Created Date"].str.endswith("/11/2026")]
    pop = s["population"]
    assert pop["contacts"] == len(nov)
    assert pop["answered"] == int((nov["Call Status"] == "Answered").sum())
    csat = pd.to_numeric(nov["CSAT"], errors="coerce").dropna()
    assert pop["csat_mean"] == pytest.approx(csat.mean())
    assert pop["csat_pct"] == pytest.approx((csat >= 4).mean())
    assert set(pop) == {
        "contacts", "answered", "answer_rate", "resolved_first_contact", "fcr",
        "avg_first_response_s", "avg_handle_time_s", "service_level", "transfer_rate",
        "csat_mean", "csat_pct",
    }  # fmt: skip
    sampled = int((data.monitoring["period"] == "2026-11").sum())
    assert s["sampling_ratio"] == pytest.approx(sampled / len(nov))
    # 5 % per agent is below the default minimum of 10 %: flagged, a warning finding
    assert s["sampling"]["below_min_ratio"] is True
    rep = write_report(data, tmp_path / "s.report.xlsx", lang="en", as_of=AS_OF)
    ws = openpyxl.load_workbook(rep, read_only=True)["Sample vs population"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    contacts = next(r for r in rows if r[0] == "Contacts")
    assert contacts[1] == len(nov) and contacts[2] == sampled
    ratio = next(r for r in rows if r[0] and str(r[0]).startswith("Sampling ratio"))
    assert ratio[1] == pytest.approx(sampled / len(nov)) and ratio[3] == "below the minimum"
    quality = openpyxl.load_workbook(rep, read_only=True)["Data quality"]
    text = " ".join(str(v) for r in quality.iter_rows(values_only=True) for v in r if v)
    assert "below the minimum 10%" in text
    from udfs.core.analysis import analyse

    (low,) = [f for f in analyse(data, AS_OF).findings if "below the minimum" in f.rule]
    row = next(r["_row"] for r in data.config_tables["sampling"] if r["item"] == "min_ratio")
    assert (low.sheet, low.cell, low.severity) == ("Config", f"B{row}", "warning")
    json.dumps(s, allow_nan=False)


def test_population_typed_by_hand_on_the_config_sheet(tmp_path: Path) -> None:
    from workbook_templates.builder import build_workbook

    out = tmp_path / "hand.xlsx"
    mon = [
        {"contact_id": f"c{i}", "contact_time": dt.datetime(2026, 11, 2 + i), "agent_id": "A"}
        for i in range(5)
    ]
    build_workbook(
        out,
        lang="en",
        monitoring=mon,
        config_rows={"population": [{"period": "2026-11", "contacts": 200}]},
    )
    s = build_summary(read_workbook(out), AS_OF)
    # 5 sampled of 200 handled = 2.5 % < 10 %
    assert s["population"]["contacts"] == 200 and s["population"]["fcr"] is None
    assert s["sampling_ratio"] == pytest.approx(0.025)
    assert s["sampling"]["below_min_ratio"] is True
    assert s["sampling"]["population_source"] == "config"


def test_xlsx_export_and_a_map_with_only_the_required_fields(tmp_path: Path) -> None:
    xlsx = tmp_path / "calls.xlsx"
    pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False).to_excel(xlsx, index=False)
    out = tmp_path / "x.xlsx"
    assert main(["sample", str(xlsx), "--map", str(MAP), "-o", str(out), "--lang", "en",
                 "--seed", "1", "--ratio", "0.5"]) == 0  # fmt: skip
    assert len(read_workbook(out).monitoring) == 4  # 4 agents x ceil(0.5 x 2)
    small = tmp_path / "min.toml"
    small.write_text(
        '[columns]\ncontact_id = "Ticket No"\ncontact_time = ["Created Date", "Created Time"]\n'
        'agent_id = "Agent"\n[options]\ndate_format = "%d/%m/%Y %H:%M"\n',
        encoding="utf-8",
    )
    out2 = tmp_path / "m.xlsx"
    assert main(["sample", str(EXAMPLE), "--map", str(small), "-o", str(out2), "--lang", "en",
                 "--seed", "1", "--by", "agent,hour_band", "--min", "5"]) == 0  # fmt: skip
    s = build_summary(read_workbook(out2), AS_OF)
    # --min 5 takes every contact of these small strata; no CSAT, FCR or times in the map
    assert s["population"]["contacts"] == 8 and s["sampling"]["ratio"] == 1.0
    assert s["population"]["fcr"] is None and s["population"]["csat_mean"] is None


def test_a_quarter_report_sums_the_recorded_months(tmp_path: Path) -> None:
    from udfs.core.analysis import analyse
    from workbook_templates.builder import build_workbook

    out = tmp_path / "q.xlsx"
    mon = [
        {"contact_id": f"c{m}{i}", "contact_time": dt.datetime(2026, m, 3 + i), "agent_id": "A"}
        for m in (10, 11, 12)
        for i in range(4)
    ]
    pop = [
        {"period": "2026-10", "contacts": 40, "answered": 38, "fcr": 0.8},
        {"period": "2026-11", "contacts": 50, "answered": 45, "fcr": 0.7},
        {"period": "2026-12", "contacts": 30, "answered": 30, "fcr": 0.9},
    ]
    build_workbook(out, lang="en", monitoring=mon, config_rows={"population": pop})
    data = read_workbook(out)
    an = analyse(data, AS_OF, period="2026-Q4")
    s = build_summary(data, AS_OF, analysis=an)
    # 40 + 50 + 30 = 120 contacts, 38 + 45 + 30 = 113 answered; 12 sampled / 120 = 10 %
    assert s["population"]["contacts"] == 120 and s["population"]["answered"] == 113
    assert s["population"]["fcr"] is None  # a rate cannot be combined without its denominator
    assert s["sampling_ratio"] == pytest.approx(0.1) and s["sampling"]["below_min_ratio"] is False
    # a month missing from the record: no population for the quarter
    q3 = build_summary(data, AS_OF, analysis=analyse(data, AS_OF, period="2026-Q3"))
    assert q3["population"] is None


def test_the_readme_example_prints_what_the_readme_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = "4 of 8 contacts sampled (50.0%) in 4 strata by agent, seed 7; 0 bad values, 0 warnings"
    assert line in readme
    out = tmp_path / "june-qa.xlsx"
    assert main(["sample", str(EXAMPLE), "--map", str(MAP), "-o", str(out), "--ratio", "0.5",
                 "--by", "agent", "--seed", "7", "--lang", "en"]) == 0  # fmt: skip
    assert line in capsys.readouterr().out

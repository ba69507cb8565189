"""The map says what ticket systems export (issue 23, items 1-3): ``[constants]`` and
``[defaults]``, durations derived from two timestamp columns, a linear rescale and value
maps for every field, a value-map target that is not valid for its field refused at load.
Expected figures are computed with pandas from the export, independently of CSQ."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from addin.cli import main
from addin.read.import_map import load_map
from addin.read.ticket_export import import_export
from addin.read.workbook import read_workbook
from udfs.core.errors import UsageError

TICKETS = """Ticket ID,Created,First Response,Resolved,Status,Priority,Channel,Type,Description,Satisfaction
T1,2024-07-01 09:00:00,2024-07-01 09:30:00,2024-07-01 12:00:00,Closed,High,Email,Refund request,I want my money back,9
T2,2024-07-01 10:00:00,2024-07-01 09:00:00,2024-07-02 10:00:00,Closed,Low,Chat,Technical issue,cannot log in,3
T3,2024-07-02 10:00:00,,,Open,Medium,Email,Billing inquiry,unresolved charge,
T4,2024-07-02 11:00:00,2024-07-02 11:00:45,,Open,Low,Social media,Refund request,,10
T5,2024-07-03 08:00:00,garbage,2024-07-03 09:30:00,Closed,High,Chat,Technical issue,,1
T6,2024-07-03 08:10:00,2024-07-03 08:12:00,2024-07-03 20:10:00,Closed,High,Chat,Technical issue,,6
"""
MAP = """[constants]
team = "售后一组"
agent_id = "未分配"

[columns]
contact_id = "Ticket ID"
contact_time = "Created"
first_response_s = { from = "Created", to = "First Response" }
resolution_time_h = { from = "Created", to = "Resolved" }
channel = "Channel"
problem_description = "Description"
csat = { column = "Satisfaction", scale = [1, 10] }

[defaults]
problem_description = "(no text)"

[values.channel]
"Social media" = "social"
"""


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    export = tmp_path / "tickets.csv"
    export.write_text(TICKETS, encoding="utf-8")
    m = tmp_path / "tickets.toml"
    m.write_text(MAP, encoding="utf-8")
    return export, m


def _pandas(export: Path) -> pd.DataFrame:
    """The expected figures, from the export with pandas alone."""
    df = pd.read_csv(export, dtype=str)
    created = pd.to_datetime(df["Created"], errors="coerce")
    first = pd.to_datetime(df["First Response"], errors="coerce", format="%Y-%m-%d %H:%M:%S")
    resolved = pd.to_datetime(df["Resolved"], errors="coerce")
    fr = (first - created).dt.total_seconds()
    res = (resolved - created).dt.total_seconds() / 3600
    sat = pd.to_numeric(df["Satisfaction"])
    return pd.DataFrame(
        {
            "first_response_s": fr.where(fr >= 0),
            "resolution_time_h": res.where(res >= 0),
            # 1-10 onto 1-5: 1 + (x - 1) * 4 / 9, rounded half up
            "csat": np.floor(1 + (sat - 1) * 4 / 9 + 0.5),
        }
    )


def test_constants_defaults_derived_durations_and_rescale(files: tuple[Path, Path]) -> None:
    export, m = files
    got = import_export(export, m, "en")
    want = _pandas(export)
    mon = got.monitoring
    assert mon["team"].tolist() == ["售后一组"] * 6 and mon["agent_id"].tolist() == ["未分配"] * 6
    assert mon["problem_description"].tolist()[2:4] == ["unresolved charge", "(no text)"]
    for key in ("first_response_s", "resolution_time_h", "csat"):
        pd.testing.assert_series_equal(
            mon[key].reset_index(drop=True), want[key], check_names=False, check_dtype=False
        )
    assert mon["first_response_s"].tolist()[3] == 45.0 and mon["csat"].tolist()[:2] == [5.0, 2.0]
    assert mon["channel"].tolist()[3] == "social"
    # T2's first response is before its creation, T5's is no date: each named on its row
    rules = {f.where(): (f.severity, f.rule) for f in got.findings}
    sev, rule = rules["tickets.csv:3"]
    assert sev == "warning" and "'First Response' (2024-07-01 09:00:00) is before 'Created' " \
        "(2024-07-01 10:00:00); the duration is left blank" in rule  # fmt: skip
    sev, rule = rules["tickets.csv:6"]
    assert sev == "error" and "garbage in column 'First Response' is not a date and time" in rule
    assert len(got.findings) == 2


def test_imported_ticket_workbook_validates_clean_apart_from_the_named_rows(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export, m = files
    out = tmp_path / "t.xlsx"
    assert main(["import", str(export), "--map", str(m), "-o", str(out), "--lang", "zh"]) == 1
    assert read_workbook(out).findings == []
    err = capsys.readouterr().err
    assert "tickets.csv:3" in err and "tickets.csv:6" in err


def test_value_maps_work_for_every_field_and_targets_are_checked_at_load(
    tmp_path: Path,
) -> None:
    export = tmp_path / "e.csv"
    export.write_text(
        "Id,When,Who,Sat,Speed\n1,2024-06-01 09:00,A,Very satisfied,quick\n"
        "2,2024-06-01 10:00,B,Unhappy,slow\n3,2024-06-01 11:00,C,4,quick\n",
        encoding="utf-8",
    )
    good = tmp_path / "good.toml"
    good.write_text(
        '[columns]\ncontact_id = "Id"\ncontact_time = "When"\nagent_id = "Who"\n'
        'csat = "Sat"\nspeed = "Speed"\n'
        '[values.csat]\n"Very satisfied" = 5\n"Unhappy" = "1"\n'
        "[values.speed]\nquick = 5\nslow = 2\n",
        encoding="utf-8",
    )
    got = import_export(export, good, "en")
    assert got.monitoring["csat"].tolist() == [5.0, 1.0, 4.0]
    assert got.monitoring["speed"].tolist() == [5.0, 2.0, 5.0]
    assert got.findings == []
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text().replace('"Very satisfied" = 5', '"Very satisfied" = "five"'))
    with pytest.raises(UsageError) as e:
        load_map(bad, "en")
    assert str(e.value) == (
        f"{bad}:8: [values.csat] Very satisfied = 'five': CSAT (1-5): is not a number; "
        "allowed: a whole number from 1 to 5, or blank"
    )
    with pytest.raises(UsageError) as e:
        load_map(bad, "zh")
    assert "满意度(1-5)：不是数字" in str(e.value)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[constants]\ncsat = 7\n", "[constants] csat = 7: CSAT (1-5): not in 1-5"),
        ('[columns]\nteam = { from = "A", to = "B" }\n', "only a time field"),
        ('[columns]\ncsat = { column = "S", scale = [10, 1] }\n', "scale must be two numbers"),
        (
            '[columns]\nteam = { column = "S", scale = [1, 10] }\n',
            "only a number field with a range",
        ),
        ('[columns]\ncsat = { col = "S" }\n', "a table takes either from and to"),
        ("[defaults]\ncsat = 3\n", "[defaults] csat: the field is not mapped"),
        ('[constants]\ncontact_id = "x"\n', "[constants] contact_id: the field is mapped"),
    ],
)
def test_map_mistakes_are_usage_errors(tmp_path: Path, text: str, needle: str) -> None:
    base = '[columns]\ncontact_id = "Id"\ncontact_time = "When"\nagent_id = "Who"\n'
    m = tmp_path / "m.toml"
    # a second [columns] table is not TOML: merge the entries into the first
    if text.startswith("[columns]\n"):
        m.write_text(base + text.removeprefix("[columns]\n"), encoding="utf-8")
    else:
        m.write_text(text + base, encoding="utf-8")
    with pytest.raises(UsageError) as e:
        load_map(m, "en")
    assert needle in str(e.value)


def test_a_map_without_an_agent_column_needs_the_constant(tmp_path: Path) -> None:
    m = tmp_path / "m.toml"
    m.write_text('[columns]\ncontact_id = "Id"\ncontact_time = "When"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="agent_id"):
        load_map(m, "en")
    m.write_text('[constants]\nagent_id = "queue"\n' + m.read_text(), encoding="utf-8")
    assert load_map(m, "en").constants == {"agent_id": "queue"}


MAPS = Path(__file__).resolve().parents[1] / "addin" / "maps"


def test_the_shipped_telephony_example_imports_clean(tmp_path: Path) -> None:
    export = MAPS / "telephony_export.csv"
    got = import_export(export, MAPS / "telephony_map.toml", "en")
    assert got.findings == [] and got.unanswered == 2
    df = pd.read_csv(export, dtype=str, keep_default_na=False)
    mon = got.monitoring
    assert mon["team"].tolist() == ["Hotline"] * len(df)
    talk = pd.to_timedelta(df["AvgTalkDuration"].replace("", None)).dt.total_seconds()
    pd.testing.assert_series_equal(mon["handle_time_s"], talk, check_names=False, check_dtype=False)
    # the default "N" fills the blank Resolved of answered calls only
    assert mon["resolved_first_contact"].isna().tolist() == (df["Answered (Y/N)"] == "N").tolist()
    out = tmp_path / "calls.xlsx"
    assert main(["import", str(export), "--map", str(MAPS / "telephony_map.toml"), "-o",
                 str(out), "--lang", "en"]) == 0  # fmt: skip
    assert read_workbook(out).findings == []


def test_the_shipped_ticket_example_names_the_ticket_without_a_creation_time() -> None:
    export = MAPS / "tickets_export.csv"
    got = import_export(export, MAPS / "tickets_map.toml", "zh")
    assert [(f.where(), f.code) for f in got.findings] == [
        ("tickets_export.csv:5", "required_blank"),  # TK-4: counted and named, not dropped
        ("tickets_export.csv:6", "negative_duration"),  # TK-5: resolved before created
    ]
    assert len(got.monitoring) == 8 and got.monitoring["contact_id"].tolist()[3] == "TK-4"
    raw = pd.read_csv(export, dtype=str)
    sat = pd.to_numeric(raw["满意度"])
    want = np.floor(1 + (sat - 1) * 4 / 9 + 0.5)
    pd.testing.assert_series_equal(
        got.monitoring["csat"], want, check_names=False, check_dtype=False
    )

"""Values found in an export join the imported workbook's Config lists (issue 23, item 4):
``csq import`` and ``csq sample`` say which values they added, and the workbooks they
write validate without a warning about a value the import itself wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from addin.cli import main
from addin.read.workbook import read_workbook

EXPORT = """Id,When,Agent,Topic,Channel,Category,Score,Text
1,2024-06-03 09:00,A1,Billing,Phone,Login failure,5,cannot log in
2,2024-06-03 10:00,A1,Refund,Kiosk,Login failure,4,
3,2024-06-04 11:00,A2,Refund,Phone,物流延误,3,
4,2024-06-04 11:30,A2,inquiry,Kiosk,,3,the agent was rude and slow
5,2024-06-05 11:30,A3,Warranty,phone,login FAILURE,2,
"""
MAP = """[columns]
contact_id = "Id"
contact_time = "When"
agent_id = "Agent"
service_type = "Topic"
channel = "Channel"
problem_category = "Category"
csat = "Score"
problem_description = "Text"
"""


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    export = tmp_path / "calls.csv"
    export.write_text(EXPORT, encoding="utf-8")
    m = tmp_path / "map.toml"
    m.write_text(MAP, encoding="utf-8")
    return export, m


def _validate_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main(["validate", str(path), "--json", "--lang", "en"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("tag", [False, True])
def test_import_adds_the_exports_values_and_validates_clean(
    files: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    tag: bool,
) -> None:
    export, m = files
    out = tmp_path / f"o-{lang}-{tag}.xlsx"
    args = ["import", str(export), "--map", str(m), "-o", str(out), "--lang", lang]
    assert main([*args, "--tag"] if tag else args) == 0
    said = capsys.readouterr().out
    channels, types, cats = (
        ("渠道选项", "服务类型选项", "问题类别选项") if lang == "zh"
        else ("Channel choices", "Service type choices", "Problem category choices")
    )  # fmt: skip
    assert f"added to the Config list {channels!r}: Kiosk\n" in said
    assert f"added to the Config list {types!r}: Refund, Warranty\n" in said  # Billing is built in
    # one entry per category whatever its case; the first spelling found
    assert f"added to the Config list {cats!r}: Login failure, 物流延误" in said
    doc = _validate_json(out, capsys)
    assert doc["findings"] == [] and doc["warnings"] == 0
    data = read_workbook(out)
    assert data.monitoring["channel"].tolist()[:2] == ["phone", "Kiosk"]
    assert data.monitoring["service_type"].tolist() == [
        "billing", "Refund", "Refund", "inquiry", "Warranty"
    ]  # fmt: skip
    listed = [r["value"] for r in data.config_tables["choices.service_type"]]
    assert listed[-2:] == ["Refund", "Warranty"]


def test_sample_adds_the_exports_values_and_validates_clean(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export, m = files
    out = tmp_path / "s.xlsx"
    args = ["sample", str(export), "--map", str(m), "-o", str(out), "--lang", "en", "--ratio", "1"]
    assert main([*args, "--seed", "3"]) == 0
    said = capsys.readouterr().out
    assert "added to the Config list 'Service type choices': Refund, Warranty" in said
    doc = _validate_json(out, capsys)
    assert doc["findings"] == []


def test_before_item_4_the_same_export_gave_errors(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The values are accepted, not dropped: every row keeps its own service type."""
    export, m = files
    out = tmp_path / "o.xlsx"
    assert main(["import", str(export), "--map", str(m), "-o", str(out), "--lang", "en"]) == 0
    assert "0 bad values, 0 warnings" in capsys.readouterr().out

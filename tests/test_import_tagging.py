"""``csq import --tag`` on English ticket texts (issue 23, item 8): keywords matched as
words with simple stemming, the keyword table from ``--keywords FILE`` (a CSV or a CSQ
workbook's Config keywords), the rows tagged per category in the summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from addin.cli import main
from addin.read.workbook import read_workbook
from udfs.core.errors import UsageError
from workbook_templates.builder import build_workbook

EXPORT = """Id,When,Agent,Text
1,2024-06-03 09:00,A1,Issue unresolved after two calls
2,2024-06-03 10:00,A1,they never resolved it
3,2024-06-04 11:00,A2,Requested refunds twice
4,2024-06-04 11:30,A2,long waiting time
5,2024-06-04 11:30,A2,nice
"""
MAP = '[columns]\ncontact_id="Id"\ncontact_time="When"\nagent_id="Agent"\nproblem_description="Text"\n'


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "t.csv").write_text(EXPORT, encoding="utf-8")
    (tmp_path / "m.toml").write_text(MAP, encoding="utf-8")
    return tmp_path / "t.csv", tmp_path / "m.toml"


def test_keywords_from_a_csv_tag_english_words_and_the_summary_counts_per_category(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export, m = files
    kw = tmp_path / "kw.csv"
    kw.write_text("keyword,category,polarity\nresolve,Not resolved,\nrefund,Refund,negative\n"
                  "long wait,Long wait\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "o.xlsx"
    args = ["import", str(export), "--map", str(m), "-o", str(out), "--lang", "en", "--tag"]
    assert main([*args, "--keywords", str(kw)]) == 0
    said = capsys.readouterr().out
    assert "4 blank problem category(ies) filled" in said
    assert "  Not resolved: 2\n  Refund: 1\n  Long wait: 1\n" in said
    cats = read_workbook(out).monitoring["problem_category"].tolist()
    assert cats == ["Not resolved", "Not resolved", "Refund", "Long wait", None]


def test_keywords_from_a_workbooks_config(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export, m = files
    book = build_workbook(
        tmp_path / "team.xlsx",
        lang="en",
        config_rows={"keywords": [{"keyword": "refund", "category": "Money back",
                                   "polarity": "negative"}]},
    )  # fmt: skip
    out = tmp_path / "o.xlsx"
    args = ["import", str(export), "--map", str(m), "-o", str(out), "--lang", "en", "--tag"]
    assert main([*args, "--keywords", str(book)]) == 0
    assert "  Money back: 1\n" in capsys.readouterr().out


def test_a_bad_keyword_file_is_a_usage_error(tmp_path: Path) -> None:
    from addin.read.keywords_file import load_keywords

    bad = tmp_path / "kw.csv"
    bad.write_text("refund\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"kw.csv:1: expected keyword,category"):
        load_keywords(bad, "en")

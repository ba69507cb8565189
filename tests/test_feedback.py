"""``csq feedback``: one workbook per agent with only that agent's figures and contacts.

May 2024, three agents with five contacts each (all answered, rubric dimensions per agent):
- E101: knowledge 2, the other five dimensions 5 -> score (85*100 + 15*40)/100 = 91; CSAT 5.
- E202: every dimension 4 -> 80; CSAT 4.   - E303: every dimension 3 -> 60; CSAT 3.
Team mean QA score (5*91 + 5*80 + 5*60)/15 = 77.  One of E202's QC notes names E101; the
action on E101's problem is owned by E202 and its measure names E303.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from addin.cli import main
from addin.read.workbook import read_workbook
from udfs.core.analysis import analyse
from udfs.core.feedback import agent_feedback, rank_band

AS_OF = dt.date(2024, 6, 10)
AGENTS = ("E101", "E202", "E303")
DIMS = ("speed", "attitude", "solving", "knowledge", "satisfaction", "records")
LEVELS = {"E101": {"*": 5, "knowledge": 2}, "E202": {"*": 4}, "E303": {"*": 3}}
PROBLEM = {"E101": "解答错误", "E202": None, "E303": "等待过长"}


def _customer(n: int) -> str:
    return f"1390000{1000 + n}"


def _workbook(path: Path) -> Path:
    from workbook_templates.builder import build_workbook

    rows = []
    n = 0
    for a, agent in enumerate(AGENTS):
        for i in range(5):
            n += 1
            lv = LEVELS[agent]
            rows.append(
                {
                    "contact_id": f"C-{n:04d}",
                    "contact_time": pd.Timestamp(f"2024-05-{2 + a * 7 + i:02d} 10:00"),
                    "channel": "phone",
                    "agent_id": agent,
                    "reviewer": "质检-周",
                    "customer_id": _customer(n),
                    "answered": "Y",
                    "resolved_first_contact": "Y",
                    "first_response_s": 20.0,
                    "csat": float(lv["*"]),
                    **{d: float(lv.get(d, lv["*"])) for d in DIMS},
                    "problem_category": PROBLEM[agent],
                    "problem_description": f"描述 {n}",
                    "qc_note": "参考 E101 的优秀录音"
                    if agent == "E202" and i == 0
                    else f"备注 {n}",
                }
            )
    actions = pd.DataFrame(
        [
            {
                "action_no": "1",
                "measure": "知识库更新，由 E303 带教",
                "problem": "解答错误",
                "owner": "E202",
                "planned_date": pd.Timestamp("2024-05-20"),
            },
            {
                "action_no": "2",
                "measure": "晚班增员",
                "problem": "等待过长",
                "owner": "王敏",
                "planned_date": pd.Timestamp("2024-06-30"),
            },
        ]
    )
    from udfs.core.config import ScoringConfig

    build_workbook(
        path,
        lang="zh",
        monitoring=pd.DataFrame(rows),
        actions=actions,
        config=ScoringConfig(min_agent_sample=5),
        as_of=AS_OF,
    )
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("fb")
    src = _workbook(d / "team.xlsx")
    out = d / "out"
    assert main(["feedback", str(src), "-o", str(out), "--as-of", AS_OF.isoformat()]) == 0
    found = {p.name.split(".")[1]: p for p in out.glob("*.feedback.xlsx")}
    assert set(found) == set(AGENTS)
    return found


def test_no_other_agent_and_no_customer_id_in_any_part(files: dict[str, Path]) -> None:
    customers = [_customer(n) for n in range(1, 16)]
    for agent, path in files.items():
        seen_self = False
        with zipfile.ZipFile(path) as z:
            for part in z.namelist():
                text = z.read(part).decode("utf-8", errors="replace")
                for other in AGENTS:
                    if other != agent:
                        assert other not in text, (agent, part, other)
                for c in customers:
                    assert c not in text, (agent, part, c)
                seen_self |= agent in text
        assert seen_self, agent


def _cells(path: Path, sheet: str) -> list[list]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _row(rows: list[list], first: str) -> list:
    return next(r for r in rows if r[0] == first)


def test_figures_beside_the_team(files: dict[str, Path]) -> None:
    rows = _cells(files["E101"], "个人反馈")
    qa = _row(rows, "质检均分")
    assert qa[1:4] == [pytest.approx(91), pytest.approx(77), pytest.approx(14)]
    # contacts beside the per-agent average (15 contacts / 3 agents), not the team's total
    assert _row(rows, "联系数")[1:4] == [5, 5, 0]
    assert _row(rows, "排名区间")[1] == "3 名排名客服中的前 1/3"
    assert "后 1/3" in _row(_cells(files["E303"], "个人反馈"), "排名区间")[1]
    # knowledge: E101 2 against the team (2+4+3)/3 = 3 -> -1, the weakness, with its advice
    weak_at = next(i for i, r in enumerate(rows) if r[0] == "不足")
    weak = rows[weak_at + 2]
    assert weak[0] == "专业知识" and weak[3] == pytest.approx(-1)
    assert "95" in weak[4]  # product training with an exam, pass mark 95
    strong_at = next(i for i, r in enumerate(rows) if r[0] == "优势")
    assert rows[strong_at + 2][3] == pytest.approx(1)  # e.g. speed 5 against 4


def test_own_cases_and_linked_actions_only(files: dict[str, Path]) -> None:
    cases = _cells(files["E303"], "我的案例")
    ids = {r[0] for r in cases if isinstance(r[0], str) and r[0].startswith("C-")}
    assert ids and ids <= {f"C-{n:04d}" for n in range(11, 16)}  # E303's contacts 11-15
    # E101's contacts score 91 but all carry a problem: neither good cases nor below Good
    e101 = _cells(files["E101"], "我的案例")
    assert not [r for r in e101 if isinstance(r[0], str) and r[0].startswith("C-")]
    e202 = _cells(files["E202"], "我的案例")
    assert any(r[9] == "参考 *** 的优秀录音" for r in e202)  # E101's id removed from the note
    acts = _cells(files["E101"], "改进行动")
    listed = [r for r in acts if r[0] in ("1", "2")]
    assert [r[0] for r in listed] == ["1"]  # linked to 解答错误, E101's problem
    assert listed[0][1] == "知识库更新，由 *** 带教" and listed[0][3] is None  # owner E202
    assert [r[0] for r in _cells(files["E303"], "改进行动") if r[0] in ("1", "2")] == ["2"]


def test_core_view_counts_what_it_hid(tmp_path: Path) -> None:
    data = read_workbook(_workbook(tmp_path / "t.xlsx"))
    views = {v.agent_id: v for v in agent_feedback(data, analyse(data, AS_OF))}
    assert views["E101"].others_hidden == 1  # E303 in the measure (owner E202 is left blank)
    # E101 in the QC note; E303 in the measure of action 1, which E202 owns
    assert views["E202"].others_hidden == 2
    assert [views[a].band for a in AGENTS] == ["top", "middle", "bottom"]


@pytest.mark.parametrize(
    "rank,ranked,band",
    [(1, 1, "top"), (1, 2, "top"), (2, 2, "bottom"), (2, 3, "middle"), (4, 10, "top"),
     (5, 10, "middle"), (6, 10, "middle"), (7, 10, "bottom"), (None, 5, None)],
)  # fmt: skip
def test_rank_bands(rank: int | None, ranked: int, band: str | None) -> None:
    # a third of 10 ranked agents is ceil(10/3) = 4: ranks 1-4 top, 7-10 bottom, 5-6 middle
    assert rank_band(rank, ranked) == band


def test_usage_errors_and_rejected_inputs(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = _workbook(tmp_path / "u.xlsx")
    assert main(["feedback", str(src), "-o", str(tmp_path / "o"), "--period", "2024-Q9"]) == 2
    assert "YYYY-Qn" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["feedback", str(src)])  # -o is required
    assert exc.value.code == 2
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    assert main(["feedback", str(src), str(bad), "-o", str(tmp_path / "o2")]) == 1
    out = capsys.readouterr().out
    assert "notes.xlsx" in out and "3" in out
    assert len(list((tmp_path / "o2").glob("*.feedback.xlsx"))) == 3


def test_ribbon_button_writes_the_same_files(tmp_path: Path) -> None:
    from addin.excel.ribbon import FileBook, on_button

    src = _workbook(tmp_path / "r.xlsx")
    text = on_button("csqFeedback", FileBook(src))
    folder = tmp_path / "r-feedback"
    assert sorted(p.name for p in folder.glob("*.feedback.xlsx")) == [
        f"r.{a}.feedback.xlsx" for a in AGENTS
    ]
    assert "3" in text and "r-feedback" in text


def test_a_rejected_workbook_is_worded_in_the_message_language(tmp_path: Path) -> None:
    from addin.jobs.feedback import feedback_one

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Monitoring"  # an English workbook without its Contact time column
    ws.append(["Contact ID", "Agent ID"])
    ws.append(["C1", "A1"])
    wb.save(tmp_path / "hand.xlsx")
    files, period, reason = feedback_one(
        str(tmp_path / "hand.xlsx"), tmp_path, None, None, None, "zh"
    )
    assert (files, period) == ([], None)
    assert (
        reason
        == "Monitoring: 缺少必需的列 联系时间 (Contact time)（表头行 1：Contact ID, Agent ID）"
    )

"""Issue 19 in the Word report and the deck: one chapter per segment (``--by``), the special
evaluation named on the cover (``--where``), the roll-up's team comparison (``--combine``,
written in the same formats as a single report) and the "vs P" column (``--compare``).

Every figure read back from the docx/pptx is checked against summary.json, and at least
one per feature against pandas over the test's own rows (never the code's own tables)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from docx import Document
from pptx import Presentation
from report_fixtures import AS_OF

from addin.cli import main
from udfs.core.config import ScoringConfig
from workbook_templates.builder import build_workbook

TYPES = ["inquiry", "complaint", "technical", "billing"]
ZH_TYPES = {"inquiry": "咨询", "complaint": "投诉", "technical": "技术支持", "billing": "账务"}


def _rows(n: int, team: str, seed: int, start: str = "2026-10-01", days: int = 28) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp(start)
    return pd.DataFrame(
        {
            "contact_id": [f"{team}-{seed}-{i:04d}" for i in range(n)],
            "contact_time": [
                t0 + pd.Timedelta(hours=int(h)) for h in rng.integers(0, 24 * days, n)
            ],
            "channel": rng.choice(["phone", "chat"], n),
            "service_type": [TYPES[i % 4] if i % 17 else "repair" for i in range(n)],
            "team": team,
            "agent_id": [f"{team}-A{i % 4}" for i in range(n)],
            "customer_id": [f"CU{int(x)}" for x in rng.integers(0, 60, n)],
            "first_response_s": rng.integers(5, 90, n).astype(float),
            "answered": rng.choice(["Y", "Y", "Y", "N"], n),
            "resolved_first_contact": rng.choice(["Y", "N", "Y"], n),
            "csat": rng.integers(1, 6, n).astype(float),
            "speed": rng.integers(2, 6, n).astype(float),
            "attitude": rng.integers(2, 6, n).astype(float),
            "problem_category": rng.choice(["等待过长", "态度", "流程", None], n),
        }
    )


def _book(path: Path, mon: pd.DataFrame, lang: str = "zh") -> Path:
    build_workbook(path, lang=lang, monitoring=mon, config=ScoringConfig(), as_of=AS_OF)
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    try:
        rc = main(list(argv))
    except SystemExit as exc:
        rc = int(exc.code or 0)
    return rc, capsys.readouterr().out


def _blocks(path: Path) -> list[tuple[str, Any]]:
    """The docx body in order: ("h1", text), ("p", text), ("caption", text), ("table", rows)."""
    doc = Document(str(path))
    paras = {p._p: p for p in doc.paragraphs}
    tables = {t._tbl: t for t in doc.tables}
    out: list[tuple[str, Any]] = []
    for el in doc.element.body.iterchildren():
        if el in paras:
            p = paras[el]
            kind = {"Heading 1": "h1", "Caption": "caption"}.get(p.style.name, "p")
            out.append((kind, p.text))
        elif el in tables:
            out.append(("table", [[c.text for c in r.cells] for r in tables[el].rows]))
    return out


def _chapter(blocks: list[tuple[str, Any]], title_part: str) -> list[tuple[str, Any]]:
    """The blocks of the Heading-1 chapter whose title holds ``title_part``."""
    start = next(i for i, (k, t) in enumerate(blocks) if k == "h1" and title_part in t)
    end = next((i for i in range(start + 1, len(blocks)) if blocks[i][0] == "h1"), len(blocks))
    return blocks[start:end]


def _num(cell: str) -> float:
    m = re.search(r"[-+]?\d+(?:\.\d+)?", cell)
    assert m, cell
    v = float(m.group(0))
    return -v if cell.startswith("-") and v > 0 else v


def test_by_service_type_gives_one_docx_chapter_and_one_slide_per_segment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mon = _rows(400, "北区", 11)
    book = _book(tmp_path / "team.xlsx", mon)
    out = tmp_path / "out"
    rc, text = _run(capsys, "report", str(book), "-o", str(out), "--as-of", AS_OF.isoformat(),
                    "--by", "service_type", "--format", "docx,pptx")  # fmt: skip
    assert rc == 0, text
    summary = json.loads((out / "team.summary.json").read_text(encoding="utf-8"))
    rows = summary["segments"]["rows"]
    blocks = _blocks(out / "team.report.docx")
    heads = [t for k, t in blocks if k == "h1"]
    # the segments as pandas counts them: the period's contacts by service type
    period = mon[pd.to_datetime(mon["contact_time"]).dt.strftime("%Y-%m") == summary["period"]]
    counts = period["service_type"].value_counts()
    for key, zh in ZH_TYPES.items():
        row = next(r for r in rows if r["value"] == key)
        assert row["contacts"] == counts[key]
        assert sum(zh in h for h in heads) == 1, (zh, heads)  # one chapter per segment
        ch = _chapter(blocks, f"{zh}类")
        first = next(t for k, t in ch if k == "p")
        assert f"{counts[key]}条服务记录" in first
        assert f"{counts[key] / len(period):.1%}" in first  # share of contacts, by pandas
        table = next(t for k, t in ch if k == "table")
        assert table[0][:3] == ["指标", zh, "整体"]
        cells = {r[0]: r for r in table[1:]}
        assert _num(cells["综合得分"][1]) == pytest.approx(row["composite_score"], abs=0.05)
        assert _num(cells["综合得分"][2]) == pytest.approx(summary["composite_score"], abs=0.05)
        assert _num(cells["首次解决率"][1]) == pytest.approx(row["fcr"] * 100, abs=0.05)
        assert _num(cells["重复来电率"][1]) == pytest.approx(row["repeat_rate"] * 100, abs=0.05)
        # CSAT 4-5 share of the segment, computed by pandas on the test's rows
        rated = period.loc[period["service_type"] == key, "csat"].dropna()
        assert _num(cells["满意率(4-5分)"][1]) == pytest.approx((rated >= 4).mean() * 100, abs=0.05)
        top = row["pareto"][0]
        assert any(f"“{top['problem']}”{top['count']}次" in t for k, t in ch if k == "p")
    # "repair" (i % 17 == 0: fewer than 30 contacts) is grouped as Other and named
    other = next(r for r in rows if r["value"] == "__other__")
    assert other["contacts"] == counts["repair"] < 30
    assert any("其他" in h for h in heads)
    # the deck: one slide per segment chapter, its title the chapter's
    deck = Presentation(str(out / "team.report.pptx"))
    labels = [s.shapes[0].text_frame.text for s in deck.slides if len(s.shapes) > 1]
    for zh in ZH_TYPES.values():
        assert labels.count(f"{zh}类服务质量分析") == 1, labels


def test_where_names_the_special_evaluation_on_the_cover_and_title_slide(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mon = _rows(160, "北区", 12)
    book = _book(tmp_path / "team.xlsx", mon)
    for lang, words in (("zh", "专项评价：技术支持"), ("en", "Special evaluation: Technical")):
        out = tmp_path / lang
        rc, text = _run(capsys, "report", str(book), "-o", str(out), "--as-of", AS_OF.isoformat(),
                        "--where", "service_type=technical", "--format", "docx,pptx",
                        "--lang", lang)  # fmt: skip
        assert rc == 0, text
        summary = json.loads((out / "team.summary.json").read_text(encoding="utf-8"))
        assert summary["filter"]["text"].startswith(words)
        blocks = _blocks(out / "team.report.docx")
        cover = [t for k, t in blocks[:12] if k == "p" and t]
        title = Document(str(out / "team.report.docx")).paragraphs[6].text
        assert ("专项评价" if lang == "zh" else "special evaluation") in title
        assert any(t.startswith(words) for t in cover), cover
        # the figures are the technical contacts' only (pandas)
        period = mon[pd.to_datetime(mon["contact_time"]).dt.strftime("%Y-%m") == summary["period"]]
        n = int((period["service_type"] == "technical").sum())
        assert summary["contacts"] == n
        scope_line = next(t for t in cover if t.startswith(words))
        assert str(n) in scope_line
        deck = Presentation(str(out / "team.report.pptx"))
        first = " ".join(sh.text_frame.text for sh in deck.slides[0].shapes if sh.has_text_frame)
        assert words in first
        if lang == "zh":
            assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", title + scope_line)


def test_combine_writes_the_docx_whose_team_table_equals_summary_teams(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parts = [_rows(60, "北区", 1), _rows(45, "南区", 2), _rows(35, "东区", 3)]
    books = [_book(tmp_path / f"{n}.xlsx", p) for n, p in zip(("n", "s", "e"), parts, strict=True)]
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    out = tmp_path / "out"
    rc, text = _run(capsys, "report", *map(str, books), str(tmp_path / "broken.xlsx"),
                    "--combine", "客服部", "-o", str(out), "--as-of", AS_OF.isoformat())  # fmt: skip
    assert rc == 1  # one input rejected; the department report is still written
    # no --format, no Config cell: xlsx and docx, as a single report
    assert sorted(p.name for p in out.iterdir()) == [
        "客服部.report.docx", "客服部.report.xlsx", "客服部.summary.json",
    ]  # fmt: skip
    assert str(out / "客服部.report.docx") in text
    summary = json.loads((out / "客服部.summary.json").read_text(encoding="utf-8"))
    blocks = _blocks(out / "客服部.report.docx")
    cover = " ".join(t for k, t in blocks[:12] if k == "p")
    assert all(t in cover for t in ("客服部", "共3个班组", "北区", "南区", "东区")), cover
    assert "缺少broken的数据" in cover  # the team the department report lacks
    ch = _chapter(blocks, "班组对比")
    table = next(t for k, t in ch if k == "table")
    head = table[0]
    body = [r for r in table[1:] if r[0] != "目标值"]
    got = {
        r[0]: (int(r[1]), _num(r[head.index("综合得分（等级）")]), int(r[head.index("排名")]))
        for r in body
    }
    want = {
        r["team"]: (r["contacts"], float(f"{r['composite_score']:.1f}"), r["rank"])
        for r in summary["teams"]["rows"]
    }
    assert got == want
    for r in summary["teams"]["rows"]:  # the KPI columns too
        line = next(x for x in body if x[0] == r["team"])
        assert _num(line[head.index("首次解决率")]) == pytest.approx(r["fcr"] * 100, abs=0.05)
        assert _num(line[head.index("客户满意率")]) == pytest.approx(r["csat_pct"] * 100, abs=0.05)
        grade = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}[r["grade"]]
        assert line[head.index("综合得分（等级）")].endswith(f"（{grade}）")
    # each team's contacts in the period, by pandas over the test's rows
    for part in parts:
        t = pd.to_datetime(part["contact_time"]).dt.strftime("%Y-%m") == summary["period"]
        assert got[part["team"].iloc[0]][0] == int(t.sum())
    best = min(summary["teams"]["rows"], key=lambda r: r["rank"])
    assert any(t.startswith(f"{best['team']}综合得分最高") for k, t in ch if k == "p")
    # --format pptx: the deck (with its team slide) and the summary, nothing else
    out2 = tmp_path / "out2"
    rc, text = _run(capsys, "report", *map(str, books), "--combine", "客服部", "-o", str(out2),
                    "--as-of", AS_OF.isoformat(), "--format", "pptx")  # fmt: skip
    assert rc == 0, text
    assert sorted(p.name for p in out2.iterdir()) == ["客服部.report.pptx", "客服部.summary.json"]
    deck = Presentation(str(out2 / "客服部.report.pptx"))
    assert any(s.shapes[0].text_frame.text == "班组对比" for s in deck.slides if len(s.shapes) > 1)


def test_compare_column_equals_summary_and_pandas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    now = _rows(150, "北区", 21)
    base = _rows(300, "北区", 22, start="2026-01-05", days=170)
    base["csat"] = np.where(np.arange(300) % 2 == 0, 2.0, 5.0)  # half satisfied in H1
    book = _book(tmp_path / "team.xlsx", pd.concat([now, base], ignore_index=True))
    out = tmp_path / "out"
    rc, text = _run(capsys, "report", str(book), "-o", str(out), "--as-of", AS_OF.isoformat(),
                    "--compare", "2026-H1", "--format", "docx")  # fmt: skip
    assert rc == 0, text
    summary = json.loads((out / "team.summary.json").read_text(encoding="utf-8"))
    changes = summary["compare"]["changes"]
    blocks = _blocks(out / "team.report.docx")
    ch = _chapter(blocks, "整体评分")
    table = next(t for k, t in ch if k == "table")
    assert table[0][-1] == "较2026年上半年"
    rows = {r[0]: r for r in table[1:]}
    for name, key in (
        ("首次解决率", "fcr"),
        ("满意率(4-5分)", "csat_pct"),
        ("综合得分", "composite_score"),
    ):
        cell = rows[name][-1]
        if key != "composite_score":
            assert cell.endswith("个百分点"), cell  # a rate gap in percentage points
            assert _num(cell) == pytest.approx(changes[key] * 100, abs=0.05)
        else:
            assert _num(cell) == pytest.approx(changes[key], abs=0.05)
    # the CSAT 4-5 change by pandas: this period's share minus H1's (0.5)
    period = now[pd.to_datetime(now["contact_time"]).dt.strftime("%Y-%m") == summary["period"]]
    want = ((period["csat"].dropna() >= 4).mean() - 0.5) * 100
    assert _num(rows["满意率(4-5分)"][-1]) == pytest.approx(want, abs=0.05)
    # the summary cites the baseline
    summary_paras = _chapter(blocks, "执行摘要")
    assert any("较2026年上半年" in t for k, t in summary_paras if k == "p")
    # and the indicators table has the "vs P" column too
    ind = next(t for k, t in _chapter(blocks, "分项指标分析") if k == "table")
    assert ind[0][-1] == "较2026年上半年"

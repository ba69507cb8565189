"""The zh and en reports render as PDF through LibreOffice, with legible text and charts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from report_fixtures import AS_OF, workbook_data

from addin.report.xlsx import write_report


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required (CI installs it in .ci/run)"
    d = tmp_path_factory.mktemp("pdf")
    data = workbook_data()
    books = [
        write_report(data, d / f"r_{lang}.xlsx", lang=lang, as_of=AS_OF) for lang in ("zh", "en")
    ]
    profile = (d / "lo_profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(d), *map(str, books)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return {"zh": d / "r_zh.pdf", "en": d / "r_en.pdf"}


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )


def test_chinese_report_pdf_has_cjk_text_and_figures(pdfs: dict[str, Path]) -> None:
    text = _text(pdfs["zh"])
    for expected in ("客服质量评价报告", "综合得分", "74.63", "合格", "问题帕累托分析", "逾期 9 天",
                     "数据质量问题", "****0004"):  # fmt: skip
        assert expected in text, expected
    assert "13800138000" not in text and "CU000004" not in text
    assert _pages(pdfs["zh"]) >= 10  # every report sheet prints


def test_english_report_pdf(pdfs: dict[str, Path]) -> None:
    text = _text(pdfs["en"])
    for expected in ("Customer-service quality report", "Overall composite score", "74.63",
                     "Pass", "Overdue by 9 days", "Agent ranking"):  # fmt: skip
        assert expected in text, expected


def test_charts_are_drawn_in_the_pdf(pdfs: dict[str, Path], tmp_path: Path) -> None:
    # chart titles are drawn text in the PDF (source, period and unit)
    text = _text(pdfs["en"])
    assert "Problem Pareto (contacts; cumulative %)" in text
    assert "QA score and composite score trend (points 0-100)" in text
    # the Pareto page has coloured bars, lines and the pie: count strongly coloured pixels
    pareto = _page_with(pdfs["en"], "Problem Pareto (report period)")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", str(pareto), "-l", str(pareto), str(pdfs["en"]),
         str(tmp_path / "p")],
        check=True,
    )  # fmt: skip
    assert _coloured_pixels(next(tmp_path.glob("p*.ppm"))) > 2000
    # the Data-quality page is text only
    dq = _page_with(pdfs["en"], "Data-quality findings (identical ones on one row)")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", str(dq), "-l", str(dq), str(pdfs["en"]),
         str(tmp_path / "q")],
        check=True,
    )  # fmt: skip
    assert _coloured_pixels(next(tmp_path.glob("q*.ppm"))) < 500


def _page_with(pdf: Path, text: str) -> int:
    for page in range(1, _pages(pdf) + 1):
        out = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        if text in out:
            return page
    raise AssertionError(f"no page shows {text!r}")


def test_every_page_is_landscape_and_the_overview_is_one_page(pdfs: dict[str, Path]) -> None:
    for lang in ("zh", "en"):
        info = subprocess.run(
            ["pdfinfo", "-f", "1", "-l", str(_pages(pdfs[lang])), str(pdfs[lang])],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        sizes = [
            x.split(":", 1)[1] for x in info.splitlines() if x.startswith("Page") and "size:" in x
        ]
        for size in sizes:  # "842 x 595 pts (A4)": wider than high
            w, h = (float(x) for x in size.split("pts")[0].split(" x "))
            assert w > h, size
    findings = "Findings and recommendations"
    assert _page_with(pdfs["en"], findings) == 2  # the Overview fits page 1


def _coloured_pixels(ppm: Path) -> int:
    """Pixels whose channels differ by more than 100 (chart colours, not black/grey text)."""
    raw = ppm.read_bytes()
    parts = raw.split(maxsplit=4)  # P6, width, height, maxval, data
    assert parts[0] == b"P6"
    data = parts[4]
    n = 0
    for i in range(0, len(data) - 2, 3):
        r, g, b = data[i], data[i + 1], data[i + 2]
        if max(r, g, b) - min(r, g, b) > 100:
            n += 1
    return n

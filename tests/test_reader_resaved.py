"""A workbook saved again by another office suite reads the same.

Teams open the standard workbook in LibreOffice or WPS and save it: shared strings
instead of inline ones, other styles, other XML.  LibreOffice re-saves the fixture
workbook; the reader must find the same table, and both the loaded (calamine) and the
sliced path (calamine a slice at a time) must give the same summary as the original.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from report_fixtures import AS_OF, build_fixture_workbook

from addin.read.workbook import read_workbook
from addin.report.summary import build_summary

_VOLATILE = {"input", "input_sha256"}


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required (CI installs it in .ci/run)"
    d = tmp_path_factory.mktemp("resave")
    original = build_fixture_workbook(d / "team_t1.xlsx")
    out = d / "lo"
    subprocess.run(
        [soffice, f"-env:UserInstallation={(d / 'profile').as_uri()}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(original)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    resaved = out / "team_t1.xlsx"
    assert resaved.read_bytes() != original.read_bytes()
    return original, resaved


@pytest.mark.parametrize("stream_above", [None, 0], ids=["calamine", "slices"])
def test_resaved_workbook_gives_the_same_table_and_summary(books, stream_above) -> None:
    original, resaved = books
    a = read_workbook(original)
    b = read_workbook(resaved) if stream_above is None else read_workbook(resaved, stream_above=0)
    pd.testing.assert_frame_equal(a.monitoring, b.monitoring)
    pd.testing.assert_frame_equal(a.actions, b.actions)
    pd.testing.assert_frame_equal(a.problems, b.problems)
    assert [str(f) for f in a.findings] == [str(f) for f in b.findings]
    sa, sb = build_summary(a, AS_OF), build_summary(b, AS_OF)
    assert {k: v for k, v in sa.items() if k not in _VOLATILE} == {
        k: v for k, v in sb.items() if k not in _VOLATILE
    }
    assert sa["contacts"] == 8  # the fixture's report period, worked out by hand

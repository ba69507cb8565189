"""The worksheet functions the portable variant uses (docs/addin.md and docs/templates.md
name them for WPS and other programs, where the variant was never opened).

A new function in a portable formula must be added here *and* to the docs' list, after
checking that the programs the docs name support it.
"""

from __future__ import annotations

import re
import zipfile

import pytest

from workbook_templates.builder import build_workbook
from workbook_templates.example_rows import monitoring_rows

# the list docs/addin.md and docs/templates.md give, written out by hand
DOCUMENTED = {
    "AND", "COUNTIF", "IF", "INDEX", "INT", "ISNA", "ISNUMBER", "LEN", "LOWER", "MATCH",
    "MAX", "N", "NOT", "OR", "ROUND", "ROW", "SUM", "SUMPRODUCT", "TODAY", "TRIM",
    "COUNTA", "OFFSET",  # the print area only (docs/templates.md, *Printing*)
}  # fmt: skip


def _formulas(path) -> list[str]:
    out: list[str] = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode()
                out += re.findall(r"<f(?: [^>]*[^/])?>(.*?)</f>", xml, re.S)
                out += re.findall(r"<formula1?>(.*?)</formula1?>", xml, re.S)
            elif name == "xl/workbook.xml":
                out += re.findall(
                    r"<definedName [^>]*[^/]>(.*?)</definedName>", z.read(name).decode()
                )
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_portable_formulas_use_only_the_documented_functions(tmp_path, lang):
    path = build_workbook(
        tmp_path / "p.xlsx", lang=lang, portable=True, monitoring=monitoring_rows(20, lang)
    )
    formulas = _formulas(path)
    assert len(formulas) > 100  # the sheets' formulas were found
    # function names, outside text literals ("N") and column names ([满意度(1-5)])
    bare = [re.sub(r"\[[^\]]*\]|&quot;[^&]*&quot;|\"[^\"]*\"", "", f) for f in formulas]
    used = {f for text in bare for f in re.findall(r"([A-Za-z_][A-Za-z0-9_.]*)\(", text)}
    assert used == DOCUMENTED
    assert not [f for f in formulas if "_xlfn" in f or re.search(r"CSQ_\w+\(", f)]

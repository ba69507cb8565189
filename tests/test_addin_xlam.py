"""dist/csq.xlam as Excel will see it, checked on Linux without Excel.

The package must be a valid Open XML package with the CSQ ribbon, the ribbon XML must
validate against Microsoft's customUI schema, oletools must read every VBA module back
with the source we wrote, every CSQ_ function must have its VBA wrapper, and two builds
must give the same bytes.
"""

from __future__ import annotations

import inspect
import io
import posixpath
import re
import zipfile
from pathlib import Path

import olefile
import pytest
from lxml import etree
from oletools.olevba import VBA_Parser

from addin.excel import xlam
from addin.excel.ribbon import ACTIONS
from udfs.functions import FUNCTIONS

ROOT = Path(__file__).resolve().parents[1]
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CUI = "{http://schemas.microsoft.com/office/2009/07/customui}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return xlam.build(tmp_path_factory.mktemp("addin") / "csq.xlam")


@pytest.fixture(scope="module")
def parts(built) -> dict[str, bytes]:
    with zipfile.ZipFile(built) as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture(scope="module")
def modules(built) -> dict[str, str]:
    parser = VBA_Parser(str(built))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def test_two_builds_give_identical_bytes(built, tmp_path):
    again = xlam.build(tmp_path / "again.xlam")
    assert again.read_bytes() == built.read_bytes()


def test_build_script_and_cli_write_the_same_add_in(built, tmp_path):
    import subprocess
    import sys

    from addin.cli import main

    assert main(["addin", "build", "-o", str(tmp_path / "cli.xlam")]) == 0
    out = tmp_path / "script.xlam"
    subprocess.run([sys.executable, str(ROOT / "build" / "build_addin.py"), str(out)], check=True)
    assert (tmp_path / "cli.xlam").read_bytes() == built.read_bytes() == out.read_bytes()


def test_every_xml_part_parses_and_has_a_content_type(parts):
    types = etree.fromstring(parts["[Content_Types].xml"])
    defaults = {d.get("Extension").lower() for d in types.iter(f"{CT}Default")}
    overrides = {o.get("PartName") for o in types.iter(f"{CT}Override")}
    for name, data in parts.items():
        if name.endswith((".xml", ".rels")):
            etree.fromstring(data)  # raises on malformed XML
        if name != "[Content_Types].xml":
            ext = name.rsplit(".", 1)[-1].lower()
            assert f"/{name}" in overrides or ext in defaults, name
    for part in overrides:  # no content type for a part that is not there
        assert part.lstrip("/") in parts, part
    assert "/xl/vbaProject.bin" in overrides
    assert (
        "application/vnd.ms-excel.addin.macroEnabled.main+xml"
        in parts["[Content_Types].xml"].decode()
    )


def test_every_relationship_points_at_a_part(parts):
    for name, data in parts.items():
        if not name.endswith(".rels"):
            continue
        base = posixpath.dirname(posixpath.dirname(name))  # xl/_rels/x.rels -> xl
        for rel in etree.fromstring(data).iter(f"{REL}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            assert posixpath.normpath(path) in parts, (name, target)


def test_ribbon_relationship_and_part(parts):
    rels = etree.fromstring(parts["_rels/.rels"])
    ui = [
        r
        for r in rels.iter(f"{REL}Relationship")
        if r.get("Type")
        == "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
    ]
    assert [r.get("Target") for r in ui] == ["customUI/customUI14.xml"]
    assert (
        parts["customUI/customUI14.xml"] == (ROOT / "addin" / "excel" / "customui.xml").read_bytes()
    )
    assert not any(n == "customUI/customUI.xml" for n in parts)  # the xlwings sample is gone


def test_ribbon_validates_against_the_office_schema(parts):
    schema = etree.XMLSchema(
        etree.parse(str(ROOT / "addin" / "excel" / "schemas" / "customUI14.xsd"))
    )
    doc = etree.fromstring(parts["customUI/customUI14.xml"])
    assert schema.validate(doc), schema.error_log
    # and the schema does reject what Excel would reject (an unknown attribute)
    bad = etree.fromstring(
        parts["customUI/customUI14.xml"].replace(b'size="large"', b'sise="large"', 1)
    )
    assert not schema.validate(bad)


def test_ribbon_buttons_match_the_python_dispatcher(parts):
    doc = etree.fromstring(parts["customUI/customUI14.xml"])
    tab = doc.find(f".//{CUI}tab")
    assert tab.get("label").startswith("CSQ")
    buttons = list(doc.iter(f"{CUI}button"))
    assert [b.get("id") for b in buttons] == list(ACTIONS)
    for b in buttons:
        assert b.get("onAction") == "CSQRibbon.OnButton"
        assert b.get("imageMso") and b.get("screentip")
        assert re.search(r"[A-Za-z]", b.get("label")) and re.search(
            r"[\u4e00-\u9fff]", b.get("label")
        )


def test_olevba_reads_every_module(modules):
    assert set(modules) == {
        "ThisWorkbook",
        "Sheet2",
        "Dictionary",
        "xlwings",
        "CSQRibbon",
        "xlwings_udfs",
        "CSQFunctionHelp",
    }


def test_ribbon_module_source_is_what_we_wrote(modules):
    written = (ROOT / "addin" / "excel" / "vba" / "CSQRibbon.bas").read_text(encoding="utf-8")
    assert modules["CSQRibbon"] == written.replace("\n", "\r\n")
    assert (
        'RunPython "import addin.excel.ribbon; addin.excel.ribbon.on_button(\'" & control.ID & "\')"'
        in modules["CSQRibbon"]
    )


def test_a_button_with_no_workbook_open_says_so_instead_of_error_91(modules):
    """xlwings' RunPython reads ActiveWorkbook.FullName before Python runs (error 91 with
    no workbook open): OnButton checks first and shows the message in both languages."""
    from addin.excel.ribbon_text import NO_WORKBOOK

    src = modules["CSQRibbon"]
    body = src[src.index("Sub OnButton(") : src.index("End Sub", src.index("Sub OnButton("))]
    guard = body.index("If ActiveWorkbook Is Nothing Then")
    assert guard < body.index('RunPython "')
    block = body[guard : body.index("End If")]
    assert "MsgBox" in block and "Exit Sub" in block
    assert f'"{NO_WORKBOOK[0]}"' in block and xlam.vba_string(NO_WORKBOOK[1]) in block
    xlwings_src = modules["xlwings"]
    run = xlwings_src[xlwings_src.index("Public Function RunPython(") :]
    assert "ActiveWorkbook.FullName" in run[: run.index("End Function")]  # why the guard


def test_udf_module_source_is_what_we_wrote(modules):
    assert modules["xlwings_udfs"] == xlam.udf_wrappers().replace("\n", "\r\n")


def test_untouched_modules_are_the_xlwings_ones(modules):
    parser = VBA_Parser(str(xlam.template_path()))
    try:
        original = {n.rsplit(".", 1)[0]: c for _, _, n, c in parser.extract_macros()}
    finally:
        parser.close()
    for name in ("Sheet2", "Dictionary"):
        assert modules[name] == original[name]
    # ThisWorkbook only gains the handler that registers the functions' help on open
    assert modules["ThisWorkbook"].startswith(original["ThisWorkbook"])
    added = modules["ThisWorkbook"][len(original["ThisWorkbook"]) :]
    assert "Private Sub Workbook_Open()" in added
    assert "CSQFunctionHelp.RegisterCSQFunctions" in added
    # only the project name differs in the xlwings module: the config sheet is csq.conf
    assert modules["xlwings"] == original["xlwings"].replace(
        'PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "csq"'
    )
    assert modules["xlwings"] != original["xlwings"]


def _wrappers(source: str) -> dict[str, list[str]]:
    out = {}
    for m in re.finditer(r"^Function (\w+)\(([^)]*)\)\r?$", source, flags=re.M):
        out[m.group(1)] = [a.strip() for a in m.group(2).split(",") if a.strip()]
    return out


def test_every_function_has_a_wrapper_with_its_arguments(modules):
    wrappers = _wrappers(modules["xlwings_udfs"])
    assert set(wrappers) == set(FUNCTIONS)
    for name, func in FUNCTIONS.items():
        expected = [
            f"Optional {p.name}" if p.default is not p.empty else p.name
            for p in inspect.signature(func).parameters.values()
        ]
        assert wrappers[name] == expected, name
        names = ", ".join(a.removeprefix("Optional ") for a in expected)
        call = f'XLPy.CallUDF("udfs.functions", "{name}", Array({names}), ActiveWorkbook, Application.Caller)'
        assert f"{name} = {call}" in modules["xlwings_udfs"], name


def test_wrappers_spot_checks_by_hand(modules):
    w = _wrappers(modules["xlwings_udfs"])
    assert w["CSQ_SCORE"] == ["ratings", "Optional critical_error", "Optional weights"]
    assert w["CSQ_MET"] == ["baseline", "target", "after"]
    assert w["CSQ_VERSION"] == []
    assert w["CSQ_GRADE"] == ["score", "Optional thresholds", "Optional lang"]


def test_vba_project_has_no_compiled_cache(parts):
    ole = olefile.OleFileIO(io.BytesIO(parts["xl/vbaProject.bin"]))
    head = ole.openstream("VBA/_VBA_PROJECT").read()
    assert head[:2] == b"\xcc\x61" and head[2:4] == b"\xff\xff"  # version 0xFFFF: recompile
    project = ole.openstream("PROJECT").read().decode("cp1252")
    assert 'Name="CSQ"' in project
    assert "Module=CSQRibbon" in project and "Module=xlwings_udfs" in project
    assert "RibbonMyAddin" not in project
    wm = ole.openstream("PROJECTwm").read()
    assert "xlwings_udfs".encode("utf-16-le") in wm


def _sheet_cells(parts) -> dict[str, object]:
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    sst = [
        "".join(t.text or "" for t in si.iter(f"{ns}t"))
        for si in etree.fromstring(parts["xl/sharedStrings.xml"]).iter(f"{ns}si")
    ]
    cells = {}
    for c in etree.fromstring(parts["xl/worksheets/sheet1.xml"]).iter(f"{ns}c"):
        v = c.find(f"{ns}v").text
        cells[c.get("r")] = sst[int(v)] if c.get("t") == "s" else bool(int(v))
    return cells


def test_config_sheet_names_the_udf_module(parts, modules):
    workbook = parts["xl/workbook.xml"].decode()
    assert '<sheet name="csq.conf"' in workbook
    assert 'PROJECT_NAME As String = "csq"' in modules["xlwings"]  # reads sheet "csq.conf"
    cells = _sheet_cells(parts)
    assert cells["A1"] == "UDF Modules" and cells["B1"] == "udfs.functions"
    # xlwings reads column A down to the first blank: the notes below are not settings,
    # and no interpreter row overrides the per-user file written by 'csq addin install'
    assert "A5" not in cells
    keys = [cells[f"A{r}"] for r in range(1, 5)]
    assert not any(k.upper().startswith(("INTERPRETER", "PYTHONPATH")) for k in keys)


def test_zip_entries_have_fixed_times(built):
    with zipfile.ZipFile(built) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def _vba_value(expr: str) -> str:
    """Evaluate a VBA string expression of quoted runs and ChrW(n) joined by &."""
    out = []
    for m in re.finditer(r'"((?:[^"]|"")*)"|ChrW\((\d+)\)', expr):
        out.append(m.group(1).replace('""', '"') if m.group(2) is None else chr(int(m.group(2))))
    return "".join(out)


def test_every_function_registers_its_help(modules):
    source = modules["CSQFunctionHelp"]
    blocks = re.findall(r'    d = (.*?)\r\n(.*?)    Reg "(\w+)", d, a', source, flags=re.S)
    assert sorted(b[2] for b in blocks) == sorted(FUNCTIONS)
    for expr, args, name in blocks:
        doc = inspect.getdoc(FUNCTIONS[name])
        first = " ".join(doc.split("\n\n")[0].split())
        desc = _vba_value(expr)
        assert len(desc) <= 255
        assert desc == first or (desc.endswith("...") and first.startswith(desc[:-3]))
        n_args = len(inspect.signature(FUNCTIONS[name]).parameters)
        assert len(re.findall(r"    a\(\d+\) = ", args)) == n_args, name


def test_help_text_keeps_chinese_through_chrw(modules):
    source = modules["CSQFunctionHelp"]
    expr = re.search(r'    d = (.*?)\r\n(?:(?!    d = ).)*?Reg "CSQ_GRADE"', source, flags=re.S)
    assert "优秀 Excellent" in _vba_value(expr.group(1))
    source.encode("cp1252")  # the module itself is pure code-page text


# Words VBA reserves (keywords and statements that cannot name a parameter).
VBA_RESERVED = set(
    """and as boolean byref byte byval call case const currency date decimal declare dim do
    double each else elseif empty end enum eqv erase error event exit false for friend function
    get global gosub goto if imp implements in integer is let lib like long loop lset me mod new
    next not nothing null object on option optional or paramarray preserve private property
    public raiseevent redim rem resume return rset select set single static step stop string
    sub then to true type typeof until variant wend while with withevents xor""".split()
)


def test_generated_vba_is_valid_source(modules):
    for name in ("CSQRibbon", "xlwings_udfs", "CSQFunctionHelp"):
        for line in modules[name].split("\r\n"):
            assert len(line) <= 1023, (name, line[:60])  # VBA's physical line limit
    for func in FUNCTIONS.values():
        for p in inspect.signature(func).parameters:
            assert p.lower() not in VBA_RESERVED, (func.__name__, p)
            assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,254}", p)

"""Build and install the CSQ Excel add-in (``dist/csq.xlam``).

The add-in starts from the ribbon add-in that xlwings ships for
``xlwings quickstart --addin --ribbon`` (read from the installed xlwings package).  Its VBA
project has no compiled cache, so Excel recompiles module source on load; the build

1. replaces the ribbon XML with ``addin/customui.xml`` (the CSQ tab),
2. replaces the ribbon module with ``addin/vba/CSQRibbon.bas`` (button id -> Python),
3. adds ``xlwings_udfs``: the VBA wrappers xlwings would generate for ``udfs.functions``,
   so every ``=CSQ_...`` function works on install, without an import step,
4. names the xlwings project ``csq`` and fills the ``csq.conf`` sheet (UDF module etc.),

and writes everything with fixed timestamps and ordering: two builds give identical bytes.
``csq addin install`` copies the add-in into Excel's start-up folder through xlwings.
"""

from __future__ import annotations

import inspect
import io
import os
import re
import sys
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from udfs.core.errors import CsqError, UsageError
from udfs.core.i18n import Catalog
from workbook_templates.output import write_atomic

from . import cfb, ovba
from .lite import LITE_DIR, build_lite

XLWINGS_VERSION = "0.37.8"  # the release whose ribbon add-in the build starts from
TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
UDF_MODULE = "udfs.functions"  # the Python module Excel calls (xlwings "UDF Modules")
PROJECT_NAME = "csq"  # xlwings PROJECT_NAME: config sheet csq.conf, file ~/.csq/csq.conf
CONF_SHEET = f"{PROJECT_NAME}.conf"
VBA_PROJECT = "CSQ"
RIBBON_MODULE = "CSQRibbon"
UDF_VBA_MODULE = "xlwings_udfs"  # xlwings' own name, so a later re-import replaces it
HELP_MODULE = "CSQFunctionHelp"
ADDIN_NAME = "csq.xlam"

HERE = Path(__file__).resolve().parent
CUSTOM_UI = HERE / "customui.xml"
RIBBON_BAS = HERE / "vba" / "CSQRibbon.bas"
CUSTOM_UI_PART = "customUI/customUI14.xml"
CUSTOM_UI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Rows of the csq.conf sheet that xlwings reads (column A key, column B value).  Interpreter
# and PYTHONPATH are deliberately absent: an entry here would override the per-user file
# %USERPROFILE%\.csq\csq.conf that ``csq addin install`` writes.
CONF_ROWS: tuple[tuple[str, str | bool], ...] = (
    ("UDF Modules", UDF_MODULE),
    ("Debug UDFs", False),
    ("Use UDF Server", False),
    ("Show Console", False),
)
CONF_NOTES: tuple[str, ...] = (
    "CSQ add-in settings / CSQ 加载项设置",
    "Python: 'csq addin install' records the Python that has csq installed in "
    "%USERPROFILE%\\.csq\\csq.conf (Mac: ~/Library/Containers/com.microsoft.Excel/Data/csq.conf) "
    'as a line "INTERPRETER_WIN","C:\\...\\python.exe". Edit that line to use another Python.',
    "Python：运行 'csq addin install' 时，会把装有 csq 的 Python 写入 %USERPROFILE%\\.csq\\csq.conf"
    '（一行 "INTERPRETER_WIN","C:\\...\\python.exe"）。要换用其他 Python，请修改这一行。',
    'PYTHONPATH: only needed when csq is not installed with pip; add "PYTHONPATH","C:\\path\\to\\csq" '
    "to the same file.",
    'PYTHONPATH：仅在未用 pip 安装 csq 时需要；在同一文件中加一行 "PYTHONPATH","C:\\csq 所在文件夹"。',
    "Do not edit this sheet: rows 1-4 are read by the add-in. / 请勿修改本表：第 1-4 行由加载项读取。",
)


class AddinError(CsqError):
    """The add-in cannot be built or installed (one-line message, exit 1)."""

    exit_code = 1


# --- sources --------------------------------------------------------------------------------


def template_path() -> Path:
    """The xlwings ribbon add-in inside the installed xlwings package."""
    try:
        import xlwings
    except ImportError as exc:  # pragma: no cover - xlwings is a dependency
        raise AddinError("xlwings is not installed; pip install xlwings==0.37.8") from exc
    path = Path(xlwings.__file__).resolve().parent / TEMPLATE_NAME
    if not path.is_file():
        raise AddinError(f"{path} is missing: reinstall xlwings=={XLWINGS_VERSION}")
    return path


def _vba_signature(func: Callable[..., Any]) -> tuple[list[str], list[str]]:
    """(all argument names, optional ones) the way xlwings' ``xlfunc`` records them."""
    params = inspect.signature(func).parameters.values()
    names, optional = [], []
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD, p.KEYWORD_ONLY):
            raise AddinError(f"{func.__name__}: *args/**kwargs are not supported in the add-in")
        names.append(p.name)
        if p.default is not p.empty:
            optional.append(p.name)
    return names, optional


def udf_wrappers(functions: Mapping[str, Callable[..., Any]] | None = None) -> str:
    """VBA source of the ``xlwings_udfs`` module for every Excel function.

    Mirrors ``xlwings.udfs.generate_vba_wrapper`` of xlwings 0.37.8 for an add-in
    (functions, no varargs, ``call_in_wizard`` and not volatile, workbook =
    ActiveWorkbook): on Linux ``@xw.func`` attaches no metadata, so the same text is
    produced here from each function's signature.  Uses xlwings' own VBAWriter.
    """
    from xlwings.utils import VBAWriter

    if functions is None:
        from udfs.functions import FUNCTIONS

        functions = FUNCTIONS
    buf = io.StringIO()
    vba = VBAWriter(buf)
    vba.writeln(f'Attribute VB_Name = "{UDF_VBA_MODULE}"')
    vba.writeln("'Autogenerated code by xlwings - changes will be lost with next import!")
    vba.writeln("""#Const App = "Microsoft Excel" 'Adjust when using outside of Excel""")
    for fname in sorted(functions):
        names, optional = _vba_signature(functions[fname])
        sig = ", ".join(f"Optional {n}" if n in optional else n for n in names)
        args_vba = "Array(" + ", ".join(names) + ")"
        with vba.block(f"Function {fname}({sig})"):
            with vba.block('#If App = "Microsoft Excel" Then'):
                vba.writeln("If TypeOf Application.Caller Is Range Then On Error GoTo failed")
                vba.writeln(
                    f'{fname} = XLPy.CallUDF("{UDF_MODULE}", "{fname}", {args_vba}, '
                    "ActiveWorkbook, Application.Caller)"
                )
                vba.writeln("Exit Function")
            with vba.block("#Else"):
                vba.writeln(f'{fname} = XLPy.CallUDF("{UDF_MODULE}", "{fname}", {args_vba})')
                vba.writeln("Exit Function")
            vba.writeln("#End If")
            vba.write_label("failed")
            vba.writeln(f"{fname} = Err.Description")
        vba.writeln("End Function")
        vba.writeln("")
    return buf.getvalue()


def vba_string(text: str) -> str:
    """A VBA string expression for ``text``: quoted runs of code-page characters joined
    with ``ChrW(n)`` for the rest (Chinese), since module source is stored in cp1252."""
    parts: list[str] = []
    run = ""
    for ch in text:
        if ch.isascii() and ch.isprintable():
            run += '""' if ch == '"' else ch
        else:
            if run:
                parts.append(f'"{run}"')
                run = ""
            parts.append(f"ChrW({ord(ch)})")
    if run or not parts:
        parts.append(f'"{run}"')
    return " & ".join(parts)


def _clip(text: str, limit: int = 255) -> str:
    """One line of at most ``limit`` characters (Excel's MacroOptions limit)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 3].rsplit(" ", 1)[0] + "..."


def function_help(func: Callable[..., Any]) -> tuple[str, list[str]]:
    """(description, argument descriptions) Excel shows in the Insert Function dialog:
    the docstring's first paragraph, and each argument's ``name: ...`` sentence."""
    doc = inspect.getdoc(func) or func.__name__
    description = _clip(doc.split("\n\n")[0])
    flat = " ".join(doc.split())
    names, optional = _vba_signature(func)
    args = []
    for name in names:
        m = re.search(rf"(?:^|\s){re.escape(name)}: (.*?)(?=\s\w+: |$)", flat)
        text = m.group(1) if m else name.replace("_", " ")
        text = re.sub(r"^optional\b[;,:]?\s*", "", text, flags=re.I) or name
        args.append(_clip(("(optional) " if name in optional else "") + text))
    return description, args


def help_module(functions: Mapping[str, Callable[..., Any]] | None = None) -> str:
    """VBA module that registers each function's help text with Excel when the add-in
    opens (what ``xlwings.import_udfs`` does through Application.MacroOptions)."""
    if functions is None:
        from udfs.functions import FUNCTIONS

        functions = FUNCTIONS
    lines = [
        f'Attribute VB_Name = "{HELP_MODULE}"',
        "Option Explicit",
        "' Registers the help Excel shows for each CSQ_ function (Insert Function dialog).",
        "' Generated by addin/xlam.py from the docstrings in udfs/functions.py.",
        "",
        "Private Sub Reg(fname As String, desc As String, args As Variant)",
        "    On Error Resume Next",
        "    If IsEmpty(args) Then",
        '        Application.MacroOptions Macro:="\'" & ThisWorkbook.Name & "\'!" & fname, _',
        '            Description:=desc, Category:="CSQ"',
        "    Else",
        '        Application.MacroOptions Macro:="\'" & ThisWorkbook.Name & "\'!" & fname, _',
        '            Description:=desc, Category:="CSQ", ArgumentDescriptions:=args',
        "    End If",
        "End Sub",
        "",
        "Sub RegisterCSQFunctions()",
        "    Dim d As String",
        "    Dim a As Variant",
    ]
    for fname in sorted(functions):
        desc, args = function_help(functions[fname])
        lines.append(f"    d = {vba_string(desc)}")
        if args:
            lines.append(f"    ReDim a(0 To {len(args) - 1})")
            for i, text in enumerate(args):
                lines.append(f"    a({i}) = {vba_string(text)}")
        else:
            lines.append("    a = Empty")
        lines.append(f'    Reg "{fname}", d, a')
    lines += ["End Sub", ""]
    return "\n".join(lines)


OPEN_HANDLER = """
Private WithEvents CSQApp As Application

Private Sub Workbook_Open()
    ' CSQ: function help for the Insert Function dialog (see CSQFunctionHelp)
    CSQFunctionHelp.RegisterCSQFunctions
    ' CSQ workbooks opened from now on get their CSQ_ formulas re-entered once
    Set CSQApp = Application
    ThisWorkbook.Saved = True
End Sub

Private Sub CSQApp_WorkbookOpen(ByVal Wb As Workbook)
    CSQRibbon.RebindOnOpen Wb
End Sub
"""


def ribbon_source() -> str:
    return RIBBON_BAS.read_text(encoding="utf-8")


def _vba_bytes(source: str, codepage: int) -> bytes:
    text = source.replace("\r\n", "\n").replace("\n", "\r\n")
    try:
        return text.encode(f"cp{codepage}")
    except UnicodeEncodeError as exc:
        raise AddinError(f"VBA source has a character outside code page {codepage}: {exc}") from exc


# --- the VBA project ------------------------------------------------------------------------


def _read_ole(data: bytes) -> dict[str, bytes]:
    import olefile

    ole = olefile.OleFileIO(io.BytesIO(data))
    try:
        return {"/".join(p): ole.openstream(p).read() for p in ole.listdir(streams=True)}
    finally:
        ole.close()


def build_vba_project(template_bin: bytes, udf_source: str, ribbon_src: str) -> bytes:
    """The template's vbaProject.bin with the CSQ ribbon module and UDF wrappers."""
    streams = _read_ole(template_bin)
    d = ovba.DirStream.parse(streams["VBA/dir"])
    by_name = {m.name: m for m in d.modules}
    ribbon_old = next(
        (m for m in d.modules if m.procedural and m.name.lower().startswith("ribbon")), None
    )
    if ribbon_old is None or "xlwings" not in by_name:
        raise AddinError("the xlwings template has no ribbon or xlwings module")
    for m in d.modules:
        m.stream = streams[f"VBA/{m.name}"]

    xlwings_src = by_name["xlwings"].source.decode(f"cp{d.codepage}")
    patched, n = re.subn(
        r'^(Public Const PROJECT_NAME As String = )"[^"]*"',
        rf'\1"{PROJECT_NAME}"',
        xlwings_src,
        flags=re.M,
    )
    if n != 1:
        raise AddinError("PROJECT_NAME not found in the xlwings VBA module")

    modules: list[ovba.Module] = []
    for m in d.modules:
        if m is ribbon_old:
            modules.append(m.with_source(_vba_bytes(ribbon_src, d.codepage), RIBBON_MODULE))
        elif m.name == "ThisWorkbook":
            own = m.source.decode(f"cp{d.codepage}")
            added = OPEN_HANDLER.replace("\n", "\r\n") if "\r\n" in own else OPEN_HANDLER
            modules.append(m.with_source((own + added).encode(f"cp{d.codepage}")))
        elif m.name == "xlwings":
            # byte-for-byte the template's module (its own line endings) but the one constant
            modules.append(m.with_source(patched.encode(f"cp{d.codepage}")))
        else:
            modules.append(m)
    modules.append(
        ovba.Module(UDF_VBA_MODULE, True).with_source(_vba_bytes(udf_source, d.codepage))
    )
    modules.append(
        ovba.Module(HELP_MODULE, True).with_source(_vba_bytes(help_module(), d.codepage))
    )
    d.modules = modules
    d.set_project_name(VBA_PROJECT)

    project = ovba.project_text(
        streams["PROJECT"].decode(f"cp{d.codepage}"),
        modules,
        VBA_PROJECT,
        {ribbon_old.name: RIBBON_MODULE},
    )
    vba_tree: dict[str, bytes] = {
        "dir": ovba.compress(d.to_bytes()),
        "_VBA_PROJECT": streams["VBA/_VBA_PROJECT"],
    }
    for m in modules:
        vba_tree[m.name] = m.stream
    tree: dict[str, Any] = {
        "PROJECT": project.encode(f"cp{d.codepage}"),
        "PROJECTwm": ovba.project_wm(modules, d.codepage),
        "VBA": vba_tree,
    }
    return cfb.write(tree)


# --- the package ----------------------------------------------------------------------------


def _cell(ref: str, value: str | bool, strings: list[str]) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" s="1" t="b"><v>{int(value)}</v></c>'
    strings.append(value)
    return f'<c r="{ref}" s="1" t="s"><v>{len(strings) - 1}</v></c>'


def conf_sheet() -> tuple[str, str]:
    """(sheet1.xml, sharedStrings.xml) of the csq.conf sheet."""
    strings: list[str] = []
    rows = []
    for r, (key, value) in enumerate(CONF_ROWS, start=1):
        rows.append(
            f'<row r="{r}">{_cell(f"A{r}", key, strings)}{_cell(f"B{r}", value, strings)}</row>'
        )
    start = len(CONF_ROWS) + 2
    for i, note in enumerate(CONF_NOTES):
        r = start + i
        rows.append(f'<row r="{r}">{_cell(f"A{r}", note, strings)}</row>')
    last = start + len(CONF_NOTES) - 1
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheetPr codeName="Sheet2"/><dimension ref="A1:B{last}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
        '<selection activeCell="B1" sqref="B1"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultColWidth="8.875" defaultRowHeight="15.75"/>'
        '<cols><col min="1" max="1" width="16" style="1" customWidth="1"/>'
        '<col min="2" max="2" width="18" style="1" customWidth="1"/></cols>'
        f"<sheetData>{''.join(rows)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
    sst = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        + "</sst>"
    )
    return sheet, sst


def _workbook_xml(original: str) -> str:
    text = re.sub(r'<sheet name="[^"]*"', f'<sheet name="{CONF_SHEET}"', original, count=1)
    # the template remembers the path it was saved from; an add-in has no business with it
    return re.sub(r"<mc:AlternateContent.*?</mc:AlternateContent>", "", text, flags=re.S)


def _rels_xml(original: str) -> str:
    text, n = re.subn(
        r'<Relationship Id="(\w+)" Type="[^"]*/ui/extensibility" Target="[^"]*" />',
        rf'<Relationship Id="\1" Type="{CUSTOM_UI_REL}" Target="{CUSTOM_UI_PART}" />',
        original,
    )
    if n != 1:
        raise AddinError("the xlwings template has no ribbon relationship")
    return text


def _core_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
        'XMLSchema-instance"><dc:title>CSQ</dc:title>'
        "<dc:subject>Customer-service quality evaluation add-in</dc:subject>"
        "<dc:creator>CSQ</dc:creator><cp:lastModifiedBy>CSQ</cp:lastModifiedBy>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:modified>'
        "</cp:coreProperties>"
    )


def build_bytes(template: Path | None = None) -> bytes:
    """The complete add-in as bytes (a pure function of the sources and the template)."""
    src = zipfile.ZipFile(template or template_path())
    parts = {name: src.read(name) for name in src.namelist()}
    old_ui = [n for n in parts if n.startswith("customUI/")]
    for n in old_ui:
        del parts[n]
    parts[CUSTOM_UI_PART] = CUSTOM_UI.read_bytes()
    parts["_rels/.rels"] = _rels_xml(parts["_rels/.rels"].decode("utf-8")).encode("utf-8")
    parts["xl/workbook.xml"] = _workbook_xml(parts["xl/workbook.xml"].decode("utf-8")).encode()
    sheet, sst = conf_sheet()
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    parts["xl/sharedStrings.xml"] = sst.encode("utf-8")
    parts["docProps/core.xml"] = _core_xml().encode("utf-8")
    parts["xl/vbaProject.bin"] = build_vba_project(
        parts["xl/vbaProject.bin"], udf_wrappers(), ribbon_source()
    )
    out = io.BytesIO()
    first = "[Content_Types].xml"  # by convention the first entry of a package
    with zipfile.ZipFile(out, "w") as z:
        for name in [first] + sorted(n for n in parts if n != first):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            z.writestr(info, parts[name], compresslevel=9)
    return out.getvalue()


def build(output: str | os.PathLike[str] = Path("dist") / ADDIN_NAME) -> Path:
    """Write the add-in to ``output`` (atomically) and return its path."""
    data = build_bytes()
    path = write_atomic(output, lambda p: p.write_bytes(data))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)  # a normal file, not the temp file's private 0600
    return path


# --- install --------------------------------------------------------------------------------

MESSAGES: dict[str, tuple[str, str]] = {
    "built": ("add-in written: {path}", "已生成加载项：{path}"),
    "built_lite": (
        "xlwings Lite files written: {main}, {req}",
        "已生成 xlwings Lite 文件：{main}、{req}",
    ),
    "built_selftest": ("self-test workbook written: {path}", "已生成自检工作簿：{path}"),
    "no_excel_os": (
        "'csq addin install' needs Excel for Windows or Mac, and this is {os}: nothing was "
        "written. Build the add-in with 'csq addin build', copy {path} to a Windows PC and "
        "follow docs/addin.md (or run this command there).",
        "'csq addin install' 需要 Windows 或 Mac 版 Excel，当前系统为 {os}，未写入任何文件。"
        "请先用 'csq addin build' 生成加载项，把 {path} 复制到 Windows 电脑，按 docs/addin.md "
        "安装（或在那台电脑上运行本命令）。",
    ),
    "no_excel": (
        "Excel could not be started ({err}). Install Excel, or add {path} by hand: "
        "Excel > File > Options > Add-ins > Go... > Browse.",
        "无法启动 Excel（{err}）。请先安装 Excel，或手动添加 {path}："
        "Excel > 文件 > 选项 > 加载项 > 转到... > 浏览。",
    ),
    "not_copied": (
        "could not copy the add-in to {target}: quit Excel and run 'csq addin install' again "
        "(or copy {path} there by hand).",
        "无法把加载项复制到 {target}：请退出 Excel 后重新运行 'csq addin install'（或手动复制 {path}）。",
    ),
    "installed": (
        "installed {name} into Excel's start-up folder; Python for the add-in: {python} "
        "(saved in {conf}). Restart Excel: the CSQ tab appears.",
        "已将 {name} 安装到 Excel 启动文件夹；加载项使用的 Python：{python}（记录在 {conf}）。"
        "请重启 Excel，即可看到 CSQ 选项卡。",
    ),
}


_msg = Catalog(MESSAGES)  # language from CSQ_LANG


def user_config_path() -> Path:
    """Where the xlwings VBA of this add-in looks for per-user settings (GetConfigFilePath)."""
    if sys.platform == "darwin":
        return Path.home() / "Library/Containers/com.microsoft.Excel/Data" / f"{PROJECT_NAME}.conf"
    return Path.home() / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"


def write_user_config(path: Path, interpreter: str) -> None:
    """Set INTERPRETER_WIN/MAC in the per-user file, keeping the user's other lines."""
    key = "INTERPRETER_MAC" if sys.platform == "darwin" else "INTERPRETER_WIN"
    lines = []
    if path.exists():
        lines = [
            ln
            for ln in path.read_text(encoding="utf-8").splitlines()
            if not ln.upper().startswith(f'"{key}"')
        ]
    lines.append(f'"{key}","{interpreter}"')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def install(source: Path, platform: str | None = None) -> int:
    """Install ``source`` through xlwings' add-in installer; a clear message without Excel."""
    platform = platform or sys.platform
    if not (platform.startswith("win") or platform == "darwin"):
        print(f"csq: {_msg('no_excel_os', os=platform, path=source)}", file=sys.stderr)
        return 2
    try:
        from xlwings.cli import _addin_install, get_addin_dir

        target = Path(get_addin_dir()) / source.name  # starts Excel hidden if needed
        _addin_install(str(source))  # copies, and loads it into running Excel instances
    except Exception as exc:  # noqa: BLE001 - no Excel, COM errors: one clear line
        print(f"csq: {_msg('no_excel', err=exc, path=source)}", file=sys.stderr)
        return 1
    # xlwings prints copy errors instead of raising them: check the result ourselves
    if not target.is_file() or target.read_bytes() != source.read_bytes():
        print(f"csq: {_msg('not_copied', target=target, path=source)}", file=sys.stderr)
        return 1
    conf = user_config_path()
    write_user_config(conf, sys.executable)
    print(_msg("installed", name=source.name, python=sys.executable, conf=conf))
    return 0


def cmd_addin(args: Any) -> int:
    """``csq addin build|install [-o OUT]``."""
    if args.action == "build":
        path = build(args.output or Path("dist") / ADDIN_NAME)
        print(_msg("built", path=path))
        main, req = build_lite(path.parent / LITE_DIR)
        print(_msg("built_lite", main=main, req=req))
        from ..jobs.selftest import SELFTEST_FILE, write_selftest

        print(_msg("built_selftest", path=write_selftest(path.parent / SELFTEST_FILE)))
        return 0
    if args.action == "install":
        source = Path(args.output or Path("dist") / ADDIN_NAME)
        if not (sys.platform.startswith("win") or sys.platform == "darwin"):
            return install(source.resolve())  # refuses, before anything is written
        if not source.exists():
            source = build(source)
        return install(source.resolve())
    raise UsageError(f"unknown action {args.action!r}: build or install")

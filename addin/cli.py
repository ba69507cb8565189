"""The ``csq`` command line: parses arguments, calls the library, prints one-line errors.

Exit codes (SPEC section 7): 0 all good, 1 some input rejected (others still processed),
2 usage error.  Each command's work lives in a library module; this file only wires them.

No user sees a Python traceback: :func:`main` turns every exception, including the
``BaseException`` subclasses that native readers raise (``pyo3_runtime.PanicException``),
into one line; ``--debug`` or ``CSQ_DEBUG=1`` prints the full traceback as well.  A closed
output pipe (``csq demo | head -1``) ends the command quietly.  Messages, argparse's own
texts included, are in the message language (``udfs.core.i18n.default_lang``).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from udfs import __version__
from udfs.core.errors import CsqError
from udfs.core.i18n import default_lang

from .jobs.common import one_line, os_message, safe_text, t

COMMANDS: dict[str, str] = {
    # command -> "module:function"; the function takes the parsed args and returns an exit code
    "new": "addin.commands.new:cmd_new",
    "demo": "addin.commands.demo:cmd_demo",
    "import": "addin.commands.import_:cmd_import",
    "sample": "addin.commands.sample:cmd_sample",
    "report": "addin.commands.report:cmd_report",
    "feedback": "addin.commands.feedback:cmd_feedback",
    "validate": "addin.commands.validate:cmd_validate",
    "convert": "addin.commands.convert:cmd_convert",
    "addin": "addin.excel.xlam:cmd_addin",
}


# argparse's own texts (``argparse._`` / ``argparse.ngettext``) in Chinese
_ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示此帮助信息并退出",
    "show program's version number and exit": "显示程序版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效选项：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "忽略了显式参数 %r",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "unexpected option string: %s": "意外的选项：%s",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
}


@contextlib.contextmanager
def argparse_language(lang: str) -> Iterator[None]:
    """argparse's own texts (usage, "positional arguments", its error messages) in ``lang``
    while the block runs: argparse looks its texts up through ``argparse._`` at call time."""
    if lang != "zh":
        yield
        return
    saved: tuple[Callable[..., str], Callable[..., str]] = (
        argparse._,  # type: ignore[attr-defined]
        argparse.ngettext,  # type: ignore[attr-defined]
    )

    def gettext(text: str) -> str:
        return _ARGPARSE_ZH.get(text, text)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one clear line
        self.print_usage(sys.stderr)
        self.exit(2, f"csq: {t('error', msg=message)}\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser; help text in the message language (``CSQ_LANG``, else the locale)."""
    zh = default_lang() == "zh"

    def h(en: str, cn: str) -> str:
        return cn if zh else en

    def export_args(s: argparse.ArgumentParser) -> None:
        # csq import and csq sample: the export, its column map, the workbook to write
        s.add_argument("export", help=h("CSV or XLSX export", "CSV 或 XLSX 导出文件"))
        s.add_argument(
            "--map", required=True, dest="map_path", help=h("TOML column map", "TOML 字段映射")
        )
        s.add_argument(
            "-o", "--output", required=True, help=h("the workbook to write", "要生成的工作簿")
        )

    p = _Parser(
        prog="csq",
        description=h(
            "Customer-service quality evaluation: standard Excel workbooks, "
            "reports, import and validation, with no Excel needed.",
            "客服质量评价：标准 Excel 工作簿、评价报告、数据导入与校验，无需 Excel。",
        ),
    )
    p.add_argument("--version", action="version", version=f"csq {__version__}")
    p.add_argument(
        "--debug",
        action="store_true",
        help=h(
            "show the full Python traceback of an unexpected error (also CSQ_DEBUG=1)",
            "出现意外错误时显示完整的 Python 回溯（也可设 CSQ_DEBUG=1）",
        ),
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    lang_help = h(
        "language of the workbook or report written (default: the input workbook's, "
        "else the message language)",
        "所生成工作簿或报告的语言（默认随输入工作簿，否则随提示语言）",
    )
    force_help = h("overwrite an existing file", "覆盖已存在的文件")
    period_help = h(
        "report period: YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY or YYYY-MM-DD..YYYY-MM-DD "
        "(default: the Config sheet's report period, else the latest month with data)",
        "报告期：YYYY-MM、YYYY-Qn、YYYY-Hn、YYYY 或 YYYY-MM-DD..YYYY-MM-DD"
        "（默认：配置表中的报告期，否则为数据中最近的月份）",
    )
    tag_help = h(
        "fill a blank problem category from the description by keyword (Config keywords); "
        "the QC note says so",
        "按关键词由问题描述填写空白的问题类别（配置表关键词）；质检备注中注明",
    )
    portable_help = h(
        "native Excel formulas only (no CSQ_ functions), for Excel without Python, "
        "Mac, web, LibreOffice, WPS",
        "仅使用 Excel 原生公式（不调用 CSQ_ 函数），适用于无 Python 的 Excel、Mac、网页版、"
        "LibreOffice、WPS",
    )

    s = sub.add_parser(
        "new",
        help=h("write a fresh standard workbook", "新建标准工作簿"),
        description=h(
            "Write a fresh standard workbook (Guide, Config, Monitoring, "
            "Problems, Actions, Evaluation form).",
            "新建标准工作簿（说明、配置、监测表、问题分析、改进跟踪、评价表）。",
        ),
    )
    s.add_argument("path", help=h("the .xlsx file to write", "要生成的 .xlsx 文件"))
    s.add_argument("--lang", choices=("zh", "en"), default=None, help=lang_help)
    s.add_argument("--portable", action="store_true", help=portable_help)
    s.add_argument(
        "--rows",
        type=int,
        default=None,
        metavar="N",
        help=h(
            "blank Monitoring rows to type into (default 200; a Table on a protected "
            "sheet does not grow by itself)",
            "监测表空白行数（默认 200；受保护工作表中的表格不会自动扩展）",
        ),
    )
    s.add_argument("--force", action="store_true", help=force_help)

    s = sub.add_parser(
        "demo",
        help=h(
            "sample workbooks and their reports (start here)", "示例工作簿及其报告（从这里开始）"
        ),
        description=h(
            "Write realistic sample workbooks (several months, teams, "
            "agents, channels, problems and actions) and generate their reports.",
            "生成贴近真实的示例工作簿（多个月份、班组、客服、渠道、问题与改进行动）并生成报告。",
        ),
    )
    s.add_argument(
        "dir",
        nargs="?",
        default="csq-demo",
        help=h("output folder (default csq-demo)", "输出文件夹（默认 csq-demo）"),
    )
    s.add_argument("--lang", choices=("zh", "en"), default=None, help=lang_help)
    s.add_argument(
        "--seed", type=int, default=7, help=h("random seed of the sample data", "示例数据随机种子")
    )

    s = sub.add_parser(
        "import",
        help=h("a ticket-system export into a standard workbook", "将工单系统导出转为标准工作簿"),
        description=h(
            "Turn a CSV/XLSX export with its own headers into a filled "
            "standard workbook, using a TOML column map.",
            "按 TOML 字段映射，将带自有表头的 CSV/XLSX 导出文件转为已填写的标准工作簿。",
        ),
    )
    export_args(s)
    s.add_argument("--lang", choices=("zh", "en"), default=None, help=lang_help)
    s.add_argument("--portable", action="store_true", help=portable_help)
    s.add_argument("--tag", action="store_true", help=tag_help)
    s.add_argument("--force", action="store_true", help=force_help)

    s = sub.add_parser(
        "sample",
        help=h(
            "a stratified random QA sample of a full export", "从完整导出中分层随机抽取质检样本"
        ),
        description=h(
            "Draw a stratified random sample of a full ticket export (same map as csq "
            "import) into a standard workbook with blank rubric cells; the Config sheet "
            "records the seed, ratio, strata, the export's SHA-256 and the population "
            "figures of the whole export per period and per stratum.",
            "从完整工单导出（映射与 csq import 相同）中分层随机抽样，生成评分列留空的标准"
            "工作簿；配置表记录随机种子、比例、分层、导出文件的 SHA-256，以及全部记录按期间"
            "和分层计算的总体指标。",
        ),
    )
    export_args(s)
    s.add_argument(
        "--ratio",
        type=float,
        default=0.10,
        help=h("share of each stratum to draw (default 0.10)", "每层抽取比例（默认 0.10）"),
    )
    s.add_argument(
        "--min",
        type=int,
        default=0,
        metavar="N",
        help=h(
            "at least N contacts per stratum (all when it has fewer; default 0)",
            "每层至少抽取 N 条（不足 N 条则全取；默认 0）",
        ),
    )
    s.add_argument(
        "--by",
        default="agent",
        help=h(
            "strata, comma-separated: agent, team, channel, service_type, hour_band, hour, "
            "weekday, period (default agent)",
            "分层维度，逗号分隔：agent、team、channel、service_type、hour_band、hour、"
            "weekday、period（默认 agent）",
        ),
    )
    s.add_argument(
        "--seed",
        type=int,
        default=None,
        help=h(
            "random seed (default: a fresh one, recorded in the workbook)",
            "随机种子（默认随机生成并记录在工作簿中）",
        ),
    )
    s.add_argument(
        "--period",
        default=None,
        help=h(
            "draw only from this period: YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY or YYYY-MM-DD..YYYY-MM-DD",
            "仅从该期间抽样：YYYY-MM、YYYY-Qn、YYYY-Hn、YYYY 或 YYYY-MM-DD..YYYY-MM-DD",
        ),
    )
    s.add_argument("--lang", choices=("zh", "en"), default=None, help=lang_help)
    s.add_argument("--portable", action="store_true", help=portable_help)
    s.add_argument("--tag", action="store_true", help=tag_help)
    s.add_argument("--force", action="store_true", help=force_help)

    s = sub.add_parser(
        "report",
        help=h("evaluation reports for workbooks (batch)", "批量生成评价报告"),
        description=h(
            "Write <name>.report.xlsx and <name>.summary.json for every "
            "input workbook. Inputs may be files, folders or globs.",
            "为每个输入工作簿生成 <name>.report.xlsx 与 <name>.summary.json；"
            "输入可以是文件、文件夹或通配符。",
        ),
    )
    s.add_argument("inputs", nargs="+", metavar="INPUT")
    s.add_argument(
        "-o",
        "--output-dir",
        default=None,
        help=h("output folder (default: beside input)", "输出文件夹（默认与输入文件同目录）"),
    )
    s.add_argument(
        "--as-of",
        default=None,
        help=h("evaluation date YYYY-MM-DD (default today)", "评估基准日 YYYY-MM-DD（默认今天）"),
    )
    s.add_argument("--period", default=None, metavar="P", help=period_help)
    s.add_argument("--jobs", type=int, default=1, help=h("parallel processes", "并行进程数"))
    s.add_argument("--lang", choices=("zh", "en"), default=None, help=lang_help)

    s = sub.add_parser(
        "feedback",
        help=h("one feedback workbook per agent", "为每位客服生成个人反馈工作簿"),
        description=h(
            "Write <workbook>.<agent>.feedback.xlsx for every agent of the report period: "
            "their score, grade, rank band, strengths and weaknesses against the team, their "
            "own good and bad cases and the actions linked to them - no other agent's data.",
            "为报告期内每位客服生成 <工作簿>.<工号>.feedback.xlsx：得分、等级、排名区间、"
            "与团队对比的优势与不足、本人的优秀与待改进案例及相关改进行动——不含其他客服的数据。",
        ),
    )
    s.add_argument("inputs", nargs="+", metavar="WORKBOOK")
    s.add_argument(
        "-o",
        "--output-dir",
        required=True,
        help=h("folder for the feedback files", "个人反馈文件的输出文件夹"),
    )
    s.add_argument("--period", default=None, metavar="P", help=period_help)
    s.add_argument(
        "--as-of",
        default=None,
        help=h("evaluation date YYYY-MM-DD (default today)", "评估基准日 YYYY-MM-DD（默认今天）"),
    )
    s.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=None,
        help=h("language of the files (default: the workbook's)", "文件语言（默认随工作簿）"),
    )

    s = sub.add_parser(
        "validate",
        help=h("check a workbook cell by cell", "逐单元格校验工作簿"),
        description=h(
            "List every problem with sheet, cell, value and rule; exit 1 when there are errors.",
            "列出每个问题的工作表、单元格、值与规则；有错误时退出码为 1。",
        ),
    )
    s.add_argument("workbook")
    s.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=None,
        help=h(
            "message language (default: CSQ_LANG, else the system locale)",
            "提示语言（默认随 CSQ_LANG，否则随系统区域设置）",
        ),
    )
    s.add_argument("--json", action="store_true", help=h("findings as JSON", "以 JSON 输出"))

    s = sub.add_parser(
        "convert",
        help=h(
            "the same workbook as the portable or the CSQ_ functions variant",
            "将工作簿转换为可移植版或 CSQ_ 函数版",
        ),
        description=h(
            "Rebuild a workbook in the other variant with all its rows and Config values: "
            "--portable computes with native formulas (LibreOffice, WPS, Excel without "
            "Python), --udf with the CSQ_ functions of the add-in. The input is not changed.",
            "以另一种版本重建工作簿，保留全部数据行与配置：--portable 使用原生公式（LibreOffice、"
            "WPS、无 Python 的 Excel），--udf 使用加载项的 CSQ_ 函数。输入文件不会被修改。",
        ),
    )
    s.add_argument("workbook", help=h("the workbook to convert", "要转换的工作簿"))
    variant = s.add_mutually_exclusive_group(required=True)
    variant.add_argument("--portable", action="store_true", help=portable_help)
    variant.add_argument(
        "--udf",
        action="store_true",
        help=h("CSQ_ functions (needs the add-in)", "使用 CSQ_ 函数（需加载项）"),
    )
    s.add_argument(
        "-o", "--output", required=True, help=h("the workbook to write", "要生成的工作簿")
    )
    s.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=None,
        help=h(
            "language of the new workbook and messages (default: the input's)",
            "新工作簿与提示的语言（默认随输入）",
        ),
    )
    s.add_argument("--force", action="store_true", help=force_help)

    s = sub.add_parser(
        "addin",
        help=h("build or install the Excel add-in", "构建或安装 Excel 加载项"),
        description=h(
            "Build dist/csq.xlam, or install it into Excel.",
            "构建 dist/csq.xlam，或将其安装到 Excel。",
        ),
    )
    s.add_argument("action", choices=("build", "install"))
    s.add_argument(
        "-o",
        "--output",
        default=None,
        help=h("where to write the .xlam (build)", ".xlam 输出位置（build）"),
    )
    return p


def _debug_wanted(argv: Sequence[str] | None) -> bool:
    args = sys.argv[1:] if argv is None else list(argv)
    return "--debug" in args or os.environ.get("CSQ_DEBUG", "").strip() not in ("", "0")


def _quiet_broken_pipe() -> None:
    """The reader of our output went away (``csq demo | head -1``): send the rest of the
    output nowhere, so neither this command nor the interpreter's exit complains."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())  # type: ignore[union-attr]
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


class _PipeSafe:
    """``sys.stdout`` that survives its reader going away (``csq demo | head -1``): the
    command goes on to the end and its exit code stands; what it would still have printed
    goes nowhere, and no BrokenPipeError is shown."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                return int(self._stream.write(text) or 0)
            except BrokenPipeError:
                self._break()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._break()

    def _break(self) -> None:
        self.broken = True
        _quiet_broken_pipe()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


# numpy's OpenBLAS starts one thread per core when it is imported (tens of milliseconds of
# CPU for a tiny report); CSQ does no linear algebra, so one thread is all a command needs.
# A value the user has set is kept.  Set before the first numpy import (commands import it).
# pydantic looks through every installed package's entry points for plugins when the
# indicator models are built (about 10 ms); CSQ uses none.
_ENVIRONMENT = (("OPENBLAS_NUM_THREADS", "1"), ("PYDANTIC_DISABLE_PLUGINS", "__all__"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``csq`` command; returns the exit code (argparse's ``--help`` and usage
    errors raise ``SystemExit`` as usual).  Never lets an exception escape."""
    for name, value in _ENVIRONMENT:
        os.environ.setdefault(name, value)
    saved = sys.stdout
    sys.stdout = _PipeSafe(saved)  # type: ignore[assignment]
    try:
        return _guarded(argv)
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        sys.stdout = saved


def _guarded(argv: Sequence[str] | None) -> int:
    debug = _debug_wanted(argv)
    lang = default_lang()
    saved_debug = os.environ.get("CSQ_DEBUG")
    if debug:  # the library's own "show me everything" switch (e.g. native readers' stderr)
        os.environ["CSQ_DEBUG"] = "1"
    try:
        return _main(argv, lang)
    except SystemExit:
        raise
    except BrokenPipeError:
        _quiet_broken_pipe()
        return 1
    except KeyboardInterrupt:
        print(f"csq: {t('interrupted', lang)}", file=sys.stderr)
        return 130
    except BaseException as exc:  # noqa: BLE001 - no user ever sees a traceback
        if debug:
            traceback.print_exc()
        print(safe_text(f"csq: {t('internal', lang, err=one_line(exc))}"), file=sys.stderr)
        return 1
    finally:
        if saved_debug is None:
            os.environ.pop("CSQ_DEBUG", None)
        else:
            os.environ["CSQ_DEBUG"] = saved_debug


def _import_pandas() -> None:
    """Import pandas (every command uses it) with pyarrow out of its sight.

    pandas imports pyarrow as it starts whenever pyarrow is installed (about 40 ms and
    45 MB for every command, a tenth of a tiny report), and backs inferred text columns
    with it once it is loaded.  CSQ's tables are numpy and object columns, and only the
    columnar reader (``addin/read/columnar.py``) uses pyarrow, itself; so pandas keeps
    its own text storage, the same whether pyarrow is installed or loaded or not, and
    pyarrow stays importable for the reader.
    """
    if "pandas" in sys.modules or "pyarrow" in sys.modules:
        return
    sys.modules["pyarrow"] = None  # type: ignore[assignment]  # import pyarrow: ImportError
    try:
        import pandas

        pandas.set_option("mode.string_storage", "python")
    except (ImportError, KeyError, ValueError):  # reported by the command that needs pandas
        pass
    finally:
        if "pyarrow" in sys.modules and sys.modules["pyarrow"] is None:
            del sys.modules["pyarrow"]


def _main(argv: Sequence[str] | None, lang: str) -> int:
    with argparse_language(lang):
        parser = build_parser()
        args = parser.parse_args(argv)
    if not args.command:
        with argparse_language(lang):
            parser.print_help()
        return 2
    target = COMMANDS[args.command]
    module_name, func_name = target.split(":")
    _import_pandas()
    try:
        module = importlib.import_module(module_name)
        handler = getattr(module, func_name)
    except (ImportError, AttributeError):
        print(f"csq: {t('not_available', lang, cmd=args.command)}", file=sys.stderr)
        return 2
    try:
        return int(handler(args) or 0)
    except CsqError as exc:
        if args.debug:
            traceback.print_exc()
        print(safe_text(f"csq: {t('error', lang, msg=exc)}"), file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # an impossible output path: parent is a file, read-only, disk full
        if isinstance(exc, BrokenPipeError):
            raise
        if args.debug:
            traceback.print_exc()
        print(safe_text(f"csq: {t('error', lang, msg=os_message(exc, lang))}"), file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

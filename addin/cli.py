"""The ``csq`` command line: parses arguments, calls the library, prints one-line errors.

Exit codes (SPEC section 7): 0 all good, 1 some input rejected (others still processed),
2 usage error.  Each command's work lives in a library module; this file only wires them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from udfs import __version__
from udfs.core.errors import CsqError
from udfs.core.i18n import default_lang

from .commands.common import t

COMMANDS: dict[str, str] = {
    # command -> "module:function"; the function takes the parsed args and returns an exit code
    "new": "addin.commands.new:cmd_new",
    "demo": "addin.commands.demo:cmd_demo",
    "import": "addin.commands.import_:cmd_import",
    "report": "addin.commands.report:cmd_report",
    "validate": "addin.commands.validate:cmd_validate",
    "addin": "addin.excel.xlam:cmd_addin",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one clear line
        self.print_usage(sys.stderr)
        self.exit(2, f"csq: {t('error', msg=message)}\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser; help text in English, or in Chinese when ``CSQ_LANG`` starts with zh."""
    zh = default_lang() == "zh"

    def h(en: str, cn: str) -> str:
        return cn if zh else en

    p = _Parser(
        prog="csq",
        description=h(
            "Customer-service quality evaluation: standard Excel workbooks, "
            "reports, import and validation, with no Excel needed.",
            "客服质量评价：标准 Excel 工作簿、评价报告、数据导入与校验，无需 Excel。",
        ),
    )
    p.add_argument("--version", action="version", version=f"csq {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    lang_help = h("language of sheets and messages", "工作表与提示语言")
    force_help = h("overwrite an existing file", "覆盖已存在的文件")
    period_help = h(
        "report period: YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY or YYYY-MM-DD..YYYY-MM-DD "
        "(default: the Config sheet's report period, else the latest month with data)",
        "报告期：YYYY-MM、YYYY-Qn、YYYY-Hn、YYYY 或 YYYY-MM-DD..YYYY-MM-DD"
        "（默认：配置表中的报告期，否则为数据中最近的月份）",
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
    s.add_argument("--lang", choices=("zh", "en"), default="zh", help=lang_help)
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
    s.add_argument("--lang", choices=("zh", "en"), default="zh", help=lang_help)
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
    s.add_argument("export", help=h("CSV or XLSX export", "CSV 或 XLSX 导出文件"))
    s.add_argument(
        "--map", required=True, dest="map_path", help=h("TOML column map", "TOML 字段映射")
    )
    s.add_argument(
        "-o", "--output", required=True, help=h("the workbook to write", "要生成的工作簿")
    )
    s.add_argument("--lang", choices=("zh", "en"), default="zh", help=lang_help)
    s.add_argument("--portable", action="store_true", help=portable_help)
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
    s.add_argument("--lang", choices=("zh", "en"), default="zh", help=lang_help)

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
        help=h("message language (default: the workbook's)", "提示语言（默认随工作簿）"),
    )
    s.add_argument("--json", action="store_true", help=h("findings as JSON", "以 JSON 输出"))

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    lang = getattr(args, "lang", None) or default_lang()
    target = COMMANDS[args.command]
    module_name, func_name = target.split(":")
    try:
        module = importlib.import_module(module_name)
        handler = getattr(module, func_name)
    except (ImportError, AttributeError):
        print(f"csq: {t('not_available', lang, cmd=args.command)}", file=sys.stderr)
        return 2
    try:
        return int(handler(args) or 0)
    except CsqError as exc:
        print(f"csq: {t('error', lang, msg=exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"csq: {t('interrupted', lang)}", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

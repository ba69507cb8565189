"""The ``csq`` argument parser: one small function per command adds its arguments; help text
in the message language (``CSQ_LANG``, else the locale), argparse's own texts too
(:func:`argparse_language`)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

from udfs import __version__
from udfs.core.i18n import default_lang

from ..jobs.common import t
from .help_format import WidthHelpFormatter

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
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", WidthHelpFormatter)  # Chinese: display width
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:  # usage errors exit 2 with one clear line
        self.print_usage(sys.stderr)
        self.exit(2, f"csq: {t('error', msg=message)}\n")


class _Help:
    """Help texts in the message language: ``h(en, zh)``, and those several commands share."""

    def __init__(self, zh: bool) -> None:
        self.zh = zh
        self.lang = self(
            "language of the workbook or report written (default: the input workbook's, "
            "else the message language)",
            "所生成工作簿或报告的语言（默认随输入工作簿，否则随提示语言）",
        )
        self.force = self("overwrite an existing file", "覆盖已存在的文件")
        self.period = self(
            "report period: YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY or YYYY-MM-DD..YYYY-MM-DD "
            "(default: the Config sheet's report period, else the latest month with data)",
            "报告期：YYYY-MM、YYYY-Qn、YYYY-Hn、YYYY 或 YYYY-MM-DD..YYYY-MM-DD"
            "（默认：配置表中的报告期，否则为数据中最近的月份）",
        )
        self.tag = self(
            "fill a blank problem category from the description by keyword (Config keywords); "
            "the QC note says so",
            "按关键词由问题描述填写空白的问题类别（配置表关键词）；质检备注中注明",
        )
        self.keywords = self(
            "with --tag: the keyword table to tag by, a CSQ workbook (its Config keywords) or "
            "a CSV of keyword,category[,polarity] lines (default: the new workbook's keywords)",
            "与 --tag 同用：按此关键词表标注，可为 CSQ 工作簿（其配置表关键词）或每行 "
            "关键词,类别[,极性] 的 CSV（默认：新工作簿的关键词）",
        )
        self.portable = self(
            "native Excel formulas only (no CSQ_ functions), for Excel without Python, "
            "Mac, web, LibreOffice, WPS",
            "仅使用 Excel 原生公式（不调用 CSQ_ 函数），适用于无 Python 的 Excel、Mac、网页版、"
            "LibreOffice、WPS",
        )
        self.as_of = self(
            "evaluation date YYYY-MM-DD (default today)", "评估基准日 YYYY-MM-DD（默认今天）"
        )

    def __call__(self, en: str, cn: str) -> str:
        return cn if self.zh else en


def build_parser() -> argparse.ArgumentParser:
    """The parser; help text in the message language (``CSQ_LANG``, else the locale)."""
    h = _Help(default_lang() == "zh")
    p = _Parser(
        prog="csq",
        description=h(
            "Customer-service quality evaluation: standard Excel workbooks, "
            "reports, import and validation, with no Excel needed.",
            "客服质量评价：标准 Excel 工作簿、评价报告、数据导入与校验，无需 Excel。",
        ),
    )
    p.add_argument(
        "--version",
        action="version",
        version=f"csq {__version__}",
        help=h("show the version and exit", "显示版本号并退出"),
    )
    p.add_argument(
        "--debug",
        action="store_true",
        help=h(
            "show the full Python traceback of an unexpected error (also CSQ_DEBUG=1)",
            "出现意外错误时显示完整的 Python 回溯（也可设 CSQ_DEBUG=1）",
        ),
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for add in SUBCOMMANDS:
        add(sub, h)
    return p


def _lang_arg(s: argparse.ArgumentParser, help: str) -> None:
    s.add_argument("--lang", choices=("zh", "en"), default=None, help=help)


def _export_args(s: argparse.ArgumentParser, h: _Help) -> None:
    """csq import and csq sample: the export, its column map, the workbook to write."""
    s.add_argument("export", help=h("CSV or XLSX export", "CSV 或 XLSX 导出文件"))
    s.add_argument(
        "--map", required=True, dest="map_path", help=h("TOML column map", "TOML 字段映射")
    )
    s.add_argument(
        "-o", "--output", required=True, help=h("the workbook to write", "要生成的工作簿")
    )


def _new(sub: Any, h: _Help) -> None:
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
    _lang_arg(s, h.lang)
    s.add_argument("--portable", action="store_true", help=h.portable)
    s.add_argument(
        "--compat",
        action="store_true",
        help=h(
            "CSQ_ functions as legacy array formulas, for Excel 2016/2019 (no dynamic arrays)",
            "CSQ_ 函数写成传统数组公式，适用于 Excel 2016/2019（无动态数组）",
        ),
    )
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
    s.add_argument("--force", action="store_true", help=h.force)


def _demo(sub: Any, h: _Help) -> None:
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
    _lang_arg(s, h.lang)
    s.add_argument(
        "--seed", type=int, default=7, help=h("random seed of the sample data", "示例数据随机种子")
    )
    s.add_argument(
        "--force",
        action="store_true",
        help=h(
            "write the demo over demo workbooks already in the folder (they may hold your edits)",
            "覆盖文件夹中已有的示例工作簿（其中可能有你的修改）",
        ),
    )


def _import(sub: Any, h: _Help) -> None:
    s = sub.add_parser(
        "import",
        help=h("a ticket-system export into a standard workbook", "将工单系统导出转为标准工作簿"),
        description=h(
            "Turn a CSV/XLSX export with its own headers into a filled "
            "standard workbook, using a TOML column map.",
            "按 TOML 字段映射，将带自有表头的 CSV/XLSX 导出文件转为已填写的标准工作簿。",
        ),
    )
    _export_args(s, h)
    _lang_arg(s, h.lang)
    s.add_argument("--portable", action="store_true", help=h.portable)
    s.add_argument("--tag", action="store_true", help=h.tag)
    s.add_argument("--keywords", metavar="FILE", default=None, help=h.keywords)
    s.add_argument("--force", action="store_true", help=h.force)


def _sample(sub: Any, h: _Help) -> None:
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
    _export_args(s, h)
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
    _lang_arg(s, h.lang)
    s.add_argument("--portable", action="store_true", help=h.portable)
    s.add_argument("--tag", action="store_true", help=h.tag)
    s.add_argument("--keywords", metavar="FILE", default=None, help=h.keywords)
    s.add_argument("--force", action="store_true", help=h.force)


def _report(sub: Any, h: _Help) -> None:
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
    s.add_argument("--as-of", default=None, help=h.as_of)
    s.add_argument("--period", default=None, metavar="P", help=h.period)
    s.add_argument("--jobs", type=int, default=1, help=h("parallel processes", "并行进程数"))
    s.add_argument(
        "--format",
        default=None,
        metavar="FMT",
        help=h(
            "report formats, comma-separated: xlsx, docx, pptx, pdf (default: the Config "
            "sheet's report formats, else xlsx,docx); summary.json is always written",
            "报告格式，逗号分隔：xlsx、docx、pptx、pdf（默认取配置表的“报告格式”，否则为 "
            "xlsx,docx）；summary.json 总会生成",
        ),
    )
    _lang_arg(s, h.lang)
    _scope_args(s, h)


def _scope_args(s: argparse.ArgumentParser, h: _Help) -> None:
    """csq report: special evaluations, baseline, chapters, department roll-up (issue 19)."""
    s.add_argument(
        "--where",
        action="append",
        default=None,
        metavar="FIELD=V1,V2",
        help=h(
            "special evaluation: only contacts whose FIELD is one of the values (repeatable; "
            "service_type, channel, team, agent_id, customer_level, problem_category, source, "
            "contact_id=@FILE)",
            "专项评价：只统计该字段为所列取值的联系记录（可重复；service_type、channel、team、"
            "agent_id、customer_level、problem_category、source、contact_id=@文件）",
        ),
    )
    s.add_argument(
        "--compare",
        default=None,
        metavar="P",
        help=h(
            "a baseline period shown as 'vs P' beside the changes (YYYY-MM, YYYY-Qn, YYYY-Hn, "
            "YYYY or a date range)",
            "对比基期，在环比、同比旁显示“较 P”（YYYY-MM、YYYY-Qn、YYYY-Hn、YYYY 或日期区间）",
        ),
    )
    s.add_argument(
        "--by",
        default=None,
        metavar="FIELD",
        help=h(
            "one chapter per value of FIELD (service_type, channel, team, customer_level, ..., "
            "or an extra column of an imported export, e.g. Priority)",
            "按字段分章（service_type、channel、team、customer_level 等，或导入时保留的额外列，"
            "如 优先级）",
        ),
    )
    s.add_argument(
        "--combine",
        default=None,
        metavar="NAME",
        help=h(
            "department report: all inputs as one population, written as NAME.report.xlsx",
            "部门报告：全部输入合并为一个总体，输出 NAME.report.xlsx",
        ),
    )
    s.add_argument(
        "--config",
        default=None,
        metavar="WORKBOOK",
        help=h(
            "with --combine: the workbook whose Config sheet (weights, bands, targets) is the "
            "department's (default: the first input's)",
            "与 --combine 同用：以该工作簿的配置表（权重、分档、目标）为部门配置（默认第一个输入）",
        ),
    )


def _feedback(sub: Any, h: _Help) -> None:
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
    s.add_argument("--period", default=None, metavar="P", help=h.period)
    s.add_argument("--as-of", default=None, help=h.as_of)
    _lang_arg(s, h("language of the files (default: the workbook's)", "文件语言（默认随工作簿）"))


def _actions(sub: Any, h: _Help) -> None:
    s = sub.add_parser(
        "actions",
        help=h("add draft actions from the findings", "根据发现添加改进措施草稿"),
        description=h(
            "Append one draft row to the Actions table per finding of the report that has no "
            "open action yet (measure = the recommendation, linked problem/metric, baseline = "
            "the current value, target = the KPI target); owner, cooperating dept and planned "
            "date are left highlighted for you. Running it again adds nothing. Only the "
            "Actions table changes.",
            "为报告中尚无进行中措施的每条发现，在改进跟踪表追加一行措施草稿（措施 = 建议，"
            "关联问题/指标，基线 = 当前值，目标 = 指标目标）；责任人、配合部门、计划完成日期"
            "留空并高亮待填。重复运行不会重复添加。只修改改进跟踪表。",
        ),
    )
    s.add_argument("workbook", help=h("the workbook", "工作簿"))
    s.add_argument(
        "--from-findings",
        action="store_true",
        help=h("one draft per finding without an open action", "每条尚无措施的发现生成一条草稿"),
    )
    where = s.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", default=None, help=h("write a copy here", "写入此副本"))
    where.add_argument(
        "--in-place",
        action="store_true",
        help=h("change the workbook itself (atomically)", "直接修改工作簿（原子写入）"),
    )
    s.add_argument("--period", default=None, metavar="P", help=h.period)
    s.add_argument("--as-of", default=None, help=h.as_of)


def _validate(sub: Any, h: _Help) -> None:
    s = sub.add_parser(
        "validate",
        help=h("check a workbook cell by cell", "逐单元格校验工作簿"),
        description=h(
            "List every problem with sheet, cell, value and rule; exit 1 when there are errors.",
            "列出每个问题的工作表、单元格、值与规则；有错误时退出码为 1。",
        ),
    )
    s.add_argument("workbook")
    _lang_arg(
        s,
        h(
            "message language (default: CSQ_LANG, else the system locale)",
            "提示语言（默认随 CSQ_LANG，否则随系统区域设置）",
        ),
    )
    s.add_argument("--json", action="store_true", help=h("findings as JSON", "以 JSON 输出"))


def _convert(sub: Any, h: _Help) -> None:
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
    variant.add_argument("--portable", action="store_true", help=h.portable)
    variant.add_argument(
        "--udf",
        action="store_true",
        help=h("CSQ_ functions (needs the add-in)", "使用 CSQ_ 函数（需加载项）"),
    )
    s.add_argument(
        "-o", "--output", required=True, help=h("the workbook to write", "要生成的工作簿")
    )
    _lang_arg(
        s,
        h(
            "language of the new workbook and messages (default: the input's)",
            "新工作簿与提示的语言（默认随输入）",
        ),
    )
    s.add_argument("--force", action="store_true", help=h.force)


def _addin(sub: Any, h: _Help) -> None:
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


def _selftest(sub: Any, h: _Help) -> None:
    s = sub.add_parser(
        "selftest",
        help=h("a workbook that tests the add-in in Excel", "在 Excel 中检验加载项的自检工作簿"),
        description=h(
            "Write a workbook calling every CSQ_ function on fixed inputs beside the expected "
            "value, with PASS/FAIL per row and a total: open it in Excel with the add-in and "
            "press Refresh scores.",
            "生成自检工作簿：每个 CSQ_ 函数以固定输入计算，旁边是预期值，逐行显示 PASS/FAIL 并"
            "汇总；在装有加载项的 Excel 中打开后点击“刷新评分”。",
        ),
    )
    s.add_argument(
        "-o",
        "--output",
        default="selftest.xlsx",
        help=h(
            "the workbook to write (default selftest.xlsx)", "要生成的工作簿（默认 selftest.xlsx）"
        ),
    )
    s.add_argument("--force", action="store_true", help=h.force)


SUBCOMMANDS: tuple[Callable[[Any, _Help], None], ...] = (
    _new,
    _demo,
    _import,
    _sample,
    _report,
    _feedback,
    _actions,
    _validate,
    _convert,
    _addin,
    _selftest,
)
"""The commands in the order ``csq --help`` lists them."""

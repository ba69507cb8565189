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

from .i18n import default_lang, t

COMMANDS: dict[str, str] = {
    # command -> "module:function"; the function takes the parsed args and returns an exit code
    "new": "workbook_templates.builder:cmd_new",
    "demo": "addin.demo:cmd_demo",
    "import": "addin.importer:cmd_import",
    "report": "addin.batch:cmd_report",
    "validate": "addin.validate:cmd_validate",
    "addin": "addin.xlam:cmd_addin",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one clear line
        self.print_usage(sys.stderr)
        self.exit(2, f"csq: {t('error', msg=message)}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="csq",
        description="Customer-service quality evaluation: standard Excel workbooks, "
        "reports, import and validation, with no Excel needed.",
    )
    p.add_argument("--version", action="version", version=f"csq {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    s = sub.add_parser(
        "new",
        help="write a fresh standard workbook",
        description="Write a fresh standard workbook (Guide, Config, Monitoring, "
        "Problems, Actions, Evaluation form).",
    )
    s.add_argument("path", help="the .xlsx file to write")
    s.add_argument("--lang", choices=("zh", "en"), default="zh", help="sheet and header language")
    s.add_argument(
        "--portable",
        action="store_true",
        help="native Excel formulas only (no CSQ_ functions), for Excel without "
        "Python, Mac, web, LibreOffice, WPS",
    )
    s.add_argument(
        "--rows",
        type=int,
        default=None,
        metavar="N",
        help="blank Monitoring rows to type into (default 200; a Table on a protected "
        "sheet does not grow by itself)",
    )
    s.add_argument("--force", action="store_true", help="overwrite an existing file")

    s = sub.add_parser(
        "demo",
        help="sample workbooks and their reports (start here)",
        description="Write realistic sample workbooks (several months, teams, "
        "agents, channels, problems and actions) and generate their reports.",
    )
    s.add_argument("dir", nargs="?", default="csq-demo", help="output folder (default csq-demo)")
    s.add_argument("--lang", choices=("zh", "en"), default="zh")
    s.add_argument("--seed", type=int, default=7, help="random seed of the sample data")

    s = sub.add_parser(
        "import",
        help="a ticket-system export into a standard workbook",
        description="Turn a CSV/XLSX export with its own headers into a filled "
        "standard workbook, using a TOML column map.",
    )
    s.add_argument("export", help="CSV or XLSX export")
    s.add_argument("--map", required=True, dest="map_path", help="TOML column map")
    s.add_argument("-o", "--output", required=True, help="the workbook to write")
    s.add_argument("--lang", choices=("zh", "en"), default="zh")
    s.add_argument("--portable", action="store_true")
    s.add_argument("--force", action="store_true", help="overwrite an existing file")

    s = sub.add_parser(
        "report",
        help="evaluation reports for workbooks (batch)",
        description="Write <name>.report.xlsx and <name>.summary.json for every "
        "input workbook. Inputs may be files, folders or globs.",
    )
    s.add_argument("inputs", nargs="+", metavar="INPUT")
    s.add_argument("-o", "--output-dir", default=None, help="output folder (default: beside input)")
    s.add_argument("--as-of", default=None, help="evaluation date YYYY-MM-DD (default today)")
    s.add_argument("--jobs", type=int, default=1, help="parallel processes")
    s.add_argument("--lang", choices=("zh", "en"), default="zh")

    s = sub.add_parser(
        "validate",
        help="check a workbook cell by cell",
        description="List every problem with sheet, cell, value and rule; "
        "exit 1 when there are errors.",
    )
    s.add_argument("workbook")
    s.add_argument("--lang", choices=("zh", "en"), default=None)
    s.add_argument("--json", action="store_true", help="findings as JSON")

    s = sub.add_parser(
        "addin",
        help="build or install the Excel add-in",
        description="Build dist/csq.xlam, or install it into Excel.",
    )
    s.add_argument("action", choices=("build", "install"))
    s.add_argument("-o", "--output", default=None, help="where to write the .xlam (build)")
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

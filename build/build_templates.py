"""Write the standard workbook templates into dist/: both languages, UDF and portable.

Usage: python build/build_templates.py [OUTPUT_DIR] [--examples]
Writes csq-template-<lang>.xlsx (UDF mode: CSQ_ functions) and
csq-template-<lang>-portable.xlsx (native formulas only); with --examples also a filled
example of each (200 sample contacts, problems and actions, as-of 2024-07-10).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbook_templates import example_rows as sample  # noqa: E402
from workbook_templates.builder import build_workbook  # noqa: E402

EXAMPLE_AS_OF = dt.date(2024, 7, 10)


def template_name(lang: str, portable: bool, example: bool = False) -> str:
    kind = "example" if example else "template"
    return f"csq-{kind}-{lang}{'-portable' if portable else ''}.xlsx"


def build_all(out: Path, examples: bool = False) -> list[Path]:
    written = []
    for lang in ("zh", "en"):
        for portable in (False, True):
            written.append(build_workbook(out / template_name(lang, portable), lang, portable))
            if examples:
                written.append(
                    build_workbook(
                        out / template_name(lang, portable, example=True),
                        lang,
                        portable,
                        monitoring=sample.monitoring_rows(200, lang),
                        problems=sample.problem_rows(lang),
                        actions=sample.action_rows(EXAMPLE_AS_OF, lang),
                        as_of=EXAMPLE_AS_OF,
                        as_of_fixed=True,
                    )
                )
    return written


def main(argv: list[str]) -> int:
    examples = "--examples" in argv
    args = [a for a in argv if a != "--examples"]
    out = Path(args[0]) if args else ROOT / "dist"
    for path in build_all(out, examples):
        print(f"written: {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

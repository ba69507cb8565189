"""``csq new PATH [--lang zh|en] [--portable] [--rows N] [--force]``: a fresh standard workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbook_templates.builder import EMPTY_ROWS, build_workbook

from .common import check_output, t


def cmd_new(args: Any) -> int:
    path = Path(args.path)
    from udfs.core.i18n import default_lang, output_lang

    lang = default_lang()  # messages
    check_output(path, lang, force=bool(getattr(args, "force", False)))
    build_workbook(
        path,
        lang=output_lang(getattr(args, "lang", None)),  # type: ignore[arg-type]
        portable=bool(getattr(args, "portable", False)),
        blank_rows=EMPTY_ROWS if getattr(args, "rows", None) is None else args.rows,
    )
    print(t("written", lang, path=path))
    return 0

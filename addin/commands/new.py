"""``csq new PATH [--lang zh|en] [--portable|--compat] [--rows N] [--force]``: a fresh standard workbook
(the work: :mod:`addin.jobs.new_workbook`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..jobs.common import check_output, t
from ..jobs.new_workbook import new_workbook


def cmd_new(args: Any) -> int:
    path = Path(args.path)
    from udfs.core.i18n import default_lang, output_lang

    lang = default_lang()  # messages
    check_output(path, lang, force=bool(getattr(args, "force", False)))
    new_workbook(
        path,
        output_lang(getattr(args, "lang", None)),
        bool(getattr(args, "portable", False)),
        getattr(args, "rows", None),
        bool(getattr(args, "compat", False)),
    )
    print(t("written", lang, path=path))
    return 0

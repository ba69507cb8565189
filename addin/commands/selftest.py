"""``csq selftest [-o selftest.xlsx] [--force]``: the self-test workbook for real Excel
(the work: :mod:`addin.jobs.selftest`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from udfs.core.i18n import Catalog, default_lang

from ..jobs.common import check_output, t
from ..jobs.selftest import CHECKS, write_selftest

_msg = Catalog(
    {
        "next": (
            "Open it in Excel with the CSQ add-in loaded, enable editing and press Refresh "
            "scores: cell A2 should say 'all {n} passed'.",
            "请在装有 CSQ 加载项的 Excel 中打开，启用编辑后点击“刷新评分”：A2 单元格应显示"
            "“全部 {n} 项通过”。",
        ),
    }
)


def cmd_selftest(args: Any) -> int:
    lang = default_lang()
    path = Path(getattr(args, "output", None) or "selftest.xlsx")
    check_output(path, lang, force=bool(getattr(args, "force", False)))
    write_selftest(path)
    print(t("written", lang, path=path))
    print(_msg("next", lang, n=len(CHECKS)))
    return 0

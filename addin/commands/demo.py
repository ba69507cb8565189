"""``csq demo [DIR] [--lang zh|en] [--seed N] [--force]``: realistic demo workbooks and their reports
(the work: :mod:`addin.jobs.demo`)."""

from __future__ import annotations

from typing import Any

from ..jobs.demo import write_demo


def cmd_demo(args: Any) -> int:
    """``csq demo [DIR] [--lang zh|en] [--seed N] [--force]``."""
    from udfs.core.i18n import output_lang

    _, results = write_demo(
        getattr(args, "dir", None) or "csq-demo",
        lang=output_lang(getattr(args, "lang", None)),
        seed=getattr(args, "seed", 7),
        force=bool(getattr(args, "force", False)),
    )
    return 0 if all(r.ok for r in results) else 1

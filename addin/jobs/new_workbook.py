"""A fresh standard workbook (``csq new``): the template builder with its blank rows."""

from __future__ import annotations

from pathlib import Path

from workbook_templates.builder import EMPTY_ROWS, build_workbook


def new_workbook(
    path: Path, lang: str, portable: bool, rows: int | None, compat: bool = False
) -> Path:
    """Write a standard workbook in ``lang`` at ``path`` with ``rows`` blank Monitoring rows
    (None: the template's default); ``compat``: legacy array formulas for Excel 2016/2019.
    A full disk or a refused folder is the OSError it
    is (named with ``path``), not the writer's own exception around it."""
    from .common import os_error_in

    try:
        return build_workbook(
            path,
            lang=lang,  # type: ignore[arg-type]
            portable=portable,
            blank_rows=EMPTY_ROWS if rows is None else rows,
            compat=compat,
        )
    except OSError:
        raise
    except Exception as exc:
        inner = os_error_in(exc)
        if inner is None:
            raise
        raise OSError(inner.errno, inner.strerror or str(inner), str(path)) from None

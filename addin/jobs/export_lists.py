"""The values an imported export brings to the workbook's Config lists (issue 23, item 4):
its channels and service types that are not built-in choices and its problem categories
that are not on the new workbook's list join the Config lists ``choices.<field>`` (and so
the dropdowns), so that ``csq import`` and ``csq sample`` write workbooks that validate
without warnings about values the import itself wrote; the import says which values it
added (:func:`added_text`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from udfs.core.i18n import Catalog
from workbook_templates.config_tables import default_problem_categories, table_by_key

LIST_FIELDS: tuple[str, ...] = ("channel", "service_type", "problem_category")
"""Fields with a Config list, in the order the import names them."""

_msg = Catalog(
    {
        "added": (
            "added to the Config list {list!r}: {values}",
            "已添加到配置表“{list}”：{values}",
        ),
    }
)


def _key(v: Any) -> str:
    return str(v).strip().casefold()


def new_categories(monitoring: pd.DataFrame, book_lang: str) -> list[str]:
    """The problem categories of the rows that are not on a new workbook's list (in
    ``book_lang``), each once (ignoring case and surrounding spaces), in the order found."""
    if "problem_category" not in monitoring.columns:
        return []
    known = {_key(c) for c in default_problem_categories(book_lang)}  # type: ignore[arg-type]
    out: dict[str, str] = {}
    for v in monitoring["problem_category"].dropna().unique().tolist():
        t = str(v).strip()
        if t and _key(t) not in known:
            out.setdefault(_key(t), t)
    return list(out.values())


def list_additions(
    added_choices: Mapping[str, Sequence[str]], monitoring: pd.DataFrame, book_lang: str
) -> dict[str, list[str]]:
    """Field -> the values to add to its Config list: the export's own channels and
    service types (``ImportResult.added_choices``) and the rows' new problem categories."""
    out = {k: list(v) for k, v in added_choices.items() if v}
    cats = new_categories(monitoring, book_lang)
    if cats:
        out["problem_category"] = cats
    return {k: out[k] for k in LIST_FIELDS if k in out}


def config_rows(additions: Mapping[str, Sequence[str]], book_lang: str) -> dict[str, list[dict]]:
    """The Config lists with the additions: each list's default rows, then the added
    values (table key -> rows, as ``build_workbook(config_rows=...)`` takes them)."""
    out: dict[str, list[dict]] = {}
    for key, values in additions.items():
        table = table_by_key(f"choices.{key}")
        rows = [{"value": r[0]} for r in table.defaults(book_lang)]  # type: ignore[arg-type]
        out[table.key] = rows + [{"value": v} for v in values]
    return out


def added_text(additions: Mapping[str, Sequence[str]], lang: str, book_lang: str) -> list[str]:
    """One line per list that gained values: ``added to the Config list 'Service type
    choices': Billing, Tech`` (the list's title in the workbook's language)."""
    sep = "、" if lang == "zh" else ", "
    return [
        _msg("added", lang, list=table_by_key(f"choices.{k}").title(book_lang), values=sep.join(v))  # type: ignore[arg-type]
        for k, v in additions.items()
    ]

"""Import a ticket/telephony export into a filled standard workbook (``csq import``; the
reading: :mod:`addin.read.ticket_export`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from udfs.core.tagging import DEFAULT_KEYWORDS, fill_categories
from workbook_templates.builder import build_workbook

from ..read.ticket_export import ImportResult, for_builder, import_export
from .export_lists import config_rows, list_additions


@dataclass
class Imported:
    """The export as read (rows, findings, unanswered count) and how many blank problem
    categories were filled by keyword (None: ``--tag`` not asked)."""

    result: ImportResult
    tagged: int | None
    added: dict[str, list[str]] = field(default_factory=dict)
    """Field -> the values added to the workbook's Config list of that field."""


def import_ticket_export(
    export: Path,
    map_path: str,
    out: Path,
    lang: str,
    book_lang: str,
    portable: bool = False,
    tag: bool = False,
) -> Imported:
    """Read ``export`` through the map (messages in ``lang``), optionally fill blank problem
    categories from the description, and write the workbook ``out`` in ``book_lang``."""
    result = import_export(export, map_path, lang)
    tagged = None
    if tag:
        keywords = DEFAULT_KEYWORDS["zh" if lang == "zh" else "en"]
        tagged = fill_categories(result.monitoring, keywords, lang)
    added = list_additions(result.added_choices, result.monitoring, book_lang)
    build_workbook(
        out,
        lang=book_lang,  # type: ignore[arg-type]
        portable=portable,
        monitoring=for_builder(result.monitoring, result.not_applicable),
        config_rows=config_rows(added, book_lang),
    )
    return Imported(result, tagged, added)

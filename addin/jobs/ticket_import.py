"""Import a ticket/telephony export into a filled standard workbook (``csq import``; the
reading: :mod:`addin.read.ticket_export`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from udfs.core.backlog import OPEN_HEADERS, open_flags
from udfs.core.extra_columns import extra_key
from udfs.core.tagging import DEFAULT_KEYWORDS, Keyword, fill_categories_by
from workbook_templates.builder import build_workbook

from ..read.extra_columns import kept_header
from ..read.import_map import ImportMap
from ..read.keywords_file import load_keywords
from ..read.ticket_export import ImportResult, convert, for_builder, open_export
from .export_lists import config_rows, list_additions
from .progress import phase


@dataclass
class Imported:
    """The export as read (rows, findings, unanswered count) and how many blank problem
    categories were filled by keyword (None: ``--tag`` not asked)."""

    result: ImportResult
    tagged: int | None
    tagged_by: dict[str, int] = field(default_factory=dict)
    """Rows tagged per problem category (``--tag``)."""
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
    keywords: tuple[Keyword, ...] | None = None,
) -> Imported:
    """Read ``export`` through the map (messages in ``lang``), optionally fill blank problem
    categories from the description (by ``keywords``, default the keywords of a new
    workbook in ``book_lang``), and write the workbook ``out`` in ``book_lang`` with the
    export's new values on its Config lists."""
    phase("read_export")
    imap, rows = open_export(export, map_path, lang)
    phase("convert")
    result = convert(rows, imap, lang)
    del rows  # the export's columns are not needed any more: freed before the writing
    tagged = None
    tagged_by: dict[str, int] = {}
    if tag:  # the new workbook's keywords unless a table is given (--keywords)
        kws = keywords or DEFAULT_KEYWORDS["zh" if book_lang == "zh" else "en"]
        tagged_by = fill_categories_by(result.monitoring, kws, book_lang)
        tagged = sum(tagged_by.values())
    add_open_column(result.monitoring, imap, lang, book_lang)
    added = list_additions(result.added_choices, result.monitoring, book_lang)
    phase("write_workbook")
    build_workbook(
        out,
        lang=book_lang,  # type: ignore[arg-type]
        portable=portable,
        monitoring=for_builder(result.monitoring, result.not_applicable),
        config_rows=config_rows(added, book_lang),
    )
    return Imported(result, tagged, tagged_by, added)


def add_open_column(monitoring: Any, imap: ImportMap, lang: str, book_lang: str) -> None:
    """With ``[options] status`` (a column the map does not name, kept as an extra column)
    and ``open`` (the open statuses, a list or comma-separated), the extra column
    ``Open (Y/N)`` / ``未结(Y/N)``: Y for an open status, N for another, blank for none
    (:mod:`udfs.core.backlog` reads it for the report's backlog)."""
    status = imap.options.get("status")
    if not status:
        return
    key: str | None = extra_key(kept_header(status, lang))
    if key not in monitoring.columns:  # the status column is mapped to a field
        src = next((k for k, v in imap.columns.items() if v == [status]), None)
        key = src if src in monitoring.columns else None
    if key is None:
        return
    raw = imap.options.get("open", "")
    values = [v for part in raw.split("\n") for v in part.split(",")]
    monitoring[extra_key(OPEN_HEADERS["zh" if book_lang == "zh" else "en"])] = open_flags(
        monitoring[key].tolist(), values
    )


def keyword_table(path: str | None, lang: str) -> tuple[Keyword, ...] | None:
    """The ``--keywords FILE`` table (:mod:`addin.read.keywords_file`); None without one."""
    return load_keywords(path, lang) if path else None

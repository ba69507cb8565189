"""Population and QA sample of a ticket export (``csq sample``): a stratified random QA
sample of a full export, written as a standard workbook ready for the reviewers (rubric
cells blank), with the population figures of the whole export.

The export is read with the same map and conversion rules as ``csq import``
(:mod:`addin.read.ticket_export`, the map in :mod:`addin.read.import_map`): the first pass
over every contact reads and converts only the :data:`POPULATION_KEYS` fields, once per
distinct value, the drawn contacts then with every field.  The draw and the population figures are the core's
(:mod:`udfs.core.sampling`).  The workbook's Config sheet records the seed, the ratio, the
strata, the export's name and SHA-256, and the population figures of the whole export per
period and per stratum (Config tables ``sampling`` and ``population``), so the report can
show them beside the sample's QA scores.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from udfs.core.config import DEFAULT_CONFIG
from udfs.core.data import Finding
from udfs.core.errors import UsageError
from udfs.core.fields import RUBRIC_KEYS
from udfs.core.i18n import Catalog
from udfs.core.qa_cycle import DEFAULT_MIN_RATIO
from udfs.core.sampling import (
    SamplePlan,
    draw,
    in_period,
    population_rows,
    stratum_labels,
)
from udfs.core.tagging import DEFAULT_KEYWORDS, Keyword, fill_categories_by
from udfs.core.version import __version__
from workbook_templates.builder import build_workbook
from workbook_templates.config_tables import POPULATION, SAMPLING

from ..read.import_map import ImportMap
from ..read.ticket_export import ImportResult, convert, finding_line, for_builder, open_export
from .export_lists import config_rows as list_config_rows
from .export_lists import list_additions
from .progress import phase
from .ticket_import import add_open_column

POPULATION_KEYS: tuple[str, ...] = (
    "contact_id",
    "contact_time",
    "agent_id",
    "team",
    "channel",
    "service_type",
    "answered",
    "resolved_first_contact",
    "transferred",
    "first_response_s",
    "handle_time_s",
    "csat",
)
"""Fields converted for every contact of the export (strata and population figures)."""
REVIEW_BLANK: tuple[str, ...] = (*RUBRIC_KEYS, "critical_error", "qc_verdict")
"""Fields left blank for the reviewers, whatever the export holds."""

_msg = Catalog(
    {
        "no_contacts": (
            "{export}: no contacts to sample{where}",
            "{export}：没有可抽样的记录{where}",
        ),
        "in_period": (" in period {period}", "（期间 {period}）"),
        # the Config sheet's sampling record (column C notes)
        "note.seed": ("random seed of the draw", "抽样随机种子"),
        "note.ratio": ("ratio per stratum", "每层抽样比例"),
        "note.min": ("minimum contacts per stratum", "每层最少抽样数"),
        "note.strata": ("strata", "分层维度"),
        "note.period": ("period drawn from", "抽样期间"),
        "note.export": ("export file", "导出文件"),
        "note.export_sha256": ("SHA-256 of the export", "导出文件的 SHA-256"),
        "note.population": ("contacts in the export", "导出文件总记录数"),
        "note.sampled": ("contacts sampled", "抽样记录数"),
        "note.csq_version": ("CSQ version", "CSQ 版本"),
        "note.min_ratio": ("the report flags a lower ratio", "抽样比例低于此值时报告提示"),
    }
)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_population(
    export: Path, map_path: str, lang: str
) -> tuple[ImportMap, ImportResult, Callable[[np.ndarray], ImportResult]]:
    """Pass 1 over every contact: the map, the export converted for the
    :data:`POPULATION_KEYS` fields only, and pass 2: a function converting the export's
    rows on given lines (the drawn contacts) with every mapped field."""
    imap, rows = open_export(export, map_path, lang, first=POPULATION_KEYS)
    whole = convert(rows, imap.only(POPULATION_KEYS), lang)

    def drawn_rows(lines: np.ndarray) -> ImportResult:
        return convert(rows.drawn(lines, imap), imap, lang)

    return imap, whole, drawn_rows


@dataclass
class Sampled:
    """What :func:`draw_sample` wrote: the counts for the summary line and the findings of
    the export (the whole population's, plus the drawn contacts' other fields)."""

    sampled: int
    contacts: int
    strata: int
    seed: int
    findings: list[Finding]
    tagged: int
    added: dict[str, list[str]] = field(default_factory=dict)
    """Field -> the values added to the workbook's Config list of that field."""
    tagged_by: dict[str, int] = field(default_factory=dict)
    """Rows tagged per problem category (``--tag``)."""


def draw_sample(
    export: Path,
    map_path: str,
    out: Path,
    plan: SamplePlan,
    lang: str,
    book_lang: str,
    period: str | None = None,
    portable: bool = False,
    tag: bool = False,
    keywords: tuple[Keyword, ...] | None = None,
) -> Sampled:
    """Read the whole export (pass 1), draw the sample of ``plan`` (in ``period``), convert
    the drawn contacts with every field (pass 2) and write the workbook ``out`` with its
    Config sheet's sampling record and population table.  Raises ``UsageError`` when the
    export (or the period) holds no contact."""
    phase("read_export")
    imap, whole, convert_drawn = read_population(export, map_path, lang)
    phase("draw")
    df = whole.monitoring
    if period:
        df = df[in_period(df["contact_time"], period, lang)].reset_index(drop=True)
    if not len(df):
        where = _msg("in_period", lang, period=period) if period else ""
        raise UsageError(_msg("no_contacts", lang, export=export.name, where=where))

    labels = stratum_labels(df, plan.by, book_lang)
    picked = draw(labels, plan)
    mask = np.zeros(len(df), dtype=bool)
    mask[picked] = True
    population = population_rows(df, labels, mask, DEFAULT_CONFIG)

    # pass 2, the sampled contacts only: every mapped field
    phase("convert")
    drawn = convert_drawn(df["_row"].to_numpy()[picked])
    seen = {(f.key, f.where()) for f in whole.findings}
    extra = [
        f for f in drawn.findings if f.key not in POPULATION_KEYS and (f.key, f.where()) not in seen
    ]
    findings = sorted([*whole.findings, *extra], key=finding_line)

    sample = drawn.monitoring
    add_open_column(sample, imap, lang, book_lang)  # the backlog's Open (Y/N) column
    for key in REVIEW_BLANK:
        if key in sample.columns:
            sample[key] = None if sample[key].dtype == object else np.nan
    tagged_by: dict[str, int] = {}
    if tag:
        kws = keywords or DEFAULT_KEYWORDS["zh" if book_lang == "zh" else "en"]
        tagged_by = fill_categories_by(sample, kws, book_lang)
    tagged = sum(tagged_by.values())
    record = sampling_record(plan, period, export, len(df), len(sample))
    config_rows = {
        SAMPLING.key: [
            {"item": k, "value": v, "note": _msg(f"note.{k}", book_lang)} for k, v in record
        ],
        POPULATION.key: population,
    }
    found = {k: [*whole.added_choices.get(k, [])] for k in whole.added_choices}
    for k, values in drawn.added_choices.items():
        found[k] = [*found.get(k, []), *(v for v in values if v not in found.get(k, []))]
    added = list_additions(found, sample, book_lang)
    config_rows.update(list_config_rows(added, book_lang))
    phase("write_workbook")
    build_workbook(
        out,
        lang=book_lang,  # type: ignore[arg-type]
        portable=portable,
        monitoring=for_builder(sample),
        config_rows=config_rows,
    )
    strata = len(set(labels.tolist()))
    return Sampled(len(sample), len(df), strata, plan.seed, findings, tagged, added, tagged_by)


def sampling_record(
    plan: SamplePlan, period: str | None, export: Path, population: int, sampled: int
) -> list[tuple[str, Any]]:
    """The Config sheet's sampling record: (item, value) in the order of its rows."""
    return [
        ("seed", plan.seed),
        ("ratio", plan.ratio),
        ("min", plan.min_n),
        ("strata", ",".join(plan.by)),
        ("period", period or None),
        ("export", export.name),
        ("export_sha256", _sha256(export)),
        ("population", population),
        ("sampled", sampled),
        ("csq_version", __version__),
        ("min_ratio", DEFAULT_MIN_RATIO),
    ]

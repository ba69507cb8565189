"""The department roll-up (``csq report A.xlsx B.xlsx … --combine NAME``, the ribbon's
*Department report*): every contact of every team workbook analysed as one population and
written as ``NAME.report.xlsx`` / ``NAME.summary.json`` and the Word report, deck and PDF
its formats ask for, as a single report is (:mod:`.documents`).

Rules (docs/report.md, "Department report"):

- weights, bands and targets come from ``--config WORKBOOK`` (a workbook whose Config sheet
  is the department's), else from the first usable workbook; every workbook whose Config
  differs is a data-quality finding listing the differing settings;
- each contact's team is its ``team`` cell, else its workbook's name;
- the same contact id in two workbooks is a finding and counted once (the first workbook's
  row is kept);
- a workbook that cannot be used is a rejected input, and the department report names the
  team it lacks (a finding and ``Analysis.lacking``): never a figure silently missing a team;
- the report formats are ``--format``, else the Config cell "report formats" of the
  ``--config`` workbook (else the first usable one), else xlsx and docx;
- problems (Pareto) are merged by name, actions and calibration rows are all kept; the
  language is ``--lang``, else the first workbook's.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from udfs.core.data import Finding, WorkbookData
from udfs.core.errors import CsqError
from udfs.core.problems import Text
from udfs.core.scope import Scope, field_name

from .report import Result, msg, output_paths, pick_as_of, write_outputs


@dataclass
class Rollup:
    """What a roll-up did: the department report's result and one result per input."""

    report: Result
    inputs: list[Result] = field(default_factory=list)
    lacking: list[str] = field(default_factory=list)


def _stem(path: str | Path) -> str:
    p = Path(path)
    return p.name[: -len(p.suffix)] if p.suffix else p.name


def _read(src: str, lang: str | None) -> WorkbookData | str:
    """A workbook read, or why it cannot be used (a worker process may run this)."""
    from udfs.core.i18n import default_lang

    from ..read.marker import is_csq_report
    from ..read.workbook import read_workbook

    mlang = lang or default_lang()
    try:
        if is_csq_report(src):
            return msg("is_report", mlang)
        data = read_workbook(src, lang=lang)
    except CsqError as exc:
        return exc.render(mlang)
    if data.rejected:
        return data.rejected_in(mlang)
    if not len(data.monitoring):
        return msg("no_contacts", mlang)
    return data


def config_differences(base: WorkbookData, other: WorkbookData) -> list[str]:
    """The Config settings of ``other`` that differ from ``base``'s, by name."""
    out: list[str] = []
    for key in type(base.config).model_fields:
        a, b = getattr(base.config, key), getattr(other.config, key)
        if a == b:
            continue
        if key.endswith("_indicators"):
            mine = {i.source: i for i in a}
            theirs = {i.source: i for i in b}
            out += [
                f"{key}.{src}"
                for src in sorted(set(mine) | set(theirs))
                if mine.get(src) != theirs.get(src)
            ]
        else:
            out.append(key)
    for key in sorted(set(base.config_tables) | set(other.config_tables)):
        if key in ("sampling", "population"):
            continue  # the draw of each team's own sample
        a = [_row_values(r) for r in base.config_tables.get(key) or []]
        b = [_row_values(r) for r in other.config_tables.get(key) or []]
        if a != b:
            out.append(key)
    return out


def _row_values(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "_row"}


def _with_book(f: Finding, book: str) -> Finding:
    """A workbook's finding named with its file: ``[north.xlsx]监测表`` ``B7``."""
    return replace(f, sheet=f"[{book}]{f.sheet}")


def combine(
    books: Sequence[tuple[str, WorkbookData]], base: WorkbookData, name: str
) -> WorkbookData:
    """The workbooks as one: every contact (team from the ``team`` cell, else the
    workbook's name), a contact id seen before counted once, problems, actions and
    calibration rows of all, the findings of each named with its file, plus the roll-up's
    own findings (Config differences, duplicate ids)."""
    lang = books[0][1].lang
    frames: list[pd.DataFrame] = []
    problems: list[pd.DataFrame] = []
    actions: list[pd.DataFrame] = []
    calib: list[pd.DataFrame] = []
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    header = Text(field_name("contact_id", "en"), field_name("contact_id", "zh"))
    for src, data in books:
        book = Path(src).name
        team = _stem(src)
        mon = data.monitoring.copy()
        if "team" in mon.columns:
            blank = mon["team"].isna() | (mon["team"].astype(str).str.strip() == "")
            mon["team"] = mon["team"].astype(object).where(~blank, team)
        else:
            mon["team"] = team
        if "contact_id" in mon.columns:
            ids = mon["contact_id"].astype(str).str.strip()
            dup = ids.isin(seen).to_numpy() & mon["contact_id"].notna().to_numpy()
            col = data.monitoring_columns.get("contact_id", "")
            sheet = f"[{book}]{data.monitoring_sheet or 'Monitoring'}"
            for cid, row in zip(ids[dup], mon["_row"][dup] if "_row" in mon else [], strict=False):
                params = {"header": header, "other": seen[cid]}
                cell = f"{col}{int(row)}" if col else ""
                findings.append(
                    Finding.of(
                        "rollup_duplicate_id", sheet, cell, "contact_id", cid, params, lang,
                        "warning",
                    )
                )  # fmt: skip
            for cid in ids[~dup & mon["contact_id"].notna().to_numpy()]:
                seen.setdefault(cid, book)
            mon = mon[~dup]
        frames.append(mon)
        # the workbook's own team (its contacts' most frequent team cell, else its name)
        named = mon["team"].value_counts() if len(mon) else pd.Series(dtype=int)
        own = str(named.index[0]) if len(named) else team
        for table, out in ((data.problems, problems), (data.actions, actions)):
            if len(table):
                out.append(table.assign(team=own))
        if len(data.calibration):
            calib.append(data.calibration)
        findings += [_with_book(f, book) for f in data.findings]
        if data is not base:
            diff = config_differences(base, data)
            if diff:
                params = {"base": Path(base.path).name, "cells": ", ".join(diff)}
                findings.append(
                    Finding.of(
                        "rollup_config_differs", f"[{book}]Config", "", "", "", params, lang,
                        "warning",
                    )
                )  # fmt: skip

    def cat(parts: list[pd.DataFrame], like: pd.DataFrame) -> pd.DataFrame:
        parts = [p for p in parts if len(p)]
        if not parts:
            return like.iloc[0:0]
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]

    first = books[0][1]
    monitoring = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    sha = hashlib.sha256("".join(d.sha256 for _, d in books).encode()).hexdigest()
    return WorkbookData(
        path=name,
        monitoring=monitoring.reset_index(drop=True),
        problems=merge_problems(cat(problems, first.problems), lang),
        actions=cat(actions, first.actions),
        calibration=cat(calib, first.calibration),
        config=base.config,
        findings=findings,
        lang=lang,
        sha256=sha,
        population=None,
        as_of=base.as_of,
        report_period=base.report_period,
        config_tables=base.config_tables,
        report_info=base.report_info,
        report_formats=base.report_formats,
    )


CAUSE_COLUMNS = ("direct_cause", "root_cause", "impact_scope")  # cause_category: a choice key


def merge_problems(problems: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The teams' Problems rows merged by problem name (the department Pareto counts by
    name): one row per problem, each cause as the teams wrote it, named with the team
    where the teams' causes differ (``热线一组：排班不足；在线二组：知识库过期``)."""
    if not len(problems) or "problem" not in problems.columns:
        return problems
    names = problems["problem"].astype(str).str.strip()
    keep = problems["problem"].notna() & (names != "")
    rows = []
    sep, colon = ("；", "：") if lang == "zh" else ("; ", ": ")
    for name, part in problems[keep.to_numpy()].groupby(names[keep], sort=False):
        row = part.iloc[0].to_dict()
        row["problem"] = name
        for col in CAUSE_COLUMNS:
            if col not in part.columns:
                continue
            seen: dict[str, list[str]] = {}
            for team, v in zip(part["team"], part[col], strict=True):
                if v is None or (isinstance(v, float) and v != v) or not str(v).strip():
                    continue
                seen.setdefault(str(v).strip(), []).append(str(team))
            if len(seen) > 1:
                row[col] = sep.join(f"{'、'.join(t) if lang == 'zh' else ', '.join(t)}{colon}{v}"
                                    for v, t in seen.items())  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows, columns=problems.columns)


def read_all(inputs: Sequence[Path], lang: str | None, jobs: int = 1) -> list[WorkbookData | str]:
    """Every input read (in ``jobs`` processes), in input order."""
    if jobs <= 1 or len(inputs) <= 1:
        return [_read(str(p), lang) for p in inputs]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(jobs, len(inputs))) as pool:
        return list(pool.map(_read, [str(p) for p in inputs], [lang] * len(inputs)))


def rollup(
    inputs: Sequence[Path],
    name: str,
    out_dir: Path | None,
    as_of: _dt.date | None,
    lang: str | None,
    msg_lang: str,
    *,
    period: str | None = None,
    scope: Scope | None = None,
    config: Path | None = None,
    jobs: int = 1,
    on_done: Callable[[Result], None] | None = None,
    formats: tuple[str, ...] | None = None,
) -> Rollup:
    """Analyse every contact of ``inputs`` as one department and write ``NAME.summary.json``
    and the report formats (``formats``, else the department Config's "report formats",
    else xlsx and docx) into ``out_dir``, else beside the first input.  Never raises for a
    bad workbook: it is a rejected input and a team the report lacks."""
    from udfs.core.analysis import analyse
    from udfs.core.i18n import output_lang

    read = read_all(inputs, lang if lang in ("zh", "en") else None, jobs)
    results, books, lacking = [], [], []
    for src, data in zip(inputs, read, strict=True):
        if isinstance(data, str):
            results.append(Result(str(src), False, data))
            lacking.append(_stem(src))
        else:
            results.append(Result(str(src), True))
            books.append((str(src), data))
        if on_done:
            on_done(results[-1])
    folder = out_dir if out_dir is not None else (Path(inputs[0]).parent if inputs else Path())
    report_path, summary_path = output_paths(Path(folder) / f"{name}.xlsx", None)
    if not books:
        return Rollup(Result(name, False, msg("no_contacts", msg_lang)), results, lacking)
    base = books[0][1]
    if config is not None:
        got = _read(str(config), lang if lang in ("zh", "en") else None)
        if isinstance(got, str):
            return Rollup(Result(str(config), False, got), results, lacking)
        base = got
    data = combine(books, base, name)
    for src, r in zip(inputs, results, strict=True):
        if not r.ok:
            params = {"name": Path(src).name, "reason": r.reason, "team": _stem(src)}
            data.findings.append(
                Finding.of("rollup_team_missing", "", "", "", "", params, data.lang)
            )
    rlang = output_lang(lang, data.lang)
    when, rule = pick_as_of(as_of, data.as_of)
    try:
        an = analyse(
            data,
            when,
            period or data.report_period,
            as_of_rule=rule,
            scope=replace(scope or Scope(), teams=True),
        )
    except CsqError as exc:
        return Rollup(Result(name, False, exc.render(msg_lang)), results, lacking)
    an.source = name
    an.combined = [Path(s).name for s, _ in books]
    an.lacking = lacking
    done = write_outputs(name, data, an, when, rlang, msg_lang, report_path, summary_path, formats)
    return Rollup(done, results, lacking)

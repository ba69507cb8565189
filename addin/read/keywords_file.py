"""The keyword table of ``csq import --tag`` / ``csq sample --tag`` given with
``--keywords FILE``: a CSQ workbook (its Config sheet's Keywords table) or a CSV / text
file of ``keyword,category[,polarity]`` lines (UTF-8 or GBK; a header line naming the
columns is skipped; polarity blank = negative, a complaint)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from udfs.core.errors import UsageError
from udfs.core.i18n import Catalog
from udfs.core.tagging import Keyword, keywords_from_rows, polarity_key

_msg = Catalog(
    {
        "missing": ("{path}: keyword file not found", "{path}：关键词文件不存在"),
        "kind": (
            "{path}: a keyword file is a CSQ workbook (.xlsx) or a CSV/text file of "
            "keyword,category[,polarity] lines",
            "{path}：关键词文件应为 CSQ 工作簿（.xlsx），或每行 关键词,类别[,极性] 的 CSV/文本文件",
        ),
        "line": (
            "{path}:{line}: expected keyword,category[,polarity] (polarity: negative or "
            "positive, 负面 or 正面), got {text!r}",
            "{path}:{line}：应为 关键词,类别[,极性]（极性：负面 或 正面，negative 或 positive），"
            "实际为 {text!r}",
        ),
        "empty": ("{path}: no keywords in the file", "{path}：文件中没有关键词"),
        "no_table": (
            "{path}: the workbook has no Keywords table on its Config sheet",
            "{path}：该工作簿的配置表中没有关键词表",
        ),
    }
)
_HEADERS = {"keyword", "keywords", "关键词"}


def load_keywords(path: str | Path, lang: str) -> tuple[Keyword, ...]:
    """The keyword list in ``path``; ``UsageError`` naming the file (and line) otherwise."""
    p = Path(path)
    if not p.is_file():
        raise UsageError(_msg("missing", lang, path=p))
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from .workbook import read_workbook

        rows = read_workbook(p, lang=lang).config_tables.get("keywords")
        if rows is None:
            raise UsageError(_msg("no_table", lang, path=p))
        kws = keywords_from_rows(rows, lang)
    elif suffix in (".csv", ".txt", ".tsv"):
        kws = _from_text(p, lang)
    else:
        raise UsageError(_msg("kind", lang, path=p))
    if not kws:
        raise UsageError(_msg("empty", lang, path=p))
    return kws


def _from_text(p: Path, lang: str) -> tuple[Keyword, ...]:
    data = p.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UsageError(_msg("kind", lang, path=p))
    delimiter = "\t" if p.suffix.lower() == ".tsv" else ","
    out: list[Keyword] = []
    for n, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if n == 1 and cells[0].casefold() in _HEADERS:
            continue
        pol = polarity_key(cells[2] if len(cells) > 2 else None)
        if len(cells) < 2 or not cells[0] or not cells[1] or pol is None or len(cells) > 3:
            raise UsageError(_msg("line", lang, path=p, line=n, text=delimiter.join(row)))
        out.append(Keyword(cells[0], cells[1], pol))
    return tuple(out)

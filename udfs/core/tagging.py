"""Keyword tagging of customer feedback: a problem category from the description's words.

A keyword list (the Config sheet's Keywords table, or :data:`DEFAULT_KEYWORDS`) maps a
keyword to a problem category and a polarity (``negative`` = a complaint, ``positive`` =
praise).  :func:`tag` gives each text the category of its longest matching keyword
(ties: the first in the list); Chinese is matched as a plain substring (no word
segmentation), English as words, ignoring case, with simple stemming (:func:`stem`:
"resolved", "resolves", "resolving" are "resolve"; a negating prefix un-, non-, dis-,
in-, im-, mis- is allowed, so "unresolved" matches "resolve"; "patient" no longer matches
inside "outpatient"); no match -> ``None``.  :func:`keyword_counts`
counts, per keyword, the texts that mention it (a keyword inside a longer keyword that
also matched the same text is not counted twice: "慢" inside "响应慢").

Used by ``CSQ_TAG``, ``csq import --tag`` / ``csq sample --tag`` and the report's keyword
frequencies, so every face tags the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

Polarity = Literal["negative", "positive"]

POLARITY_LABELS: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "negative": ("负面", "negative"),
    "positive": ("正面", "positive"),
}


@dataclass(frozen=True)
class Keyword:
    """One row of the keyword list."""

    keyword: str
    category: str
    polarity: Polarity = "negative"


def polarity_key(value: Any) -> Polarity | None:
    """``负面``/``negative``/``neg``/``-`` -> negative; ``正面``/``positive``/``+`` -> positive;
    blank -> negative (a keyword is a complaint unless marked otherwise); else ``None``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "negative"
    s = str(value).strip().casefold()
    if s in ("负面", "负", "negative", "neg", "-", "差评"):
        return "negative"
    if s in ("正面", "正", "positive", "pos", "+", "好评"):
        return "positive"
    return None


_ZH: tuple[tuple[str, str, Polarity], ...] = (
    ("响应慢", "等待时间长", "negative"),
    ("等待时间长", "等待时间长", "negative"),
    ("排队太久", "等待时间长", "negative"),
    ("没人接", "等待时间长", "negative"),
    ("语气生硬", "态度冷淡", "negative"),
    ("态度差", "态度冷淡", "negative"),
    ("不耐烦", "态度冷淡", "negative"),
    ("未使用礼貌用语", "服务规范", "negative"),
    ("产品知识不熟", "答复不准确", "negative"),
    ("答复不准确", "答复不准确", "negative"),
    ("解决方案错误", "答复不准确", "negative"),
    ("答非所问", "答复不准确", "negative"),
    ("问题未解决", "问题未解决", "negative"),
    ("重复来电", "问题未解决", "negative"),
    ("物流延迟", "物流延迟", "negative"),
    ("退款慢", "退款慢", "negative"),
    ("系统故障", "系统故障", "negative"),
    ("流程繁琐", "流程繁琐", "negative"),
    ("解答专业", "表扬", "positive"),
    ("态度好", "表扬", "positive"),
    ("耐心", "表扬", "positive"),
    ("响应及时", "表扬", "positive"),
    ("一次解决", "表扬", "positive"),
)
_EN: tuple[tuple[str, str, Polarity], ...] = (
    ("slow response", "Long wait", "negative"),
    ("long wait", "Long wait", "negative"),
    ("on hold", "Long wait", "negative"),
    ("no answer", "Long wait", "negative"),
    ("rude", "Cold attitude", "negative"),
    ("impatient", "Cold attitude", "negative"),
    ("unfriendly", "Cold attitude", "negative"),
    ("no greeting", "Service etiquette", "negative"),
    ("did not know the product", "Wrong answer", "negative"),
    ("wrong answer", "Wrong answer", "negative"),
    ("wrong solution", "Wrong answer", "negative"),
    ("not resolved", "Not resolved", "negative"),
    ("called again", "Not resolved", "negative"),
    ("delivery delay", "Delivery delay", "negative"),
    ("late delivery", "Delivery delay", "negative"),
    ("slow refund", "Slow refund", "negative"),
    ("system outage", "System outage", "negative"),
    ("red tape", "Red tape", "negative"),
    ("professional", "Praise", "positive"),
    ("friendly", "Praise", "positive"),
    ("patient", "Praise", "positive"),
    ("quick response", "Praise", "positive"),
    ("solved first time", "Praise", "positive"),
)
DEFAULT_KEYWORDS: dict[str, tuple[Keyword, ...]] = {
    "zh": tuple(Keyword(*k) for k in _ZH),
    "en": tuple(Keyword(*k) for k in _EN),
}
"""The keyword list of a new workbook, from the templates' vocabulary (zh and en)."""


def _norm_texts(texts: Iterable[Any]) -> pd.Series:
    vals = [v if isinstance(v, str) else ("" if v is None or v != v else str(v)) for v in texts]
    return pd.Series(vals, dtype=object).str.casefold()


_WORD = re.compile(r"[a-z0-9]+")
_SUFFIXES = ("ness", "ment", "ing", "ies", "ed", "es", "ly", "s")
NEGATING_PREFIXES = ("un", "non", "dis", "in", "im", "mis")
"""Prefixes an English text word may carry before a keyword's word ("unresolved")."""


def stem(word: str) -> str:
    """A simple English stem: one suffix of ``-ness -ment -ing -ies -ed -es -ly -s``
    removed (``-ies`` -> ``-y``), then a final ``e``, keeping at least three letters:
    resolve, resolved, resolves, resolving -> ``resolv``."""
    w = word.casefold()
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)] + ("y" if suf == "ies" else "")
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def is_english(keyword: str) -> bool:
    """A keyword of ASCII words (matched as words with stemming); anything else (Chinese)
    is matched as a substring."""
    k = keyword.strip()
    return k.isascii() and bool(_WORD.search(k.casefold()))


def _stemmed(s: pd.Series) -> pd.Series:
    """Each (casefolded) text as its word stems, space-separated and space-padded; each
    distinct text stemmed once."""
    codes, distinct = pd.factorize(s)
    stems = np.asarray(
        [" " + " ".join(stem(w) for w in _WORD.findall(t)) + " " for t in distinct.tolist()],
        dtype=object,
    )
    return pd.Series(stems[codes] if len(codes) else [], dtype=object, index=s.index)


def _pattern(keyword: str) -> str:
    """The regular expression of an English keyword over :func:`_stemmed` text."""
    pre = "(?:" + "|".join(NEGATING_PREFIXES) + ")?"
    words = [pre + re.escape(stem(w)) for w in _WORD.findall(keyword.casefold())]
    return " " + " ".join(words) + " "


class _Matcher:
    """Which texts mention a keyword: Chinese as substrings of the text, English as words
    of its stems (stemmed once, when the first English keyword is asked for)."""

    def __init__(self, s: pd.Series) -> None:
        self.s = s
        self._stems: pd.Series | None = None

    def hits(self, keyword: str) -> np.ndarray:
        if not len(self.s):
            return np.zeros(0, dtype=bool)
        k = keyword.strip().casefold()
        if not is_english(k):
            return self.s.str.contains(k, regex=False).to_numpy(dtype=bool)
        if self._stems is None:
            self._stems = _stemmed(self.s)
        return self._stems.str.contains(_pattern(k), regex=True).to_numpy(dtype=bool)


def _by_length(keywords: Sequence[Keyword]) -> list[tuple[int, Keyword]]:
    """Usable keywords (non-blank), longest first, ties in list order; with their index."""
    usable = [(i, k) for i, k in enumerate(keywords) if k.keyword and k.keyword.strip()]
    return sorted(usable, key=lambda ik: (-len(ik[1].keyword.strip()), ik[0]))


def match(texts: Iterable[Any], keywords: Sequence[Keyword]) -> np.ndarray:
    """Per text, the index in ``keywords`` of its longest matching keyword, or -1."""
    s = _norm_texts(texts)
    out = np.full(len(s), -1, dtype=np.int64)
    if not len(s):
        return out
    m = _Matcher(s)
    for i, k in _by_length(keywords):
        open_ = out < 0
        if not open_.any():
            break
        out[open_ & m.hits(k.keyword)] = i
    return out


def tag(
    texts: Iterable[Any], keywords: Sequence[Keyword], polarity: Polarity | None = None
) -> list[str | None]:
    """Per text, the category of its longest matching keyword (``None``: no match).

    ``polarity``: consider only keywords of that polarity (``csq import --tag`` fills a
    problem category from complaints only)."""
    kws = [k for k in keywords if polarity is None or k.polarity == polarity]
    idx = match(texts, kws)
    return [kws[i].category if i >= 0 else None for i in idx]


def keyword_counts(texts: Iterable[Any], keywords: Sequence[Keyword]) -> pd.DataFrame:
    """Per keyword: ``keyword``, ``category``, ``polarity``, ``count`` (texts mentioning it),
    most frequent first (ties in list order); keywords never mentioned are left out."""
    # feedback repeats itself: each distinct text is searched once and counted as often as it occurs
    codes, distinct = pd.factorize(_norm_texts(texts))
    times = np.bincount(codes, minlength=len(distinct))
    s = pd.Series(distinct, dtype=object)
    kws = [k for _, k in sorted(_by_length(keywords), key=lambda ik: ik[0])]
    norm = [k.keyword.strip().casefold() for k in kws]
    m = _Matcher(s)
    hits = {w: m.hits(w) for w in dict.fromkeys(norm)}
    rows = []
    for order, (k, w) in enumerate(zip(kws, norm, strict=True)):
        h = hits[w].copy()
        for longer in dict.fromkeys(norm):
            if longer != w and w in longer:
                h &= ~hits[longer]
        n = int(times[h].sum())
        if n:
            rows.append((k.keyword.strip(), k.category, k.polarity, n, order))
    df = pd.DataFrame(rows, columns=["keyword", "category", "polarity", "count", "_o"])
    df = df.drop_duplicates("keyword")
    df = df.sort_values(["count", "_o"], ascending=[False, True], kind="stable")
    return df.drop(columns="_o").reset_index(drop=True)


def keywords_from_rows(rows: Sequence[dict[str, Any]] | None, lang: str) -> tuple[Keyword, ...]:
    """The keyword list of a workbook: its Config table rows, or the defaults for ``lang``
    when the workbook has no Keywords table (rows with an unknown polarity are skipped;
    the Config reader reports them)."""
    if rows is None:
        return DEFAULT_KEYWORDS["zh" if lang == "zh" else "en"]
    out: list[Keyword] = []
    for r in rows:
        kw, cat = r.get("keyword"), r.get("category")
        pol = polarity_key(r.get("polarity"))
        if kw and cat and pol:
            out.append(Keyword(str(kw).strip(), str(cat).strip(), pol))
    return tuple(out)


TAGGED_MARK: dict[str, str] = {
    "zh": "自动标注：{keyword}",
    "en": "auto-tagged: {keyword}",
}
"""The note added to the QC note of a row whose problem category was filled by keyword."""


def fill_categories(df: pd.DataFrame, keywords: Sequence[Keyword], lang: str) -> int:
    """Fill a blank ``problem_category`` from ``problem_description`` by complaint keyword
    (``csq import --tag``), in place; the row's ``qc_note`` says so. Returns the rows filled.
    """
    return sum(fill_categories_by(df, keywords, lang).values())


def fill_categories_by(df: pd.DataFrame, keywords: Sequence[Keyword], lang: str) -> dict[str, int]:
    """:func:`fill_categories`, returning the rows filled per category (most first, ties
    in the keyword list's order)."""
    if "problem_description" not in df.columns or not len(df):
        return {}
    kws = [k for k in keywords if k.polarity == "negative"]
    idx = match(df["problem_description"].tolist(), kws)
    if "problem_category" in df.columns:
        cat = df["problem_category"].to_numpy(dtype=object)
        blank = np.array([v is None or v != v or not str(v).strip() for v in cat], dtype=bool)
    else:
        cat = np.full(len(df), None, dtype=object)
        blank = np.ones(len(df), dtype=bool)
    fill = blank & (idx >= 0)
    if not fill.any():
        return {}
    cat = cat.copy()
    note = (
        df["qc_note"].to_numpy(dtype=object).copy()
        if "qc_note" in df.columns
        else np.full(len(df), None, dtype=object)
    )
    mark = TAGGED_MARK["zh" if lang == "zh" else "en"]
    sep = "；" if lang == "zh" else "; "
    for i in np.flatnonzero(fill):
        k = kws[idx[i]]
        cat[i] = k.category
        old = note[i]
        text = mark.format(keyword=k.keyword)
        note[i] = text if old is None or old != old or not str(old).strip() else f"{old}{sep}{text}"
    df["problem_category"] = cat
    df["qc_note"] = note
    counts: dict[str, int] = {}
    for j in np.flatnonzero(fill).tolist():
        c = kws[idx[j]].category
        counts[c] = counts.get(c, 0) + 1
    order = {k.category: n for n, k in reversed(list(enumerate(kws)))}
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]])))

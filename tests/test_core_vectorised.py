"""The vectorised figures against their plain definitions, row by row (hypothesis).

``repeat_flags``, ``keyword_counts`` and ``breakdown`` work on whole columns (sorts,
distinct texts, per-group slices of arrays); these tests state what they compute the slow,
obvious way and require the same result exactly."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from udfs.core.metrics import breakdown, repeat_flags, score_frame, summary
from udfs.core.tagging import NEGATING_PREFIXES, Keyword, keyword_counts, stem

ids = st.lists(st.sampled_from(["A", " A", "B ", "C", "", " ", None, float("nan")]), max_size=30)


def _reference_flags(customers: list[Any], days: list[int | None], window: float) -> list[float]:
    """1.0: an earlier contact of the same customer (ties: earlier in the table) within the
    window; 0.0: none; NaN: no id or no time."""

    def key(v: Any) -> str | None:
        if v is None or v != v or not str(v).strip():
            return None
        return str(v).strip()

    out = []
    for i, (c, d) in enumerate(zip(customers, days, strict=True)):
        if key(c) is None or d is None:
            out.append(math.nan)
            continue
        earlier = [
            d - dj
            for j, (cj, dj) in enumerate(zip(customers, days, strict=True))
            if j != i and dj is not None and key(cj) == key(c) and (dj < d or (dj == d and j < i))
        ]
        out.append(1.0 if any(gap <= window for gap in earlier) else 0.0)
    return out


@settings(max_examples=200)
@given(ids, st.data(), st.sampled_from([0, 1, 7.5, 30]))
def test_repeat_flags_match_the_definition(customers: list[Any], data: Any, window: float) -> None:
    days = data.draw(
        st.lists(
            st.one_of(st.none(), st.integers(0, 60)),
            min_size=len(customers),
            max_size=len(customers),
        )
    )
    times = [None if d is None else pd.Timestamp("2024-01-01") + pd.Timedelta(days=d) for d in days]
    got = repeat_flags(customers, times, window)
    np.testing.assert_array_equal(got, _reference_flags(customers, days, window))


WORDS = ["响应慢", "慢", "态度好", "Slow response", "slow", "rude", "x"]
texts = st.lists(
    st.one_of(
        st.none(),
        st.just(float("nan")),
        st.lists(st.sampled_from(WORDS), max_size=3).map("".join),
        st.lists(st.sampled_from(WORDS), max_size=3).map(" ".join),
    ),
    max_size=30,
)


@settings(max_examples=200)
@given(texts)
def test_keyword_counts_match_counting_text_by_text(values: list[Any]) -> None:
    kws = [Keyword(w, f"c{i}", "negative" if i % 2 else "positive") for i, w in enumerate(WORDS)]
    norm = [("" if not isinstance(v, str) else v).casefold() for v in values]

    def mentions(w: str, t: str) -> bool:
        """Text by text: Chinese as a substring, English as consecutive words by their
        stems, a negating prefix allowed (issue 23)."""
        if not w.isascii():
            return w in t
        want = [stem(x) for x in re.findall(r"[a-z0-9]+", w)]
        have = [stem(x) for x in re.findall(r"[a-z0-9]+", t)]

        def same(h: str, k: str) -> bool:
            return h == k or any(h == p + k for p in NEGATING_PREFIXES)

        return any(
            all(same(have[i + j], k) for j, k in enumerate(want))
            for i in range(len(have) - len(want) + 1)
        )

    expected = {}
    for k in kws:
        w = k.keyword.casefold()
        longer = [o.keyword.casefold() for o in kws if o.keyword.casefold() != w]
        n = sum(
            1
            for t in norm
            if mentions(w, t) and not any(w in lw and mentions(lw, t) for lw in longer)
        )
        if n:
            expected[k.keyword] = n
    got = keyword_counts(values, kws)
    assert dict(zip(got["keyword"], got["count"], strict=True)) == expected
    assert list(got["count"]) == sorted(got["count"], reverse=True)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 40), st.integers(0, 2**32 - 1))
def test_breakdown_rows_are_the_summaries_of_each_group(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)

    def some(values: list[Any]) -> np.ndarray:
        return np.array([values[i] for i in rng.integers(0, len(values), n)], dtype=object)

    def rated(lo: int, hi: int) -> np.ndarray:
        return np.where(rng.random(n) < 0.2, np.nan, rng.integers(lo, hi + 1, n).astype(float))

    table = pd.DataFrame(
        {
            "agent_id": some(["a1", "a2", "a3", None]),
            "customer_id": some(["c1", "c2", "c3", None]),
            "contact_time": pd.Timestamp("2024-01-01")
            + pd.to_timedelta(rng.integers(0, 60, n), unit="D"),
            "answered": rated(0, 1),
            "resolved_first_contact": rated(0, 1),
            "transferred": rated(0, 1),
            "first_response_s": rated(0, 90),
            "csat": rated(1, 5),
            "nps": rated(0, 10),
            "speed": rated(1, 5),
            "attitude": rated(1, 5),
            "critical_error": some([None, "无", "辱骂客户"]),
            "qc_verdict": some([None, None, "合格", "不合格(未核实)"]),
        }
    )
    scored = score_frame(table)
    flags = repeat_flags(table["customer_id"].tolist(), table["contact_time"], 30)
    got = breakdown(scored, "agent_id")
    groups = scored.assign(_repeat=flags).groupby("agent_id", sort=True)
    expected = [{"agent_id": key, **summary(part)} for key, part in groups]
    pd.testing.assert_frame_equal(
        got, pd.DataFrame(expected, columns=got.columns), check_exact=True
    )

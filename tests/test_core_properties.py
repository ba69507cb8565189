"""Property tests of the scoring rules (hypothesis): bounds, renormalisation, monotonicity."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from udfs.core.scoring import score_contacts, weighted_score

rating = st.one_of(st.none(), st.integers(1, 5))
ratings6 = st.lists(rating, min_size=6, max_size=6)
weight = st.one_of(st.just(0.0), st.floats(0.001, 100))  # Config weights: 0 or a real number
weights6 = st.lists(weight, min_size=6, max_size=6).filter(lambda w: sum(w) > 0.01)


def _arr(r: list[int | None]) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in r]], dtype=float)


def _score(r: list[int | None], w: list[float] | None = None, critical: bool = False) -> float:
    return float(score_contacts(_arr(r), np.array([critical]), weights=w)[0])


@settings(max_examples=300)
@given(ratings6, weights6)
def test_score_within_0_100_or_none(r: list[int | None], w: list[float]) -> None:
    s = _score(r, w)
    rated_weight = sum(wj for rj, wj in zip(r, w, strict=True) if rj is not None)
    if rated_weight == 0:
        assert np.isnan(s)  # no rated indicator: no score, not 0
    else:
        assert 0 <= s <= 100


@settings(max_examples=300)
@given(ratings6, weights6, st.floats(0, 100, allow_nan=False))
def test_adding_an_na_indicator_changes_nothing(
    r: list[int | None], w: list[float], extra_w: float
) -> None:
    base = weighted_score(_arr(r) * 20, w)[0]
    more = weighted_score(np.append(_arr(r) * 20, [[np.nan]], axis=1), [*w, extra_w])[0]
    assert (np.isnan(base) and np.isnan(more)) or base == more


@settings(max_examples=300)
@given(ratings6, weights6, st.integers(0, 5), st.integers(1, 5), st.integers(1, 5))
def test_raising_one_rating_never_lowers_the_score(
    r: list[int | None], w: list[float], j: int, a: int, b: int
) -> None:
    lower = list(r)
    lower[j] = min(a, b)
    higher = list(r)
    higher[j] = max(a, b)
    s_low, s_high = _score(lower, w), _score(higher, w)
    if not np.isnan(s_low):
        # rounding to 2 decimals may tie but never reverses the order
        assert s_high >= s_low


@settings(max_examples=300)
@given(ratings6, weights6, st.floats(0.01, 1000, allow_nan=False))
def test_scaling_all_weights_changes_nothing(r: list[int | None], w: list[float], k: float) -> None:
    a, b = _score(r, w), _score(r, [x * k for x in w])
    assert (np.isnan(a) and np.isnan(b)) or abs(a - b) <= 0.01  # equal up to 2-decimal rounding


@given(ratings6)
def test_critical_error_always_scores_zero(r: list[int | None]) -> None:
    assert _score(r, critical=True) == 0


@given(st.lists(ratings6, min_size=1, max_size=40))
def test_column_call_equals_row_by_row(rows: list[list[int | None]]) -> None:
    block = np.vstack([_arr(r) for r in rows])
    whole = score_contacts(block)
    one_by_one = [_score(r) for r in rows]
    np.testing.assert_array_equal(whole, np.array(one_by_one))

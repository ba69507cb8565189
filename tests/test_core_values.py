"""udfs.core.values.to_number: numeric text is a number whatever else the column holds."""

from __future__ import annotations

import numpy as np

from udfs.core.values import to_number


def _col(*cells: object) -> np.ndarray:
    out = np.empty((len(cells), 1), dtype=object)
    out[:, 0] = cells
    return out


def test_numeric_text_counts_in_a_column_that_also_holds_other_text() -> None:
    # "4" typed as text, " 2 " with spaces and a full-width "３" are numbers; "abc" is not,
    # "N/A" is not applicable (blank) in a rubric column.  With pandas' copy-on-write the
    # texts were refused as soon as one other text was in the column.
    values, errors = to_number(
        _col("4", " 2 ", "３", "abc", "N/A", None, 5.0), "speed", 1, 5, integer=True, allow_na=True
    )
    got = values[:, 0]
    assert got[:3].tolist() == [4.0, 2.0, 3.0]
    assert np.isnan(got[3:6]).all() and got[6] == 5.0
    assert [e is None for e in errors[:, 0]] == [True, True, True, False, True, True, True]
    assert "'abc' is not a number or N/A" in errors[3, 0]


def test_numeric_text_out_of_range_is_reported_with_its_range() -> None:
    values, errors = to_number(_col("7", "x", "3"), "csat", 1, 5)
    assert np.isnan(values[0, 0]) and values[2, 0] == 3.0
    assert errors[0, 0].endswith("csat 7 not in 1-5")

"""udfs.core.values: numeric text is a number whatever else the column holds; each bad
cell is a coded problem (code + parameters) whose short in-cell form is unchanged."""

from __future__ import annotations

import numpy as np

from udfs.core.problems import Problem, cell_text
from udfs.core.values import to_days, to_number, to_yes_no


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
    assert errors[3, 0] == Problem("not_a_number_or_na", {"name": "speed"}, value="'abc'")
    assert cell_text(errors[3, 0]) == "#CSQ! speed 'abc' is not a number or N/A"


def test_numeric_text_out_of_range_is_reported_with_its_range() -> None:
    values, errors = to_number(_col("7", "x", "3"), "csat", 1, 5)
    assert np.isnan(values[0, 0]) and values[2, 0] == 3.0
    assert errors[0, 0].code == "not_in_range"
    assert errors[0, 0].params == {"name": "csat", "lo": "1", "hi": "5"}
    assert errors[0, 0].value == "7"
    assert cell_text(errors[0, 0]) == "#CSQ! csat 7 not in 1-5"


def test_every_value_check_gives_a_code_and_the_same_cell_text_as_before() -> None:
    cases = [
        (to_number(_col("x"), "aht"), "not_a_number", "#CSQ! aht 'x' is not a number"),
        (to_number(_col(-1.0), "count", 0), "below_minimum", "#CSQ! count -1 below 0"),
        (to_number(_col(120.0), "pct", None, 100), "above_maximum", "#CSQ! pct 120 above 100"),
        (
            to_number(_col(2.5), "csat", 1, 5, integer=True),
            "not_a_whole_number",
            "#CSQ! csat 2.5 not a whole number",
        ),
        (to_yes_no(_col("maybe"), "fcr"), "not_yes_no", "#CSQ! fcr 'maybe' is not Y/N"),
        (to_yes_no(_col(2.0), "fcr"), "not_yes_no", "#CSQ! fcr 2 is not Y/N"),
        (to_days(_col("15/06/2024"), "due"), "not_a_date", "#CSQ! due '15/06/2024' is not a date"),
    ]
    for (_values, errors), code, text in cases:
        assert errors[0, 0].code == code
        assert cell_text(errors[0, 0]) == text
        assert cell_text(errors[0, 0], prefix=False) == text.removeprefix("#CSQ! ")

"""Every CSQ_ function through its Excel-facing wrapper: scalars, columns, blanks, N/A,
text in numbers, out-of-range values.  Expected values are worked out by hand."""

from __future__ import annotations

import datetime as dt
import inspect
import re

import pytest

from udfs import FUNCTIONS

F = FUNCTIONS


def call(name: str, *args: object, **kwargs: object) -> object:
    return F[name](*args, **kwargs)


# A rubric block as Excel passes it (ndim=2): rows of speed..records
BLOCK = [
    [5, 5, 5, 5, 5, 5],  # 100
    [4, 4, 4, 4, 4, 4],  # 80
    [5, 4, 3, "N/A", 5, 5],  # (100*15+80*20+60*25+100*15+100*10)/85 = 83.53
    [None, None, None, None, None, None],  # no rating -> blank
    [7, 5, 5, 5, 5, 5],  # out of range
    ["4", 4, 4, 4, 4, 4],  # numeric text is accepted -> 80
    ["good", 4, 4, 4, 4, 4],  # text in a number cell
]


def test_score_column_spills_one_value_per_row_and_bad_rows_stay_local() -> None:
    out = call("CSQ_SCORE", BLOCK)
    assert out == [
        [100.0],
        [80.0],
        [83.53],
        [None],
        ["#CSQ! speed 7 not in 1-5"],
        [80.0],
        ["#CSQ! speed 'good' is not a number or N/A"],
    ]


def test_score_scalar_row_and_critical_error() -> None:
    assert call("CSQ_SCORE", [[3, 3, 3, 3, 3, 3]]) == 60.0
    assert call("CSQ_SCORE", [[5, 5, 5, 5, 5, 5]], [["wrong refund promised"]]) == 0.0
    assert call("CSQ_SCORE", [[5, 5, 5, 5, 5, 5]], [[None]]) == 100.0


def test_score_with_weights_from_a_config_range() -> None:
    # only attitude counts
    assert call("CSQ_SCORE", [[1, 4, 1, 1, 1, 1]], None, [[0], [1], [0], [0], [0], [0]]) == 80.0
    bad = call("CSQ_SCORE", [[1, 4, 1, 1, 1, 1]], None, [[-1], [1], [0], [0], [0], [0]])
    assert bad == "#CSQ! weights must be >= 0, not all 0"
    assert call("CSQ_SCORE", [[1, 4, 1, 1, 1, 1]], None, [[1], [2]]).startswith("#CSQ! weights")


def test_grade_scalar_column_and_bad_cells() -> None:
    assert call("CSQ_GRADE", 95) == "优秀"
    assert call("CSQ_GRADE", 85, None, "en") == "Good"
    assert call("CSQ_GRADE", [[90], [89.99], [60], [59.9], [None], ["abc"], [120]]) == [
        ["优秀"],
        ["良好"],
        ["合格"],
        ["不合格"],
        [None],
        ["#CSQ! score 'abc' is not a number"],
        ["#CSQ! score 120 not in 0-100"],
    ]
    assert call("CSQ_GRADE", 75, [[70], [60], [50]], "en") == "Excellent"
    assert call("CSQ_GRADE", 75, None, "fr") == "#CSQ! lang 'fr' not zh/en"


def test_level() -> None:
    assert call("CSQ_LEVEL", [[5], [4], [3], [2], [1], ["N/A"], [None], [6]]) == [
        ["优秀"],
        ["良好"],
        ["合格"],
        ["需改进"],
        ["需改进"],
        [None],
        [None],
        ["#CSQ! rating 6 not in 1-5"],
    ]
    assert call("CSQ_LEVEL", 2, "en") == "Needs improvement"


def test_band_presets_and_custom_bands() -> None:
    assert call("CSQ_BAND", [[30], [31], [60], [61], [None], ["x"]]) == [
        [100.0],
        [80.0],
        [80.0],
        [60.0],
        [None],
        ["#CSQ! value 'x' is not a number"],
    ]
    assert call("CSQ_BAND", [[3], [5], [10], [30], [31]], "speed") == [
        [5.0],
        [4.0],
        [3.0],
        [2.0],
        [1.0],
    ]
    assert call("CSQ_BAND", 7, [[5, 10]], [[3, 2, 1]]) == 2.0
    assert call("CSQ_BAND", 7, [[10, 5]], [[3, 2, 1]]) == "#CSQ! bands must be ascending"
    assert call("CSQ_BAND", 7, "nope").startswith("#CSQ! band preset 'nope' unknown")


def test_composite_rows() -> None:
    # qa 90 (30), csat 4.5 -> 90 (30), fcr 0.8 -> 80 (25), 25 s -> 100 (15)
    # = (2700 + 2700 + 2000 + 1500) / 100 = 89.0; second row: only 45 s -> band 80
    out = call("CSQ_COMPOSITE", [[90, 4.5, 0.8, 25], [None, None, None, 45]])
    assert out == [[89.0], [80.0]]
    assert call("CSQ_COMPOSITE", [[90, 4.5]]).startswith("#CSQ! values needs 4 columns")


def test_pareto_share_cumulative_class_in_input_order() -> None:
    counts = [[28], [42], [10], [40]]
    labels = [["B"], ["A"], ["其他"], ["C"]]
    share = call("CSQ_PARETO", counts, labels, "share")
    assert [round(r[0], 4) for r in share] == [
        round(28 / 120, 4),
        0.35,
        round(10 / 120, 4),
        round(40 / 120, 4),
    ]
    cum = call("CSQ_PARETO", counts, labels, "cumulative")
    # order A 42, C 40, B 28, Other 10 -> 42, 82, 110, 120
    assert [round(r[0], 4) for r in cum] == [round(110 / 120, 4), 0.35, 1.0, round(82 / 120, 4)]
    # B is the category that crosses 80 % (68.3 % -> 91.7 %): still A; Other (last) is B
    assert call("CSQ_PARETO", counts, labels, "class") == [["A"], ["A"], ["B"], ["A"]]
    assert call("CSQ_PARETO", counts, labels, "median").startswith("#CSQ! what")
    assert call("CSQ_PARETO", [[1], [-2]], None, "share")[1] == ["#CSQ! count -2 below 0"]


def test_action_status_and_days_late() -> None:
    planned = [
        [dt.datetime(2024, 6, 15)],
        [dt.datetime(2024, 6, 10)],
        [dt.datetime(2024, 6, 1)],
        [dt.datetime(2024, 7, 1)],
        [None],
        ["soon"],
    ]
    actual = [[dt.datetime(2024, 6, 18)], [dt.datetime(2024, 6, 8)], [None], [None], [None], [None]]
    as_of = dt.datetime(2024, 6, 20)
    assert call("CSQ_ACTION_STATUS", planned, actual, as_of, None, "en") == [
        ["Done 3 days late"],
        ["Done on time"],
        ["Overdue by 19 days"],
        ["Open, due in 11 days"],
        [None],
        ["#CSQ! planned date 'soon' is not a date"],
    ]
    assert call("CSQ_DAYS_LATE", planned, actual, as_of) == [
        [3.0],
        [0.0],
        [19.0],
        [0.0],
        [None],
        ["#CSQ! planned date 'soon' is not a date"],
    ]
    # Excel serial numbers and text dates work too; scalar in, scalar out
    assert call("CSQ_DAYS_LATE", 45458, "2024-06-18") == 3.0  # 45458 = 2024-06-15
    assert call("CSQ_ACTION_STATUS", "2024-06-15", None, "2024-06-20") == "逾期 5 天"
    assert (
        call("CSQ_ACTION_STATUS", "2024-06-15", None, "2024-06-20", "已取消", "en") == "Cancelled"
    )
    assert call("CSQ_ACTION_STATUS", "2024-06-15", None, "someday").startswith("#CSQ! as-of")


def test_met() -> None:
    # lower is better (handle time 600 -> target 480), higher is better (csat 3.8 -> 4.2)
    out = call(
        "CSQ_MET",
        [[600], [600], [3.8], [3.8], [3.8]],
        [[480], [480], [4.2], [4.2], [None]],
        [[470], [500], [4.3], [4.0], [4.5]],
    )
    assert out == [["Y"], ["N"], ["Y"], ["N"], [None]]


def test_qc_result() -> None:
    out = call("CSQ_QC_RESULT", [[60], [59.99], [95], [None]], [[None], [None], ["rude"], [None]])
    assert out == [["合格"], ["不合格"], ["不合格"], [None]]
    assert call("CSQ_QC_RESULT", 70, None, 75, "en") == "Fail"


def test_kpis_skip_invalid_cells_and_blank_without_data() -> None:
    csat = [[5], [4], [3], [None], [7], ["x"]]
    assert call("CSQ_CSAT", csat) == pytest.approx(4.0)  # 5, 4, 3
    assert call("CSQ_CSAT", csat, "pct") == pytest.approx(2 / 3)
    assert call("CSQ_CSAT", [[None]]) == ""
    assert call("CSQ_NPS", [[10], [9], [6], [8], [11]]) == pytest.approx(100 * (2 / 4 - 1 / 4))
    resolved = [["Y"], ["N"], ["是"], [None], ["Y"]]
    answered = [["Y"], ["Y"], ["Y"], ["N"], ["N"]]
    assert call("CSQ_FCR", resolved, answered) == pytest.approx(2 / 3)
    assert call("CSQ_FCR", resolved) == pytest.approx(3 / 4)
    assert call("CSQ_SLA", [[10], [30], [31], [None], [5]], answered) == pytest.approx(2 / 3)
    assert call("CSQ_SLA", [[10], [30], [31]], None, 10) == pytest.approx(1 / 3)


def test_repeat_rate() -> None:
    ids = [["C1"], ["C1"], ["C2"], [None], ["C1"]]
    times = [
        [dt.datetime(2024, 1, 1)],
        [dt.datetime(2024, 1, 20)],
        [dt.datetime(2024, 1, 5)],
        [dt.datetime(2024, 1, 6)],
        [dt.datetime(2024, 3, 1)],
    ]
    # C1 1/20 repeats 1/1; C1 3/1 is 41 days after 1/20 -> 1 of 4 with an id
    assert call("CSQ_REPEAT_RATE", ids, times) == pytest.approx(0.25)
    assert call("CSQ_REPEAT_RATE", ids, times, 60) == pytest.approx(0.5)


def test_mask() -> None:
    assert call("CSQ_MASK", "13800138000") == "*******8000"
    assert call("CSQ_MASK", [[13800138000.0], ["abc"], [None]]) == [
        ["*******8000"],
        ["***"],
        [None],
    ]


def test_explain() -> None:
    text = call("CSQ_EXPLAIN", [[5, 4, 3, "N/A", 5, 5]], None, None, "en")
    assert text.endswith("= 83.53 (Good)")
    assert "Professional knowledge" in text and "N/A" in text
    assert (
        call("CSQ_EXPLAIN", [[5, 5, 5, 5, 5, 5]], [["rude"]], None, "zh")
        == "致命错误: rude → 0 (不合格)"
    )
    assert call("CSQ_EXPLAIN", [[None] * 6], None, None, "en") == "No rated indicator → no score"


def test_version() -> None:
    from udfs import __version__

    assert call("CSQ_VERSION") == __version__


def test_no_exception_ever_reaches_a_cell() -> None:
    weird = [object(), {"a": 1}, float("inf"), [[[]]], "", dt.date(2024, 1, 1), True]
    for f in F.values():
        n_required = sum(
            1
            for p in inspect.signature(f).parameters.values()
            if p.default is inspect.Parameter.empty
        )
        for w in weird:
            result = f(*([w] * n_required))
            assert not isinstance(result, BaseException)
            if isinstance(result, str) and result.startswith("#CSQ!"):
                assert "Traceback" not in result and len(result) < 120


def test_every_function_has_docstring_and_is_tested_here() -> None:
    for name, f in F.items():
        assert name.startswith("CSQ_")
        assert f.__doc__ and len(f.__doc__.strip()) > 20, name
    spec_minimum = {
        "CSQ_SCORE",
        "CSQ_GRADE",
        "CSQ_LEVEL",
        "CSQ_BAND",
        "CSQ_COMPOSITE",
        "CSQ_PARETO",
        "CSQ_ACTION_STATUS",
        "CSQ_DAYS_LATE",
        "CSQ_CSAT",
        "CSQ_NPS",
        "CSQ_FCR",
        "CSQ_SLA",
        "CSQ_REPEAT_RATE",
        "CSQ_MASK",
        "CSQ_EXPLAIN",
        "CSQ_TAG",
        "CSQ_VERSION",
    }
    assert spec_minimum <= set(F)


def test_every_function_in_the_mapping_is_called_through_its_wrapper_here() -> None:
    source = open(__file__, encoding="utf-8").read()
    missing = [name for name in F if not re.search(rf'call\(\s*"{name}"', source)]
    assert missing == []


def test_tag_column_longest_keyword_wins_and_no_match_is_blank() -> None:
    texts = [["客户反映响应慢，客服语气生硬"], ["The agent was IMPATIENT"], [None], ["谢谢"]]
    # 语气生硬 (4 characters) is longer than 响应慢 (3): its category 态度冷淡 wins;
    # "impatient" is matched ignoring case and before the shorter positive "patient"
    assert call("CSQ_TAG", texts) == [["态度冷淡"], ["Cold attitude"], [None], [None]]
    kws, cats = [["慢"], ["物流延迟"], [None]], [["等待"], ["物流"], [None]]
    assert call("CSQ_TAG", "物流延迟三天，回复也慢", kws, cats) == "物流"
    assert call("CSQ_TAG", "回复慢", kws, cats) == "等待"
    assert (
        call("CSQ_TAG", "x", [["a"]], [["A"], ["B"]]) == "#CSQ! categories has 2 cells, keywords 1"
    )
    assert call("CSQ_TAG", "x", [["a"]]) == "#CSQ! keywords needs categories"


def test_process_names_each_contact_and_the_first_step_missed() -> None:
    # limits 10 s / 30 / 60 / 60 min / 24 h; first response typed in minutes (0.1 min = 6 s)
    steps = [[None, None, None, 30], [40, 70, None, None], [None, None, None, None]]
    got = call("CSQ_PROCESS", [[0.1], [0.5], [None]], steps, None, None, "min", "en")
    assert got == [["Not compliant: call-back late"], ["Not compliant: first response late"], [""]]
    assert call("CSQ_PROCESS", 5, [[1, 2, 3, 4]], "N") == "不合规"  # the reviewer's N wins
    assert call("CSQ_PROCESS", 5, None, None, None, "weeks") == "#CSQ! unit 'weeks' not s/min/h"

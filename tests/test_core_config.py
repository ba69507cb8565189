"""The indicator system as validated configuration."""

from __future__ import annotations

import pytest

from udfs.core.config import DEFAULT_CONFIG, ConfigError, load_config, with_weights


def _data() -> dict:
    return DEFAULT_CONFIG.model_dump(by_alias=True)


def test_defaults_reproduce_spec_section_4() -> None:
    c = DEFAULT_CONFIG
    assert c.grades.as_tuple() == (90, 80, 60)
    assert [i.key for i in c.contact_indicators] == [
        "speed",
        "attitude",
        "solving",
        "knowledge",
        "satisfaction",
        "records",
    ]
    assert all(i.rule == "rubric" for i in c.contact_indicators)
    fr = next(i for i in c.team_indicators if i.key == "first_response")
    assert (fr.bands, fr.points) == ((30, 60), (100, 80, 60))
    assert c.service_level_s == 30 and c.repeat_window_days == 30
    assert (c.pareto_a, c.pareto_b) == (0.80, 0.95)
    assert c.critical_auto_fail is True


def test_round_trip_through_plain_data() -> None:
    assert load_config(_data()) == DEFAULT_CONFIG


def test_negative_weight_names_the_indicator() -> None:
    d = _data()
    d["contact_indicators"][1]["weight"] = -5
    with pytest.raises(ConfigError) as e:
        load_config(d)
    msg = str(e.value)
    assert "indicator 'attitude'" in msg and "weight must be 0 or more" in msg and "-5" in msg


def test_all_zero_weights_rejected() -> None:
    d = _data()
    for ind in d["contact_indicators"]:
        ind["weight"] = 0
    with pytest.raises(ConfigError, match="all weights are zero"):
        load_config(d)


def test_unsorted_bands_name_the_indicator() -> None:
    d = _data()
    fr = next(i for i in d["team_indicators"] if i["key"] == "first_response")
    fr["bands"] = [60, 30]
    with pytest.raises(ConfigError) as e:
        load_config(d)
    assert "indicator 'first_response'" in str(e.value)
    assert "ascending" in str(e.value)


def test_points_count_must_match_bands() -> None:
    d = _data()
    fr = next(i for i in d["team_indicators"] if i["key"] == "first_response")
    fr["points"] = [100, 80]
    with pytest.raises(ConfigError, match="points needs 3 values, got 2"):
        load_config(d)


def test_unknown_source_field_lists_allowed_fields() -> None:
    d = _data()
    d["contact_indicators"][0]["source"] = "speeed"
    with pytest.raises(ConfigError) as e:
        load_config(d)
    msg = str(e.value)
    assert "'speed'" in msg and "unknown source field 'speeed'" in msg and "first_response_s" in msg


def test_grade_thresholds_must_descend() -> None:
    d = _data()
    d["grades"] = {"excellent": 80, "good": 90, "pass": 60}
    with pytest.raises(ConfigError, match="excellent > good > pass"):
        load_config(d)


def test_several_problems_are_all_reported() -> None:
    d = _data()
    d["contact_indicators"][0]["weight"] = -1
    d["contact_indicators"][2]["rule"] = "stars"
    with pytest.raises(ConfigError) as e:
        load_config(d)
    assert "'speed'" in str(e.value) and "'solving'" in str(e.value)


def test_with_weights_changes_only_named_weights() -> None:
    c = with_weights(DEFAULT_CONFIG, "contact_indicators", {"records": 0})
    assert [i.weight for i in c.contact_indicators] == [15, 20, 25, 15, 15, 0]
    with pytest.raises(ConfigError, match="unknown indicator"):
        with_weights(DEFAULT_CONFIG, "contact_indicators", {"nope": 1})

"""The narrative model (udfs/core/narrative.py): noise verdicts decide what is called an
improvement, agents are singled out only by their intervals, the characterisation names
the diverging groups, recommendations are one per cause with their owner, and a chapter
registered by later work appears in the Word report."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest

from tests.report_fixtures import AS_OF, workbook_data
from udfs.core import narrative as nv
from udfs.core.analysis import analyse


@pytest.fixture()
def an():
    return analyse(workbook_data(), AS_OF)


def _groups(an, **verdicts):
    an.team_indicators = [
        dataclasses.replace(r, vs_prev_verdict=verdicts.get(r.group)) if r.kind == "group" else r
        for r in an.team_indicators
    ]


def _para(n, group_word: str) -> str:
    ch = n.chapter("indicators")
    return next(p for p in ch.paragraphs if p.startswith(group_word))


def test_a_change_within_noise_is_stable_and_an_untested_one_is_not_called_anything(an) -> None:
    _groups(an, efficiency="stable", result="up")
    en = nv.build_narrative(an, "en")
    assert "stable on the previous period (within sampling noise)" in _para(en, "Efficiency")
    assert "beyond sampling noise" in _para(en, "Result")
    prof = _para(en, "Professionalism")  # no verdict: the raw move, never "improved"/"declined"
    assert "noise" not in prof and "improved" not in prof and "declined" not in prof
    zh = nv.build_narrative(an, "zh")
    assert "环比持平（变化在抽样误差内）" in _para(zh, "效率")
    assert "超出抽样误差" in _para(zh, "结果")
    # an improvement beyond noise is a strength
    assert any(s.startswith("Result score") for s in en.strengths)


def test_agents_are_singled_out_only_when_their_interval_leaves_the_teams(an) -> None:
    ranked = an.agents["rank"].notna()
    assert ranked.sum() >= 1
    an.agents = an.agents.assign(ci_low=60.0, ci_high=90.0, singled_out=False)
    en = nv.build_narrative(an, "en")
    sentence = en.chapter("indicators").paragraphs[-1]
    assert "no agent stands apart from the team beyond sampling noise" in sentence
    assert "top:" not in sentence and "bottom:" not in sentence
    table = en.chapter("indicators").tables[1]
    assert table.columns[-1] == "95% interval" and table.rows[0][-1] == "60.0–90.0"
    first = an.agents.loc[ranked, "agent_id"].iloc[0]
    an.agents.loc[an.agents["agent_id"] == first, "singled_out"] = True
    sentence = nv.build_narrative(an, "en").chapter("indicators").paragraphs[-1]
    assert f"top: {first} (" in sentence


def test_characterisation_names_the_high_and_the_low_groups(an) -> None:
    values = {"efficiency": 92.0, "professionalism": 90.0, "attitude": 70.0, "result": 68.0}
    an.team_indicators = [
        dataclasses.replace(r, value=values[r.group]) if r.kind == "group" else r
        for r in an.team_indicators
    ]
    an.headline = {**an.headline, "composite_score": 80.0}
    zh = nv.build_narrative(an, "zh").characterisation
    assert zh is not None and "“双高双低”" in zh
    assert re.search(r"效率（92\.0分）、专业（90\.0分）高于综合得分80\.0分", zh)
    en = nv.build_narrative(an, "en").characterisation
    assert en == (
        "Strong on efficiency (92.0) and professionalism (90.0) but weak on attitude (70.0) "
        "and result (68.0), against a composite score of 80.0."
    )
    values = {"efficiency": 81.0, "professionalism": 80.0, "attitude": 79.0, "result": 80.0}
    an.team_indicators = [
        dataclasses.replace(r, value=values[r.group]) if r.kind == "group" else r
        for r in an.team_indicators
    ]
    assert nv.build_narrative(an, "en").characterisation is None  # no divergence, no label


def test_one_recommendation_per_cause_with_the_owner_of_an_open_action(an) -> None:
    en = nv.build_narrative(an, "en")
    keys = [r.key for r in en.recommendations]
    assert len(keys) == len(set(keys))
    by_key = {c.library_key for c in an.conclusions if c.recommendation}
    assert set(keys) == by_key
    for r in en.recommendations:  # every finding with that recommendation is listed with it
        want = [c for c in an.conclusions if c.library_key == r.key and c.recommendation]
        assert len(r.answers) == len(want)
    # the fixture's open action 3 (张, 2026-11-01) answers "解答错误"; the done ones do not
    tools = next(r for r in en.recommendations if any("解答错误" in a for a in r.answers))
    assert (tools.owner, tools.planned, tools.assigned) == ("张", "2026-11-01", True)
    waits = next(r for r in en.recommendations if any("等待过长" in a for a in r.answers))
    assert (waits.owner, waits.assigned) == ("owner to be assigned", False)
    zh = nv.build_narrative(an, "zh")
    assert any(r.owner == "待指定负责人" for r in zh.recommendations)
    prios = [r.priority for r in en.recommendations]
    assert prios == sorted(prios, reverse=True)


def test_the_summary_has_four_to_six_sentences_in_both_languages(an) -> None:
    for lang in ("zh", "en"):
        n = nv.build_narrative(an, lang)
        assert 4 <= len(n.summary) <= 6
        assert n.title and n.scope
    zh = nv.build_narrative(an, "zh")
    text = "".join(zh.summary)
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", text)
    assert "个百分点" in text and not re.search(r"相差\d+(\.\d+)?%", text)


def test_config_cells_show_in_the_overview(an) -> None:
    info = {"organisation": "某某公司客服中心", "monitoring_objective": "评估热线服务质量",
            "monitoring_lead": "王组长", "qa_specialists": "李、赵"}  # fmt: skip
    zh = nv.build_narrative(an, "zh", info)
    paras = zh.chapter("overview").paragraphs
    assert "监测目标：评估热线服务质量" in paras
    assert "监测小组：组长：王组长；质检专员：李、赵。" in paras
    assert zh.subtitle == "某某公司客服中心"
    assert zh.chapter("overview").tables[0].rows[0] == ["单位", "某某公司客服中心"]


def test_a_registered_chapter_reaches_the_word_report(an, tmp_path) -> None:
    def extra(ctx: nv.NarrativeContext) -> nv.Chapter:
        return nv.Chapter("extra", ctx.t("Process compliance", "流程合规"), ["…"])

    saved = list(nv.CHAPTER_BUILDERS)
    try:
        nv.register_chapter("extra", extra, after="indicators")
        n = nv.build_narrative(an, "zh")
        assert [c.key for c in n.chapters][2:4] == ["indicators", "extra"]
        import docx

        from addin.report.docx_report import write_docx

        write_docx(n, an, tmp_path / "x.docx")
        heads = [p.text for p in docx.Document(str(tmp_path / "x.docx")).paragraphs
                 if p.style.name == "Heading 1"]  # fmt: skip
        assert "四、流程合规" in heads
    finally:
        nv.CHAPTER_BUILDERS[:] = saved


def test_no_contacts_with_problems_or_scores_still_tells_a_story(an) -> None:
    an.pareto = an.pareto.iloc[0:0]
    an.targets = {}
    an.conclusions = []
    an.good_cases = pd.DataFrame()
    an.bad_cases = pd.DataFrame()
    n = nv.build_narrative(an, "en")
    assert n.chapter("cases") is None
    assert n.chapter("recommendations").paragraphs == [
        "No finding calls for a new action this period."
    ]


def test_a_phone_number_in_a_description_is_masked_in_the_case_narrative(an) -> None:
    assert len(an.bad_cases)
    an.bad_cases = an.bad_cases.assign(problem_description="请回电 138 0013 8000，订单 12345")
    text = "\n".join(nv.build_narrative(an, "zh").chapter("cases").paragraphs)
    assert "*******8000" in text and "0013" not in text
    assert "12345" in text  # a short number is not an identifier


def test_one_month_of_data_draws_no_trend_line(an) -> None:
    an.trend = an.trend.assign(csat_pct=[None] * (len(an.trend) - 1) + [0.8])
    assert not [c for c in nv.build_narrative(an, "en").chapter("overall").charts]
    an.trend = an.trend.assign(csat_pct=[None] * (len(an.trend) - 2) + [0.7, 0.8])
    chart = nv.build_narrative(an, "en").chapter("overall").charts[0]
    assert chart.series[0].values == [70.0, 80.0]  # starts with the data, no empty months


@pytest.mark.parametrize(
    ("period", "zh", "en"),
    [("2026-Q4", "2026年Q4", "2026 Q4"), ("2026-10", "2026年10月", "2026-10"),
     ("2026-10-01..2026-10-15", "2026年10月1日-10月15日", "2026-10-01 – 2026-10-15")],
)  # fmt: skip
def test_the_title_names_the_period_as_a_reader_says_it(period: str, zh: str, en: str) -> None:
    an = analyse(workbook_data(), AS_OF, period)
    assert zh in nv.build_narrative(an, "zh").title
    assert en in nv.build_narrative(an, "en").title


def test_the_biggest_strength_is_the_widest_margin_over_a_target(an) -> None:
    from udfs.core.targets import TargetCheck

    an.targets = {
        "fcr": TargetCheck("fcr", 0.80, 0.88, 0.08, True, True),  # 10 % over
        "avg_first_response_s": TargetCheck("avg_first_response_s", 30.0, 15.0, -15.0, True, False),
        "answer_rate": TargetCheck("answer_rate", 0.95, 0.96, 0.01, True, True),  # 1 %: no
    }
    en = nv.build_narrative(an, "en")
    assert en.strengths == [
        "Avg first response at 15.0 s beats its 30.0 s target by 15.0 s.",
        "First-contact resolution (FCR) at 88.0% beats its 80.0% target by 8.0 percentage points.",
    ]
    assert en.summary[1] == "Biggest strength: " + en.strengths[0]


def test_a_time_above_its_target_is_over_not_short_and_a_long_miss_list_is_counted(an) -> None:
    from udfs.core.targets import TargetCheck

    an.targets = {
        "avg_first_response_s": TargetCheck("avg_first_response_s", 30.0, 120.0, 90.0, False, False)
    }
    en = nv.build_narrative(an, "en")
    assert "120.0 s against a 30.0 s target, 90.0 s over." in en.summary[1]
    assert en.chapter("overall").paragraphs[1] == "None of the 1 KPIs with a target meets it."
    zh = nv.build_narrative(an, "zh")
    assert "实际120.0秒，目标30.0秒，相差90.0秒。" in zh.summary[1]

"""The report's QA-cycle sheets: the sample beside the population of the full export,
keyword frequencies of the feedback, reviewer leniency and the calibration session.

Lays out :attr:`udfs.core.analysis.Analysis.qa_cycle` (:mod:`udfs.core.qa_cycle`); every
figure comes from there.  Called once from :func:`addin.report.xlsx.write_report`.
"""

from __future__ import annotations

from udfs.core.analysis import plain
from udfs.core.fields import MONITORING_FIELDS, RUBRIC_KEYS
from udfs.core.sampling import POPULATION_FIGURES

from .labels import LABELS, label, metric_label
from .layout import METRIC_FORMATS, Sheet, Writer

QA_LABELS: dict[str, tuple[str, str]] = {
    # key -> (English, 简体中文); they join the report's catalogue (addin.report.labels)
    "sh_sampling": ("Sample vs population", "抽样与总体"),
    "sh_calibration": ("Reviewers & calibration", "质检员与校准"),
    "qa_title_sampling": (
        "The QA sample beside the population (full export)",
        "质检样本与总体（全部工单）对照",
    ),
    "qa_pop_heading": ("Population and sample, report period", "报告期总体与样本"),
    "qa_population": ("Population (every contact)", "总体（全部工单）"),
    "qa_sample": ("QA sample", "质检样本"),
    "qa_no_population": (
        "No population figures recorded: draw the sample with csq sample, or type the "
        "period's totals in the Config sheet's population table.",
        "未记录总体数据：请用 csq sample 抽样，或在配置表的总体数据表中填写该期间的总量。",
    ),
    "qa_ratio": ("Sampling ratio (sampled / population contacts)", "抽样比例（样本数/总量）"),
    "qa_min_ratio": ("Minimum sampling ratio (Config)", "最低抽样比例（配置）"),
    "qa_below": ("below the minimum", "低于最低要求"),
    "qa_ok": ("meets the minimum", "达到要求"),
    "qa_source_export": (
        "population from the export drawn by csq sample",
        "总体数据来自 csq sample 读取的导出文件",
    ),
    "qa_source_config": ("population typed on the Config sheet", "总体数据由配置表手工填写"),
    "qa_source_contacts_handled": (
        "population = the Config sheet's contacts handled in the period",
        "总体 = 配置表中的报告期总接待量",
    ),
    "qa_record": ("How the sample was drawn", "抽样方法记录"),
    "qa_item": ("Item", "项目"),
    "qa_strata": ("Population by stratum (whole export)", "按分层的总体数据（全部导出）"),
    "qa_stratum": ("Stratum", "分层"),
    "qa_sampled": ("Sampled", "抽样数"),
    "qa_share": ("Share sampled", "抽样比例"),
    "qa_more_strata": ("… {n} more strata in summary.json", "…… 另有 {n} 个分层见 summary.json"),
    "qa_keywords": ("Keyword frequencies in the problem descriptions", "问题描述关键词频次"),
    "qa_kw_negative": ("Complaints (negative)", "负面关键词"),
    "qa_kw_positive": ("Praise (positive)", "正面关键词"),
    "qa_keyword": ("Keyword", "关键词"),
    "qa_category": ("Problem category", "问题类别"),
    "qa_count": ("Contacts", "次数"),
    "qa_no_keywords": (
        "No keyword found in the period's descriptions.",
        "报告期问题描述中未出现关键词。",
    ),
    "qa_title_calibration": ("Reviewers: leniency and calibration", "质检员：宽严度与校准"),
    "qa_leniency": (
        "Reviewer leniency in daily work (Monitoring, report period)",
        "日常质检宽严度（监测表，报告期）",
    ),
    "qa_leniency_note": (
        "difference = the reviewer's mean QA score minus the team mean; positive = scores "
        "higher than the team (lenient), negative = stricter",
        "差值 = 该质检员的平均质检得分 − 团队平均；正值表示偏宽松，负值表示偏严格",
    ),
    "qa_reviewer": ("Reviewer", "质检员"),
    "qa_scored": ("Scored contacts", "评分条数"),
    "qa_mean_score": ("Mean QA score", "平均质检得分"),
    "qa_team_mean": ("Team mean", "团队平均"),
    "qa_difference": ("Difference", "差值"),
    "qa_no_reviewers": ("No reviewer recorded in the Monitoring table.", "监测表中未填写质检员。"),
    "qa_calibration": ("Calibration session (Calibration sheet)", "校准会（校准表）"),
    "qa_no_calibration": (
        "No calibration ratings: let several reviewers score the same contacts on the "
        "Calibration sheet (see the Guide sheet).",
        "无校准评分：请让多位质检员在校准表中评同一批记录（见说明页）。",
    ),
    "qa_cal_counts": (
        "{c:|contact|contacts}, {r:|reviewer|reviewers}",
        "{c} 条记录，{r} 位质检员",
    ),
    "qa_dimension": ("Dimension", "维度"),
    "qa_alpha": ("Krippendorff's alpha (ordinal)", "Krippendorff α（定序）"),
    "qa_agreement": ("Agreement with panel median", "与小组中位数一致率"),
    "qa_overall": ("Overall (QA score)", "总体（质检得分）"),
    "qa_alpha_note": (
        "alpha 1 = full agreement, 0 = no better than chance; 0.8 or more is commonly "
        "taken as reliable, below 0.667 as not",
        "α=1 完全一致，0 相当于随机；一般认为 ≥0.8 可靠，<0.667 不可靠",
    ),
    "qa_cal_reviewers": ("Each reviewer against the panel", "各质检员与小组对比"),
    "qa_contacts": ("Contacts", "记录数"),
    "qa_deviation": ("Mean deviation from median", "与中位数平均偏差"),
    "qa_within_one": ("Within ±1 of median", "与中位数相差≤1的比例"),
    "qa_deviation_note": (
        "deviation = the reviewer's rating minus the panel median, over every dimension; "
        "positive = lenient",
        "偏差 = 该质检员评分 − 小组中位数（所有维度）；正值表示偏宽松",
    ),
    "qa_widest": ("Contacts with the widest score spread", "评分分歧最大的记录"),
    "qa_lowest": ("Lowest score", "最低分"),
    "qa_highest": ("Highest score", "最高分"),
    "qa_spread": ("Spread", "分差"),
    "qa_reviewers_n": ("Reviewers", "质检员数"),
    "qa_duplicates": (
        "Rated twice by the same reviewer (the first row counts): {list}",
        "同一质检员重复评分（以第一行为准）：{list}",
    ),
}
LABELS.update(QA_LABELS)

MAX_STRATA_ROWS = 60
"""Strata listed on the sheet (all of them are in summary.json)."""


def write_qa_cycle(w: Writer) -> None:
    """The two QA-cycle sheets of the report."""
    _sampling_sheet(w)
    _calibration_sheet(w)


def _sampling_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    c = an.qa_cycle
    s = Sheet(w, "sh_sampling", [36, 20, 20, 40])
    s.title(label("qa_title_sampling", lang))
    s.heading(label("qa_pop_heading", lang) + f" {an.period or '-'}")
    if c.population is None:
        s.note(label("qa_no_population", lang))
    else:
        s.header(
            [label("metric", lang), label("qa_population", lang), label("qa_sample", lang), ""]
        )
        for key in POPULATION_FIGURES:
            fmt = METRIC_FORMATS.get(key, "dec2")
            s.cells(
                [metric_label(key, lang), c.population.get(key), an.headline.get(key), None],
                ["label", fmt, fmt, "text"],
            )
        s.cells(
            [
                label("qa_ratio", lang),
                c.sampling_ratio,
                None,
                label("qa_below" if c.below_min_ratio else "qa_ok", lang)
                if c.sampling_ratio is not None
                else None,
            ],
            ["label", "pct", "pct", "bad" if c.below_min_ratio else "good"],
        )
        s.cells(
            [label("qa_min_ratio", lang), c.min_ratio, None, None], ["label", "pct", "pct", "text"]
        )
        if c.population_source:
            s.note(label(f"qa_source_{c.population_source}", lang))
    if set(c.sampling) - {"min_ratio"}:  # drawn by csq sample (not only the default setting)
        s.gap()
        s.heading(label("qa_record", lang))
        s.header([label("qa_item", lang), label("value", lang)])
        for k, v in c.sampling.items():
            s.cells([k, v], ["label", "wrap"])
    if len(c.strata):
        s.gap()
        s.heading(label("qa_strata", lang))
        s.header(
            [
                label("qa_stratum", lang),
                metric_label("contacts", lang),
                label("qa_sampled", lang),
                label("qa_share", lang),
            ]
        )
        for r in c.strata.head(MAX_STRATA_ROWS).to_dict("records"):
            n, k = plain(r.get("contacts")), plain(r.get("sampled"))
            s.cells([r["stratum"], n, k, (k / n) if n and k is not None else None],
                    ["text", "int", "int", "pct"])  # fmt: skip
        if len(c.strata) > MAX_STRATA_ROWS:
            s.note(label("qa_more_strata", lang, n=len(c.strata) - MAX_STRATA_ROWS))
    s.gap()
    s.heading(label("qa_keywords", lang) + f" {an.period or '-'}")
    if not len(c.keywords):
        s.note(label("qa_no_keywords", lang))
    for pol in ("negative", "positive"):
        part = c.keywords[c.keywords["polarity"] == pol] if len(c.keywords) else c.keywords
        if not len(part):
            continue
        s.note(label(f"qa_kw_{pol}", lang))
        s.header([label("qa_keyword", lang), label("qa_category", lang), label("qa_count", lang)])
        for r in part.to_dict("records"):
            s.cells([r["keyword"], r["category"], int(r["count"])], ["text", "text", "int"])


def _dim_label(key: str, lang: str) -> str:
    return MONITORING_FIELDS[key].label(lang)  # type: ignore[arg-type]


def _calibration_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    c = an.qa_cycle
    s = Sheet(w, "sh_calibration", [28, 16, 18, 18, 18])
    s.title(label("qa_title_calibration", lang))
    s.heading(label("qa_leniency", lang) + f" {an.period or '-'}")
    if not len(c.reviewers):
        s.note(label("qa_no_reviewers", lang))
    else:
        s.header(
            [
                label("qa_reviewer", lang),
                label("qa_scored", lang),
                label("qa_mean_score", lang),
                label("qa_team_mean", lang),
                label("qa_difference", lang),
            ]
        )
        for r in c.reviewers.to_dict("records"):
            s.cells(
                [r["reviewer"], int(r["scored"]), r["mean_score"], r["team_mean"], r["difference"]],
                ["text", "int", "dec2", "dec2", "d_dec2"],
            )
        s.note(label("qa_leniency_note", lang))
    s.gap()
    s.heading(label("qa_calibration", lang))
    cal = c.calibration
    if cal is None:
        s.note(label("qa_no_calibration", lang))
        return
    s.note(label("qa_cal_counts", lang, c=cal.contacts, r=cal.reviewer_count))
    s.header([label("qa_dimension", lang), label("qa_alpha", lang), label("qa_agreement", lang)])
    for key in [*RUBRIC_KEYS, "overall"]:
        if key not in cal.alpha:
            continue
        name = label("qa_overall", lang) if key == "overall" else _dim_label(key, lang)
        s.cells([name, cal.alpha.get(key), cal.agreement.get(key)], ["label", "dec2", "pct"])
    s.note(label("qa_alpha_note", lang))
    s.gap()
    s.heading(label("qa_cal_reviewers", lang))
    s.header(
        [
            label("qa_reviewer", lang),
            label("qa_contacts", lang),
            label("qa_mean_score", lang),
            label("qa_deviation", lang),
            label("qa_within_one", lang),
        ]
    )
    for r in cal.reviewers.to_dict("records"):
        s.cells(
            [r["reviewer"], r["contacts"], r["mean_score"], r["mean_deviation"], r["within_one"]],
            ["text", "int", "dec2", "d_dec2", "pct"],
        )
    s.note(label("qa_deviation_note", lang))
    if len(cal.widest):
        s.gap()
        s.heading(label("qa_widest", lang))
        s.header(
            [
                _dim_label("contact_id", lang),
                label("qa_reviewers_n", lang),
                label("qa_lowest", lang),
                label("qa_highest", lang),
                label("qa_spread", lang),
            ],
            repeat=True,  # the longest table of the sheet: its header on every printed page
        )
        for r in cal.widest.to_dict("records"):
            s.cells(
                [r["contact_id"], int(r["reviewers"]), r["lowest"], r["highest"], r["spread"]],
                ["text", "int", "dec2", "dec2", "dec2"],
            )
    if cal.duplicates:
        s.note(label("qa_duplicates", lang, list=", ".join(cal.duplicates[:20])))

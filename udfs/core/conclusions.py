"""Findings and recommendations: the report's conclusions, built only from its figures.

:func:`draw_conclusions` reads an analysis's figures (targets, changes against the previous
period, the Pareto, rubric dimensions, agents, actions, peak hours, sampling ratio,
data-quality counts) and writes one :class:`Conclusion` per conclusion, with its sentence
in Chinese and English and a recommendation from the library
(:mod:`udfs.core.recommendations`).  Order: KPIs that miss their target (largest gap first),
the biggest moves against the previous period (an improvement or a decline only when
beyond sampling noise, :mod:`udfs.core.significance`; else "stable"), the class-A problems, the weakest rubric
dimensions, agents below the pass mark, overdue actions, the worst hour band, a sample
below 10 % of the contacts handled, reviewers who do not agree (Krippendorff's alpha),
data-quality caveats; before them all, a composite resting on fewer indicators than
configured or a period without QA scores.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .fields import choice_label
from .grouping import cell_counts
from .i18n import Catalog
from .model import Analysis, Conclusion
from .recommendations import KPI_RECOMMENDATION
from .targets import RATE_KPIS, kpi_label

MIN_SAMPLE_RATIO = 0.10
"""The seed template: "抽检比例不低于总服务量的10%" (the Config sheet's sampling record
``min_ratio`` overrides it)."""
CHANGE_KPIS = (
    "fcr",
    "csat_mean",
    "csat_pct",
    "service_level",
    "avg_first_response_s",
    "answer_rate",
    "qa_score_mean",
    "qc_pass_rate",
    "composite_score",
)
"""The KPIs whose move against the previous period can be a finding."""
LOWER_IS_BETTER = frozenset(
    ("avg_first_response_s", "avg_handle_time_s", "avg_resolution_time_h")
    + ("transfer_rate", "repeat_rate")
)
"""KPIs that improve when they fall."""
MIN_MOVE = 0.05
"""A move is a finding when it is at least 5 % of the previous value (5 points for rates)."""
MAX_MOVES = 3
WEAK_DIMENSION = 4.0
"""A rubric dimension is weak when its mean rating is below 4 (良好 / Good)."""
MAX_WEAK = 2
MAX_NAMES = 5
"""Agents / actions named in one sentence; the rest are counted."""

_t = Catalog(
    {
        "target_high": (
            "{kpi} {value}, short of the {target} target by {gap}.",
            "{kpi} {value}，未达到目标 {target}（差 {gap}）。",
        ),
        "target_low": (
            "{kpi} {value}, above the {target} target by {gap}.",
            "{kpi} {value}，高于目标 {target}（超出 {gap}）。",
        ),
        "move_better": (
            "{kpi} improved from {prev} to {value} against the previous period ({period}).",
            "{kpi}较上期（{period}）由 {prev} 改善至 {value}。",
        ),
        "move_worse": (
            "{kpi} worsened from {prev} to {value} against the previous period ({period}).",
            "{kpi}较上期（{period}）由 {prev} 下滑至 {value}。",
        ),
        "move_stable": (
            "{kpi} moved from {prev} to {value} against the previous period ({period}): "
            "stable (within sampling noise).",
            "{kpi}较上期（{period}）由 {prev} 变为 {value}，基本持平（在抽样误差范围内）。",
        ),
        "move_untested": (
            "{kpi} moved from {prev} to {value} against the previous period ({period}); "
            "this figure cannot be tested against sampling noise.",
            "{kpi}较上期（{period}）由 {prev} 变为 {value}；该指标无法检验是否超出抽样误差。",
        ),
        "pareto": (
            "Class-A problem \u201c{problem}\u201d: {count} contact(s) ({share} of the problems)"
            "{cause}.",
            "A 类问题“{problem}”：{count} 次（占问题总数 {share}）{cause}。",
        ),
        "pareto_cause": (
            "; root cause: {root} ({category})",
            "；根本原因：{root}（{category}）",
        ),
        "pareto_no_cause": ("; no root cause recorded yet", "；尚未记录根本原因"),
        "weak": (
            "Weakest rubric dimension: {dim}, mean rating {value} of 5.",
            "薄弱评分维度：{dim}，平均评分 {value}（满分 5）。",
        ),
        "below_pass": (
            "{n} agent(s) below the QC pass mark of {mark}: {names}.",
            "{n} 名客服质检均分低于合格线 {mark}：{names}。",
        ),
        "overdue": (
            "{n} improvement action(s) overdue as of {as_of}: {names}.",
            "截至 {as_of} 有 {n} 项改进行动逾期：{names}。",
        ),
        "overdue_item": ("No. {no} ({days} days late)", "编号 {no}（逾期 {days} 天）"),
        "peak": (
            "{start:02d}:00-{end:02d}:00 is the weakest time of day: average first response "
            "{value} against {rest} in the other hours, service level {sl} against {rest_sl} "
            "({n} contacts).",
            "{start:02d}:00-{end:02d}:00 是服务最薄弱的时段：平均首次响应 {value}，其他时段为 "
            "{rest}；服务水平 {sl}，其他时段为 {rest_sl}（{n} 条联系）。",
        ),
        "sample": (
            "The QA sample is {n} of {pop} contacts handled ({ratio}), below the {floor} the "
            "template asks for.",
            "抽检量为总服务量 {pop} 中的 {n} 条（{ratio}），低于模板要求的 {floor}。",
        ),
        "composite_basis": (
            "The composite score {value} rests on {n} of the {m} configured indicators "
            "({present}); {missing} had no data in the period.",
            "综合得分 {value} 仅基于已配置的 {m} 项指标中的 {n} 项（{present}），{missing} 本期无数据。",
        ),
        "no_scores": (
            "No contact of the period has a QA score: no grade is given and no rubric advice "
            "can be drawn.",
            "本期没有任何联系有质检评分：不给出等级，也无法提出评分维度方面的建议。",
        ),
        "calibration": (
            "The reviewers do not agree well enough: Krippendorff's \u03b1 on {what} is {alpha}, "
            "below {floor} (reliable from 0.8); the QA scores depend on who reviewed.",
            "质检员评分一致性不足：{what}的 Krippendorff \u03b1 为 {alpha}，低于 {floor}（0.8 以上"
            "为可靠），质检得分受评分人影响。",
        ),
        "data_quality": (
            "The workbook has {e} data-quality error(s) and {w} warning(s) (see the Data "
            "quality sheet){effects}.",
            "工作簿有 {e} 个数据质量错误、{w} 个警告（见数据质量表）{effects}。",
        ),
        "dq_left_out": (
            "{n} cell(s) with errors are left out of the figures",
            "{n} 个错误单元格未计入统计",
        ),
        "dq_as_typed": (
            "{n} value(s) not on a list are counted as typed",
            "{n} 个不在列表中的值按原文统计",
        ),
        "more": (" and {n} more", " 等，另有 {n} 项"),
        "points": ("{v} points", "{v} 个百分点"),
        "s": ("{v} s", "{v} 秒"),
        "h": ("{v} h", "{v} 小时"),
    }
)


def format_value(metric: str, v: float, lang: str) -> str:
    """A KPI's figure as the report prints it (% for rates, s / h for times)."""
    if metric in RATE_KPIS:
        return f"{v * 100:.1f}%"
    if metric.endswith("_s"):
        return _t("s", lang, v=f"{v:.1f}")
    if metric.endswith("_h"):
        return _t("h", lang, v=f"{v:.1f}")
    if metric == "csat_mean":
        return f"{v:.2f}"
    return f"{v:.1f}"


def format_gap(metric: str, v: float, lang: str) -> str:
    """A difference of a KPI: percentage points for rates."""
    if metric in RATE_KPIS:
        return _t("points", lang, v=f"{abs(v) * 100:.1f}")
    return format_value(metric, abs(v), lang)


def _both(key: str, **values: Any) -> dict[str, str]:
    out = {}
    for lang in ("zh", "en"):
        vals = {k: (v(lang) if callable(v) else v) for k, v in values.items()}
        out[lang] = _t(key, lang, **vals)
    return out


def _names(items: Sequence[Any], lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    texts = [i(lang) if callable(i) else str(i) for i in items[:MAX_NAMES]]
    more = _t("more", lang, n=len(items) - MAX_NAMES) if len(items) > MAX_NAMES else ""
    return sep.join(texts) + more


Library = Mapping[str, Mapping[str, str]]
"""Recommendation texts by language then key."""
Recommend = Callable[[str | None], dict[str, str]]
"""A recommendation library key -> its texts by language (``{}`` for none)."""


def draw_conclusions(an: Analysis, library: Library) -> list[Conclusion]:
    """Every conclusion the figures of ``an`` support, in report order.

    ``library``: recommendation texts by language then key (see
    :func:`~udfs.core.recommendations.library_from_rows`)."""

    no_scores = an.headline.get("qa_score_mean") is None
    rubric_advice = {"quality", "below_pass", *(i.source for i in an.config.contact_indicators)}

    def rec(key: str | None) -> dict[str, str]:
        if key is None or (no_scores and key in rubric_advice):
            return {}  # no QA scores: no advice on the rubric
        return {lang: library[lang][key] for lang in ("zh", "en") if key in library[lang]}

    out: list[Conclusion] = []
    for kind in CONCLUSION_KINDS:
        out.extend(kind(an, library, rec))
    return out


def _targets(an: Analysis, library: Library, rec: Recommend) -> list[Conclusion]:
    """1. KPIs that miss their target, largest relative gap first."""
    misses = sorted(
        (c for c in an.targets.values() if not c.met), key=lambda c: c.shortfall, reverse=True
    )
    out = []
    for c in misses:
        m = c.kpi
        out.append(
            Conclusion(
                "target",
                m,
                c.value,
                c.target,
                _both(
                    "target_high" if c.higher_is_better else "target_low",
                    kpi=lambda lang, m=m: kpi_label(m, lang, unit=False),
                    value=lambda lang, m=m, v=c.value: format_value(m, v, lang),
                    target=lambda lang, m=m, v=c.target: format_value(m, v, lang),
                    gap=lambda lang, m=m, v=c.gap: format_gap(m, v, lang),
                ),
                rec(KPI_RECOMMENDATION.get(m)),
                KPI_RECOMMENDATION.get(m),
            )
        )
    return out


def _changes(an: Analysis, library: Library, rec: Recommend) -> list[Conclusion]:
    """2. The biggest moves against the previous period."""
    prev = an.previous or {}
    moves = []
    for m in CHANGE_KPIS:
        v, p = an.headline.get(m), prev.get(m)
        if v is None or p is None:
            continue
        delta = float(v) - float(p)
        size = abs(delta) if m in RATE_KPIS else abs(delta) / (abs(float(p)) or 1.0)
        if size >= MIN_MOVE:
            moves.append((size, m, float(v), float(p), delta))
    moves.sort(key=lambda x: x[0], reverse=True)
    period = an.previous_period
    out = []
    verdicts = an.change_verdicts
    # a move beyond sampling noise first, then the size of the move
    moves.sort(key=lambda x: verdicts.get(x[1]) not in ("up", "down"))
    for _, m, v, p, delta in moves[:MAX_MOVES]:
        verdict = verdicts.get(m)
        better = (delta < 0) if m in LOWER_IS_BETTER else (delta > 0)
        if verdict in ("up", "down"):
            text = "move_better" if better else "move_worse"
        else:
            text = "move_untested" if verdict is None else "move_stable"
        key = KPI_RECOMMENDATION.get(m) if text == "move_worse" else None
        out.append(
            Conclusion(
                "change",
                m,
                v,
                p,
                _both(
                    text,
                    kpi=lambda lang, m=m: kpi_label(m, lang, unit=False),
                    value=lambda lang, m=m, v=v: format_value(m, v, lang),
                    prev=lambda lang, m=m, p=p: format_value(m, p, lang),
                    period=lambda lang: period.text(lang) if period else "-",
                ),
                rec(key),
                key,
            )
        )
    return out


def _pareto(an: Analysis, library: Library, rec: Recommend) -> list[Conclusion]:
    """3. The class-A problems with their root causes and cause categories."""
    out = []
    for r in an.pareto.to_dict("records") if len(an.pareto) else []:
        if r.get("pareto_class") != "A":
            continue
        root, cat = r.get("root_cause"), r.get("cause_category")
        root = root if isinstance(root, str) and root.strip() else None
        cat = cat if isinstance(cat, str) and cat.strip() else None

        def cause(lang: str, root: str | None = root, cat: str | None = cat) -> str:
            if root is None and cat is None:
                return _t("pareto_no_cause", lang)
            category = choice_label("cause_category", cat, lang) if cat else "-"
            return _t("pareto_cause", lang, root=root or "-", category=category)

        key = cat if cat in library["en"] else "root_cause"
        out.append(
            Conclusion(
                "pareto",
                str(r["problem"]),
                float(r["count"]),
                float(r["share"]),
                _both(
                    "pareto",
                    problem=str(r["problem"]),
                    count=int(r["count"]),
                    share=f"{float(r['share']) * 100:.1f}%",
                    cause=cause,
                ),
                rec(key),
                key,
            )
        )
    return out


def _weak_dimensions(an: Analysis, library: Library, rec: Recommend) -> list[Conclusion]:
    """4. The weakest rubric dimensions (mean rating below 4)."""
    dims = [
        (float(d.value), d.indicator)
        for d in an.dim_indicators
        if d.kind == "indicator" and d.indicator is not None and d.value is not None
    ]
    weak = sorted((d for d in dims if d[0] < WEAK_DIMENSION), key=lambda d: d[0])
    out = []
    for mean, ind in weak[:MAX_WEAK]:
        out.append(
            Conclusion(
                "weak_dimension",
                ind.source,
                mean,
                WEAK_DIMENSION,
                _both("weak", dim=ind.label, value=f"{mean:.2f}"),
                rec(ind.source if ind.source in library["en"] else "quality"),
                ind.source if ind.source in library["en"] else "quality",
            )
        )
    return out


def _below_pass(an: Analysis, library: Library, rec: Recommend) -> list[Conclusion]:
    """5. Agents below the pass mark (mean QA score of the period)."""
    mark = an.config.grades.pass_
    ag = an.agents
    if not (len(ag) and "qa_score_mean" in ag.columns):
        return []
    low = ag[ag["qa_score_mean"].notna() & (ag["qa_score_mean"] < mark)]
    low = low.sort_values("qa_score_mean", kind="stable")
    if not len(low):
        return []
    names = [
        f"{a} ({float(s):.1f})" for a, s in zip(low["agent_id"], low["qa_score_mean"], strict=True)
    ]
    worst = float(low["qa_score_mean"].iloc[0])
    return [
        Conclusion(
            "below_pass",
            "qa_score_mean",
            worst,
            mark,
            _both(
                "below_pass",
                n=len(low),
                mark=f"{mark:g}",
                names=lambda lang, names=names: _names(names, lang),
            ),
            rec("below_pass"),
            "below_pass",
        )
    ]


def _overdue(an: Analysis, library: Library, rec: Recommend) -> list[Conclusion]:
    """6. Overdue actions."""
    over = an.overdue
    if not len(over):
        return []
    items = [
        lambda lang, no=no, d=d: _t("overdue_item", lang, no=no, days=int(d))
        for no, d in zip(over["action_no"], over["days"], strict=True)
    ]
    return [
        Conclusion(
            "overdue",
            None,
            float(len(over)),
            float(over["days"].max()),
            _both(
                "overdue",
                n=len(over),
                as_of=an.as_of.isoformat(),
                names=lambda lang: _names(items, lang),
            ),
            rec("overdue"),
            "overdue",
        )
    ]


def _peak_hours(an: Analysis, library: Library, rec: Recommend) -> list[Conclusion]:
    """7. The worst hour band, when clearly worse than the other hours."""
    b = an.peak_band
    if b is None:
        return []
    return [
        Conclusion(
            "peak_hours",
            "avg_first_response_s",
            b.avg_first_response_s,
            b.rest_avg_first_response_s,
            _both(
                "peak",
                start=b.start_hour,
                end=b.end_hour,
                value=lambda lang: format_value(
                    "avg_first_response_s", b.avg_first_response_s, lang
                ),
                rest=lambda lang: format_value(
                    "avg_first_response_s", b.rest_avg_first_response_s, lang
                ),
                sl=_pct(b.service_level),
                rest_sl=_pct(b.rest_service_level),
                n=b.contacts,
            ),
            rec("staffing"),
            "staffing",
        )
    ]


def _sample(an: Analysis, library: Library, rec: Recommend) -> list[Conclusion]:
    """8. A sample below 10 % (the Config sheet's floor) of the contacts handled."""
    ratio = an.sampling_ratio
    cycle = an.qa_cycle
    floor = cycle.min_ratio  # the Config sheet's sampling record, default 10 %
    if ratio is None or not ratio < floor - 1e-12:
        return []
    n = int(an.headline.get("contacts") or 0)
    pop_figures = cycle.population or {}
    pop = pop_figures.get("contacts") or (round(n / ratio) if ratio else 0)
    return [
        Conclusion(
            "sample",
            "sampling_ratio",
            ratio,
            floor,
            _both("sample", n=n, pop=int(pop), ratio=_pct(ratio), floor=_pct(floor)),
            rec("sample"),
            "sample",
        )
    ]


def _composite_basis(an: Analysis, library: Library, rec: Recommend) -> list[Conclusion]:
    """0. A composite resting on fewer indicators than configured; no QA scores at all."""
    h = an.headline
    out = []
    if h.get("qa_score_mean") is None and int(h.get("contacts") or 0) > 0:
        out.append(Conclusion("no_scores", "qa_score_mean", None, None, _both("no_scores")))
    inds = [i for i in an.config.team_indicators if i.weight > 0]
    present = [i for i in inds if h.get(i.source) is not None]
    v = h.get("composite_score")
    if v is None or not present or len(present) >= len(inds):
        return out
    missing = [i for i in inds if i not in present]

    def names(items: list[Any]) -> Callable[[str], str]:
        return lambda lang: ("、" if lang == "zh" else ", ").join(i.label(lang) for i in items)

    out.append(
        Conclusion(
            "composite_basis",
            "composite_score",
            float(v),
            float(len(inds)),
            _both(
                "composite_basis",
                value=f"{float(v):.1f}",
                n=len(present),
                m=len(inds),
                present=names(present),
                missing=names(missing),
            ),
        )
    )
    return out


RELIABLE_ALPHA = 0.667
"""Krippendorff's lowest acceptable alpha (tentative conclusions); 0.8 is reliable."""


def _calibration(an: Analysis, library: Library, rec: Recommend) -> list[Conclusion]:
    """8b. Reviewers who do not agree: Krippendorff's alpha below :data:`RELIABLE_ALPHA`
    on the score (else on the weakest rubric dimension)."""
    cal = an.qa_cycle.calibration
    if cal is None:
        return []
    alphas = {k: v for k, v in cal.alpha.items() if v is not None}
    if not alphas:
        return []
    key = "overall" if "overall" in alphas else min(alphas, key=lambda k: alphas[k])
    a = alphas[key]
    if a >= RELIABLE_ALPHA:
        return []
    labels = {i.source: i for i in an.config.contact_indicators}

    def what(lang: str) -> str:
        if key == "overall":
            return "the score" if lang == "en" else "总分"
        ind = labels.get(key)
        return ind.label(lang) if ind else key

    return [
        Conclusion(
            "calibration",
            key,
            float(a),
            RELIABLE_ALPHA,
            _both("calibration", what=what, alpha=f"{a:.2f}", floor=f"{RELIABLE_ALPHA:.3f}"),
            rec("quality"),  # calibrate the reviewers first
            "quality",
        )
    ]


def _dq_effects(an: Analysis) -> Callable[[str], str]:
    """What the figures do with the findings' cells, one clause per kind that is true of
    each rule (:func:`udfs.core.grouping.cell_counts`): errors left out, values not on a
    list counted as typed; other warnings say it in their own rule."""
    counts = cell_counts(an.findings)

    def text(lang: str) -> str:
        parts = [
            _t(f"dq_{kind}", lang, n=counts[kind])
            for kind in ("left_out", "as_typed")
            if counts[kind]
        ]
        if not parts:
            return ""
        return ("：" if lang == "zh" else ": ") + ("；" if lang == "zh" else "; ").join(parts)

    return text


def _data_quality(an: Analysis, library: Library, rec: Recommend) -> list[Conclusion]:
    """9. Data-quality caveats."""
    if not (an.errors or an.warnings):
        return []
    return [
        Conclusion(
            "data_quality",
            None,
            float(an.errors),
            None,
            _both("data_quality", e=an.errors, w=an.warnings, effects=_dq_effects(an)),
            rec("data_quality"),
            "data_quality",
        )
    ]


CONCLUSION_KINDS: tuple[Callable[[Analysis, Library, Recommend], list[Conclusion]], ...] = (
    _composite_basis,
    _targets,
    _changes,
    _pareto,
    _weak_dimensions,
    _below_pass,
    _overdue,
    _peak_hours,
    _sample,
    _calibration,
    _data_quality,
)
"""The kinds of conclusion in report order: each reads the analysis and returns its own."""


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v * 100:.1f}%"


def redraw_data_quality(an: Analysis, library: Library) -> list[Conclusion]:
    """The conclusions with the data-quality caveat worded again from ``an``'s current
    counts (after a later step of the analysis added findings), kept last."""

    def rec(key: str | None) -> dict[str, str]:
        if key is None:
            return {}
        return {lang: library[lang][key] for lang in ("zh", "en") if key in library[lang]}

    kept = [c for c in an.conclusions if c.kind != "data_quality"]
    return kept + _data_quality(an, library, rec)

"""The Method sheet (方法说明): the inputs, the rules and the scoring configuration used."""

from __future__ import annotations

import math

from udfs import __version__
from udfs.core.config import GROUP_LABELS

from .labels import LABELS, label, metric_label
from .layout import Sheet, Writer, text_units


def method_sheet(w: Writer) -> None:
    an, lang = w.an, w.lang
    cfg = an.config
    s = Sheet(w, "sh_method", [40, 16, 9, 30, 20, 12, 14, 4])
    s.title(label("method_title", lang))
    for name, v, fmt in (
        (label("csq_version", lang), __version__, "text"),
        (label("as_of", lang), an.as_of, "date"),
        (label("as_of_rule", lang), label(f"as_of_rule_{an.as_of_rule}", lang), "wrap"),
        (label("input_file", lang), an.source or "-", "text"),
        (label("input_sha", lang), an.sha256 or "-", "wide"),
        (label("report_period", lang), an.period or "-", "text"),
        (label("period_rule", lang), label("period_rule_text", lang), "wrap"),
        (label("figures_rule", lang), label("figures_rule_text", lang), "wrap"),
        (label("noise_rule", lang), label("noise_rule_text", lang), "wrap"),
    ):
        if fmt == "wrap":  # long text across the table's width, as many lines as it needs
            lines = math.ceil(text_units(str(v)) / (sum(s.widths[1:8]) * 0.9))
            s.ws.set_row(s.row, 15 * max(2, lines) + 3)
            s.ws.write_string(s.row, 0, name, w.f["label"])
            s.ws.merge_range(s.row, 1, s.row, 7, str(v), w.f["wrap"])
            s.row += 1
        elif fmt == "wide":  # one line that needs more than one column (the SHA-256)
            s.ws.write_string(s.row, 0, name, w.f["label"])
            s.ws.merge_range(s.row, 1, s.row, 7, str(v), w.f["text"])
            s.row += 1
        else:
            s.cells([name, v], ["label", fmt])
    s.gap()
    ind_cols = [
        label("indicator", lang),
        label("group", lang),
        label("weight", lang),
        label("source_field", lang),
        label("rule", lang),
        label("bands", lang),
        label("band_points", lang),
    ]
    for key, inds in (("cfg_contact", cfg.contact_indicators), ("cfg_team", cfg.team_indicators)):
        s.heading(label(key, lang))
        s.header(ind_cols)
        for i in inds:
            s.cells(
                [
                    i.label(lang),
                    GROUP_LABELS[i.group][0 if lang == "zh" else 1],
                    i.weight,
                    metric_label(i.source, lang) if f"m_{i.source}" in LABELS else i.label(lang),
                    label(f"rule_{i.rule}", lang),
                    " / ".join(f"{b:g}" for b in i.bands) or None,
                    " / ".join(f"{p:g}" for p in i.points) or None,
                ],
                ["text", "text", "dec1", "text", "text", "text", "text"],
            )
        s.gap()
    s.heading(label("cfg_params", lang))
    g = cfg.grades
    for name, v in (
        (label("p_grades", lang), f"{g.excellent:g} / {g.good:g} / {g.pass_:g}"),
        (label("p_auto_fail", lang), label("yes" if cfg.critical_auto_fail else "no", lang)),
        (label("p_sl", lang), f"{cfg.service_level_s:g}"),
        (label("p_repeat", lang), f"{cfg.repeat_window_days}"),
        (label("p_pareto", lang), f"{cfg.pareto_a:.0%} / {cfg.pareto_b:.0%}"),
        (label("p_min_sample", lang), f"{cfg.min_agent_sample}"),
    ):
        s.cells([name, v], ["label", "text"])

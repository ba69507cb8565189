"""Findings about the reviewer's verdict column (``qc_verdict``) of a Monitoring table.

A verdict is 合格/不合格 (Pass/Fail) with an optional reason (``不合格(未同步仓库数据)``);
where filled it is the QC result the report uses (``udfs.core.scoring.parse_verdict``).
Text that is not a verdict is an error on its cell; a verdict that disagrees with the
score-based result (score against the pass mark, critical error) is a warning on its cell,
so a QA lead sees where reviewer and rubric part ways.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from udfs.core.config import ScoringConfig
from udfs.core.data import Finding
from udfs.core.i18n import Catalog
from udfs.core.metrics import score_frame
from udfs.core.scoring import QC_LABELS, parse_verdict

_msg = Catalog(
    {
        "not_verdict": (
            "Reviewer's verdict: not a verdict; allowed: Pass or Fail (合格/不合格), "
            "optionally with a reason, e.g. Fail (stock not synced), or blank",
            "质检员判定：不是判定；允许：合格 或 不合格（Pass/Fail），可加原因，"
            "如 不合格(未同步仓库数据)，或留空",
        ),
        "disagrees": (
            "Reviewer's verdict {verdict} differs from the score-based result {by_score} "
            "(QA score {score}); the report uses the verdict",
            "质检员判定为{verdict}，按得分判定为{by_score}（质检得分 {score}）；报告以质检员判定为准",
        ),
    }
)


def verdict_findings(
    df: pd.DataFrame, config: ScoringConfig, sheet: str, letter: str, lang: str
) -> list[Finding]:
    """Findings for the verdicts of ``df`` (typed Monitoring rows with ``_row``), whose
    column is ``letter`` on ``sheet``."""
    if "qc_verdict" not in df.columns or not df["qc_verdict"].notna().any():
        return []
    texts = df["qc_verdict"].tolist()
    flags, _, bad = parse_verdict(texts)
    scored = score_frame(df, config)
    by_score = scored["qc_pass_score"].to_numpy(dtype=float)
    scores = scored["score"].to_numpy(dtype=float)
    rows = df["_row"].tolist()
    labels = QC_LABELS["zh" if lang == "zh" else "en"]
    out: list[Finding] = []
    for i in np.flatnonzero(bad | (~np.isnan(flags) & ~np.isnan(by_score) & (flags != by_score))):
        cell = f"{letter}{rows[i]}"
        if bad[i]:
            out.append(
                Finding(
                    sheet, cell, str(texts[i]), _msg("not_verdict", lang), "error", "qc_verdict"
                )
            )
            continue
        rule = _msg(
            "disagrees",
            lang,
            verdict=labels[bool(flags[i])],
            by_score=labels[bool(by_score[i])],
            score=f"{scores[i]:.2f}".rstrip("0").rstrip("."),
        )
        out.append(Finding(sheet, cell, str(texts[i]), rule, "warning", "qc_verdict"))
    return out

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
from udfs.core.metrics import score_frame
from udfs.core.problems import Text
from udfs.core.scoring import QC_LABELS, parse_verdict


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
    labels = {b: Text(QC_LABELS["en"][b], QC_LABELS["zh"][b]) for b in (True, False)}
    out: list[Finding] = []
    for i in np.flatnonzero(bad | (~np.isnan(flags) & ~np.isnan(by_score) & (flags != by_score))):
        cell = f"{letter}{rows[i]}"
        if bad[i]:
            out.append(
                Finding.of("not_a_verdict", sheet, cell, "qc_verdict", str(texts[i]), {}, lang)
            )
            continue
        params = {
            "verdict": labels[bool(flags[i])],
            "by_score": labels[bool(by_score[i])],
            "score": f"{scores[i]:.2f}".rstrip("0").rstrip("."),
        }
        value = str(texts[i])
        out.append(
            Finding.of(
                "verdict_disagrees", sheet, cell, "qc_verdict", value, params, lang, "warning"
            )
        )
    return out

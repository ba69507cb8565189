"""The CSQ calculation core: one implementation of every rule, used by every face.

No xlwings here: the Excel functions (``udfs.functions``), the ribbon, the CLI and the
report all call these functions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import DEFAULT_CONFIG, ConfigError, Indicator, ScoringConfig, load_config
from .metrics import breakdown, critical_flags, summary
from .pareto import pareto_columns, pareto_table
from .privacy import mask_id
from .scoring import (
    GRADE_LABELS,
    QC_LABELS,
    grade,
    grade_keys,
    qc_pass,
    score_contacts,
)

__all__ = [
    "DEFAULT_CONFIG",
    "ConfigError",
    "Indicator",
    "ScoringConfig",
    "load_config",
    "breakdown",
    "summary",
    "pareto_columns",
    "pareto_table",
    "mask_id",
    "grade",
    "grade_keys",
    "score_contacts",
    "score_frame",
    "GRADE_LABELS",
    "QC_LABELS",
]


def score_frame(df: pd.DataFrame, config: ScoringConfig = DEFAULT_CONFIG) -> pd.DataFrame:
    """Add ``score``, ``grade`` (key), ``qc_pass`` (1/0/NaN) to a typed monitoring table.

    Indicator source columns missing from ``df`` count as blank.  Returns a new frame.
    """
    n = len(df)
    inds = config.contact_indicators
    ratings = (
        np.column_stack(
            [
                df[i.source].to_numpy(dtype=float) if i.source in df.columns else np.full(n, np.nan)
                for i in inds
            ]
        )
        if n
        else np.empty((0, len(inds)))
    )
    crit = critical_flags(df)
    score = score_contacts(ratings, crit, inds, auto_fail=config.critical_auto_fail)
    out = df.copy()
    out["score"] = score
    out["grade"] = grade_keys(score, config.grades)
    out["qc_pass"] = qc_pass(
        score, crit if config.critical_auto_fail else None, config.grades.pass_
    )
    return out

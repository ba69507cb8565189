"""The CSQ calculation core: one implementation of every rule, used by every face.

No xlwings here: the Excel functions (``udfs.functions``), the ribbon, the CLI and the
report all call these functions.  Importing the package is cheap (``csq --help`` must not
load pandas); the names below are loaded from their modules on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "DEFAULT_CONFIG": "config",
    "ConfigError": "config",
    "Indicator": "config",
    "ScoringConfig": "config",
    "load_config": "config",
    "breakdown": "metrics",
    "summary": "metrics",
    "score_frame": "metrics",
    "pareto_columns": "pareto",
    "pareto_table": "pareto",
    "mask_id": "privacy",
    "grade": "scoring",
    "grade_keys": "scoring",
    "score_contacts": "scoring",
    "GRADE_LABELS": "scoring",
    "QC_LABELS": "scoring",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'udfs.core' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)

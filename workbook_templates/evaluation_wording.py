"""The Evaluation form's wording: the text of every level (5..1) of the six rubric dimensions.

This is the one declaration of that wording, so that it can be replaced in one place.
SPEC section 3 asks for the service-process seed template's own wording; that text is not
in this repository, the shared folder or the issues, so what stands here is CSQ's own
wording (:data:`WORDING_SOURCE`) until the seed text is supplied.  Replacing it: edit
:data:`LEVEL_TEXT` (five texts per dimension and language, level 5 first), then regenerate
the template golden files.  The speed texts may name the rubric speed bands
(``udfs.core.config.SPEED_BANDS``): ``{lo}`` and ``{hi}`` are the level's lower and upper
bound in seconds (for the last level, ``{lo}`` is the last bound); plain text works too.
"""

from __future__ import annotations

from udfs.core.config import SPEED_BANDS
from udfs.core.fields import RUBRIC_KEYS, Lang

WORDING_SOURCE = "csq"
"""Whose wording :data:`LEVEL_TEXT` is: ``csq`` (CSQ's own) until the seed template's text
replaces it (then ``seed``)."""

LEVEL_TEXT: dict[str, dict[str, tuple[str, str, str, str, str]]] = {
    "zh": {
        "speed": (
            "{lo}-{hi} 秒内响应",
            "{lo}-{hi} 秒内响应",
            "{lo}-{hi} 秒内响应",
            "{lo}-{hi} 秒内响应",
            "超过 {lo} 秒",
        ),
        "attitude": ("热情礼貌，耐心共情", "礼貌耐心", "基本礼貌", "语气生硬", "态度恶劣"),
        "solving": ("一次彻底解决并预防复发", "正确解决", "基本解决，需补充", "部分解决", "未解决"),
        "knowledge": ("准确全面，能解释原因", "准确", "基本准确", "有明显错误", "错误或无法回答"),
        "satisfaction": ("客户明确认可", "客户满意", "客户接受", "客户不满", "客户投诉"),
        "records": ("完整规范，可直接复用", "完整", "基本完整", "缺少关键信息", "未记录"),
    },
    "en": {
        "speed": (
            "responds within {hi} s",
            "responds within {hi} s",
            "responds within {hi} s",
            "responds within {hi} s",
            "over {lo} s",
        ),
        "attitude": (
            "Warm, patient, empathetic",
            "Polite and patient",
            "Basically polite",
            "Curt",
            "Rude",
        ),
        "solving": (
            "Solved for good at once",
            "Solved correctly",
            "Solved, follow-up needed",
            "Partly solved",
            "Not solved",
        ),
        "knowledge": (
            "Accurate and complete, explains why",
            "Accurate",
            "Mostly accurate",
            "Clear mistakes",
            "Wrong or cannot answer",
        ),
        "satisfaction": (
            "Customer clearly pleased",
            "Customer satisfied",
            "Customer accepts",
            "Customer unhappy",
            "Customer complains",
        ),
        "records": (
            "Complete and tidy, reusable",
            "Complete",
            "Mostly complete",
            "Key facts missing",
            "Not recorded",
        ),
    },
}


def level_texts(key: str, lang: Lang) -> tuple[str, ...]:
    """The five level texts (level 5 first) of rubric dimension ``key``, speed bands filled."""
    texts = LEVEL_TEXT["zh" if lang == "zh" else "en"][key]
    bounds, _points = SPEED_BANDS
    out = []
    for i, text in enumerate(texts):
        if i < len(bounds):
            lo, hi = (bounds[i - 1] if i else 0), bounds[i]
        else:
            lo, hi = bounds[-1], bounds[-1]
        out.append(text.format(lo=f"{lo:g}", hi=f"{hi:g}"))
    return tuple(out)


assert all(set(LEVEL_TEXT[lang]) == set(RUBRIC_KEYS) for lang in LEVEL_TEXT)
assert all(len(t) == 5 for lang in LEVEL_TEXT for t in LEVEL_TEXT[lang].values())

"""The Evaluation form's wording: the text of every level (5..1) of the six rubric dimensions.

This is the one declaration of that wording.  SPEC section 3: the service-process seed
template's own evaluation table (``seeds/003_…txt``), word for word: the level texts, the
评价等级 and the 评分说明 (tests/test_evaluation_wording.py compares them with the seed
file).  The English is a translation.  Level 5 first in :data:`LEVEL_TEXT`.  The speed texts may name the rubric speed bands
(``udfs.core.config.SPEED_BANDS``): ``{lo}`` and ``{hi}`` are the level's lower and upper
bound in seconds (for the last level, ``{lo}`` is the last bound); with the default bands they read
exactly as the seed (3秒内响应 … 超时30秒以上未响应).
"""

from __future__ import annotations

from udfs.core.config import SPEED_BANDS
from udfs.core.fields import RUBRIC_KEYS, Lang

WORDING_SOURCE = "seed"
"""Whose wording :data:`LEVEL_TEXT` is: ``seed`` (seeds/003's evaluation table, word for
word; the English is a translation of it)."""

LEVEL_TEXT: dict[str, dict[str, tuple[str, str, str, str, str]]] = {
    "zh": {
        "speed": (
            "{hi}秒内响应",
            "{lo}-{hi}秒响应",
            "{lo}-{hi}秒响应",
            "{lo}-{hi}秒响应",
            "超时{lo}秒以上未响应",
        ),
        "attitude": (
            "热情周到、耐心倾听",
            "主动关怀、语气亲切",
            "礼貌用语、态度平和",
            "基本礼貌但缺乏热情",
            "语气生硬、不耐烦",
        ),
        "solving": (
            "快速定位根源并给出优化建议",
            "高效解决复杂问题",
            "独立解决基础问题",
            "需多次协调才解决",
            "无法解决且无方案",
        ),
        "knowledge": (
            "能预判客户潜在需求并主动提示",
            "熟悉产品/服务全流程",
            "准确解答常规问题",
            "基础信息错误",
            "答非所问",
        ),
        "satisfaction": (
            "客户主动表扬或推荐",
            "客户表示“满意”",
            "客户表示“还可以”",
            "客户未明确评价但情绪低落",
            "客户明确表示不满",
        ),
        "records": (
            "详实且附有截图/凭证等佐证",
            "条理清晰",
            "基本完整",
            "记录混乱",
            "关键信息缺失",
        ),
    },
    "en": {
        "speed": (
            "Responds within {hi} s",
            "Responds in {lo}-{hi} s",
            "Responds in {lo}-{hi} s",
            "Responds in {lo}-{hi} s",
            "No response for more than {lo} s",
        ),
        "attitude": (
            "Warm and attentive, listens patiently",
            "Shows care unprompted, friendly tone",
            "Polite wording, calm manner",
            "Basically polite but lacks warmth",
            "Curt, impatient",
        ),
        "solving": (
            "Finds the root cause quickly and suggests improvements",
            "Solves complex problems efficiently",
            "Solves basic problems independently",
            "Solves it only after repeated coordination",
            "Cannot solve it and has no plan",
        ),
        "knowledge": (
            "Anticipates the customer's latent needs and points them out",
            "Knows the whole product/service process",
            "Answers routine questions accurately",
            "Errors in basic information",
            "Answers beside the question",
        ),
        "satisfaction": (
            "Customer praises or recommends unprompted",
            "Customer says they are \u201csatisfied\u201d",
            "Customer says it is \u201cOK\u201d",
            "Customer gives no clear verdict but seems low",
            "Customer clearly says they are dissatisfied",
        ),
        "records": (
            "Detailed, with screenshots/receipts as evidence",
            "Clear and well organised",
            "Basically complete",
            "Disorganised",
            "Key information missing",
        ),
    },
}

GRADE_TEXT: dict[str, str] = {
    "zh": "优秀(5分)、良好(4分)、合格(3分)、需改进(1-2分)",
    "en": "Excellent (5), Good (4), Pass (3), Needs improvement (1-2)",
}
"""The template's 评价等级 cell, the same for every dimension."""

NOTE_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "speed": "根据首次响应时间及后续进度反馈及时性综合评分",
        "attitude": "结合沟通用语、情绪管理、客户情绪安抚效果评分",
        "solving": "按问题解决效率、方案合理性、一次性解决率评分",
        "knowledge": "根据回答准确性、知识库运用熟练度评分",
        "satisfaction": "以回访客户直接反馈及服务过程中客户情绪表现为准",
        "records": "（CSQ 补充，模板未写）根据记录的完整性、条理性及佐证材料评分",
    },
    "en": {
        "speed": "Rated on the first-response time and how promptly progress is reported afterwards",
        "attitude": "Rated on the wording used, emotion management and how well the customer is calmed",
        "solving": "Rated on resolution efficiency, how sound the solution is and the first-contact resolution rate",
        "knowledge": "Rated on answer accuracy and skill in using the knowledge base",
        "satisfaction": "Based on the customer's direct feedback at the call-back and their mood during the service",
        "records": "(CSQ's addition; the template has none) Rated on how complete and orderly the record is and the evidence attached",
    },
}
"""The template's 评分说明 per dimension; 信息记录规范性 has none in seeds/003, so CSQ's
own note stands there, marked as such."""


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
assert all(set(NOTE_TEXT[lang]) == set(RUBRIC_KEYS) for lang in NOTE_TEXT)

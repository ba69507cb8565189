"""Keyword tagging (udfs.core.tagging): longest keyword first, Chinese substrings, English
ignoring case, frequencies without double counts. Expected values worked out by hand."""

from __future__ import annotations

from udfs.core.tagging import DEFAULT_KEYWORDS, Keyword, keyword_counts, polarity_key, tag

KW = (
    Keyword("慢", "速度", "negative"),
    Keyword("响应慢", "等待时间长", "negative"),
    Keyword("物流延迟", "物流", "negative"),
    Keyword("patient", "Praise", "positive"),
    Keyword("impatient", "Cold attitude", "negative"),
    Keyword("解答专业", "表扬", "positive"),
)


def test_longest_keyword_first_and_substrings_without_segmentation() -> None:
    texts = [
        "系统响应慢",
        "发货慢",
        "物流延迟，响应慢",
        "Very PATIENT agent",
        "impatient!",
        None,
        "",
    ]
    assert tag(texts, KW) == ["等待时间长", "速度", "物流", "Praise", "Cold attitude", None, None]


def test_only_one_polarity() -> None:
    # --tag fills a problem category from complaints only: praise is left blank
    assert tag(["解答专业，但物流延迟", "解答专业"], KW, "negative") == ["物流", None]


def test_equal_length_keeps_list_order() -> None:
    # (Chinese: substrings; English keywords are words, issue 23)
    kws = (Keyword("甲乙", "first"), Keyword("乙丙", "second"))
    assert tag(["甲乙丙"], kws) == ["first"]


def test_english_keywords_are_words_with_simple_stemming() -> None:
    """Issue 23, item 8: 'unresolved' did not match 'resolve' (3 of 8,469 tickets tagged)."""
    kws = (
        Keyword("resolve", "Not resolved"),
        Keyword("refund", "Refund"),
        Keyword("long wait", "Long wait"),
        Keyword("patient", "Praise", "positive"),
    )
    texts = [
        "Issue unresolved after two calls",  # negating prefix + stem
        "they resolved nothing",
        "Requested REFUNDS twice",
        "waited long: the waits were long",  # the words must follow each other
        "a long waiting time",  # long + wait(ing)
        "outpatient clinic",  # not a word of the text: no match
        "very patient",
        "Refundable?",  # refund + -able is no suffix of the stemmer: another word
    ]
    assert tag(texts, kws) == [
        "Not resolved", "Not resolved", "Refund", None, "Long wait", None, "Praise", None
    ]  # fmt: skip


def test_keyword_counts_do_not_count_a_keyword_inside_a_longer_match_twice() -> None:
    texts = ["响应慢", "响应慢，物流延迟", "发货慢", "impatient", "patient and kind", "解答专业"]
    counts = {r.keyword: r.count for r in keyword_counts(texts, KW).itertuples()}
    # 响应慢: rows 1, 2; 慢 only in row 3 (rows 1-2 are 响应慢); 物流延迟: row 2;
    # impatient: row 4; patient only row 5; 解答专业: row 6
    assert counts == {
        "响应慢": 2,
        "慢": 1,
        "物流延迟": 1,
        "impatient": 1,
        "patient": 1,
        "解答专业": 1,
    }
    first = keyword_counts(texts, KW).iloc[0]
    assert (first["keyword"], first["count"], first["polarity"]) == ("响应慢", 2, "negative")


def test_defaults_hold_the_templates_vocabulary_in_both_languages() -> None:
    zh = {k.keyword for k in DEFAULT_KEYWORDS["zh"]}
    assert {
        "响应慢",
        "语气生硬",
        "未使用礼貌用语",
        "产品知识不熟",
        "解决方案错误",
        "物流延迟",
    } <= zh
    assert {k.polarity for k in DEFAULT_KEYWORDS["zh"] if k.keyword == "解答专业"} == {"positive"}
    assert len(DEFAULT_KEYWORDS["en"]) == len(DEFAULT_KEYWORDS["zh"])


def test_polarity_spellings() -> None:
    assert [polarity_key(v) for v in ("负面", "Positive", "正面", None, "+", "meh")] == [
        "negative",
        "positive",
        "positive",
        "negative",
        "positive",
        None,
    ]

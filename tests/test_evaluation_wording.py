"""The Evaluation form's level texts come from one declaration (issue 12, item 6).

The service-process seed template's exact wording is not available to the project, so the
texts are CSQ's own (``WORDING_SOURCE == "csq"``); these tests pin that the written form is
driven by :data:`workbook_templates.evaluation_wording.LEVEL_TEXT` alone, so the seed text
can replace it in one place.
"""

from __future__ import annotations

import openpyxl

from workbook_templates import evaluation_wording
from workbook_templates.builder import build_workbook


def _form(path, sheet: str) -> dict[str, list[str]]:
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path)[sheet].iter_rows()]
    hdr = next(i for i, r in enumerate(rows) if r[0] in ("维度", "Dimension"))
    return {r[0]: r[1:6] for r in rows[hdr + 1 :] if r[0]}


def test_speed_levels_follow_the_speed_bands(tmp_path):
    form = _form(build_workbook(tmp_path / "zh.xlsx", lang="zh"), "评价表")
    # SPEC section 4: <=3 s -> 5, <=5 -> 4, <=10 -> 3, <=30 -> 2, >30 -> 1
    assert form["响应速度"] == [
        "0-3 秒内响应",
        "3-5 秒内响应",
        "5-10 秒内响应",
        "10-30 秒内响应",
        "超过 30 秒",
    ]
    en = _form(build_workbook(tmp_path / "en.xlsx", lang="en"), "Evaluation form")
    assert en["Speed"][0] == "responds within 3 s" and en["Speed"][4] == "over 30 s"


def test_every_dimension_has_five_level_texts(tmp_path):
    form = _form(build_workbook(tmp_path / "zh.xlsx", lang="zh"), "评价表")
    assert len(form) == 6
    assert all(len(t) == 5 and all(isinstance(x, str) and x for x in t) for t in form.values())


def test_the_wording_is_replaced_in_one_place(tmp_path, monkeypatch):
    seed = dict(evaluation_wording.LEVEL_TEXT["zh"])
    seed["attitude"] = ("甲", "乙", "丙", "丁", "戊")
    seed["speed"] = ("三秒内", "五秒内", "十秒内", "三十秒内", "超过三十秒")  # plain text
    monkeypatch.setitem(evaluation_wording.LEVEL_TEXT, "zh", seed)
    form = _form(build_workbook(tmp_path / "seed.xlsx", lang="zh"), "评价表")
    assert form["服务态度"] == ["甲", "乙", "丙", "丁", "戊"]
    assert form["响应速度"] == ["三秒内", "五秒内", "十秒内", "三十秒内", "超过三十秒"]
    assert evaluation_wording.WORDING_SOURCE == "csq"  # still CSQ's own until replaced

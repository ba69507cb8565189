"""Process-step compliance and the customer side (issue 20), against hand calculations.

Purpose-built workbook (default limits: first response 10 s, escalation 30 min, answer 60
min, update gap 60 min, call-back 24 h); blank = the step does not apply:

    row  agent channel  first  esc  ans  gap  cb   reviewer  steps missed      final
    P1   A1    电话       5     20   -    -    10   -         none              Y
    P2   A1    电话       12    -    -    -    -    -         first response    N
    P3   A2    在线客服    8     40   50   -    30   -         escalation, cb    N
    P4   A2    在线客服    -     -    -    -    -    -         (no step)         -
    P5   A2    电话       3     -    90   45   20   Y         answer            Y (reviewer)
    P6   A1    在线客服    -     -    -    70   -    N         update gap        N

Per step (within / applies): first response 3/4 (P1, P3, P5 of P1 P2 P3 P5), escalation
1/2, answer 1/2, update gap 1/2 (P5 45 ok, P6 70 late), call-back 2/3 (P1 10, P5 20; P3 30
late).  Overall: judged P1 P2 P3 P5 P6 = 5, compliant P1 P5 = 2 -> 40 %.  Per agent: A1
P1 P2 P6 -> 1/3; A2 P3 P5 -> 1/2.  P5's reviewer Y disagrees with its measured N: one
warning.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from addin.cli import main as csq
from addin.read.workbook import read_workbook
from udfs.core import customer
from udfs.core.analysis import analyse
from udfs.functions import FUNCTIONS

T = dt.datetime(2026, 10, 5, 10)
AS_OF = dt.date(2026, 10, 31)
HEAD = ("工单编号", "客服工号", "渠道", "首次响应(秒)", "协调用时(分钟)", "明确答复用时(分钟)")
HEAD += ("最长反馈间隔(分钟)", "回访用时(小时)", "流程合规")
ROWS = [
    ("P1", "A1", "电话", 5, 20, None, None, 10, None),
    ("P2", "A1", "电话", 12, None, None, None, None, None),
    ("P3", "A2", "在线客服", 8, 40, 50, None, 30, None),
    ("P4", "A2", "在线客服", None, None, None, None, None, None),
    ("P5", "A2", "电话", 3, None, 90, 45, 20, "Y"),
    ("P6", "A1", "在线客服", None, None, None, 70, None, "N"),
]


def _type(path, rows, head=HEAD, extra=None):
    wb = openpyxl.load_workbook(path)
    ws = wb["监测表"]
    col = {c.value: c.column for c in ws[1]}
    for i, row in enumerate(rows, start=2):
        ws.cell(i, col["联系时间"], T + dt.timedelta(hours=i))
        for h, v in zip(head, row, strict=True):
            ws.cell(i, col[h], v)
    wb.save(path)
    return path


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "process.xlsx"
    assert csq(["new", "--lang", "zh", str(path)]) == 0
    return _type(path, ROWS)


def test_per_step_and_overall_compliance_by_hand(book):
    data = read_workbook(book)
    assert [f for f in data.findings if f.severity == "error"] == []
    an = analyse(data, as_of=AS_OF)
    steps = {r["step"]: (r["within"], r["n"]) for r in an.process_steps.to_dict("records")}
    assert steps == {
        "first_response": (3, 4),
        "escalation": (1, 2),
        "answer": (1, 2),
        "update_gap": (1, 2),
        "callback": (2, 3),
    }
    assert an.headline["process_compliance"] == pytest.approx(2 / 5)
    agents = {
        r["agent_id"]: (r["compliant"], r["n"]) for r in an.process_by_agent.to_dict("records")
    }
    assert agents == {"A1": (1, 3), "A2": (1, 2)}
    t = an.targets["process_compliance"]
    assert t.target == 0.95 and not t.met
    texts = [c.text["zh"] for c in an.conclusions if c.kind == "process_step"]
    # the largest late shares first: first response 1/4, then escalation 1/2 ... (ties keep
    # step order): escalation 50.0 %, answer 50.0 %
    assert texts[0] == "协调超时：50.0% 的复杂问题超过 30 分钟才协调相关部门。"
    gap = next(c for c in an.conclusions if c.metric == "process_compliance")
    assert "个百分点" in gap.text["zh"] and "55.0" in gap.text["zh"]  # 95 - 40


def test_reviewer_disagreement_is_one_warning_with_its_cell(book):
    data = read_workbook(book, lang="zh")
    warn = [f for f in data.findings if f.code == "process_ok_disagrees"]
    assert [(f.cell[-1], f.value, f.severity) for f in warn] == [("6", "Y", "warning")]
    assert "答复超时" in warn[0].rule


def test_workbook_column_and_function_give_each_contact_and_first_step_missed(book, tmp_path):
    # the written workbook's cached values come from the same function
    got = FUNCTIONS["CSQ_PROCESS"](
        [[r[3]] for r in ROWS],
        [list(r[4:8]) for r in ROWS],
        [[r[8]] for r in ROWS],
        [[10], [30], [60], [60], [24]],
        "s",
        "zh",
    )
    assert [g[0] for g in got] == [
        "合规",
        "不合规：首次响应超时",
        "不合规：协调超时",
        "",
        "合规",
        "不合规：进度反馈超时",
    ]


def test_a_negative_or_text_step_time_is_a_finding_with_its_cell(tmp_path):
    path = tmp_path / "bad.xlsx"
    assert csq(["new", "--lang", "zh", str(path)]) == 0
    _type(path, [("B1", "A1", "电话", 5, -3, None, None, "两小时", None)])
    errors = [(f.cell, f.value) for f in read_workbook(path).findings if f.severity == "error"]
    wb = openpyxl.load_workbook(path)
    col = {c.value: c.column_letter for c in wb["监测表"][1]}
    assert errors == [(f"{col['协调用时(分钟)']}2", "-3"), (f"{col['回访用时(小时)']}2", "两小时")]


def test_changed_limit_on_config_is_used(book):
    wb = openpyxl.load_workbook(book)
    ws = wb["配置"]
    for row in ws.iter_rows():
        if row[0].value == "limit_first_response_s":
            row[2].value = 15  # P2's 12 s now within
    wb.save(book)
    an = analyse(read_workbook(book), as_of=AS_OF)
    steps = {r["step"]: (r["within"], r["n"]) for r in an.process_steps.to_dict("records")}
    assert steps["first_response"] == (4, 4)
    assert an.headline["process_compliance"] == pytest.approx(3 / 5)


# ---- repeat complaints on a hand-made customer history ------------------------------------
#
#   cust  day   service  source     complaint?  earlier complaint within 30 days?
#   K1    1     投诉      -          yes         no (first)
#   K1    20    咨询      -          no          -
#   K1    25    -         客户投诉    yes         yes (day 1, 24 days)
#   K1    70    投诉      -          yes         no (day 25 is 45 days earlier)
#   K2    3     咨询      客户投诉    yes         no
#   K2    10    投诉      -          yes         yes (day 3)
#   -     12    投诉      -          yes, no id  (not counted)
#   K3    15    咨询      -          no          -
# complaints with an id: 5; repeats 2 -> 40 %; all contacts with an id: 7, repeat contacts
# (any earlier contact within 30 days): K1 d20, K1 d25, K2 d10 -> 3/7.
HISTORY = [
    ("K1", 1, "投诉", None),
    ("K1", 20, "咨询", None),
    ("K1", 25, None, "客户投诉"),
    ("K1", 70, "投诉", None),
    ("K2", 3, "咨询", "客户投诉"),
    ("K2", 10, "投诉", None),
    (None, 12, "投诉", None),
    ("K3", 15, "咨询", None),
]


def test_repeat_complaints_by_hand(tmp_path):
    path = tmp_path / "history.xlsx"
    assert csq(["new", "--lang", "zh", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["监测表"]
    col = {c.value: c.column for c in ws[1]}
    for i, (cust, day, service, source) in enumerate(HISTORY, start=2):
        ws.cell(i, col["工单编号"], f"H{i}")
        ws.cell(i, col["客服工号"], "A1")
        ws.cell(i, col["联系时间"], dt.datetime(2026, 1, 1, 9) + dt.timedelta(days=day - 1))
        ws.cell(i, col["客户编号"], cust)
        ws.cell(i, col["服务类型"], service)
        ws.cell(i, col["来源"], source)
    wb.save(path)
    data = read_workbook(path)
    assert [f for f in data.findings if f.severity == "error"] == []
    m = data.monitoring
    assert customer.repeat_complaint_rate(m, None, 30) == pytest.approx(2 / 5)
    flags = customer.repeat_complaint_flags(m, 30)
    assert [None if f != f else int(f) for f in flags] == [0, None, 1, 0, 0, 1, None, None]
    from udfs.core.metrics import repeat_rate

    assert repeat_rate(m["customer_id"].tolist(), m["contact_time"], 30) == pytest.approx(3 / 7)


def test_quality_per_customer_level_and_sources(tmp_path):
    path = tmp_path / "levels.xlsx"
    assert csq(["new", "--lang", "zh", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["监测表"]
    col = {c.value: c.column for c in ws[1]}
    rubric = ("响应速度", "服务态度", "问题解决能力", "专业知识", "客户满意度", "信息记录规范性")
    # 6 VIP contacts rated 3 (score 60), 6 普通 rated 5 (100); 2 complaints at 20:00, a
    # praise at 9:00, a mystery shopper rated 4 (80)
    rows = [("VIP", 3, None, 10)] * 6 + [("普通", 5, None, 11)] * 6
    rows += [("普通", 5, "客户投诉", 20), ("VIP", 3, "客户投诉", 20), ("新客", 4, "神秘客户", 9)]
    rows += [("普通", 5, "客户表扬", 9)]
    for i, (level, rating, source, hour) in enumerate(rows, start=2):
        ws.cell(i, col["联系时间"], dt.datetime(2026, 10, 1 + i % 20, hour))
        ws.cell(i, col["客服工号"], "A1")
        ws.cell(i, col["客户等级"], level)
        ws.cell(i, col["来源"], source)
        ws.cell(i, col["问题类别"], "物流延迟" if source == "客户投诉" else None)
        for h in rubric:
            ws.cell(i, col[h], rating)
    wb.save(path)
    an = analyse(read_workbook(path), as_of=AS_OF)
    levels = {r["customer_level"]: r for r in an.customer_levels.to_dict("records")}
    assert levels["vip"]["contacts"] == 7 and levels["vip"]["qa_score_mean"] == pytest.approx(60)
    assert levels["regular"]["qa_score_mean"] == pytest.approx(100)
    assert an.weakest_level == "vip"
    weak = next(c for c in an.conclusions if c.kind == "customer_level")
    assert weak.text["zh"].startswith("VIP客户的综合得分最低")
    hours = {
        r["hour"]: (r["complaint"], r["praise"]) for r in an.feedback_by_hour.to_dict("records")
    }
    assert hours == {9: (0, 1), 20: (2, 0)}
    cats = {
        r["problem_category"]: r["complaint"] for r in an.feedback_by_category.to_dict("records")
    }
    assert cats == {"物流延迟": 2}
    mystery = {r["group"]: r["qa_score_mean"] for r in an.mystery.to_dict("records")}
    assert mystery["mystery_shopper"] == pytest.approx(80)


def test_import_maps_accept_the_new_fields(tmp_path):
    (tmp_path / "e.csv").write_text(
        "Id,Date,Agent,Level,Origin,Escalate,Callback\n"
        "T1,2024-06-03 09:05,A1,VIP,客户投诉,20,30\n"
        "T2,2024-06-03 10:05,A2,普通,神秘客户,,5\n",
        encoding="utf-8",
    )
    (tmp_path / "m.toml").write_text(
        '[columns]\ncontact_id = "Id"\ncontact_time = "Date"\nagent_id = "Agent"\n'
        'customer_level = "Level"\nsource = "Origin"\nescalation_min = "Escalate"\n'
        'callback_h = "Callback"\n',
        encoding="utf-8",
    )
    out = tmp_path / "i.xlsx"
    args = ["import", str(tmp_path / "e.csv"), "--map", str(tmp_path / "m.toml"), "-o", str(out)]
    assert csq(args) == 0
    m = read_workbook(out).monitoring
    assert list(m["customer_level"]) == ["vip", "regular"]
    assert list(m["source"]) == ["complaint", "mystery_shopper"]
    assert m["escalation_min"].tolist()[0] == 20 and m["callback_h"].tolist() == [30, 5]

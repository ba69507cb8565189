"""seeds/001's three tables typed into ``csq new``'s workbook as a user would (issue 20).

表1 (a team-level monthly table: 监测周期 "2024-05", no contact id, no agent, the team's own
service types), 表2 (typed counts 42/28 and shares 35 %/23 % of all 120 complaints) and 表3
(statuses 已完成 and 延期3天) must validate with no error and report the template's own
figures.  Expected values are the seed's, by hand: action 1 planned 06-10, done 06-08 (on
time); action 2 planned 06-15, done 06-18: done 3 days late.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from addin.cli import main as csq
from addin.read.workbook import read_workbook
from udfs.core.analysis import analyse

MONITORING = [  # 表1, the response time (hours) typed as seconds in the template's column
    {
        "联系时间": "2024-05",
        "客户编号": "C202405001",
        "服务类型": "物流投诉",
        "首次响应(秒)": 2.5 * 3600,
        "解决时长(小时)": 48,
        "满意度(1-5)": 2,
        "问题描述": "包裹丢失",
        "质检员判定": "不合格(未同步仓库数据)",
    },
    {
        "联系时间": "2024-05",
        "客户编号": "C202405002",
        "服务类型": "产品使用咨询",
        "首次响应(秒)": 0.5 * 3600,
        "解决时长(小时)": 1,
        "满意度(1-5)": 5,
        "问题描述": "功能疑问",
        "质检员判定": "合格(解答清晰)",
    },
]
PROBLEMS = [  # 表2 as printed: the shares typed as text "35%" (Excel would store 0.35)
    {
        "问题类型": "物流延迟",
        "发生频次": 42,
        "占比": "35%",
        "直接原因": "配送信息未实时更新",
        "根本原因": "仓库系统与物流系统接口异常",
        "影响范围": "华东、华南地区订单",
    },
    {
        "问题类型": "客服解答不专业",
        "发生频次": 28,
        "占比": 0.23,
        "直接原因": "新产品知识培训不到位",
        "根本原因": "培训材料未覆盖新品细节",
        "影响范围": "全线新品客户",
    },
]
ACTIONS = [  # 表3
    {
        "编号": 1,
        "改进措施": "修复仓库与物流系统接口",
        "责任人": "*经理",
        "配合部门": "技术、运营",
        "计划完成日期": "2024-06-10",
        "实际完成日期": "2024-06-08",
        "状态": "已完成",
        "效果指标": "物流延迟投诉降至10%",  # 效果验证(指标变化), free text
    },
    {
        "编号": 2,
        "改进措施": "新产品知识专项培训",
        "责任人": "*主管",
        "配合部门": "培训、售后",
        "计划完成日期": "2024-06-15",
        "实际完成日期": "2024-06-18",
        "状态": "延期3天",
        "效果指标": "客服解答不专业投诉降至8%",
    },
]


def _type(ws, rows):
    hdr = {c.value: c.column for c in ws[1]}
    for i, row in enumerate(rows, start=2):
        for k, v in row.items():
            ws.cell(i, hdr[k], v)


@pytest.fixture(params=[False, True], ids=["functions", "portable"])
def seed_book(tmp_path, request):
    path = tmp_path / "seed001.xlsx"
    args = ["new", "--lang", "zh", str(path)] + (["--portable"] if request.param else [])
    assert csq(args) == 0
    wb = openpyxl.load_workbook(path)
    _type(wb["监测表"], MONITORING)
    _type(wb["问题分析"], PROBLEMS)
    _type(wb["改进跟踪"], ACTIONS)
    wb.save(path)
    return path


def test_validates_with_no_error_and_one_warning_per_column_or_value(seed_book, capsys):
    assert csq(["validate", "--lang", "zh", str(seed_book)]) == 0
    data = read_workbook(seed_book, lang="zh")
    assert [f for f in data.findings if f.severity == "error"] == []
    codes = sorted(f.code for f in data.findings)
    assert codes == [
        "agent_id_blank",
        "contact_id_blank",
        "month_only_time",
        "new_choice",
        "new_choice",
    ]
    new = {f.value for f in data.findings if f.code == "new_choice"}
    assert new == {"物流投诉", "产品使用咨询"}
    m = data.monitoring
    assert list(m["period"]) == ["2024-05", "2024-05"]
    assert list(m["service_type"]) == ["物流投诉", "产品使用咨询"]


def test_report_shows_the_templates_own_figures(seed_book, tmp_path):
    out = tmp_path / "out"
    assert csq(["report", str(seed_book), "-o", str(out), "--as-of", "2024-06-30"]) == 0
    summary = json.loads((out / "seed001.summary.json").read_text(encoding="utf-8"))
    pareto = [(p["problem"], p["count"], round(p["share"], 2)) for p in summary["pareto"]]
    assert pareto == [("物流延迟", 42, 0.35), ("客服解答不专业", 28, 0.23)]
    an = analyse(read_workbook(seed_book), as_of=__import__("datetime").date(2024, 6, 30))
    assert list(an.pareto["impact_scope"]) == ["华东、华南地区订单", "全线新品客户"]
    assert list(an.actions["status_key"]) == ["done_on_time", "done_late"]
    assert list(an.actions["days_late"]) == [0, 3]
    assert list(an.actions["cooperating_dept"]) == ["技术、运营", "培训、售后"]
    # the hour and weekday figures leave the month-only contacts out
    assert an.by_hour["contacts"].sum() == 0
    wb = openpyxl.load_workbook(out / "seed001.report.xlsx")
    cells = {c.value for ws in wb for r in ws.iter_rows() for c in r if c.value is not None}
    assert {"延期完成 3 天", "按时完成", "华东、华南地区订单", "技术、运营", "影响范围"} <= cells


def test_a_typed_count_disagreeing_with_monitoring_is_a_warning(seed_book):
    wb = openpyxl.load_workbook(seed_book)
    ws = wb["监测表"]
    hdr = {c.value: c.column for c in ws[1]}
    ws.cell(2, hdr["问题类别"], "物流延迟")
    ws.cell(3, hdr["问题类别"], "物流延迟")
    wb.save(seed_book)
    data = read_workbook(seed_book, lang="zh")
    differ = [f for f in data.findings if f.code == "typed_count_differs"]
    assert [(f.value, f.severity) for f in differ] == [("42", "warning"), ("28", "warning")]
    an = analyse(data, as_of=__import__("datetime").date(2024, 6, 30))
    assert list(zip(an.pareto["problem"], an.pareto["count"], strict=True)) == [("物流延迟", 2)]


@pytest.mark.parametrize(
    "text,ok", [("延期", True), ("延期 5 天", True), ("delayed 2 days", True), ("延期很久", False)]
)
def test_action_status_vocabulary(tmp_path, text, ok):
    path = tmp_path / "a.xlsx"
    assert csq(["new", "--lang", "zh", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    _type(wb["改进跟踪"], [{**ACTIONS[1], "状态": text}])
    wb.save(path)
    errors = [f for f in read_workbook(path).findings if f.severity == "error"]
    assert (errors == []) == ok


def test_a_month_among_full_timestamps_is_one_warning_and_no_hour(tmp_path):
    path = tmp_path / "mixed.xlsx"
    assert csq(["new", "--lang", "zh", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    rows = [
        {
            "工单编号": "M1",
            "客服工号": "A1",
            "联系时间": __import__("datetime").datetime(2024, 5, 3, 9),
        },
        {"工单编号": "M2", "客服工号": "A1", "联系时间": "2024-05"},
        {"工单编号": "M3", "客服工号": "A1", "联系时间": "2024年6月"},
    ]
    _type(wb["监测表"], rows)
    wb.save(path)
    data = read_workbook(path, lang="zh")
    month = [f for f in data.findings if f.code == "month_only_time"]
    assert [(f.cell[-1], f.severity) for f in month] == [("3", "warning")]
    assert "2 行只填了月份" in month[0].rule
    assert list(data.monitoring["period"]) == ["2024-05", "2024-05", "2024-06"]
    an = analyse(data, as_of=__import__("datetime").date(2024, 6, 30))
    assert an.by_hour["contacts"].sum() == 0  # period 2024-06 holds only the month-only M3


def test_the_pie_shows_the_tables_typed_shares(seed_book, tmp_path):
    """35 % and 23 % of all 120 complaints: the pie's slices are 35 %, 23 % and 其他 42 %
    (not 60 % / 40 %, the two rows' counts against each other), in the xlsx report and in
    the narrative's chart (the Word report and the deck)."""
    import re
    import zipfile

    from udfs.core.narrative import build_narrative

    out = tmp_path / "out"
    assert csq(["report", str(seed_book), "-o", str(out), "--as-of", "2024-06-30"]) == 0
    report = out / "seed001.report.xlsx"
    with zipfile.ZipFile(report) as z:
        pies = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/")]
    pie = next(x for x in pies if "<c:pieChart>" in x)
    cats_ref, vals_ref = re.findall(r"<c:f>([^<]+)</c:f>", pie)[:2]
    wb = openpyxl.load_workbook(report)

    def cells(ref: str) -> list:
        sheet, rng = ref.rsplit("!", 1)
        ws = wb[sheet.strip("'")]
        return [c.value for row in ws[rng.replace("$", "")] for c in row]

    assert cells(cats_ref) == ["物流延迟", "客服解答不专业", "其他"]
    assert cells(vals_ref) == pytest.approx([0.35, 0.23, 1 - 0.35 - 0.23])
    an = analyse(read_workbook(seed_book), as_of=__import__("datetime").date(2024, 6, 30))
    chart = next(c for c in build_narrative(an, "zh").chapter("problems").charts if c.kind == "pie")
    assert chart.categories == ["物流延迟", "客服解答不专业", "其他"]
    assert chart.series[0].values == pytest.approx([0.35, 0.23, 0.42])

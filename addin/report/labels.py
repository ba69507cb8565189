"""Every label and sentence of the evaluation report, in one bilingual catalogue."""

from __future__ import annotations

from typing import Any

from udfs.core.i18n import Catalog

# key -> (English, 简体中文)
LABELS: dict[str, tuple[str, str]] = {
    # sheets
    "sh_overview": ("Overview", "概览"),
    "sh_findings": ("Findings", "发现与建议"),
    "sh_hours": ("Hours", "时段分析"),
    "sh_process": ("Process & customers", "流程与客户"),
    "sh_feedback": ("Feedback", "个人反馈"),
    "sh_fb_cases": ("My cases", "我的案例"),
    "sh_fb_actions": ("Actions", "改进行动"),
    "sh_indicators": ("Indicators", "指标"),
    "sh_agents": ("Agents", "客服排名"),
    "sh_channels": ("Channels", "渠道与服务类型"),
    "sh_trend": ("Trend", "趋势"),
    "sh_pareto": ("Pareto", "问题帕累托"),
    "sh_actions": ("Actions", "改进行动"),
    "sh_cases": ("Cases", "典型案例"),
    "sh_quality": ("Data quality", "数据质量"),
    "sh_method": ("Method", "方法说明"),
    "sh_teams": ("Teams", "班组对比"),  # issue 19: the scope sheets
    "sh_segments": ("Segments", "分章"),
    "sh_baseline": ("Baseline", "对比基期"),
    # overview
    "title": ("Customer-service quality report", "客服质量评价报告"),
    "composite_basis": (
        "The composite rests on {n} of the {m} configured indicators (the others had no data).",
        "综合得分仅基于已配置的 {m} 项指标中的 {n} 项（其余指标无数据）。",
    ),
    "pp_unit": (" pp", "个百分点"),
    "verdict": ("Beyond noise?", "是否显著"),
    "verdict_up": ("up", "显著上升"),
    "verdict_down": ("down", "显著下降"),
    "verdict_stable": ("stable", "持平"),
    "fd_same_rec": ("See the recommendation of No. {n}.", "见第 {n} 条的建议。"),
    "fd_answers": ("(answers findings {nos})", "（对应第 {nos} 条发现）"),
    "small_sample_mark": ("{name} *", "{name} *"),
    "small_sample_note": (
        "* fewer than {n} contacts: a small sample, its rates are only indicative.",
        "* 联系数少于 {n} 条：样本较小，比率仅供参考。",
    ),
    "source": ("Source file", "数据文件"),
    "teams": ("Teams", "班组"),
    "agents_n": ("Agents", "客服人数"),
    "report_period": ("Report period", "报告期"),
    "report_period_given": ("{start} to {end}", "{start} 至 {end}"),
    "data_range": ("Data range", "数据范围"),
    "months": ("months", "个月"),
    "channels": ("Channels", "渠道"),
    "service_types": ("Service types", "服务类型"),
    "sample_size": ("Sample size (contacts in period)", "样本量（报告期联系数）"),
    "sample_all": ("Contacts in the workbook", "工作簿中联系总数"),
    "sampling_ratio": ("Sampling ratio", "抽样比例"),
    "unknown": ("not recorded", "未记录"),
    "overall": ("Overall composite score", "综合得分"),
    "overall_grade": ("Overall grade", "综合等级"),
    "headline": ("Key figures (report period)", "关键指标（报告期）"),
    "metric": ("Metric", "指标"),
    "value": ("Value", "数值"),
    "no_data": ("no data", "无数据"),
    "quality_line": ("Data-quality findings", "数据质量问题"),
    "quality_counts": ("errors: {e}, warnings: {w}", "{e} 个错误，{w} 个警告"),
    "as_of": ("As-of date", "评价基准日"),
    "csq_version": ("CSQ version", "CSQ 版本"),
    "unit_points": ("points 0-100", "分，0-100"),
    # metrics (SPEC section 5 names)
    "m_contacts": ("Contacts", "联系数"),
    "m_answered": ("Answered", "接通数"),
    "m_answer_rate": ("Answer rate", "接通率"),
    "m_resolved_first_contact": ("Resolved at first contact", "首次解决数"),
    "m_fcr": ("First-contact resolution (FCR)", "首次解决率"),
    "m_csat_mean": ("CSAT mean (1-5)", "满意度均值(1-5)"),
    "m_csat_pct": ("CSAT % (4-5)", "满意率(4-5分)"),
    "m_nps": ("NPS", "净推荐值 NPS"),
    "m_avg_first_response_s": ("Avg first response (s)", "平均首次响应(秒)"),
    "m_avg_handle_time_s": ("Avg handle time (s)", "平均处理时长(秒)"),
    "m_avg_resolution_time_h": ("Avg resolution time (h)", "平均解决时长(小时)"),
    "m_service_level": ("Service level", "服务水平"),
    "m_transfer_rate": ("Transfer rate", "转接率"),
    "m_repeat_rate": ("Repeat-contact rate", "重复来电率"),
    "m_qa_score_mean": ("Mean QA score", "质检均分"),
    "m_qc_pass_rate": ("QC pass rate", "质检合格率"),
    "m_composite_score": ("Composite score", "综合得分"),
    "m_grade": ("Grade", "等级"),
    # short forms for table headers
    "ms_fcr": ("FCR", "首次解决率"),
    "ms_avg_first_response_s": ("Avg 1st response (s)", "平均首响(秒)"),
    "ms_qa_score_mean": ("Mean QA score", "质检均分"),
    # indicators
    "ind_title": ("Indicator scores by group", "分组指标得分"),
    "ind_team": ("Composite indicators (team level)", "综合指标（团队层面）"),
    "ind_dims": ("QA rubric dimensions (mean rating 1-5)", "质检维度（平均评分 1-5）"),
    "group": ("Group", "分组"),
    "indicator": ("Indicator", "指标"),
    "weight": ("Weight", "权重"),
    "points": ("Points", "得分"),
    "prev_month": ("Previous period", "上期"),
    "vs_prev": ("Change vs previous", "环比变化"),
    "last_year": ("Same period last year", "去年同期"),
    "vs_year_ago": ("Change vs last year", "同比变化"),
    "group_score": ("{g} (group score)", "{g}（分组得分）"),
    "change_note": (
        "Previous period {prev}, same period last year {ly}; a change is blank when that "
        "period has no data.",
        "上期 {prev}，去年同期 {ly}；该期无数据时变化留空。",
    ),
    "verdict_note": (
        "Up/down: beyond sampling noise at 95 %; stable: within it; blank: not testable. Rate "
        "changes in percentage points.",
        "显著上升/下降：超出95%置信水平下的抽样误差；持平：在抽样误差范围内；空白：无法检验。"
        "比率的变化以百分点计。",
    ),
    # agents
    "agents_title": ("Agent ranking", "客服排名"),
    "top3": ("Top 3", "前三名"),
    "bottom3": ("Bottom 3", "后三名"),
    "all_agents": ("All agents", "全部客服"),
    "rank": ("Rank", "名次"),
    "agent": ("Agent", "客服工号"),
    "team": ("Team", "班组"),
    "scored": ("Scored contacts", "已评分联系数"),
    "note": ("Note", "备注"),
    "not_ranked": (
        "not ranked: fewer than {n} scored contacts",
        "未排名：已评分联系数少于 {n}",
    ),
    "min_sample": (
        "Ranked by composite score; minimum sample {n} scored contacts.",
        "按综合得分排名；最少样本量为 {n} 条已评分联系。",
    ),
    "ranking_all": ("Ranking of all agents", "全部客服排名"),
    "ci95": ("QA score 95 % interval", "质检均分95%区间"),
    "ci_range": ("{lo} – {hi}", "{lo}–{hi}"),
    "singled_above": (
        "above the team beyond sampling noise",
        "高于团队（超出抽样误差）",
    ),
    "singled_below": (
        "below the team beyond sampling noise",
        "低于团队（超出抽样误差）",
    ),
    "ci_note": (
        "The interval is the 95 % range of the agent's mean QA score; an agent stands out "
        "only when it does not overlap the team's ({lo} – {hi}).",
        "区间为客服质检均分的95%置信区间；仅当其与团队区间（{lo}–{hi}）不重叠时，才视为与团队"
        "有实际差异。",
    ),
    "bottom_in_top": (
        "Fewer than 4 ranked agents: all of them are listed above.",
        "排名客服少于 4 人：均已列在上方。",
    ),
    "no_ranked": ("No agent has enough scored contacts to rank.", "没有客服达到排名所需样本量。"),
    # channels
    "ch_title": ("Channels and service types", "渠道与服务类型对比"),
    "channel": ("Channel", "渠道"),
    "service_type": ("Service type", "服务类型"),
    "blank": ("(blank)", "（空白）"),
    "chart_channels": ("Mean QA score and composite by channel", "各渠道质检均分与综合得分"),
    # trend
    "trend_title": ("Trend of the last 6 periods", "近 6 期趋势"),
    "period": ("Period", "期间"),
    "chart_trend": ("QA score and composite score trend", "质检均分与综合得分趋势"),
    # pareto
    "pareto_title": ("Problem Pareto (report period)", "问题帕累托分析（报告期）"),
    "problem": ("Problem", "问题类型"),
    "count": ("Count", "频次"),
    "share": ("Share", "占比"),
    "cumulative": ("Cumulative share", "累计占比"),
    "pareto_class": ("Class", "分类"),
    "line80": ("{p} line", "{p} 线"),
    "direct_cause": ("Direct cause", "直接原因"),
    "impact_scope": ("Impact scope", "影响范围"),
    "cooperating_dept": ("Cooperating dept", "配合部门"),
    "root_cause": ("Root cause", "根本原因"),
    "cause_category": ("Cause category", "原因类别"),
    "chart_pareto": ("Problem Pareto", "问题帕累托图"),
    "unit_count": ("contacts; cumulative %", "条；累计 %"),
    "pareto_note": (
        "Class A: up to and including the problem that crosses {a}; B up to {b}; C the rest.",
        "A 类：累计占比越过 {a} 的问题及之前的问题；B 类：至 {b}；其余为 C 类。",
    ),
    "no_problems": ("No problem categories recorded in this period.", "本期没有记录问题类别。"),
    # actions
    "act_title": ("Improvement actions (as of {d})", "改进行动（基准日 {d}）"),
    "act_status_counts": ("Status", "状态"),
    "act_overdue": ("Overdue actions", "逾期行动"),
    "act_all": ("All actions", "全部行动"),
    "act_effect": ("Before / after effect", "改进前后效果"),
    "action_no": ("No.", "编号"),
    "measure": ("Measure", "改进措施"),
    "linked_problem": ("Linked problem", "关联问题"),
    "owner": ("Owner", "责任人"),
    "planned_date": ("Planned date", "计划完成日期"),
    "actual_date": ("Actual date", "实际完成日期"),
    "action_status": ("Action status", "执行判定"),
    "days_late": ("Days late/overdue", "延期/逾期天数"),
    "eff_metric": ("Metric", "效果指标"),
    "baseline": ("Baseline", "基线值"),
    "target": ("Target", "目标值"),
    "after": ("After", "改进后"),
    "change": ("Change", "变化"),
    "met": ("Met?", "是否达标"),
    "yes": ("Yes", "是"),
    "no": ("No", "否"),
    "none_overdue": ("No overdue actions.", "没有逾期行动。"),
    "no_actions": ("No actions recorded.", "没有记录改进行动。"),
    "st_done_on_time": ("Done on time", "按时完成"),
    "st_done_late": ("Done late", "延期完成"),
    "st_overdue": ("Overdue", "逾期"),
    "st_open": ("Open", "进行中"),
    "st_cancelled": ("Cancelled", "已取消"),
    "st_unknown": ("No planned date", "无计划日期"),
    # cases
    "cases_title": ("Typical cases (report period)", "典型案例（报告期）"),
    "good_cases": (
        "Good cases (graded Good or better, no problem, critical error or coaching note; "
        "highest scores first)",
        "优秀案例（良好及以上，无问题标签、致命错误或辅导备注，得分高者优先）",
    ),
    "bad_cases": (
        "Cases to improve (below Good or failed QC; failed and lowest scores first)",
        "待改进案例（低于良好或质检不合格，不合格及得分低者优先）",
    ),
    "contact_id": ("Contact ID", "工单编号"),
    "contact_time": ("Contact time", "联系时间"),
    "customer": ("Customer (masked)", "客户（已脱敏）"),
    "score": ("QA score", "质检得分"),
    "grade": ("Grade", "等级"),
    "critical_error": ("Critical error", "致命错误"),
    "problem_description": ("Problem description", "问题描述"),
    "qc_note": ("QC note", "质检备注"),
    "no_cases": ("No scored contacts in this period.", "本期没有已评分的联系。"),
    # data quality
    "dq_title": (
        "Data-quality findings (identical ones on one row)",
        "数据质量问题（相同问题合并为一行）",
    ),
    "dq_sheet": ("Sheet", "工作表"),
    "dq_cell": ("Cell", "单元格"),
    "dq_value": ("Value", "单元格内容"),
    "dq_rule": ("Problem / what is allowed", "问题 / 允许的内容"),
    "dq_severity": ("Severity", "级别"),
    "dq_count": ("Cells", "单元格数"),
    "dq_other_cells": ("Other cells", "其他单元格"),
    "dq_and_more": (" and {n:,} more", " 等，另有 {n:,} 个"),
    "dq_effect": ("Effect on the figures", "对统计的影响"),
    "error": ("error", "错误"),
    "warning": ("warning", "警告"),
    "dq_none": ("No data-quality problems found.", "未发现数据质量问题。"),
    "dq_more": (
        "… and {n} more findings (see csq validate)",
        "……另有 {n} 个问题（见 csq validate）",
    ),
    "dq_note": (
        "Rows with bad cells keep their good fields; the bad cells count as blank.",
        "含错误单元格的行仍使用其有效字段；错误单元格按空白处理。",
    ),
    # method
    "method_title": ("Method", "方法说明"),
    "input_file": ("Input file", "输入文件"),
    "input_sha": ("Input SHA-256", "输入文件 SHA-256"),
    "period_rule": ("Report period rule", "报告期规则"),
    "as_of_rule": ("As-of rule", "基准日规则"),
    "as_of_rule_option": (
        "given explicitly (--as-of); the Config sheet's date is not used",
        "命令行明确指定（--as-of）；未使用配置表中的日期",
    ),
    "as_of_rule_config": (
        "the fixed as-of date on the Config sheet (no --as-of given)",
        "配置表中填写的固定基准日（未指定 --as-of）",
    ),
    "as_of_rule_today": (
        "today: no --as-of given and the Config sheet holds no fixed date",
        "今天：未指定 --as-of，配置表也没有固定基准日",
    ),
    "period_rule_text": (
        "--period or the Config sheet's report period (YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY or "
        "a date range, inclusive), else the latest month (YYYY-MM of the contact time) in "
        "the monitoring table; contacts without a contact time count only in the workbook "
        "total. Previous period: the period of the same kind and length just before.",
        "--period 或配置表中的报告期（YYYY-MM、YYYY-Qn、YYYY-Hn、YYYY 或日期区间，含首尾），"
        "否则为监测表中最近的月份（联系时间的年月）；无联系时间的记录只计入工作簿总数。"
        "上期：紧邻其前、类型与长度相同的期间。",
    ),
    "figures_rule": (
        "Figures",
        "计算口径",
    ),
    "figures_rule_text": (
        "All figures are computed by the CSQ calculation core, the same code and the same "
        "definitions as the CSQ_ Excel functions.",
        "所有数值均由 CSQ 计算核心得出，与 CSQ_ 系列 Excel 函数代码相同、口径一致。",
    ),
    "cfg_contact": ("Per-contact QA score indicators", "单条质检得分指标"),
    "cfg_team": ("Composite (agent/team) indicators", "综合（客服/团队）指标"),
    "cfg_params": ("Parameters", "参数"),
    "source_field": ("Source", "数据来源"),
    "rule": ("Rule", "规则"),
    "bands": ("Bands", "分段阈值"),
    "band_points": ("Band points", "分段得分"),
    "key": ("Key", "代码"),
    "rule_rubric": ("rating 1-5 × 20", "1-5 分评分 ×20"),
    "rule_percent": ("rate × 100", "比率 ×100"),
    "rule_bands": ("points by band", "分段计分"),
    "rule_yes_no": ("yes 100, no 0", "是 100 分，否 0 分"),
    "rule_score": ("score 0-100 as is", "0-100 分直接计入"),
    "noise_rule": ("Changes and sampling noise", "变化与抽样误差"),
    "noise_rule_text": (
        "A change is called an improvement or a decline only when it is beyond sampling noise "
        "at 95 % (two-proportion test for rates, Welch's t-test for means); otherwise it is "
        "stable. An agent stands out only when the 95 % interval of the mean QA score does "
        "not overlap the team's.",
        "仅当变化超出95%置信水平下的抽样误差（比率用双比例检验，均值用 Welch t 检验）时，才称为"
        "改善或下滑，否则视为基本持平；仅当客服质检均分的95%置信区间与团队区间不重叠时，才视为"
        "与团队有实际差异。",
    ),
    "p_grades": ("Grade thresholds (excellent / good / pass)", "等级阈值（优秀/良好/合格）"),
    "p_auto_fail": ("Critical error makes the score 0", "致命错误得分为 0"),
    "p_sl": ("Service-level threshold (s)", "服务水平阈值（秒）"),
    "p_repeat": ("Repeat-contact window (days)", "重复来电窗口（天）"),
    "p_pareto": ("Pareto class limits A / B", "帕累托分类界限 A / B"),
    "p_min_sample": ("Minimum sample for agent ranking", "客服排名最少样本量"),
    # targets (overview)
    "kpi_target": ("Target", "目标"),
    "gap": ("Gap", "差距"),
    "met_status": ("Met?", "达标"),
    "met_yes": ("met", "达标"),
    "met_no": ("not met", "未达标"),
    "targets_note": (
        "Targets from the Config sheet's KPI targets table; gap = value - target.",
        "目标取自配置表“KPI 目标”；差距 = 数值 - 目标。",
    ),
    # findings
    "fd_title": ("Findings and recommendations", "问题总结与改进建议"),
    "fd_note": (
        "Built only from the figures of this report; recommendations from the Config sheet's "
        "recommendation library.",
        "以下结论均来自本报告中的数据；改进建议取自配置表的“改进建议库”。",
    ),
    "fd_no": ("No.", "序号"),
    "fd_finding": ("Finding", "发现"),
    "fd_rec": ("Recommendation", "改进建议"),
    "fd_summary": ("Executive summary", "执行摘要"),
    "fd_owner": ("Owner, planned date", "负责人、计划日期"),
    "fd_priorities": (
        "Recommendations by priority (one per cause; owner and planned date from the Actions sheet)",
        "改进建议（按优先级，每个原因一条；负责人与计划日期取自改进跟踪表）",
    ),
    "fd_none": (
        "Nothing stands out: every KPI with a target meets it.",
        "无需特别关注的问题：各项有目标的指标均已达标。",
    ),
    # units (indicators)
    "unit": ("Unit", "单位"),
    "u_s": ("s", "秒"),
    "u_h": ("h", "小时"),
    "u_rating": ("rating 1-5", "评分 1-5"),
    "u_pct": ("%", "%"),
    "u_points": ("points 0-100", "分 0-100"),
    "u_nps": ("points -100..100", "分 -100..100"),
    "u_count": ("contacts", "条"),
    "single_group_note": (
        "A group with one indicator has no group line: its score is that indicator's points.",
        "仅含一个指标的分组不单列分组得分：其得分即该指标得分。",
    ),
    # hours
    "hr_title": ("Peak hours", "时段分析"),
    "hr_by_hour": ("By hour of day", "按小时"),
    "hr_by_weekday": ("By weekday", "按星期"),
    "hr_hour": ("Hour", "时段"),
    "hr_weekday": ("Weekday", "星期"),
    "hr_no_band": (
        "No two-hour band is clearly worse than the rest (at least 5 timed contacts, "
        "1.5 × the other hours' average first response and a lower service level).",
        "没有明显更差的两小时时段（需至少 5 条有响应时长的联系，平均首次响应达到其他时段的 "
        "1.5 倍且服务水平更低）。",
    ),
    "chart_hours": ("Contacts and average first response by hour", "各时段联系数与平均首次响应"),
    "unit_hours": ("contacts; seconds", "条；秒"),
    # charts of the template
    "chart_csat": ("CSAT mean, last 6 periods", "近 6 期客户满意度趋势"),
    "unit_csat": ("mean rating 1-5", "平均分 1-5"),
    "chart_eff": ("Efficiency by channel", "各渠道效率"),
    "unit_eff": ("seconds; service level %", "秒；服务水平 %"),
    "chart_pie": ("Problem types", "问题类型分布"),
    "unit_share": ("share of problems", "占比"),
    "footer": (
        "Source: {src} · period {p} · as of {d} · CSQ {v}",
        "来源：{src} · 报告期 {p} · 基准日 {d} · CSQ {v}",
    ),
    # issue 23: the Operations sheet (distributions, agents on operational KPIs)
    "sh_operations": ("Operations", "运营分布"),
    "op_title": ("Distributions and agents' operational KPIs", "分布与客服运营指标"),
    "op_times": (
        "First response and handle time (answered contacts with a value, seconds)",
        "首次响应与处理时长（有数值的已接通联系，秒）",
    ),
    "op_metric": ("Time", "时长"),
    "op_group": ("Over", "范围"),
    "op_all": ("all", "全部"),
    "op_n": ("Contacts", "联系数"),
    "op_median": ("Median", "中位数"),
    "op_p80": ("80th percentile", "第 80 百分位"),
    "op_p90": ("90th percentile", "第 90 百分位"),
    "op_first_response_s": ("First response", "首次响应"),
    "op_handle_time_s": ("Handle time", "处理时长"),
    "op_csat": ("CSAT distribution (contacts per rating)", "满意度分布（各评分的联系数）"),
    "op_rating": ("Rating", "评分"),
    "op_share": ("Share", "占比"),
    "op_abandon": (
        "Abandonment: share of contacts not answered (contacts with an answered value)",
        "放弃率：未接通联系的占比（有接通记录的联系）",
    ),
    "op_unanswered": ("Not answered", "未接通"),
    "op_agents": ("Agents on operational KPIs", "客服运营指标"),
    "op_basis_operational": (
        "No QA scores in this period: agents are ranked on operational KPIs only "
        "(CSAT, FCR, first response), not on quality.",
        "本期没有质检评分：客服仅按运营指标（满意度、首次解决率、首次响应）排名，未含质检质量。",
    ),
    "op_basis_composite": (
        "Ranked by the composite score (QA score, CSAT, FCR, first response).",
        "按综合得分（质检得分、满意度、首次解决率、首次响应）排名。",
    ),
    "op_none": ("No contacts in this period.", "本期没有联系。"),
    # issue 23, item 12: the ticket backlog (Operations sheet)
    "bl_title": ("Ticket backlog at the end of {end}", "截至 {end} 的工单积压"),
    "bl_note": (
        "Open tickets ({col} = Y) created before the period's end, and closed tickets "
        "resolved after it, by age at the period's end.",
        "报告期末未结的工单（{col} 为 Y），及在期末之后才解决的已结工单，按期末时的已存在时长分组。",
    ),
    "bl_age": ("Age", "已存在时长"),
    "bl_tickets": ("Tickets", "工单数"),
    "bl_total": ("Total", "合计"),
    "bl_0-1d": ("0-1 d", "0-1 天"),
    "bl_1-3d": ("1-3 d", "1-3 天"),
    "bl_3-7d": ("3-7 d", "3-7 天"),
    "bl_>7d": ("over 7 d", "7 天以上"),
    "bl_resolution": (
        "Resolution time of the period's closed tickets: {n} ticket(s), mean {mean} h, "
        "median {median} h (open tickets left out).",
        "本期已结工单的解决时长：{n} 张，平均 {mean} 小时，中位数 {median} 小时（未结工单不计）。",
    ),
    "bl_no_time": (
        "{n} ticket(s) without a creation time ({open} of them open) are in no period and "
        "no figure above.",
        "{n} 张工单没有创建时间（其中 {open} 张未结），不属于任何报告期，不计入以上数字。",
    ),
}

label = Catalog(LABELS)
"""``label(key, lang, **values)``: a report label or sentence in the report's language."""

ACTION_COLUMNS = (
    "action_no",
    "measure",
    "linked_problem",
    "owner",
    "planned_date",
    "actual_date",
    "action_status",
)
"""The label keys of an actions table's columns (the report's and the feedback files')."""


def metric_label(key: str, lang: str, short: bool = False) -> str:
    """A KPI's name (section 5 key); ``short`` for narrow table headers where one exists."""
    if short and f"ms_{key}" in LABELS:
        return label(f"ms_{key}", lang)
    return label(f"m_{key}", lang)


def or_no_data(v: Any, lang: str) -> Any:
    """``v``, or the "no data" label where it is ``None``."""
    return label("no_data", lang) if v is None else v

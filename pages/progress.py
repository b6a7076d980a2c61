"""整改进度: how many problems, how many closed, which are late and whose."""

import streamlit as st

from cockpit import charts, ui

settings = ui.settings()
as_of = ui.as_of()
last_week = ui.week_before(as_of)
params = {"due_soon_days": settings.due_soon_days}

st.header("整改进度")
if ui.has_problems(as_of, settings):
    now = ui.one_row("progress_summary", as_of=as_of, **params)
    before = ui.one_row("progress_summary", as_of=last_week, **params)
    headline = [
        ("问题总数", ui.num(now["count_found"]), ui.delta_count(now["count_found"], before.get("count_found")), "off"),
        ("已销号", ui.num(now["count_closed"]), ui.delta_count(now["count_closed"], before.get("count_closed")), "normal"),
        ("销号率", ui.pct(now["closure_rate"]), ui.delta_points(now["closure_rate"], before.get("closure_rate")), "normal"),
        ("在办", ui.num(now["count_open"]), ui.delta_count(now["count_open"], before.get("count_open")), "inverse"),
        ("逾期", ui.num(now["count_overdue"]), ui.delta_count(now["count_overdue"], before.get("count_overdue")), "inverse"),
        ("按期整改率", ui.pct(now["on_time_rate"]), ui.delta_points(now["on_time_rate"], before.get("on_time_rate")), "normal"),
        ("反弹", ui.num(now["count_rebound"]), ui.delta_count(now["count_rebound"], before.get("count_rebound")), "inverse"),
    ]
    # Two rows (4 + 3) so a laptop beside the sidebar shows every figure whole.
    for col, (label, value, delta, colour) in zip([*st.columns(4), *st.columns(4)[:3]], headline):
        col.metric(label, value, delta, delta_color=colour, border=True,
                   help="与上周同日相比" if delta is not None else None)
    st.caption(
        f"较上周同日（{ui.cn_date(last_week)}）的变化。未设整改时限的问题 {ui.num(now['count_no_deadline'])} 个，"
        f"不计入逾期和按期整改率；返工率 {ui.pct(now['rework_rate'])}"
        f"（退回过 {ui.num(now['count_returned'])} / 报告已整改 {ui.num(now['count_reported_done'])}）；"
        f"整改用时中位数 {ui.days(now['rectification_days_median'])}，90% 分位 {ui.days(now['rectification_days_p90'])}。"
    )

    states = ui.query("problem_states", as_of=as_of, **params)
    left, right = st.columns([3, 2])
    left.plotly_chart(charts.states_bar(states), theme=None, config={"displayModeBar": False})
    right.plotly_chart(charts.lights_bar(states), theme=None, config={"displayModeBar": False})

    weeks = ui.query("weekly_flow", as_of=as_of, **params)
    st.plotly_chart(charts.weekly_flow(weeks), theme=None, config={"displayModeBar": False})

    st.subheader("分项进度")
    dimensions = {"district": "区县", "street": "街道/乡镇", "unit": "责任单位", "category": "问题类别",
                  "source": "问题来源", "point_type": "点位类型"}
    dimension = st.segmented_control("按什么分", list(dimensions), format_func=dimensions.get,
                                     default="unit", key="breakdown_dimension") or "unit"
    breakdown = ui.query("progress_breakdown", as_of=as_of, dimension=dimension, **params)
    st.dataframe(
        breakdown,
        hide_index=True,
        column_config=ui.breakdown_columns(dimensions[dimension]),
    )

    shown = 500
    st.subheader(f"逾期问题（{ui.num(now['count_overdue'])} 个，逾期最久的在前）")
    overdue = ui.query("problem_list", as_of=as_of, list_kind="overdue", dimension="", group_name="",
                       stale_days=7, limit=shown, **params)
    if now["count_overdue"] > shown:
        st.caption(f"只列出逾期最久的 {shown} 个。")
    st.dataframe(
        overdue[["unit_name", "place", "category", "description", "due_on", "days_overdue", "problem_id"]],
        hide_index=True,
        column_config={
            "unit_name": "责任单位", "place": "地点", "category": "类别", "description": "问题描述",
            "due_on": st.column_config.DateColumn("整改时限", format="YYYY-MM-DD"),
            "days_overdue": st.column_config.NumberColumn("逾期天数", format="%d"),
            "problem_id": "问题编号",
        },
    )

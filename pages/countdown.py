"""测评倒计时: days left, the calendar, and whether the present pace clears the backlog in time."""

import streamlit as st

from cockpit import charts, ui

settings = ui.settings()
as_of = ui.as_of()

st.header("测评倒计时")
calendar = ui.query("milestone_countdown", **ui.milestone_params(settings, as_of))
upcoming = calendar[calendar["is_next"]]
if upcoming.empty:
    st.info("测评日程中的节点都已过去。请在 settings.toml 的 [calendar] 中添加新的节点。")
    headline = None
else:
    headline = upcoming.iloc[0]
    st.metric(f"距{headline['name']}（{ui.cn_date(headline['on_date'])}）", f"{int(headline['days_left'])} 天")

st.dataframe(
    calendar.assign(status=calendar["is_done"].map({True: "已完成", False: "未到"}))[
        ["name", "on_date", "kind", "days_left", "status", "note"]],
    hide_index=True,
    placeholder="—",
    column_config={"name": "节点", "on_date": st.column_config.DateColumn("日期", format="YYYY-MM-DD"),
                   "kind": "类型", "days_left": st.column_config.NumberColumn("剩余天数", format="%d"),
                   "status": "状态", "note": "说明"},
)

if headline is not None and ui.has_problems(as_of, settings):
    pace = ui.one_row("closure_pace", as_of=as_of, due_soon_days=settings.due_soon_days,
                      pace_days=settings.pace_days, milestone_on=headline["on_date"])
    cols = st.columns(4)
    cols[0].metric("在办问题", ui.num(pace["count_open"]))
    cols[1].metric(f"近 {settings.pace_days} 天日均销号", f"{pace['closures_per_day']:.1f}")
    cols[2].metric("按期清零需日均销号", "—" if ui.missing(pace["required_per_day"]) else f"{pace['required_per_day']:.1f}")
    cols[3].metric("按当前速度清零日期",
                   "销号停滞，无法预计" if ui.missing(pace["projected_clearance_on"]) else ui.short_date(pace["projected_clearance_on"]))

    readiness = ui.query("point_readiness", as_of=as_of, due_soon_days=settings.due_soon_days,
                         pass_score=settings.pass_score)
    if readiness.empty:
        st.info("还没有导入测评点位清单，无法计算点位达标率。")
    else:
        st.plotly_chart(charts.readiness_bar(readiness), theme=None, config={"displayModeBar": False})
        never = int(readiness.loc[~readiness["is_key_circle_row"], "count_never_inspected"].sum())
        st.caption(f"达标率按已检查的点位计算；从未检查的点位 {ui.num(never)} 个，单独计数。")

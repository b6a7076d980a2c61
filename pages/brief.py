"""会议要点: what the scheduling meeting (调度会) opens with, built from the data on one screen.

The days left, the worst overdue problems, the units that fell most and those on the black list
week after week, the problems no unit holds, and what falls due this week.
"""

import streamlit as st

from cockpit import filters, ranking, ui

SHOWN = 6  # rows per list: the brief is one screen
settings = ui.settings()
as_of = ui.as_of()
params = {"as_of": as_of, "due_soon_days": settings.due_soon_days}

st.header("会议要点")
if not ui.has_problems(as_of, settings):
    st.stop()

calendar = ui.query("milestone_countdown", **ui.milestone_params(settings, as_of))
upcoming = calendar[calendar["is_next"]]
summary = ui.one_row("progress_summary", filters=filters.NO_FILTERS, **params)
list_params = {**params, "filters": filters.NO_FILTERS, "dimension": "", "group_name": "", "search": "",
               "stale_days": settings.stale_days, "limit": SHOWN}
overdue = ui.query("problem_list", list_kind="overdue", **list_params)
no_unit = ui.query("problem_list", list_kind="no_unit", **list_params)
due_week = ui.query("due_this_week", **params)
weeks = ui.query("unit_ranking", weeks=ranking.STREAK_WEEKS, rules=settings.ranking_rules, **params)
this_week = weeks[(weeks["weeks_back"] == 0) & (weeks["pool"] != "district")]

cols = st.columns(4)
if len(upcoming):
    nxt = upcoming.iloc[0]
    cols[0].metric(f"距{nxt['name']}", f"{int(nxt['days_left'])} 天", border=True)
else:
    cols[0].metric("测评日程", "已全部完成", border=True)
cols[1].metric("逾期问题", ui.num(summary["count_overdue"]), border=True)
cols[2].metric("本周到期（未销号）", ui.num(len(due_week)), border=True)
cols[3].metric("无责任单位的问题", ui.num(no_unit["count_in_list"].iloc[0] if len(no_unit) else 0), border=True)

problem_table = {"hide_index": True, "placeholder": "—", "column_config": ui.problem_columns()}
left, right = st.columns([3, 2])
with left:
    st.subheader("逾期最久的问题")
    st.dataframe(overdue, column_order=["days_overdue", "unit_name", "place", "description"], **problem_table)
with right:
    st.subheader("名次下降最多的单位")
    fell = this_week[this_week["rank_change"] < 0].sort_values(["rank_change", "rank"]).head(5)
    if fell.empty:
        st.caption("本周没有单位名次下降。")
    else:
        st.markdown("  \n".join(f"**{r.unit_name}**　第 {int(r.rank)} 名，下降 {-int(r.rank_change)} 名"
                                for r in fell.itertuples()))
    st.subheader("连续列入黑榜")
    streaks = this_week[this_week["black_weeks"] >= 2].sort_values("black_weeks", ascending=False)
    if streaks.empty:
        st.caption("没有连续两周及以上列入黑榜的单位。")
    else:
        st.markdown("  \n".join(f"**{r.unit_name}**　{ranking.streak_text(r.black_weeks)}"
                                for r in streaks.head(5).itertuples()))

left, right = st.columns(2)
with left:
    st.subheader(f"本周到期（{ui.num(len(due_week))} 个）")
    st.dataframe(due_week.head(SHOWN), column_order=["due_on", "unit_name", "place", "description"], **problem_table)
with right:
    st.subheader("没有责任单位的问题")
    if no_unit.empty:
        st.caption("所有在办问题都有责任单位。")
    else:
        st.dataframe(no_unit, column_order=["found_at", "place", "category", "description"], **problem_table)

"""单位排名: progress per responsible unit (the weekly score ranking builds on this)."""

import streamlit as st

from cockpit import ui

settings = ui.settings()
as_of = ui.as_of()

st.header("单位排名")
if ui.has_problems(as_of, settings):
    units = ui.query("progress_breakdown", as_of=as_of, due_soon_days=settings.due_soon_days, dimension="unit")
    st.caption("按逾期问题数排序，逾期多的在前。")
    st.dataframe(
        units,
        hide_index=True,
        height=min(36 * (len(units) + 1) + 4, 760),
        column_config={
            "group_name": "责任单位",
            "count_found": st.column_config.NumberColumn("问题数", format="%d"),
            "count_closed": st.column_config.NumberColumn("已销号", format="%d"),
            "closure_rate": st.column_config.ProgressColumn("销号率", min_value=0, max_value=1, format="percent"),
            "count_open": st.column_config.NumberColumn("在办", format="%d"),
            "count_overdue": st.column_config.NumberColumn("逾期", format="%d"),
            "on_time_rate": st.column_config.NumberColumn("按期整改率", format="percent"),
            "rectification_days_median": st.column_config.NumberColumn("整改用时中位数（天）", format="%.1f"),
        },
    )

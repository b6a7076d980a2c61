"""单位排名: progress per responsible unit (the weekly score ranking builds on this)."""

import streamlit as st

from cockpit import filters, ui

settings = ui.settings()
as_of = ui.as_of()

st.header("单位排名")
if ui.has_problems(as_of, settings):
    units = ui.query("progress_breakdown", as_of=as_of, due_soon_days=settings.due_soon_days,
                     filters=filters.NO_FILTERS, dimension="unit")
    st.caption("按逾期问题数排序，逾期多的在前。")
    st.dataframe(
        units,
        hide_index=True,
        placeholder="—",
        height=min(36 * (len(units) + 1) + 4, 760),
        column_config=ui.breakdown_columns("责任单位"),
    )

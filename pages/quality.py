"""数据质量: what in the imported data needs fixing at the source, each count with the rows behind it."""

import streamlit as st

from cockpit.draw import charts
from cockpit.store import readers
from cockpit.vocab import filters, quality
from cockpit.web import cached, fmt, widgets

settings = cached.settings()
as_of = cached.as_of()

st.header("数据质量")
if not widgets.has_problems(as_of, settings):
    st.stop()
st.caption(f"截至 {fmt.cn_date(as_of)} 已发现的问题中，需要到任务平台上补正的数据；导入时未导入的行取最近一期问题台账导出。"
           "选择下面一项查看具体的问题，可导出 Excel 发给责任单位核对。")

# A district login sees its own district's rows: cached.district_scoped forces it into the filters here too.
params = cached.district_scoped({"as_of": as_of, "due_soon_days": settings.due_soon_days, "filters": filters.NO_FILTERS})
counts = cached.query("quality_checks", **params).set_index("check_key")["count_rows"]

tiles = st.columns(4)
for i, (key, (label, meaning, _)) in enumerate(quality.CHECKS.items()):
    tiles[i % 4].metric(label, fmt.num(counts.get(key, 0)), help=meaning, border=True)

chosen = st.segmented_control(
    "查看", list(quality.CHECKS), key="check", bind="query-params",
    format_func=lambda key: f"{quality.CHECKS[key][0]}（{fmt.num(counts.get(key, 0))}）",
    default=next((k for k in quality.CHECKS if counts.get(k, 0)), None))
if not chosen:
    st.success("各项检查都没有发现问题。")
    st.stop()

label, meaning, remedy = quality.CHECKS[chosen]
st.subheader(f"{label}（{fmt.num(counts.get(chosen, 0))}）")
st.caption(f"{meaning}。处理：{remedy}。")
rows = cached.query("quality_rows", check_key=chosen, **params).assign(
    state=lambda frame: frame["state"].map(charts.STATE_LABELS))
if rows.empty:
    st.info("这一项没有需要处理的数据。")
    st.stop()
shown = [c for c in quality.ROW_COLUMNS if rows[c].notna().any()]
columns = {**widgets.problem_columns(), "row_number": st.column_config.NumberColumn("文件行号", format="%d"),
           "detail": st.column_config.TextColumn("说明", width="large")}
st.dataframe(rows[shown], hide_index=True, width="stretch", column_config={c: columns.get(c, quality.ROW_COLUMNS[c])
                                                                          for c in shown})
live = cached.reader_when_called()
widgets.download_buttons(f"数据质量_{label}", as_of,
                    lambda: readers.run(live(), "quality_rows", check_key=chosen, **params)
                    .assign(state=lambda frame: frame["state"].map(charts.STATE_LABELS))[shown],
                    {c: quality.ROW_COLUMNS[c] for c in shown},
                    widgets.export_notes(as_of, params["filters"], ("检查项", f"{label}：{meaning}")), key="quality_rows")

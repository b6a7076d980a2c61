"""回头看: re-checks of closed problems, to catch 假性整改 and rebounds (确保整改到位、不反弹).

整改到位率 per round and unit, the problems a re-check found not rectified (open again in every
figure), how many closed problems were never re-checked, and the choice of closed problems for the
next round with its checklist per unit. Results come back through 数据导入 (the rechecks dataset).
"""

from datetime import datetime, time, timedelta

import pandas as pd
import streamlit as st

from cockpit.draw import charts
from cockpit.outputs import meeting_docs
from cockpit.vocab import filters
from cockpit.web import access, cached, fmt, staff_entry, widgets

settings = cached.settings()
as_of = cached.as_of()
params = {"as_of": as_of}
RESULT_LABELS = {"done": "到位", "not_done": "未到位", "rebound": "反弹"}

widgets.heading("回头看")
if not widgets.has_problems(as_of, settings):
    st.stop()
st.caption(f"截至 {fmt.cn_date(as_of)}。复查结果为“未到位”或“反弹”的问题是假性整改：从复查之日起重新算作在办（退回），"
           "计入各页面的在办、逾期和返工，直到再次复查到位或平台再次销号。复查结果在“数据导入”页导入（回头看复查结果）。")

rates = cached.query("recheck_rates", **params)
failures = cached.query("recheck_failures", due_soon_days=settings.due_soon_days, **params)
coverage = cached.query("recheck_coverage", **params)
totals = rates[rates["is_total"]]
latest = totals.iloc[0] if len(totals) else None
never = coverage[coverage["is_total"]]
tiles = [
    ("最近一轮复查", fmt.num(latest["count_rechecked"]) if latest is not None else "—"),
    ("整改到位率", fmt.pct(latest["done_rate"]) if latest is not None else "—"),
    ("假性整改（仍在办）", fmt.num(int(failures["is_open"].sum()))),
    ("已销号但从未复查", fmt.num(never["count_never_rechecked"].iloc[0] if len(never) else 0)),
]
for col, (label, value) in zip(st.columns(4), tiles):
    widgets.metric(col, label, value, None, border=True)

RATE_TABLE = {"unit_name": "责任单位", "count_rechecked": "复查", "count_done": "到位", "count_not_done": "未到位",
              "count_rebound": "反弹", "done_rate": widgets.rate_column("整改到位率")}
st.subheader("整改到位率")
if rates.empty:
    st.caption("还没有回头看复查结果。")
else:
    rounds = list(dict.fromkeys(rates["round_name"]))
    chosen = st.selectbox("轮次", rounds, key="recheck_round")
    widgets.table(st, rates[rates["round_name"] == chosen], RATE_TABLE, hide_index=True,
                  column_order=list(RATE_TABLE), key="recheck_rates")
st.subheader(f"假性整改问题（{fmt.num(len(failures))}）")
if failures.empty:
    st.caption("复查没有发现未到位或反弹的问题。")
else:
    widgets.problem_table(failures.assign(result=failures["result"].map(RESULT_LABELS)),
                     ["problem_id", "unit_name", "place", "description", "rechecked_at", "result", "state",
                      "days_overdue", "note"],
                     words={"state": charts.STATE_LABELS},
                     more_columns={"rechecked_at": st.column_config.DateColumn("复查时间", format=fmt.DATE_FORMAT),
                                   "result": "复查结果", "note": "备注"}, key="recheck_failures")

COVERAGE_TABLE = {"unit_name": "责任单位", "count_closed": "已销号", "count_rechecked": "已复查",
                  "count_never_rechecked": "从未复查"}
st.subheader("已销号问题的复查覆盖")
if coverage.empty:
    st.caption("还没有已销号的问题。")
else:
    st.dataframe(coverage, hide_index=True, column_order=list(COVERAGE_TABLE), column_config=COVERAGE_TABLE,
                 key="recheck_coverage")

st.divider()
st.subheader("安排回头看")
st.caption("选出要复查的已销号问题，按单位导出复查清单（含地点、问题描述、销号时间和空白的复查结果列）；"
           "复查后把填好的清单在“数据导入”页导入（还没复查的行空着即可：复查时间和结果都空的行不导入，也不算有误）。"
           "抽样按固定的随机顺序，每次选出的相同。")
options = cached.query("filter_options", due_soon_days=settings.due_soon_days, **params)


def values(dimension: str) -> list[str]:
    """The filter's named values (a missing source or unit cannot be chosen: 未填写 is left out)."""
    return [v for v in options.loc[options["dimension"] == dimension, "option_value"] if v != filters.MISSING_VALUE]


c1, c2, c3, c4 = st.columns(4)
closed_range = c1.date_input("销号日期", value=(as_of - timedelta(days=30), as_of), key="recheck_closed", format=fmt.DATE_FORMAT)
sources = c2.multiselect("问题来源", values("source"), key="recheck_sources", placeholder="全部来源")
units = c3.multiselect("责任单位", values("unit"), key="recheck_units", placeholder="全部单位")
per_unit = c4.number_input("每个单位抽取（0 为全部）", min_value=0, max_value=1000, value=0, step=1,
                           key="recheck_per_unit")
c1, c2 = st.columns(2)
only_unchecked = c1.checkbox("只选销号后还没有复查过的问题", value=True, key="recheck_only_unchecked")
round_name = c2.text_input("复查轮次（写入清单）", value=f"{as_of:%Y年%m月}回头看", key="recheck_round_name")
closed_from, closed_to = (tuple(closed_range) + (None, None))[:2] if closed_range else (None, None)
candidates = cached.query("recheck_candidates", closed_from=closed_from, closed_to=closed_to, sources=sources,
                      units=units, per_unit=int(per_unit), only_unchecked=only_unchecked, **params)
if candidates.empty:
    st.info("没有符合条件的已销号问题。")
    st.stop()
counts = candidates.groupby("unit_name").size()
st.markdown(f"选出 **{fmt.num(len(candidates))}** 个问题，涉及 **{fmt.num(len(counts))}** 个单位。")
unit_choice = st.selectbox("导出清单", ["全部单位", *counts.index], key="recheck_export_unit",
                           format_func=lambda u: u if u == "全部单位" else f"{u}（{int(counts[u])} 个）")
sheet = candidates if unit_choice == "全部单位" else candidates[candidates["unit_name"] == unit_choice]
notes = widgets.export_notes(as_of, filters.NO_FILTERS, ("复查轮次", round_name), ("单位", unit_choice))
st.download_button("导出复查清单（Excel）", lambda: meeting_docs.checklist_xlsx(sheet, round_name, notes),
                   file_name=f"回头看清单_{unit_choice}_{as_of:%Y%m%d}.xlsx", key="recheck_checklist", on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
widgets.problem_table(pd.DataFrame(sheet).head(widgets.LIST_LIMIT),
                 ["problem_id", "unit_name", "place", "category", "description", "closed_at", "source"],
                 more_columns={"closed_at": st.column_config.DatetimeColumn("销号时间", format=fmt.DATETIME_FORMAT),
                               "source": "问题来源"}, key="recheck_candidates")


# ---- staff enter results found on site for the problems chosen above (a staff write) ----------

def results_form(staff_name: str) -> None:
    labels = {r.problem_id: f"{r.problem_id}　{r.unit_name}　{r.place or ''}" for r in sheet.itertuples()}
    words = {"done": "到位", "not_done": "未到位", "rebound": "反弹"}
    with st.expander("登记复查结果"), st.form("recheck_results_form"):
        picked = st.multiselect("复查的问题（上面选出的）", list(labels), format_func=labels.get, key="results_problems",
                                placeholder="选择问题")
        c1, c2, c3 = st.columns(3)
        result = c1.radio("复查结果", list(words), format_func=words.get, horizontal=True, key="results_result")
        on = c2.date_input("复查日期", value=as_of, key="results_on", format=fmt.DATE_FORMAT)
        checker = c3.text_input("复查人", key="results_checker")
        note = st.text_input("备注", key="results_note")
        if not st.form_submit_button("保存复查结果") or not picked:
            return
    rows = pd.DataFrame({"problem_id": picked, "rechecked_at": [datetime.combine(on, time(12))] * len(picked),
                         "result": result, "checker": checker.strip() or None, "note": note.strip() or None,
                         "round_name": round_name.strip() or None})
    if staff_entry.save_rows("rechecks", rows, f"回头看复查结果 {len(rows)} 条（{words[result]}）", staff_name):
        st.rerun()


user = access.current_user()
if user and user.is_staff:
    results_form(user.name)

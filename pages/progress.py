"""整改进度: how many problems, how many closed, which are late and whose.

Everything on the page follows the sidebar filters; the filters, the breakdown, the drilled group,
the list and the open problem live in the URL, so a view can be bookmarked and sent on.
"""

from functools import partial

import streamlit as st

from cockpit.draw import charts, wallcharts
from cockpit.outputs import meeting_docs
from cockpit.store import readers
from cockpit.vocab import filters
from cockpit.web import access, cached, fmt, screen, staff_entry, wallmode, widgets

LISTS = {
    "overdue": "逾期",
    "due_soon": "即将到期",
    "returned": "退回重改",
    "no_unit": "无责任单位",
    "stale": "长期未更新",
    "all": "全部问题",
}
# What each list is sorted by comes first, so a laptop shows it without scrolling sideways.
LEAD_COLUMNS = {"overdue": ["days_overdue"], "due_soon": ["due_on"], "stale": ["days_unchanged"]}
PROBLEM_LIST_ANCHOR = "problem-list"  # the list's heading, linked from under the figures
LIGHT_WORDS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}
LIST_COLUMNS = {
    "problem_id": "问题编号", "unit_name": "责任单位", "district": "区县", "street": "街道/乡镇", "place": "地点",
    "category": "问题类别", "description": "问题描述", "state": "状态", "light": "亮灯", "found_at": "发现时间",
    "due_on": "整改时限", "days_overdue": "逾期天数", "days_unchanged": "未更新天数", "source": "问题来源",
}

settings = cached.settings()
as_of = cached.as_of()
last_week = cached.week_before(as_of)

widgets.heading("整改进度")
if not widgets.has_problems(as_of, settings):
    st.stop()

chosen = widgets.problem_filters(as_of, settings)
params = {"due_soon_days": settings.due_soon_days, "filters": chosen}
now = cached.one_row("progress_summary", as_of=as_of, **params)
if filters.is_filtered(chosen):
    st.caption(f"筛选条件：{fmt.md(filters.describe(chosen))}")
if not now["count_found"]:
    st.info("没有符合筛选条件的问题。可在左侧调整或清除筛选。")
    st.stop()


# ---- the wall (?screen=big): figures, the backlog curve, the lights, and rolling boards ----------

WALL_ROWS = 50  # rows a rolling board cycles through


def wall(as_of, settings, params: dict, states, weeks) -> None:
    """The wall: the backlog curve, the lights, the districts, the overdue problems and the units."""
    C = screen.Column
    left, right = st.columns([3, 2])
    wallmode.wall_chart(left, "积压的问题（累计发现减累计销号，按周）", wallcharts.lines([
        wallcharts.Series("积压", charts.FOUND_COLOUR_WALL, weeks["week_on"].tolist(), weeks["count_backlog"].tolist()),
    ], width=1100, height=340))
    lights = states[states["grouping"] == "light"].set_index("value")["count_problems"]
    right.html("<div class='wall-title'>在办问题亮灯</div><div class='wall-lights'>" + "".join(
        f"<div class='{light}'><span>{LIGHT_WORDS[light]}</span><b>{fmt.num(lights.get(light, 0))}</b></div>"
        for light in ("red", "yellow", "green")) + "</div>")
    districts = cached.query("progress_breakdown", as_of=as_of, dimension="district", **params)
    with right:
        # Every problem found in the district, whoever handles it (the rankings wall's 街镇逾期 sums
        # the district's streets and townships only): the labels say which.
        wallmode.wall_board("各区县（辖区内全部问题）", [C("区县", 34), C("辖区在办", 22, "right"),
                                        C("辖区逾期", 22, "right", "alarm"), C("销号率", 22, "right")],
                      [[r.group_name, fmt.num(r.count_open), fmt.num(r.count_overdue), fmt.pct(r.closure_rate)]
                       for r in districts.head(WALL_ROWS).itertuples()], visible=3)

    overdue = cached.query("problem_list", as_of=as_of, list_kind="overdue", dimension="", group_name="", search="",
                       stale_days=settings.stale_days, limit=WALL_ROWS, **params)
    units = cached.query("progress_breakdown", as_of=as_of, dimension="unit", **params)
    count_overdue = widgets.count_in_list(overdue)
    left, right = st.columns([3, 2])
    with left:
        wallmode.wall_board(f"逾期问题 {fmt.num(count_overdue)} 个（逾期最久的在前）",
                      [C("逾期天数", 13, "right", "alarm"), C("责任单位", 17), C("地点", 22), C("问题描述", 48)],
                      [[fmt.num(r.days_overdue), r.unit_name or "（无）", r.place, screen.clip(r.description, 40)]
                       for r in overdue.itertuples()], visible=7, empty="没有逾期问题。")
    with right:
        wallmode.wall_board("各责任单位（逾期多的在前）",
                      [C("责任单位", 34), C("在办", 22, "right"), C("逾期", 22, "right", "alarm"),
                       C("销号率", 22, "right")],
                      [[r.group_name, fmt.num(r.count_open), fmt.num(r.count_overdue), fmt.pct(r.closure_rate)]
                       for r in units.head(WALL_ROWS).itertuples()], visible=7)


# ---- headline figures --------------------------------------------------------------------------

# The week before needs only the headline, not rework and rectification time (a third of the cost).
before = cached.one_row("progress_headline", as_of=last_week, **params)
headline = [
    ("问题总数", fmt.num(now["count_found"]), fmt.delta_count(now["count_found"], before.get("count_found")), "off"),
    ("已销号", fmt.num(now["count_closed"]), fmt.delta_count(now["count_closed"], before.get("count_closed")), "normal"),
    ("销号率", fmt.pct(now["closure_rate"]), fmt.delta_points(now["closure_rate"], before.get("closure_rate")), "normal"),
    ("在办", fmt.num(now["count_open"]), fmt.delta_count(now["count_open"], before.get("count_open")), "inverse"),
    ("逾期", fmt.num(now["count_overdue"]), fmt.delta_count(now["count_overdue"], before.get("count_overdue")), "inverse"),
    ("按期整改率", fmt.pct(now["on_time_rate"]), fmt.delta_points(now["on_time_rate"], before.get("on_time_rate")), "normal"),
    ("反弹", fmt.num(now["count_rebound"]), fmt.delta_count(now["count_rebound"], before.get("count_rebound")), "inverse"),
]
# Two rows (4 + 3) so a laptop beside the sidebar shows every figure whole; one row on the wall.
metric_columns = st.columns(7) if wallmode.big_screen() else [*st.columns(4), *st.columns(4)[:3]]
for col, (label, value, delta, colour) in zip(metric_columns, headline):
    widgets.metric(col, label, value, delta, colour, border=True, help="与上周同日相比" if delta is not None else None)
# The states and the weekly flow: on the wall the lights and the backlog curve, below the charts.
states = cached.query("problem_states", as_of=as_of, **params)
weeks = cached.query("weekly_flow", as_of=as_of, **params)
if wallmode.big_screen():
    wall(as_of, settings, params, states, weeks)
    wallmode.wall_done()
st.caption(
    f"较上周同日（{fmt.cn_date(last_week)}）的变化。未设整改时限的问题 {fmt.num(now['count_no_deadline'])} 个，"
    f"不计入逾期和按期整改率；返工率 {fmt.pct(now['rework_rate'])}"
    f"（退回过 {fmt.num(now['count_returned'])} / 报告已整改 {fmt.num(now['count_reported_done'])}）；"
    f"整改用时中位数 {fmt.days(now['rectification_days_median'])}，90% 分位 {fmt.days(now['rectification_days_p90'])}。"
)
# The chasing list is below the charts, two screens down on a laptop: one click takes the clerk there.
# (An HTML link, not markdown: no markdown on a page may carry a link, so one from the data never does.)
st.html(f"<a href='#{PROBLEM_LIST_ANCHOR}'>转到问题清单（逾期 {fmt.num(now['count_overdue'])} 个）↓</a>")


# ---- where problems stand, and over time -------------------------------------------------------

left, right = st.columns([3, 2])
widgets.chart(left, charts.states_bar(states))
if now["count_open"]:
    widgets.chart(right, charts.lights_bar(states))
else:
    right.info("没有在办问题，无需亮灯。")

left, right = st.columns([3, 2])
widgets.chart(left, charts.weekly_flow(weeks))
if now["count_closed"]:
    widgets.chart(right, charts.rectification_time(weeks))
else:
    right.info("还没有销号的问题，暂无整改用时。")


# ---- breakdowns, with the drill-down into a group ----------------------------------------------

def drill_into_selected_group(groups: list[str]) -> None:
    """A row chosen in the breakdown becomes the group whose problems the lists show."""
    rows = st.session_state["breakdown_table"].selection.rows
    if rows:
        st.session_state["group"] = groups[rows[0]]
        st.session_state["list"] = "all"


def forget_group() -> None:
    st.session_state["group"] = None


st.subheader("分项进度")
dimension = st.segmented_control("按什么分", list(filters.BREAKDOWNS), format_func=filters.BREAKDOWNS.get,
                                 default="unit", key="by", bind="query-params", on_change=forget_group) or "unit"
dimension_label = filters.BREAKDOWNS[dimension]
breakdown = cached.query("progress_breakdown", as_of=as_of, dimension=dimension, **params)
groups = breakdown["group_name"].tolist()
st.caption(f"逾期多的在前。点选一行，下方清单就只列该{dimension_label}的问题。")
widgets.table(
    st,
    breakdown,
    hide_index=True,
    placeholder="—",
    height=min(36 * (len(breakdown) + 1) + 4, 420),
    column_config=widgets.breakdown_columns(dimension_label),
    key="breakdown_table",
    on_select=partial(drill_into_selected_group, groups),
    selection_mode="single-row",
)
widgets.download_buttons(f"按{dimension_label}分项进度", as_of, lambda: breakdown,
                    {**widgets.BREAKDOWN_EXPORT_COLUMNS, "group_name": dimension_label},
                    widgets.export_notes(as_of, chosen), key="breakdown_export", chosen=chosen)


# ---- the lists that drive action ---------------------------------------------------------------

def whole_list(live, as_of, list_params: dict):
    """The whole list for its export, read when the button is clicked from the live database file."""
    frame = readers.run(live(), "problem_list", as_of=as_of, limit=2_000_000, **list_params)
    return frame.assign(state=frame["state"].map(charts.STATE_LABELS), light=frame["light"].map(LIGHT_WORDS))


def open_selected_problem(problem_ids: list[str]) -> None:
    rows = st.session_state["list_table"].selection.rows
    if rows:
        st.session_state["problem"] = problem_ids[rows[0]]


st.subheader("问题清单", anchor=PROBLEM_LIST_ANCHOR)
list_kind = st.segmented_control("清单", list(LISTS), format_func=LISTS.get, default="overdue",
                                 key="list", bind="query-params") or "overdue"
group_col, search_col = st.columns(2, vertical_alignment="bottom")
with group_col:
    group = st.selectbox(f"只看某个{dimension_label}", groups, index=None, key="group", bind="query-params",
                         placeholder=f"全部{dimension_label}")
with search_col:
    search = st.text_input("搜索编号、单位、地点、描述", key="q", bind="query-params").strip()

list_params = {**params, "list_kind": list_kind, "dimension": dimension if group else "", "group_name": group or "",
               "search": search, "stale_days": settings.stale_days}
problems = cached.query("problem_list", as_of=as_of, limit=widgets.LIST_LIMIT, **list_params)
count_in_list = widgets.count_in_list(problems)
scope = f"{dimension_label}“{group}”的" if group else ""
noun = "问题" if list_kind == "all" else f"{LISTS[list_kind]}问题"
title = f"{scope}{noun} {fmt.num(count_in_list)} 个"
if list_kind == "stale":
    title += f"（在办且 {settings.stale_days} 天以上没有任何变化）"
st.markdown(f"**{fmt.md(title)}**")

if problems.empty:
    st.info("这个清单里没有问题。")
else:
    widgets.list_limit_note(count_in_list)
    lead = LEAD_COLUMNS.get(list_kind, ["state"])
    rest = [c for c in ["state", "days_overdue", "due_on"] if c not in lead]
    widgets.problem_table(
        problems,
        ["problem_id", *lead, "unit_name", "place", "category", "description", *rest, "found_at", "source"],
        words={"state": charts.STATE_LABELS, "light": LIGHT_WORDS},
        height=min(36 * (len(problems) + 1) + 4, 560),
        key="list_table",
        on_select=partial(open_selected_problem, problems["problem_id"].tolist()),
        selection_mode="single-row",
    )

    widgets.download_buttons(f"{scope}{noun}", as_of,
                             partial(whole_list, cached.reader_when_called(), as_of, list_params), LIST_COLUMNS,
                        widgets.export_notes(as_of, chosen, ("清单", title), ("搜索", search or "无")), key="list_export",
                        chosen=chosen)


# ---- one problem: its record and its history across imports ------------------------------------

RECORD_FIELDS = [
    ("问题编号", "problem_id"), ("状态", "state"), ("问题来源", "source"), ("问题类别", "category"),
    ("问题描述", "description"), ("责任单位", "unit_name"), ("区县", "district"), ("街道/乡镇", "street"),
    ("社区", "community"), ("点位", "point_name"), ("点位类型", "point_type"), ("发现时间", "found_at"),
    ("交办时间", "assigned_at"), ("整改时限", "due_on"), ("整改完成时间", "rectified_at"), ("复核时间", "checked_at"),
    ("销号时间", "closed_at"), ("逾期天数", "days_overdue"), ("退回次数", "return_count"), ("整改用时", "rectification_days"),
]


def drill_into_place(place: str) -> None:
    st.session_state.update({"by": "place", "group": place, "list": "all", "q": ""})


def show_value(name: str, value) -> str:
    if fmt.missing(value):
        return "—"
    if name == "state":
        return charts.STATE_LABELS.get(value, value)
    if name in ("found_at", "assigned_at", "rectified_at", "checked_at", "closed_at"):
        return f"{value:%Y-%m-%d %H:%M}"
    if name == "due_on":
        return fmt.short_date(value)
    if name == "rectification_days":
        return fmt.days(value)
    return str(value)


def assign_problem(record: dict, staff_name: str, as_of) -> None:
    """Staff assign this problem at a scheduling meeting (交办), as on 会议要点: a staff write."""
    with st.expander("在调度会上交办本问题"), st.form("record_assign_form"):
        meeting_on, meeting_name, due_on = staff_entry.meeting_fields("record", as_of)
        if not st.form_submit_button("交办"):
            return
    rows = meeting_docs.new_items(meeting_on, meeting_name, due_on, [(record["problem_id"], record.get("unit_name"))], [])
    action = f"{meeting_on:%Y-%m-%d} {meeting_name.strip() or '调度会'}交办 {record['problem_id']}"
    if staff_entry.save_rows("assignments", rows, action, staff_name):
        st.rerun()


st.subheader("问题详情")
problem_id = st.text_input("问题编号（点选上面清单的一行，或直接输入）", key="problem", bind="query-params").strip()
if problem_id:
    record = cached.one_row("problem_record", as_of=as_of, due_soon_days=settings.due_soon_days, problem_id=problem_id)
    if not record:
        st.warning(f"找不到问题 {fmt.md(problem_id)}（或它在 {fmt.cn_date(as_of)} 之后才发现）。")
    else:
        cells = [f"**{label}**：{fmt.md(show_value(name, record.get(name)))}" for label, name in RECORD_FIELDS]
        for col, chunk in zip(st.columns(3), (cells[0::3], cells[1::3], cells[2::3])):
            col.markdown("  \n".join(chunk))
        if record.get("is_closed_at_estimated"):
            st.caption("销号时间为估计值：导出没有给出，取第一次看到它已销号的导出日期。")
        if record.get("is_rebound"):
            st.caption("该问题是反弹问题：同一地点同类问题销号后又出现。")
        st.button(f"查看“{fmt.md(record['place'])}”的全部问题", on_click=drill_into_place, args=(record["place"],))
        history = cached.query("problem_history_list", problem_id=problem_id)
        st.markdown(f"**历次导入中的记录（{len(history)} 次变化）**")
        widgets.problem_table(history, ["export_on", "status", "unit_name", "due_on", "rectified_at", "checked_at",
                                   "return_count", "file_name"], words={"status": charts.STATE_LABELS})
        user = access.current_user()
        if user and user.is_staff and not record.get("is_closed"):
            assign_problem(record, user.name, as_of)
        loop = cached.query("problem_rechecks", problem_id=problem_id)
        if not loop.empty:  # the meeting loop: 交办 at meetings, 回头看 re-checks (a failed one reopens it)
            st.markdown("**调度会交办和回头看复查**")
            kinds = {"recheck": "回头看复查", "assignment": "调度会交办"}
            results = {"done": "到位", "not_done": "未到位", "rebound": "反弹"}
            st.dataframe(loop.assign(event_kind=loop["event_kind"].map(kinds), result=loop["result"].map(results)),
                         hide_index=True, placeholder="—", key="problem_loop",
                         column_order=["event_on", "event_kind", "title", "result", "who", "due_on", "note"],
                         column_config={"event_on": st.column_config.DateColumn("日期", format=fmt.DATE_FORMAT),
                                        "event_kind": "事项", "title": "会议或轮次", "result": "复查结果",
                                        "who": "责任单位或复查人",
                                        "due_on": st.column_config.DateColumn("办结时限", format=fmt.DATE_FORMAT),
                                        "note": "备注"})

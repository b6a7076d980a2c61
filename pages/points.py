"""测评点位: which measurement points will lose us points, and whose they are.

Everything on the page follows the sidebar filters (district, street, point type, key circles only).
The filters, the grouping, the ranking view, the list, the round and the open point live in the URL,
so a view can be bookmarked and sent on: ?point=<point id> opens one point's record.
"""

from functools import partial

import pandas as pd
import streamlit as st

from cockpit.draw import charts, wallcharts
from cockpit.store import readers
from cockpit.vocab import filters, points
from cockpit.web import cached, fmt, screen, wallmode, widgets

# A point's figures as the ranking and the lists show them.
POINT_FIGURE_COLUMNS = {
    "count_open": st.column_config.NumberColumn("在办问题", format="%d"),
    "count_overdue": st.column_config.NumberColumn("逾期问题", format="%d"),
    "last_score": st.column_config.NumberColumn("最近得分", format="%.1f"),
    "last_inspected_at": st.column_config.DatetimeColumn("最近检查", format=fmt.DATE_FORMAT),
}
settings = cached.settings()
as_of = cached.as_of()
params = {"as_of": as_of, "due_soon_days": settings.due_soon_days, "pass_score": settings.pass_score}

widgets.heading("测评点位")
if cached.data_version() == "empty":
    st.info(widgets.EMPTY_MESSAGE)
    st.stop()
options = cached.query("point_filter_options")
if options.empty:
    st.info("还没有导入测评点位清单（点位编号、点位名称、点位类型、区县、街道、点位长、包抓单位、是否重点点位圈）。"
            "请用“python -m cockpit import 测评点位清单.xlsx”导入。")
    st.stop()


# ---- the filters ---------------------------------------------------------------------------------

def option_values(options: pd.DataFrame, dimension: str, districts: list[str] | None = None) -> list[str]:
    rows = options[options["dimension"] == dimension]
    if districts:
        rows = rows[rows["district"].isin(districts)]
    return rows["option_value"].tolist()


def clear_filters() -> None:
    st.session_state.update({"district": [], "street": [], "point_type": [], "circle": False})


with st.sidebar:
    st.subheader("筛选")
    districts = st.multiselect("区县", option_values(options, "district"), key="district", bind="query-params",
                               placeholder="全部")
    streets = st.multiselect("街道/乡镇", option_values(options, "street", districts), key="street", bind="query-params",
                             placeholder="全部")
    types = st.multiselect("点位类型", option_values(options, "point_type"), key="point_type", bind="query-params",
                           placeholder="全部")
    circle_only = st.toggle("只看重点点位圈", key="circle", bind="query-params")
    chosen = points.make(circle_only, district=districts, street=streets, point_type=types)
    st.button("清除筛选", on_click=clear_filters, disabled=not points.is_filtered(chosen))

kept = {**params, "point_filters": chosen}
live = cached.reader_when_called()  # exports run the whole list when clicked, from the live file
if points.is_filtered(chosen):
    st.caption(f"筛选条件：{fmt.md(points.describe(chosen))}")


def export_notes(as_of, chosen: dict, *more: tuple[str, str]) -> list[tuple[str, str]]:
    freshness = cached.one_row("data_freshness")
    return [("统计日期", as_of.isoformat()), ("数据截至", fmt.cn_date(freshness.get("last_event_at"))),
            ("筛选条件", points.describe(chosen)), *more]


def select_hint() -> str:
    """Under a point table: what a click does, and which point is open now (its record is further down)."""
    opened = (st.session_state.get("point") or "").strip()
    hint = "点选一行，在下方“点位档案”查看该点位的检查记录和问题。"
    return hint + (f"现在打开的是 {opened}，请向下翻到“点位档案”。" if opened else "")


def open_point(table_key: str, point_ids: list[str]) -> None:
    """A row chosen in a point table opens that point's record below (?point=)."""
    rows = st.session_state[table_key].selection.rows
    if rows:
        st.session_state["point"] = point_ids[rows[0]]


# ---- standing: overall, then by a grouping -------------------------------------------------------

groups = cached.query("point_standing_groups", **kept)
overall = groups[groups["dimension"] == "overall"].set_index("group_name")
if "全部点位" not in overall.index:
    st.info("没有符合筛选条件的测评点位。可在左侧调整或清除筛选。")
    st.stop()
everyone = overall.loc["全部点位"]
circles = overall.loc["重点点位圈"] if "重点点位圈" in overall.index else None
baseline_on, round_label = everyone["baseline_on"], everyone["latest_round_label"]
uninspected = cached.query("point_list", list_kind="uninspected", stale_days=settings.inspection_stale_days, **kept)
count_uninspected = widgets.count_in_list(uninspected)

before_note = "与最近一轮检查开始前一天相比" if not fmt.missing(baseline_on) else None
headline = [
    ("点位达标率", fmt.pct(everyone["up_to_standard_rate"]),
     fmt.delta_points(everyone["up_to_standard_rate"], everyone["up_to_standard_rate_before"]), "normal"),
    ("重点点位圈达标率", "—" if circles is None else fmt.pct(circles["up_to_standard_rate"]),
     None if circles is None
     else fmt.delta_points(circles["up_to_standard_rate"], circles["up_to_standard_rate_before"]), "normal"),
    ("未达标点位", fmt.num(everyone["count_not_up_to_standard"]),
     fmt.delta_count(everyone["count_not_up_to_standard"], everyone["count_not_up_to_standard_before"]), "inverse"),
    ("测评点位", fmt.num(everyone["count_points"]), None, "off"),
    ("从未检查", fmt.num(everyone["count_never_inspected"]), None, "off"),
    (f"从未或超过 {settings.inspection_stale_days} 天未检查", fmt.num(count_uninspected), None, "off"),
]
metric_columns = st.columns(6) if wallmode.big_screen() else [*st.columns(3), *st.columns(3)]
for col, (label, value, delta, colour) in zip(metric_columns, headline):
    widgets.metric(col, label, value, delta, colour, border=True, help=before_note if delta is not None else None)


def wall(as_of, groups: pd.DataFrame, month_ranking: pd.DataFrame) -> None:
    """The wall: the types furthest behind, and this month's ranking of failing points, rolling."""
    C = screen.Column
    by_type = groups[groups["dimension"] == "type"].dropna(subset=["up_to_standard_rate"]).head(12)
    ranking = points.with_rank_change(month_ranking)
    left, right = st.columns([2, 3])
    left.html("<div class='wall-title'>按点位类型的达标率（最落后的在前）</div>" + wallcharts.bars(
        [(r.group_name, r.up_to_standard_rate, fmt.pct(r.up_to_standard_rate, 0)) for r in by_type.itertuples()],
        colour_of=lambda rate: "#ff6b6b" if rate < 0.85 else "#4cd98a"))
    with right:
        wallmode.wall_board(f"{as_of.year}年{as_of.month}月未达标点位排名（上榜 {fmt.num(len(ranking))} 个）",
                      [C("名次", 9, "right"), C("较上月", 11, "right"), C("点位", 26), C("类型", 14), C("点位长", 14),
                       C("未达标", 12, "right", "alarm"), C("逾期", 9, "right", "alarm")],
                      [[fmt.num(r.rank), r.change, r.point_name, r.point_type, r.point_chief or "—",
                        fmt.num(r.count_failures), fmt.num(r.count_overdue)] for r in ranking.head(50).itertuples()],
                      visible=15, empty="本月没有未达标的点位。")


# This month's ranking of failing points: rolling on the wall, a table below.
ranking = cached.query("point_month_ranking", **kept)
if wallmode.big_screen():
    wall(as_of, groups, ranking)
    wallmode.wall_done()
if fmt.missing(baseline_on):
    st.caption("达标：最近一次检查达标（“是否达标”为达标，或得分不低于 "
               f"{settings.pass_score:g} 分）且没有逾期问题；达标率按已检查的点位计算。还没有检查记录，无法与上一轮相比。")
else:
    st.caption(f"达标：最近一次检查达标（“是否达标”为达标，或得分不低于 {settings.pass_score:g} 分）且没有逾期问题；"
               f"达标率按已检查的点位计算。变化与 {fmt.cn_date(baseline_on)} 相比，即最近一轮检查"
               f"“{round_label}”开始前一天。")

st.subheader("分类达标情况")
grouping = st.segmented_control("按什么看", list(points.GROUPINGS), format_func=points.GROUPINGS.get, default="type",
                                key="by", bind="query-params") or "type"
grouping_label = points.GROUPINGS[grouping]
by_group = groups[groups["dimension"] == grouping]
if by_group.empty:
    st.info("筛选的点位中没有重点点位圈的点位。" if grouping == "circle" else "没有数据。")
else:
    shown_groups = by_group.assign(change=by_group["rate_change"] * 100)
    left, right = st.columns(2)
    widgets.chart(left, charts.standing_bar(by_group, f"按{grouping_label}的达标率（最落后的在上）"))
    right.caption("最落后的在前。“较上轮”为达标率比上一轮检查前的变化（百分点），红色图条表示下降。"
                  "导出文件另有已检查、达标点位数。")
    widgets.table(
        right,
        shown_groups,
        hide_index=True,
        placeholder="—",
        height=min(36 * (len(shown_groups) + 1) + 4, 560),
        column_order=["group_name", *(["district"] if grouping == "street" else []), "up_to_standard_rate", "change",
                      "count_points", "count_not_up_to_standard", "count_never_inspected"],
        column_config={
            "group_name": grouping_label,
            "district": "区县",
            "up_to_standard_rate": widgets.rate_column("达标率"),
            "change": st.column_config.NumberColumn("较上轮", format="%+.1f"),
            "count_points": st.column_config.NumberColumn("点位", format="%d"),
            "count_inspected": st.column_config.NumberColumn("已检查", format="%d"),
            "count_up_to_standard": st.column_config.NumberColumn("达标", format="%d"),
            "count_not_up_to_standard": st.column_config.NumberColumn("未达标", format="%d"),
            "count_never_inspected": st.column_config.NumberColumn("从未检查", format="%d"),
        },
    )
    with right:
        widgets.download_buttons(
            f"按{grouping_label}点位达标情况", as_of, lambda: by_group,
            {"group_name": grouping_label, **({"district": "区县"} if grouping == "street" else {}),
             "count_points": "点位", "count_inspected": "已检查", "count_up_to_standard": "达标",
             "count_not_up_to_standard": "未达标", "count_never_inspected": "从未检查", "up_to_standard_rate": "达标率",
             "up_to_standard_rate_before": "上一轮检查前达标率", "rate_change": "达标率变化"},
            export_notes(as_of, chosen, ("对比日期", fmt.short_date(baseline_on)), ("最近一轮检查", round_label or "无")),
            key="groups_export", chosen=chosen)


# ---- the monthly ranking of points not up to standard (点未达标月评排名制) ---------------------------

month_start = as_of.replace(day=1)
st.subheader(f"{as_of.year}年{as_of.month}月未达标点位排名")
ranked_by = st.segmented_control("排名对象", list(points.OWNERS), format_func=points.OWNERS.get, default="point",
                                 key="rank_by", bind="query-params") or "point"
if len(ranking):
    last_from, last_to = ranking["last_month_from_on"].iloc[0], ranking["last_month_to_on"].iloc[0]
    period = (f"本月：{month_start:%m月%d日}至{as_of:%m月%d日}；上月：{pd.Timestamp(last_from):%m月%d日}至"
              f"{pd.Timestamp(last_to):%m月%d日}。")
else:
    period = f"本月：{month_start:%m月%d日}至{as_of:%m月%d日}。"
st.caption(period + points.RANKING_RULE + "“较上月”：变差表示名次更靠前（问题更突出），好转表示更靠后。")


if ranked_by == "point":
    st.markdown(f"**上榜点位 {fmt.num(len(ranking))} 个**")
    if ranking.empty:
        st.success("本月没有未达标的点位。")
    else:
        widgets.list_limit_note(len(ranking))  # a province's month can rank thousands of points
        shown_rows = ranking.head(widgets.LIST_LIMIT)
        st.dataframe(
            points.with_rank_change(shown_rows),
            hide_index=True,
            placeholder="—",
            height=min(36 * (len(shown_rows) + 1) + 4, 560),
            column_order=["rank", "change", "point_name", "point_type", "street", "point_chief", "co_unit",
                          "count_failures", "count_overdue", "count_open", "count_rebound", "last_score",
                          "last_inspected_at", "point_id"],
            column_config={
                **points.RANKING_EXPORT_COLUMNS,
                "rank": st.column_config.NumberColumn("名次", format="%d"),
                "count_failures": st.column_config.NumberColumn("本月未达标", format="%d", help="本月检查未达标的次数"),
                **POINT_FIGURE_COLUMNS,
                "count_rebound": st.column_config.NumberColumn("本月反弹", format="%d"),
            },
            key="ranking_table",
            on_select=partial(open_point, "ranking_table", shown_rows["point_id"].tolist()),
            selection_mode="single-row",
        )
        st.caption(select_hint())
    shown_ranking = ranking
else:
    owners = cached.query("point_month_owners", owner=ranked_by, **kept)
    owner_label = points.OWNERS[ranked_by]
    st.markdown(f"**有点位上榜的{owner_label} {fmt.num(len(owners))} 个**")
    if owners.empty:
        st.success("本月没有未达标的点位。")
    else:
        widgets.list_limit_note(len(owners))
        shown_rows = owners.head(widgets.LIST_LIMIT)
        st.dataframe(
            points.with_rank_change(shown_rows),
            hide_index=True,
            placeholder="—",
            height=min(36 * (len(shown_rows) + 1) + 4, 560),
            column_order=["rank", "change", "owner_name", "count_points_ranked", "count_points", "count_failures",
                          "count_overdue", "count_open", "count_rebound", "point_names"],
            column_config={
                "rank": st.column_config.NumberColumn("名次", format="%d"),
                "change": "较上月",
                "owner_name": owner_label,
                "count_points_ranked": st.column_config.NumberColumn("上榜点位", format="%d"),
                "count_points": st.column_config.NumberColumn("负责点位", format="%d"),
                "count_failures": st.column_config.NumberColumn("本月未达标", format="%d",
                                                                help="其上榜点位本月检查未达标的次数之和"),
                "count_overdue": st.column_config.NumberColumn("逾期问题", format="%d"),
                "count_open": st.column_config.NumberColumn("在办问题", format="%d"),
                "count_rebound": st.column_config.NumberColumn("本月反弹", format="%d"),
                "point_names": st.column_config.TextColumn("上榜点位", width="large"),
            },
        )
    shown_ranking = owners
ranking_stem = f"{as_of.year}年{as_of.month}月未达标点位排名"
if ranked_by != "point":
    ranking_stem += f"（按{points.OWNERS[ranked_by]}）"
ranking_frame, ranking_columns = points.ranking_export(shown_ranking, ranked_by)
widgets.download_buttons(ranking_stem, as_of, lambda: ranking_frame, ranking_columns,
                    export_notes(as_of, chosen, ("排名对象", points.OWNERS[ranked_by]),
                                 ("排名口径", period + points.RANKING_RULE)),
                    key="ranking_export", chosen=chosen)


# ---- point lists ---------------------------------------------------------------------------------

LIST_COLUMNS = {
    "point_id": "点位编号", "point_name": "点位名称", "point_type": "点位类型", "district": "区县", "street": "街道/乡镇",
    "community": "社区", "point_chief": "点位长", "co_unit": "包抓共建单位", "key_circle_name": "重点点位圈",
    "standing_text": "是否达标", "last_inspected_at": "最近检查时间", "last_inspection_type": "最近检查类型",
    "last_score": "最近得分", "days_since_inspected": "距最近检查天数", "count_open": "在办问题",
    "count_overdue": "逾期问题",
}
LEAD_COLUMNS = {"uninspected": ["days_since_inspected"], "not_up_to_standard": ["count_overdue"]}

st.subheader("点位清单")
list_kind = st.segmented_control("清单", list(points.LISTS), format_func=points.LISTS.get,
                                 default="not_up_to_standard", key="list", bind="query-params") or "not_up_to_standard"
list_params = {**kept, "list_kind": list_kind, "stale_days": settings.inspection_stale_days}
point_list = uninspected if list_kind == "uninspected" else cached.query("point_list", **list_params)
count_in_list = widgets.count_in_list(point_list)
list_title = f"{points.LISTS[list_kind]} {fmt.num(count_in_list)} 个"
if list_kind == "uninspected":
    list_title += f"（从未检查，或最近一次检查在 {settings.inspection_stale_days} 天以前；从未检查的在前）"
st.markdown(f"**{list_title}**")


def with_standing(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(standing_text=[points.standing_text(r) for r in frame.to_dict("records")])


def whole_list(live, list_params: dict) -> pd.DataFrame:
    """The whole list for its export, read when the button is clicked from the live database file."""
    return with_standing(readers.run(live(), "point_list", **list_params))


if point_list.empty:
    st.info("这个清单里没有点位。")
else:
    shown_list = with_standing(point_list.head(widgets.LIST_LIMIT))
    widgets.list_limit_note(count_in_list)
    lead = LEAD_COLUMNS.get(list_kind, [])
    st.dataframe(
        shown_list,
        hide_index=True,
        placeholder="—",
        height=min(36 * (len(shown_list) + 1) + 4, 560),
        column_order=["point_name", *lead, "standing_text", "point_type", "street", "point_chief", "co_unit",
                      *[c for c in ["days_since_inspected", "count_overdue"] if c not in lead], "count_open",
                      "last_score", "last_inspected_at", "last_inspection_type", "key_circle_name", "point_id"],
        column_config={
            **LIST_COLUMNS,
            "days_since_inspected": st.column_config.NumberColumn("距最近检查天数", format="%d"),
            **POINT_FIGURE_COLUMNS,
        },
        key="list_table",
        on_select=partial(open_point, "list_table", shown_list["point_id"].tolist()),
        selection_mode="single-row",
    )
    st.caption(select_hint())
    widgets.download_buttons(points.LISTS[list_kind], as_of, partial(whole_list, live, list_params), LIST_COLUMNS,
                        export_notes(as_of, chosen, ("清单", list_title)), key="list_export", chosen=chosen)


# ---- one point: its record, inspections and problems ---------------------------------------------

RECORD_FIELDS = [
    ("点位类型", "point_type"), ("区县", "district"), ("街道/乡镇", "street"), ("社区", "community"),
    ("点位长", "point_chief"), ("包抓共建单位", "co_unit"), ("行业主管部门", "owner_department"),
    ("属地单位", "territorial_unit"), ("重点点位圈", "key_circle_name"), ("最近检查", "last_inspected_at"),
    ("最近检查类型", "last_inspection_type"), ("最近得分", "last_score"), ("距最近检查", "days_since_inspected"),
    ("在办问题", "count_open"), ("逾期问题", "count_overdue"), ("检查次数", "count_inspections"),
]


def show_field(name: str, record: dict) -> str:
    value = record.get(name)
    if name == "count_inspections":
        return f"{fmt.num(value)} 次（{fmt.num(record.get('count_failures'))} 次未达标）"
    if fmt.missing(value):
        return "—"
    if name == "last_inspected_at":
        return f"{pd.Timestamp(value):%Y-%m-%d %H:%M}"
    if name == "last_score":
        return f"{value:g} 分"
    if name == "days_since_inspected":
        return f"{int(value)} 天前"
    if name in ("count_open", "count_overdue"):
        return f"{int(value)} 个"
    return str(value)


st.subheader("点位档案")
point_key = st.text_input("点位编号或名称（点选上面排名或清单的一行，或直接输入）", key="point",
                          bind="query-params").strip()
if point_key:
    records = cached.query("point_record", point_key=point_key, **params)
    if records.empty:
        st.warning(f"找不到点位“{fmt.md(point_key)}”。请输入点位清单中的点位编号或完整的点位名称。")
    elif len(records) > 1:
        st.warning(f"有 {len(records)} 个点位名为“{fmt.md(point_key)}”，请输入点位编号："
                   + "、".join(fmt.md(f"{r.point_id}（{r.street or '—'}）") for r in records.itertuples()))
    else:
        record = records.iloc[0].to_dict()
        standing = points.standing_text(record)
        colour = {"up": "green", "not_up": "red"}.get(record["standing"], "gray")
        st.markdown(f"#### {fmt.md(record['point_name'])}（{fmt.md(record['point_id'])}）　:{colour}-background[{standing}]")
        cells = [f"**{label}**：{fmt.md(show_field(name, record))}" for label, name in RECORD_FIELDS]
        for col, chunk in zip(st.columns(4), (cells[0::4], cells[1::4], cells[2::4], cells[3::4])):
            col.markdown("  \n".join(chunk))
        if fmt.missing(record["lat"]):
            st.caption("该点位没有坐标，无法在地图上显示。")
        else:
            # No emoji icon: an intranet PC may have no font for it.
            st.page_link("pages/hotspots.py", label=f"在热点地图上查看“{record['point_name']}”及周边问题 →",
                         query_params={"place": record["place_key"], "as_of": as_of.isoformat()})
        history = cached.query("point_inspections", as_of=as_of, pass_score=settings.pass_score,
                           point_id=record["point_id"])
        st.markdown(f"**检查记录（{len(history)} 次，最新的在前）**")
        if history.empty:
            st.info(f"截至 {fmt.cn_date(as_of)}，这个点位还没有检查记录。")
        else:
            st.dataframe(
                history.assign(result=[("达标" if p else "未达标") + ("（按得分）" if s else "")
                                       for p, s in zip(history["is_passed"], history["is_passed_by_score"])]),
                hide_index=True,
                placeholder="—",
                column_order=["inspected_at", "inspection_type", "round_name", "score", "result", "count_problems",
                              "inspector", "inspection_id"],
                column_config={
                    "inspected_at": st.column_config.DatetimeColumn("检查时间", format=fmt.DATETIME_FORMAT),
                    "inspection_type": "检查类型", "round_name": "轮次",
                    "score": st.column_config.NumberColumn("得分", format="%.1f"),
                    "result": "是否达标",
                    "count_problems": st.column_config.NumberColumn("发现问题数", format="%d"),
                    "inspector": "检查人/组", "inspection_id": "检查编号",
                },
            )
        problems = cached.query("place_problems", as_of=as_of, due_soon_days=settings.due_soon_days,
                            filters=filters.NO_FILTERS, cell_deg=1.0, place_key=record["place_key"])
        st.markdown(f"**该点位的问题（{len(problems)} 个，在办的在前）**")
        if problems.empty:
            st.info(f"截至 {fmt.cn_date(as_of)}，这个点位没有发现问题。")
        else:
            widgets.place_problem_table(problems)


# ---- inspection rounds, each against the one before of the same type -----------------------------

def choose_selected_round(labels: list[str]) -> None:
    rows = st.session_state["rounds_table"].selection.rows
    if rows:
        st.session_state["round"] = labels[rows[0]]


st.subheader("检查轮次对比")
rounds = cached.query("inspection_rounds", as_of=as_of, pass_score=settings.pass_score, point_filters=chosen)
if rounds.empty:
    st.info(f"截至 {fmt.cn_date(as_of)}，筛选的点位还没有检查记录。")
    st.stop()

st.caption("每轮（暗访、督查、模拟测评等，按轮次名称区分）与同类检查的上一轮相比。一个点位在一轮中检查多次的，"
           "按该轮最后一次计。“发现问题”为该轮期间同类来源在这些点位发现的问题。点选一行，下方列出该轮按点位类型的"
           "变化和发现最多的问题类别。")
shown_rounds = rounds.assign(
    dates=[fmt.short_date(a) if a == b else f"{fmt.short_date(a)} 至 {fmt.short_date(b)}"
           for a, b in zip(rounds["first_on"], rounds["last_on"])],
    pass_change=rounds["pass_rate_change"] * 100,
)
round_labels = rounds["round_label"].tolist()
widgets.table(
    st,
    shown_rounds,
    hide_index=True,
    placeholder="—",
    height=min(36 * (len(shown_rounds) + 1) + 4, 420),
    column_order=["round_label", "inspection_type", "dates", "count_points", "pass_rate", "pass_change", "mean_score",
                  "mean_score_change", "count_problems", "previous_round_label"],
    column_config={
        "round_label": "轮次", "inspection_type": "检查类型", "dates": "检查日期",
        "count_points": st.column_config.NumberColumn("检查点位", format="%d"),
        "pass_rate": widgets.rate_column("达标率", bar=True),
        "pass_change": st.column_config.NumberColumn("达标率较上轮（百分点）", format="%+.1f"),
        "mean_score": st.column_config.NumberColumn("平均分", format="%.1f"),
        "mean_score_change": st.column_config.NumberColumn("平均分较上轮", format="%+.1f"),
        "count_problems": st.column_config.NumberColumn("发现问题", format="%d"),
        "previous_round_label": "上一轮",
    },
    key="rounds_table",
    on_select=partial(choose_selected_round, round_labels),
    selection_mode="single-row",
)
widgets.download_buttons("检查轮次对比", as_of, lambda: shown_rounds,
                    {"round_label": "轮次", "inspection_type": "检查类型", "first_on": "开始日期", "last_on": "结束日期",
                     "count_points": "检查点位", "count_passed": "达标点位", "pass_rate": "达标率", "mean_score": "平均分",
                     "count_problems": "发现问题", "previous_round_label": "上一轮", "previous_pass_rate": "上一轮达标率",
                     "previous_mean_score": "上一轮平均分", "pass_rate_change": "达标率变化",
                     "mean_score_change": "平均分变化"},
                    export_notes(as_of, chosen, ("对比口径", "与同类检查的上一轮相比")), key="rounds_export",
                    chosen=chosen)

round_choice = st.selectbox("查看哪一轮", round_labels, index=0, key="round", bind="query-params")
picked = rounds[rounds["round_label"] == round_choice].iloc[0]
round_params = {"as_of": as_of, "point_filters": chosen, "inspection_type": picked["inspection_type"],
                "round_name": picked["round_name"]}
before = "（没有同类的上一轮）" if fmt.missing(picked["previous_round_label"]) else f"与{picked['previous_round_label']}相比"
left, right = st.columns([3, 2])
by_type = cached.query("round_point_types", pass_score=settings.pass_score, **round_params)
worse = by_type[by_type["is_worse"]]["point_type"].tolist()
left.markdown(f"**{fmt.md(round_choice)}按点位类型{fmt.md(before)}**")
if worse:
    left.markdown(":red[变差的点位类型：" + "、".join(map(fmt.md, worse)) + "]")
elif not fmt.missing(picked["previous_round_label"]):
    left.markdown(":green[没有变差的点位类型。]")
widgets.table(
    left,
    by_type.assign(pass_change=by_type["pass_rate_change"] * 100,
                   worse=by_type["is_worse"].map({True: "变差", False: ""})),
    hide_index=True,
    placeholder="—",
    column_order=["point_type", "worse", "count_points", "pass_rate", "previous_pass_rate", "pass_change",
                  "mean_score", "previous_mean_score", "mean_score_change"],
    column_config={
        "point_type": "点位类型", "worse": "较上一轮",
        "count_points": st.column_config.NumberColumn("检查点位", format="%d"),
        "pass_rate": widgets.rate_column("达标率"),
        "previous_pass_rate": widgets.rate_column("上一轮"),
        "pass_change": st.column_config.NumberColumn("变化（百分点）", format="%+.1f"),
        "mean_score": st.column_config.NumberColumn("平均分", format="%.1f"),
        "previous_mean_score": st.column_config.NumberColumn("上一轮", format="%.1f"),
        "mean_score_change": st.column_config.NumberColumn("变化", format="%+.1f"),
    },
)
categories = cached.query("round_categories", **round_params)
right.markdown(f"**{fmt.md(round_choice)}发现最多的问题类别**")
if categories.empty:
    right.info("这一轮没有记录到同类来源的问题。")
else:
    right.dataframe(
        categories,
        hide_index=True,
        placeholder="—",
        column_config={
            "category": "问题类别",
            "count_found": st.column_config.NumberColumn("本轮", format="%d"),
            "previous_count_found": st.column_config.NumberColumn("上一轮", format="%d"),
            "count_change": st.column_config.NumberColumn("变化", format="%+d"),
        },
    )

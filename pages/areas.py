"""片区与网格: whose area is behind. Every area (片区) of the 责任体系 with its leader (包抓领导), departments
and figures, a 未划片区 row so the table adds up to the city, and the grids with their 网格长.

?area=<片区> or ?leader=<包抓领导> opens one area alone ("my area", printable); ?screen=big shows the
片区 board of the wall.
"""

import html
from datetime import datetime
from functools import partial

import streamlit as st

from cockpit.draw import charts
from cockpit.ingest import responsibility
from cockpit.outputs import area_export, exports
from cockpit.vocab import filters, ranking
from cockpit.web import cached, fmt, screen, wallmode, widgets

TREND_WEEKS = 8
settings = cached.settings()
as_of = cached.as_of()
params = {"as_of": as_of, "due_soon_days": settings.due_soon_days}
UNASSIGNED = responsibility.UNASSIGNED

widgets.heading("片区与网格")
if not widgets.has_problems(as_of, settings):
    st.stop()

areas = cached.query("area_table", pass_score=settings.pass_score, **params)
weeks = cached.query("unit_ranking", weeks=ranking.STREAK_WEEKS, rules={**settings.ranking_rules, "place_pools": True},
                 **params)
area_weeks = weeks[weeks["pool"] == "area"]
ranks = (area_weeks[area_weeks["weeks_back"] == 0]
         [["unit_name", "rank", "rank_change", "score", "black_weeks", "is_red", "is_black", "is_sample_enough"]]
         .rename(columns={"unit_name": "area"}))
table = areas.merge(ranks, on="area", how="left")
has_areas = bool((~table["is_unassigned"]).any())
NO_AREAS = ("还没有导入责任体系（包抓责任表）：所有问题都计入“未划片区”。在“数据导入”页导入含“片区、包抓领导、包抓部门、"
            "街道、社区、网格、网格长”等列的表格后，本页按片区列出。")


def rank_text(row) -> str:
    if row.is_unassigned:
        return "不参加排名"
    if fmt.missing(row.rank):
        return "样本不足" if row.count_found else "无问题"
    return f"第 {int(row.rank)} 名"


def mark_text(row, short: bool = False) -> str:
    if row.is_unassigned or fmt.missing(row.rank):
        return ""
    if row.is_black:
        if row.black_weeks <= 1:
            return "黑榜"
        return f"黑榜 {int(row.black_weeks)} 周" if short else f"黑榜（{ranking.streak_text(row.black_weeks)}）"
    return "红榜" if row.is_red else ""


# ---- the wall: areas by overdue, each with its leader ---------------------------------------------

def wall(table) -> None:
    """The wall: areas by overdue, each with its leader; the black-listed areas and 未划片区 beside."""
    C = screen.Column
    assigned = table[~table["is_unassigned"]].sort_values(["count_overdue", "count_open"], ascending=False)
    rows = [[r.area, r.leader or "—", fmt.num(r.count_overdue), fmt.num(r.count_open), fmt.pct(r.closure_rate),
             fmt.num(r.count_failing_points), rank_text(r), ranking.rank_change_text(r.rank_change), mark_text(r, short=True)]
            for r in assigned.itertuples()]
    left, right = st.columns([3, 1])
    with left:
        wallmode.wall_board("片区逾期问题（多的在前）",
                      [C("片区", 14), C("包抓领导", 11), C("逾期", 8, "right", "alarm"), C("在办", 8, "right"),
                       C("销号率", 10, "right"), C("未达标点位", 12, "right"), C("名次", 10, "right"),
                       C("较上周", 9, "right"), C("红黑榜", 18)],
                      rows, visible=13, empty=NO_AREAS)
    black = assigned[assigned["is_black"].fillna(False).astype(bool)]
    unassigned = table[table["is_unassigned"]]
    lines = "".join(f"<b>{html.escape(r.area)}</b>　{html.escape(r.leader or '—')}"
                    f"{'　' + html.escape(ranking.streak_text(r.black_weeks)) if r.black_weeks > 1 else ''}<br>"
                    for r in black.itertuples())
    rest = (f"在办 {fmt.num(unassigned['count_open'].iloc[0])}，逾期 {fmt.num(unassigned['count_overdue'].iloc[0])}"
            if len(unassigned) else "所有问题都已划入片区")
    right.html(f"<div class='wall-title'>黑榜片区与包抓领导</div><div class='wall-lines'>{lines or '本周无'}</div>"
               f"<div class='wall-title'>{UNASSIGNED}</div><div class='wall-lines'>{html.escape(rest)}</div>")


if wallmode.big_screen():
    wall(table)
    wallmode.wall_done()


# ---- one area alone: "my area", printable -----------------------------------------------------

def chosen_area(table) -> str | None:
    area, leader = st.query_params.get("area"), st.query_params.get("leader")
    if area:
        if area not in set(table["area"]):
            st.warning(f"没有名为“{fmt.md(area)}”的片区。下表列出全部片区。")
            return None
        return area
    if leader:
        theirs = table[table["leader"] == leader]
        if theirs.empty:
            st.warning(f"责任体系中没有包抓领导“{fmt.md(leader)}”。下表列出全部片区。")
            return None
        if len(theirs) > 1:
            st.caption(f"{fmt.md(leader)} 包抓 {len(theirs)} 个片区：{fmt.md('、'.join(theirs['area']))}；先显示第一个。")
        return theirs["area"].iloc[0]
    return None


def area_record(area: str, table, area_weeks, as_of, settings) -> None:
    row = next(table[table["area"] == area].itertuples())
    params = {"as_of": as_of, "due_soon_days": settings.due_soon_days}
    st.subheader(f"{fmt.md(area)}　截至 {fmt.cn_date(as_of)}")
    if not row.is_unassigned:
        st.markdown(f"**包抓领导**：{fmt.md(row.leader or '未填写')}　**包抓部门**：{fmt.md(row.departments or '未填写')}"
                    f"　（{fmt.num(row.count_streets)} 个街道/乡镇的全部或部分）")
    change = None if fmt.missing(row.rank_change) or not row.rank_change else f"{int(row.rank_change):+d} 名"
    first, second = st.columns(4), st.columns(4)
    first[0].metric("片区排名", rank_text(row), change, border=True, help="与上周相比，正数为前进")
    first[1].metric("在办", fmt.num(row.count_open), border=True)
    first[2].metric("逾期", fmt.num(row.count_overdue), border=True)
    first[3].metric("销号率", fmt.pct(row.closure_rate), border=True)
    second[0].metric("按期整改率", fmt.pct(row.on_time_rate), border=True)
    second[1].metric("未达标点位", fmt.num(row.count_failing_points), border=True)
    second[2].metric("网格巡查发现的问题", fmt.num(row.count_grid_patrol), border=True)
    second[3].metric("连续黑榜", "—" if fmt.missing(row.black_weeks) or not row.black_weeks
                     else f"{int(row.black_weeks)} 周", border=True)
    if not fmt.missing(row.black_weeks) and row.black_weeks:
        st.markdown(f"#### :red[已连续 {int(row.black_weeks)} 周列入片区黑榜]")

    overdue = cached.query("area_overdue", area=area, **params)
    st.markdown(f"**逾期问题（{fmt.num(len(overdue))} 个，逾期最久的在前）**")
    if overdue.empty:
        st.caption("没有逾期问题。")
    else:
        widgets.problem_table(overdue, ["days_overdue", "problem_id", "unit_name", "street", "community", "place",
                                   "category", "description", "due_on"],
                         more_columns={"community": "社区/村"})
    failing = cached.query("area_points", area=area, pass_score=settings.pass_score, **params)
    st.markdown(f"**未达标点位（{fmt.num(len(failing))} 个）**")
    if failing.empty:
        st.caption("没有未达标的点位（从未检查的点位不计）。")
    else:
        st.dataframe(failing, hide_index=True, placeholder="—",
                     column_order=["point_name", "point_type", "street", "community", "last_score", "count_overdue",
                                   "count_open", "point_chief", "owner_department", "territorial_unit", "co_unit"],
                     column_config={"point_name": "点位", "point_type": "点位类型", "street": "街道/乡镇",
                                    "community": "社区/村",
                                    "last_score": st.column_config.NumberColumn("最近得分", format="%.1f"),
                                    "count_overdue": st.column_config.NumberColumn("逾期", format="%d"),
                                    "count_open": st.column_config.NumberColumn("在办", format="%d"),
                                    "point_chief": "点位长", "owner_department": "行业主管部门",
                                    "territorial_unit": "属地管理单位", "co_unit": "包抓共建单位"})
    left, right = st.columns([3, 2])
    with left:
        places = cached.query("area_places", area=area, **params)
        st.markdown(f"**所辖街道、社区（{fmt.num(len(places))} 处）**")
        widgets.table(st, places.assign(community=places["community"].fillna("（整个街道）")), hide_index=True,
                      placeholder="—", column_order=["street", "community", "count_open", "count_overdue",
                                                     "closure_rate", "count_found"],
                      column_config={"street": "街道/乡镇", "community": "社区/村",
                                     "count_open": st.column_config.NumberColumn("在办", format="%d"),
                                     "count_overdue": st.column_config.NumberColumn("逾期", format="%d"),
                                     "closure_rate": widgets.rate_column("销号率"),
                                     "count_found": st.column_config.NumberColumn("问题数", format="%d")})
    with right:
        history = area_weeks[(area_weeks["unit_name"] == area) & (area_weeks["weeks_back"] < TREND_WEEKS)]
        history = history.sort_values("weeks_back", ascending=False)
        if history.empty:
            st.caption(f"近 {TREND_WEEKS} 周走势：{'未划片区不参加排名。' if row.is_unassigned else '还没有排名。'}")
        else:
            if history["rank"].notna().any():
                widgets.chart(st, charts.rank_trend(history, area))
            st.dataframe(history.assign(week=history["week_as_of"].map(fmt.short_date)), hide_index=True,
                         placeholder="—", column_order=["week", "rank", "score", "count_open", "count_overdue"],
                         column_config={"week": "统计日", "rank": st.column_config.NumberColumn("名次", format="%d"),
                                        "score": st.column_config.NumberColumn("得分", format="%.1f"),
                                        "count_open": st.column_config.NumberColumn("在办", format="%d"),
                                        "count_overdue": st.column_config.NumberColumn("逾期", format="%d")})
    area_grids = grids(area, params)
    notes = [*widgets.export_notes(as_of, filters.NO_FILTERS)[:2], ("片区", area)]
    if not row.is_unassigned:
        notes += [("包抓领导", row.leader or "未填写"), ("包抓部门", row.departments or "未填写")]
    notes += [("片区排名", rank_text(row)), ("在办", fmt.num(row.count_open)), ("逾期", fmt.num(row.count_overdue)),
              ("销号率", fmt.pct(row.closure_rate)), ("按期整改率", fmt.pct(row.on_time_rate)),
              ("未达标点位", fmt.num(row.count_failing_points)),
              ("导出时间", datetime.now().strftime("%Y-%m-%d %H:%M"))]
    st.download_button("导出本片区记录（Excel：逾期问题、未达标点位、街道社区、网格、说明）", on_click="ignore",
                       data=partial(area_export.area_record_xlsx, area, overdue, failing, places, area_grids, notes),
                       file_name=exports.file_name(f"{area}片区记录", as_of, "xlsx"), key="area_record",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def grids(area: str, params: dict):
    """The grids of an area ('' every area) with their 网格长, drawn; returned for the export."""
    found = cached.query("area_grids", area="" if area == UNASSIGNED else area, **params)
    if area == UNASSIGNED:
        return found.head(0)
    st.markdown(f"**网格（{fmt.num(len(found))} 个，逾期多的在前）**")
    if found.empty:
        st.caption("责任体系中没有列出网格。")
        return found
    if not found["count_found"].any():
        st.caption("问题台账中没有这些网格的问题（导出的“网格”列为空，或网格名称与责任体系不一致）。")
    st.dataframe(found, hide_index=True, placeholder="—",
                 column_order=(["area"] if not area else []) + ["street", "community", "grid", "grid_chief",
                                                                "building_chief", "count_open", "count_overdue",
                                                                "count_grid_patrol", "count_found"],
                 column_config={"area": "片区", "street": "街道/乡镇", "community": "社区/村", "grid": "网格",
                                "grid_chief": "网格长", "building_chief": "楼院长",
                                "count_open": st.column_config.NumberColumn("在办", format="%d"),
                                "count_overdue": st.column_config.NumberColumn("逾期", format="%d"),
                                "count_grid_patrol": st.column_config.NumberColumn("网格巡查发现", format="%d"),
                                "count_found": st.column_config.NumberColumn("问题数", format="%d")},
                 height=min(36 * (len(found) + 1) + 4, 520))
    return found


area = chosen_area(table)
if area:
    st.html("<style>@media print { [data-testid='stSidebar'], header, [data-testid='stToolbar'] "
            "{ display: none !important; } }</style>")
    area_record(area, table, area_weeks, as_of, settings)
    st.caption("用浏览器的“打印”即可打印本片区的记录。去掉网址中的 area=（或 leader=）返回全部片区。")
    st.stop()


# ---- every area ---------------------------------------------------------------------------------

if not has_areas:
    st.info(NO_AREAS)
shown = table.assign(rank_shown=[rank_text(r) for r in table.itertuples()],
                     change=table["rank_change"].map(ranking.rank_change_text),
                     mark=[mark_text(r, short=True) for r in table.itertuples()],
                     link=[f"?as_of={as_of.isoformat()}&area={a}" for a in table["area"]])
widgets.table(
    st, shown, hide_index=True, placeholder="—", height=min(36 * (len(shown) + 1) + 4, 620),
    column_order=["area", "leader", "count_open", "count_overdue", "closure_rate", "on_time_rate",
                  "count_failing_points", "rank_shown", "change", "mark", "link", "departments", "count_found"],
    column_config={
        "area": "片区", "leader": "包抓领导", "departments": "包抓部门",
        "count_open": st.column_config.NumberColumn("在办", format="%d"),
        "count_overdue": st.column_config.NumberColumn("逾期", format="%d"),
        "closure_rate": widgets.rate_column("销号率"),
        "on_time_rate": widgets.rate_column("按期整改率"),
        "count_failing_points": st.column_config.NumberColumn("未达标点位", format="%d"),
        "rank_shown": "名次", "change": "较上周", "mark": st.column_config.TextColumn("红黑榜", width="small"),
        "count_found": st.column_config.NumberColumn("问题数", format="%d"),
        "link": st.column_config.LinkColumn("打开", display_text="查看本片区"),
    },
)
total = cached.one_row("area_totals", **params)
st.caption(f"合计（各片区加{UNASSIGNED}，即全市）：问题 {fmt.num(total['count_found'])} 个，在办 {fmt.num(total['count_open'])} 个，"
           f"逾期 {fmt.num(total['count_overdue'])} 个。问题属于所在社区划入的片区；社区未单独划入时，属于所在街道的片区。"
           "名次按单位排名的同一公式在片区之间计算（见“单位排名”的口径说明）。")
widgets.download_buttons("片区与网格", as_of, lambda: shown, {
    "area": "片区", "leader": "包抓领导", "departments": "包抓部门", "count_found": "问题数", "count_open": "在办",
    "count_overdue": "逾期", "closure_rate": "销号率", "on_time_rate": "按期整改率", "count_failing_points": "未达标点位",
    "rank_shown": "名次", "change": "较上周", "mark": "红黑榜"}, widgets.export_notes(as_of, filters.NO_FILTERS)[:2], key="areas")

leaders = [a for a in table["area"] if a != UNASSIGNED]
pick = st.selectbox("打开一个片区", leaders + [UNASSIGNED], index=None, placeholder="选择片区（或在网址中写 ?leader=姓名）")
if pick:
    st.query_params["area"] = pick
    st.rerun()

grids("", params)

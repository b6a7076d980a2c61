"""单位排名: the weekly ranking of streets, departments and districts, its lists, and why units moved.

?pool= picks the pool, ?who= a unit to explain, ?card= shows one unit's printable scorecard alone.
"""

import html
from datetime import datetime

import streamlit as st

from cockpit import bulletin, charts, db, exports, filters, ranking, scoring, screen, ui

TREND_WEEKS = 8
settings = ui.settings()
as_of = ui.as_of()
params = {"due_soon_days": settings.due_soon_days}

ui.heading("单位排名")
if not ui.has_problems(as_of, settings):
    st.stop()

weeks = ui.query("unit_ranking", as_of=as_of, weeks=ranking.STREAK_WEEKS, rules=settings.ranking_rules, **params)
now = weeks[weeks["weeks_back"] == 0]


def wall() -> None:
    """The wall: this week's red and black lists, and each pool's ranking as a rolling board."""
    C = screen.Column
    listed = now[now["pool"] != "district"]
    red, black = listed[listed["is_red"]], listed[listed["is_black"]]
    black_names = [f"{u}（{ranking.streak_text(w)}）" if w > 1 else u
                   for u, w in zip(black["unit_name"], black["black_weeks"])]
    st.html("<div class='wall-lists'>"
            f"<div class='red'><span>红榜</span>{html.escape('、'.join(red['unit_name']) or '本周无')}</div>"
            f"<div class='black'><span>黑榜</span>{html.escape('、'.join(black_names) or '本周无')}</div></div>")
    columns = [C("名次", 14, "right"), C("单位", 38), C("得分", 16, "right"), C("较上周", 16, "right"),
               C("逾期", 16, "right", "alarm")]
    for column, pool in zip(st.columns([5, 5, 4]), ranking.POOLS):
        table = now[now["pool"] == pool].sort_values(["rank", "unit_name"], na_position="last")
        rows = [["—" if ui.missing(r.rank) else str(int(r.rank)), r.unit_name,
                 "样本不足" if ui.missing(r.score) else f"{r.score:.1f}", ranking.rank_change_text(r.rank_change),
                 ui.num(r.count_overdue)] for r in table.itertuples()]
        with column:
            ui.wall_board(f"{ranking.POOLS[pool]}排名", columns, rows, visible=17, empty="没有交办问题的单位")


if ui.big_screen():
    wall()
    ui.wall_done()


def unit_rows(unit_name: str):
    """This unit's ranking rows, newest week first."""
    return weeks[(weeks["unit_name"] == unit_name) & (weeks["pool"] != "district")].sort_values("weeks_back")


# ---- one unit's scorecard, alone on the page for printing (约谈) ---------------------------------

def scorecard(unit_name: str) -> None:
    history = unit_rows(unit_name)
    if history.empty or history.iloc[0]["weeks_back"] != 0:
        st.warning(f"截至 {ui.cn_date(as_of)}，“{ui.md(unit_name)}”没有交办的问题，无法生成单位记分卡。")
        return
    row = history.iloc[0].to_dict()
    st.subheader(f"{ui.md(unit_name)} 整改情况记分卡（截至 {ui.cn_date(as_of)}）")
    pool_label = ranking.POOLS[row["pool"]]
    place = "样本不足，未排名" if ui.missing(row["rank"]) else f"第 {int(row['rank'])} 名"
    cols = st.columns(5)
    change = None if ui.missing(row["rank_change"]) or not row["rank_change"] else f"{int(row['rank_change']):+d} 名"
    cols[0].metric(f"{pool_label}排名", place, change, border=True, help="与上周相比，正数为前进")
    cols[1].metric("得分", "—" if ui.missing(row["score"]) else f"{row['score']:.1f}", border=True)
    cols[2].metric("问题数", ui.num(row["count_found"]), border=True)
    cols[3].metric("销号率", ui.pct(row["closure_rate"]), border=True)
    cols[4].metric("逾期", ui.num(row["count_overdue"]), border=True)
    if row["black_weeks"]:
        st.markdown(f"#### :red[已连续 {int(row['black_weeks'])} 周列入黑榜]")
    ui.chart(st, charts.rank_trend(history.head(TREND_WEEKS).sort_values("weeks_back", ascending=False),
                                   unit_name))
    overdue = ui.query("problem_list", as_of=as_of, filters=filters.NO_FILTERS, list_kind="overdue",
                       dimension="unit", group_name=unit_name, search="", stale_days=settings.stale_days,
                       limit=100, **params)
    st.markdown(f"**逾期问题（{ui.num(row['count_overdue'])} 个，逾期最久的在前）**")
    ui.problem_table(overdue[["days_overdue", "problem_id", "place", "category", "description", "due_on"]])
    places = ui.query("progress_breakdown", as_of=as_of, filters=filters.make(unit=[unit_name]),
                      dimension="place", **params).head(10)
    st.markdown("**问题最多的地点（逾期多的在前）**")
    st.dataframe(places, hide_index=True, placeholder="—", column_config=ui.breakdown_columns("地点"))


card = st.query_params.get("card")
if card:
    # Printed on paper: the navigation and the toolbar stay off the page.
    st.html("<style>@media print { [data-testid='stSidebar'], header, [data-testid='stToolbar'] "
            "{ display: none !important; } }</style>")
    scorecard(card)
    st.caption("用浏览器的“打印”即可打印本记分卡。去掉网址中的 card= 返回排名。")
    st.stop()


# ---- the ranking of one pool -------------------------------------------------------------------

# The page opens on the first pool that has units (a city whose units are all departments, or a
# platform that names no street, has no street ranking).
opening = next((p for p in ranking.POOLS if (now["pool"] == p).any()), "street")
pool = st.segmented_control("排名范围", list(ranking.POOLS), format_func=ranking.POOLS.get, default=opening,
                            key="pool", bind="query-params") or opening
table = now[now["pool"] == pool]
if table.empty:
    st.info(f"截至 {ui.cn_date(as_of)}，{ranking.POOLS[pool]}中没有交办问题的单位。{ranking.EMPTY_POOL_WHY[pool]}")
    st.stop()

red, black = table[table["is_red"]], table[table["is_black"]]
red_col, black_col = st.columns(2)
# Coloured text, not st.error: an error box on this page means something went wrong.
red_col.markdown("#### :green-background[红榜]　" + ("、".join(map(ui.md, red["unit_name"])) or "本周无"))
black_col.markdown("#### :red-background[黑榜]　" + ("、".join(
    f"{ui.md(u)}（{ranking.streak_text(w)}）" if w > 1 else ui.md(u)
    for u, w in zip(black["unit_name"], black["black_weeks"])) or "本周无"))

trend = (weeks[(weeks["pool"] == pool) & (weeks["weeks_back"] < TREND_WEEKS)]
         .sort_values("weeks_back", ascending=False)
         .groupby("unit_name", sort=False)["score"].agg(lambda s: [None if ui.missing(v) else v for v in s]))
shown = table.assign(
    change=table["rank_change"].map(ranking.rank_change_text),
    mark=table.apply(ranking.mark, axis=1),
    trend=table["unit_name"].map(trend),
)
st.dataframe(
    shown,
    hide_index=True,
    placeholder="—",
    height=min(36 * (len(shown) + 1) + 4, 760),
    column_order=["rank", "unit_name", "score", "change", "mark", "trend", "closure_rate", "on_time_rate",
                  "overdue_per_100", "rebound_rate", "inspection_score", "count_found", "count_open",
                  "count_overdue", "black_weeks"] + (["district"] if pool == "street" else []),
    column_config={
        "rank": st.column_config.NumberColumn("名次", format="%d"),
        "unit_name": "单位",
        "score": st.column_config.ProgressColumn("得分", min_value=0, max_value=100, format="%.1f"),
        "change": "较上周",
        "mark": "备注",
        "trend": st.column_config.LineChartColumn(f"近 {TREND_WEEKS} 周得分", y_min=0, y_max=100),
        "closure_rate": st.column_config.NumberColumn("销号率", format="percent"),
        "on_time_rate": st.column_config.NumberColumn("按期整改率", format="percent"),
        "overdue_per_100": st.column_config.NumberColumn("每百件逾期", format="%.1f"),
        "rebound_rate": st.column_config.NumberColumn("反弹率", format="percent"),
        "inspection_score": st.column_config.NumberColumn("点位测评均分", format="%.1f"),
        "count_found": st.column_config.NumberColumn("问题数", format="%d"),
        "count_open": st.column_config.NumberColumn("在办", format="%d"),
        "count_overdue": st.column_config.NumberColumn("逾期", format="%d"),
        "black_weeks": st.column_config.NumberColumn("连续黑榜周数", format="%d"),
        "district": "所属区县",
    },
)


# ---- the weekly bulletin (通报): built when a button is clicked, on its own thread ---------------

live = ui.reader_when_called()
summary = ui.one_row("progress_headline", as_of=as_of, filters=filters.NO_FILTERS, **params)
notes = [*ui.export_notes(as_of, filters.NO_FILTERS)[:2], ("排名规则", ranking.rules_text(settings).replace("- ", ""))]


def all_overdue():
    return db.run(live(), "problem_list", as_of=as_of, filters=filters.NO_FILTERS, list_kind="overdue", dimension="",
                  group_name="", search="", stale_days=settings.stale_days, limit=2_000_000, **params)


def bulletin_workbook() -> bytes:
    stamp = ("导出时间", datetime.now().strftime("%Y-%m-%d %H:%M"))
    return bulletin.bulletin_xlsx(settings.city_name, as_of, summary, now, all_overdue(), [*notes, stamp])


def bulletin_draft() -> bytes:
    said = scoring.scoring_sentences(db.run(live(), "points_at_risk", as_of=as_of, **params),
                                     db.run(live(), "task_lights", as_of=as_of))
    return bulletin.bulletin_docx(settings.city_name, as_of, summary, now, all_overdue(), said)


buttons = st.container(horizontal=True)
buttons.download_button("导出周通报（Excel：各组排名、红黑榜、逾期问题）", bulletin_workbook, on_click="ignore",
                        file_name=exports.file_name("创城问题整改周通报", as_of, "xlsx"),
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
buttons.download_button("导出周通报草稿（Word）", bulletin_draft, on_click="ignore",
                        file_name=exports.file_name("创城问题整改周通报草稿", as_of, "docx"),
                        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


# ---- why a unit moved --------------------------------------------------------------------------

st.subheader("为什么变化")
units = table["unit_name"].tolist() if pool != "district" else []
if not units:
    st.caption("区县得分是所辖街道、乡镇得分的平均值；请在“街道乡镇”中查看各街道的变化。")
else:
    who = st.selectbox("选择单位", units, index=None, key="who", bind="query-params", placeholder="选择一个单位")
    if who:
        history = unit_rows(who)
        this_week = history.iloc[0].to_dict()
        last = history[history["weeks_back"] == 1]
        last_week = last.iloc[0].to_dict() if len(last) else None
        score_now = "—" if ui.missing(this_week["score"]) else f"{this_week['score']:.1f}"
        score_then = "—" if not last_week or ui.missing(last_week["score"]) else f"{last_week['score']:.1f}"
        st.markdown(f"**{ui.md(who)}**：本周得分 {score_now}（上周 {score_then}），"
                    f"名次 {ui.num(this_week['rank'])}（上周 {ui.num(last_week['rank'] if last_week else None)}）。")
        left, right = st.columns([3, 2])
        left.dataframe(
            ranking.explain(this_week, last_week),
            hide_index=True,
            placeholder="—",
            column_config={
                "component": "得分项",
                "value_now": "本周数值",
                "value_then": "上周数值",
                "points_now": st.column_config.NumberColumn("本周得分", format="%.1f"),
                "points_then": st.column_config.NumberColumn("上周得分", format="%.1f"),
                "points_change": st.column_config.NumberColumn("得分变化", format="%+.1f"),
            },
        )
        ui.chart(right, charts.rank_trend(history.head(TREND_WEEKS).sort_values("weeks_back", ascending=False), who))
        changes = ui.query("unit_changes", as_of=as_of, unit_name=who, **params)
        st.markdown(f"**本周变化背后的问题（{len(changes)} 项）**")
        ui.problem_table(changes, ["change_kind", "problem_id", "place", "category", "description", "due_on",
                                   "days_overdue", "closed_at"],
                         words={"change_kind": ranking.CHANGE_KINDS}, more_columns={"change_kind": "变化"})
        st.link_button("打开该单位的记分卡（可打印）", f"?as_of={as_of.isoformat()}&card={who}")


# ---- the formula, as settings have it ----------------------------------------------------------

st.subheader("口径说明")
st.markdown(ranking.rules_text(settings))

"""单位排名: the weekly ranking of streets, departments and districts, its lists, and why units moved.

?pool= picks the pool, ?who= a unit to explain, ?card= shows one unit's printable scorecard alone.
"""

import html
from datetime import datetime
from functools import partial

import pandas as pd
import streamlit as st

from cockpit.draw import charts
from cockpit.outputs import bulletin, exports, meeting_docs
from cockpit.store import readers
from cockpit.vocab import escalation, filters, ranking, scoring
from cockpit.web import access, cached, fmt, screen, staff_entry, wallmode, widgets

TREND_WEEKS = 8
# What a district's counts are in this ranking: the sums of its streets and townships.
DISTRICT_OVERDUE_LABEL = "街镇逾期"
settings = cached.settings()
as_of = cached.as_of()
params = {"due_soon_days": settings.due_soon_days}

widgets.heading("单位排名")
if not widgets.has_problems(as_of, settings):
    st.stop()

weeks = cached.query("unit_ranking", as_of=as_of, weeks=ranking.STREAK_WEEKS,
                 rules={**settings.ranking_rules, "place_pools": True}, **params)
now = weeks[weeks["weeks_back"] == 0]
POOLS = ranking.pools(settings.townships_apart, places=True)


def black_names(black: pd.DataFrame, quote=str) -> list[str]:
    """The black list's units, each with its streak when it is more than one week."""
    return [f"{quote(u)}（{ranking.streak_text(w)}）" if w > 1 else quote(u)
            for u, w in zip(black["unit_name"], black["black_weeks"])]


def wall(now: pd.DataFrame, pools: dict) -> None:
    """The wall: this week's red and black lists, and each pool's ranking as a rolling board."""
    C = screen.Column
    listed = now[now["pool"].isin(ranking.UNIT_POOLS)]
    red, black = listed[listed["is_red"]], listed[listed["is_black"]]
    st.html("<div class='wall-lists'>"
            f"<div class='red'><span>红榜</span>{html.escape('、'.join(red['unit_name']) or '本周无')}</div>"
            f"<div class='black'><span>黑榜</span>{html.escape('、'.join(black_names(black)) or '本周无')}</div></div>")
    # Three columns: streets, departments, then 乡镇 (when ranked apart; few) above the districts (three or so).
    stacks = [["street"], ["department"], ["township", "district"] if "township" in pools else ["district"]]
    for column, stack in zip(st.columns([5, 5, 4]), stacks):
        for pool in stack:
            # A district's figures here are its streets' and townships' own (the progress wall counts
            # every problem found in the district, departments' too): the labels say which.
            overdue_label, title = ((DISTRICT_OVERDUE_LABEL, f"{pools[pool]}排名（所辖街道乡镇合计）")
                                    if pool == "district" else ("逾期", f"{pools[pool]}排名"))
            columns = [C("名次", 13, "right"), C("单位", 30), C("得分", 18, "right"),
                       C("较上周", 17, "right", "change"), C(overdue_label, 22, "right", "alarm")]
            table = now[now["pool"] == pool].sort_values(["rank", "unit_name"], na_position="last")
            rows = [["—" if fmt.missing(r.rank) else str(int(r.rank)), r.unit_name,
                     "样本不足" if fmt.missing(r.score) else f"{r.score:.1f}", ranking.rank_change_text(r.rank_change),
                     fmt.num(r.count_overdue)] for r in table.itertuples()]
            visible = 17 if len(stack) == 1 else 7 if pool == "township" else 5
            with column:
                wallmode.wall_board(title, columns, rows, visible=visible, empty="没有交办问题的单位")


if wallmode.big_screen():
    wall(now, POOLS)
    wallmode.wall_done()


def unit_rows(weeks: pd.DataFrame, unit_name: str):
    """This unit's ranking rows, newest week first."""
    return weeks[(weeks["unit_name"] == unit_name) & (weeks["pool"] != "district")].sort_values("weeks_back")


# ---- one unit's scorecard, alone on the page for printing (约谈) ---------------------------------

def scorecard(unit_name: str, weeks: pd.DataFrame, as_of, settings) -> None:
    params = {"due_soon_days": settings.due_soon_days}
    history = unit_rows(weeks, unit_name)
    if history.empty or history.iloc[0]["weeks_back"] != 0:
        st.warning(f"截至 {fmt.cn_date(as_of)}，“{fmt.md(unit_name)}”没有交办的问题，无法生成单位记分卡。")
        return
    row = history.iloc[0].to_dict()
    st.subheader(f"{fmt.md(unit_name)} 整改情况记分卡（截至 {fmt.cn_date(as_of)}）")
    pool_label = ranking.pools(settings.townships_apart, places=True).get(
        row["pool"], ranking.POOL_LABELS.get(row["pool"], ""))
    place = "样本不足，未排名" if fmt.missing(row["rank"]) else f"第 {int(row['rank'])} 名"
    cols = st.columns(5)
    change = None if fmt.missing(row["rank_change"]) or not row["rank_change"] else f"{int(row['rank_change']):+d} 名"
    cols[0].metric(f"{pool_label}排名", place, change, border=True, help="与上周相比：绿色为名次好转（前进），红色为变差（后退）")
    cols[1].metric("得分", "—" if fmt.missing(row["score"]) else f"{row['score']:.1f}", border=True)
    cols[2].metric("问题数", fmt.num(row["count_found"]), border=True)
    cols[3].metric("销号率", fmt.pct(row["closure_rate"]), border=True)
    cols[4].metric("逾期", fmt.num(row["count_overdue"]), border=True)
    if row["black_weeks"]:
        st.markdown(f"#### :red[已连续 {int(row['black_weeks'])} 周列入黑榜]")
    unit_loop(unit_name, row["black_weeks"], as_of, settings)
    widgets.chart(st, charts.rank_trend(history.head(TREND_WEEKS).sort_values("weeks_back", ascending=False),
                                   unit_name))
    overdue = cached.query("problem_list", as_of=as_of, filters=filters.NO_FILTERS, list_kind="overdue",
                       dimension="unit", group_name=unit_name, search="", stale_days=settings.stale_days,
                       limit=100, **params)
    shown = min(len(overdue), int(row["count_overdue"] or 0))
    more = f"，列出逾期最久的 {shown} 个" if shown < (row["count_overdue"] or 0) else "，逾期最久的在前"
    st.markdown(f"**逾期问题（{fmt.num(row['count_overdue'])} 个{more}）**")
    # Plain HTML tables, not st.dataframe: a data grid prints only the rows scrolled into view.
    st.table(pd.DataFrame({
        "逾期天数": [fmt.num(v) for v in overdue["days_overdue"]], "问题编号": overdue["problem_id"],
        "地点": overdue["place"].fillna("—"), "问题类别": overdue["category"].fillna("—"),
        "问题描述": overdue["description"].fillna("—"), "整改时限": [fmt.short_date(v) for v in overdue["due_on"]],
    }), hide_index=True)
    places = cached.query("progress_breakdown", as_of=as_of, filters=filters.make(unit=[unit_name]),
                      dimension="place", **params).head(10)
    st.markdown("**问题最多的地点（逾期多的在前）**")
    st.table(pd.DataFrame({
        "地点": places["group_name"], "问题数": [fmt.num(v) for v in places["count_found"]],
        "已销号": [fmt.num(v) for v in places["count_closed"]], "销号率": [fmt.pct(v) for v in places["closure_rate"]],
        "在办": [fmt.num(v) for v in places["count_open"]], "逾期": [fmt.num(v) for v in places["count_overdue"]],
    }), hide_index=True)


def _day(value) -> str:
    return "—" if fmt.missing(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def unit_loop(unit_name: str, black_weeks, as_of, settings) -> None:
    """The meeting loop on the scorecard: the action the escalation setting gives the streak, the talks
    held with the unit, and its items of the meetings still unfinished."""
    action = escalation.action(black_weeks, settings.escalation_ladder)
    talks = cached.query("unit_talks", as_of=as_of)
    talks = talks[talks["unit_name"] == unit_name]
    if action:
        st.markdown(f"按黑榜升级规则：**{action}**")
    if not talks.empty:
        st.markdown(f"**约谈记录（{escalation.talks_text(len(talks))}）**")
        # Static tables, as the rest of the card: a data grid prints only the rows in view.
        st.table(pd.DataFrame({"约谈日期": [_day(v) for v in talks["talked_on"]],
                               "约谈人": talks["talked_by"].fillna("—").tolist(),
                               "约谈事由": talks["reason"].fillna("—").tolist()}), hide_index=True)
    items = cached.query("unit_items", as_of=as_of, unit_name=unit_name)
    if not items.empty:
        st.markdown(f"**调度会交办未完成（{fmt.num(len(items))} 项，其中逾期 {fmt.num(int(items['count_unit_overdue'].iloc[0]))} 项）**")
        st.table(pd.DataFrame({
            "会议日期": [_day(v) for v in items["meeting_on"]], "问题编号": items["problem_id"].fillna("—").tolist(),
            "地点": items["place"].fillna("—").tolist(), "交办问题（事项）": items["item_text"].fillna("—").tolist(),
            "办结时限": [_day(v) for v in items["due_on"]],
            "逾期天数": ["—" if fmt.missing(v) else fmt.num(v) for v in items["days_overdue"]]}), hide_index=True)
    user = access.current_user()
    if user and user.is_staff:
        talk_form(unit_name, user.name, as_of)
        assign_form(unit_name, user.name, as_of, settings)


def assign_form(unit_name: str, staff_name: str, as_of, settings) -> None:
    """Staff assign the unit's overdue problems at a scheduling meeting, as on 会议要点."""
    overdue = cached.query("problem_list", as_of=as_of, filters=filters.NO_FILTERS, list_kind="overdue", dimension="unit",
                       group_name=unit_name, search="", stale_days=settings.stale_days, limit=500,
                       due_soon_days=settings.due_soon_days)
    if overdue.empty:
        return
    labels = {r.problem_id: f"{r.problem_id}　{r.place or ''}　逾期 {int(r.days_overdue)} 天" for r in overdue.itertuples()}
    with st.expander("调度会交办本单位的逾期问题"), st.form("card_assign_form"):
        meeting_on, meeting_name, due_on = staff_entry.meeting_fields("card", as_of)
        picked = st.multiselect("交办的问题", list(labels), format_func=labels.get, key="card_problems",
                                placeholder="选择问题")
        if not st.form_submit_button("交办") or not picked:
            return
    rows = meeting_docs.new_items(meeting_on, meeting_name, due_on, [(p, unit_name) for p in picked], [])
    if staff_entry.save_rows("assignments", rows, f"{meeting_on:%Y-%m-%d} {meeting_name.strip() or '调度会'}交办 "
                             f"{unit_name} {len(rows)} 项", staff_name):
        st.rerun()


def talk_form(unit_name: str, staff_name: str, as_of) -> None:
    """Staff record a talk held with the unit (a staff write: logged, undone like an import)."""
    with st.expander("登记约谈"), st.form("talk_form"):
        c1, c2 = st.columns(2)
        talked_on = c1.date_input("约谈日期", value=as_of, key="talk_on", format=fmt.DATE_FORMAT)
        talked_by = c2.text_input("约谈人", value="分管领导", key="talk_by")
        reason = st.text_input("约谈事由", key="talk_reason", placeholder="如：连续两周列入黑榜")
        if not st.form_submit_button("保存约谈记录"):
            return
    talk = pd.DataFrame({"talked_on": [talked_on], "unit_name": [unit_name], "talked_by": [talked_by.strip() or None],
                         "reason": [reason.strip() or None]})
    if staff_entry.save_rows("talks", talk, f"约谈记录：{unit_name} {talked_on:%Y-%m-%d}", staff_name):
        st.rerun()


# On paper (A4 portrait): no navigation, toolbar or way back; the page grows to its full length
# (Streamlit's app frame scrolls inside a fixed-height box, which would print only the first
# screen); tables fit the width and rows do not split across pages.
CARD_PRINT_CSS = """<style>
@page { size: A4 portrait; margin: 12mm; }
/* the problem number and the deadline of the overdue table stay on one line */
[data-testid='stTable'] td:nth-child(2) p, [data-testid='stTable'] td:nth-child(6) p {
  white-space: nowrap !important; word-break: keep-all !important; overflow-wrap: normal !important; }
@media print {
  [data-testid='stSidebar'], [data-testid='stHeader'], header, [data-testid='stToolbar'],
  [data-testid='stDecoration'], [data-testid='stPageLink'], .card-hint { display: none !important; }
  html, body, .stApp, [data-testid='stAppViewContainer'], [data-testid='stMain'], section.main {
    height: auto !important; min-height: 0 !important; overflow: visible !important; position: static !important; }
  [data-testid='stMainBlockContainer'], .block-container { max-width: none !important; width: 100% !important;
    padding: 0 !important; }
  [data-testid='stTable'] table { width: 100% !important; table-layout: auto; font-size: 9pt; }
  [data-testid='stTable'] th, [data-testid='stTable'] td { white-space: normal !important; padding: 2px 4px !important; }
  [data-testid='stTable'] tr { break-inside: avoid; }
  [data-testid='stTable'] thead { display: table-header-group; }
}
</style>"""

card = st.query_params.get("card")
if card:
    st.html(CARD_PRINT_CSS)
    st.page_link("pages/rankings.py", label="← 返回单位排名", query_params={"as_of": as_of.isoformat(), "who": card})
    scorecard(card, weeks, as_of, settings)
    st.html("<p class='card-hint' style='color:#666;font-size:0.9rem'>用浏览器的“打印”（Ctrl+P）即可打印本记分卡，"
            "纸张 A4 纵向。</p>")
    st.stop()


# ---- the ranking of one pool -------------------------------------------------------------------

# The page opens on the first pool that has units (a city whose units are all departments, or a
# platform that names no street, has no street ranking).
opening = next((p for p in POOLS if (now["pool"] == p).any()), "street")
pool = st.segmented_control("排名范围", list(POOLS), format_func=POOLS.get, default=opening,
                            key="pool", bind="query-params") or opening
table = now[now["pool"] == pool]
if table.empty:
    st.info(f"截至 {fmt.cn_date(as_of)}，{POOLS.get(pool, pool)}中没有交办问题的单位。{ranking.EMPTY_POOL_WHY[pool]}")
    st.stop()

red, black = table[table["is_red"]], table[table["is_black"]]
red_col, black_col = st.columns(2)
# Coloured text, not st.error: an error box on this page means something went wrong.
red_col.markdown("#### :green-background[红榜]　" + ("、".join(map(fmt.md, red["unit_name"])) or "本周无"))
black_col.markdown("#### :red-background[黑榜]　" + ("、".join(black_names(black, fmt.md)) or "本周无"))

trend = (weeks[(weeks["pool"] == pool) & (weeks["weeks_back"] < TREND_WEEKS)]
         .sort_values("weeks_back", ascending=False)
         .groupby("unit_name", sort=False)["score"].agg(lambda s: [None if fmt.missing(v) else v for v in s]))
shown = table.assign(
    change=table["rank_change"].map(ranking.rank_change_text),
    mark=table.apply(ranking.mark, axis=1),
    trend=table["unit_name"].map(trend),
)
widgets.table(
    st,
    shown,
    hide_index=True,
    placeholder="—",
    height=min(36 * (len(shown) + 1) + 4, 760),
    column_order=["rank", "unit_name", "score", "change", "mark", "trend", "closure_rate", "on_time_rate",
                  "overdue_per_100", "rebound_rate", "inspection_score", "count_found", "count_open",
                  "count_overdue", "black_weeks"] + (["district"] if pool in ("street", "township") else []),
    column_config={
        "rank": st.column_config.NumberColumn("名次", format="%d"),
        "unit_name": "单位",
        "score": st.column_config.ProgressColumn("得分", min_value=0, max_value=100, format="%.1f"),
        "change": "较上周",
        "mark": "备注",
        # Each unit's own range: on a fixed 0-100 scale a few points' change is a flat line at the top.
        "trend": st.column_config.LineChartColumn(f"近 {TREND_WEEKS} 周得分走势", width="medium"),
        "closure_rate": widgets.rate_column("销号率"),
        "on_time_rate": widgets.rate_column("按期整改率"),
        "overdue_per_100": st.column_config.NumberColumn("每百件逾期", format="%.1f"),
        "rebound_rate": widgets.rate_column("反弹率"),
        "inspection_score": st.column_config.NumberColumn("点位测评均分", format="%.1f"),
        "count_found": st.column_config.NumberColumn("街镇问题数" if pool == "district" else "问题数", format="%d"),
        "count_open": st.column_config.NumberColumn("街镇在办" if pool == "district" else "在办", format="%d"),
        "count_overdue": st.column_config.NumberColumn(DISTRICT_OVERDUE_LABEL if pool == "district" else "逾期",
                                                       format="%d"),
        "black_weeks": st.column_config.NumberColumn("连续黑榜周数", format="%d"),
        "district": "所属区县",
    },
)


# ---- the weekly bulletin (通报): built when a button is clicked, on its own thread ---------------

live = cached.reader_when_called()
summary = cached.one_row("progress_headline", as_of=as_of, filters=filters.NO_FILTERS, **params)
# The 说明 sheet goes to district offices: one rule a row, and not the line on where settings live.
rules = [line.removeprefix("- ") for line in ranking.rules_text(settings).splitlines() if "settings" not in line]
notes = [*widgets.export_notes(as_of, filters.NO_FILTERS)[:2],
         *((("排名规则" if i == 0 else ""), line) for i, line in enumerate(rules))]


def all_overdue(con, as_of, settings) -> pd.DataFrame:
    return readers.run(con, "problem_list", as_of=as_of, filters=filters.NO_FILTERS, list_kind="overdue", dimension="",
                  group_name="", search="", stale_days=settings.stale_days, limit=2_000_000,
                  due_soon_days=settings.due_soon_days)


def bulletin_workbook(live, as_of, settings, summary: dict, now: pd.DataFrame, notes: list) -> bytes:
    """The bulletin workbook, built when its button is clicked, from the live database file."""
    stamp = ("导出时间", datetime.now().strftime("%Y-%m-%d %H:%M"))
    return bulletin.bulletin_xlsx(settings.city_name, as_of, summary, now, all_overdue(live(), as_of, settings),
                                  [*notes, stamp])


def bulletin_draft(live, as_of, settings, summary: dict, now: pd.DataFrame) -> bytes:
    """The bulletin draft, built when its button is clicked, from the live database file."""
    talks = readers.run(live(), "unit_talks", as_of=as_of)
    said = scoring.scoring_sentences(readers.run(live(), "points_at_risk", as_of=as_of,
                                                 due_soon_days=settings.due_soon_days),
                                     readers.run(live(), "task_lights", as_of=as_of))
    return bulletin.bulletin_docx(settings.city_name, as_of, summary, now, all_overdue(live(), as_of, settings),
                                  settings.escalation_ladder, dict(zip(talks["unit_name"], talks["count_unit_talks"])),
                                  scoring_sentences=said)


buttons = st.container(horizontal=True)
buttons.download_button("导出周通报（Excel：各组排名、红黑榜、逾期问题）",
                        partial(bulletin_workbook, live, as_of, settings, summary, now, notes), on_click="ignore",
                        file_name=exports.file_name("创城问题整改周通报", as_of, "xlsx"),
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
buttons.download_button("导出周通报草稿（Word）", partial(bulletin_draft, live, as_of, settings, summary, now),
                        on_click="ignore",
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
        history = unit_rows(weeks, who)
        this_week = history.iloc[0].to_dict()
        last = history[history["weeks_back"] == 1]
        last_week = last.iloc[0].to_dict() if len(last) else None
        score_now = "—" if fmt.missing(this_week["score"]) else f"{this_week['score']:.1f}"
        score_then = "—" if not last_week or fmt.missing(last_week["score"]) else f"{last_week['score']:.1f}"
        st.markdown(f"**{fmt.md(who)}**：本周得分 {score_now}（上周 {score_then}），"
                    f"名次 {fmt.num(this_week['rank'])}（上周 {fmt.num(last_week['rank'] if last_week else None)}）。")
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
        widgets.chart(right, charts.rank_trend(history.head(TREND_WEEKS).sort_values("weeks_back", ascending=False), who))
        changes = cached.query("unit_changes", as_of=as_of, unit_name=who, **params)
        if pool in ranking.PLACE_POOLS:  # unit_changes follows a 责任单位; a place's problems are on 片区与网格
            changes = changes.head(0)
        st.markdown(f"**本周变化背后的问题（{len(changes)} 项）**")
        widgets.problem_table(changes, ["change_kind", "problem_id", "place", "category", "description", "due_on",
                                   "days_overdue", "closed_at"],
                         words={"change_kind": ranking.CHANGE_KINDS}, more_columns={"change_kind": "变化"})
        st.link_button("打开该单位的记分卡（可打印）", f"?as_of={as_of.isoformat()}&card={who}")


# ---- the formula, as settings have it ----------------------------------------------------------

st.subheader("口径说明")
st.markdown(ranking.rules_text(settings))

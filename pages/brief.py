"""会议要点: what the scheduling meeting (调度会) opens with, built from the data on one screen.

The days left, how the last meeting's assignments (交办) stand, the worst overdue problems, the
units that fell most and those on the black list week after week, the problems no unit holds, and
what falls due this week. Staff assign problems and matters to units here (a staff write: logged,
undone like an import) and export the 交办单 and the summary for the minutes.
"""

import html

import pandas as pd
import streamlit as st

from cockpit.outputs import exports, meeting_docs
from cockpit.vocab import escalation, filters, ranking, scoring
from cockpit.web import access, cached, fmt, screen, staff_entry, wallmode, widgets

SHOWN = 6  # rows per list: the brief is one screen
ROLLING = 30  # on the wall the lists roll through this many rows in the same space
settings = cached.settings()
as_of = cached.as_of()
params = {"as_of": as_of, "due_soon_days": settings.due_soon_days}

widgets.heading("会议要点")
if not widgets.has_problems(as_of, settings):
    st.stop()

upcoming = cached.next_milestone(settings, as_of)
summary = cached.one_row("progress_headline", filters=filters.NO_FILTERS, **params)
list_params = {**params, "filters": filters.NO_FILTERS, "dimension": "", "group_name": "", "search": "",
               "stale_days": settings.stale_days, "limit": ROLLING if wallmode.big_screen() else SHOWN}
overdue = cached.query("problem_list", list_kind="overdue", **list_params)
no_unit = cached.query("problem_list", list_kind="no_unit", **list_params)
due_week = cached.query("due_this_week", **params)
weeks = cached.query("unit_ranking", weeks=ranking.STREAK_WEEKS, rules={**settings.ranking_rules, "place_pools": True},
                 **params)
this_week = weeks[(weeks["weeks_back"] == 0) & weeks["pool"].isin(ranking.UNIT_POOLS)]

tiles = [(f"距{upcoming['name']}", f"{int(upcoming['days_left'])} 天") if upcoming is not None
         else ("测评日程", "已全部完成"),
         ("逾期问题", fmt.num(summary["count_overdue"])), ("本周到期（未销号）", fmt.num(len(due_week))),
         ("无责任单位的问题", fmt.num(no_unit["count_in_list"].iloc[0] if len(no_unit) else 0))]
for col, (label, value) in zip(st.columns(4), tiles):
    widgets.metric(col, label, value, None, border=True)
fell = this_week[this_week["rank_change"] < 0].sort_values(["rank_change", "rank"]).head(5)
streaks = this_week[this_week["black_weeks"] >= 2].sort_values("black_weeks", ascending=False).head(5)
fell_lines = [(r.unit_name, f"第 {int(r.rank)} 名，下降 {-int(r.rank_change)} 名") for r in fell.itertuples()]
streak_lines = [(r.unit_name, "，".join(filter(None, [ranking.streak_text(r.black_weeks),
                                                     escalation.action(r.black_weeks, settings.escalation_ladder)])))
                for r in streaks.itertuples()]

# The last scheduling meeting before this day: the brief opens with how its items stand.
meetings = cached.query("meeting_list", as_of=as_of)
earlier = meetings[pd.to_datetime(meetings["meeting_on"]).dt.date < as_of]
last_meeting = earlier.iloc[0] if len(earlier) else None
if last_meeting is not None:
    meeting_key = {"meeting_on": pd.Timestamp(last_meeting["meeting_on"]).date(),
                   "meeting_name": last_meeting["meeting_name"]}
    last_units = cached.query("meeting_units", as_of=as_of, **meeting_key)
    last_items = cached.query("meeting_items", as_of=as_of, **meeting_key)
    last_title = (f"上次调度会交办落实情况（{fmt.cn_date(meeting_key['meeting_on'])}"
                  f"{' ' + meeting_key['meeting_name'] if meeting_key['meeting_name'] else ''}）")
    followup_lines = [(r.unit_name, f"完成 {int(r.count_done)}/{int(r.count_items)}，逾期 {int(r.count_overdue)}")
                      for r in last_units[~last_units["is_total"]].itertuples()]
# Areas (片区): the leaders name people, not only places.
areas_now = weeks[(weeks["weeks_back"] == 0) & (weeks["pool"] == "area")]
leader_of = dict(cached.query("area_leaders")[["area", "leader"]].itertuples(index=False))
area_fell = areas_now[areas_now["rank_change"] < 0].sort_values(["rank_change", "rank"]).head(3)
area_black = areas_now[areas_now["is_black"]].sort_values(["black_weeks", "rank"], ascending=[False, False])
area_lines = ([(r.unit_name, f"第 {int(r.rank)} 名，下降 {-int(r.rank_change)} 名") for r in area_fell.itertuples()],
              [(f"{r.unit_name}　{leader_of.get(r.unit_name) or '（未填包抓领导）'}",
                "黑榜" + (f"，{ranking.streak_text(r.black_weeks)}" if r.black_weeks > 1 else ""))
               for r in area_black.itertuples()])


# The assessment's scoring, where an indicator list or key tasks were imported (cockpit/vocab/scoring.py).
at_risk = cached.query("points_at_risk", **params)
task_lights = cached.query("task_lights", as_of=as_of)
losing = scoring.losing_lines(at_risk)
red_tasks = scoring.red_task_lines(task_lights)


def wall_lines(title: str, rows: list[tuple[str, str]], empty: str) -> str:
    """A titled block of name-and-text lines for the wall, one line each (cut with an ellipsis)."""
    body = "".join(f"<div class='wall-line'><b>{html.escape(name)}</b>　{html.escape(text)}</div>"
                   for name, text in rows)
    return f"<div class='wall-title'>{html.escape(title)}</div><div class='wall-lines'>{body or html.escape(empty)}</div>"


def followup_block(meeting, lines: list[tuple[str, str]]) -> str:
    """How the last meeting's items stand, in the wall's words."""
    if meeting is None:
        return wall_lines("上次调度会交办", [], "还没有调度会交办记录。")
    tally = (f"交办 {int(meeting['count_items'])} 项", f"完成 {int(meeting['count_done'])}，逾期 {int(meeting['count_overdue'])}")
    return wall_lines(f"上次调度会（{fmt.month_day(meeting['meeting_on'])}）", [tally, *lines[:2]], "")


def scoring_wall_lines(at_risk: pd.DataFrame, task_lights: pd.DataFrame) -> str:
    """The indicators losing most and the red key tasks, short enough for one line each."""
    losing_rows = [(screen.clip(f"{r.indicator_code} {r.indicator_name}", 14), f"预计失分 {r.points_at_risk:.1f}")
                   for r in at_risk[at_risk["points_at_risk"] > 0].head(3).itertuples()]
    red = task_lights[task_lights["light"] == "red"]
    red_rows = [(screen.clip(r.task_name, 12), r.lead_unit or "牵头单位未填") for r in red.head(3).itertuples()]
    return (wall_lines("失分最多的指标", losing_rows, "目前没有预计失分。")
            + wall_lines(f"亮红灯的重点任务（{len(red)} 项）", red_rows, "重点任务均未亮红灯。"))


def wall() -> None:
    """The brief on the wall: the overdue and due boards on the left; the meeting's follow-up, the
    units and areas that fell or stay black, and what loses points, as lines on the right."""
    C = screen.Column
    left, middle, right = st.columns([11, 6, 6])
    with left:
        wallmode.wall_board("逾期最久的问题", [C("逾期天数", 12, "right", "alarm"), C("责任单位", 20), C("地点", 24),
                                         C("问题描述", 44)],
                            [[fmt.num(r.days_overdue), r.unit_name or "（无）", r.place, screen.clip(r.description, 24)]
                             for r in overdue.itertuples()], visible=8, empty="没有逾期问题。")
        wallmode.wall_board(f"本周到期（{fmt.num(len(due_week))} 个）",
                            [C("整改时限", 12, "right"), C("责任单位", 20), C("地点", 24), C("问题描述", 44)],
                            [[fmt.month_day(r.due_on), r.unit_name or "（无）", r.place, screen.clip(r.description, 24)]
                             for r in due_week.head(ROLLING).itertuples()], visible=6, empty="本周没有到期的问题。")
    middle.html(followup_block(last_meeting, followup_lines if last_meeting is not None else [])
                + wall_lines("名次下降最多的单位", fell_lines[:3], "本周没有单位名次下降。")
                + wall_lines("连续列入黑榜", streak_lines[:3], "没有连续两周及以上列入黑榜的单位。"))
    area_block = wall_lines("黑榜片区与包抓领导", area_lines[1][:3], "本周没有片区列入黑榜。") if not areas_now.empty else ""
    right.html(area_block + scoring_wall_lines(at_risk, task_lights))


if wallmode.big_screen():
    wall()
    wallmode.wall_done()

ITEM_TABLE = {"unit_name": "责任单位", "state_text": "落实情况",
              "due_on": st.column_config.DateColumn("办结时限", format=fmt.DATE_FORMAT), "problem_id": "问题编号",
              "place": "地点", "item_text": "交办问题（事项）"}
UNIT_TABLE = {"unit_name": "单位", "count_items": "交办", "count_done": "已完成", "count_overdue": "逾期",
              "count_unfinished": "未完成", "done_rate": widgets.rate_column("完成率")}

if last_meeting is not None:
    st.subheader(fmt.md(last_title))  # the meeting's name is typed by staff or imported
    cols = st.columns(4)
    for col, (label, value) in zip(cols, [("交办", fmt.num(last_meeting["count_items"])),
                                          ("已完成", fmt.num(last_meeting["count_done"])),
                                          ("逾期未完成", fmt.num(last_meeting["count_overdue"])),
                                          ("完成率", fmt.pct(last_meeting["done_rate"]))]):
        widgets.metric(col, label, value, None, border=True)
    left, right = st.columns([2, 3])
    with left:
        widgets.table(st, last_units, UNIT_TABLE, hide_index=True, column_order=list(UNIT_TABLE),
                      key="last_meeting_units")
    with right:
        unfinished = meeting_docs.with_state(last_items[~last_items["is_done"]])
        if unfinished.empty:
            st.caption("上次会议交办的问题和事项已全部完成。")
        else:
            st.markdown(f"**未完成的 {len(unfinished)} 项**")
            st.dataframe(unfinished, hide_index=True, column_order=list(ITEM_TABLE), column_config=ITEM_TABLE,
                         placeholder="—", key="last_meeting_unfinished")

left, right = st.columns([3, 2])
with left:
    st.subheader("逾期最久的问题")
    widgets.problem_table(overdue, ["days_overdue", "unit_name", "place", "description"])
with right:
    st.subheader("名次下降最多的单位")
    if not fell_lines:
        st.caption("本周没有单位名次下降。")
    else:
        st.markdown("  \n".join(f"**{fmt.md(name)}**　{text}" for name, text in fell_lines))
    st.subheader("连续列入黑榜")
    if not streak_lines:
        st.caption("没有连续两周及以上列入黑榜的单位。")
    else:
        st.markdown("  \n".join(f"**{fmt.md(name)}**　{text}" for name, text in streak_lines))
    if not areas_now.empty:
        st.subheader("片区")
        st.markdown("**名次下降最多的片区**  \n" + ("  \n".join(f"**{fmt.md(n)}**　{t}" for n, t in area_lines[0])
                                                  or "本周没有片区名次下降。"))
        st.markdown("**黑榜片区的包抓领导**  \n" + ("  \n".join(f"**{fmt.md(n)}**　{t}" for n, t in area_lines[1])
                                                  or "本周没有片区列入黑榜。"))

left, right = st.columns(2)
with left:
    st.subheader(f"本周到期（{fmt.num(len(due_week))} 个）")
    widgets.problem_table(due_week.head(SHOWN), ["due_on", "unit_name", "place", "description"])
with right:
    st.subheader("没有责任单位的问题")
    if no_unit.empty:
        st.caption("所有在办问题都有责任单位。")
    else:
        widgets.problem_table(no_unit, ["found_at", "place", "category", "description"])

if losing or red_tasks:
    left, right = st.columns(2)
    left.subheader("失分最多的指标")
    left.markdown("  \n".join(f"**{fmt.md(name)}**　{text}" for name, text in losing) or "目前没有预计失分。")
    right.subheader(f"亮红灯的重点任务（{len(red_tasks)} 项）")
    right.markdown("  \n".join(f"**{fmt.md(name)}**　{fmt.md(text)}" for name, text in red_tasks) or "重点任务均未亮红灯。")


# ---- 调度会交办: staff assign problems and matters, mark matters done, export the documents ----

def write_items(items: pd.DataFrame, action: str, staff_name: str) -> None:
    if not staff_entry.save_rows("assignments", items, action, staff_name):
        return
    st.session_state["brief_saved"] = f"已保存：{action}。可在“数据导入”页的导入记录中查看或撤销。"
    st.rerun()


def assign_form(staff_name: str) -> None:
    pick_params = {**list_params, "limit": 500}
    lists = [cached.query("problem_list", list_kind=kind, **pick_params) for kind in ("overdue", "no_unit")]
    lists.append(due_week)
    pool = pd.concat([f[["problem_id", "unit_name", "place", "description"]] for f in lists if len(f)],
                     ignore_index=True).drop_duplicates("problem_id") if any(len(f) for f in lists) else None
    labels = {} if pool is None else {
        r.problem_id: f"{r.problem_id}　{r.unit_name or '无责任单位'}　{r.place or ''}　{screen.clip(r.description or '', 24)}"
        for r in pool.itertuples()}
    units = cached.query("filter_options", **params)
    unit_names = sorted(units.loc[(units["dimension"] == "unit") & (units["option_value"] != "未填写"), "option_value"])
    with st.form("assign_form"):
        meeting_on, meeting_name, due_on = staff_entry.meeting_fields("assign", as_of)
        picked = st.multiselect("交办的问题（逾期、本周到期、无责任单位的问题）", list(labels), format_func=labels.get,
                                key="assign_problems", placeholder="选择问题")
        c1, c2 = st.columns([1, 2])
        matter_unit = c1.selectbox("交办事项的责任单位", [""] + unit_names, key="assign_matter_unit",
                                   format_func=lambda u: u or "（不交办事项）")
        matter_text = c2.text_area("交办事项（每行一项）", key="assign_matters", height=80)
        submitted = st.form_submit_button("交办", type="primary")
    if not submitted:
        return
    matters = [line.strip() for line in matter_text.splitlines() if line.strip()]
    if matters and not matter_unit:
        st.error("未保存：请选择交办事项的责任单位。")
        return
    if not picked and not matters:
        st.error("未保存：请选择要交办的问题，或填写交办事项。")
        return
    unit_of = dict(zip(pool["problem_id"], pool["unit_name"])) if pool is not None else {}
    rows = meeting_docs.new_items(meeting_on, meeting_name, due_on, [(p, unit_of.get(p)) for p in picked],
                                  [(matter_unit, text) for text in matters])
    write_items(rows, f"{meeting_on:%Y-%m-%d} {meeting_name.strip() or '调度会'}交办 {len(rows)} 项", staff_name)


def mark_done_form(items: pd.DataFrame, staff_name: str) -> None:
    open_matters = items[items["problem_id"].isna() & ~items["is_done"]]
    if open_matters.empty:
        return
    labels = {r.item_id: f"{r.unit_name}　{r.matter}" for r in open_matters.itertuples()}
    with st.form("mark_done_form"):
        picked = st.multiselect("标记为已完成的交办事项", list(labels), format_func=labels.get, key="mark_done_items",
                                placeholder="选择交办事项")
        done_on = st.date_input("完成日期", value=as_of, key="mark_done_on", format=fmt.DATE_FORMAT)
        if not st.form_submit_button("标记完成") or not picked:
            return
    rows = open_matters.set_index("item_id").loc[picked].reset_index()
    rows = rows.assign(done_on=done_on, meeting_name=rows["meeting_name"].replace("", None))
    write_items(rows[["item_id", "meeting_on", "meeting_name", "problem_id", "matter", "unit_name", "due_on",
                      "done_on"]], f"交办事项标记完成 {len(rows)} 项", staff_name)


def documents(meeting: pd.Series) -> None:
    key = {"meeting_on": pd.Timestamp(meeting["meeting_on"]).date(), "meeting_name": meeting["meeting_name"]}
    items = cached.query("meeting_items", as_of=as_of, **key)
    units = cached.query("meeting_units", as_of=as_of, **key)
    notes = widgets.export_notes(as_of, filters.NO_FILTERS, ("会议", f"{key['meeting_on']:%Y-%m-%d} {key['meeting_name']}"))
    stem = f"交办单_{key['meeting_on']:%Y%m%d}"
    row = st.container(horizontal=True)
    row.download_button("交办单（Word，每单位一页）",
                        lambda: meeting_docs.sheet_docx(settings.city_name, key["meeting_on"], key["meeting_name"], items),
                        file_name=exports.file_name(stem, as_of, "docx"), key="sheet_docx", on_click="ignore",
                        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    row.download_button("交办单（Excel）", lambda: meeting_docs.items_xlsx(items, notes),
                        file_name=exports.file_name(stem, as_of, "xlsx"), key="sheet_xlsx", on_click="ignore",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    row.download_button("会议纪要：落实情况（Word）",
                        lambda: meeting_docs.minutes_docx(settings.city_name, key["meeting_on"], key["meeting_name"],
                                                          as_of, units, items),
                        file_name=exports.file_name(f"交办落实情况_{key['meeting_on']:%Y%m%d}", as_of, "docx"),
                        key="minutes_docx", on_click="ignore",
                        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    st.dataframe(meeting_docs.with_state(items), hide_index=True, column_order=list(ITEM_TABLE),
                 column_config=ITEM_TABLE, placeholder="—", key="meeting_items_table")
    return items


st.divider()
st.subheader("调度会交办")
if "brief_saved" in st.session_state:
    st.success(st.session_state.pop("brief_saved"))
user = access.current_user()
staff = user.name if user and user.is_staff else None
if staff:
    assign_form(staff)
else:
    st.caption("工作人员登录后，可在这里把上面清单中的问题交办给责任单位、给单位交办事项，并标记事项完成。")
if not meetings.empty:
    names = {i: f"{pd.Timestamp(r.meeting_on):%Y-%m-%d} {r.meeting_name}（{int(r.count_items)} 项，完成 {int(r.count_done)}，"
                f"逾期 {int(r.count_overdue)}）" for i, r in enumerate(meetings.itertuples())}
    chosen = st.selectbox("查看或导出一次会议的交办单", list(names), format_func=names.get, key="meeting_choice")
    shown_items = documents(meetings.iloc[chosen])
    if staff:
        mark_done_form(shown_items, staff)

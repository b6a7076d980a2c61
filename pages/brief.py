"""会议要点: what the scheduling meeting (调度会) opens with, built from the data on one screen.

The days left, the worst overdue problems, the units that fell most and those on the black list
week after week, the problems no unit holds, and what falls due this week.
"""

import html

import streamlit as st

from cockpit import filters, ranking, scoring, screen, ui

SHOWN = 6  # rows per list: the brief is one screen
ROLLING = 30  # on the wall the lists roll through this many rows in the same space
settings = ui.settings()
as_of = ui.as_of()
params = {"as_of": as_of, "due_soon_days": settings.due_soon_days}

ui.heading("会议要点")
if not ui.has_problems(as_of, settings):
    st.stop()

upcoming = ui.next_milestone(settings, as_of)
summary = ui.one_row("progress_headline", filters=filters.NO_FILTERS, **params)
list_params = {**params, "filters": filters.NO_FILTERS, "dimension": "", "group_name": "", "search": "",
               "stale_days": settings.stale_days, "limit": ROLLING if ui.big_screen() else SHOWN}
overdue = ui.query("problem_list", list_kind="overdue", **list_params)
no_unit = ui.query("problem_list", list_kind="no_unit", **list_params)
due_week = ui.query("due_this_week", **params)
weeks = ui.query("unit_ranking", weeks=ranking.STREAK_WEEKS, rules=settings.ranking_rules, **params)
this_week = weeks[(weeks["weeks_back"] == 0) & (weeks["pool"] != "district")]

tiles = [(f"距{upcoming['name']}", f"{int(upcoming['days_left'])} 天") if upcoming is not None
         else ("测评日程", "已全部完成"),
         ("逾期问题", ui.num(summary["count_overdue"])), ("本周到期（未销号）", ui.num(len(due_week))),
         ("无责任单位的问题", ui.num(no_unit["count_in_list"].iloc[0] if len(no_unit) else 0))]
for col, (label, value) in zip(st.columns(4), tiles):
    ui.metric(col, label, value, None, border=True)
fell = this_week[this_week["rank_change"] < 0].sort_values(["rank_change", "rank"]).head(5)
streaks = this_week[this_week["black_weeks"] >= 2].sort_values("black_weeks", ascending=False).head(5)
fell_lines = [(r.unit_name, f"第 {int(r.rank)} 名，下降 {-int(r.rank_change)} 名") for r in fell.itertuples()]
streak_lines = [(r.unit_name, ranking.streak_text(r.black_weeks)) for r in streaks.itertuples()]


def wall() -> None:
    """The brief on the wall: the same four lists, as rolling boards."""
    C = screen.Column

    def lines(title: str, rows: list[tuple[str, str]], empty: str) -> str:
        body = "".join(f"<b>{html.escape(name)}</b>　{html.escape(text)}<br>" for name, text in rows)
        return f"<div class='wall-title'>{title}</div><div class='wall-lines'>{body or html.escape(empty)}</div>"

    left, right = st.columns([3, 2])
    with left:
        ui.wall_board("逾期最久的问题", [C("逾期天数", 14, "right", "alarm"), C("责任单位", 18), C("地点", 22),
                                     C("问题描述", 46)],
                      [[ui.num(r.days_overdue), r.unit_name or "（无）", r.place, screen.clip(r.description, 36)]
                       for r in overdue.itertuples()], visible=8, empty="没有逾期问题。")
    right.html(lines("名次下降最多的单位", fell_lines[:4], "本周没有单位名次下降。")
               + lines("连续列入黑榜", streak_lines[:4], "没有连续两周及以上列入黑榜的单位。"))
    left, right = st.columns([3, 2])
    with left:
        ui.wall_board(f"本周到期（{ui.num(len(due_week))} 个）",
                      [C("整改时限", 16, "right"), C("责任单位", 18), C("地点", 22), C("问题描述", 44)],
                      [[ui.short_date(r.due_on), r.unit_name or "（无）", r.place, screen.clip(r.description, 36)]
                       for r in due_week.head(ROLLING).itertuples()], visible=4, empty="本周没有到期的问题。")
    with right:
        ui.wall_board("没有责任单位的问题", [C("发现时间", 30, "right"), C("地点", 30), C("问题类别", 40)],
                      [[ui.short_date(r.found_at), r.place, r.category] for r in no_unit.itertuples()],
                      visible=4, empty="所有在办问题都有责任单位。")


if ui.big_screen():
    wall()
    ui.wall_done()

left, right = st.columns([3, 2])
with left:
    st.subheader("逾期最久的问题")
    ui.problem_table(overdue, ["days_overdue", "unit_name", "place", "description"])
with right:
    st.subheader("名次下降最多的单位")
    if not fell_lines:
        st.caption("本周没有单位名次下降。")
    else:
        st.markdown("  \n".join(f"**{ui.md(name)}**　{text}" for name, text in fell_lines))
    st.subheader("连续列入黑榜")
    if not streak_lines:
        st.caption("没有连续两周及以上列入黑榜的单位。")
    else:
        st.markdown("  \n".join(f"**{ui.md(name)}**　{text}" for name, text in streak_lines))

left, right = st.columns(2)
with left:
    st.subheader(f"本周到期（{ui.num(len(due_week))} 个）")
    ui.problem_table(due_week.head(SHOWN), ["due_on", "unit_name", "place", "description"])
with right:
    st.subheader("没有责任单位的问题")
    if no_unit.empty:
        st.caption("所有在办问题都有责任单位。")
    else:
        ui.problem_table(no_unit, ["found_at", "place", "category", "description"])

# The assessment's scoring, where an indicator list or key tasks were imported (cockpit/scoring.py).
losing = scoring.losing_lines(ui.query("points_at_risk", **params))
red_tasks = scoring.red_task_lines(ui.query("task_lights", as_of=as_of))
if losing or red_tasks:
    left, right = st.columns(2)
    left.subheader("失分最多的指标")
    left.markdown("  \n".join(f"**{ui.md(name)}**　{text}" for name, text in losing) or "目前没有预计失分。")
    right.subheader(f"亮红灯的重点任务（{len(red_tasks)} 项）")
    right.markdown("  \n".join(f"**{ui.md(name)}**　{ui.md(text)}" for name, text in red_tasks) or "重点任务均未亮红灯。")

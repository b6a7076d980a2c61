"""测评倒计时: days left, the calendar, and whether the present pace clears the backlog in time.

Everything is scheduled backwards from the headline milestone (倒排工期): the pace, who will not
make it, the points, the 网申 materials, the survey rates and the score at risk.
"""

import streamlit as st

from cockpit.draw import charts, wallcharts
from cockpit.web import cached, fmt, screen, wallmode, widgets

BACKLOG_DAYS = 90  # how much history the burn-down shows
settings = cached.settings()
as_of = cached.as_of()
params = {"due_soon_days": settings.due_soon_days}

widgets.heading("测评倒计时")
calendar = cached.query("milestone_countdown", **cached.milestone_params(settings, as_of))
upcoming = calendar[calendar["is_next"]]
headline = None if upcoming.empty else upcoming.iloc[0]


# ---- the wall (?screen=big): days, pace, burn-down, points, who will not make it ----------------

def wall() -> None:
    C = screen.Column
    if headline is None or not widgets.has_problems(as_of, settings):
        st.html("<div class='wall-empty'>测评日程中的节点都已过去，或还没有问题数据。</div>")
        return
    milestone = {"pace_days": settings.pace_days, "milestone_on": headline["on_date"]}
    pace = cached.one_row("closure_pace", as_of=as_of, **milestone, **params)
    readiness = cached.query("point_readiness", as_of=as_of, pass_score=settings.pass_score, **params)
    projected = ("销号停滞" if fmt.missing(pace["projected_clearance_on"])
                 else fmt.short_date(pace["projected_clearance_on"]))
    tiles = [(f"距{headline['name']}", f"{int(headline['days_left'])} 天"), ("在办问题", fmt.num(pace["count_open"])),
             (f"近 {settings.pace_days} 天日均销号", f"{pace['closures_per_day']:.1f}"),
             ("按期清零需日均销号", "—" if fmt.missing(pace["required_per_day"]) else f"{pace['required_per_day']:.1f}"),
             ("按当前速度清零日期", projected)]
    for col, (label, value) in zip(st.columns(len(tiles)), tiles):
        col.html(screen.tile(label, value))

    left, right = st.columns([3, 2])
    backlog = cached.query("open_backlog", as_of=as_of, days_back=BACKLOG_DAYS, **params)
    day, open_now, pace_end, at_pace, end = charts.projection(backlog, pace, headline["on_date"])
    wallmode.wall_chart(left, f"积压燃尽图（到{headline['name']}）", wallcharts.lines([
        wallcharts.Series("在办问题", charts.FOUND_COLOUR_WALL, backlog["day_on"].tolist(), backlog["count_open"].tolist()),
        wallcharts.Series(f"按近期速度（到期剩 {at_pace:,.0f}）", charts.CLOSED_COLOUR_WALL, [day, pace_end],
                          [open_now, at_pace], dash=True),
        wallcharts.Series("按期清零所需", "#4cd98a", [day, end], [open_now, 0], dash=True),
    ], width=1100, height=330))
    behind = readiness.dropna(subset=["up_to_standard_rate"]).head(7)
    right.html("<div class='wall-title'>点位达标率（最落后的在前）</div>" + wallcharts.bars(
        [(r.group_name, r.up_to_standard_rate, fmt.pct(r.up_to_standard_rate, 0)) for r in behind.itertuples()],
        colour_of=lambda rate: "#ff6b6b" if rate < 0.85 else "#4cd98a"))

    units = cached.query("unit_pace", as_of=as_of, **milestone, **params)
    late = units[units["projected_clearance_on"].isna() | (units["days_past_milestone"] > 0)]
    left, right = st.columns([3, 2])
    with left:
        wallmode.wall_board(f"按当前速度赶不上的单位（{len(late)} 个）",
                      [C("责任单位", 26), C("在办", 12, "right"), C("日均销号", 15, "right"),
                       C("需日均", 15, "right"), C("预计清零", 18, "right"), C("超期天数", 14, "right", "alarm")],
                      [[r.unit_name, fmt.num(r.count_open), f"{r.closures_per_day:.2f}", f"{r.required_per_day:.2f}",
                        "无法清零" if fmt.missing(r.projected_clearance_on) else fmt.short_date(r.projected_clearance_on),
                        "—" if fmt.missing(r.days_past_milestone) else fmt.num(r.days_past_milestone)]
                       for r in late.head(50).itertuples()], visible=7, empty="按近期速度，所有单位都能在节点前清零。")
    with right:
        wallmode.wall_board("测评日程", [C("节点", 50), C("日期", 28, "right"), C("剩余", 22, "right")],
                      [[r.name, fmt.short_date(r.on_date), "已完成" if r.is_done else f"{int(r.days_left)} 天"]
                       for r in calendar.itertuples()], visible=7)


if wallmode.big_screen():
    wall()
    wallmode.wall_done()


# ---- the countdown and the calendar ------------------------------------------------------------

if headline is None:
    st.info("测评日程中的节点都已过去。请在“设置”页的测评日程中添加新的节点。")
else:
    st.metric(f"距{fmt.md(headline['name'])}（{fmt.cn_date(headline['on_date'])}）", f"{int(headline['days_left'])} 天")
if len(calendar):
    widgets.chart(st, charts.milestone_timeline(calendar, as_of))
    with st.expander("测评日程明细"):
        st.dataframe(
            calendar.assign(status=calendar["is_done"].map({True: "已完成", False: "未到"}))[
                ["name", "on_date", "kind", "days_left", "status", "note"]],
            hide_index=True,
            placeholder="—",
            column_config={"name": "节点", "on_date": st.column_config.DateColumn("日期", format="YYYY-MM-DD"),
                           "kind": "类型", "days_left": st.column_config.NumberColumn("剩余天数", format="%d"),
                           "status": "状态", "note": "说明"},
        )


# ---- pace, and who will not make it ------------------------------------------------------------

if headline is not None and widgets.has_problems(as_of, settings):
    st.subheader(f"按期清零：距{fmt.md(headline['name'])}还有 {int(headline['days_left'])} 天")
    milestone = {"pace_days": settings.pace_days, "milestone_on": headline["on_date"]}
    pace = cached.one_row("closure_pace", as_of=as_of, **milestone, **params)
    cols = st.columns(4)
    cols[0].metric("在办问题", fmt.num(pace["count_open"]), border=True)
    cols[1].metric(f"近 {settings.pace_days} 天日均销号", f"{pace['closures_per_day']:.1f}", border=True)
    cols[2].metric("按期清零需日均销号",
                   "—" if fmt.missing(pace["required_per_day"]) else f"{pace['required_per_day']:.1f}", border=True)
    cols[3].metric("按当前速度清零日期",
                   "销号停滞，无法预计" if fmt.missing(pace["projected_clearance_on"])
                   else fmt.short_date(pace["projected_clearance_on"]), border=True)
    backlog = cached.query("open_backlog", as_of=as_of, days_back=BACKLOG_DAYS, **params)
    widgets.chart(st, charts.burn_down(backlog, pace, headline["on_date"], headline["name"]))

    units = cached.query("unit_pace", as_of=as_of, **milestone, **params)
    late = units[units["projected_clearance_on"].isna() | (units["days_past_milestone"] > 0)]
    st.subheader(f"按当前速度赶不上的单位（{len(late)} 个，最落后的在前）")
    if late.empty:
        st.success("按近期速度，所有单位都能在节点前清零。")
    else:
        st.dataframe(
            late.assign(projected=late["projected_clearance_on"].map(
                lambda d: "近期没有销号，无法清零" if fmt.missing(d) else fmt.short_date(d))),
            hide_index=True,
            placeholder="—",
            height=min(36 * (len(late) + 1) + 4, 420),
            column_order=["unit_name", "count_open", "count_overdue", "closures_per_day", "required_per_day",
                          "projected", "days_past_milestone"],
            column_config={
                "unit_name": "责任单位",
                "count_open": st.column_config.NumberColumn("在办", format="%d"),
                "count_overdue": st.column_config.NumberColumn("逾期", format="%d"),
                "closures_per_day": st.column_config.NumberColumn(f"近 {settings.pace_days} 天日均销号", format="%.2f"),
                "required_per_day": st.column_config.NumberColumn("按期清零需日均销号", format="%.2f"),
                "projected": "按当前速度清零日期",
                "days_past_milestone": st.column_config.NumberColumn("超过节点天数", format="%d"),
            },
        )


# ---- readiness of the measurement points -------------------------------------------------------

st.subheader("测评点位达标情况")
readiness = cached.query("point_readiness", as_of=as_of, pass_score=settings.pass_score, **params)
if readiness.empty:
    st.info("还没有导入测评点位清单，无法计算点位达标率。")
else:
    widgets.chart(st, charts.readiness_bar(readiness))
    never = int(readiness.loc[~readiness["is_key_circle_row"], "count_never_inspected"].sum())
    st.caption(f"达标率按已检查的点位计算；从未检查的点位 {fmt.num(never)} 个，单独计数。")


# ---- 网申材料 -------------------------------------------------------------------------------------

st.subheader("网申材料")
by_indicator = cached.query("materials_progress", as_of=as_of, by="indicator")
if by_indicator.empty:
    st.info("还没有导入网申材料任务清单。")
else:
    totals = by_indicator[["count_required", "count_submitted", "count_approved", "count_overdue"]].sum()
    cols = st.columns(4)
    cols[0].metric("应报材料", fmt.num(totals["count_required"]), border=True)
    cols[1].metric("已报送", fmt.num(totals["count_submitted"]), border=True)
    cols[2].metric("审核通过", fmt.num(totals["count_approved"]), border=True)
    cols[3].metric("逾期未报", fmt.num(totals["count_overdue"]), border=True)
    material_columns = {
        "count_required": st.column_config.NumberColumn("应报", format="%d"),
        "count_approved": st.column_config.NumberColumn("审核通过", format="%d"),
        "approved_rate": st.column_config.ProgressColumn("通过率", min_value=0, max_value=1, format="percent"),
        "count_overdue": st.column_config.NumberColumn("逾期", format="%d"),
    }
    left, right = st.columns(2)
    left.markdown("**按测评指标（通过率低的在前）**")
    shown_columns = ["group_name", "count_required", "count_approved", "approved_rate", "count_overdue"]
    left.dataframe(by_indicator, hide_index=True, placeholder="—", column_order=shown_columns,
                   column_config={"group_name": "指标", **material_columns})
    right.markdown("**按责任单位**")
    right.dataframe(cached.query("materials_progress", as_of=as_of, by="unit"), hide_index=True, placeholder="—",
                    column_order=shown_columns, column_config={"group_name": "责任单位", **material_columns})
    overdue_items = cached.query("materials_overdue", as_of=as_of)
    st.markdown(f"**逾期未报送的材料（{len(overdue_items)} 项）**")
    if len(overdue_items):
        st.dataframe(overdue_items.assign(status=overdue_items["status"].map(
                         {"not_submitted": "未报送", "returned": "退回", "submitted": "已报送", "approved": "审核通过"})),
                     hide_index=True, placeholder="—",
                     column_config={"item_id": "编号", "indicator": "指标", "material_name": "材料名称",
                                    "material_type": "材料类型", "unit_name": "责任单位",
                                    "due_on": st.column_config.DateColumn("截止时间", format="YYYY-MM-DD"),
                                    "days_overdue": st.column_config.NumberColumn("逾期天数", format="%d"),
                                    "status": "状态"})
    st.caption("网申材料的状态取最近一次导入的清单。")


# ---- survey rates --------------------------------------------------------------------------------

st.subheader("问卷调查")
rates = cached.query("survey_rates", as_of=as_of, **settings.survey_targets)
if rates.empty:
    st.info("还没有导入问卷调查结果。")
else:
    latest = rates[rates["is_latest"]]
    st.caption(f"最新一轮：{fmt.md(latest['round_name'].iloc[0])}（{fmt.cn_date(latest['surveyed_on'].iloc[0])}），全市。")
    cols = st.columns(4)
    for col, row in zip(cols, latest.itertuples()):
        col.metric(f"{charts.SURVEY_LABELS[row.indicator]}（目标 {row.target:.0%}）", fmt.pct(row.rate),
                   fmt.delta_points(row.rate, row.target), border=True, help="与目标相比")
    widgets.chart(st, charts.survey_trend(rates))


# ---- score at risk (an estimate) ---------------------------------------------------------------

st.subheader("失分风险（估算）")
risk = cached.query("score_at_risk", as_of=as_of, pass_score=settings.pass_score,
                parts=list(settings.part_weights), weights=[float(w) for w in settings.part_weights.values()],
                targets=settings.survey_targets, **params)
st.dataframe(
    risk,
    hide_index=True,
    placeholder="无数据",
    column_config={
        "part": "测评部分",
        "weight": st.column_config.NumberColumn("权重", format="%.1f"),
        "readiness": st.column_config.ProgressColumn("完成程度", min_value=0, max_value=1, format="percent"),
        "points_at_risk": st.column_config.NumberColumn("可能失分（估）", format="%.1f"),
    },
)
st.caption("估算口径：实地测评按已检查点位的达标率，网申材料按审核通过的比例，问卷调查按最新一轮各项比率与目标之比"
           "（最高计满）；可能失分 = 权重 ×（1 − 完成程度）。权重在 settings.toml 的 [assessment] 中设置。"
           "这是用来排轻重缓急的估算，不是测评的计分办法。")

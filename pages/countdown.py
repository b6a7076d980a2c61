"""测评倒计时: days left, the calendar, and whether the present pace clears the backlog in time.

Everything is scheduled backwards from the headline milestone (倒排工期): the pace, who will not
make it, the points, the 网申 materials, the survey rates and the score at risk.
"""

import streamlit as st

from cockpit.draw import charts, wallcharts
from cockpit.web import cached, fmt, screen, wallmode, widgets

BACKLOG_DAYS = 90  # how much history the burn-down shows
TASK_LIGHTS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}
TASK_DOTS = {"red": "●红", "yellow": "●黄", "green": "●绿"}  # the wall's browsers may lack an emoji font
MILESTONE_STATES = {"done": "已完成", "late": "已超期未完成", "due_soon": "7 天内到期", "upcoming": "未到"}
settings = cached.settings()
as_of = cached.as_of()
params = {"due_soon_days": settings.due_soon_days}

widgets.heading("测评倒计时")
calendar = cached.query("milestone_countdown", **cached.milestone_params(settings, as_of))
upcoming = calendar[calendar["is_next"]]
headline = None if upcoming.empty else upcoming.iloc[0]


# ---- the figures the wall and the laptop both show ----------------------------------------------

def pace_figures(headline, as_of, settings) -> tuple:
    """The pace towards the headline milestone, the open backlog it burns down and the units that
    will not make it at their present pace (none projected, or projected after the milestone)."""
    params = {"due_soon_days": settings.due_soon_days}
    milestone = {"pace_days": settings.pace_days, "milestone_on": headline["on_date"]}
    pace = cached.one_row("closure_pace", as_of=as_of, **milestone, **params)
    backlog = cached.query("open_backlog", as_of=as_of, days_back=BACKLOG_DAYS, **params)
    units = cached.query("unit_pace", as_of=as_of, **milestone, **params)
    late = units[units["projected_clearance_on"].isna() | (units["days_past_milestone"] > 0)]
    return pace, backlog, late


def readiness_of(as_of, settings):
    """The points' readiness by point type, and for the key circles together."""
    return cached.query("point_readiness", as_of=as_of, pass_score=settings.pass_score,
                        due_soon_days=settings.due_soon_days)


def tasks_of(as_of) -> tuple:
    """The key tasks with their lights, and how many show each light."""
    return cached.query("task_lights", as_of=as_of), cached.one_row("task_light_counts", as_of=as_of)


def risk_summary(as_of, settings) -> dict:
    """The points at risk by the indicator list, with its counts (no indicators: count_indicators 0)."""
    return cached.one_row("points_at_risk_summary", as_of=as_of, due_soon_days=settings.due_soon_days)


# ---- the wall (?screen=big): days, pace, burn-down, points, who will not make it ----------------

def wall(calendar, headline, as_of, settings) -> None:
    C = screen.Column
    if headline is None or not widgets.has_problems(as_of, settings):
        st.html("<div class='wall-empty'>测评日程中的节点都已过去，或还没有问题数据。</div>")
        return
    params = {"due_soon_days": settings.due_soon_days}
    pace, backlog, late = pace_figures(headline, as_of, settings)
    readiness = readiness_of(as_of, settings)
    projected = ("销号停滞" if fmt.missing(pace["projected_clearance_on"])
                 else fmt.short_date(pace["projected_clearance_on"]))
    tiles = [(f"距{headline['name']}", f"{int(headline['days_left'])} 天"), ("在办问题", fmt.num(pace["count_open"])),
             (f"近 {settings.pace_days} 天日均销号", f"{pace['closures_per_day']:.1f}"),
             ("按期清零需日均销号", "—" if fmt.missing(pace["required_per_day"]) else f"{pace['required_per_day']:.1f}"),
             ("按当前速度清零日期", projected)]
    for col, (label, value) in zip(st.columns(len(tiles)), tiles):
        col.html(screen.tile(label, value))

    left, right = st.columns([3, 2])
    day, open_now, pace_end, at_pace, end = charts.projection(backlog, pace, headline["on_date"])
    wallmode.wall_chart(left, f"积压燃尽图（到{headline['name']}）", wallcharts.lines([
        wallcharts.Series("在办问题", charts.FOUND_COLOUR_WALL, backlog["day_on"].tolist(), backlog["count_open"].tolist()),
        wallcharts.Series(f"按近期速度（到期剩 {at_pace:,.0f}）", charts.CLOSED_COLOUR_WALL, [day, pace_end],
                          [open_now, at_pace], dash=True),
        wallcharts.Series("按期清零所需", "#4cd98a", [day, end], [open_now, 0], dash=True),
    ], width=1100, height=330))
    losing = cached.query("points_at_risk", as_of=as_of, **params)
    losing = losing[losing["points_at_risk"] > 0].head(7)
    if len(losing):  # the indicator list's points at risk where one was imported, else the points' readiness
        total = float(risk_summary(as_of, settings)["points_at_risk"])
        top = float(losing["points_at_risk"].max())
        right.html(f"<div class='wall-title'>预计失分 {total:.1f} 分（失分最多的指标）</div>" + wallcharts.bars(
            [(f"{r.indicator_code} {r.indicator_name}", r.points_at_risk / top, f"{r.points_at_risk:.1f}")
             for r in losing.itertuples()], colour_of=lambda share: "#ff6b6b" if share > 0.5 else "#ffb347"))
    else:
        behind = readiness.dropna(subset=["up_to_standard_rate"]).head(7)
        right.html("<div class='wall-title'>点位达标率（最落后的在前）</div>" + wallcharts.bars(
            [(r.group_name, r.up_to_standard_rate, fmt.pct(r.up_to_standard_rate, 0)) for r in behind.itertuples()],
            colour_of=lambda rate: "#ff6b6b" if rate < 0.85 else "#4cd98a"))

    left, right = st.columns([3, 2])
    with left:
        wallmode.wall_board(f"按当前速度赶不上的单位（{len(late)} 个）",
                      [C("责任单位", 26), C("在办", 12, "right"), C("日均销号", 15, "right"),
                       C("需日均", 15, "right"), C("预计清零", 18, "right"), C("超期天数", 14, "right", "alarm")],
                      [[r.unit_name, fmt.num(r.count_open), f"{r.closures_per_day:.2f}", f"{r.required_per_day:.2f}",
                        "无法清零" if fmt.missing(r.projected_clearance_on) else fmt.short_date(r.projected_clearance_on),
                        "—" if fmt.missing(r.days_past_milestone) else fmt.num(r.days_past_milestone)]
                       for r in late.head(50).itertuples()], visible=7, empty="按近期速度，所有单位都能在节点前清零。")
    tasks, counts = tasks_of(as_of)
    with right:
        if len(tasks):
            wallmode.wall_board(f"重点任务（红 {counts['count_red']} · 黄 {counts['count_yellow']} · "
                          f"绿 {counts['count_green']}）",
                          [C("灯", 10), C("任务", 46), C("牵头单位", 26), C("进度", 18, "right")],
                          [[TASK_DOTS[r.light], r.task_name, r.lead_unit or "—", fmt.pct(r.percent_done, 0)]
                           for r in tasks.itertuples()], visible=7)
        else:
            wallmode.wall_board("测评日程", [C("节点", 50), C("日期", 28, "right"), C("剩余", 22, "right")],
                          [[r.name, fmt.short_date(r.on_date), "已完成" if r.is_done else f"{int(r.days_left)} 天"]
                           for r in calendar.itertuples()], visible=7)


if wallmode.big_screen():
    wall(calendar, headline, as_of, settings)
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
            column_config={"name": "节点", "on_date": st.column_config.DateColumn("日期", format=fmt.DATE_FORMAT),
                           "kind": "类型", "days_left": st.column_config.NumberColumn("剩余天数", format="%d"),
                           "status": "状态", "note": "说明"},
        )


# ---- pace, and who will not make it ------------------------------------------------------------

if headline is not None and widgets.has_problems(as_of, settings):
    st.subheader(f"按期清零：距{fmt.md(headline['name'])}还有 {int(headline['days_left'])} 天")
    pace, backlog, late = pace_figures(headline, as_of, settings)
    cols = st.columns(4)
    cols[0].metric("在办问题", fmt.num(pace["count_open"]), border=True)
    cols[1].metric(f"近 {settings.pace_days} 天日均销号", f"{pace['closures_per_day']:.1f}", border=True)
    cols[2].metric("按期清零需日均销号",
                   "—" if fmt.missing(pace["required_per_day"]) else f"{pace['required_per_day']:.1f}", border=True)
    cols[3].metric("按当前速度清零日期",
                   "销号停滞，无法预计" if fmt.missing(pace["projected_clearance_on"])
                   else fmt.short_date(pace["projected_clearance_on"]), border=True)
    widgets.chart(st, charts.burn_down(backlog, pace, headline["on_date"], headline["name"]))

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
readiness = readiness_of(as_of, settings)
if readiness.empty:
    st.info("还没有导入测评点位清单，无法计算点位达标率。")
else:
    widgets.chart(st, charts.readiness_bar(readiness))
    never = cached.one_row("points_never_inspected", as_of=as_of, pass_score=settings.pass_score, **params)
    st.caption(f"达标率按已检查的点位计算；从未检查的点位 {fmt.num(never['count_never_inspected'])} 个，单独计数。")


# ---- 网申材料 -------------------------------------------------------------------------------------

st.subheader("网申材料")
by_indicator = cached.query("materials_progress", as_of=as_of, by="indicator")
if by_indicator.empty:
    st.info("还没有导入网申材料任务清单。")
else:
    totals = cached.one_row("materials_totals", as_of=as_of)
    cols = st.columns(4)
    cols[0].metric("应报材料", fmt.num(totals["count_required"]), border=True)
    cols[1].metric("已报送", fmt.num(totals["count_submitted"]), border=True)
    cols[2].metric("审核通过", fmt.num(totals["count_approved"]), border=True)
    cols[3].metric("逾期未报", fmt.num(totals["count_overdue"]), border=True)
    material_columns = {
        "count_required": st.column_config.NumberColumn("应报", format="%d"),
        "count_approved": st.column_config.NumberColumn("审核通过", format="%d"),
        "approved_rate": widgets.rate_column("通过率", bar=True),
        "count_overdue": st.column_config.NumberColumn("逾期", format="%d"),
    }
    left, right = st.columns(2)
    left.markdown("**按测评指标（通过率低的在前）**")
    shown_columns = ["group_name", "count_required", "count_approved", "approved_rate", "count_overdue"]
    widgets.table(left, by_indicator, {"group_name": "指标", **material_columns}, hide_index=True, placeholder="—",
                  column_order=shown_columns)
    right.markdown("**按责任单位**")
    widgets.table(right, cached.query("materials_progress", as_of=as_of, by="unit"),
                  {"group_name": "责任单位", **material_columns}, hide_index=True, placeholder="—",
                  column_order=shown_columns)
    overdue_items = cached.query("materials_overdue", as_of=as_of)
    st.markdown(f"**逾期未报送的材料（{len(overdue_items)} 项）**")
    if len(overdue_items):
        st.dataframe(overdue_items.assign(status=overdue_items["status"].map(
                         {"not_submitted": "未报送", "returned": "退回", "submitted": "已报送", "approved": "审核通过"})),
                     hide_index=True, placeholder="—",
                     column_config={"item_id": "编号", "indicator": "指标", "material_name": "材料名称",
                                    "material_type": "材料类型", "unit_name": "责任单位",
                                    "due_on": st.column_config.DateColumn("截止时间", format=fmt.DATE_FORMAT),
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


# ---- points at risk (预计失分): the indicator list's figure where one exists, else the estimate ---

def points_at_risk(summary: dict, as_of, settings) -> None:
    params = {"due_soon_days": settings.due_soon_days}
    st.subheader(f"预计失分：{summary['points_at_risk']:.1f} 分（按测评体系）")
    cols = st.columns(4)
    cols[0].metric("预计失分", f"{summary['points_at_risk']:.1f}", border=True,
                   help="各指标在办问题的扣分之和（问题有扣分按问题，否则按指标的默认扣分），每项最多扣到该指标的分值")
    cols[1].metric("涉及指标", f"{fmt.num(summary['count_indicators_losing'])} / {fmt.num(summary['count_indicators'])}",
                   border=True)
    cols[2].metric("计入指标的在办问题", fmt.num(summary["count_open_mapped"]), border=True)
    cols[3].metric("对不上指标的在办问题", fmt.num(summary["count_open_unmapped"]), border=True,
                   help="问题类别（或小类）与点位类型对不上测评体系中任何一项指标；明细见“数据质量”页")
    by_indicator = cached.query("points_at_risk", as_of=as_of, **params)
    st.markdown("**按测评指标（失分最多的在前）**")
    st.dataframe(by_indicator, hide_index=True, placeholder="—", height=min(36 * (len(by_indicator) + 1) + 4, 420),
                 column_order=["indicator_code", "indicator_name", "part", "points", "count_open", "deductions",
                               "points_at_risk"],
                 column_config={"indicator_code": "指标编号", "indicator_name": "指标名称", "part": "测评部分",
                                "points": st.column_config.NumberColumn("分值", format="%.1f"),
                                "count_open": st.column_config.NumberColumn("在办问题", format="%d"),
                                "deductions": st.column_config.NumberColumn("扣分合计", format="%.1f"),
                                "points_at_risk": st.column_config.NumberColumn("预计失分（封顶）", format="%.1f")})
    losing = by_indicator[by_indicator["count_open"] > 0]
    if len(losing):
        names = dict(zip(losing["indicator_code"], losing["indicator_code"] + " " + losing["indicator_name"]))
        chosen = st.selectbox("查看一项指标背后的在办问题", list(names), format_func=names.get, key="indicator")
        behind = cached.query("points_at_risk_problems", as_of=as_of, indicator_code=chosen, **params)
        st.dataframe(behind.assign(status=behind["status"].map(charts.STATE_LABELS)), hide_index=True,
                     placeholder="—", height=min(36 * (len(behind) + 1) + 4, 360),
                     column_config={**widgets.problem_columns(), "subcategory": "小类", "point_name": "测评点位",
                                    "point_type": "点位类型",
                                    "deduction_at_risk": st.column_config.NumberColumn("扣分", format="%.2f")})
    by_unit = cached.query("points_at_risk_by_unit", as_of=as_of, **params)
    unit_columns = {"count_open": st.column_config.NumberColumn("在办问题", format="%d"),
                    "points_at_risk": st.column_config.NumberColumn("预计失分", format="%.2f")}
    left, right = st.columns(2)
    for col, kind, label in ((left, "street", "街道"), (right, "department", "行业主管部门")):
        col.markdown(f"**按{label}**")
        col.dataframe(by_unit[by_unit["group_kind"] == kind], hide_index=True, placeholder="—",
                      column_order=["group_name", "count_open", "points_at_risk"],
                      column_config={"group_name": label, **unit_columns})
    st.caption("指标封顶后，各街道、部门按其问题扣分所占比例分摊，合计等于预计失分。部门取点位的行业主管部门，"
               "没有时取不是街道的责任单位。")


def score_estimate(as_of, settings) -> None:
    st.subheader("失分风险（估算）")
    risk = cached.query("score_at_risk", as_of=as_of, pass_score=settings.pass_score,
                    parts=list(settings.part_weights), weights=[float(w) for w in settings.part_weights.values()],
                    targets=settings.survey_targets, due_soon_days=settings.due_soon_days)
    widgets.table(
        st,
        risk,
        hide_index=True,
        placeholder="无数据",
        column_config={
            "part": "测评部分",
            "weight": st.column_config.NumberColumn("权重", format="%.1f"),
            "readiness": widgets.rate_column("完成程度", bar=True),
            "points_at_risk": st.column_config.NumberColumn("可能失分（估）", format="%.1f"),
        },
    )
    st.caption("估算口径：实地测评按已检查点位的达标率，网申材料按审核通过的比例，问卷调查按最新一轮各项比率与目标之比"
               "（最高计满）；可能失分 = 权重 ×（1 − 完成程度）。权重在 settings.toml 的 [assessment] 中设置。"
               "这是用来排轻重缓急的估算，不是测评的计分办法。")


summary = risk_summary(as_of, settings)
if summary.get("count_indicators", 0):
    points_at_risk(summary, as_of, settings)
else:
    score_estimate(as_of, settings)
    st.caption("导入测评体系（指标、分值、对应的问题类别和点位类型）后，这里按问题逐项计算预计失分。")


# ---- results by year ---------------------------------------------------------------------------

# The labels stay short (a card is about 180 px wide on a 1366 laptop); what a label leaves out is in
# the caption under the figure and in its help.

def target_total_metric(col, first, this_year_scored: bool) -> None:
    """What this year's score must be for the multi-year total to reach the target total."""
    target, years = settings.target_total, len(settings.year_weights)
    required = first["required_score"]
    col.metric("总评达标今年需得", "—" if fmt.missing(required) else f"{required:.1f} 分", border=True,
               help=f"{years} 年总评要达到目标 {target:g} 分，今年至少要得的分数：（目标总评 − 已有年度加权分）÷ 今年的权重；"
                    "今年已有成绩时不再计算")
    if this_year_scored:
        col.caption("今年已有成绩，不再计算。")
    elif not fmt.missing(required):
        col.caption(f"{years} 年总评目标 {target:g} 分：今年至少要得这么多。")


def target_rank_metric(col, first, this_year_scored: bool) -> None:
    """What this year's score must be to reach the target rank: a rank is no score, so the newest
    rank line known (the score of the city at that rank that year) stands for it."""
    n = settings.target_rank
    required = first["required_for_rank"]
    col.metric(f"进前 {n} 名今年约需", "—" if fmt.missing(required) else f"{required:.1f} 分", border=True,
               help=f"进入全省前 {n} 名，今年约需的分数：按最近一年全省第 {n} 名的得分（历年测评成绩的“目标名次分数线”）估计，"
                    "今年的分数线会不同；今年已有成绩时不再计算")
    if this_year_scored:
        col.caption("今年已有成绩，不再估计。")
    elif fmt.missing(required):
        col.caption(f"还不知道全省第 {n} 名的得分：在历年测评成绩中填写“目标名次分数线”后，这里估计今年约需多少分。")
    else:
        col.caption(f"进入全省前 {n} 名：按 {int(first['line_year'])} 年全省第 {n} 名的得分估计，今年的分数线会有变化。")


st.subheader("历年测评成绩")
results = cached.query("assessment_results", as_of=as_of, year_weights=list(settings.year_weights),
                   target_total=settings.target_total, target_rank=settings.target_rank)
if results["score"].notna().sum() == 0:
    st.info("还没有导入历年测评成绩（年度、得分、全省排名、参评城市数）。")
else:
    first = results.iloc[0]
    this_year = results[results["is_this_year"]]
    cols = st.columns(4 if settings.target_rank else 3)
    this_year_scored = bool(this_year["score"].notna().any())
    cols[0].metric(f"{len(settings.year_weights)} 年总评（已有年度）", f"{first['total_so_far']:.2f} 分", border=True,
                   help="已有成绩的年度按权重加权之和：得分 × 该年权重")
    target_total_metric(cols[1], first, this_year_scored)
    if settings.target_rank:
        target_rank_metric(cols[2], first, this_year_scored)
    danger = results[results["is_danger"]]
    cols[-1].metric("全省倒数三名", "、".join(f"{y} 年" for y in danger["year"]) if len(danger) else "没有", border=True)
    if len(danger):
        st.warning(f"{'、'.join(str(y) for y in danger['year'])} 年排名在全省倒数三名内：有末位淘汰的危险。", icon="⚠️")
    st.dataframe(results.assign(standing=results.apply(
                     lambda r: "—" if fmt.missing(r["rank"]) else f"{int(r['rank'])} / {fmt.num(r['count_cities'])}",
                     axis=1), danger=results["is_danger"].map({True: "⚠ 倒数三名", False: ""})),
                 hide_index=True, placeholder="—",
                 column_order=["year", "score", "standing", "danger", "weight", "weighted", "rank_line"],
                 column_config={"year": st.column_config.NumberColumn("年度", format="%d"),
                                "score": st.column_config.NumberColumn("得分", format="%.2f"),
                                "standing": "全省排名 / 参评城市", "danger": "警示",
                                "weight": st.column_config.NumberColumn("总评权重", format="%.2f"),
                                "weighted": st.column_config.NumberColumn("加权分", format="%.2f"),
                                "rank_line": st.column_config.NumberColumn("目标名次分数线", format="%.2f",
                                                                           help="当年全省第 N 名（目标名次）的得分")})
    st.caption("总评权重在 settings.toml 的 [assessment] year_weights 中设置（从最早一年起，最后一个是今年）；"
               "总评目标分和目标名次在“设置”页修改。")


# ---- key tasks -----------------------------------------------------------------------------------

st.subheader("重点任务")
tasks, counts = tasks_of(as_of)
if tasks.empty:
    st.info("还没有导入重点任务清单（任务名称、牵头单位、开始和结束日期、节点或完成百分比）。")
else:
    cols = st.columns(3)
    for col, light in zip(cols, ("red", "yellow", "green")):
        col.metric(TASK_LIGHTS[light], fmt.num(counts[f"count_{light}"]), border=True)
    shown = tasks.assign(light_label=tasks["light"].map(TASK_LIGHTS.get), percent_done=tasks["percent_done"] * 100,
                         percent_expected=tasks["percent_expected"] * 100,
                         next_step=tasks.apply(lambda r: "—" if fmt.missing(r["next_milestone_on"]) else
                                               f"{r['next_milestone_name'] or '节点'}（{fmt.short_date(r['next_milestone_on'])}）",
                                               axis=1))
    st.dataframe(shown, hide_index=True, placeholder="—", height=min(36 * (len(shown) + 1) + 4, 460),
                 column_order=["light_label", "task_name", "lead_unit", "task_kind", "percent_done",
                               "percent_expected", "count_late", "next_step", "end_on"],
                 column_config={"light_label": "灯", "task_name": "任务", "lead_unit": "牵头单位", "task_kind": "类型",
                                "percent_done": st.column_config.ProgressColumn("完成", min_value=0, max_value=100,
                                                                                format="%.0f%%"),
                                "percent_expected": st.column_config.NumberColumn("按时间应完成", format="%.0f%%"),
                                "count_late": st.column_config.NumberColumn("超期节点", format="%d"),
                                "next_step": "下一个节点",
                                "end_on": st.column_config.DateColumn("结束日期", format=fmt.DATE_FORMAT)})
    st.caption("红灯：有节点过期未完成，或完成百分比比从开始到结束的直线进度落后 20 个百分点以上；"
               "黄灯：下一个未完成的节点在 7 天内；其余为绿灯。")
    names = tasks["task_name"].tolist()
    asked = st.query_params.get("task")
    chosen = st.selectbox("查看一项任务的节点", names, index=names.index(asked) if asked in names else 0, key="task_pick")
    if chosen != asked:
        st.query_params["task"] = chosen
    task = tasks[tasks["task_name"] == chosen].iloc[0]
    st.markdown(f"**{fmt.md(chosen)}**　{TASK_LIGHTS[task['light']]}　牵头：{fmt.md(task['lead_unit'] or '—')}"
                f"　{fmt.short_date(task['start_on'])} 至 {fmt.short_date(task['end_on'])}")
    milestones = cached.query("task_milestones", as_of=as_of, task_name=chosen)
    if milestones.empty:
        st.caption(f"这项任务没有节点，按完成百分比 {fmt.pct(task['percent_done'], 0)} 对照直线进度"
                   f" {fmt.pct(task['percent_expected'], 0)}。")
    else:
        st.dataframe(milestones.assign(state=milestones["state"].map(MILESTONE_STATES)), hide_index=True,
                     placeholder="—", column_order=["milestone_name", "milestone_on", "state"],
                     column_config={"milestone_name": "节点",
                                    "milestone_on": st.column_config.DateColumn("节点日期", format=fmt.DATE_FORMAT),
                                    "state": "状态"})

"""Plotly figures built from query results: pure functions, no SQL, no Streamlit."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# Fonts that carry Chinese on Windows, macOS and Linux, in that order of likelihood.
CJK_FONTS = "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, Noto Sans SC, WenQuanYi Micro Hei, SimHei, sans-serif"
STATE_LABELS = {"pending": "待整改", "in_progress": "整改中", "awaiting_check": "待复核",
                "returned": "退回", "closed": "已销号"}
LIGHT_LABELS = {"red": "红灯（逾期）", "yellow": "黄灯（即将到期）", "green": "绿灯"}
LIGHT_COLOURS = {"red": "#d62728", "yellow": "#f0ad00", "green": "#2ca02c"}
FOUND_COLOUR, CLOSED_COLOUR = "#c0392b", "#1f77b4"
FOUND_COLOUR_WALL, CLOSED_COLOUR_WALL = "#ff6b6b", "#5aa9ff"  # the same, bright enough on the dark wall
# plotly's white template, with the titles centred over the plot and grey text, as these charts
# looked when st.plotly_chart drew them (theme=None). Named for every chart, not left to the default:
# importing Streamlit makes its own template the default, whose placeholder colours only Streamlit's
# st.plotly_chart fills in. It is written into each figure's JSON as it is drawn
# (cockpit.plotly_html), not set on the figure: plotly checks a template object property by property
# each time one is set, 10-14 ms a chart, most of a warm run of a page of charts (docs/PERFORMANCE.md).
TEMPLATE = go.layout.Template(pio.templates["plotly_white"])
TEMPLATE.layout.update(title={"x": 0.5, "xanchor": "center"}, font={"color": "#444"})
TEMPLATE_JSON = TEMPLATE.to_plotly_json()
# Dates along x in Chinese (plotly writes "Sep 6" and "Jan 2026"): 9月6日 while the ticks are days
# or weeks apart, 2026年9月 once they are months apart.
DATE_TICKS = [{"dtickrange": [None, "M1"], "value": "%-m月%-d日"}, {"dtickrange": ["M1", None], "value": "%Y年%-m月"}]


def _merged(base: dict, more: dict) -> dict:
    """base with more laid over it, nested dicts merged key by key (as plotly's update_layout does)."""
    out = dict(base)
    for key, value in more.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _figure(traces, title: str, height: int = 360, *, x: dict | None = None, y: dict | None = None,
            dates: bool = False, **layout) -> go.Figure:
    """A figure readable from across a room (large type, no hover-only facts, room for labels): its
    layout is built as one dict and given to go.Figure. x, y: this chart's x and y axes; dates:
    dates along x in Chinese; layout: the rest of its layout (a y2 axis gets y's look too).
    Why one dict: each update_layout or update_xaxes call on a figure walks plotly's property tree,
    5-7 ms a call, where the same layout given to go.Figure takes 1 ms (docs/PERFORMANCE.md)."""
    axis_x = {"showgrid": False, "automargin": True, **({"tickformatstops": DATE_TICKS} if dates else {})}
    axis_y = {"gridcolor": "#e5e5e5", "automargin": True}
    # Numbers on the axes as on the cards, 25,000 (plotly's default writes 25k); a chart's own
    # tickformat (percentages, dates, ranks) comes first.
    counts = {"tickformat": ",~r"}
    base = {
        "title": {"text": title, "font": {"size": 20}},
        "font": {"family": CJK_FONTS, "size": 15},
        "height": height,
        "margin": {"l": 70, "r": 70, "t": 60, "b": 40},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        "plot_bgcolor": "white",
        "xaxis": {**({} if dates else counts), **(x or {}), **axis_x},
        "yaxis": {**counts, **(y or {}), **axis_y},
    }
    if "yaxis2" in layout:
        layout["yaxis2"] = {**counts, **layout["yaxis2"], **axis_y}
    return go.Figure(traces, layout=_merged(base, layout))


def _vline(x, line: dict) -> dict:
    """A vertical line across the plot at x (what fig.add_vline adds, without its 5 ms)."""
    return {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "line": line}


def states_bar(states: pd.DataFrame) -> go.Figure:
    """Counts by the five states, each bar labelled with its number."""
    rows = states[states["grouping"] == "state"]
    labels = [STATE_LABELS[v] for v in rows["value"]]
    return _figure(go.Bar(x=labels, y=rows["count_problems"], text=[f"{n:,}" for n in rows["count_problems"]],
                          textposition="outside",
                          marker_color="#5b7db1", cliponaxis=False), "问题状态分布")


def lights_bar(states: pd.DataFrame) -> go.Figure:
    """The traffic light of open problems, as one stacked bar; the legend carries the counts."""
    rows = states[states["grouping"] == "light"]
    return _figure([
        go.Bar(y=["在办"], x=[n], name=f"{LIGHT_LABELS[v]} {n:,}", orientation="h", marker_color=LIGHT_COLOURS[v])
        for v, n in zip(rows["value"], rows["count_problems"])
    ], "在办问题亮灯", height=260, y={"showticklabels": False}, barmode="stack",
        legend={"orientation": "h", "y": -0.3, "x": 0, "xanchor": "left", "yanchor": "top", "font": {"size": 16}})


def weekly_flow(weeks: pd.DataFrame) -> go.Figure:
    """Found and closed per week (bars) and the cumulative curves whose gap is the backlog."""
    return _figure([
        go.Bar(x=weeks["week_on"], y=weeks["count_found"], name="每周发现", marker_color=FOUND_COLOUR, opacity=0.45),
        go.Bar(x=weeks["week_on"], y=weeks["count_closed"], name="每周销号", marker_color=CLOSED_COLOUR, opacity=0.45),
        go.Scatter(x=weeks["week_on"], y=weeks["cumulative_found"], name="累计发现", yaxis="y2",
                   line={"color": FOUND_COLOUR, "width": 3}),
        go.Scatter(x=weeks["week_on"], y=weeks["cumulative_closed"], name="累计销号", yaxis="y2",
                   line={"color": CLOSED_COLOUR, "width": 3}),
    ], "每周发现与销号（两条累计线之间的差距就是积压）", height=420, dates=True, barmode="group",
        y={"title": {"text": "每周"}, "rangemode": "tozero"},
        yaxis2={"overlaying": "y", "side": "right", "showgrid": False, "title": {"text": "累计"}, "rangemode": "tozero"},
        # Below the plot: beside the long title it would overlap it on a laptop.
        legend={"orientation": "h", "y": -0.12, "x": 0, "xanchor": "left", "yanchor": "top"})


# A week with fewer closures than this share of a usual week (the week under way, the first week of
# the data, a holiday) does not set the scale of the rectification-time chart.
THIN_WEEK_SHARE = 0.25


def rectification_time(weeks: pd.DataFrame) -> go.Figure:
    """Median and 90th percentile of rectification time of each week's closures.

    The scale follows the usual weeks: a thin week (THIN_WEEK_SHARE) whose few closures took long
    would otherwise stretch the axis and flatten every other week; it runs off the top of the chart
    instead, with a note saying so, and its points are hollow."""
    closed = weeks["count_closed"].fillna(0)
    usual = closed[closed > 0].median() if (closed > 0).any() else 0
    thin = (closed > 0) & (closed < THIN_WEEK_SHARE * usual)
    y = {"title": {"text": "天"}, "rangemode": "tozero"}
    layout = {}
    scale = weeks.loc[~thin, "rectification_days_p90"].dropna()
    highest = weeks["rectification_days_p90"].max()
    if len(scale) and pd.notna(highest) and highest > scale.max() * 1.15:
        top = float(scale.max()) * 1.15
        y["range"] = [0, top]
        off = int((weeks["rectification_days_p90"] > top).sum())
        layout["annotations"] = [{"text": f"销号很少的 {off} 周超出图顶（最高 {highest:.0f} 天）", "showarrow": False,
                                  "xref": "paper", "yref": "paper", "x": 0, "y": 1.0, "xanchor": "left",
                                  "yanchor": "bottom", "font": {"size": 13, "color": "#666"}}]
    symbols = ["circle-open" if t else "circle" for t in thin]
    return _figure([
        go.Scatter(x=weeks["week_on"], y=weeks["rectification_days_median"], name="中位数", mode="lines+markers",
                   line={"width": 3, "color": CLOSED_COLOUR}, marker={"symbol": symbols, "size": 8}),
        go.Scatter(x=weeks["week_on"], y=weeks["rectification_days_p90"], name="90% 分位", mode="lines+markers",
                   line={"width": 3, "dash": "dash", "color": FOUND_COLOUR}, marker={"symbol": symbols, "size": 8}),
    ], "整改用时（按销号周）", height=320, dates=True, y=y, **layout)


def readiness_bar(readiness: pd.DataFrame) -> go.Figure:
    """Share of inspected points up to standard, by type, furthest behind first."""
    rows = readiness.dropna(subset=["up_to_standard_rate"]).head(15).iloc[::-1]
    return _figure(go.Bar(
        x=rows["up_to_standard_rate"], y=rows["group_name"], orientation="h",
        text=[f"{r:.0%}" for r in rows["up_to_standard_rate"]], textposition="outside", cliponaxis=False,
        marker_color=["#c0392b" if r < 0.85 else "#2ca02c" for r in rows["up_to_standard_rate"]],
    ), "点位达标率（最落后的在上）", height=max(300, 28 * len(rows) + 80), x={"tickformat": ".0%", "range": [0, 1.1]})


def rank_trend(history: pd.DataFrame, unit_name: str) -> go.Figure:
    """A unit's rank week by week, first place at the top, each point labelled with its rank."""
    ranked = history.dropna(subset=["rank"])
    # Whole places only, about five ticks: left to itself plotly ticks 19.5 too, which "d" writes 20.
    span = float(ranked["rank"].max() - ranked["rank"].min()) if len(ranked) else 0.0
    return _figure(go.Scatter(
        x=ranked["week_as_of"], y=ranked["rank"], mode="lines+markers+text", text=ranked["rank"],
        textposition="top center", line={"width": 3, "color": CLOSED_COLOUR}, marker={"size": 10}, cliponaxis=False,
    ), f"{unit_name} 近 {len(history)} 周名次", height=300, x={"tickformat": "%m-%d"},
        y={"autorange": "reversed", "title": {"text": "名次"}, "tickformat": "d", "dtick": max(1, math.ceil(span / 5))})


def projection(backlog: pd.DataFrame, pace: dict, milestone_on) -> tuple:
    """Where the burn-down's two lines run: from (as_of, open now), at the present pace to
    (pace_end, at_pace), and at the required pace to (milestone, 0)."""
    as_of = backlog["day_on"].iloc[-1]
    open_now = pace["count_open"]
    end = pd.Timestamp(milestone_on)
    days = max((end - pd.Timestamp(as_of)).days, 0)
    at_pace = max(open_now - pace["closures_per_day"] * days, 0)
    # At the present pace the line reaches zero on the projected day, or stops at the milestone.
    cleared = pace["projected_clearance_on"]
    pace_end = pd.Timestamp(cleared) if cleared is not None and not pd.isna(cleared) and pd.Timestamp(cleared) < end else end
    return as_of, open_now, pace_end, at_pace, end


def burn_down(backlog: pd.DataFrame, pace: dict, milestone_on, milestone_name: str) -> go.Figure:
    """Open problems day by day, then two straight lines to the milestone: where the present pace
    leads, and the pace needed to reach zero on the day."""
    as_of, open_now, pace_end, at_pace, end = projection(backlog, pace, milestone_on)
    return _figure([
        go.Scatter(x=backlog["day_on"], y=backlog["count_open"], name="在办问题", mode="lines",
                   line={"color": FOUND_COLOUR, "width": 3}),
        go.Scatter(x=[as_of, pace_end], y=[open_now, at_pace], name=f"按近期速度（到期时剩 {at_pace:,.0f} 个）",
                   mode="lines", line={"color": CLOSED_COLOUR, "width": 3, "dash": "dash"}),
        go.Scatter(x=[as_of, end], y=[open_now, 0], name="按期清零所需速度", mode="lines",
                   line={"color": "#2ca02c", "width": 3, "dash": "dot"}),
    ], "积压燃尽图", height=420, dates=True, y={"title": {"text": "在办问题"}, "rangemode": "tozero"},
        shapes=[_vline(end, {"color": "#555", "width": 2})],
        annotations=[{"x": end, "y": 1, "yref": "paper", "text": milestone_name, "showarrow": False,
                      "xanchor": "right", "yanchor": "top", "font": {"size": 16}}],
        legend={"orientation": "h", "y": -0.12, "x": 0, "xanchor": "left", "yanchor": "top"})


def milestone_timeline(calendar: pd.DataFrame, as_of) -> go.Figure:
    """The assessment calendar on one line: done milestones grey, the next one red, a line for today."""
    colours = ["#9e9e9e" if done else ("#c0392b" if nxt else CLOSED_COLOUR)
               for done, nxt in zip(calendar["is_done"], calendar["is_next"])]
    labels = [f"{name}<br>{pd.Timestamp(on):%m-%d}" for name, on in zip(calendar["name"], calendar["on_date"])]
    return _figure(go.Scatter(
        x=calendar["on_date"], y=[0] * len(calendar), mode="markers+text", text=labels,
        textposition=["top center" if i % 2 == 0 else "bottom center" for i in range(len(calendar))],
        marker={"size": 18, "color": colours}, cliponaxis=False, textfont={"size": 16},
    ), "测评日程", height=240, x={"tickformat": "%Y-%m", "dtick": "M1"}, y={"visible": False, "range": [-1, 1]},
        shapes=[_vline(pd.Timestamp(as_of), {"color": "#c0392b", "width": 2, "dash": "dot"})],
        annotations=[{"x": pd.Timestamp(as_of), "y": 1, "yref": "paper", "text": "统计日", "showarrow": False,
                      "font": {"size": 15}}],
        showlegend=False, margin={"l": 40, "r": 40, "t": 50, "b": 30})


SURVEY_LABELS = {"awareness": "知晓率", "support": "支持率", "participation": "参与率", "satisfaction": "满意度"}
SURVEY_COLOURS = {"awareness": "#1f77b4", "support": "#2ca02c", "participation": "#f0ad00", "satisfaction": "#c0392b"}


def survey_trend(rates: pd.DataFrame) -> go.Figure:
    """Each survey rate over the rounds, its target as a dotted line of the same colour."""
    traces = []
    for indicator, label in SURVEY_LABELS.items():
        rows = rates[rates["indicator"] == indicator]
        if rows.empty:
            continue
        colour = SURVEY_COLOURS[indicator]
        traces.append(go.Scatter(x=rows["surveyed_on"], y=rows["rate"], name=label, mode="lines+markers+text",
                                 # Only the newest value is labelled: four labelled lines collide.
                                 text=[""] * (len(rows) - 1) + [f"{rows['rate'].iloc[-1]:.1%}"],
                                 textposition="middle right",
                                 line={"color": colour, "width": 3}, cliponaxis=False))
        traces.append(go.Scatter(x=rows["surveyed_on"], y=rows["target"], name=f"{label}目标", mode="lines",
                                 line={"color": colour, "width": 1.5, "dash": "dot"}, showlegend=False))
    return _figure(traces, "问卷调查各项比率（虚线为目标）", height=380, dates=True,
                   y={"tickformat": ".0%", "title": {"text": "比率"}},
                   legend={"orientation": "h", "y": -0.15, "x": 0, "xanchor": "left", "yanchor": "top"})


def standing_bar(groups: pd.DataFrame, title: str, limit: int = 15) -> go.Figure:
    """Share of inspected points up to standard per group, furthest behind on top; a hollow diamond
    where the share stood before the latest inspection round. Red bars fell since then, green rose.
    The figures stand in a column right of the bars, where no marker can cover them."""
    rows = groups.dropna(subset=["up_to_standard_rate"]).head(limit).iloc[::-1]
    change = rows["rate_change"]
    labels = [f"{r:.0%}" + ("" if pd.isna(c) else f"（{c * 100:+.1f}）")
              for r, c in zip(rows["up_to_standard_rate"], change)]
    colours = ["#9e9e9e" if pd.isna(c) or abs(c) < 1e-9 else ("#c0392b" if c < 0 else "#2ca02c") for c in change]
    return _figure([
        go.Bar(x=rows["up_to_standard_rate"], y=rows["group_name"], orientation="h",
               name="现在（括号内为较上轮变化，百分点）", marker_color=colours),
        go.Scatter(x=rows["up_to_standard_rate_before"], y=rows["group_name"], mode="markers", name="上一轮检查前",
                   marker={"symbol": "diamond-open", "size": 13, "color": "#333", "line": {"width": 2}}),
        go.Scatter(x=[1.04] * len(rows), y=rows["group_name"], mode="text", text=labels, textposition="middle right",
                   textfont={"size": 15}, showlegend=False, cliponaxis=False, hoverinfo="skip"),
    ], title, height=max(300, 34 * len(rows) + 120), x={"tickformat": ".0%", "range": [0, 1.4], "tickvals": [0, 0.5, 1]},
        legend={"orientation": "h", "y": -0.1, "x": 0, "xanchor": "left", "yanchor": "top"},
        margin={"l": 70, "r": 20, "t": 60, "b": 80})

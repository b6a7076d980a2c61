"""Plotly figures built from query results: pure functions, no SQL, no Streamlit."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

# Fonts that carry Chinese on Windows, macOS and Linux, in that order of likelihood.
CJK_FONTS = "Microsoft YaHei, PingFang SC, Noto Sans CJK SC, Noto Sans SC, WenQuanYi Micro Hei, SimHei, sans-serif"
STATE_LABELS = {"pending": "待整改", "in_progress": "整改中", "awaiting_check": "待复核",
                "returned": "退回", "closed": "已销号"}
LIGHT_LABELS = {"red": "红灯（逾期）", "yellow": "黄灯（即将到期）", "green": "绿灯"}
LIGHT_COLOURS = {"red": "#d62728", "yellow": "#f0ad00", "green": "#2ca02c"}
FOUND_COLOUR, CLOSED_COLOUR = "#c0392b", "#1f77b4"


def _layout(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    """Readable from across a room: large type, no hover-only facts, room for labels."""
    fig.update_layout(
        title={"text": title, "font": {"size": 20}},
        font={"family": CJK_FONTS, "size": 15},
        height=height,
        margin={"l": 70, "r": 70, "t": 60, "b": 40},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        plot_bgcolor="white",
    )
    fig.update_xaxes(showgrid=False, automargin=True)
    fig.update_yaxes(gridcolor="#e5e5e5", automargin=True)
    return fig


def states_bar(states: pd.DataFrame) -> go.Figure:
    """Counts by the five states, each bar labelled with its number."""
    rows = states[states["grouping"] == "state"]
    labels = [STATE_LABELS[v] for v in rows["value"]]
    fig = go.Figure(go.Bar(x=labels, y=rows["count_problems"], text=rows["count_problems"],
                           textposition="outside", marker_color="#5b7db1", cliponaxis=False))
    return _layout(fig, "问题状态分布")


def lights_bar(states: pd.DataFrame) -> go.Figure:
    """The traffic light of open problems, as one stacked bar; the legend carries the counts."""
    rows = states[states["grouping"] == "light"]
    fig = go.Figure([
        go.Bar(y=["在办"], x=[n], name=f"{LIGHT_LABELS[v]} {n:,}", orientation="h", marker_color=LIGHT_COLOURS[v])
        for v, n in zip(rows["value"], rows["count_problems"])
    ])
    fig.update_yaxes(showticklabels=False)
    _layout(fig, "在办问题亮灯", height=260)
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.3, "x": 0, "xanchor": "left",
                                               "yanchor": "top", "font": {"size": 16}})
    return fig


def weekly_flow(weeks: pd.DataFrame) -> go.Figure:
    """Found and closed per week (bars) and the cumulative curves whose gap is the backlog."""
    fig = go.Figure([
        go.Bar(x=weeks["week_on"], y=weeks["count_found"], name="每周发现", marker_color=FOUND_COLOUR, opacity=0.45),
        go.Bar(x=weeks["week_on"], y=weeks["count_closed"], name="每周销号", marker_color=CLOSED_COLOUR, opacity=0.45),
        go.Scatter(x=weeks["week_on"], y=weeks["cumulative_found"], name="累计发现", yaxis="y2",
                   line={"color": FOUND_COLOUR, "width": 3}),
        go.Scatter(x=weeks["week_on"], y=weeks["cumulative_closed"], name="累计销号", yaxis="y2",
                   line={"color": CLOSED_COLOUR, "width": 3}),
    ])
    fig.update_layout(barmode="group", yaxis2={"overlaying": "y", "side": "right", "showgrid": False,
                                               "title": "累计", "rangemode": "tozero"},
                      yaxis={"title": "每周", "rangemode": "tozero"})
    _layout(fig, "每周发现与销号（两条累计线之间的差距就是积压）", height=420)
    # Below the plot: beside the long title it would overlap it on a laptop.
    fig.update_layout(legend={"orientation": "h", "y": -0.12, "x": 0, "xanchor": "left", "yanchor": "top"})
    return fig


def rectification_time(weeks: pd.DataFrame) -> go.Figure:
    """Median and 90th percentile of rectification time of each week's closures."""
    fig = go.Figure([
        go.Scatter(x=weeks["week_on"], y=weeks["rectification_days_median"], name="中位数", mode="lines+markers",
                   line={"width": 3, "color": CLOSED_COLOUR}),
        go.Scatter(x=weeks["week_on"], y=weeks["rectification_days_p90"], name="90% 分位", mode="lines+markers",
                   line={"width": 3, "dash": "dash", "color": FOUND_COLOUR}),
    ])
    fig.update_yaxes(title="天", rangemode="tozero")
    return _layout(fig, "整改用时（按销号周）", height=320)


def readiness_bar(readiness: pd.DataFrame) -> go.Figure:
    """Share of inspected points up to standard, by type, furthest behind first."""
    rows = readiness.dropna(subset=["up_to_standard_rate"]).head(15).iloc[::-1]
    fig = go.Figure(go.Bar(
        x=rows["up_to_standard_rate"], y=rows["group_name"], orientation="h",
        text=[f"{r:.0%}" for r in rows["up_to_standard_rate"]], textposition="outside", cliponaxis=False,
        marker_color=["#c0392b" if r < 0.85 else "#2ca02c" for r in rows["up_to_standard_rate"]],
    ))
    fig.update_xaxes(tickformat=".0%", range=[0, 1.1])
    return _layout(fig, "点位达标率（最落后的在上）", height=max(300, 28 * len(rows) + 80))


def rank_trend(history: pd.DataFrame, unit_name: str) -> go.Figure:
    """A unit's rank week by week, first place at the top, each point labelled with its rank."""
    ranked = history.dropna(subset=["rank"])
    fig = go.Figure(go.Scatter(
        x=ranked["week_as_of"], y=ranked["rank"], mode="lines+markers+text", text=ranked["rank"],
        textposition="top center", line={"width": 3, "color": CLOSED_COLOUR}, marker={"size": 10}, cliponaxis=False,
    ))
    fig.update_yaxes(autorange="reversed", title="名次", tickformat="d")
    fig.update_xaxes(tickformat="%m-%d")
    return _layout(fig, f"{unit_name} 近 {len(history)} 周名次", height=300)

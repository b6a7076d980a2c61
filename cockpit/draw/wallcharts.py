"""Charts for the big screen, drawn as plain SVG and HTML.

Why not plotly here: the wall is laid out at 1920×1080 and scaled as a whole on bigger screens
(screen.BIG_SCREEN_CSS), and plotly measures the scaled size and draws itself twice too big. SVG
scales with the page, is text the browser renders crisply at any size, and needs no script. All
labels are escaped here. Pure functions: data in, markup out.
"""

from __future__ import annotations

import base64
import html
import math
from dataclasses import dataclass

import pandas as pd

TEXT, GRID, MUTED = "#f5f7fa", "#2a3a5c", "#9fb3d1"
FONT = 20  # px in the 1920-wide layout: the smallest type on the wall


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    days: list            # dates (or timestamps) along x
    values: list          # numbers along y, same length
    dash: bool = False


def nice_step(value: float, intervals: int = 4) -> float:
    """The grid step: 1, 2 or 5 times a power of ten, so `intervals` steps reach value."""
    if value <= 0:
        return 1.0
    rough = value / intervals
    power = 10 ** math.floor(math.log10(rough))
    return next(power * step for step in (1, 2, 5, 10) if power * step >= rough)


def _short(value: float) -> str:
    return f"{value / 10000:g}万" if value >= 10000 else f"{value:,.0f}"


def lines(series: list[Series], width: int, height: int) -> str:
    """A line chart: y from zero to a round top with four grid lines, about six dates along x,
    the legend above the plot. Empty series are skipped; no series at all gives an empty note."""
    series = [s for s in series if len(s.days)]
    if not series:
        return "<div class='wall-empty'>暂无数据</div>"
    left, right, top, bottom = 90, 20, 44, 36
    days = [pd.Timestamp(d) for s in series for d in s.days]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    y_top = 4 * nice_step(max(max((v for v in s.values if v == v), default=0) for s in series))
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(day) -> float:
        return left + plot_w * (pd.Timestamp(day) - first).days / span

    def y(value) -> float:
        return top + plot_h * (1 - value / y_top)

    parts = [f"<svg class='wall-chart' viewBox='0 0 {width} {height}' width='{width}' height='{height}' "
             f"font-size='{FONT}' font-family='Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif' fill='{TEXT}' xmlns='http://www.w3.org/2000/svg'>"]
    for i in range(5):
        value = y_top * i / 4
        parts.append(f"<line x1='{left}' x2='{width - right}' y1='{y(value):.1f}' y2='{y(value):.1f}' stroke='{GRID}'/>")
        parts.append(f"<text x='{left - 10}' y='{y(value) + 7:.1f}' text-anchor='end' fill='{MUTED}'>{_short(value)}</text>")
    for tick in _date_ticks(first, last):
        anchor = "end" if x(tick) > width - right - 50 else "middle"  # the last date stays inside the chart
        parts.append(f"<text x='{x(tick):.1f}' y='{height - 8}' text-anchor='{anchor}' fill='{MUTED}'>"
                     f"{tick.month}月{tick.day}日</text>")
    legend_x = left
    for s in series:
        dash = " stroke-dasharray='10 7'" if s.dash else ""
        parts.append(f"<line x1='{legend_x}' x2='{legend_x + 30}' y1='16' y2='16' stroke='{s.colour}' stroke-width='4'{dash}/>")
        parts.append(f"<text x='{legend_x + 38}' y='23'>{html.escape(s.name)}</text>")
        legend_x += 38 + FONT * len(s.name) + 30
        points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in zip(s.days, s.values) if v == v)
        parts.append(f"<polyline points='{points}' fill='none' stroke='{s.colour}' stroke-width='4'{dash}/>")
    parts.append("</svg>")
    return as_image("".join(parts))


def as_image(svg: str) -> str:
    """st.html strips inline SVG, so the chart travels as an image in a data URI (nothing to fetch)."""
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f"<img class='wall-chart' alt='' src='data:image/svg+xml;base64,{encoded}'>"


def _date_ticks(first: pd.Timestamp, last: pd.Timestamp, count: int = 6) -> list[pd.Timestamp]:
    span = (last - first).days
    if span <= 0:
        return [first]
    step = max(round(span / (count - 1)), 1)
    return [first + pd.Timedelta(days=step * i) for i in range(count) if step * i <= span]


def bars(rows: list[tuple[str, float, str]], colour_of=None) -> str:
    """Horizontal bars, one row each: (label, share 0..1 of the longest bar, the figure written at the end)."""
    if not rows:
        return "<div class='wall-empty'>暂无数据</div>"
    out = []
    for label, share, text in rows:
        colour = colour_of(share) if colour_of else "#4c8bf5"
        width = max(min(share, 1.0), 0.0) * 100
        out.append(f"<div class='wall-bar'><span>{html.escape(label)}</span><div><i style='width:{width:.1f}%;"
                   f"background:{colour}'></i></div><b>{html.escape(text)}</b></div>")
    return "<div class='wall-bars'>" + "".join(out) + "</div>"

"""Big-screen mode (?screen=big): which page comes next, how often, and what the URL must keep.

Plain functions, no Streamlit: the frame (dashboard.py) calls them, and they are tested alone
because `run_every` timers do not fire in AppTest.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from cockpit.vocab.ranking import BETTER, WORSE

SCREEN_PARAM = "screen"
BIG = "big"
# Query parameters a rotation carries from page to page; st.switch_page drops all others.
KEPT_PARAMS = ("screen", "as_of", "interval", "pages")
MIN_INTERVAL, MAX_INTERVAL = 10, 3600
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|秒|m|min|分|分钟)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Rotation:
    pages: tuple[str, ...]   # url paths in order ("" is the default page)
    interval: int            # seconds on each page
    note: str = ""           # a problem with the URL's values, said in Chinese; empty when none


def is_big_screen(query_params) -> bool:
    return str(query_params.get(SCREEN_PARAM, "")).strip().lower() == BIG


def parse_interval(text: str | None, default: int) -> tuple[int, str]:
    """'90', '90s', '2m', '2分钟' -> seconds, kept within 10 s .. 1 h; a bad value gives the default."""
    if text is None or str(text).strip() == "":
        return default, ""
    match = _DURATION.match(str(text))
    if not match:
        return default, f"轮播间隔 interval={text} 无法识别，已用 {default} 秒"
    seconds = float(match.group(1)) * (60 if (match.group(2) or "s").lower() in ("m", "min", "分", "分钟") else 1)
    clamped = int(min(max(seconds, MIN_INTERVAL), MAX_INTERVAL))
    note = "" if clamped == seconds else f"轮播间隔已调整为 {clamped} 秒（允许 {MIN_INTERVAL} 秒到 {MAX_INTERVAL} 秒）"
    return clamped, note


def parse_pages(text: str | None, default: tuple[str, ...], known: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """'progress,rankings' -> the playlist; unknown names are dropped (and said), none left gives the default."""
    if text is None or str(text).strip() == "":
        return default, ""
    wanted = [p.strip().strip("/") for p in re.split(r"[,，\s]+", str(text)) if p.strip()]
    pages = tuple(p for p in wanted if p in known)
    unknown = [p for p in wanted if p not in known]
    if not pages:
        return default, f"轮播页面 pages={text} 都不认识，已用设置中的页面"
    return pages, (f"不认识的轮播页面已忽略：{'、'.join(unknown)}" if unknown else "")


def rotation(query_params, default_pages: tuple[str, ...], default_interval: int, known: tuple[str, ...]) -> Rotation:
    """The playlist and interval: settings, overridden by ?pages= and ?interval= in the URL."""
    pages, pages_note = parse_pages(query_params.get("pages"), default_pages, known)
    interval, interval_note = parse_interval(query_params.get("interval"), default_interval)
    return Rotation(pages, interval, "；".join(n for n in (pages_note, interval_note) if n))


def next_page(pages: tuple[str, ...], current: str) -> str:
    """The page after `current` in the playlist, wrapping round; the first when current is not in it."""
    if current not in pages:
        return pages[0]
    return pages[(pages.index(current) + 1) % len(pages)]


def is_due(started_at: float, now: float, interval: int) -> bool:
    """Whether the page has been on screen for its interval."""
    return now - started_at >= interval


def kept_params(query_params) -> dict[str, str]:
    """The parameters a page switch must carry, so the wall stays in screen mode on the same date."""
    return {k: str(query_params[k]) for k in KEPT_PARAMS if k in query_params and str(query_params[k]) != ""}


WALL_WIDTH = 1880  # the wall's layout width in CSS pixels: 1920 less the page's side padding


def needs_refresh(shown_version: str | None, live_version: str) -> bool:
    """Whether the wall shows an older database than the published one (a new import, or an undo)."""
    return shown_version is not None and shown_version != live_version


@dataclass(frozen=True)
class Column:
    label: str
    width: int               # share of the board's width, in per cent
    align: str = "left"      # "left" or "right" (numbers)
    tone: str = ""           # "alarm" paints the column's values red; "change": 好转 green, 变差 red


# Rows a rolling board keeps still at its top (the worst ones, as the lists are sorted), when it
# shows at least PIN_FROM rows: a leader glancing at the wall always sees them.
PINNED_ROWS = 3
PIN_FROM = 6


def _rows_height(count: int) -> str:
    return f"{count * 2.2:.1f}rem"  # a board row is 2.2rem high (.wall-board td)


def board(columns: list[Column], rows: list[list[str]], visible: int, empty: str = "无",
          seconds_per_row: float = 3.0) -> str:
    """A rolling board (DataV's 轮播表): a fixed window of `visible` rows; when there are more rows
    the first PINNED_ROWS stay put and the others move up one row at a time in a loop (whole rows,
    never one cut in half), so nobody needs a scrollbar. Values are escaped here, so text from the
    exports is shown as text."""
    def tone(column, value, tag):
        if column.tone != "change" or tag == "th":
            return column.tone
        return "good" if str(value).startswith(BETTER) else "bad" if str(value).startswith(WORSE) else ""

    def cells(row, tag="td"):
        return "".join(f"<{tag} class='{c.align} {tone(c, v, tag)}'>{html.escape(str(v))}</{tag}>"
                       for c, v in zip(columns, row))

    def table(body_rows, attrs=""):
        return (f"<table{attrs}><colgroup>{widths}</colgroup><tbody>"
                + "".join(f"<tr>{cells(r)}</tr>" for r in body_rows) + "</tbody></table>")

    widths = "".join(f"<col style='width:{c.width}%'>" for c in columns)
    head = f"<table><colgroup>{widths}</colgroup><thead><tr>{cells([c.label for c in columns], 'th')}</tr></thead></table>"
    pinned, top = 0, ""
    if not rows:
        body = f"<div class='wall-empty'>{html.escape(empty)}</div>"
    elif len(rows) <= visible:
        body = table(rows)
    else:
        pinned = PINNED_ROWS if visible >= PIN_FROM else 0
        kept, moving = rows[:pinned], rows[pinned:]
        top = table(kept, " class='pinned'") if kept else ""
        # Two copies: moving up by half the height loops seamlessly; one step per row keeps rows whole.
        body = table(moving + moving, f" class='rolling' style='animation-duration:{len(moving) * seconds_per_row:.0f}s;"
                                      f"animation-timing-function:steps({len(moving)})'")
    return (f"<div class='wall-board'>{head}{top}"
            f"<div class='wall-window' style='height:{_rows_height(visible - pinned)}'>{body}</div></div>")


def tile(label: str, value: str, delta: str | None = None, delta_color: str = "normal") -> str:
    """A headline figure for the wall (st.metric's chip colours are made for a white page): the week's
    change green when it is good news, red when bad, grey when nothing changed or it is neither."""
    tone = "off"
    if delta and delta_color != "off":
        up = not delta.startswith("-")
        tone = "good" if up == (delta_color == "normal") else "bad"
    change = f"<i class='{tone}'>{html.escape(delta)}</i>" if delta else ""
    return (f"<div class='wall-tile'><span>{html.escape(label)}</span>"
            f"<b>{html.escape(value)}</b>{change}</div>")


def clip(text, length: int) -> str:
    """Long descriptions cut to what a board's cell can show, with an ellipsis."""
    text = "" if text is None else str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


# The wall's look: no sidebar, toolbar or header, a dark high-contrast theme, large type (20 px is the
# smallest text at 1920×1080). Streamlit's baseFontSize is server-wide (tech-pitfalls §4.3), so screen
# mode scales its own page with CSS; on a 4K screen the whole page is zoomed, so it reads the same.
# The laptop's frame: the cockpit's own header line needs less room above it than Streamlit leaves
# for its top bar, and its title one line at 1366 px (at Streamlit's 2.75rem, or 2rem, it wraps in its column).
LAPTOP_CSS = """
<style>
.block-container { padding-top: 3rem !important; }
.stMain h1 { font-size: 1.75rem !important; }
</style>
"""

BIG_SCREEN_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
/* A rerun (new data, the next page) must not fade the wall or show skeletons. */
[data-stale="true"] { opacity: 1 !important; transition: none !important; }
/* Laid out for 1920×1080 and scaled as a whole on bigger screens (the DataV way), charts included. */
@media (min-width: 2400px) and (min-height: 1350px) {
  .stApp { transform: scale(1.3333); transform-origin: 0 0; width: 75% !important; height: 75% !important; } }
@media (min-width: 3200px) and (min-height: 1800px) {
  .stApp { transform: scale(2); transform-origin: 0 0; width: 50% !important; height: 50% !important; } }
.stApp { background: #0b1220; }
/* Component frames (the map) are sized by a measurement the scaling would double. */
.stMain iframe { max-width: 100% !important; }
.stApp, .stApp p, .stApp li, .stApp label, .stApp h1, .stApp h2, .stApp h3 { color: #f5f7fa; }
html { font-size: 20px; }
.block-container { padding: 0.6rem 1.2rem 0 1.2rem !important; max-width: 100% !important; }
.stMain [data-testid="stVerticalBlock"] { gap: 0.6rem; }
[data-testid="stMetricValue"] { font-size: 2.6rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.1rem !important; }
[data-testid="stMetricDelta"] { font-size: 1rem !important; }
[data-testid="stMetric"] { background: #16213a; border-radius: 0.5rem; padding: 0.4rem 0.9rem; }
.stApp h3 { font-size: 1.3rem !important; padding: 0.2rem 0 !important; }
.wall-head { display: flex; align-items: baseline; gap: 1.2rem; }
.wall-head h1 { font-size: 1.6rem !important; margin: 0 !important; padding: 0 !important; }
.wall-head h2 { font-size: 1.6rem !important; margin: 0 !important; padding: 0 !important; color: #ffd166 !important; }
.wall-stamp { font-size: 1rem; color: #c8d3e6; text-align: right; line-height: 1.4; }
.wall-countdown { font-size: 1.6rem; font-weight: 700; text-align: right; }
.wall-countdown b { color: #ff6b6b; font-size: 2.2rem; }
.cockpit-clock { font-size: 2rem; font-weight: 700; text-align: right; color: #ffd166; line-height: 1.3; }
.wall-notice { font-size: 1rem; color: #ffd166; }
.wall-board { font-size: 1.05rem; }
/* Separate borders inside a border-box cell: a row is exactly 2.2rem, so a window of N rows holds N whole rows. */
.wall-board table { width: 100%; table-layout: fixed; border-collapse: separate; border-spacing: 0; }
.wall-board th, .wall-board td { box-sizing: border-box; }
.wall-board th { color: #9fb3d1; font-weight: 600; padding: 0 0.5rem; height: 2rem; border-bottom: 2px solid #33415c; }
.wall-board td { padding: 0 0.5rem; height: 2.2rem; line-height: calc(2.2rem - 1px); border-bottom: 1px solid #1c2942;
                 white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.wall-board .left { text-align: left; } .wall-board .right { text-align: right; font-variant-numeric: tabular-nums; }
.wall-board .alarm { color: #ff6b6b; font-weight: 700; }
.wall-board .good { color: #4cd98a; } .wall-board .bad { color: #ff6b6b; }
.wall-window { overflow: hidden; }
.wall-board .rolling { animation-name: wall-roll; animation-iteration-count: infinite; }
.wall-board .pinned { border-bottom: 2px solid #33415c; }
@keyframes wall-roll { from { transform: translateY(0); } to { transform: translateY(-50%); } }
.wall-empty { color: #9fb3d1; padding: 0.5rem; }
.wall-title { font-size: 1.3rem; font-weight: 700; line-height: 2rem; }
.wall-tile { background: #16213a; border-radius: 0.5rem; padding: 0.3rem 0.9rem; line-height: 1.25; min-height: 6.6rem; }
.wall-tile span { display: block; font-size: 1.1rem; color: #c8d3e6; }
.wall-tile b { display: block; font-size: 2.5rem; font-weight: 600; }
.wall-tile i { display: block; font-style: normal; font-size: 1rem; }
.wall-tile .good { color: #4cd98a; } .wall-tile .bad { color: #ff6b6b; } .wall-tile .off { color: #9fb3d1; }
.wall-chart { width: 100%; height: auto; display: block; }
.wall-bars { display: flex; flex-direction: column; gap: 0.35rem; }
.wall-bar { display: grid; grid-template-columns: 14rem 1fr 4rem; align-items: center; gap: 0.6rem; font-size: 1.05rem; }
.wall-bar span { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.wall-bar div { background: #16213a; height: 1.3rem; border-radius: 0.2rem; }
.wall-bar i { display: block; height: 100%; border-radius: 0.2rem; }
.wall-bar b { text-align: right; font-variant-numeric: tabular-nums; }
.wall-lists { display: flex; gap: 0.8rem; font-size: 1.2rem; }
.wall-lists div { flex: 1; background: #16213a; border-radius: 0.5rem; padding: 0.5rem 0.9rem; line-height: 1.6; }
.wall-lists span { font-weight: 700; margin-right: 0.8rem; padding: 0.1rem 0.6rem; border-radius: 0.3rem; }
.wall-lists .red span { background: #1f7a4d; } .wall-lists .black span { background: #a83232; }
.wall-lights { display: flex; gap: 0.6rem; margin-bottom: 0.4rem; }
.wall-lights div { flex: 1; background: #16213a; border-radius: 0.5rem; padding: 0.2rem 0.8rem; }
.wall-lights span { display: block; font-size: 1.1rem; }
.wall-lights b { font-size: 2.4rem; }
.wall-lights .red b { color: #ff6b6b; } .wall-lights .yellow b { color: #ffd166; } .wall-lights .green b { color: #4cd98a; }
.wall-lines { font-size: 1.1rem; line-height: 2.2rem; }
.wall-lines b { color: #ffd166; }
.wall-line { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.wall-lines + .wall-title { margin-top: 0.4rem; }
</style>
"""

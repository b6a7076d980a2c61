"""Big-screen mode (?screen=big): which page comes next, how often, and what the URL must keep.

Plain functions, no Streamlit: the frame (dashboard.py) calls them, and they are tested alone
because `run_every` timers do not fire in AppTest (research/tech-pitfalls.md §4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


# The wall's look: no sidebar, toolbar or header, a dark high-contrast theme, large type. Streamlit's
# baseFontSize is server-wide (tech-pitfalls §4.3), so screen mode scales its own page with CSS.
BIG_SCREEN_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
.stApp { background: #0b1220; }
.stApp, .stApp p, .stApp li, .stApp label, .stApp h1, .stApp h2, .stApp h3 { color: #f5f7fa; }
html { font-size: 20px; }
.block-container { padding-top: 1rem !important; max-width: 100% !important; }
[data-testid="stMetricValue"] { font-size: 3.4rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
[data-testid="stMetric"] { background: #16213a; border-radius: 0.5rem; padding: 0.6rem 1rem; }
.cockpit-clock { font-size: 2.2rem; font-weight: 700; text-align: right; color: #ffd166; }
</style>
"""

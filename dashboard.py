"""The frame of the cockpit: page config, title, data stamp, countdown, and the pages."""

import mimetypes
import time
from datetime import datetime

import streamlit as st

from cockpit import access, screen, ui

# Some Windows servers map .js to text/plain, which browsers refuse to run (tech-pitfalls §1.3).
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("text/css", ".css")

# No page icons: a :material/…: icon becomes the tab's favicon, fetched from the internet.
# Keyed by the names the screen playlist uses (settings [screen] pages, ?pages=).
PAGES = {
    "progress": st.Page("pages/progress.py", title="整改进度", url_path="progress", default=True),
    "hotspots": st.Page("pages/hotspots.py", title="热点地图", url_path="hotspots"),
    "rankings": st.Page("pages/rankings.py", title="单位排名", url_path="rankings"),
    "countdown": st.Page("pages/countdown.py", title="测评倒计时", url_path="countdown"),
    "points": st.Page("pages/points.py", title="测评点位", url_path="points"),
    "brief": st.Page("pages/brief.py", title="会议要点", url_path="brief"),
    "quality": st.Page("pages/quality.py", title="数据质量", url_path="quality"),
    "definitions": st.Page("pages/definitions.py", title="口径说明", url_path="definitions"),
    "settings": st.Page("pages/settings.py", title="设置", url_path="settings"),
    "imports": st.Page("pages/imports.py", title="数据导入", url_path="imports"),
}


@st.fragment(run_every=1)
def wall_clock(rotation: screen.Rotation, current: str) -> None:
    """The wall's clock, and the rotation: after its interval the page hands over to the next."""
    now = time.time()
    shown_since = st.session_state.get("screen_shown")
    if not shown_since or shown_since[0] != current:
        shown_since = st.session_state["screen_shown"] = (current, now)
    st.html(f"<div class='cockpit-clock'>{datetime.now():%H:%M:%S}</div>")
    if len(rotation.pages) > 1 and screen.is_due(shown_since[1], now, rotation.interval):
        upcoming_page = screen.next_page(rotation.pages, current)
        st.session_state["screen_shown"] = (upcoming_page, now)
        st.switch_page(PAGES[upcoming_page], query_params=screen.kept_params(st.query_params))


settings = ui.settings()
big_screen = screen.is_big_screen(st.query_params)
page = st.navigation(list(PAGES.values()), position="hidden" if big_screen else "sidebar")
# An emoji favicon: a :material/…: page_icon would be fetched from the internet.
st.set_page_config(page_title=settings.title, page_icon="🏙️", layout="wide",
                   initial_sidebar_state="collapsed" if big_screen else "auto")
if big_screen:
    st.html(screen.BIG_SCREEN_CSS)

access.require_viewer(settings.viewer_login)
access.sidebar_status()
as_of = ui.as_of()
freshness = ui.one_row("data_freshness")
calendar = ui.query("milestone_countdown", **ui.milestone_params(settings, as_of))
upcoming = calendar[calendar["is_next"]]

title_col, stamp_col, countdown_col = st.columns([5, 3, 2], vertical_alignment="bottom")
title_col.title(settings.title)
if freshness.get("count_imports"):
    stamp_col.markdown(
        f"**数据截至 {ui.cn_date(freshness['last_event_at'])}**  \n"
        f"最近导入 {freshness['last_imported_at']:%Y-%m-%d %H:%M} · 显示为 {ui.cn_date(as_of)} 的情况"
    )
else:
    stamp_col.markdown(f"**尚未导入数据** · 显示为 {ui.cn_date(as_of)} 的情况")
if len(upcoming):
    nxt = upcoming.iloc[0]
    countdown_col.metric(f"距{nxt['name']}", f"{int(nxt['days_left'])} 天")
else:
    countdown_col.metric("下一个节点", "日程已全部完成")

if big_screen:
    current = next(name for name, p in PAGES.items() if p.url_path == page.url_path)
    rotation = screen.rotation(st.query_params, settings.screen_pages, settings.screen_interval,
                               tuple(name for name in PAGES if name != "settings"))
    with stamp_col:
        wall_clock(rotation, current)
    if rotation.note:
        st.caption(rotation.note)

page.run()

"""The frame of the cockpit: page config, title, data stamp, countdown, and the pages."""

import html
import logging
import mimetypes
import time
from datetime import date, datetime

import streamlit as st

from cockpit.web import access, addresses, cached, fmt, screen, wallmode, zh_overlay

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
    "login": st.Page("pages/login.py", title="登录", url_path="login"),
    "rechecks": st.Page("pages/rechecks.py", title="回头看", url_path="rechecks"),
    "areas": st.Page("pages/areas.py", title="片区与网格", url_path="areas"),
}

# The sidebar in the campaign's families: what the figures say, the meeting loop, the office's own work.
NAV_SECTIONS = {
    "看板": ("progress", "hotspots", "rankings", "areas", "countdown", "points"),
    "调度与督查": ("brief", "rechecks"),
    "数据与设置": ("imports", "quality", "definitions", "settings", "login"),
}

# The pages a wall can show; the staff pages are not for the wall.
WALL_PAGES = ("progress", "hotspots", "rankings", "countdown", "points", "brief",
              "areas")
RETRY_SECONDS = 15  # after a failure the wall tries again this often, by itself
log = logging.getLogger("cockpit.wall")


@st.fragment(run_every=1)
def wall_clock(rotation: screen.Rotation, current: str) -> None:
    """The wall's clock, its refresh and its rotation. Each second: a new import (or an undo) reruns
    the page on the new data; after a failure it retries; after its interval the page hands over."""
    now = time.time()
    shown_since = st.session_state.get("screen_shown")
    if not shown_since or shown_since[0] != current:
        shown_since = st.session_state["screen_shown"] = (current, now)
    st.html(f"<div class='cockpit-clock'>{datetime.now():%H:%M:%S}</div>")
    failed_at = st.session_state.get("wall_failed_at")
    if screen.needs_refresh(st.session_state.get("wall_version"), cached.data_version()) or (
            failed_at and now - failed_at >= RETRY_SECONDS):
        st.rerun(scope="app")
    if len(rotation.pages) > 1 and screen.is_due(shown_since[1], now, rotation.interval):
        upcoming_page = screen.next_page(rotation.pages, current)
        st.session_state["screen_shown"] = (upcoming_page, now)
        st.switch_page(PAGES[upcoming_page], query_params=screen.kept_params(st.query_params))


def wall(page, settings) -> None:
    """Screen mode: one header line (title, page, data stamp, countdown, clock), then the page's wall
    layout. A failure never reaches the wall as a traceback: the figures stay, a notice says so."""
    st.session_state["wall_version"] = cached.data_version()
    st.session_state.pop("wall_trouble", None)
    current = next((name for name, p in PAGES.items() if p.url_path == page.url_path), "")
    rotation = screen.rotation(st.query_params, settings.screen_pages, settings.screen_interval, WALL_PAGES)
    head, stamp, countdown, clock = st.columns([7, 5, 3, 2], vertical_alignment="center")
    head.html(f"<div class='wall-head'><h1>{html.escape(settings.title)}</h1><h2>{page.title}</h2></div>")
    with clock:
        wall_clock(rotation, current)
    stamp_box = stamp.empty()
    stamp_text, failed = "", False
    try:
        as_of = cached.as_of()
        stamp_text = wall_stamp(as_of)
        stamp_box.html(f"<div class='wall-stamp'>{stamp_text}</div>")
        countdown.html(f"<div class='wall-countdown'>{wall_countdown(settings, as_of)}</div>")
        inside = wallmode.IN_WALL_FRAME.set(True)
        try:
            page.run()
        finally:
            wallmode.IN_WALL_FRAME.reset(inside)
    except wallmode.WallDone:
        pass
    except Exception:  # noqa: BLE001 - logged for the office, a notice on the wall
        log.exception("screen page %s failed", current)
        failed = True
    finally:
        stamp_box.html(f"<div class='wall-stamp'>{wall_notes(stamp_text, failed, rotation.note)}</div>")


def wall_notes(stamp_text: str, failed: bool, rotation_note: str) -> str:
    """The data stamp, and what went wrong: a page that failed, figures kept from an earlier read, a
    URL the rotation could not follow. A failure also schedules the retry (see wall_clock)."""
    trouble = st.session_state.get("wall_trouble")
    notes = [stamp_text] if stamp_text else []
    if failed:
        notes.append("<span class='wall-notice'>数据暂时无法读取，稍后自动重试</span>")
    elif trouble:
        notes.append(f"<span class='wall-notice'>数据暂时无法读取，显示的是 {trouble:%H:%M} 的数据</span>")
    if failed or trouble:
        st.session_state["wall_failed_at"] = time.time()
    else:
        st.session_state.pop("wall_failed_at", None)
    if rotation_note:
        notes.append(f"<span class='wall-notice'>{html.escape(rotation_note)}</span>")
    return "<br>".join(notes)


def wall_stamp(as_of) -> str:
    freshness = cached.one_row("data_freshness")
    if not freshness.get("count_imports"):
        return "尚未导入数据"
    shown = "" if as_of == date.today() else f" · 显示为 {fmt.cn_date(as_of)} 的情况"
    return f"<b>数据截至 {fmt.cn_date(freshness['last_event_at'])}</b>{shown}"


def wall_countdown(settings, as_of) -> str:
    nxt = cached.next_milestone(settings, as_of)
    if nxt is None:
        return "测评日程已全部完成"
    return f"距{html.escape(nxt['name'])} <b>{int(nxt['days_left'])}</b> 天"


def laptop_header(settings) -> None:
    """The frame's header on a laptop: title, data stamp, days to the next milestone."""
    as_of = cached.as_of()
    freshness = cached.one_row("data_freshness")
    nxt = cached.next_milestone(settings, as_of)
    title_col, stamp_col, countdown_col = st.columns([5, 3, 2], vertical_alignment="bottom")
    title_col.title(settings.title)
    if freshness.get("count_imports"):
        stamp_col.markdown(
            f"**数据截至 {fmt.cn_date(freshness['last_event_at'])}**  \n"
            f"最近导入 {freshness['last_imported_at']:%Y-%m-%d %H:%M} · 显示为 {fmt.cn_date(as_of)} 的情况"
        )
    else:
        stamp_col.markdown(f"**尚未导入数据** · 显示为 {fmt.cn_date(as_of)} 的情况")
    if nxt is not None:
        countdown_col.metric(f"距{fmt.md(nxt['name'])}", f"{int(nxt['days_left'])} 天")
    else:
        countdown_col.metric("下一个节点", "日程已全部完成")


settings = cached.settings()
wall_asked = screen.is_big_screen(st.query_params)
page = st.navigation({section: [PAGES[name] for name in names] for section, names in NAV_SECTIONS.items()},
                     # Every page listed: folded, the list ends in Streamlit's English "View 3 more".
                     position="hidden" if wall_asked else "sidebar", expanded=True)
# A staff page has no wall layout: asked for on the big screen it shows as on a laptop, since the
# wall's dark style would leave its tabs and notices white on white.
big_screen = wall_asked and any(PAGES[name].url_path == page.url_path for name in WALL_PAGES)
# An emoji favicon: a :material/…: page_icon would be fetched from the internet.
st.set_page_config(page_title=settings.title, page_icon="🏙️", layout="wide",
                   initial_sidebar_state="collapsed" if wall_asked else "auto")
st.html(screen.BIG_SCREEN_CSS if big_screen else screen.LAPTOP_CSS)
st.html(zh_overlay.overlay_html(), unsafe_allow_javascript=True)  # Streamlit's own English, in Chinese

access.require_viewer(settings.viewer_login)
access.sidebar_status()
if big_screen:
    wall(page, settings)
else:
    laptop_header(settings)
    missing = st.query_params.get(addresses.MISSING_PARAM)
    if missing:  # an address that names no page (cockpit/web/addresses.py sent it here)
        st.warning(addresses.missing_notice(fmt.md(missing), page.title))
    page.run()

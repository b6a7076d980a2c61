"""The frame of the cockpit: page config, title, data stamp, countdown, and the pages."""

import mimetypes

import streamlit as st

from cockpit import ui

# Some Windows servers map .js to text/plain, which browsers refuse to run (tech-pitfalls §1.3).
mimetypes.add_type("application/javascript", ".js")
mimetypes.add_type("text/css", ".css")

# No page icons: a :material/…: icon becomes the tab's favicon, fetched from the internet.
PAGES = [
    st.Page("pages/progress.py", title="整改进度", url_path="progress", default=True),
    st.Page("pages/hotspots.py", title="热点地图", url_path="hotspots"),
    st.Page("pages/rankings.py", title="单位排名", url_path="rankings"),
    st.Page("pages/countdown.py", title="测评倒计时", url_path="countdown"),
    st.Page("pages/points.py", title="测评点位", url_path="points"),
    st.Page("pages/brief.py", title="会议要点", url_path="brief"),
    st.Page("pages/settings.py", title="设置", url_path="settings"),
]

settings = ui.settings()
page = st.navigation(PAGES)
# An emoji favicon: a :material/…: page_icon would be fetched from the internet.
st.set_page_config(page_title=settings.title, page_icon="🏙️", layout="wide")

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

page.run()

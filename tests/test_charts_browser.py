"""The charts in headless Chromium, on the tiny world: drawn by the vendored plotly.js basic bundle
(cockpit.plotly_html), fetched once per tab from localhost, never Streamlit's full plotly.js; redrawn
when a filter changes in place and when the window narrows; a clear message in the chart's place
when the bundle cannot load."""

import re
from pathlib import Path

import pytest

from cockpit.draw.plotly_html import BOX_CLASS, UNLOADED
from cockpit.draw.vendor import PLOTLY_JS
from tests.browser import CHROMIUM, cockpit_browser, settle

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")

D = "2026-06-10"
DRAWN = f"n => document.querySelectorAll('.{BOX_CLASS} .main-svg').length >= n"
# The numbers written on the bars of the first chart (问题状态分布), left to right.
BAR_LABELS = (f"() => [...document.querySelector('.{BOX_CLASS}').querySelectorAll('.bars .point text')]"
              ".map(t => t.textContent)")


def test_charts_draw_with_the_basic_bundle_and_follow_the_filters(tiny_db_dir):
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page(1366, 768)
        fetched = []
        page.on("requestfinished", lambda r: fetched.append(r.url))
        page.goto(f"{base}/?as_of={D}&district=邗江区")
        page.wait_for_function(DRAWN, arg=4, timeout=60_000)
        # 邗江区 holds P03 P14 (closed), P07 (in progress), P17 (awaiting its check): tests/test_queries.py.
        assert page.evaluate(BAR_LABELS) == ["0", "1", "1", "0", "2"]
        # The weekly chart's dates are written in Chinese (plotly's own would be "May 18").
        ticks = page.evaluate(f"() => [...document.querySelectorAll('.{BOX_CLASS}')[2].querySelectorAll('.xtick text')]"
                              ".map(t => t.textContent)")
        assert ticks and all(re.fullmatch(r"\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月", t) for t in ticks), ticks

        page.get_by_role("button", name="清除筛选").click()  # a rerun in place: the chart is drawn again
        page.wait_for_function(f"() => ({BAR_LABELS})().join() === '4,5,2,1,8'", timeout=30_000)
        settle(page)

        page.locator('[data-testid="stSidebarNav"] a[href$="/countdown"]').first.click()
        page.get_by_role("heading", name="测评倒计时").wait_for(timeout=60_000)
        page.wait_for_function(DRAWN, arg=1, timeout=60_000)
        settle(page)
        assert page.locator("[data-testid='stException']").count() == 0

        # A narrower window: the chart is drawn again to its column's new width.
        width = f"() => document.querySelector('.{BOX_CLASS} .main-svg').getBoundingClientRect().width"
        wide = page.evaluate(width)
        page.set_viewport_size({"width": 1000, "height": 768})
        page.wait_for_function(f"w => ({width})() < w - 100", arg=wide, timeout=30_000)

    assert sum(url.endswith(PLOTLY_JS) for url in fetched) == 1, "the bundle is fetched once per tab"
    assert not [url for url in fetched if "PlotlyChart" in url], "Streamlit's own plotly.js was loaded"


def test_a_chart_whose_script_cannot_load_says_so(tiny_db_dir):
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page()
        page.route(f"**{PLOTLY_JS}", lambda route: route.abort())
        page.goto(f"{base}/?as_of={D}")
        page.get_by_text(UNLOADED).first.wait_for(timeout=60_000)
        assert page.locator(f".{BOX_CLASS} .main-svg").count() == 0

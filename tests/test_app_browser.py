"""The whole cockpit in headless Chromium on a small demo city, with every non-local request blocked:
each page draws without an error at big-screen and laptop sizes, and screenshots are kept."""

from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, only_local, streamlit_server
from tests.demo_world import demo_as_of, demo_exports, demo_store  # noqa: F401 (fixtures)

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")

# The default page lives at the root URL.
PAGES = {"": "整改进度", "hotspots": "热点地图", "rankings": "单位排名", "countdown": "测评倒计时", "points": "测评点位",
         "settings": "设置"}
NAV_TITLES = ("整改进度", "热点地图", "单位排名", "片区与网格", "测评倒计时", "测评点位", "会议要点", "回头看",
              "数据导入", "数据质量", "口径说明", "设置")
# How many lines the frame's title takes (the distinct tops of its text's boxes).
TITLE_LINES = """() => { const h = [...document.querySelectorAll('h1')].find(e => e.innerText.includes('驾驶舱'));
    const text = [...h.querySelectorAll('*'), h].flatMap(e => [...e.childNodes])
        .find(n => n.nodeType === 3 && n.textContent.includes('驾驶舱'));
    const r = document.createRange(); r.selectNodeContents(text);
    return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"""
SIZES = {"big": (1920, 1080), "laptop": (1366, 768)}


@pytest.fixture(scope="module")
def server(demo_store):
    with streamlit_server(None, env={"COCKPIT_DB": str(demo_store)}) as base:
        yield base


@pytest.mark.parametrize("size", SIZES)
def test_every_page_draws_offline(server, demo_as_of, size):
    blocked: list[str] = []
    width, height = SIZES[size]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("**/*", only_local(blocked))
            for path, title in PAGES.items():
                page.goto(f"{server}/{path}?as_of={demo_as_of}", wait_until="domcontentloaded")
                # The frame's title shows once dashboard.py has run the page through st.navigation.
                page.get_by_role("heading", name="示范市创建全国文明城市驾驶舱").wait_for(timeout=60_000)
                page.get_by_role("heading", name=title).wait_for(timeout=60_000)
                page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                       timeout=60_000)
                if path == "hotspots":
                    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
                    frame.wait_for_selector(".leaflet-overlay-pane canvas, .leaflet-overlay-pane path",
                                            state="attached", timeout=60_000)
                page.wait_for_timeout(1500)  # charts finish their first paint
                page.screenshot(path=str(SCREENSHOTS / f"{path or 'progress'}-{size}.png"))
                assert page.locator("[data-testid='stException']").count() == 0, path
                assert page.get_by_text("Page not found").count() == 0, path
                assert page.locator("[data-testid='stAlertContentError']").count() == 0, path
            if size == "laptop":
                nav = page.locator("[data-testid='stSidebarNav']").inner_text()
                title_lines = page.evaluate(TITLE_LINES)
        finally:
            browser.close()
    assert blocked == [], f"requests left localhost: {blocked}"
    if size == "laptop":
        # The sidebar lists every page itself, with no English "View N more" folding the rest away.
        for title in NAV_TITLES:
            assert title in nav
        assert "View" not in nav
        assert title_lines == 1  # the frame's title on one line (it wrapped at Streamlit's own size)

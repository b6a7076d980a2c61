"""The wall in headless Chromium on the tiny world: every playlist page in screen mode fits a
1920×1080 and a 3840×2160 screen with no scrollbar, no exception and no text under 20 px (in the
1920-wide layout); a new import shows on the wall by itself, without a reload."""

import shutil
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, SCREENSHOTS, cockpit_browser
from tests.test_wall import publish_one_more_problem

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")

D = "2026-06-10"
WALLS = {"progress": "整改进度", "hotspots": "热点地图", "rankings": "单位排名", "countdown": "测评倒计时",
         "points": "测评点位", "brief": "会议要点", "areas": "片区与网格"}
# What scrolls: the page's own scroll container (stMain) or the document itself.
SCROLLING = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const doc = document.scrollingElement;
  return [main.scrollHeight - main.clientHeight, main.scrollWidth - main.clientWidth,
          doc.scrollHeight - innerHeight, doc.scrollWidth - innerWidth];
}"""
# Text drawn smaller than 19.5 CSS px in the page (the wall's layout is 1920 wide at every size).
SMALL_TEXT = """() => [...document.querySelectorAll('[data-testid="stMain"] *')].filter(e => {
  if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) return false;
  const box = e.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && parseFloat(getComputedStyle(e).fontSize) < 19.5;
}).map(e => e.textContent.trim().slice(0, 20))"""


def wait_for_wall(page, title: str) -> None:
    page.locator(".wall-head h2", has_text=title).wait_for(timeout=60_000)
    page.wait_for_selector(".wall-board, .wall-tile", timeout=60_000)
    page.wait_for_timeout(2500)  # the map's frame and the last elements settle


@pytest.mark.parametrize("width,height", [(1920, 1080), (3840, 2160)])
def test_every_wall_fits_the_screen(tiny_db_dir, width, height):
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page(width, height)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for path, title in WALLS.items():
            page.goto(f"{base}/{path}?screen=big&as_of={D}&interval=3600")
            wait_for_wall(page, title)
            page.screenshot(path=str(SCREENSHOTS / f"wall-{path}-{width}.png"))
            assert page.locator("[data-testid='stException']").count() == 0, path
            assert max(page.evaluate(SCROLLING)) <= 1, f"{path} scrolls at {width}×{height}"
            assert page.evaluate(SMALL_TEXT) == [], path


def test_a_new_import_shows_on_the_wall_by_itself(tiny_db_dir, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(tiny_db_dir, store)
    with cockpit_browser(store) as (base, new_page):
        page = new_page()
        page.goto(f"{base}/?screen=big&as_of={D}&pages=progress&interval=3600")
        wait_for_wall(page, "整改进度")
        total = page.locator(".wall-tile", has_text="问题总数").locator("b")
        assert total.inner_text() == "20"
        page.evaluate("() => { window.stillTheSamePage = true; }")  # gone if the browser reloaded

        publish_one_more_problem(store)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.wall-tile')].some(t => t.innerText.startsWith('问题总数') "
            "&& t.querySelector('b').innerText === '21')", timeout=20_000)
        assert page.evaluate("() => window.stillTheSamePage") is True
        assert page.locator("[data-testid='stException']").count() == 0


def test_a_staff_page_asked_for_on_the_wall_shows_as_on_a_laptop(tiny_db_dir):
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page()
        page.goto(f"{base}/quality?screen=big&as_of={D}")
        page.get_by_role("heading", name="数据质量").wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SCREENSHOTS / "wall-staff-page-1920.png"))
        found = {"wall_head": page.locator(".wall-head").count(),
                 "background": page.evaluate("() => getComputedStyle(document.querySelector('.stApp')).backgroundColor"),
                 "errors": page.locator("[data-testid='stException']").count()}
    # The laptop layout in its light style: no wall header, not the wall's dark #0b1220.
    assert found == {"wall_head": 0, "background": "rgb(255, 255, 255)", "errors": 0}

"""Finished like a product, in headless Chromium on the tiny world: no English UI string from
Streamlit is left on any page, every address answers in Chinese, and the scorecard prints on A4."""

from pathlib import Path
from urllib.parse import quote

import pytest

from cockpit.web import access, zh_overlay
from tests.browser import CHROMIUM, CHROMIUM_ARGS, only_local, settle, streamlit_server
from tests.conftest import TINY_AS_OF, make_tiny_store

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")

PASSWORD = "创城2026!"
AS_OF = f"as_of={TINY_AS_OF.isoformat()}"
PAGES = ["", "hotspots", "rankings", "countdown", "points", "brief", "quality", "definitions", "settings", "imports",
         "login"]
# Visible text and the labels of visible elements (a tooltip or a screen reader reads them).
VISIBLE_TEXT = """() => {
  const seen = [];
  const shown = (el) => { const s = getComputedStyle(el);
    return s.display !== 'none' && s.visibility !== 'hidden' && (el.offsetParent || s.position === 'fixed'); };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (el && !el.closest('script,style') && shown(el)) seen.push(walker.currentNode.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder]')) {
    if (!shown(el)) continue;
    for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) seen.push(el.getAttribute(a));
  }
  return seen.join('\\n');
}"""


@pytest.fixture(scope="module")
def cockpit(tmp_path_factory):
    """The cockpit on the tiny world with one staff account; yields (base URL, a logged-in page)."""
    store = make_tiny_store(tmp_path_factory.mktemp("product") / "tiny-store")
    env = {"COCKPIT_DB": str(store), access.USERS_ENV: access.account_entry("王丽", PASSWORD, "staff")}
    blocked: list[str] = []
    with streamlit_server(None, env=env) as base, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.route("**/*", only_local(blocked))
            page.goto(f"{base}/login?{AS_OF}")
            page.get_by_label("用户名").fill("王丽")
            page.get_by_role("textbox", name="密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.get_by_text("已登录：王丽").first.wait_for(timeout=60_000)
            yield base, page
        finally:
            browser.close()
    assert blocked == [], f"requests left localhost: {blocked}"


def open_page(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name="示范市创建全国文明城市驾驶舱").wait_for(timeout=60_000)
    settle(page)
    page.wait_for_timeout(300)  # the overlay translates on the next animation frame


def english_left(text: str) -> list[str]:
    return [word for word in zh_overlay.MUST_NOT_SHOW if word in text]


def test_no_english_ui_string_remains_on_any_page(cockpit):
    base, page = cockpit
    for path in PAGES:
        open_page(page, f"{base}/{path}?{AS_OF}")
        assert english_left(page.evaluate(VISIBLE_TEXT)) == [], path
        assert page.locator("[data-testid='stMainMenuButton']:visible").count() == 0, path
    # The upload box states the cockpit's own limit (settings import.max_file_mb), in Chinese.
    open_page(page, f"{base}/imports?{AS_OF}")
    box = page.locator("[data-testid='stFileUploaderDropzone']").inner_text()
    assert "选择文件" in box and "每个文件不超过 200 MB" in box, box
    # The date picker, opened: months, weekdays and its quick ranges.
    open_page(page, f"{base}/?{AS_OF}")
    page.locator("[data-testid='stDateInputCalendarButton']").first.click()
    calendar = page.locator("[data-testid='stDateInputCalendar']")
    calendar.wait_for()
    page.wait_for_timeout(300)
    assert english_left(page.evaluate(VISIBLE_TEXT)) == []
    assert "6月" in calendar.inner_text() and "June" not in calendar.inner_text()
    page.keyboard.press("Escape")
    # A data grid's own toolbar offers no second, note-less export and no English search.
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.hover()
    page.wait_for_timeout(300)
    assert page.locator("[data-testid='stBaseButton-elementToolbar'][aria-label^='Download as CSV']:visible").count() == 0
    assert english_left(page.evaluate(VISIBLE_TEXT)) == []


def test_every_address_answers_in_chinese(cockpit):
    base, page = cockpit
    open_page(page, f"{base}/progress?{AS_OF}")  # the name the wall's rotation and bookmarks use
    assert page.url == f"{base}/?{AS_OF}"
    assert page.get_by_role("heading", name="整改进度").count() == 1
    open_page(page, f"{base}/{quote('单位排名')}?{AS_OF}")  # a page's Chinese title
    assert page.url.startswith(f"{base}/rankings?")
    assert page.get_by_role("heading", name="单位排名").count() == 1
    open_page(page, f"{base}/rankngs?{AS_OF}")  # mistyped
    assert page.get_by_text("没有“rankngs”这个页面，已打开“整改进度”。").count() == 1
    for path in ("progress", "rankngs", quote("单位排名")):
        open_page(page, f"{base}/{path}")
        assert page.get_by_text("Page not found").count() == 0, path
        assert page.locator("[data-testid='stDialog']").count() == 0, path


def test_the_scorecard_prints_on_a4_and_links_back(cockpit):
    base, page = cockpit
    open_page(page, f"{base}/rankings?{AS_OF}&card={quote('东关街道')}")
    back = page.get_by_role("link", name="← 返回单位排名")
    assert back.is_visible()
    page.set_viewport_size({"width": 703, "height": 900})  # A4's printable width, 186 mm at 96 dpi
    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    try:
        assert not back.is_visible()
        assert page.locator("[data-testid='stSidebar']:visible").count() == 0
        tables = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stTable] table')].map(t => ({
            rows: t.rows.length, width: t.getBoundingClientRect().right, room: document.documentElement.clientWidth}))""")
        assert [t["rows"] for t in tables] == [2, 3]  # P11 overdue; 东关街 and 东关菜场 (with headers)
        assert all(t["width"] <= t["room"] for t in tables), tables
        # The app frame does not clip: it is as tall as its content, so every row reaches the paper.
        frame = page.evaluate("""() => { const m = document.querySelector('[data-testid=stMain]');
            return [getComputedStyle(m).overflowY, m.scrollHeight <= m.clientHeight + 1]; }""")
        assert frame == ["visible", True]
        assert page.pdf(format="A4").startswith(b"%PDF")
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 1366, "height": 900})
    back.click()
    page.get_by_role("heading", name="为什么变化").wait_for(timeout=60_000)
    assert "card=" not in page.url and "who=" in page.url

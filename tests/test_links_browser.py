"""A unit named by a web address is text in the browser too: no link to it on 会议要点."""

from pathlib import Path

import pytest

from tests.browser import CHROMIUM, cockpit_browser, settle
from tests.test_markdown_escaping import URL_UNIT, make_names_web_addresses

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")


def test_the_brief_shows_a_web_address_unit_as_text(tiny_db_dir):
    make_names_web_addresses(tiny_db_dir)
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page(1366, 768)
        page.goto(f"{base}/brief?as_of=2026-06-10")
        page.get_by_role("heading", name="名次下降最多的单位").wait_for(timeout=60_000)
        settle(page)
        shown = page.locator("[data-testid='stMarkdownContainer']").all_inner_texts()
        links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert any(URL_UNIT in text.replace("\u2060", "") for text in shown)
    assert [href for href in links if "evil.example" in href] == []

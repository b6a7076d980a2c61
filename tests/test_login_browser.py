"""A staff login lasts in its browser: through a reload, in a new tab at a typed address and through a
link opened from another page, with an HttpOnly, SameSite=Strict cookie; logging out asks for the
password again, in every tab."""

from pathlib import Path

import pytest

from cockpit.web import access
from tests.browser import CHROMIUM, CHROMIUM_ARGS, only_local, settle, streamlit_server

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")

PASSWORD = "创城2026!"
LOGGED_IN = "已登录：王丽（工作人员）"


def open_at(context, url: str, blocked: list):
    page = context.new_page()
    page.route("**/*", only_local(blocked))
    page.goto(url)
    page.get_by_text("整改进度").first.wait_for(timeout=60_000)  # the sidebar's navigation: the app is up
    settle(page)
    return page


def asks_for_password(page) -> bool:
    return page.get_by_label("密码").count() > 0


def test_a_staff_login_survives_a_reload_and_a_new_tab_until_logout(tiny_db_dir):
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    env = {"COCKPIT_DB": str(tiny_db_dir), access.USERS_ENV: access.account_entry("王丽", PASSWORD, "staff")}
    with streamlit_server(None, env=env) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 900})
            page = open_at(context, f"{base}/settings?as_of=2026-06-10", blocked)
            assert asks_for_password(page)
            page.get_by_label("用户名").fill("王丽")
            page.get_by_label("密码").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.get_by_text(LOGGED_IN).wait_for(timeout=30_000)
            settle(page)
            [cookie] = [c for c in context.cookies() if c["name"] == access.COOKIE_NAME]
            assert (cookie["httpOnly"], cookie["sameSite"]) == (True, "Strict")
            assert cookie["expires"] > 0  # lasts beyond the browser's session

            page.reload()
            settle(page)
            assert page.get_by_text(LOGGED_IN).count() == 1 and not asks_for_password(page)

            tab = open_at(context, f"{base}/imports", blocked)  # a new tab, the address typed
            assert tab.get_by_text(LOGGED_IN).count() == 1 and not asks_for_password(tab)

            shared = context.new_page()  # a link sent in a chat, opened from another site's page
            shared.route("**/*", only_local(blocked))
            shared.set_content(f"<a href='{base}/settings'>驾驶舱</a>")
            shared.get_by_text("驾驶舱").click()
            shared.get_by_text(LOGGED_IN).wait_for(timeout=60_000)
            settle(shared)
            assert not asks_for_password(shared)
            shared.close()

            tab.get_by_role("button", name="退出登录").click()
            settle(tab)
            assert asks_for_password(tab)
            assert [c for c in context.cookies() if c["name"] == access.COOKIE_NAME] == []
            again = open_at(context, f"{base}/settings", blocked)
            assert asks_for_password(again) and again.get_by_text(LOGGED_IN).count() == 0
        finally:
            browser.close()
    assert blocked == []

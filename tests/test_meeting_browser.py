"""会议要点 in headless Chromium on a copy of the tiny world: a staff member logs in, assigns three
problems at the meeting of D, and the brief after their deadline opens with them (3 assigned, all overdue)."""

from pathlib import Path

import pytest

from cockpit.web import access
from tests.browser import CHROMIUM, SCREENSHOTS, cockpit_browser, settle

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")

PASSWORD = "调度会的密码"


def metric_value(page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_assign_three_problems_and_see_them_in_the_next_brief(tiny_db_dir, monkeypatch):
    monkeypatch.setenv(access.USERS_ENV, access.account_entry("王芳", PASSWORD))
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page(1366, 768)
        page.goto(f"{base}/login")
        page.get_by_label("用户名").fill("王芳")
        page.get_by_label("密码", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        settle(page)

        page.goto(f"{base}/brief?as_of=2026-06-10")
        page.get_by_role("heading", name="调度会交办").wait_for(timeout=60_000)
        settle(page)
        picker = page.locator("[data-testid='stMultiSelect']").filter(has_text="交办的问题")
        for problem_id in ("P08", "P11", "P15"):  # the three overdue problems of D
            picker.locator("input").click()
            page.keyboard.type(problem_id)
            page.keyboard.press("Enter")
            page.keyboard.press("Escape")
            settle(page)
        page.get_by_role("button", name="交办", exact=True).click()
        page.get_by_text("已保存：2026-06-10 调度会交办 3 项").wait_for(timeout=60_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "brief-assigned-laptop.png"), full_page=True)

        # The deadline is a week after the meeting (06-17): on 06-18 all three are overdue.
        page.goto(f"{base}/brief?as_of=2026-06-18")
        page.get_by_role("heading", name="上次调度会交办落实情况（2026年06月10日 调度会）").wait_for(timeout=60_000)
        settle(page)
        assert (metric_value(page, "交办"), metric_value(page, "已完成"), metric_value(page, "逾期未完成")) == (
            "3", "0", "3")
        page.get_by_text("未完成的 3 项").wait_for(timeout=10_000)

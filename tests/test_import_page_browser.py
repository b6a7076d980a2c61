"""The 数据导入 page in headless Chromium on a copy of the tiny world: a clerk logs in, drops two exports
into the real file input, reads the preview, downloads the bad rows, confirms, finds the new
problems on 整改进度, then undoes the import and finds them gone; and an upload that would abort the
sheet reader is refused while the server goes on."""

from pathlib import Path

import openpyxl
import pytest

from cockpit.web import access
from tests.browser import CHROMIUM, SCREENSHOTS, cockpit_browser, settle
from tests.test_import_page import INSPECTIONS_FILE, PROBLEMS_FILE

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")

PASSWORD = "导入用的密码"


def metric_value(page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


def open_from_sidebar(page, title: str) -> None:
    """Switch page inside the session (a new URL would be a new session, logged out)."""
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first.click()
    settle(page)


def test_a_clerk_uploads_previews_confirms_sees_the_new_figure_and_undoes_it(tiny_db_dir, tmp_path, monkeypatch):
    monkeypatch.setenv(access.USERS_ENV, access.account_entry("王芳", PASSWORD))
    files = []
    for name, data, _mime in (PROBLEMS_FILE, INSPECTIONS_FILE):
        files.append(tmp_path / name)
        files[-1].write_bytes(data)
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page(1366, 768)
        page.goto(f"{base}/")  # 整改进度 is the default page
        page.get_by_role("heading", name="整改进度").wait_for(timeout=60_000)
        settle(page)
        assert metric_value(page, "问题总数") == "21"

        open_from_sidebar(page, "数据导入")
        page.get_by_label("用户名").fill("王芳")
        page.get_by_label("密码", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        settle(page)

        page.locator("input[type='file']").set_input_files([str(f) for f in files])
        page.get_by_role("heading", name="导入前检查").wait_for(timeout=60_000)
        settle(page)
        page.get_by_text("状态变化 1 个（退回 → 已销号）：P08").wait_for(timeout=30_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "imports-preview-laptop.png"), full_page=True)

        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="下载问题行（Excel）").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        rows = list(openpyxl.load_workbook(saved)["问题行"].iter_rows(values_only=True))
        assert [r[:4] for r in rows] == [("文件", "行号", "列", "原值"), ("问题台账20260615.xlsx", 7, "整改状态", "不知道")]

        page.get_by_role("button", name="确认导入（2 个文件）").click()
        page.get_by_text("所有页面已按新数据显示").wait_for(timeout=60_000)
        settle(page)
        page.get_by_role("tab", name="导入记录").click()
        page.get_by_role("button", name="撤销最近一次导入").wait_for(timeout=30_000)
        page.screenshot(path=str(SCREENSHOTS / "imports-history-laptop.png"), full_page=True)

        open_from_sidebar(page, "整改进度")
        page.get_by_role("heading", name="整改进度").wait_for(timeout=60_000)
        assert metric_value(page, "问题总数") == "23"

        # Undo: the confirmation stays on the history tab, and every page is back to before.
        open_from_sidebar(page, "数据导入")
        page.get_by_role("tab", name="导入记录").click()
        page.get_by_role("button", name="撤销最近一次导入").click()
        page.get_by_role("button", name="确定撤销").click()
        page.get_by_text("数据已回到这次导入之前的状态").wait_for(timeout=60_000)
        settle(page)
        page.screenshot(path=str(SCREENSHOTS / "imports-undone-laptop.png"))
        open_from_sidebar(page, "整改进度")
        page.get_by_role("heading", name="整改进度").wait_for(timeout=60_000)
        assert metric_value(page, "问题总数") == "21"


def test_an_upload_asking_for_a_512_gib_grid_is_refused_and_the_server_goes_on(tiny_db_dir, tmp_path, monkeypatch):
    from cockpit.ingest import sheet_process
    from tests.test_hostile_sheets import handmade_xlsx, problem_rows

    monkeypatch.setenv(access.USERS_ENV, access.account_entry("王芳", PASSWORD))
    hostile = handmade_xlsx(tmp_path / "远处单元格.xlsx", problem_rows(1, "FAR"), {"XFD1048576": "x"})
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page(1366, 768)
        page.goto(f"{base}/imports")
        page.get_by_label("用户名").fill("王芳")
        page.get_by_label("密码", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        settle(page)

        page.locator("input[type='file']").set_input_files([str(hostile)])
        page.get_by_role("heading", name="导入前检查").wait_for(timeout=60_000)
        settle(page)
        page.get_by_text(f"不能导入：{sheet_process.too_big(sheet_process.READ_MEMORY_BYTES)}").wait_for(timeout=30_000)
        assert page.get_by_role("button", name="确认导入（0 个文件）").is_disabled()

        open_from_sidebar(page, "整改进度")  # the server runs the next page: it is still up
        page.get_by_role("heading", name="整改进度").wait_for(timeout=60_000)
        assert metric_value(page, "问题总数") == "21"

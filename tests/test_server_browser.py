"""The server's memory in headless Chromium: a database replaced by an import is closed, with all
DuckDB had read of it, even while a page that read it stays open with its downloads; and those
downloads still work, from the live file."""

import shutil
import time
from pathlib import Path

import openpyxl
import pytest

from cockpit.store import versions
from tests.browser import CHROMIUM, cockpit_browser, open_files, server_pid, settle
from tests.conftest import TINY_STORE_FILE

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")

D2 = "2026-06-12"


def open_page(new_page, base: str):
    page = new_page(1366, 768)
    page.goto(f"{base}/points?as_of={D2}")
    page.get_by_role("heading", name="测评点位").wait_for(timeout=60_000)
    settle(page)
    return page


def test_a_replaced_database_is_closed_while_a_page_that_read_it_stays_open(tiny_db_dir, tmp_path):
    first = (tiny_db_dir / TINY_STORE_FILE).resolve()
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        pid = server_pid(base)
        earlier = open_page(new_page, base)  # its downloads are registered with the server
        assert first in open_files(pid)

        second = tiny_db_dir / "cockpit-20260102-000000-000000.duckdb"
        shutil.copyfile(first, second)
        versions.publish(tiny_db_dir, second)  # what an import does at its end
        open_page(new_page, base)  # the next visitor reads the new file

        deadline = time.monotonic() + 10
        while first in open_files(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert first not in open_files(pid)
        assert second.resolve() in open_files(pid)

        # The earlier page's download of the monthly ranking runs when clicked, on the live file.
        with earlier.expect_download(timeout=30_000) as download:
            earlier.get_by_role("button", name="导出 Excel").nth(1).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        rows = openpyxl.load_workbook(saved).worksheets[0].iter_rows(min_row=2, values_only=True)
        assert [row[2] for row in rows] == ["PT03", "PT02", "PT04", "PT01"]

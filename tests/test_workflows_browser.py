"""The cockpit in headless Chromium on the tiny world, as its users work it: a clerk drills into a
breakdown and a problem, downloads lists and the bulletin, picks a place beside the map, sends the
URL to a colleague; the wall rotates its pages. Nothing may leave localhost."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest

from cockpit.draw import maps
from tests.browser import CHROMIUM, SCREENSHOTS, click_row, cockpit_browser, settle

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")

D = "2026-06-10"


def test_a_clerk_drills_down_exports_and_shares_the_view(tiny_db_dir, tmp_path):
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page(1366, 768)
        page.goto(f"{base}/?as_of={D}")
        page.get_by_role("heading", name="整改进度").wait_for(timeout=60_000)
        settle(page)

        # The breakdown by unit puts 汶河街道 first (most overdue); ticking it drills the list into it.
        click_row(page, 0, 0)
        page.get_by_text("责任单位“汶河街道”的问题 6 个").wait_for(timeout=30_000)
        assert parse_qs(urlsplit(page.url).query)["group"] == ["汶河街道"]

        # The whole list of 汶河街道, oldest first: P05 heads it; ticking it opens its record.
        click_row(page, 1, 0)
        page.get_by_text("历次导入中的记录").wait_for(timeout=30_000)
        assert parse_qs(urlsplit(page.url).query)["problem"] == ["P05"]
        assert page.get_by_text("垃圾桶满溢").count() >= 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "progress-drilled-laptop.png"))

        # The list's Excel export: every row, and a 说明 sheet with the view it came from.
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="导出 Excel").nth(1).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.name == f"责任单位“汶河街道”的问题-{D}.xlsx"
        book = openpyxl.load_workbook(saved)
        data, notes = book.worksheets[0], dict(book["说明"].iter_rows(values_only=True))
        assert [row[0] for row in data.iter_rows(min_row=2, values_only=True)] == [
            "P05", "P06", "P08", "P15", "P18", "P19"]
        assert (notes["统计日期"], notes["筛选条件"], notes["行数"]) == (D, "无（全部问题）", "6")
        assert notes["清单"] == "责任单位“汶河街道”的问题 6 个"

        # A colleague opening the same URL sees the same view.
        colleague = new_page()
        colleague.goto(page.url)
        colleague.get_by_text("责任单位“汶河街道”的问题 6 个").wait_for(timeout=60_000)
        colleague.get_by_text("历次导入中的记录").wait_for(timeout=30_000)


def test_the_weekly_bulletin_downloads(tiny_db_dir, tmp_path):
    import docx  # python-docx

    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page()
        page.goto(f"{base}/rankings?as_of={D}")
        page.get_by_role("heading", name="单位排名").wait_for(timeout=60_000)
        settle(page)
        saved = {}
        for label in ("导出周通报（Excel", "导出周通报草稿（Word）"):
            with page.expect_download(timeout=30_000) as download:
                page.get_by_role("button", name=label).click()
            saved[label] = tmp_path / download.value.suggested_filename
            download.value.save_as(saved[label])
    book = openpyxl.load_workbook(saved["导出周通报（Excel"])
    assert "街道乡镇排名" in book.sheetnames and "说明" in book.sheetnames
    streets = [row[:3] for row in book["街道乡镇排名"].iter_rows(min_row=2, values_only=True)]
    assert streets[:2] == [(1, "汶河街道", 70.0), (2, "东关街道", 55.0)]
    text = "\n".join(p.text for p in docx.Document(saved["导出周通报草稿（Word）"]).paragraphs)
    assert "全市共发现问题20个，已销号8个" in text


def test_a_place_chosen_beside_the_map_centres_it_and_lists_its_problems(tiny_db_dir):
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page()
        page.goto(f"{base}/hotspots?as_of={D}")
        page.get_by_role("heading", name="热点地图").wait_for(timeout=60_000)
        page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000)
        settle(page)
        click_row(page, 0, 0)  # 东关街, the place with most open problems
        page.get_by_text("东关街的问题（4 个，在办的在前）").wait_for(timeout=30_000)
        assert parse_qs(urlsplit(page.url).query)["place"] == ["point:PT04"]
        frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
        # With no tiles a place opens at the zoom that keeps its street in view.
        frame.wait_for_function(f"() => window.map && window.map.getZoom() === {maps.OUTLINE_FOCUS_ZOOM}", timeout=30_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "hotspots-focused-big.png"))


def test_the_wall_rotates_to_the_next_page_in_screen_mode(tiny_db_dir):
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page()
        page.goto(f"{base}/brief?as_of={D}&screen=big&pages=brief,rankings&interval=10")
        page.get_by_role("heading", name="会议要点").wait_for(timeout=60_000)
        assert page.locator("[data-testid='stSidebar']").is_hidden()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "brief-screen-big.png"))
        # Ten seconds on the brief, then the rankings, still on the wall's date and in screen mode.
        page.get_by_role("heading", name="单位排名").wait_for(timeout=40_000)
        query = parse_qs(urlsplit(page.url).query)
        assert urlsplit(page.url).path.endswith("/rankings")
        assert (query["screen"], query["as_of"], query["interval"]) == (["big"], [D], ["10"])
        assert page.locator("[data-testid='stException']").count() == 0

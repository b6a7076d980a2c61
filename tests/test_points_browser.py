"""The 测评点位 page in headless Chromium on the tiny world: a clerk opens the worst point of the month,
downloads the monthly ranking, and follows the point to the hotspot map."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest

from cockpit.draw import maps
from tests.browser import CHROMIUM, SCREENSHOTS, click_row, cockpit_browser, settle

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")

D2 = "2026-06-12"  # I05 failed PT02 on 06-11: the ranking has a point that was also ranked in May


def test_a_clerk_opens_the_worst_point_exports_the_ranking_and_maps_it(tiny_db_dir, tmp_path):
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page(1366, 768)
        page.goto(f"{base}/points?as_of={D2}")
        page.get_by_role("heading", name="测评点位").wait_for(timeout=60_000)
        settle(page)

        # The second table is the monthly ranking: 文昌广场 (PT03) heads it; ticking it opens its record.
        click_row(page, 1, 0)
        page.get_by_text("文昌广场（PT03）").wait_for(timeout=30_000)
        assert parse_qs(urlsplit(page.url).query)["point"] == ["PT03"]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "points-record-laptop.png"))

        # The ranking's Excel: the second 导出 Excel (the first is the standing by type).
        with page.expect_download(timeout=30_000) as download:
            page.get_by_role("button", name="导出 Excel").nth(1).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.name == f"2026年6月未达标点位排名-{D2}.xlsx"
        book = openpyxl.load_workbook(saved)
        assert book.sheetnames == ["2026年6月未达标点位排名", "说明"]
        assert [row[:3] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == [
            (1, "新上榜", "PT03"), (2, "好转1", "PT02"), (3, "新上榜", "PT04"), (4, "好转3", "PT01")]
        notes = dict(book["说明"].iter_rows(values_only=True))
        assert (notes["统计日期"], notes["数据截至"], notes["筛选条件"], notes["行数"]) == (
            D2, "2026年06月11日", "无（全部点位）", "4")

        # The record's link opens the hotspot map centred on the point, with its problems listed.
        page.get_by_text("在热点地图上查看“文昌广场”").click()
        page.get_by_role("heading", name="热点地图").wait_for(timeout=60_000)
        page.get_by_text("文昌广场的问题（1 个，在办的在前）").wait_for(timeout=60_000)
        query = parse_qs(urlsplit(page.url).query)
        assert (query["place"], query["as_of"]) == (["point:PT03"], [D2])
        frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
        # With no tiles a place opens at the zoom that keeps its street in view.
        frame.wait_for_function(f"() => window.map && window.map.getZoom() === {maps.OUTLINE_FOCUS_ZOOM}", timeout=30_000)

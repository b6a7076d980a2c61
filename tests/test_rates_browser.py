"""Rates as Chromium draws them on laptop tables of the tiny world: one decimal (84.8%), rounded as
the wall and the bulletin round them. The grid is a canvas, so the test records the text it draws."""

import re
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, SCREENSHOTS, cockpit_browser, settle
from tests.test_rate_columns import write_rechecks

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")

D = "2026-06-10"
# Every string a canvas draws, kept in window.drawnText (st.dataframe's cells are drawn with fillText).
RECORD_DRAWN_TEXT = """(() => {
  window.drawnText = [];
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    window.drawnText.push(String(text));
    return fill.call(this, text, ...rest);
  };
})()"""
PERCENT = re.compile(r"\d+(\.\d+)?%")


def drawn_percentages(page, base: str, path: str, heading: str, shot: str) -> set[str]:
    page.goto(f"{base}/{path}?as_of={D}")
    page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=60_000)
    page.wait_for_selector("[data-testid='stDataFrame'] canvas", timeout=60_000)
    settle(page)
    page.wait_for_timeout(1500)  # the grid's first paint
    page.screenshot(path=str(SCREENSHOTS / shot))
    return {text for text in page.evaluate("window.drawnText") if PERCENT.fullmatch(text)}


def test_laptop_tables_draw_rates_with_one_decimal(tiny_db_dir):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page(1366, 768)
        page.add_init_script(RECORD_DRAWN_TEXT)

        # The breakdown by unit: 销号率 3/6 2/5 1/5 2/4 (bars), 按期整改率 2/4 2/4 — 0/2 (50% before).
        assert drawn_percentages(page, base, "", "整改进度", "progress-rates-laptop.png") == {
            "50.0%", "40.0%", "20.0%", "0.0%"}

        # 整改到位率 once staff have written a round of re-checks (the cockpit reads the new version by
        # itself): 东关街道 1 of 2, 汶河街道 1 of 1, all units 2 of 3 (66.67% before; 66.6% if cut).
        write_rechecks(tiny_db_dir)
        assert drawn_percentages(page, base, "rechecks", "回头看", "rechecks-rates-laptop.png") == {
            "50.0%", "100.0%", "66.7%"}

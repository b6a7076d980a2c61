"""测评倒计时 in headless Chromium on the tiny world with two years of results: every metric's label is
read whole (no ellipsis) on a 1366×768 laptop and a 1920×1080 screen."""

from pathlib import Path

import pytest

from cockpit.ingest import writing
from tests.browser import CHROMIUM, SCREENSHOTS, cockpit_browser, settle
from tests.test_import import write_csv

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")

D = "2026-06-10"
# Each metric label as the page writes it, and whether any part of it is cut (wider than its box).
LABELS = """() => [...document.querySelectorAll("[data-testid='stMetricLabel']")].map(label => [
  label.innerText.trim(),
  [label, ...label.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1),
])"""


@pytest.mark.parametrize("width, height", [(1366, 768), (1920, 1080)])
def test_every_countdown_metric_label_reads_whole(tiny_db_dir, tmp_path, width, height):
    results = write_csv(tmp_path / "历年成绩.csv", ["年度", "得分", "全省排名", "参评城市数", "目标名次分数线"],
                        [["2024", "80", "9", "12", "83.0"], ["2025", "84", "10", "12", "84.5"]])
    assert [o.status for o in writing.import_files([results], db_directory=tiny_db_dir).outcomes] == ["imported"]
    with cockpit_browser(tiny_db_dir) as (base, new_page):
        page = new_page(width, height)
        page.goto(f"{base}/countdown?as_of={D}")
        page.get_by_role("heading", name="历年测评成绩").wait_for(timeout=60_000)
        settle(page)
        labels = dict(page.evaluate(LABELS))
        page.get_by_role("heading", name="历年测评成绩").scroll_into_view_if_needed()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"countdown-results-{width}.png"))
    assert {"3 年总评（已有年度）", "总评达标今年需得", "进前 10 名今年约需", "全省倒数三名"} <= set(labels)
    assert [label for label, cut in labels.items() if cut] == []

"""Real-browser check that the hotspot map draws with every non-local request blocked."""

import os
import shutil
import tempfile
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, ROOT, SCREENSHOTS, only_local, streamlit_server

FIXTURE = ROOT / "tests" / "fixtures" / "map_app.py"
SCREENSHOT = SCREENSHOTS / "map_offline.png"

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")

# Counts the non-blank pixels of every canvas in Leaflet's overlay pane (prefer_canvas draws
# markers and outlines there; the heat layer has its own canvas), plus any SVG paths.
COUNT_DRAWN = """() => {
    const pane = document.querySelector('.leaflet-overlay-pane');
    if (!pane) return {paths: 0, pixels: 0};
    let pixels = 0;
    for (const c of pane.querySelectorAll('canvas')) {
        if (!c.width || !c.height) continue;
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) pixels++;
    }
    return {paths: pane.querySelectorAll('path').length, pixels: pixels};
}"""


# From the fixture (lat, lng): the busiest cell, whose label carries a <script> tag; the one
# 点位, whose name carries an <img onerror>; the one 反弹 place, whose label carries ${...}.
ZHONGLOU = (34.2610, 108.9420)
POINT = (34.2550, 108.9500)
REBOUND = (34.2660, 108.9300)


def open_popup_at(frame, latlng) -> str:
    """Click the map where `latlng` is drawn and return the opened popup's text.

    st_folium's component exposes the Leaflet map as window.map.
    """
    frame.evaluate("() => window.map.closePopup()")
    # Leaflet fades a closed popup out before removing it: a click meanwhile would land on it.
    frame.wait_for_selector(".leaflet-popup", state="detached", timeout=10_000)
    point = frame.evaluate("([lat, lng]) => window.map.latLngToContainerPoint([lat, lng])",
                           list(latlng))
    frame.locator("#map_div").click(position={"x": point["x"], "y": point["y"]})
    frame.wait_for_selector(".leaflet-popup-content", timeout=10_000)
    # Wait out Leaflet's fade-in so the screenshot shows the popup, then drop the hover tooltip.
    frame.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'",
        timeout=10_000)
    frame.page.mouse.move(0, 0)
    return frame.inner_text(".leaflet-popup-content").strip()


def open_layer_switch(frame) -> None:
    """Point at the folded layer switch so it opens. Not frame.hover: the opened box hides the
    icon under the pointer, which Playwright takes for an element that went away."""
    icon = frame.locator(".leaflet-control-layers-toggle").bounding_box()
    frame.page.mouse.move(icon["x"] + icon["width"] / 2, icon["y"] + icon["height"] / 2)
    frame.wait_for_selector(".leaflet-control-layers-list", state="visible", timeout=5_000)


@contextmanager
def map_frame(url: str, width: int, height: int, blocked: list[str], wait_for: str = ".cockpit-area-label"):
    """The page at url in Chromium with every non-local request blocked (noted in blocked), and the
    map's frame once `wait_for` is in it; the browser closes on leaving."""
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("**/*", only_local(blocked))
            page.goto(url, wait_until="domcontentloaded")
            frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000).content_frame()
            frame.wait_for_selector(wait_for, state="attached", timeout=60_000)
            yield page, frame
        finally:
            browser.close()


# The map's view: its edges (lng, lat), its zoom and how many tiles it drew.
VIEW = """() => { const b = window.map.getBounds();
    return {west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth(),
            zoom: window.map.getZoom(), tiles: document.querySelectorAll('.leaflet-tile').length}; }"""


@pytest.fixture(scope="module")
def app_dir():
    """A temp dir with a copy of the fixture script and ./static linked to the project's.

    Streamlit serves app static files from the folder next to the *main script*
    (file_util.get_app_static_dir), not from the working directory, so the fixture under
    tests/fixtures/ would find no static/ of its own.
    """
    with tempfile.TemporaryDirectory(prefix="cockpit-map-") as tmp:
        shutil.copy(FIXTURE, Path(tmp) / "map_app.py")
        try:
            os.symlink(ROOT / "static", Path(tmp) / "static", target_is_directory=True)
        except OSError:  # no symlinks (e.g. Windows without rights): copy instead
            shutil.copytree(ROOT / "static", Path(tmp) / "static")
        yield Path(tmp)


@pytest.fixture(scope="module")
def server(app_dir):
    with streamlit_server(app_dir / "map_app.py") as base:
        yield base


def test_static_files_served_with_script_types(server):
    with urllib.request.urlopen(f"{server}/app/static/vendor/leaflet/dist/leaflet.js") as r:
        assert r.status == 200
        assert "javascript" in r.headers["Content-Type"]
    with urllib.request.urlopen(f"{server}/app/static/vendor/leaflet/dist/leaflet.css") as r:
        assert r.headers["Content-Type"].startswith("text/css")


def test_map_draws_with_no_network(server):
    blocked: list[str] = []
    dialogs: list[str] = []

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.route("**/*", only_local(blocked))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(server, wait_until="domcontentloaded")

            frame_el = page.wait_for_selector("iframe[title*='st_folium']", timeout=60_000)
            frame = frame_el.content_frame()
            frame.wait_for_selector(".leaflet-overlay-pane canvas, .leaflet-overlay-pane path",
                                    state="attached", timeout=60_000)
            # Give the heat layer and canvas renderer a moment to paint after layout.
            frame.wait_for_function(f"({COUNT_DRAWN})().pixels > 0 || ({COUNT_DRAWN})().paths > 0",
                                    timeout=30_000)
            drawn = frame.evaluate(COUNT_DRAWN)
            leaflet_version = frame.evaluate("() => window.L && L.version")
            # Folded to its icon and the word 图层 (open, it would cover a corner of a laptop's map);
            # pointing at it opens it.
            folded = frame.is_visible(".leaflet-control-layers-list")
            toggle_title = frame.get_attribute(".leaflet-control-layers-toggle", "title")
            toggle = frame.inner_text(".leaflet-control-layers-toggle") or frame.evaluate(
                "() => getComputedStyle(document.querySelector('.leaflet-control-layers-toggle'), '::after').content")
            open_layer_switch(frame)
            legend = frame.inner_text(".leaflet-control-layers")
            popup = open_popup_at(frame, ZHONGLOU)
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))
            # The point and rebound layers start hidden (they would bury the hotspots): tick them.
            open_layer_switch(frame)
            for name in ("测评点位", "反弹地点"):
                frame.locator(".leaflet-control-layers label", has_text=name).locator("input").check()
            point_popup = open_popup_at(frame, POINT)
            rebound_popup = open_popup_at(frame, REBOUND)
            frame.evaluate("() => window.map.closePopup()")
            badges = frame.eval_on_selector_all(".cockpit-light", "els => els.map(e => e.innerText)")
            # Zoomed out, 钟楼 (18 open, some overdue) and 南门 (6) merge into one red badge of 24 (the
            # map stops zooming out a step beyond the fixture's small district: lifted here).
            frame.evaluate("() => { window.map.setMinZoom(1); window.map.setZoom(11, {animate: false}); }")
            frame.wait_for_function(
                "() => [...document.querySelectorAll('.cockpit-light')].map(e => e.innerText).join() === '24'",
                timeout=10_000)
            cluster_colour = frame.eval_on_selector(".cockpit-light div", "e => e.style.background")
        finally:
            browser.close()

    assert drawn["pixels"] > 0 or drawn["paths"] > 0
    assert leaflet_version == "1.9.4"  # the vendored copy, not folium's CDN default (1.9.3)
    assert not folded and "图层" in toggle and toggle_title == "图层"
    for name in ("问题热力", "在办问题（聚合）", "测评点位", "反弹地点", "区县边界"):
        assert name in legend
    # The labels' markup shows as text in the popups (the markers sit above the heat layer).
    assert popup == "钟楼<script>alert(1)</script>：在办 18（逾期 5，即将到期 3）"
    assert point_popup.splitlines() == ["顺城巷<img src=x onerror=alert(2)>（背街小巷）", "点位长：李四",
                                        "未达标；在办 3，逾期 1", "最近检查：2024-05-03 督查 71.5 分"]
    assert rebound_popup == "洒金桥${alert(3)}：反弹 4 次，最近 2024-05-10"
    assert sorted(badges) == ["18", "6"]
    assert cluster_colour == "rgb(214, 39, 40)"  # red: the worst light among the merged cells
    assert blocked == [], f"requests left localhost: {blocked}"
    assert dialogs == [], "a label's <script> ran"


# The fixture's outlines (tests/fixtures/map_app.py): 碑林区 108.91-108.98 E, 34.24-34.285 N.
CITY = {"west": 108.91, "south": 34.24, "east": 108.98, "north": 34.285}


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_with_no_tiles_the_outlines_are_named_and_fill_the_view(server, width, height):
    blocked: list[str] = []
    with map_frame(server, width, height, blocked) as (page, frame):
        page.wait_for_timeout(500)
        labels = frame.eval_on_selector_all(
            ".cockpit-area-label", "els => els.map(e => [e.innerText, getComputedStyle(e.firstChild).fontSize])")
        view = frame.evaluate(VIEW)
        page.screenshot(path=str(SCREENSHOTS / f"map-outlines-{width}.png"))
    assert blocked == []
    assert view["tiles"] == 0
    # Always on the map (not a hover tooltip): the district in bold 16 px, the street in 12 px.
    assert sorted(labels) == [["南院门街道", "12px"], ["碑林区", "16px"]]
    assert view["west"] <= CITY["west"] and view["east"] >= CITY["east"]
    assert view["south"] <= CITY["south"] and view["north"] >= CITY["north"]
    # Fitted, not merely inside: the city spans most of the view one way or the other.
    share = max((CITY["east"] - CITY["west"]) / (view["east"] - view["west"]),
                (CITY["north"] - CITY["south"]) / (view["north"] - view["south"]))
    assert share > 0.6, view


# Each area name's box and each badge's box on the screen, the names' pane and the badges' pane.
NAMES_AND_BADGES = """() => {
    const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const z = sel => +getComputedStyle(document.querySelector(sel)).zIndex;
    return {names: [...document.querySelectorAll('.cockpit-area-label span')].map(e => [e.innerText, box(e), e.style.transform]),
            badges: [...document.querySelectorAll('.cockpit-light')].map(box),
            names_above: z('.leaflet-cockpit-labels-pane') > z('.leaflet-marker-pane')};
}"""


def test_area_names_are_moved_off_the_badges(server):
    blocked: list[str] = []
    with map_frame(f"{server}/?crowded=1", 1920, 1080, blocked, wait_for=".cockpit-light") as (page, frame):
        # The names move once the badges have settled (after the clusters' animations).
        frame.wait_for_function(f"""() => {{ const f = ({NAMES_AND_BADGES})();
            const cut = (a, b) => Math.min(a[2], b[2]) > Math.max(a[0], b[0]) && Math.min(a[3], b[3]) > Math.max(a[1], b[1]);
            return f.names.some(n => n[2]) && f.names.every(n => f.badges.every(b => !cut(n[1], b))); }}""",
                                timeout=10_000)
        found = frame.evaluate(NAMES_AND_BADGES)
        page.screenshot(path=str(SCREENSHOTS / "map-names-off-badges.png"))
    assert blocked == []
    assert found["names_above"]  # a badge can never hide a name, only sit beside it

    def overlap(a, b):
        return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))

    names = {name: box for name, box, _ in found["names"]}
    assert sorted(names) == ["南院门街道", "碑林区"] and found["badges"]
    for name, box in names.items():
        assert all(overlap(box, badge) == 0 for badge in found["badges"]), name
    assert overlap(names["南院门街道"], names["碑林区"]) == 0
    # The badges were put on the names' own spots, so at least one name had to move.
    assert any(shift and "+ 0px" not in shift for _, _, shift in found["names"]), found["names"]


def test_a_place_opened_with_no_tiles_shows_its_whole_street(server):
    blocked: list[str] = []
    with map_frame(f"{server}/?focus=1", 1366, 768, blocked) as (page, frame):
        page.wait_for_timeout(500)
        view = frame.evaluate(VIEW)
        page.screenshot(path=str(SCREENSHOTS / "map-focus-street.png"))
    assert blocked == []
    # 南院门街道 is 108.925-108.95 E, 34.25-34.268 N: all of it in view, and it fills most of it.
    assert view["west"] <= 108.925 and view["east"] >= 108.95 and view["south"] <= 34.25 and view["north"] >= 34.268
    assert max(0.025 / (view["east"] - view["west"]), 0.018 / (view["north"] - view["south"])) > 0.6, view

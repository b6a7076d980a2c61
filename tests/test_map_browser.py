"""Real-browser check that the hotspot map draws with every non-local request blocked."""

import os
import shutil
import tempfile
import urllib.request
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


# The fixture's busiest cell (lat, lng); its label carries a <script> tag.
ZHONGLOU = (34.2610, 108.9420)


def open_popup_at(frame, latlng) -> str:
    """Click the map where `latlng` is drawn and return the opened popup's text.

    st_folium's component exposes the Leaflet map as window.map.
    """
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
            legend = frame.inner_text(".leaflet-control-layers")
            popup = open_popup_at(frame, ZHONGLOU)
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))
        finally:
            browser.close()

    assert drawn["pixels"] > 0 or drawn["paths"] > 0
    assert leaflet_version == "1.9.4"  # the vendored copy, not folium's CDN default (1.9.3)
    assert "热点网格" in legend and "区县边界" in legend
    # The label's markup shows as text in the popup (the marker sits above the heat layer).
    assert popup == "钟楼<script>alert(1)</script>：在办 18，逾期 5"
    assert blocked == [], f"requests left localhost: {blocked}"
    assert dialogs == [], "a label's <script> ran"

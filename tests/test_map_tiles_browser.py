"""The hotspot map of the cockpit itself in Chromium, on the tiny world with its district and street
outlines and a tile package the test makes (an MBTiles file of a few PNG tiles): the tiles come from
the cockpit, no request leaves the machine, the view is fitted to the city on a laptop and a wall,
and the wall's map has no buttons, metric scale only, a legend and numbers of at least 20 px."""

import io
import json
import math
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest

from cockpit.store import queries, versions
from tests.browser import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS, SCREENSHOTS, only_local, streamlit_server
from tests.conftest import TEST_SETTINGS, TINY_STORE_FILE, load_tiny

if not Path(CHROMIUM).exists():
    pytest.skip(f"浏览器测试跳过：未找到 {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="浏览器测试跳过：未安装 playwright")
Image = pytest.importorskip("PIL.Image")

D = "2026-06-10"
TILE_ZOOMS = range(9, 15)  # the package's levels; the map may go no deeper than 14


def square(lng0, lat0, lng1, lat1):
    return {"type": "Polygon", "coordinates": [[[lng0, lat0], [lng1, lat0], [lng1, lat1], [lng0, lat1], [lng0, lat0]]]}


# The tiny world's districts and streets (tests/fixtures/tiny.sql), as rectangles around its problems.
BOUNDARIES = {"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "广陵区", "level": "district"}, "geometry": square(119.41, 32.38, 119.46, 32.42)},
    {"type": "Feature", "properties": {"name": "邗江区", "level": "district"}, "geometry": square(119.37, 32.36, 119.41, 32.40)},
    {"type": "Feature", "properties": {"name": "东关街道", "level": "street"}, "geometry": square(119.43, 32.38, 119.46, 32.40)},
    {"type": "Feature", "properties": {"name": "汶河街道", "level": "street"}, "geometry": square(119.41, 32.40, 119.44, 32.42)},
    {"type": "Feature", "properties": {"name": "蒋王街道", "level": "street"}, "geometry": square(119.37, 32.36, 119.41, 32.39)},
]}
WEST, SOUTH, EAST, NORTH = 119.37, 32.36, 119.46, 32.42


def tile_xy(lng: float, lat: float, z: int) -> tuple[int, int]:
    n = 2 ** z
    x = int((lng + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def png(colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (256, 256), colour)
    for i in range(0, 256, 64):  # a faint grid, so a screenshot shows the tiles are there
        for j in range(256):
            image.putpixel((i, j), (200, 200, 200))
            image.putpixel((j, i), (200, 200, 200))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def write_mbtiles(path: Path) -> int:
    """An MBTiles file (TMS rows) covering the city at TILE_ZOOMS; returns how many tiles it holds."""
    con = sqlite3.connect(path)
    con.execute("create table metadata (name text, value text)")
    con.execute("create table tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)")
    con.executemany("insert into metadata values (?, ?)", [
        ("name", "测试底图"), ("format", "png"), ("bounds", f"{WEST},{SOUTH},{EAST},{NORTH}"),
        ("minzoom", str(min(TILE_ZOOMS))), ("maxzoom", str(max(TILE_ZOOMS)))])
    count = 0
    for z in TILE_ZOOMS:
        (x0, y0), (x1, y1) = tile_xy(WEST - 0.05, NORTH + 0.05, z), tile_xy(EAST + 0.05, SOUTH - 0.05, z)
        data = png((240, 236, 226) if z % 2 else (232, 240, 228))
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                con.execute("insert into tiles values (?, ?, ?, ?)", (z, x, 2 ** z - 1 - y, data))
                count += 1
    con.commit()
    con.close()
    return count


@pytest.fixture(scope="module")
def cockpit(tmp_path_factory):
    """The cockpit on the tiny world with local tiles and the outlines above."""
    tmp = tmp_path_factory.mktemp("map-tiles")
    store = tmp / "store"
    store.mkdir()
    con = duckdb.connect(str(store / TINY_STORE_FILE), config=queries.CONFIG)
    queries.execute(con, "schema")
    load_tiny(con)
    con.execute("checkpoint")
    con.close()
    (store / versions.POINTER).write_text(TINY_STORE_FILE, encoding="utf-8")
    (tmp / "boundaries.geojson").write_text(json.dumps(BOUNDARIES, ensure_ascii=False), encoding="utf-8")
    assert write_mbtiles(tmp / "city.mbtiles") > 0
    settings = TEST_SETTINGS.read_text(encoding="utf-8")
    for old, new in (('tiles = "none"', 'tiles = "local"'),
                     ('tiles_package = ""', f'tiles_package = "{(tmp / "city.mbtiles").as_posix()}"'),
                     ('tiles_attribution = ""', 'tiles_attribution = "测试底图"'),
                     ('boundaries = "data/demo/boundaries.geojson"', f'boundaries = "{(tmp / "boundaries.geojson").as_posix()}"')):
        assert old in settings
        settings = settings.replace(old, new)
    (tmp / "settings.toml").write_text(settings, encoding="utf-8")
    env = {"COCKPIT_DB": str(store), "COCKPIT_SETTINGS": str(tmp / "settings.toml")}
    with streamlit_server(None, env=env) as base, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield base, browser
        finally:
            browser.close()


def open_map(browser, url: str, width: int, height: int):
    """The page, the map's frame, every request the page made and the tile responses."""
    page = browser.new_page(viewport={"width": width, "height": height})
    blocked, requests, tiles = [], [], []
    page.route("**/*", only_local(blocked))
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: tiles.append((r.url, r.status, r.headers.get("content-type")))
            if "/cockpit/tiles/" in r.url else None)
    page.goto(url, wait_until="domcontentloaded")
    frame = page.wait_for_selector("iframe[title*='st_folium']", timeout=90_000).content_frame()
    frame.wait_for_selector(".cockpit-area-label", state="attached", timeout=60_000)
    frame.wait_for_selector(".leaflet-tile-loaded", state="attached", timeout=60_000)
    page.wait_for_timeout(1500)
    return page, frame, blocked, requests, tiles


VIEW = """() => { const b = window.map.getBounds(), size = window.map.getSize();
  return {west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth(),
          zoom: window.map.getZoom(), min: window.map.getMinZoom(), max: window.map.getMaxZoom(),
          width: size.x, height: size.y}; }"""


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
def test_tiles_come_from_the_cockpit_and_the_view_fits_the_city(cockpit, width, height):
    base, browser = cockpit
    page, frame, blocked, requests, tiles = open_map(browser, f"{base}/hotspots?as_of={D}", width, height)
    view = frame.evaluate(VIEW)
    labels = frame.eval_on_selector_all(".cockpit-area-label", "els => els.map(e => e.innerText)")
    attribution = frame.inner_text(".leaflet-control-attribution")
    page.screenshot(path=str(SCREENSHOTS / f"map-tiles-{width}.png"))
    page.close()

    assert blocked == [] and {urlsplit(u).hostname for u in requests if urlsplit(u).scheme in ("http", "https")} <= LOCAL_HOSTS
    assert tiles and all(status == 200 and kind == "image/png" for _, status, kind in tiles), tiles[:5]
    # The whole city is in view, and fills it: a zoom step further in would cut it.
    assert view["west"] <= WEST and view["east"] >= EAST and view["south"] <= SOUTH and view["north"] >= NORTH
    share = max((EAST - WEST) / (view["east"] - view["west"]), (NORTH - SOUTH) / (view["north"] - view["south"]))
    assert share > 0.6, view
    assert view["max"] == max(TILE_ZOOMS)  # no deeper than the package goes
    assert view["min"] == max(view["zoom"] - 1, 1) or view["min"] < view["zoom"]
    assert sorted(labels) == sorted(f["properties"]["name"] for f in BOUNDARIES["features"])
    assert attribution.strip() == "测试底图"  # no "Leaflet" prefix and no flag


def test_a_tile_the_package_lacks_is_a_404(cockpit):
    import urllib.error
    import urllib.request

    base, _ = cockpit
    x, y = tile_xy((WEST + EAST) / 2, (SOUTH + NORTH) / 2, 12)
    with urllib.request.urlopen(f"{base}/cockpit/tiles/12/{x}/{y}") as r:
        assert r.status == 200 and r.headers["Content-Type"] == "image/png"
        assert r.read()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{base}/cockpit/tiles/3/0/0")
    assert missing.value.code == 404


# Text in the map's frame drawn smaller than 19.5 px (labels, badges, legend, scale, attribution).
SMALL_TEXT = """() => [...document.querySelectorAll('#map_div *')].filter(e => {
  if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) return false;
  const box = e.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && parseFloat(getComputedStyle(e).fontSize) < 19.5;
}).map(e => e.textContent.trim().slice(0, 20))"""


def test_the_wall_map_has_no_controls_and_big_text(cockpit):
    base, browser = cockpit
    page, frame, blocked, requests, _ = open_map(
        browser, f"{base}/hotspots?screen=big&as_of={D}&interval=3600", 1920, 1080)
    frame.wait_for_selector(".cockpit-light", timeout=30_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SCREENSHOTS / "map-wall-1920.png"))
    found = {
        "zoom": frame.locator(".leaflet-control-zoom").count(),
        "layers": frame.locator(".leaflet-control-layers").count(),
        "scale": frame.eval_on_selector_all(".leaflet-control-scale-line", "els => els.map(e => e.innerText)"),
        "attribution": frame.inner_text(".leaflet-control-attribution"),
        "flag": frame.locator(".leaflet-control-attribution svg").count(),
        "legend": frame.inner_text(".cockpit-legend"),
        "badges": frame.eval_on_selector_all(".cockpit-light div", "els => els.map(e => getComputedStyle(e).fontSize)"),
        "small": frame.evaluate(SMALL_TEXT),
        "view": frame.evaluate(VIEW),
    }
    page.close()
    assert blocked == []
    assert found["zoom"] == 0 and found["layers"] == 0
    # Metres in Chinese (公里 or 米), no miles or feet.
    assert len(found["scale"]) == 1 and re.fullmatch(r"\d+ (公里|米)", found["scale"][0]), found["scale"]
    assert found["attribution"].strip() == "测试底图" and found["flag"] == 0
    for entry in ("问题热力", "在办问题（聚合）", "边界", "区县", "街道"):
        assert entry in found["legend"]
    assert found["badges"] and all(float(size.removesuffix("px")) >= 20 for size in found["badges"])
    assert found["small"] == []
    view = found["view"]
    assert view["west"] <= WEST and view["east"] >= EAST and view["south"] <= SOUTH and view["north"] >= NORTH

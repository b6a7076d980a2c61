"""Tests of cockpit.maps: markers, escaping, local-only assets and the GCJ-02 shift."""

import json
import re
from pathlib import Path

import folium
import pandas as pd
import pytest
from folium import plugins
from streamlit.testing.v1 import AppTest

from cockpit import coords, maps

ROOT = Path(__file__).resolve().parents[1]
XSS = "<script>alert(1)</script>"
TILE_URL = "http://tiles.intranet/{z}/{x}/{y}.png"

# googollee/eviltransform, go/transform_test.go ("beijing"): WGS-84 → GCJ-02, (lng, lat).
BEIJING_WGS = (116.377817, 39.911954)
BEIJING_GCJ = (116.38404722455657, 39.91334545536069)


def cells_frame() -> pd.DataFrame:
    """Four cells: one overdue, one open, one all closed, one without coordinates."""
    return pd.DataFrame(
        {
            "lat": [34.2610, 34.2700, 34.2500, None],
            "lng": [108.9420, 108.9600, 108.9300, 108.9500],
            "count_problems": [30, 12, 4, 9],
            "count_open": [18, 6, 0, 7],
            "count_overdue": [5, 0, 0, 2],
            "label": [f"钟楼{XSS}", "南门", "含光门", "无坐标"],
        }
    )


def points_frame() -> pd.DataFrame:
    """Two 点位: one up to standard, one not."""
    return pd.DataFrame(
        {
            "lat": [34.2650, 34.2550],
            "lng": [108.9500, 108.9350],
            "point_name": ["东大街<b>示范</b>", "顺城巷"],
            "point_type": ["主次干道", "背街小巷"],
            "point_chief": ["张三", "李四"],
            "is_up_to_standard": [True, False],
            "count_open": [1, 3],
            "count_overdue": [0, 1],
        }
    )


def boundaries() -> dict:
    """A district and a street outline; the street name carries markup."""
    ring = [[[108.91, 34.24], [108.98, 34.24], [108.98, 34.285], [108.91, 34.285], [108.91, 34.24]]]
    street = [[[108.925, 34.25], [108.95, 34.25], [108.95, 34.268], [108.925, 34.25]]]
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "碑林区", "level": "district", "parent": ""},
             "geometry": {"type": "Polygon", "coordinates": ring}},
            {"type": "Feature", "properties": {"name": f"南院门{XSS}", "level": "street", "parent": "碑林区"},
             "geometry": {"type": "MultiPolygon", "coordinates": [street]}},
        ],
    }


def render(m: folium.Map) -> str:
    return m.get_root().render()


def bound_texts(page: str, method: str) -> list[str]:
    """The strings passed to bindPopup/bindTooltip, decoded as the browser would see them."""
    return [json.loads(s) for s in re.findall(rf'\.{method}\(\s*("(?:[^"\\]|\\.)*")', page)]


def marker_locations(page: str) -> list[tuple[float, float]]:
    """(lat, lng) of every L.circleMarker in the page."""
    found = re.findall(r"L\.circleMarker\(\s*\[([-\d.e]+),\s*([-\d.e]+)\]", page)
    return [(float(a), float(b)) for a, b in found]


def default_map(**kwargs) -> folium.Map:
    return maps.hotspot_map(cells_frame(), center=(34.262, 108.945), zoom=14, **kwargs)


def test_one_circle_marker_per_located_cell():
    assert len(marker_locations(render(default_map()))) == 3


def test_points_add_their_own_markers():
    page = render(default_map(points=points_frame()))
    assert len(marker_locations(page)) == 3 + 2


def test_top_n_limits_cell_markers():
    page = render(maps.hotspot_map(cells_frame(), center=(34.26, 108.94), zoom=14, top_n=2))
    assert len(marker_locations(page)) == 2


def test_popup_text_of_a_known_cell():
    popups = bound_texts(render(default_map()), "bindPopup")
    assert "南门：在办 6，逾期 0" in popups
    assert bound_texts(render(default_map()), "bindTooltip").count("南门：在办 6，逾期 0") == 1


def test_rows_without_coordinates_are_dropped():
    page = render(default_map())
    assert (34.25, 108.93) in marker_locations(page)
    assert all(abs(lng - 108.95) > 1e-9 for _, lng in marker_locations(page))
    assert not any("无坐标" in text for text in bound_texts(page, "bindPopup"))


def test_all_null_cells_give_a_map_without_cell_layers():
    empty = cells_frame().assign(lat=None)
    page = render(maps.hotspot_map(empty, center=(34.26, 108.94), zoom=14))
    assert "L.circleMarker" not in page and "L.heatLayer" not in page


def test_script_in_a_label_is_escaped_never_raw():
    page = render(default_map(points=points_frame(), boundaries=boundaries()))
    assert XSS not in page
    assert "<script>alert" not in page
    popups = bound_texts(page, "bindPopup")
    assert "钟楼&lt;script&gt;alert(1)&lt;/script&gt;：在办 18，逾期 5" in popups
    assert any("东大街&lt;b&gt;示范&lt;/b&gt;" in text for text in popups)


def test_boundary_tooltips_use_the_escaped_name():
    page = render(default_map(boundaries=boundaries()))
    tips = [json.loads(s) for s in re.findall(r'"tip":\s*("(?:[^"\\]|\\.)*")', page)]
    assert f"南院门{XSS}".replace("<", "&lt;").replace(">", "&gt;") in tips
    assert re.search(r'fields = \["tip"\]', page)


def test_template_literal_label_cannot_run():
    frame = cells_frame().assign(label=["${alert(2)}`", "a", "b", "c"])
    page = render(maps.hotspot_map(frame, center=(34.26, 108.94), zoom=14))
    # The label only ever appears inside a JSON string literal, never inside backticks.
    assert "`${alert(2)}" not in page
    assert "${alert(2)}`：在办 18，逾期 5" in bound_texts(page, "bindPopup")


def test_district_outline_thicker_than_street():
    page = render(default_map(boundaries=boundaries()))
    weights = [int(w) for w in re.findall(r'"weight":\s*(\d+)', page.split("L.circleMarker")[0])]
    assert 3 in weights and 1 in weights


def test_layer_control_and_named_layers():
    page = render(default_map(points=points_frame(), boundaries=boundaries()))
    assert "L.control.layers" in page
    for name in ("在办热力", "热点网格", "点位", "区县边界", "街道边界"):
        assert json.dumps(name) in page  # folium writes names as \u-escaped JSON


def _asset_urls(page: str) -> list[str]:
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', page)
    links = re.findall(r'<link[^>]*\bhref="([^"]+)"', page)
    return scripts + links


def _walk(element):
    """Every element of a folium tree, as st_folium walks it to collect js/css links."""
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _assert_local(url: str) -> None:
    assert url.startswith("/app/static/"), url
    # The file must exist where Streamlit serves it from: ./static next to the main script.
    assert (ROOT / "static" / url.removeprefix("/app/static/")).is_file(), url


def test_rendered_assets_are_local_and_exist():
    page = render(default_map(points=points_frame(), boundaries=boundaries()))
    urls = _asset_urls(page)
    assert urls, "no script or stylesheet links found"
    for url in urls:
        _assert_local(url)
    assert not re.search(r"https?://", page)


def test_class_defaults_are_local():
    for cls in (folium.Map, plugins.HeatMap, plugins.MarkerCluster, plugins.FastMarkerCluster):
        for _, url in [*cls.default_js, *cls.default_css]:
            _assert_local(url)


def test_every_element_st_folium_would_load_is_local():
    import branca.colormap

    m = default_map(points=points_frame(), boundaries=boundaries())
    for element in _walk(m):
        assert not isinstance(element, branca.colormap.ColorMap), "colormaps pull d3 from a CDN"
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]:
            _assert_local(url)


def test_tile_url_only_when_configured():
    page = render(default_map(tiles=TILE_URL, tiles_attribution="内网底图", tiles_subdomains="1234"))
    assert re.findall(r"https?://[^\"\s]+", page) == [TILE_URL]
    assert '"subdomains": "1234"' in page
    assert "L.tileLayer" not in render(default_map())


def test_gcj02_tiles_shift_a_known_point_by_the_published_offset():
    frame = pd.DataFrame(
        {"lat": [BEIJING_WGS[1]], "lng": [BEIJING_WGS[0]], "count_problems": [1],
         "count_open": [1], "count_overdue": [0], "label": ["北京"]}
    )
    center = (BEIJING_WGS[1], BEIJING_WGS[0])
    wgs_page = render(maps.hotspot_map(frame, center=center, zoom=12, tiles=TILE_URL, tiles_attribution="a"))
    gcj_page = render(maps.hotspot_map(frame, center=center, zoom=12, tiles=TILE_URL,
                                       tiles_attribution="a", tiles_crs="gcj02"))
    (lat0, lng0), = marker_locations(wgs_page)
    (lat1, lng1), = marker_locations(gcj_page)
    assert (lng0, lat0) == pytest.approx(BEIJING_WGS, abs=1e-9)
    assert (lng1, lat1) == pytest.approx(BEIJING_GCJ, abs=5e-6)
    # The heat layer and the map centre move with it.
    assert f"[{lat1}, {lng1}, 1.0]" in gcj_page
    assert re.search(rf'center:\s*\[{lat1},\s*{lng1}\]', gcj_page)


def test_gcj02_moves_boundaries_too():
    page = render(default_map(boundaries=boundaries(), tiles=TILE_URL, tiles_attribution="a",
                              tiles_crs="gcj02"))
    lng, lat = coords.wgs84_to_gcj02(108.91, 34.24)
    assert f"[{lng}, {lat}]" in page
    assert "[108.91, 34.24]" not in page


def test_st_folium_receives_only_local_links():
    at = AppTest.from_file(str(ROOT / "tests" / "fixtures" / "map_app.py"), default_timeout=30)
    at.run()
    assert not at.exception
    components = [el for el in at.get("component_instance")]
    assert len(components) == 1
    args = json.loads(components[0].proto.json_args)
    assert args["js_links"] and args["css_links"]
    for url in [*args["js_links"], *args["css_links"]]:
        _assert_local(url)
    assert not re.search(r"https?://", args["script"] + args["header"])


def test_markers_sit_in_a_pane_above_the_heat_layer():
    page = render(default_map(points=points_frame()))
    pane = re.search(rf"createPane\(\s*{re.escape(json.dumps(maps.MARKER_PANE))}\)", page)
    assert pane and pane.start() < page.index("L.circleMarker")
    assert page.count(f'"pane": {json.dumps(maps.MARKER_PANE)}') == 3 + 2


def test_unknown_tile_system_is_refused():
    with pytest.raises(ValueError, match="tiles_crs"):
        default_map(tiles=TILE_URL, tiles_attribution="a", tiles_crs="bd09")

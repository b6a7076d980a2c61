"""Tests of cockpit.maps: markers, escaping, local-only assets and the GCJ-02 shift."""

import json
import re
from pathlib import Path

import folium
import pandas as pd
import pytest
from folium import plugins
from folium.template import tojavascript
from streamlit.testing.v1 import AppTest

from cockpit import coords
from cockpit.draw import map_script, maps

ROOT = Path(__file__).resolve().parents[1]
XSS = "<script>alert(1)</script>"
TILE_URL = "http://tiles.intranet/{z}/{x}/{y}.png"

# googollee/eviltransform, go/transform_test.go ("beijing"): WGS-84 → GCJ-02, (lng, lat).
BEIJING_WGS = (116.377817, 39.911954)
BEIJING_GCJ = (116.38404722455657, 39.91334545536069)


def cells_frame() -> pd.DataFrame:
    """Four cells: one with overdue problems, one with problems due soon, one with none open,
    one without coordinates."""
    return pd.DataFrame(
        {
            "lat": [34.2610, 34.2700, 34.2500, None],
            "lng": [108.9420, 108.9600, 108.9300, 108.9500],
            "count_problems": [30, 12, 4, 9],
            "count_open": [18, 6, 0, 7],
            "count_red": [5, 0, 0, 2],
            "count_yellow": [3, 2, 0, 1],
            "count_green": [10, 4, 0, 4],
            "label": [f"钟楼{XSS}", "南门", "含光门", "无坐标"],
        }
    )


def points_frame() -> pd.DataFrame:
    """Four 点位: up to standard, not, never inspected, and one without coordinates."""
    return pd.DataFrame(
        {
            "point_id": ["P1", "P2", "P3", "P4"],
            "lat": [34.2650, 34.2550, 34.2580, None],
            "lng": [108.9500, 108.9350, 108.9450, 108.9400],
            "point_name": ["东大街<b>示范</b>", "顺城巷", "书院门", "无坐标点位"],
            "point_type": ["主次干道", "背街小巷", None, "广场"],
            "point_chief": ["张三", "李四", None, "赵六"],
            "is_up_to_standard": [True, False, None, False],
            "count_open": [1, 3, 0, 9],
            "count_overdue": [0, 1, 0, 4],
            "last_inspected_at": pd.to_datetime(["2024-05-06 10:30", "2024-05-03 00:00", None, "2024-05-01 09:00"]),
            "last_score": [92.5, 71.0, float("nan"), 50.0],
            "last_inspection_type": ["暗访", "督查", None, "暗访"],
        }
    )


def rebounds_frame() -> pd.DataFrame:
    """Two repeat-failure places (one label tries a template literal) and one without coordinates."""
    return pd.DataFrame(
        {
            "label": ["洒金桥${alert(3)}", None, "无坐标地点"],
            "lat": [34.2660, 34.2590, float("nan")],
            "lng": [108.9380, 108.9520, 108.9400],
            "count_rebound": [4, 1, 2],
            "last_found_at": pd.to_datetime(["2024-05-10 08:00", None, "2024-05-09 00:00"]),
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


def render(drawn: maps.HotspotMap) -> str:
    return drawn.map.get_root().render()


def layer_rows(page: str, kind: str) -> list[list]:
    """The rows one layer draws in the browser ("cells", "points" or "rebounds"), decoded."""
    found = re.findall(rf"/\* cockpit-rows:{kind} \*/ (.*)\);$", page, flags=re.M)
    assert len(found) <= 1, f"more than one {kind} layer"
    return json.loads(found[0]) if found else []


def fill(template: str, row: list) -> str:
    """What the map's JS `fill` makes of a text template and a row (one pass, "{3}" → row[3])."""
    return re.sub(r"\{(\d+)\}", lambda mo: str(row[int(mo.group(1))]), template)


def layer_texts(page: str, kind: str, template: str) -> list[str]:
    """The texts (as HTML) the browser shows for each item of a layer with that template."""
    assert tojavascript(template) in page, f"{kind}: template not in the page"
    return [fill(template, row) for row in layer_rows(page, kind)]


def all_texts(page: str) -> list[str]:
    """Every tooltip and popup text of the cell, point and rebound layers."""
    return [
        *layer_texts(page, "cells", maps.CELL_TEXT),
        *layer_texts(page, "points", maps.POINT_TIP),
        *layer_texts(page, "points", maps.POINT_POPUP),
        *layer_texts(page, "rebounds", maps.REBOUND_TEXT),
    ]


def row_locations(page: str, kind: str) -> list[tuple[float, float]]:
    """(lat, lng) of every item a layer draws."""
    return [(row[0], row[1]) for row in layer_rows(page, kind)]


def default_map(**kwargs) -> maps.HotspotMap:
    return maps.hotspot_map(cells_frame(), center=(34.262, 108.945), zoom=14, **kwargs)


def full_map(**kwargs) -> maps.HotspotMap:
    return default_map(points=points_frame(), rebounds=rebounds_frame(), boundaries=boundaries(), **kwargs)


def test_one_cluster_marker_per_located_cell_with_open_problems():
    page = render(default_map())
    # 含光门 has nothing open; the fourth cell has no coordinates.
    assert row_locations(page, "cells") == [(34.261, 108.942), (34.27, 108.96)]


def test_points_add_their_own_markers():
    page = render(default_map(points=points_frame()))
    assert len(layer_rows(page, "points")) == 3
    assert len(layer_rows(page, "cells")) == 2


def test_cell_cap_keeps_the_cells_with_most_open_problems(monkeypatch):
    monkeypatch.setattr(maps, "MAX_CELLS", 1)
    m = default_map()
    page = render(m)
    assert row_locations(page, "cells") == [(34.261, 108.942)]
    assert m.left_out.cells == 2  # of the three cells with coordinates


def test_popup_text_of_a_known_cell():
    texts = layer_texts(render(default_map()), "cells", maps.CELL_TEXT)
    assert "南门：在办 6（逾期 0，即将到期 2）" in texts


def test_rows_without_coordinates_are_dropped():
    page = render(full_map())
    drawn = [*row_locations(page, "cells"), *row_locations(page, "points"), *row_locations(page, "rebounds")]
    assert (34.255, 108.935) in drawn
    assert not any("无坐标" in text for text in all_texts(page))
    assert "无坐标" not in page
    assert not re.search(r"\bNaN\b", page)


def test_all_null_cells_give_a_map_without_cell_layers():
    empty = cells_frame().assign(lat=None)
    page = render(maps.hotspot_map(empty, center=(34.26, 108.94), zoom=14))
    assert "L.markerClusterGroup" not in page and "L.heatLayer" not in page
    assert layer_rows(page, "cells") == []


def test_script_in_a_label_is_escaped_never_raw():
    page = render(full_map())
    assert XSS not in page
    assert "<script>alert" not in page
    texts = all_texts(page)
    assert "钟楼&lt;script&gt;alert(1)&lt;/script&gt;：在办 18（逾期 5，即将到期 3）" in texts
    assert any("<b>东大街&lt;b&gt;示范&lt;/b&gt;</b>" in text for text in texts)


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
    assert "${alert(2)}`：在办 18（逾期 5，即将到期 3）" in layer_texts(page, "cells", maps.CELL_TEXT)


def test_district_outline_thicker_than_street():
    page = render(default_map(boundaries=boundaries()))
    weights = [int(w) for w in re.findall(r'"weight":\s*(\d+)', page)]
    assert 3 in weights and 1 in weights


def test_layer_control_and_named_layers():
    page = render(full_map())
    assert "L.control.layers" in page
    overlays = page[page.index("overlays :"):]
    for name in ("问题热力", "在办问题（聚合）", "测评点位", "反弹地点", "区县边界", "街道边界"):
        assert json.dumps(name) in overlays  # folium writes names as \u-escaped JSON


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
    page = render(full_map(focus=(34.26, 108.94, 16)))
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

    m = full_map(focus=(34.26, 108.94, 16)).map
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
        {"lat": [BEIJING_WGS[1]], "lng": [BEIJING_WGS[0]], "count_problems": [1], "count_open": [1],
         "count_red": [0], "count_yellow": [0], "count_green": [1], "label": ["北京"]}
    )
    center = (BEIJING_WGS[1], BEIJING_WGS[0])
    wgs_page = render(maps.hotspot_map(frame, center=center, zoom=12, tiles=TILE_URL, tiles_attribution="a"))
    gcj_page = render(maps.hotspot_map(frame, center=center, zoom=12, tiles=TILE_URL,
                                       tiles_attribution="a", tiles_crs="gcj02"))
    (lat0, lng0), = row_locations(wgs_page, "cells")
    (lat1, lng1), = row_locations(gcj_page, "cells")
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


def test_st_folium_sends_the_same_map_without_its_first_render():
    """The hotspot page passes render=False (it saves a whole render per run); st_folium renders the
    map itself anyway, and the browser must get exactly what it got with render=True."""
    sent = []
    for render in ("yes", "no"):
        at = AppTest.from_file(str(ROOT / "tests" / "fixtures" / "map_app.py"), default_timeout=30)
        at.query_params["render"] = render
        at.run()
        assert not at.exception
        sent.append(json.loads(at.get("component_instance")[0].proto.json_args))
    assert "cockpit-rows:points" in sent[0]["script"] and sent[0]["header"]
    assert sent[1] == sent[0]


def test_markers_sit_in_a_pane_above_the_heat_layer():
    page = render(full_map(focus=(34.26, 108.94, 16)))
    pane = re.search(rf"createPane\(\s*{re.escape(json.dumps(maps.MARKER_PANE))}\)", page)
    assert pane and pane.start() < page.index("L.heatLayer") < page.index("cockpit-rows:points")
    # The points' and rebounds' layer options, and the focus ring.
    assert page.count(f'"pane": {json.dumps(maps.MARKER_PANE)}') == 3
    assert "{pane: o.pane," in map_script._POINTS_JS and "{pane: o.pane," in map_script._REBOUNDS_JS


def test_unknown_tile_system_is_refused():
    with pytest.raises(ValueError, match="tiles_crs"):
        default_map(tiles=TILE_URL, tiles_attribution="a", tiles_crs="bd09")

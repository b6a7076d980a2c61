"""What the hotspot map writes for orientation without tiles, for the wall, and for local tiles:
names of areas, the fitted view, the controls, the legend; the tile package reader; the settings."""

import re
import sqlite3

import pytest

from cockpit import coords
from cockpit.draw import map_script, maps
from cockpit.settings import SettingsError, load_settings
from cockpit.web import tiles
from tests.test_maps import default_map, full_map, layer_rows, render
from tests.test_settings import COMMITTED


def controls(page: str) -> dict:
    """The options the map's _Controls script gets."""
    import json

    found = re.search(r"\}\)\((map_\w+), (\{.*?\})\);\s*</script>", page, re.S)
    text = re.sub(r",\s*([}\]])", r"\1", found.group(2))  # tojavascript leaves trailing commas
    return json.loads(text)


def test_area_names_are_written_on_the_map_at_their_centres():
    page = render(full_map())
    # District last (drawn on top); the street's markup escaped; at the centroid of each outline.
    # The street is a triangle: its centroid is the mean of its corners (108.925/108.95/108.95 E,
    # 34.25/34.25/34.268 N); the district a rectangle: its middle.
    assert layer_rows(page, "labels") == [
        [34.256, 108.941667, "南院门&lt;script&gt;alert(1)&lt;/script&gt;", False],
        [34.2625, 108.945, "碑林区", True],
    ]
    assert ".cockpit-district span {font-size: 16px;" in page


def test_the_view_is_fitted_to_the_outlines():
    options = controls(render(full_map()))
    assert options["bounds"] == [[34.24, 108.91], [34.285, 108.98]]
    assert options["focus"] is None
    assert "map.fitBounds(city" in render(full_map()) and "map.setMinZoom(" in render(full_map())
    assert controls(render(default_map()))["bounds"] is None  # no outlines: centre and zoom as set


def test_a_place_opened_without_tiles_shows_the_street_around_it():
    # The street is the triangle 108.925/108.95/108.95 E, 34.25/34.25/34.268 N inside 碑林区.
    in_street = controls(render(full_map(focus=(34.255, 108.945, maps.FOCUS_ZOOM))))
    assert in_street["focus"] == [34.255, 108.945]
    assert in_street["focusarea"] == [[34.25, 108.925], [34.268, 108.95]]
    # Outside the street (above its long side), inside the district: the district.
    assert controls(render(full_map(focus=(34.265, 108.93, 16))))["focusarea"] == [[34.24, 108.91], [34.285, 108.98]]
    # Outside every outline: the place at the outline zoom, as before.
    outside = controls(render(full_map(focus=(34.30, 108.90, 16))))
    assert outside["focusarea"] is None and outside["focuszoom"] == maps.OUTLINE_FOCUS_ZOOM
    # With tiles the basemap shows what is around: the place at the deeper zoom, no outline fitted.
    tiled = controls(render(full_map(focus=(34.255, 108.945, 16), tiles="https://tiles.example/{z}/{x}/{y}.png")))
    assert tiled["focusarea"] is None and tiled["focuszoom"] == 16


def test_gcj02_tiles_move_the_outlines_and_their_names():
    wgs = controls(render(full_map()))["bounds"]
    gcj = controls(render(full_map(tiles="http://t/{z}/{x}/{y}.png", tiles_crs="gcj02")))["bounds"]
    assert wgs[0] == [34.24, 108.91]
    lng, lat = coords.from_wgs84(108.91, 34.24, "gcj02")  # the outline's south-west corner, moved
    assert gcj[0] == [pytest.approx(lat, abs=1e-6), pytest.approx(lng, abs=1e-6)]
    assert abs(gcj[0][0] - 34.24) > 0.001  # hundreds of metres: enough to miss the streets on the tiles


def test_the_wall_map_has_no_buttons_and_big_numbers():
    desk, wall = render(full_map()), render(full_map(wall=True))
    assert '"zoomControl": true' in desk and "L.control.layers(" in desk
    assert '"zoomControl": false' in wall and "L.control.layers(" not in wall
    assert map_script._cluster_icon_js(52, 24) in wall and map_script._cluster_icon_js(52, 24) not in desk
    assert '"size": 40' in wall and '"font": 20' in wall
    assert ".cockpit-district span {font-size: 30px;" in wall and ".cockpit-street span {font-size: 20px;" in wall
    # Layers that start hidden are not sent to the wall, where nobody can tick them.
    assert "cockpit-rows:points" not in wall and "cockpit-rows:rebounds" not in wall
    for page in (desk, wall):
        assert "L.control.scale({metric: true, imperial: false" in page
        assert "attributionControl.setPrefix(false)" in page


def test_the_legend_names_every_layer_drawn():
    legend = controls(render(full_map(wall=True)))["legend"]
    for text in ("问题热力", "最多一格 30 个问题", "在办问题（聚合）", "有逾期", "边界", "区县", "街道"):
        assert text in legend
    assert "测评点位" not in legend
    desk = controls(render(full_map()))["legend"]
    assert 'data-layer="测评点位" style="display:none"' in desk  # shown while the layer is ticked


def test_local_tiles_are_asked_of_the_cockpit_and_stop_at_the_packages_depth():
    page = render(default_map(tiles="local", tiles_attribution="市测绘院", max_zoom=15))
    assert '"/cockpit/tiles/{z}/{x}/{y}"' in page
    assert '"maxNativeZoom": 15' in page and '"maxZoom": 15' in page
    assert maps.tile_url("none") is None and maps.tile_url("local") == tiles.LOCAL_TILE_URL


PNG = b"\x89PNG\r\n\x1a\n" + b"tile"


def test_an_mbtiles_package_is_read_with_tms_rows(tmp_path):
    path = tmp_path / "city.mbtiles"
    con = sqlite3.connect(path)
    con.execute("create table metadata (name text, value text)")
    con.execute("create table tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)")
    con.execute("insert into metadata values ('bounds', '108.8,34.1,109.1,34.4')")
    con.execute("insert into tiles values (12, 3287, 2647, ?)", (PNG,))  # TMS row of XYZ y = 4095 - 2647 = 1448
    con.commit()
    con.close()
    assert tiles.read_tile(path, 12, 3287, 1448) == (PNG, "image/png")
    assert tiles.read_tile(path, 12, 3287, 2647) is None
    assert tiles.read_tile(path, 12, 5000, 1448) is None  # off the world at that zoom
    info = tiles.package_info(path)
    assert (info.kind, info.min_zoom, info.max_zoom, info.bounds) == ("mbtiles", 12, 12, (108.8, 34.1, 109.1, 34.4))


def test_a_folder_package_is_read_as_z_x_y(tmp_path):
    (tmp_path / "13" / "6575").mkdir(parents=True)
    (tmp_path / "13" / "6575" / "3297.png").write_bytes(PNG)
    assert tiles.read_tile(tmp_path, 13, 6575, 3297) == (PNG, "image/png")
    assert tiles.read_tile(tmp_path, 13, 6575, 3298) is None
    assert tiles.package_info(tmp_path).max_zoom == 13


def test_a_missing_or_broken_package_says_so_in_chinese(tmp_path):
    with pytest.raises(tiles.TilePackageError, match="找不到瓦片包"):
        tiles.package_info(tmp_path / "none.mbtiles")
    (tmp_path / "bad.mbtiles").write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(tiles.TilePackageError, match="不是可读的 MBTiles"):
        tiles.package_info(tmp_path / "bad.mbtiles")


def test_local_tiles_need_a_package_setting(tmp_path):
    text = COMMITTED.read_text(encoding="utf-8").replace('tiles = "none"', 'tiles = "local"')
    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match="map.tiles_package"):
        load_settings(tmp_path / "s.toml")
    settings = load_settings(COMMITTED)
    assert (settings.map_tiles_package, settings.default_spot_min, settings.default_spot_excluded) == (None, 50, True)

"""Tests of the hotspot map's layers: clustered open problems, 测评点位, 反弹地点, focus, caps, size."""

import json
import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from cockpit import coords
from cockpit.draw import map_script, maps
from tests.test_maps import (
    XSS, all_texts, boundaries, cells_frame, default_map, fill, full_map, layer_rows, layer_texts,
    points_frame, rebounds_frame, render, row_locations,
)

NODE = shutil.which("node") or shutil.which("nodejs")
needs_node = pytest.mark.skipif(NODE is None, reason="未找到 node：跳过直接运行地图脚本的测试")
CENTER = (34.262, 108.945)


# --- 在办问题（聚合） ---------------------------------------------------------------------------

def test_cluster_layer_has_the_icon_function():
    page = render(default_map())
    assert "L.markerClusterGroup(" in page
    assert f".options.iconCreateFunction =\n                {map_script.CLUSTER_ICON_JS};" in page
    assert '"showCoverageOnHover": false' in page


def test_cell_markers_carry_their_counts():
    page = render(default_map())
    assert layer_rows(page, "cells") == [
        [34.261, 108.942, 18, 5, 3, "钟楼&lt;script&gt;alert(1)&lt;/script&gt;："],
        [34.27, 108.96, 6, 0, 2, "南门："],
    ]
    # Each row becomes one L.marker whose options hold count, red and yellow for the cluster sums.
    assert "L.marker([r[0], r[1]], {count: r[2], red: r[3], yellow: r[4]," in map_script._CELLS_JS
    assert map_script._CELLS_JS in page


def test_cell_without_label_shows_only_counts():
    frame = cells_frame().assign(label=[None, "南门", "含光门", "无坐标"])
    texts = layer_texts(render(maps.hotspot_map(frame, center=CENTER, zoom=14)), "cells", maps.CELL_TEXT)
    assert texts[0] == "在办 18（逾期 5，即将到期 3）"


# --- 测评点位 ---------------------------------------------------------------------------------

def point_texts(page: str) -> dict[str, str]:
    """Popup text of each drawn point, by the point's (escaped) name."""
    rows = layer_rows(page, "points")
    return {row[3]: fill(maps.POINT_POPUP, row) for row in rows}


def test_one_point_marker_per_located_point():
    m = default_map(points=points_frame())
    page = render(m)
    assert sorted(row_locations(page, "points")) == [(34.255, 108.935), (34.258, 108.945), (34.265, 108.95)]
    assert m.left_out.points == 0


def test_popup_of_a_known_point():
    texts = point_texts(render(default_map(points=points_frame())))
    assert texts["顺城巷"] == "<b>顺城巷</b>（背街小巷）<br>点位长：李四<br>未达标；在办 3，逾期 1<br>最近检查：2024-05-03 督查 71 分"
    assert texts["东大街&lt;b&gt;示范&lt;/b&gt;"] == (
        "<b>东大街&lt;b&gt;示范&lt;/b&gt;</b>（主次干道）<br>点位长：张三<br>达标；在办 1，逾期 0"
        "<br>最近检查：2024-05-06 暗访 92.5 分")
    # Never inspected, no type, no chief.
    assert texts["书院门"] == "<b>书院门</b><br>点位长：—<br>未检查；在办 0，逾期 0<br>最近检查：—"


def test_point_colours_follow_the_standard():
    page = render(default_map(points=points_frame()))
    words = {row[3]: row[2] for row in layer_rows(page, "points")}
    assert words == {"东大街&lt;b&gt;示范&lt;/b&gt;": "达标", "顺城巷": "未达标", "书院门": "未检查"}
    assert '"达标": "#2ca02c"' in page and '"未达标": "#d62728"' in page and '"grey": "#7f7f7f"' in page
    assert "{3}（{2}）" == maps.POINT_TIP
    assert "顺城巷（未达标）" in layer_texts(page, "points", maps.POINT_TIP)


def test_point_cap_keeps_the_failing_and_uninspected_first():
    m = default_map(points=points_frame(), max_points=2)
    page = render(m)
    assert sorted(row[3] for row in layer_rows(page, "points")) == ["书院门", "顺城巷"]
    assert m.left_out.points == 1  # 东大街 (达标); the point without coordinates is not counted


def test_what_the_caps_left_out_comes_back_beside_the_map_not_stuck_on_it():
    drawn = default_map(points=points_frame(), rebounds=rebounds_frame(), max_points=2)
    assert drawn.left_out == maps.LeftOut(points=1, cells=0, rebounds=0)
    assert [name for name in vars(drawn.map) if name.startswith("cockpit")] == []


def test_point_cap_then_most_open_problems_and_urgent_drawn_last():
    frame = pd.DataFrame({
        "point_name": ["甲", "乙", "丙", "丁"], "lat": [34.26, 34.261, 34.262, 34.263], "lng": [108.94] * 4,
        "is_up_to_standard": [False, False, False, None], "count_open": [1, 5, 3, 9], "count_overdue": [0, 0, 0, 0],
    })
    m = maps.hotspot_map(cells_frame(), center=CENTER, zoom=14, points=frame, max_points=2)
    # Drawn in reverse order of urgency, so the most urgent point is painted on top.
    assert [row[3] for row in layer_rows(render(m), "points")] == ["丙", "乙"]
    assert m.left_out.points == 2


def test_zero_max_points_draws_no_point_layer():
    m = default_map(points=points_frame(), max_points=0)
    assert layer_rows(render(m), "points") == []
    assert m.left_out.points == 3


# --- 反弹地点 ---------------------------------------------------------------------------------

def test_rebound_rings_sized_by_count():
    m = default_map(rebounds=rebounds_frame())
    page = render(m)
    assert layer_rows(page, "rebounds") == [
        [34.266, 108.938, 20.0, 4, "洒金桥${alert(3)}：", "，最近 2024-05-10"],
        [34.259, 108.952, 14.5, 1, "", ""],
    ]
    assert layer_texts(page, "rebounds", maps.REBOUND_TEXT) == ["洒金桥${alert(3)}：反弹 4 次，最近 2024-05-10", "反弹 1 次"]
    assert f'"colour": "{map_script.PURPLE}"' in page
    assert m.left_out.rebounds == 0


def test_rebound_cap_keeps_the_most_frequent(monkeypatch):
    monkeypatch.setattr(maps, "MAX_REBOUNDS", 1)
    m = default_map(rebounds=rebounds_frame())
    assert [row[3] for row in layer_rows(render(m), "rebounds")] == [4]
    assert m.left_out.rebounds == 1


# --- focus ------------------------------------------------------------------------------------

def ring_locations(page: str) -> list[tuple[float, float]]:
    """(lat, lng) of the circle markers folium itself writes (only the focus ring)."""
    found = re.findall(r"L\.circleMarker\(\s*\[([-\d.e]+),\s*([-\d.e]+)\]", page)
    return [(float(a), float(b)) for a, b in found]


def test_focus_centres_the_map_and_adds_a_ring():
    page = render(full_map(focus=(34.2583, 108.9466, 17)))
    assert re.search(r"center:\s*\[34\.2583,\s*108\.9466\]", page)
    # With no tiles a place opens with its street's outline around it, not in an empty square.
    assert re.search(rf'"zoom":\s*{maps.OUTLINE_FOCUS_ZOOM}\b', page)
    with_tiles = render(full_map(focus=(34.2583, 108.9466, 17), tiles="http://tiles.intranet/{z}/{x}/{y}.png"))
    assert re.search(r'"zoom":\s*17\b', with_tiles)
    assert ring_locations(page) == [(34.2583, 108.9466)]
    ring = re.search(r"L\.circleMarker\(\s*\[34\.2583, 108\.9466\],\s*(\{.*?\})\s*\)", page).group(1)
    assert json.loads(ring)["interactive"] is False  # clicks go through to the layers below


def test_without_focus_the_map_opens_on_center():
    page = render(full_map())
    assert re.search(r"center:\s*\[34\.262,\s*108\.945\]", page)
    assert re.search(r'"zoom":\s*14\b', page)
    assert ring_locations(page) == []


def test_focus_without_coordinates_is_ignored():
    page = render(default_map(focus=(float("nan"), None, 17)))
    assert re.search(r"center:\s*\[34\.262,\s*108\.945\]", page) and ring_locations(page) == []


# --- every layer: escaping, projection, inputs -------------------------------------------------

def hostile(text: str) -> str:
    return f"{text}{XSS}${{alert(9)}}`"


def test_data_text_is_escaped_in_every_layer():
    cells = cells_frame().assign(label=hostile("钟楼"))
    points = points_frame().assign(point_name=hostile("点"), point_type=hostile("型"), point_chief=hostile("长"),
                                   last_inspection_type=hostile("暗访"))
    rebounds = rebounds_frame().assign(label=hostile("反弹"))
    page = render(maps.hotspot_map(cells, center=CENTER, zoom=14, points=points, rebounds=rebounds))
    assert XSS not in page and "<script>alert" not in page
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;${alert(9)}`"
    texts = all_texts(page)
    assert f"钟楼{escaped}：在办 18（逾期 5，即将到期 3）" in texts
    assert f"反弹{escaped}：反弹 4 次，最近 2024-05-10" in texts
    popup = point_texts(page)[f"点{escaped}"]
    for part in (f"（型{escaped}）", f"点位长：长{escaped}", f"暗访{escaped}"):
        assert part in popup
    # The data appears only inside the JSON rows, never in JS code or a template literal.
    for line in page.splitlines():
        if "alert(9)" in line:
            assert line.lstrip().startswith("/* cockpit-rows:"), line


def test_long_text_is_cut():
    points = points_frame().assign(point_name="很" * 100)
    page = render(default_map(points=points))
    assert {row[3] for row in layer_rows(page, "points")} == {"很" * (maps.TEXT_LIMIT - 1) + "…"}


def test_gcj02_moves_every_layer():
    kwargs = {"tiles": "http://tiles.intranet/{z}/{x}/{y}.png", "tiles_attribution": "a", "focus": (34.26, 108.94, 16)}
    wgs = render(full_map(**kwargs))
    gcj = render(full_map(tiles_crs="gcj02", **kwargs))

    def shifted(lat, lng):
        g_lng, g_lat = coords.wgs84_to_gcj02(lng, lat)
        return round(g_lat, 6), round(g_lng, 6)

    for kind in ("cells", "points", "rebounds"):
        before, after = row_locations(wgs, kind), row_locations(gcj, kind)
        assert before and len(before) == len(after)
        for (lat0, lng0), (lat1, lng1) in zip(before, after):
            assert (lat1, lng1) == pytest.approx(shifted(lat0, lng0), abs=2e-6)
            assert abs(lng1 - lng0) > 1e-3  # several hundred metres in Xi'an
    lat, lng = shifted(34.261, 108.942)
    assert f"[{lat}, {lng}, 1.0]" in gcj  # heat
    (ring,) = ring_locations(gcj)
    assert ring == pytest.approx(shifted(34.26, 108.94), abs=2e-6)
    assert re.search(rf"center:\s*\[{ring[0]},\s*{ring[1]}\]", gcj)


def test_frames_of_the_old_shape_are_refused_with_the_missing_columns():
    old = pd.DataFrame({"label": ["钟楼"], "lat": [34.26], "lng": [108.94], "count_open": [3],
                        "count_overdue": [1], "count_rebound": [0]})
    with pytest.raises(ValueError, match="cells 缺少列：count_problems, count_red, count_yellow"):
        maps.hotspot_map(old, center=CENTER, zoom=14)
    with pytest.raises(ValueError, match="points 缺少列：point_name, is_up_to_standard"):
        maps.hotspot_map(cells_frame(), center=CENTER, zoom=14, points=old)


def test_empty_inputs_draw_no_layers():
    empty = pd.DataFrame()
    m = maps.hotspot_map(empty, center=CENTER, zoom=14, points=empty, rebounds=empty)
    page = render(m)
    assert "cockpit-rows" not in page and "L.heatLayer" not in page
    assert (m.left_out.points, m.left_out.cells, m.left_out.rebounds) == (0, 0, 0)


# --- payload size ------------------------------------------------------------------------------

def synthetic(n_points: int, n_cells: int, n_rebounds: int):
    """Fixed pseudo-random inputs with names of realistic length."""
    rng = np.random.default_rng(7)
    lat = lambda n: 34.15 + rng.random(n) * 0.25  # noqa: E731
    lng = lambda n: 108.75 + rng.random(n) * 0.35  # noqa: E731
    n_open = rng.integers(0, 60, n_cells)
    cells = pd.DataFrame({
        "lat": lat(n_cells), "lng": lng(n_cells), "count_problems": n_open * 3 + 1, "count_open": n_open,
        "count_red": n_open // 5, "count_yellow": n_open // 4, "count_green": n_open - n_open // 5 - n_open // 4,
        "label": [f"雁塔区小寨路街道第{i % 97}网格" for i in range(n_cells)],
    })
    points = pd.DataFrame({
        "point_id": [f"P{i:05d}" for i in range(n_points)],
        "point_name": [f"长安南路小寨十字东北角{i}号" for i in range(n_points)],
        "point_type": rng.choice(["主次干道", "背街小巷", "农贸市场", "老旧小区", "公共广场"], n_points),
        "point_chief": rng.choice(["张建国", "李秀英", "王小五", "欧阳明"], n_points),
        "lat": lat(n_points), "lng": lng(n_points),
        "is_up_to_standard": rng.choice(np.array([True, False, None], dtype=object), n_points),
        "count_open": rng.integers(0, 30, n_points), "count_overdue": rng.integers(0, 8, n_points),
        "last_inspected_at": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, n_points), unit="D"),
        "last_score": np.round(60 + rng.random(n_points) * 40, 1),
        "last_inspection_type": rng.choice(["暗访", "督查", "模拟测评"], n_points),
    })
    rebounds = pd.DataFrame({
        "label": [f"含光路与南二环交叉口西南{i}号商铺门前" for i in range(n_rebounds)],
        "lat": lat(n_rebounds), "lng": lng(n_rebounds), "count_rebound": rng.integers(1, 12, n_rebounds),
        "last_found_at": pd.Timestamp("2024-06-01") + pd.to_timedelta(rng.integers(0, 60, n_rebounds), unit="D"),
    })
    return cells, points, rebounds


def page_bytes(cells, **kwargs) -> int:
    m = maps.hotspot_map(cells, center=CENTER, zoom=13, boundaries=boundaries(), **kwargs)
    return len(render(m).encode("utf-8"))


def test_payload_of_a_busy_city_stays_small():
    cells, points, rebounds = synthetic(4000, 3000, 200)
    assert page_bytes(cells.iloc[0:0], points=points) < 700_000  # 4,000 points (measured ≈ 0.59 MB)
    assert page_bytes(cells, points=points, rebounds=rebounds) < 2_000_000  # measured ≈ 0.92 MB


def test_payload_at_every_cap_stays_under_2_mb():
    cells, points, rebounds = synthetic(maps.MAX_POINTS + 500, maps.MAX_CELLS + 500, maps.MAX_REBOUNDS + 50)
    m = maps.hotspot_map(cells, center=CENTER, zoom=13, points=points, rebounds=rebounds)
    assert len(render(m).encode("utf-8")) < 2_000_000
    assert (m.left_out.points, m.left_out.cells, m.left_out.rebounds) == (500, 500, 50)


# --- the static JavaScript, run in node with a stand-in for Leaflet -----------------------------

FAKE_LEAFLET = """
const drawn = [];
function item(kind, latlng, options) {
  const it = {kind, latlng, options,
    bindTooltip(t) { this.tooltip = t; return this; },
    bindPopup(t) { this.popup = t; return this; },
    addTo(g) { g.items.push(this); return this; }};
  return it;
}
const L = {marker: (ll, o) => item('marker', ll, o), circleMarker: (ll, o) => item('circle', ll, o),
           divIcon: (o) => ({divIcon: o})};
function group(name) { const g = {name, items: [], addLayers(ls) { this.items.push(...ls); }}; drawn.push(g); return g; }
"""


def run_node(script: str):
    done = subprocess.run([NODE, "-e", FAKE_LEAFLET + script], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def run_layers(page: str) -> dict[str, list[dict]]:
    """Runs each layer's script from the page against the stand-in; the items it drew, by layer kind."""
    statements = re.findall(r"^\s*(\(function \(group, o, rows\).*?\}\)\((\w+), .*?/\* cockpit-rows:(\w+) \*/ .*?\);)$",
                            page, flags=re.S | re.M)
    script = "".join(f"var {name} = group({json.dumps(kind)});\n{code}\n" for code, name, kind in statements)
    script += "console.log(JSON.stringify(Object.fromEntries(drawn.map(g => [g.name, g.items]))));"
    return run_node(script)


@needs_node
def test_js_draws_what_the_rows_say():
    page = render(full_map())
    drawn = run_layers(page)
    assert [item["tooltip"] for item in drawn["cells"]] == layer_texts(page, "cells", maps.CELL_TEXT)
    assert [item["popup"] for item in drawn["points"]] == layer_texts(page, "points", maps.POINT_POPUP)
    assert [item["tooltip"] for item in drawn["points"]] == layer_texts(page, "points", maps.POINT_TIP)
    assert [item["popup"] for item in drawn["rebounds"]] == layer_texts(page, "rebounds", maps.REBOUND_TEXT)
    first = drawn["cells"][0]
    assert first["kind"] == "marker" and first["latlng"] == [34.261, 108.942]
    assert {k: first["options"][k] for k in ("count", "red", "yellow")} == {"count": 18, "red": 5, "yellow": 3}
    assert f"background:{map_script.RED}" in first["options"]["icon"]["divIcon"]["html"]
    colours = {item["popup"].split("</b>")[0][3:]: item["options"]["fillColor"] for item in drawn["points"]}
    assert colours == {"东大街&lt;b&gt;示范&lt;/b&gt;": map_script.GREEN, "顺城巷": map_script.RED, "书院门": map_script.GREY}
    assert all(item["options"]["pane"] == maps.MARKER_PANE for item in drawn["points"] + drawn["rebounds"])
    assert [item["options"]["radius"] for item in drawn["rebounds"]] == [20, 14.5]


@needs_node
def test_cluster_shows_the_open_total_in_its_worst_light():
    children = {
        "red": [[18, 5, 3], [6, 0, 2], [4, 0, 0]],
        "yellow": [[6, 0, 2], [4, 0, 0]],
        "green": [[4, 0, 0], [3, 0, 0]],
    }
    script = f"const make = {map_script.CLUSTER_ICON_JS}; const cases = {json.dumps(children)};\n" + """
    const out = {};
    for (const [name, kids] of Object.entries(cases)) {
      const cluster = {getAllChildMarkers: () => kids.map(([count, red, yellow]) => ({options: {count, red, yellow}}))};
      out[name] = make(cluster).divIcon;
    }
    console.log(JSON.stringify(out));
    """
    icons = run_node(script)
    for name, total, colour in (("red", 28, map_script.RED), ("yellow", 10, map_script.YELLOW), ("green", 7, map_script.GREEN)):
        assert f">{total}</div>" in icons[name]["html"]
        assert f"background:{colour};" in icons[name]["html"]
        assert icons[name]["className"] == "cockpit-light"


@needs_node
def test_fill_inserts_fields_literally():
    row = ["a", "${alert(1)} $& $1 {0}"]
    out = run_node(f"console.log(JSON.stringify(({map_script.FILL_JS})('{{1}}|{{0}}', {json.dumps(row)})));")
    assert out == "${alert(1)} $& $1 {0}|a" == fill("{1}|{0}", row)



def test_map_has_a_max_zoom_for_markercluster():
    # Without tiles nothing gives the map a maxZoom, and markercluster then throws on add.
    # With no tiles the deepest zoom is where a street outline still fits on the screen.
    page = render(default_map())
    options = page[page.index("L.map("):page.index(");", page.index("L.map("))]
    assert f'"maxZoom": {maps.OUTLINE_MAX_ZOOM}' in options


def test_points_and_rebounds_start_hidden_the_problem_layers_shown():
    """Thousands of point dots and rebound rings would bury the hotspots: they wait to be ticked."""
    m = full_map().map
    shown = {child.layer_name: child.show for child in m._children.values() if hasattr(child, "layer_name")}
    assert shown[maps.LAYER_POINTS] is False and shown[maps.LAYER_REBOUNDS] is False
    assert shown[maps.LAYER_HEAT] is True and shown[maps.LAYER_OPEN] is True

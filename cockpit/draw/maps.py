"""Hotspot map (folium) drawn only with Leaflet assets served locally from Streamlit's static/."""

from __future__ import annotations

import copy
import html
import math
from dataclasses import dataclass

import folium
import numpy as np
import pandas as pd
from folium import plugins

from cockpit.coords import from_wgs84
from cockpit.draw.map_script import (_CELLS_JS, _LABELS_JS, _POINTS_JS, _REBOUNDS_JS, BADGES, BLUE, GREEN, GREY,
                                     PURPLE, RED, YELLOW, _Controls, _Rows, _cluster_icon_js, _style_css)
from cockpit.draw import outlines
from cockpit.draw.outlines import coord
from cockpit.draw.vendor import VENDOR_URL
from cockpit.web.tiles import LOCAL_TILE_URL

# Markers get their own pane above the overlay pane: Leaflet.heat always appends its canvas to
# the overlay pane, after the vector canvas, so markers there would be painted over by the heat.
MARKER_PANE = "cockpit-markers"
TILE_SYSTEMS = ("wgs84", "gcj02")
MAX_ZOOM = 18          # with tiles (a local package may stop earlier: its own max zoom)
OUTLINE_MAX_ZOOM = 16  # with no tiles: past this a street is bigger than the screen and nothing else shows
FOCUS_ZOOM = 16        # a place opened from the list, within the map's max zoom
OUTLINE_FOCUS_ZOOM = 14  # the same with no tiles: the place with its street's outline around it
LABEL_PANE = "cockpit-labels"

# Caps on what one map sends to the browser. With the text limit below they keep the page under
# about 2 MB (see tests/test_map_layers.py for the measured sizes); hotspot_map says what it left out.
CELL_DEG = 0.01  # grid cell a side, in degrees (about 1 km): the heat, the clusters, cell places
MAX_POINTS = 5000
MAX_CELLS = 8000
MAX_REBOUNDS = 1000
TEXT_LIMIT = 40  # characters kept of any one label, name or chief (longer ones end in "…")

LAYER_HEAT = "问题热力"
LAYER_OPEN = "在办问题（聚合）"
LAYER_POINTS = "测评点位"
LAYER_REBOUNDS = "反弹地点"
LAYER_DISTRICTS = "区县边界"
LAYER_STREETS = "街道边界"
LAYER_LABELS = "地名"


def use_local_assets(base: str = VENDOR_URL) -> None:
    """Point folium's Map and the plugins we use at the vendored files instead of CDNs.

    jQuery, Bootstrap, awesome-markers and FontAwesome are dropped on purpose: one unreachable
    script stops st_folium from drawing anything, and this module never uses folium.Icon,
    folium.Popup (its template calls jQuery's $) or branca colormaps (st_folium adds d3 from a CDN).
    The attributes are class-level, so this changes every map built later in the process.
    """
    leaflet = f"{base}/leaflet/dist"
    cluster = f"{base}/markercluster"
    folium.Map.default_js = [("leaflet", f"{leaflet}/leaflet.js")]
    folium.Map.default_css = [("leaflet_css", f"{leaflet}/leaflet.css")]
    plugins.HeatMap.default_js = [("leaflet-heat.js", f"{base}/leaflet-heat/leaflet_heat.min.js")]
    plugins.HeatMap.default_css = []
    for cls in (plugins.MarkerCluster, plugins.FastMarkerCluster):
        cls.default_js = [("markerclusterjs", f"{cluster}/leaflet.markercluster.js")]
        cls.default_css = [
            ("markerclustercss", f"{cluster}/MarkerCluster.css"),
            ("markerclusterdefaultcss", f"{cluster}/MarkerCluster.Default.css"),
        ]

# Text templates of each layer; the numbers are the row fields (see the *_rows functions).
CELL_TEXT = "{5}在办 {2}（逾期 {3}，即将到期 {4}）"
POINT_TIP = "{3}（{2}）"
POINT_POPUP = "<b>{3}</b>{4}<br>点位长：{5}<br>{2}；在办 {6}，逾期 {7}<br>最近检查：{8}"
REBOUND_TEXT = "{4}反弹 {3} 次{5}"
STANDARD_WORDS = {True: "达标", False: "未达标", None: "未检查"}

CELL_COLUMNS = ("count_problems", "count_open", "count_red", "count_yellow")
POINT_COLUMNS = ("point_name", "is_up_to_standard", "count_open", "count_overdue")
REBOUND_COLUMNS = ("count_rebound",)


def _standard(value) -> bool | None:
    """is_up_to_standard as True/False, or None for never inspected."""
    return None if value is None or pd.isna(value) else bool(value)


# A layer's row values are made a whole column at a time: a layer has thousands of rows and the map
# is built on every run of the page (a call per cell cost more than the rest of the page at 4,000
# points).

def _texts(values: pd.Series, limit: int = TEXT_LIMIT) -> list[str]:
    """HTML-escaped text of each value ("" when missing), cut to `limit` characters."""
    values = pd.Series(values, dtype=object)
    text = values.where(values.notna(), "").astype(str).str.strip()
    long = text.str.len() > limit
    if long.any():
        text = text.where(~long, text.str[: limit - 1] + "…")
    for char, entity in _HTML_ENTITIES:
        text = text.str.replace(char, entity, regex=False)
    return text.tolist()


_HTML_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))  # as html.escape


def _days(values: pd.Series) -> list[str]:
    """YYYY-MM-DD of each timestamp, "" when missing."""
    return pd.to_datetime(pd.Series(values), errors="coerce").dt.strftime("%Y-%m-%d").fillna("").tolist()


def _ints(values: pd.Series) -> list[int]:
    """Each count as int; missing counts read as 0."""
    return pd.to_numeric(pd.Series(values), errors="coerce").fillna(0).astype("int64").tolist()


def _coords(values: pd.Series) -> list[float]:
    """_coord of each value."""
    return [round(v, 6) for v in pd.Series(values).astype(float).tolist()]


def _require(frame: pd.DataFrame | None, columns, what: str) -> None:
    """Fail with the missing column names (a frame of the old shape must not draw half a map)."""
    if frame is None or frame.empty:
        return
    missing = [c for c in ("lat", "lng", *columns) if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} 缺少列：{', '.join(missing)}")


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    """A count column as floats, missing values as 0."""
    return pd.to_numeric(frame[column], errors="coerce").fillna(0)


def _located(frame: pd.DataFrame | None) -> pd.DataFrame:
    """Rows with finite lat and lng (rows without coordinates cannot be drawn)."""
    if frame is None or frame.empty:
        return pd.DataFrame(columns=["lat", "lng"])
    lat = pd.to_numeric(frame["lat"], errors="coerce")
    lng = pd.to_numeric(frame["lng"], errors="coerce")
    keep = np.isfinite(lat.to_numpy(dtype=float)) & np.isfinite(lng.to_numpy(dtype=float))
    out = frame.loc[keep].copy()
    out["lat"], out["lng"] = lat[keep].astype(float), lng[keep].astype(float)
    return out


def _project(frame: pd.DataFrame, crs: str) -> pd.DataFrame:
    """The frame with lat/lng moved from WGS-84 into the tiles' coordinate system."""
    if crs == "wgs84" or frame.empty:
        return frame
    out = frame.copy()
    out["lng"], out["lat"] = from_wgs84(out["lng"].to_numpy(), out["lat"].to_numpy(), crs)
    return out


def _boundary_layers(boundaries: dict, crs: str) -> list[folium.GeoJson]:
    """One outline layer for districts and one for streets, with escaped name tooltips."""
    groups: dict[bool, list[dict]] = {True: [], False: []}
    for feature in boundaries.get("features", []):
        props = dict(feature.get("properties") or {})
        # GeoJsonTooltip writes values with innerHTML, so it only ever sees the escaped copy.
        props["tip"] = html.escape(str(props.get("name") or ""))
        projected = {**copy.deepcopy(feature), "properties": props}
        projected["geometry"] = outlines.project_geometry(projected.get("geometry"), crs)
        groups[outlines.is_district(props)].append(projected)

    layers = []
    for is_district, features in ((True, groups[True]), (False, groups[False])):
        if not features:
            continue
        style = {"color": "#1f4e79", "weight": 3 if is_district else 1, "fill": False}
        layers.append(
            folium.GeoJson(
                {"type": "FeatureCollection", "features": features},
                name=LAYER_DISTRICTS if is_district else LAYER_STREETS,
                style_function=lambda _f, s=style: s,
                tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
            )
        )
    return layers


def _label_rows(boundaries: dict, crs: str) -> list[list]:
    """[lat, lng, escaped name, is district] per named area, districts last (drawn on top)."""
    rows = []
    for feature in boundaries.get("features", []):
        props = feature.get("properties") or {}
        name = str(props.get("name") or "").strip()
        point = outlines.label_point(outlines.project_geometry(feature.get("geometry"), crs))
        if name and point:
            rows.append([coord(point[0]), coord(point[1]), _texts(pd.Series([name]))[0], outlines.is_district(props)])
    return sorted(rows, key=lambda r: r[3])


def _circle(location, **style) -> folium.CircleMarker:
    """A circle marker in the marker pane (folium's path_options drops a `pane` keyword)."""
    marker = folium.CircleMarker(location=location, **style)
    marker.options["pane"] = MARKER_PANE
    return marker


def _top(frame: pd.DataFrame, limit: int, by: list[str]) -> tuple[pd.DataFrame, int]:
    """The first `limit` rows by the given count columns (descending) and how many were cut."""
    if len(frame) <= limit:
        return frame, 0
    keys = pd.DataFrame({f"_k{i}": _numbers(frame, col) for i, col in enumerate(by)}, index=frame.index)
    order = keys.sort_values(list(keys.columns), ascending=False, kind="stable").index
    return frame.loc[order[:limit]], len(frame) - limit


# Light yellow to dark red: the low end stays visible on a plain background, the high end stands out.
HEAT_GRADIENT = {0.1: "#fff3b0", 0.35: "#fdb863", 0.6: "#f46d43", 0.8: "#d73027", 1.0: "#7f0000"}


def _heat_layer(cells: pd.DataFrame) -> plugins.HeatMap | None:
    """Heat of the problems matching the page's filters; the hottest cell weighs 1.

    Leaflet.heat scales each drawn blob by the busiest spot on screen and adds up overlapping ones,
    so a wide blur with a high floor turns a city of busy cells into one even colour: the blobs
    here are about a cell wide at the city's zoom and the faintest is nearly clear.
    """
    weight = _numbers(cells, "count_problems")
    hot = weight > 0
    if not hot.any():
        return None
    weight = (weight[hot] / weight[hot].max()).round(4)
    data = [[coord(a), coord(b), float(w)] for a, b, w in zip(cells.loc[hot, "lat"], cells.loc[hot, "lng"], weight)]
    return plugins.HeatMap(data, name=LAYER_HEAT, radius=20, blur=18, min_opacity=0.08, gradient=HEAT_GRADIENT)


def _cell_rows(cells: pd.DataFrame) -> list[list]:
    """[lat, lng, open, red, yellow, "label："] per cell with open problems."""
    labels = _texts(cells["label"] if "label" in cells.columns else pd.Series(None, index=cells.index))
    return [[lat, lng, n, red, yellow, f"{label}：" if label else ""]
            for lat, lng, n, red, yellow, label in zip(
                _coords(cells["lat"]), _coords(cells["lng"]), _ints(cells["count_open"]),
                _ints(cells["count_red"]), _ints(cells["count_yellow"]), labels)
            if n > 0]


def _open_layer(cells: pd.DataFrame, wall: bool = False) -> plugins.MarkerCluster | None:
    """Open problems clustered: each badge shows the open problems under it, coloured by its worst light."""
    rows = _cell_rows(cells)
    if not rows:
        return None
    (cell_size, cell_font), cluster_badge = BADGES[wall]["cell"], BADGES[wall]["cluster"]
    cluster = plugins.MarkerCluster(
        name=LAYER_OPEN, icon_create_function=_cluster_icon_js(*cluster_badge),
        show_coverage_on_hover=False, max_cluster_radius=80 if wall else 60, chunked_loading=True,
    )
    cluster.add_child(_Rows("cells", _CELLS_JS, {"text": CELL_TEXT, "size": cell_size, "font": cell_font}, rows))
    return cluster


def _point_order(points: pd.DataFrame) -> pd.Index:
    """未达标 first, then never inspected, then 达标; within each, most open, then most overdue."""
    rank = points["is_up_to_standard"].map(lambda v: {False: 0, None: 1, True: 2}[_standard(v)])
    keys = pd.DataFrame(
        {"rank": rank, "open": -_numbers(points, "count_open"), "overdue": -_numbers(points, "count_overdue")},
        index=points.index,
    )
    return keys.sort_values(["rank", "open", "overdue"], kind="stable").index


def _latest(day: str, kind: str, score: float) -> str:
    """"2024-05-01 暗访 85 分" from what is known of the latest inspection (kind already escaped, score
    NaN when missing), "—" when nothing is."""
    parts = [day, kind]
    if score == score:
        parts.append(f"{score:.1f}".removesuffix(".0") + " 分")
    return " ".join(p for p in parts if p) or "—"


def _point_rows(points: pd.DataFrame) -> list[list]:
    """[lat, lng, 达标/未达标/未检查, name, "（type）", chief, open, overdue, latest] per point."""
    def column(name):
        return points[name] if name in points.columns else pd.Series(None, index=points.index, dtype=object)

    scores = pd.to_numeric(column("last_score"), errors="coerce").astype(float).tolist()
    return [
        [lat, lng, STANDARD_WORDS[_standard(up)], name, f"（{kind}）" if kind else "", chief or "—", n, overdue,
         _latest(day, inspection, score)]
        for lat, lng, up, name, kind, chief, n, overdue, day, inspection, score in zip(
            _coords(points["lat"]), _coords(points["lng"]), points["is_up_to_standard"].tolist(),
            _texts(points["point_name"]), _texts(column("point_type")), _texts(column("point_chief")),
            _ints(points["count_open"]), _ints(points["count_overdue"]), _days(column("last_inspected_at")),
            _texts(column("last_inspection_type")), scores,
        )
    ]


def _points_layer(points: pd.DataFrame) -> folium.FeatureGroup:
    """Green (达标) / red (未达标) / grey (未检查) points; the most urgent are drawn last, on top."""
    # Off until ticked in the layer control: thousands of dots would hide the hotspots.
    group = folium.FeatureGroup(name=LAYER_POINTS, show=False)
    options = {"tip": POINT_TIP, "popup": POINT_POPUP, "pane": MARKER_PANE, "grey": GREY,
               "colours": {STANDARD_WORDS[True]: GREEN, STANDARD_WORDS[False]: RED}}
    group.add_child(_Rows("points", _POINTS_JS, options, _point_rows(points)[::-1]))
    return group


def _rebound_rows(rebounds: pd.DataFrame) -> list[list]:
    """[lat, lng, radius px, times, "label：", "，最近 YYYY-MM-DD"] per place."""
    counts = _numbers(rebounds, "count_rebound")
    biggest = max(float(counts.max()), 1.0)
    labels = rebounds["label"] if "label" in rebounds.columns else pd.Series(None, index=rebounds.index)
    found = rebounds["last_found_at"] if "last_found_at" in rebounds.columns else pd.Series(None, index=rebounds.index)
    # Area, not radius, grows with the count: sqrt keeps the biggest ring from swamping the map.
    return [[lat, lng, round(9 + 11 * math.sqrt(max(n, 0.0) / biggest), 1), times, f"{label}：" if label else "",
             f"，最近 {day}" if day else ""]
            for lat, lng, n, times, label, day in zip(
                _coords(rebounds["lat"]), _coords(rebounds["lng"]), counts.astype(float).tolist(),
                _ints(rebounds["count_rebound"]), _texts(labels), _days(found))]


def _rebounds_layer(rebounds: pd.DataFrame) -> folium.FeatureGroup:
    """Purple rings at places where problems came back, sized by how often."""
    group = folium.FeatureGroup(name=LAYER_REBOUNDS, show=False)
    options = {"text": REBOUND_TEXT, "pane": MARKER_PANE, "colour": PURPLE}
    group.add_child(_Rows("rebounds", _REBOUNDS_JS, options, _rebound_rows(rebounds)))
    return group


def tile_url(tiles: str) -> str | None:
    """The tile URL template the map asks: None for no tiles, the cockpit's own for "local"."""
    text = str(tiles or "").strip()
    if not text or text.lower() == "none":
        return None
    if text.lower() == "local":
        return LOCAL_TILE_URL
    return text


def _base_map(center, zoom, tiles, attribution, subdomains, crs, max_zoom, wall) -> folium.Map:
    """The map with its tile layer (or none, when the boundaries are the base)."""
    lng, lat = from_wgs84(center[1], center[0], crs)
    m = folium.Map(location=(coord(lat), coord(lng)), zoom_start=zoom, tiles=None,
                   prefer_canvas=True, control_scale=False, zoom_control=not wall)
    # markercluster refuses a map without maxZoom, and without tiles nothing else sets one
    # (folium only passes max_zoom on to its own tile layer).
    m.options["max_zoom"] = max_zoom
    # Quarter steps, so fitting the city to the screen does not leave a wide margin on one size of
    # screen and crop it on another.
    m.options["zoom_snap"] = 0.25
    # Between the overlay pane (400) and the shadow/marker panes (500/600); clickable.
    folium.map.CustomPane(MARKER_PANE, z_index=450, pointer_events=True).add_to(m)
    # Names above every badge and marker (a badge on a street's name would hide where it is), under
    # the tooltips (650); clicks go through them to the badges.
    folium.map.CustomPane(LABEL_PANE, z_index=640, pointer_events=False).add_to(m)
    url = tile_url(tiles)
    if url:
        options = {"subdomains": subdomains} if subdomains else {}
        # The attribution comes from settings (office-controlled), so HTML such as © is allowed.
        folium.TileLayer(url, attr=attribution or "底图", name="底图", max_zoom=max_zoom,
                         max_native_zoom=max_zoom, **options).add_to(m)
    return m


def _swatch(colour: str, round_: bool = True, px: int = 14) -> str:
    radius = "50%" if round_ else "0"
    return f'<i style="width:{px}px;height:{px}px;border-radius:{radius};background:{colour}"></i>'


def _legend_html(shown: set[str], heat_max: int, wall: bool) -> str:
    """A legend entry for each layer drawn and visible at first (all texts fixed here), one line
    per item so that it is narrow and the map can keep the city clear of it."""
    px = 20 if wall else 12

    def line(*items: str) -> str:
        return f"<div>{''.join(items)}</div>"

    def entry(layer: str, text: str, hidden: bool = False) -> str:
        """A layer's entry, shown while the layer is ticked (see _Controls); hidden for a layer
        that starts hidden."""
        style = ' style="display:none"' if hidden else ""
        return f'<div class="cockpit-legend-entry" data-layer="{html.escape(layer)}"{style}>{text}</div>'

    parts = []
    if LAYER_HEAT in shown:
        stops = ", ".join(f"{colour} {int(at * 100)}%" for at, colour in sorted(HEAT_GRADIENT.items()))
        bar = f'<i style="width:{5 * px}px;height:{px}px;background:linear-gradient(to right, {stops})"></i>'
        parts.append(entry(LAYER_HEAT, f"<b>{LAYER_HEAT}</b>" + line("少 ", bar, "多")
                           + line(f"最多一格 {heat_max} 个问题")))
    if LAYER_OPEN in shown:
        parts.append(entry(LAYER_OPEN, f"<b>{LAYER_OPEN}</b>" + line("数字：在办问题数")
                           + line(_swatch(RED, px=px), "有逾期") + line(_swatch(YELLOW, px=px), "有即将到期")
                           + line(_swatch(GREEN, px=px), "其余")))
    if LAYER_POINTS in shown:
        parts.append(entry(LAYER_POINTS, f"<b>{LAYER_POINTS}</b>" + line(_swatch(RED, px=px), "未达标")
                           + line(_swatch(GREEN, px=px), "达标") + line(_swatch(GREY, px=px), "未检查"), hidden=True))
    if LAYER_REBOUNDS in shown:
        ring = f'<i style="width:{px}px;height:{px}px;border-radius:50%;border:3px solid {PURPLE}"></i>'
        parts.append(entry(LAYER_REBOUNDS, f"<b>{LAYER_REBOUNDS}</b>" + line(ring, "圈越大反弹越多"), hidden=True))
    if LAYER_DISTRICTS in shown or LAYER_STREETS in shown:
        lines = []
        if LAYER_DISTRICTS in shown:
            lines.append(line(f'<i style="width:{2 * px}px;border-top:3px solid #1f4e79"></i>区县'))
        if LAYER_STREETS in shown:
            lines.append(line(f'<i style="width:{2 * px}px;border-top:1px solid #1f4e79"></i>街道'))
        parts.append("<b>边界</b>" + "".join(lines))
    return "".join(parts)


def _focus(focus) -> tuple[float, float, int] | None:
    """focus as (lat, lng, zoom), or None when not given or without finite coordinates."""
    if focus is None:
        return None
    lat, lng, zoom = focus
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lng)):
        return None
    return lat, lng, int(zoom)


@dataclass(frozen=True)
class LeftOut:
    """How many rows with coordinates the caps kept off the map, per layer."""

    points: int = 0
    cells: int = 0
    rebounds: int = 0


@dataclass(frozen=True)
class HotspotMap:
    """The hotspot map and what its caps left out of it (the page says so under the map)."""

    map: folium.Map
    left_out: LeftOut


def hotspot_map(
    cells: pd.DataFrame,
    *,
    center: tuple[float, float],
    zoom: int,
    tiles: str = "none",
    tiles_attribution: str = "",
    tiles_subdomains: str = "",
    tiles_crs: str = "wgs84",
    boundaries: dict | None = None,
    points: pd.DataFrame | None = None,
    rebounds: pd.DataFrame | None = None,
    focus: tuple[float, float, int] | None = None,
    max_points: int = MAX_POINTS,
    max_zoom: int | None = None,
    wall: bool = False,
) -> HotspotMap:
    """The hotspot map with switchable layers: 问题热力, 在办问题（聚合）, 测评点位, 反弹地点, boundaries.

    cells: one row per grid cell (lat, lng, count_problems = heat weight, count_open, count_red,
    count_yellow, optional count_green and label). points: one row per 点位 (point_name,
    point_type, point_chief, lat, lng, is_up_to_standard True/False/None, count_open,
    count_overdue, last_inspected_at, last_score, last_inspection_type). rebounds: one row per
    place (label, lat, lng, count_rebound, last_found_at). focus: (lat, lng, zoom) to open on,
    marked with a ring; with no tiles the view is its street's outline (or district's) around it.

    All input coordinates are WGS-84 (center is (lat, lng)); with tiles_crs="gcj02" every drawn
    coordinate is moved to GCJ-02 so it lines up with 高德-style tiles. Rows without coordinates
    are dropped; the page reports how many separately. What the caps leave out comes back beside
    the map (HotspotMap.left_out).

    With boundaries, their names are written on the map and the view is fitted to them (center
    and zoom are used only without). max_zoom: the deepest zoom (default MAX_ZOOM with tiles,
    OUTLINE_MAX_ZOOM without). wall: the big screen's map: no zoom buttons or layer control, bigger
    names and numbers, and only the layers shown at first.
    """
    crs = str(tiles_crs).strip().lower()
    if crs not in TILE_SYSTEMS:
        # Baidu tiles use their own projection (BD-09 Mercator), which Leaflet cannot show.
        raise ValueError(f"底图坐标系 tiles_crs={tiles_crs!r} 无效，应为 wgs84 或 gcj02")
    _require(cells, CELL_COLUMNS, "cells")
    _require(points, POINT_COLUMNS, "points")
    _require(rebounds, REBOUND_COLUMNS, "rebounds")
    deepest = int(max_zoom or (MAX_ZOOM if tile_url(tiles) else OUTLINE_MAX_ZOOM))
    spot = _focus(focus)
    if spot:
        spot = (spot[0], spot[1], min(spot[2], deepest if tile_url(tiles) else min(deepest, OUTLINE_FOCUS_ZOOM)))
    m = _base_map(spot[:2] if spot else center, spot[2] if spot else zoom,
                  tiles, tiles_attribution, tiles_subdomains, crs, deepest, wall)
    m.get_root().header.add_child(folium.Element(_style_css(wall)))
    shown: set[str] = set()
    if boundaries:
        for layer in _boundary_layers(boundaries, crs):
            layer.add_to(m)
            shown.add(layer.layer_name)
        labels = _label_rows(boundaries, crs)
        if labels:
            group = folium.FeatureGroup(name=LAYER_LABELS, control=not wall)
            group.add_child(_Rows("labels", _LABELS_JS, {"pane": LABEL_PANE}, labels))
            group.add_to(m)

    located, cells_left_out = _top(_located(cells), MAX_CELLS, ["count_open", "count_problems"])
    located = _project(located, crs)
    heat_max = 0
    if not located.empty:
        heat = _heat_layer(located)
        if heat is not None:
            heat.add_to(m)
            shown.add(LAYER_HEAT)
            heat_max = int(_numbers(located, "count_problems").max())
        open_layer = _open_layer(located, wall)
        if open_layer is not None:
            open_layer.add_to(m)
            shown.add(LAYER_OPEN)

    located_points = _located(points)
    order = _point_order(located_points) if not located_points.empty else located_points.index
    kept = located_points.loc[order[: max(int(max_points), 0)]]
    points_left_out = len(located_points) - len(kept)
    located_rebounds, rebounds_left_out = _top(_located(rebounds), MAX_REBOUNDS, ["count_rebound"])
    # On the wall nobody can tick a hidden layer, so the layers that start hidden are not sent.
    if not kept.empty and not wall:
        _points_layer(_project(kept, crs)).add_to(m)
        shown.add(LAYER_POINTS)
    if not located_rebounds.empty and not wall:
        _rebounds_layer(_project(located_rebounds, crs)).add_to(m)
        shown.add(LAYER_REBOUNDS)

    if spot:
        lng, lat = from_wgs84(spot[1], spot[0], crs)
        # Wider than the badge on it (a wall badge is 40 px across), so the ring shows around it.
        ring = _circle((coord(lat), coord(lng)), radius=32 if wall else 22, color=BLUE, weight=4, fill=False)
        ring.options["interactive"] = False  # clicks go through to the layers below
        ring.add_to(m)

    if not wall:
        # Folded to its icon (it opens on hover): open, it covers a corner of a laptop-sized map.
        folium.LayerControl(collapsed=True).add_to(m)
    focus_at = focus_area = None
    if spot:
        lng, lat = from_wgs84(spot[1], spot[0], crs)
        focus_at = [coord(lat), coord(lng)]
        if not tile_url(tiles):
            # With nothing but outlines, a place opened at a fixed zoom can show a grey screen with
            # no outline or name in it: its whole street (with its name) is shown around it instead.
            around = outlines.area_around(boundaries, spot[0], spot[1])
            focus_area = outlines.bounds({"features": [around]}, crs) if around else None
    _Controls({
        "scalewidth": 200 if wall else 120,
        "legend": _legend_html(shown, heat_max, wall),
        "legendposition": "topright" if wall else "bottomright",
        "bounds": outlines.bounds(boundaries, crs),
        "padding": 24 if wall else 12,
        "focus": focus_at,
        "focuszoom": spot[2] if spot else None,
        "focusarea": focus_area,
    }).add_to(m)
    return HotspotMap(m, LeftOut(points=int(points_left_out), cells=int(cells_left_out),
                                 rebounds=int(rebounds_left_out)))


def layer_inputs(run_query, *, as_of, due_soon_days: int, pass_score: float, filters: dict, states: list) -> dict:
    """The query results hotspot_map draws, fetched through run_query(name, **params): the page
    passes its cached cached.query, the benchmark a plain readers.run, so both send the same layers."""
    common = {"as_of": as_of, "due_soon_days": due_soon_days}
    return {
        "cells": run_query("map_cells", filters=filters, states=states, cell_deg=CELL_DEG, limit=MAX_CELLS, **common),
        "points": run_query("map_points", pass_score=pass_score, **common),
        "rebounds": run_query("map_rebounds", filters=filters, cell_deg=CELL_DEG, **common),
    }


use_local_assets()

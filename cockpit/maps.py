"""Hotspot map (folium) drawn only with Leaflet assets served locally from Streamlit's static/."""

from __future__ import annotations

import copy
import html
import math

import folium
import numpy as np
import pandas as pd
from folium import plugins
from folium.elements import MacroElement
from folium.template import Template

from cockpit.coords import from_wgs84

# Streamlit serves ./static/* at /app/static/* when server.enableStaticServing = true.
# Under server.baseUrlPath or a proxy prefix, call use_local_assets() again with that prefix.
VENDOR_URL = "/app/static/vendor"

TOP_CELLS = 200
# Markers get their own pane above the overlay pane: Leaflet.heat always appends its canvas to
# the overlay pane, after the vector canvas, so markers there would be painted over by the heat.
MARKER_PANE = "cockpit-markers"
RED, ORANGE, GREEN, GREY = "#d62728", "#ff7f0e", "#2ca02c", "#7f7f7f"
TILE_SYSTEMS = ("wgs84", "gcj02")
DISTRICT_LEVELS = {"district", "county", "区", "县", "区县", "市辖区"}


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


class _Bind(MacroElement):
    """Binds an HTML string (already escaped) as the tooltip or popup of its parent layer.

    folium.Tooltip puts its text inside a JS template literal (so `${...}` in a label would run)
    and folium.Popup needs jQuery; here the string goes in as an escaped JSON literal instead.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.{{ this.method }}(
                {{ this.content|tojavascript }}, {{ this.options|tojavascript }});
        {% endmacro %}
        """
    )

    def __init__(self, method: str, content: str, options: dict | None = None):
        super().__init__()
        self._name = "Bind"
        self.method = method
        self.content = content
        self.options = options or {}


def _bind_text(layer, text_html: str) -> None:
    """Give a layer the same escaped text as hover tooltip and click popup."""
    layer.add_child(_Bind("bindTooltip", text_html, {"sticky": True}))
    layer.add_child(_Bind("bindPopup", text_html, {"maxWidth": 320}))


def _int(value) -> int:
    """A count as int; missing counts read as 0."""
    return 0 if value is None or pd.isna(value) else int(value)


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


def _project_positions(coords, crs: str):
    """GeoJSON coordinates (any nesting) moved from WGS-84 into `crs`."""
    if not coords:
        return coords
    if isinstance(coords[0], (int, float)):  # a single position [lng, lat, ...]
        lng, lat = from_wgs84(coords[0], coords[1], crs)
        return [lng, lat, *coords[2:]]
    if isinstance(coords[0][0], (int, float)):  # a ring or line: convert it in one call
        arr = np.asarray(coords, dtype=float)
        arr[:, 0], arr[:, 1] = from_wgs84(arr[:, 0], arr[:, 1], crs)
        return arr.tolist()
    return [_project_positions(part, crs) for part in coords]


def _project_geometry(geometry: dict | None, crs: str) -> dict | None:
    """A GeoJSON geometry moved from WGS-84 into `crs`."""
    if not geometry or crs == "wgs84":
        return geometry
    if geometry.get("type") == "GeometryCollection":
        parts = [_project_geometry(g, crs) for g in geometry.get("geometries", [])]
        return {**geometry, "geometries": parts}
    return {**geometry, "coordinates": _project_positions(geometry.get("coordinates"), crs)}


def _is_district(properties: dict) -> bool:
    """District (区县) outlines are drawn thicker than street (街道) outlines."""
    return str(properties.get("level", "")).strip().lower() in DISTRICT_LEVELS


def _boundary_layers(boundaries: dict, crs: str) -> list[folium.GeoJson]:
    """One outline layer for districts and one for streets, with escaped name tooltips."""
    groups: dict[bool, list[dict]] = {True: [], False: []}
    for feature in boundaries.get("features", []):
        props = dict(feature.get("properties") or {})
        # GeoJsonTooltip writes values with innerHTML, so it only ever sees the escaped copy.
        props["tip"] = html.escape(str(props.get("name") or ""))
        projected = {**copy.deepcopy(feature), "properties": props}
        projected["geometry"] = _project_geometry(projected.get("geometry"), crs)
        groups[_is_district(props)].append(projected)

    layers = []
    for is_district, features in ((True, groups[True]), (False, groups[False])):
        if not features:
            continue
        style = {"color": "#1f4e79", "weight": 3 if is_district else 1, "fill": False}
        layers.append(
            folium.GeoJson(
                {"type": "FeatureCollection", "features": features},
                name="区县边界" if is_district else "街道边界",
                style_function=lambda _f, s=style: s,
                tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
            )
        )
    return layers


def _circle(location, **style) -> folium.CircleMarker:
    """A circle marker in the marker pane (folium's path_options drops a `pane` keyword)."""
    marker = folium.CircleMarker(location=location, **style)
    marker.options["pane"] = MARKER_PANE
    return marker


def _cell_text(row) -> str:
    """Escaped "label：在办 N，逾期 M" for a hotspot cell."""
    label = "" if pd.isna(row.label) else str(row.label)
    return f"{html.escape(label)}：在办 {_int(row.count_open)}，逾期 {_int(row.count_overdue)}"


def _cell_colour(row) -> str:
    """Red with overdue problems, orange with open ones, green when all are closed."""
    if _int(row.count_overdue) > 0:
        return RED
    return ORANGE if _int(row.count_open) > 0 else GREEN


def _heat_layer(cells: pd.DataFrame) -> plugins.HeatMap | None:
    """Heat of open problems; weights are scaled so the hottest cell is 1."""
    open_cells = cells[pd.to_numeric(cells["count_open"], errors="coerce").fillna(0) > 0]
    if open_cells.empty:
        return None
    weight = open_cells["count_open"].astype(float)
    weight = weight / weight.max()
    data = np.column_stack([open_cells["lat"], open_cells["lng"], weight]).tolist()
    return plugins.HeatMap(data, name="在办热力", radius=25, blur=18, min_opacity=0.3)


def _cell_markers(cells: pd.DataFrame, top_n: int) -> folium.FeatureGroup:
    """Circle markers for the top cells by open problems, radius growing with the count."""
    group = folium.FeatureGroup(name="热点网格")
    top = cells.assign(
        open_n=pd.to_numeric(cells["count_open"], errors="coerce").fillna(0),
        overdue_n=pd.to_numeric(cells["count_overdue"], errors="coerce").fillna(0),
    ).sort_values(["open_n", "overdue_n"], ascending=False, kind="stable").head(top_n)
    biggest = max(float(top["open_n"].max()), 1.0) if not top.empty else 1.0
    for row in top.itertuples(index=False):
        # Area, not radius, is proportional to the count: sqrt keeps big cells from swamping.
        radius = 5 + 15 * math.sqrt(row.open_n / biggest)
        colour = _cell_colour(row)
        marker = _circle(
            (row.lat, row.lng), radius=radius, color=colour, weight=1,
            fill=True, fill_color=colour, fill_opacity=0.6,
        )
        _bind_text(marker, _cell_text(row))
        group.add_child(marker)
    return group


def _point_text(row) -> str:
    """Escaped popup text for a 点位."""
    def esc(value) -> str:
        return "" if value is None or pd.isna(value) else html.escape(str(value))

    up = row.is_up_to_standard
    standard = "未评定" if up is None or pd.isna(up) else ("达标" if bool(up) else "未达标")
    return (
        f"<b>{esc(row.point_name)}</b>（{esc(row.point_type)}）<br>"
        f"点长：{esc(row.point_chief)}<br>"
        f"{standard}；在办 {_int(row.count_open)}，逾期 {_int(row.count_overdue)}"
    )


def _point_markers(points: pd.DataFrame) -> folium.FeatureGroup:
    """Green (达标) / red (未达标) / grey (未评定) circle markers for 点位."""
    group = folium.FeatureGroup(name="点位")
    for row in points.itertuples(index=False):
        up = row.is_up_to_standard
        colour = GREY if up is None or pd.isna(up) else (GREEN if bool(up) else RED)
        marker = _circle(
            (row.lat, row.lng), radius=6, color="#333333", weight=1,
            fill=True, fill_color=colour, fill_opacity=0.9,
        )
        _bind_text(marker, _point_text(row))
        group.add_child(marker)
    return group


def _base_map(center, zoom, tiles, attribution, subdomains, crs) -> folium.Map:
    """The map with its tile layer (or none, when the boundaries are the base)."""
    lng, lat = from_wgs84(center[1], center[0], crs)
    m = folium.Map(location=(lat, lng), zoom_start=zoom, tiles=None,
                   prefer_canvas=True, control_scale=True)
    # Between the overlay pane (400) and the shadow/marker panes (500/600); clickable.
    folium.map.CustomPane(MARKER_PANE, z_index=450, pointer_events=True).add_to(m)
    if tiles and str(tiles).strip().lower() != "none":
        options = {"subdomains": subdomains} if subdomains else {}
        # The attribution comes from settings (office-controlled), so HTML such as © is allowed.
        folium.TileLayer(tiles, attr=attribution or "底图", name="底图", **options).add_to(m)
    return m


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
    top_n: int = TOP_CELLS,
) -> folium.Map:
    """The hotspot map: heat of open problems, top cells, optional 点位, switchable layers.

    All input coordinates are WGS-84 (center is (lat, lng)); with tiles_crs="gcj02" every drawn
    coordinate is moved to GCJ-02 so it lines up with 高德-style tiles. Rows without coordinates
    are dropped; the page reports how many separately.
    """
    crs = str(tiles_crs).strip().lower()
    if crs not in TILE_SYSTEMS:
        # Baidu tiles use their own projection (BD-09 Mercator), which Leaflet cannot show.
        raise ValueError(f"底图坐标系 tiles_crs={tiles_crs!r} 无效，应为 wgs84 或 gcj02")
    m = _base_map(center, zoom, tiles, tiles_attribution, tiles_subdomains, crs)
    if boundaries:
        for layer in _boundary_layers(boundaries, crs):
            layer.add_to(m)

    located = _project(_located(cells), crs)
    if not located.empty:
        heat = _heat_layer(located)
        if heat is not None:
            heat.add_to(m)
        _cell_markers(located, top_n).add_to(m)

    located_points = _project(_located(points), crs)
    if not located_points.empty:
        _point_markers(located_points).add_to(m)

    folium.LayerControl(collapsed=False).add_to(m)
    return m


use_local_assets()

"""热点地图: where open problems gather, drawn from files served by the cockpit itself."""

import json

import streamlit as st
from streamlit_folium import st_folium

from cockpit import maps, ui

settings = ui.settings()
as_of = ui.as_of()
params = {"as_of": as_of, "due_soon_days": settings.due_soon_days}


@st.cache_data(show_spinner=False)
def load_boundaries(path: str, mtime: float) -> dict | None:
    """The district and street outlines drawn as the base when there are no tiles."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


st.header("热点地图")
if ui.has_problems(as_of, settings):
    places = ui.query("hotspot_places", cell_deg=0.005, limit=2000, **params)
    coverage = ui.one_row("location_coverage", **params)
    boundaries = None
    if settings.map_boundaries.is_file():
        boundaries = load_boundaries(str(settings.map_boundaries), settings.map_boundaries.stat().st_mtime)

    map_col, list_col = st.columns([3, 2])
    with map_col:
        hotspot_map = maps.hotspot_map(
            places, center=settings.map_center, zoom=settings.map_zoom, tiles=settings.map_tiles,
            tiles_attribution=settings.map_tiles_attribution, tiles_subdomains=settings.map_tiles_subdomains,
            tiles_crs=settings.map_tiles_crs, boundaries=boundaries,
        )
        # returned_objects=[]: panning and zooming never re-run the page.
        st_folium(hotspot_map, returned_objects=[], key="hotspot_map", height=620, use_container_width=True)
        st.caption(
            f"在办问题中有 {ui.num(coverage['count_open_without_location'])} 个没有可用位置，未画在图上"
            f"（全部问题中无位置 {ui.num(coverage['count_without_location'])} / {ui.num(coverage['count_found'])}）。"
        )
    with list_col:
        st.subheader("在办问题最多的地点")
        st.dataframe(
            places[["label", "street", "count_open", "count_overdue", "count_rebound"]].head(50),
            hide_index=True, height=580, placeholder="—",
            column_config={"label": "地点", "street": "街道", "count_open": st.column_config.NumberColumn("在办", format="%d"),
                           "count_overdue": st.column_config.NumberColumn("逾期", format="%d"),
                           "count_rebound": st.column_config.NumberColumn("反弹", format="%d")},
        )

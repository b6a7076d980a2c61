"""热点地图: where problems gather, drawn from files served by the cockpit itself.

Every problem layer is aggregated in DuckDB (grid cells, points, places), so the browser gets a
bounded payload whatever the number of problems; panning and zooming never re-run the page.
"""

import json
from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from cockpit.draw import charts, maps
from cockpit.web import cached, fmt, screen, tiles, wallmode, widgets

PLACES_SHOWN = 200    # places in the list beside the map
settings = cached.settings()
as_of = cached.as_of()
params = {"as_of": as_of, "due_soon_days": settings.due_soon_days}


@st.cache_data(show_spinner=False)
def load_boundaries(path: str, mtime: float) -> dict | None:
    """The district and street outlines drawn as the base when there are no tiles."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def local_tile_zoom(settings) -> tuple[int | None, str]:
    """The deepest zoom of the local tile package (None when tiles are not local), and why the
    package cannot be used ("" when it can)."""
    if settings.map_tiles.strip().lower() != "local":
        return None, ""
    try:
        return tiles.package_info(settings.map_tiles_package).max_zoom, ""
    except tiles.TilePackageError as err:
        return None, str(err)


def focus_on_selected_place(place_keys: list[str]) -> None:
    """The chosen place goes in the URL (?place=), so a focused map can be sent on too."""
    rows = st.session_state["places_table"].selection.rows
    if rows:
        st.query_params["place"] = place_keys[rows[0]]
    else:
        st.query_params.pop("place", None)


def wall(list_col, places) -> None:
    """The wall: beside the map, the places with most open problems, rolling."""
    C = screen.Column
    with list_col:
        wallmode.wall_board("在办问题最多的地点", [C("地点", 34), C("街道", 24), C("在办", 14, "right"),
                                       C("较上周", 14, "right"), C("逾期", 14, "right", "alarm")],
                      [[r.label, r.street or "—", fmt.num(r.count_open), f"{int(r.count_open_change):+d}",
                        fmt.num(r.count_overdue)] for r in places.head(50).itertuples()], visible=18,
                      empty="没有在办问题。")


widgets.heading("热点地图")
if not widgets.has_problems(as_of, settings):
    st.stop()

chosen = widgets.problem_filters(as_of, settings)
with st.sidebar:
    states = st.multiselect("热力图显示的问题状态", list(charts.STATE_LABELS), format_func=charts.STATE_LABELS.get,
                            key="heat", bind="query-params", placeholder="全部状态")
layer_params = {**params, "filters": chosen}
layers = maps.layer_inputs(cached.query, pass_score=settings.pass_score, states=states, **layer_params)
cells, points = layers["cells"], layers["points"]
places = cached.query("hotspot_places", cell_deg=maps.CELL_DEG, limit=PLACES_SHOWN, **layer_params)
coverage = cached.one_row("location_coverage", **params)
boundaries = None
if settings.map_boundaries.is_file():
    boundaries = load_boundaries(str(settings.map_boundaries), settings.map_boundaries.stat().st_mtime)

place_key = st.query_params.get("place")
focused = places[places["place_key"] == place_key] if place_key else places.iloc[0:0]
if focused.empty and place_key and place_key.startswith("point:"):
    # A point off the list (nothing open there, or beyond the first places), as the 测评点位 page
    # links to it: the point layer holds every point with coordinates.
    point = points[points["point_id"] == place_key.removeprefix("point:")]
    focused = point.assign(label=point["point_name"])[["label", "lat", "lng"]]
focus = (focused.iloc[0]["lat"], focused.iloc[0]["lng"], maps.FOCUS_ZOOM) if len(focused) else None

WALL = wallmode.big_screen()
tile_zoom, tile_problem = local_tile_zoom(settings)
map_col, list_col = st.columns([3, 2])
with map_col:
    drawn = maps.hotspot_map(
        cells, center=settings.map_center, zoom=settings.map_zoom + (1 if WALL else 0), tiles=settings.map_tiles,
        tiles_attribution=settings.map_tiles_attribution, tiles_subdomains=settings.map_tiles_subdomains,
        tiles_crs=settings.map_tiles_crs, boundaries=boundaries, points=points, rebounds=layers["rebounds"],
        focus=focus, max_zoom=tile_zoom, wall=WALL,
    )
    # returned_objects=[]: panning and zooming never re-run the page. The key changes with the
    # focus so a chosen place re-centres the map. render=False skips a first render of the whole
    # figure that st_folium does not use (it renders the map itself again): the same map, about
    # 0.08 s less per run at 4,000 points (tests/test_maps.py compares the two).
    # On the wall a fixed size in the 1920-wide layout: on a bigger screen the wall is scaled as a
    # whole, and a width measured there would be the scaled one.
    st_folium(drawn.map, returned_objects=[], render=False, key=f"hotspot_map_{place_key or 'all'}", height=900 if WALL else 640,
              width=int(screen.WALL_WIDTH * 3 / 5 - 16) if WALL else None, use_container_width=not WALL)
if WALL:
    wall(list_col, places)
    wallmode.wall_done()
with map_col:
    notes = [f"在办问题中有 {fmt.num(coverage['count_open_without_location'])} 个没有可用位置，未画在图上"
             f"（全部问题中无位置 {fmt.num(coverage['count_without_location'])} / {fmt.num(coverage['count_found'])}）。"]
    if coverage["count_at_default_spot"]:
        notes.append(f"另有 {fmt.num(coverage['count_at_default_spot'])} 个问题（在办 "
                     f"{fmt.num(coverage['count_open_at_default_spot'])} 个）的坐标是大量问题共用的默认坐标，未画在图上，"
                     "也不按距离判定反弹（见“数据质量”页）。")
    if tile_problem:
        notes.append(f"底图未能显示：{tile_problem}。")
    if len(cells) and cells["count_cells"].iloc[0] > len(cells):
        notes.append(f"网格只画出问题最多的 {fmt.num(len(cells))} 格（共 {fmt.num(cells['count_cells'].iloc[0])} 格）。")
    if drawn.left_out.points:
        notes.append(f"点位图层只画出最需关注的点位，另有 {fmt.num(drawn.left_out.points)} 个未画出。")
    if drawn.left_out.rebounds:
        notes.append(f"反弹图层只画出反弹最多的 {fmt.num(maps.MAX_REBOUNDS)} 处，另有 {fmt.num(drawn.left_out.rebounds)} 处未画出。")
    if len(points) and points["count_points_without_location"].iloc[0]:
        notes.append(f"{fmt.num(points['count_points_without_location'].iloc[0])} 个点位没有坐标，未画在图上。")
    st.caption("".join(notes))

with list_col:
    st.subheader("在办问题最多的地点")
    st.caption("较上周：与 7 天前同一地点的在办数相比。点选一行，地图移到该地点，下方列出它的问题。")
    st.dataframe(
        places,
        hide_index=True,
        height=min(36 * (len(places) + 1) + 4, 560),
        placeholder="—",
        column_order=["label", "street", "count_open", "count_open_change", "count_overdue", "count_rebound"],
        column_config={
            "label": "地点", "street": "街道",
            "count_open": st.column_config.NumberColumn("在办", format="%d"),
            "count_open_change": st.column_config.NumberColumn("较上周", format="%+d"),
            "count_overdue": st.column_config.NumberColumn("逾期", format="%d"),
            "count_rebound": st.column_config.NumberColumn("反弹", format="%d"),
        },
        key="places_table",
        on_select=partial(focus_on_selected_place, places["place_key"].tolist()),
        selection_mode="single-row",
    )

if len(focused):
    label = focused.iloc[0]["label"]
    problems = cached.query("place_problems", cell_deg=maps.CELL_DEG, place_key=place_key, **layer_params)
    st.subheader(f"{fmt.md(label)}的问题（{len(problems)} 个，在办的在前）")
    widgets.place_problem_table(problems)

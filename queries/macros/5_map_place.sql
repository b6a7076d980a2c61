-- map_place_key(point_id, map_lat, map_lng, cell_deg): where a problem sits on the map: its
-- measurement point, else the grid cell of its coordinates (cell_deg degrees a side), else null
-- (no location). The hotspot list, the rebound layer and a place's problem list all group by it.
create or replace temp macro map_place_key(point_id, map_lat, map_lng, cell_deg) as
    case
        when point_id is not null then 'point:' || point_id
        when map_lat is not null
            then 'cell:' || floor(map_lat / cell_deg)::bigint || ':' || floor(map_lng / cell_deg)::bigint
    end;

-- map_place_label(point_name, street): what the map and its list call such a place.
create or replace temp macro map_place_label(point_name, street) as
    coalesce(point_name, street || '（无点位）', '（无点位）');

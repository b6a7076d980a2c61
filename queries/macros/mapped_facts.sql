-- Macros: map_place_key, map_place_label, mapped_facts.

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

-- mapped_facts(as_of, due_soon_days, filters): the problems the map draws: filtered_facts with a map
--   position, less those whose own coordinate is a default coordinate kept off the map (the table
--   default_spots, write/derive.sql); location_coverage counts those apart.
-- Grain: one row per problem found on or before as_of that passes the filters and is drawn.
create or replace temp macro mapped_facts(as_of, due_soon_days, filters) as table
    select facts.*,
    from filtered_facts(as_of, due_soon_days, filters) as facts
    anti join (select lat, lng from default_spots where is_excluded) as spots
        on spots.lat = facts.lat and spots.lng = facts.lng
    where facts.map_lat is not null;

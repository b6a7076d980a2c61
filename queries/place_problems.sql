-- The problems at one map place (a point, or a grid cell for problems with no point), open first,
-- for the list beside the hotspot map.
-- Grain: one row per problem found by $as_of at the place among those the filters keep.
-- Params: $as_of DATE, $due_soon_days INTEGER, $filters STRUCT (see macros/filtered_facts.sql),
--   $cell_deg DOUBLE, $place_key VARCHAR (as hotspot_places gives it)
-- Problems at a default coordinate are not listed, as the map does not draw them (mapped_facts).
with
final as (
    select
        problem_id, unit_name, map_place_label(point_name, street) as place, category, description, state,
        light, found_at, due_on, days_overdue, is_rebound, is_open,
    from mapped_facts($as_of, $due_soon_days, $filters)
    where map_place_key(point_id, map_lat, map_lng, $cell_deg) = $place_key
)

select * exclude (is_open) from final
order by is_open desc, days_overdue desc nulls last, found_at, problem_id

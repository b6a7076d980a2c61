-- Repeat-failure places for the hotspot map: where a problem came back after a closed one of the
-- same category (SPEC "rebound").
-- Grain: one row per map place (macros/mapped_facts.sql) with a rebound found by $as_of among the
--   problems the filters keep, most rebounds first.
-- Params: $as_of DATE, $due_soon_days INTEGER, $filters STRUCT (see macros/filtered_facts.sql),
--   $cell_deg DOUBLE
-- Problems at a default coordinate are not drawn (macros/mapped_facts.sql).
with
rebounds as (
    select map_place_key(point_id, map_lat, map_lng, $cell_deg) as place_key, *,
    from mapped_facts($as_of, $due_soon_days, $filters)
    where is_rebound
),

final as (
    select
        place_key,
        mode(map_place_label(point_name, street)) as label,
        avg(map_lat) as lat,
        avg(map_lng) as lng,
        count(*) as count_rebound,
        max(found_at) as last_found_at,
        string_agg(distinct category, '、' order by category) as categories,
    from rebounds
    group by place_key
)

select * from final
order by count_rebound desc, last_found_at desc, place_key

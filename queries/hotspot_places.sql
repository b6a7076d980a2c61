-- Where open problems gather: measurement points, and for problems with no point, map cells; with
-- the change since the same day last week.
-- Grain: one row per place with at least one problem open at $as_of among those the filters keep,
--   most open problems first, at most $limit rows.
-- Params: $as_of DATE, $due_soon_days INTEGER, $filters STRUCT (see macros/filtered_facts.sql),
--   $cell_deg DOUBLE (cell size in degrees), $limit INTEGER
-- Notes: a problem is located by its own coordinates, else by its point's (macros/mapped_facts.sql).
--   Problems with no location at all are not here: location_coverage counts them.
--   count_open_last_week is the same place's open count at $as_of - 7 days (0 when none).
-- Problems at a default coordinate are not drawn (macros/mapped_facts.sql).
with
now_open as (
    select map_place_key(point_id, map_lat, map_lng, $cell_deg) as place_key, *,
    from mapped_facts($as_of, $due_soon_days, $filters)
    where is_open
),

week_before as (
    select map_place_key(point_id, map_lat, map_lng, $cell_deg) as place_key, count(*) as count_open_last_week,
    from mapped_facts(($as_of::date - 7)::date, $due_soon_days, $filters)
    where is_open
    group by all
),

places as (
    select
        place_key,
        mode(map_place_label(point_name, street)) as label,
        any_value(point_type) as point_type,
        mode(street) as street,
        avg(map_lat) as lat,
        avg(map_lng) as lng,
        count(*) as count_open,
        count(*) filter (where is_overdue) as count_overdue,
        count(*) filter (where is_rebound) as count_rebound,
    from now_open
    group by place_key
),

final as (
    select
        places.*,
        coalesce(week_before.count_open_last_week, 0) as count_open_last_week,
        places.count_open - coalesce(week_before.count_open_last_week, 0) as count_open_change,
    from places
    left join week_before using (place_key)
)

select * from final
order by count_open desc, count_overdue desc, place_key
limit $limit

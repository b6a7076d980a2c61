-- Where open problems gather: measurement points, and for problems with no point, map cells.
-- Grain: one row per place with at least one problem open at $as_of, most open problems first,
--   at most $limit rows.
-- Params: $as_of DATE, $due_soon_days INTEGER, $cell_deg DOUBLE (cell size in degrees), $limit INTEGER
-- Notes: a problem is located by its own coordinates, else by its point's. Problems with no
--   location at all are not here: location_coverage counts them.
with
facts as (
    select * from problem_facts($as_of, $due_soon_days)
    where is_open and map_lat is not null
),

placed as (
    select
        case when point_id is not null then 'point:' || point_id
            else 'cell:' || floor(map_lat / $cell_deg)::bigint || ':' || floor(map_lng / $cell_deg)::bigint
        end as place_key,
        coalesce(point_name, street || '（无点位）', '（无点位）') as label,
        *,
    from facts
),

final as (
    select
        place_key,
        mode(label) as label,
        any_value(point_type) as point_type,
        mode(street) as street,
        avg(map_lat) as lat,
        avg(map_lng) as lng,
        count(*) as count_open,
        count(*) filter (where is_overdue) as count_overdue,
        count(*) filter (where is_rebound) as count_rebound,
    from placed
    group by place_key
)

select * from final
order by count_open desc, count_overdue desc, place_key
limit $limit

-- One measurement point's record as of a date: what the point list says of it and its standing
-- (SPEC "point up to standard").
-- Grain: one row for the point whose id is $point_key; failing that, one row per point whose name
--   is $point_key (several when points share the name; none when nothing matches).
-- Params: $as_of DATE, $due_soon_days INTEGER, $pass_score DOUBLE, $point_key VARCHAR (a point id,
--   or a point name as a clerk types it)
-- Notes: standing is 'up', 'not_up' or 'never' (never inspected by $as_of), as point_list names it;
--   count_inspections and count_failures count every inspection of the point by $as_of (failed as
--   point_standing decides it); place_key is the point's key on the hotspot map (map_place_key).
with
standing as (
    select * from point_standing($as_of, $due_soon_days, $pass_score)
),

matched as (
    select * from standing where point_id = $point_key
    union all
    select * from standing
    where point_name = $point_key and not exists (select 1 from standing where point_id = $point_key)
),

inspected as (
    select
        point_id,
        count(*) as count_inspections,
        count(*) filter (where not coalesce(is_passed, score >= $pass_score, false)) as count_failures,
    from inspections
    where inspected_at::date <= $as_of and point_id in (select point_id from matched)
    group by point_id
),

final as (
    select
        matched.point_id, point_name, point_type, district, street, community, point_chief, co_unit,
        owner_department, territorial_unit, is_key_circle, key_circle_name, lat, lng,
        case when is_up_to_standard then 'up' when not is_up_to_standard then 'not_up' else 'never' end as standing,
        last_inspected_at, last_inspection_type, last_score,
        case when is_inspected then coalesce(last_passed, false) end as is_last_passed,
        $as_of::date - last_inspected_at::date as days_since_inspected,
        count_open, count_overdue,
        coalesce(inspected.count_inspections, 0) as count_inspections,
        coalesce(inspected.count_failures, 0) as count_failures,
        map_place_key(matched.point_id, lat, lng, 1.0) as place_key,
    from matched
    left join inspected using (point_id)
)

select * from final
order by point_id

-- The measurement-point layer of the hotspot map: each located point's standing, its open and
-- overdue problems and its latest inspection (SPEC "point up to standard").
-- Grain: one row per point with coordinates, those furthest from standard first (not up to
--   standard, then never inspected, then up to standard; most open problems first within each).
-- Params: $as_of DATE, $due_soon_days INTEGER, $pass_score DOUBLE
-- Notes: points without coordinates are not here; count_points_without_location on every row
--   says how many.
with
standing as (
    select * from point_standing($as_of, $due_soon_days, $pass_score)
),

final as (
    select
        point_id, point_name, point_type, point_chief, lat, lng, is_up_to_standard, count_open, count_overdue,
        last_inspected_at, last_score, last_inspection_type,
        (select count(*) from standing where lat is null or lng is null) as count_points_without_location,
    from standing
    where lat is not null and lng is not null
)

select * from final
order by case is_up_to_standard when false then 0 when true then 2 else 1 end, count_open desc, point_id

-- Readiness of the measurement points: the share up to standard by point type, and for the key
-- point circles (重点点位圈) together, furthest behind first.
-- Grain: one row per point type, plus one row '重点点位圈' (is_key_circle_row true) for the circles.
-- Params: $as_of DATE, $due_soon_days INTEGER, $pass_score DOUBLE
-- Notes: the rate is over the points inspected; points never inspected are counted apart (no rate,
--   last). The circles row is ordered among the types by its rate.
with
standing as (
    select * from point_standing($as_of, $due_soon_days, $pass_score)
),

by_type as (
    select coalesce(point_type, '未填写') as group_name, false as is_key_circle_row, *
    from standing
    union all
    select '重点点位圈', true, * from standing where is_key_circle
),

final as (
    select
        group_name,
        is_key_circle_row,
        count(*) as count_points,
        count(*) filter (where is_inspected) as count_inspected,
        count(*) filter (where not is_inspected) as count_never_inspected,
        count(*) filter (where is_up_to_standard) as count_up_to_standard,
        count(*) filter (where is_up_to_standard) / nullif(count(*) filter (where is_inspected), 0) as up_to_standard_rate,
    from by_type
    group by group_name, is_key_circle_row
)

select * from final
order by up_to_standard_rate nulls last, is_key_circle_row desc, group_name

-- Macros: point_standing.

-- point_standing(as_of, due_soon_days, pass_score): each measurement point's standing as of a date
-- (SPEC "point up to standard").
-- Grain: one row per point.
-- Notes: an inspection passes when the export says 达标, or, with no such column, when its score is
--   at least pass_score. A point never inspected by as_of has is_up_to_standard null: it is
--   counted apart, neither up to standard nor failing.
create or replace temp macro point_standing(as_of, due_soon_days, pass_score) as table
with
latest_inspection as (
    select
        coalesce(point_id, point_name) as point_key,
        arg_max(inspected_at, inspected_at) as last_inspected_at,
        arg_max(coalesce(is_passed, score >= pass_score), inspected_at) as last_passed,
        arg_max(score, inspected_at) as last_score,
        arg_max(inspection_type, inspected_at) as last_inspection_type,
    from inspections
    where inspected_at::date <= as_of
    group by all
),

open_problems as (
    select point_id, count(*) filter (where is_open) as count_open, count(*) filter (where is_overdue) as count_overdue,
    from problem_core_facts(as_of, due_soon_days)
    where point_id is not null
    group by point_id
),

-- Each point's latest inspection, found by the point's id or by its name. Two equality joins rather
-- than one join on "id or name": DuckDB runs an "or" join as a nested loop over every pair (points x
-- inspected points, about 30 ms at 4,000 points, in each query on points).
inspection_of_point as (
    select points.point_id, latest_inspection.* exclude (point_key),
    from points join latest_inspection on latest_inspection.point_key = points.point_id
    union
    select points.point_id, latest_inspection.* exclude (point_key),
    from points join latest_inspection on latest_inspection.point_key = points.point_name
),

final as (
    select
        points.*,
        latest_inspection.last_inspected_at,
        latest_inspection.last_score,
        latest_inspection.last_inspection_type,
        latest_inspection.last_passed,
        coalesce(open_problems.count_open, 0) as count_open,
        coalesce(open_problems.count_overdue, 0) as count_overdue,
        latest_inspection.last_inspected_at is not null as is_inspected,
        case
            when latest_inspection.last_inspected_at is null then null
            else coalesce(latest_inspection.last_passed, false) and coalesce(open_problems.count_overdue, 0) = 0
        end as is_up_to_standard,
    from points
    left join inspection_of_point as latest_inspection using (point_id)
    left join open_problems using (point_id)
)

select * from final;

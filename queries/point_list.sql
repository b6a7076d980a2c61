-- The point lists a clerk works from: the points not up to standard, the points never inspected or
-- not inspected for a long time, or every point; with each point's standing (SPEC "point up to
-- standard").
-- Grain: one row per point the filters keep that is in the chosen list.
-- Params: $as_of DATE, $due_soon_days INTEGER, $pass_score DOUBLE, $point_filters STRUCT (see
--   macros/kept_points.sql), $list_kind VARCHAR (not_up_to_standard, uninspected, all; any other
--   value is an error), $stale_days INTEGER (thresholds.inspection_stale_days)
-- Notes:
--   * uninspected: never inspected by $as_of, or last inspected $stale_days or more days before it
--     (days_since_inspected >= $stale_days, as the problem lists count stale_days). Never
--     inspected first, then the longest since, key point circles first among equals.
--   * not_up_to_standard: inspected and not up to standard; most overdue problems first, then
--     failed at the last inspection, then the lowest last score.
--   * all: by point id.
--   * standing: 'up' up to standard, 'not_up' not, 'never' never inspected; is_last_passed is null
--     for a point never inspected.
with
standing as (
    select *
    from point_standing($as_of, $due_soon_days, $pass_score)
    where point_id in (select point_id from kept_points($point_filters))
),

figures as (
    select
        point_id, point_name, point_type, district, street, community, point_chief, co_unit,
        is_key_circle, key_circle_name,
        case when is_up_to_standard then 'up' when not is_up_to_standard then 'not_up' else 'never' end as standing,
        is_up_to_standard,
        last_inspected_at,
        last_inspection_type,
        last_score,
        case when is_inspected then coalesce(last_passed, false) end as is_last_passed,
        $as_of::date - last_inspected_at::date as days_since_inspected,
        count_open,
        count_overdue,
    from standing
),

chosen as (
    select *
    from figures
    where case $list_kind
        when 'not_up_to_standard' then coalesce(not is_up_to_standard, false)
        when 'uninspected' then days_since_inspected is null or days_since_inspected >= $stale_days
        when 'all' then true
        else error('point_list: $list_kind must be not_up_to_standard, uninspected or all')
    end
),

final as (
    select * exclude (is_up_to_standard), count(*) over () as count_in_list,
    from chosen
)

select * from final
order by
    case $list_kind when 'uninspected' then coalesce(days_since_inspected, 1000000) end desc,
    case $list_kind when 'uninspected' then is_key_circle end desc,
    case $list_kind when 'not_up_to_standard' then count_overdue end desc,
    case $list_kind when 'not_up_to_standard' then is_last_passed end,
    case $list_kind when 'not_up_to_standard' then last_score end nulls first,
    point_id

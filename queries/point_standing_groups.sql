-- Share of the measurement points up to standard (SPEC "point up to standard") overall, by point
-- type, by district, by street and for each key point circle, with the change since before the
-- latest inspection round.
-- Grain: one row per (dimension, group_name): dimension 'overall' ('全部点位', and '重点点位圈'
--   for the points of every circle together when there are any), 'type', 'district', 'street',
--   'circle' (one row per key point circle). Only the points the filters keep.
-- Params: $as_of DATE, $due_soon_days INTEGER, $pass_score DOUBLE, $point_filters STRUCT (see
--   macros/kept_points.sql)
-- Notes:
--   * Every standing comes from point_standing, at $as_of and at baseline_on; the rate is over the
--     points inspected by then, points never inspected are counted apart (count_never_inspected).
--   * baseline_on is the day before the latest inspection round (of any type, city-wide) that
--     started by $as_of began (standing_baseline_on); the *_before counts are the standing then
--     (count_not_up_to_standard_before null when no round has started); rate_change = rate now - rate then, null
--     when either has no inspected point or no round has started. latest_round_label names that
--     round.
--   * A street is grouped with its district (two streets of one name in two districts stay apart).
--     '未填写' stands for a missing type, district or street.
with
kept as (
    select point_id from kept_points($point_filters)
),

baseline as (
    select standing_baseline_on($as_of) as baseline_on
),

latest_round as (
    select arg_max(round_label, (first_on, inspection_type, round_name)) as latest_round_label,
    from rounds_seen($as_of)
),

standing as (
    select false as is_before, * from point_standing($as_of, $due_soon_days, $pass_score)
    union all by name
    select true as is_before, *
    from point_standing((select baseline_on from baseline), $due_soon_days, $pass_score)
    where (select baseline_on from baseline) is not null
),

grouped as (
    select 'overall' as dimension, 1 as dimension_order, 0 as row_order, '全部点位' as group_name,
        null as group_district, *
    from standing
    union all by name
    select 'overall' as dimension, 1 as dimension_order, 1 as row_order, '重点点位圈' as group_name, *
    from standing where is_key_circle
    union all by name
    select 'type' as dimension, 2 as dimension_order, 2 as row_order,
        coalesce(point_type, '未填写') as group_name, *
    from standing
    union all by name
    select 'district' as dimension, 3 as dimension_order, 2 as row_order,
        coalesce(district, '未填写') as group_name, *
    from standing
    union all by name
    select 'street' as dimension, 4 as dimension_order, 2 as row_order, coalesce(street, '未填写') as group_name,
        coalesce(district, '未填写') as group_district, *
    from standing
    union all by name
    select 'circle' as dimension, 5 as dimension_order, 2 as row_order,
        coalesce(key_circle_name, '未填写') as group_name, *
    from standing where is_key_circle
),

figures as (
    select
        dimension,
        any_value(dimension_order) as dimension_order,
        any_value(row_order) as row_order,
        group_name,
        group_district as district,
        count(*) filter (where not is_before) as count_points,
        count(*) filter (where not is_before and is_inspected) as count_inspected,
        count(*) filter (where not is_before and not is_inspected) as count_never_inspected,
        count(*) filter (where not is_before and is_up_to_standard) as count_up_to_standard,
        count(*) filter (where not is_before and not is_up_to_standard) as count_not_up_to_standard,
        count(*) filter (where is_before and is_inspected) as count_inspected_before,
        count(*) filter (where is_before and is_up_to_standard) as count_up_to_standard_before,
        count(*) filter (where is_before and not is_up_to_standard) as count_not_up_to_standard_before,
    from grouped
    where point_id in (select point_id from kept)
    group by dimension, group_name, group_district
),

final as (
    select
        dimension,
        group_name,
        district,
        count_points,
        count_inspected,
        count_never_inspected,
        count_up_to_standard,
        count_not_up_to_standard,
        count_up_to_standard / nullif(count_inspected, 0) as up_to_standard_rate,
        count_inspected_before,
        count_up_to_standard_before,
        if(baseline.baseline_on is null, null, count_not_up_to_standard_before) as count_not_up_to_standard_before,
        count_up_to_standard_before / nullif(count_inspected_before, 0) as up_to_standard_rate_before,
        count_up_to_standard / nullif(count_inspected, 0)
            - count_up_to_standard_before / nullif(count_inspected_before, 0) as rate_change,
        baseline.baseline_on,
        latest_round.latest_round_label,
        dimension_order,
        row_order,
    from figures, baseline, latest_round
)

select * exclude (dimension_order, row_order) from final
order by dimension_order, row_order, up_to_standard_rate nulls last, group_name, district

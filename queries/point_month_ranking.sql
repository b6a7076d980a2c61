-- The monthly ranking of the points not up to standard (点未达标月评排名制): the points that failed
-- most this month, with their place, point chief and co-building unit, and their rank last month.
-- Grain: one row per point the filters keep that is in this month's ranking (macros/point_month.sql),
--   by rank, then point id.
-- Params: $as_of DATE, $due_soon_days INTEGER, $pass_score DOUBLE, $point_filters STRUCT (see
--   macros/kept_points.sql)
-- Notes:
--   * This month is the calendar month containing $as_of, up to $as_of (month_from_on..month_to_on);
--     last month is the calendar month before, as of its last day (last_month_from_on..
--     last_month_to_on). Who is in a ranking and the order are point_month's.
--   * rank_change = rank last month - rank this month, as the unit ranking counts it: positive means
--     the point moved up the list (worse than its peers), negative down. Null when the point was not
--     in last month's ranking (is_new true).
with
months as (
    select * from point_month($as_of, $due_soon_days, $pass_score, $point_filters)
),

this_month as (
    select * from months where months_back = 0
),

last_month as (
    select * from months where months_back = 1
),

bounds as (
    select
        date_trunc('month', $as_of::date)::date as month_from_on,
        $as_of::date as month_to_on,
        date_trunc('month', date_trunc('month', $as_of::date)::date - 1)::date as last_month_from_on,
        date_trunc('month', $as_of::date)::date - 1 as last_month_to_on,
),

final as (
    select
        this_month.rank,
        this_month.point_id, this_month.point_name, this_month.point_type, this_month.district,
        this_month.street, this_month.community, this_month.point_chief, this_month.co_unit,
        this_month.is_key_circle, this_month.key_circle_name,
        this_month.count_failures, this_month.count_inspections, this_month.count_overdue,
        this_month.count_open, this_month.count_rebound, this_month.is_up_to_standard,
        this_month.last_inspected_at, this_month.last_score,
        last_month.rank as rank_last_month,
        last_month.rank - this_month.rank as rank_change,
        last_month.rank is null as is_new,
        bounds.*,
    from this_month
    left join last_month using (point_id)
    cross join bounds
)

select * from final
order by rank, point_id

-- Problems found and closed per week (weeks start on Monday), the running totals and their gap (the
-- backlog at the week's end, count_backlog), and the rectification time of the week's closures.
-- Grain: one row per week from the first week with a problem to the week containing $as_of.
-- Params: $as_of DATE, $due_soon_days INTEGER, $filters STRUCT (see macros/filtered_facts.sql)
with
facts as (
    select * from filtered_facts($as_of, $due_soon_days, $filters)
),

weeks as (
    select unnest(generate_series(
        (select min(found_week) from facts), date_trunc('week', $as_of::date)::date, interval 7 day
    ))::date as week_on
),

found_per_week as (
    select found_week as week_on, count(*) as count_found, from facts group by found_week
),

closed_per_week as (
    select
        closed_week as week_on,
        count(*) as count_closed,
        median(rectification_days) as rectification_days_median,
        quantile_cont(rectification_days, 0.9) as rectification_days_p90,
    from facts
    where is_closed
    group by closed_week
),

final as (
    select
        weeks.week_on,
        coalesce(found_per_week.count_found, 0) as count_found,
        coalesce(closed_per_week.count_closed, 0) as count_closed,
        sum(coalesce(found_per_week.count_found, 0)) over (order by weeks.week_on)::bigint as cumulative_found,
        sum(coalesce(closed_per_week.count_closed, 0)) over (order by weeks.week_on)::bigint as cumulative_closed,
        cumulative_found - cumulative_closed as count_backlog,
        closed_per_week.rectification_days_median,
        closed_per_week.rectification_days_p90,
    from weeks
    left join found_per_week using (week_on)
    left join closed_per_week using (week_on)
)

select * from final
order by week_on

-- The backlog day by day: problems open at the end of each day, for the burn-down chart.
-- Grain: one row per day from $as_of - $days_back to $as_of.
-- Params: $as_of DATE, $due_soon_days INTEGER, $days_back INTEGER
-- Notes: open at day d = found by d and not closed by d, with the close times known at $as_of
--   (the same definitions as problem_facts at each day).
with
facts as (
    select found_at::date as found_on, case when is_closed then closed_at::date end as closed_on,
    from problem_core_facts($as_of, $due_soon_days)
),

days as (
    select unnest(generate_series($as_of::date - $days_back::integer, $as_of::date, interval 1 day))::date as day_on
),

found_per_day as (
    select found_on as day_on, count(*) as count_found from facts group by all
),

closed_per_day as (
    select closed_on as day_on, count(*) as count_closed from facts where closed_on is not null group by all
),

before_window as (
    select
        count(*) filter (where found_on < $as_of::date - $days_back::integer)
        - count(*) filter (where closed_on < $as_of::date - $days_back::integer) as count_open_before,
    from facts
),

final as (
    select
        days.day_on,
        (before_window.count_open_before
            + sum(coalesce(found_per_day.count_found, 0) - coalesce(closed_per_day.count_closed, 0))
                over (order by days.day_on))::bigint as count_open,
    from days
    cross join before_window
    left join found_per_day using (day_on)
    left join closed_per_day using (day_on)
)

select * from final
order by day_on

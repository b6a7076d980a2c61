-- What falls due this week: open problems whose deadline is in the week containing $as_of (Monday
-- to Sunday), overdue ones of the week included, nearest deadline first.
-- Grain: one row per such problem.
-- Params: $as_of DATE, $due_soon_days INTEGER
-- Notes: a deadline earlier in the week that has passed is listed too (it fell due this week);
--   closed problems are not.
with
week as (
    select date_trunc('week', $as_of::date)::date as week_start
),

final as (
    select
        problem_id, unit_name, map_place_label(point_name, street) as place, category, description, state,
        light, due_on, days_overdue,
    from problem_facts($as_of, $due_soon_days), week
    where is_open and due_on between week.week_start and week.week_start + 6
)

select * from final
order by due_on, problem_id

-- The problems behind a unit's move since last week: those that became overdue, were closed, were
-- found, or were found as rebounds between $as_of - 7 days and $as_of.
-- Grain: one row per (problem, change); a problem found and closed in the week shows twice.
-- Params: $as_of DATE, $due_soon_days INTEGER, $unit_name VARCHAR
-- Notes: "newly overdue" is overdue at $as_of and not a week earlier (found since, or its deadline
--   passed); change_kind sorts overdue first, then rebound, closed, found.
with
now as (
    select * from problem_facts($as_of, $due_soon_days) where unit_name = $unit_name
),

before as (
    select problem_id, is_overdue, is_closed
    from problem_facts(($as_of::date - 7)::date, $due_soon_days)
    where unit_name = $unit_name
),

changes as (
    select now.*, 'newly_overdue' as change_kind, 1 as change_order
    from now left join before using (problem_id)
    where now.is_overdue and not coalesce(before.is_overdue, false)
    union all by name
    select now.*, 'new_rebound' as change_kind, 2 as change_order
    from now
    where now.is_rebound and now.found_at::date > $as_of::date - 7
    union all by name
    select now.*, 'newly_closed' as change_kind, 3 as change_order
    from now left join before using (problem_id)
    where now.is_closed and not coalesce(before.is_closed, false)
    union all by name
    select now.*, 'newly_found' as change_kind, 4 as change_order
    from now
    where now.found_at::date > $as_of::date - 7
),

final as (
    select
        change_kind, problem_id, problem_place(point_name, community, street) as place, category, description,
        state, found_at, due_on, days_overdue, closed_at, change_order,
    from changes
)

select * exclude (change_order) from final
order by change_order, problem_id

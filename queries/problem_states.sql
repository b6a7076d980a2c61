-- Where problems stand: counts by the five states, and the traffic light of the open ones.
-- Grain: one row per state (all five, zero included), then one row per light (red, yellow, green).
-- Params: $as_of DATE, $due_soon_days INTEGER, $filters STRUCT (see macros/filtered_facts.sql)
with
facts as (
    select * from filtered_facts($as_of, $due_soon_days, $filters)
),

groups as (
    select * from (values
        ('state', 'pending', 1), ('state', 'in_progress', 2), ('state', 'awaiting_check', 3),
        ('state', 'returned', 4), ('state', 'closed', 5),
        ('light', 'red', 6), ('light', 'yellow', 7), ('light', 'green', 8)
    ) as g(grouping, value, sort_order)
),

counted as (
    select 'state' as grouping, state as value, count(*) as count_problems from facts group by state
    union all
    select 'light', light, count(*) from facts where is_open group by light
),

final as (
    select groups.grouping, groups.value, coalesce(counted.count_problems, 0) as count_problems, groups.sort_order,
    from groups
    left join counted using (grouping, value)
)

select * from final
order by sort_order

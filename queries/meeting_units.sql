-- One meeting's items by unit as they stand at the date: assigned, done, overdue, unfinished;
-- a last row (is_total) for the whole meeting.
-- Grain: one row per unit given items at the meeting, then one total row.
-- Params: $as_of DATE, $meeting_on DATE, $meeting_name VARCHAR ('' for a meeting with no name)
with
items as (
    select * from meeting_item_states($as_of::date)
    where meeting_on = $meeting_on::date and meeting_name = $meeting_name
),

counted as (
    select
        grouping(unit_name) = 1 as is_total,
        coalesce(unit_name, '合计') as unit_name,
        count(*) as count_items,
        count(*) filter (where is_done) as count_done,
        count(*) filter (where is_overdue) as count_overdue,
        count(*) filter (where not is_done) as count_unfinished,
        count(*) filter (where is_done) / nullif(count(*), 0) as done_rate,
    from items
    group by grouping sets ((unit_name), ())
),

final as (
    select * from counted where count_items > 0
)

select * from final
order by is_total, count_unfinished desc, count_overdue desc, unit_name

-- The scheduling meetings held on or before the date, with how their items stand then.
-- Grain: one row per meeting (date and name), newest first.
-- Params: $as_of DATE
-- Notes: done and overdue as SPEC "The meeting loop" defines them (macro meeting_item_states).
with
items as (
    select * from meeting_item_states($as_of::date)
),

final as (
    select
        meeting_on, meeting_name,
        count(*) as count_items,
        count(*) filter (where is_done) as count_done,
        count(*) filter (where is_overdue) as count_overdue,
        count(*) filter (where not is_done) as count_unfinished,
        count(distinct unit_name) as count_units,
        count(*) filter (where is_done) / nullif(count(*), 0) as done_rate,
    from items
    group by meeting_on, meeting_name
)

select * from final
order by meeting_on desc, meeting_name

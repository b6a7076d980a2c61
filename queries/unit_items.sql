-- One unit's unfinished items of the scheduling meetings held by the date, for its scorecard.
-- Grain: one row per unfinished item of the unit, overdue longest first.
-- Params: $as_of DATE, $unit_name VARCHAR
-- Notes: count_unit_overdue, on every row, is how many of the unit's unfinished items are overdue
--   (the scorecard's 其中逾期).
with
final as (
    select
        item_id, meeting_on, meeting_name, unit_name, problem_id, matter, item_text, place, due_on,
        is_overdue, days_overdue,
        count(*) filter (where is_overdue) over () as count_unit_overdue,
    from meeting_item_states($as_of::date)
    where unit_name = $unit_name and not is_done
)

select * from final
order by days_overdue desc nulls last, due_on nulls last, meeting_on, item_id

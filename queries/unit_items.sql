-- One unit's unfinished items of the scheduling meetings held by the date, for its scorecard.
-- Grain: one row per unfinished item of the unit, overdue longest first.
-- Params: $as_of DATE, $unit_name VARCHAR
with
final as (
    select
        item_id, meeting_on, meeting_name, unit_name, problem_id, matter, item_text, place, due_on,
        is_overdue, days_overdue,
    from meeting_item_states($as_of::date)
    where unit_name = $unit_name and not is_done
)

select * from final
order by days_overdue desc nulls last, due_on nulls last, meeting_on, item_id

-- The items of one meeting as they stand at the date: for the follow-up at the next meeting, the
-- 交办单 per unit and the minutes.
-- Grain: one row per item of the meeting ($meeting_on, $meeting_name), by unit then item.
-- Params: $as_of DATE, $meeting_on DATE, $meeting_name VARCHAR ('' for a meeting with no name)
with
final as (
    select
        item_id, meeting_on, meeting_name, unit_name, problem_id, matter, description, item_text, category, place,
        due_on, is_done, done_on, is_overdue, days_overdue, is_problem_unknown,
    from meeting_item_states($as_of::date)
    where meeting_on = $meeting_on::date and meeting_name = $meeting_name
)

select * from final
order by unit_name, is_done, due_on nulls last, item_id

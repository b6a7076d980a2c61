-- One problem's 回头看 re-checks, and the meeting items that assigned it, for its record.
-- Grain: one row per re-check or meeting item of the problem, oldest first.
-- Params: $problem_id VARCHAR
with
checks as (
    select rechecked_at::date as event_on, 'recheck' as event_kind, result, round_name as title, checker as who,
        note, null::date as due_on,
    from rechecks
    where problem_id = $problem_id
),

items as (
    select meeting_on as event_on, 'assignment' as event_kind, null as result, meeting_name as title,
        unit_name as who, null as note, due_on,
    from assignments
    where problem_id = $problem_id
),

final as (
    select * from checks
    union all
    select * from items
)

select * from final
order by event_on, event_kind, title

-- One problem's full record as of a date: everything the export said and every derived fact.
-- Grain: one row (none when the problem does not exist or was found after $as_of).
-- Params: $as_of DATE, $due_soon_days INTEGER, $problem_id VARCHAR
with
final as (
    select
        * exclude (status_seen, was_returned, was_reported_done, found_week, closed_week),
        problem_place(point_name, community, street) as place,
    from problem_facts($as_of, $due_soon_days)
    where problem_id = $problem_id
)

select * from final
order by problem_id

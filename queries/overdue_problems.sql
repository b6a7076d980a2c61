-- The overdue problems, longest overdue first: the list a clerk chases.
-- Grain: one row per problem open and past its deadline at $as_of, at most $limit rows (the
--   page shows the longest overdue; progress_summary counts them all).
-- Params: $as_of DATE, $due_soon_days INTEGER, $limit INTEGER
with
facts as (
    select * from problem_facts($as_of, $due_soon_days)
),

final as (
    select
        problem_id, unit_name, district, street, coalesce(point_name, community, street) as place,
        category, description, due_on, days_overdue, state, source, found_at,
    from facts
    where is_overdue
)

select * from final
order by days_overdue desc, problem_id
limit $limit

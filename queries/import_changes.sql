-- What a problems export would change in the published ledger, shown before it is imported.
-- Grain: one row per change_kind ('new', 'status_changed', 'unchanged') and state before and after;
--   count_problems problems each, example_ids the first five of them by id.
-- Params: $problem_ids VARCHAR[], $statuses VARCHAR[] (parallel lists: the export's problems and
--   the states it gives them)
-- Notes: 'unchanged' means the same state; the importer also records a change of unit, deadline
--   or times in the history, which this summary does not count. status_before is null for 'new'.
with
incoming as (
    select
        unnest($problem_ids::varchar[]) as problem_id,
        unnest($statuses::varchar[]) as status,
),

compared as (
    select
        incoming.problem_id,
        problems.status as status_before,
        incoming.status as status_after,
        case
            when problems.problem_id is null then 'new'
            when problems.status is distinct from incoming.status then 'status_changed'
            else 'unchanged'
        end as change_kind,
    from incoming
    left join problems using (problem_id)
),

final as (
    select
        change_kind,
        status_before,
        status_after,
        count(*) as count_problems,
        list(problem_id order by problem_id)[1:5] as example_ids,
    from compared
    group by change_kind, status_before, status_after
)

select * from final
order by
    case change_kind when 'new' then 1 when 'status_changed' then 2 else 3 end,
    count_problems desc, status_before nulls first, status_after

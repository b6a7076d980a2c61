-- One problem's history across imports: every state an export showed it in, oldest first.
-- Grain: one row per problem_history row of the problem, with the file it came from.
-- Params: $problem_id VARCHAR
with
history as (
    select * from problem_history where problem_id = $problem_id
),

final as (
    select
        history.export_on, history.status, history.unit_name, history.due_on, history.rectified_at,
        history.checked_at, history.return_count, imports.file_name, history.import_id,
    from history
    left join imports using (import_id)
)

select * from final
order by export_on, import_id

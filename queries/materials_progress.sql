-- Progress of the 网申 evidence items (SPEC "Countdown": readiness), by indicator or by unit,
-- furthest behind first.
-- Grain: one row per indicator, or per responsible unit, of the materials table ('未填写' for none).
-- Params: $as_of DATE, $by VARCHAR ('indicator' or 'unit'; any other value is an error)
-- Notes:
--   * The materials table holds the latest export only, with no history: every status is the one
--     of the latest import, not the one at $as_of. Only the due dates are compared with $as_of, so
--     an earlier $as_of moves count_overdue and nothing else. submitted_at is not used: it is often
--     empty, and the dates of approvals and returns are not exported at all.
--   * Handed in (count_submitted) = submitted, approved or returned: a returned item was handed in
--     and sent back. Overdue = due before $as_of and not submitted or approved, so a returned item
--     past its due date is overdue (it must be handed in again); due on $as_of is not overdue, no
--     due date is never overdue. Same rule as materials_overdue.
--   * approved_rate = approved / all items; the counts come with it.
with
items as (
    select
        *,
        case $by
            when 'indicator' then indicator
            when 'unit' then unit_name
            else error('materials_progress: $by must be indicator or unit')
        end as group_value,
    from materials
),

final as (
    select
        coalesce(group_value, '未填写') as group_name,
        count(*) as count_required,
        count(*) filter (where status in ('submitted', 'approved', 'returned')) as count_submitted,
        count(*) filter (where status = 'approved') as count_approved,
        count(*) filter (where status = 'returned') as count_returned,
        count(*) filter (where status = 'not_submitted') as count_not_submitted,
        count(*) filter (where status = 'approved') / count(*) as approved_rate,
        count(*) filter (where due_on < $as_of::date and status not in ('submitted', 'approved')) as count_overdue,
    from items
    group by all
)

select * from final
order by approved_rate, group_name

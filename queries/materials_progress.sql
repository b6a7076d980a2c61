-- Progress of the 网申 evidence items (SPEC "Countdown": readiness), by indicator or by unit,
-- furthest behind first.
-- Grain: one row per indicator, or per responsible unit, of the materials table ('未填写' for none).
-- Params: $as_of DATE, $by VARCHAR ('indicator' or 'unit'; any other value is an error)
-- Notes:
--   * Handed in and overdue as macros/material_facts.sql defines them: statuses are the latest
--     import's at any $as_of (the table keeps no history), so an earlier $as_of moves count_overdue
--     and nothing else. submitted_at is not used: it is often empty, and the dates of approvals and
--     returns are not exported at all.
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
    from material_facts($as_of)
),

final as (
    select
        coalesce(group_value, '未填写') as group_name,
        count(*) as count_required,
        count(*) filter (where is_handed_in) as count_submitted,
        count(*) filter (where status = 'approved') as count_approved,
        count(*) filter (where status = 'returned') as count_returned,
        count(*) filter (where status = 'not_submitted') as count_not_submitted,
        count(*) filter (where status = 'approved') / count(*) as approved_rate,
        count(*) filter (where is_overdue) as count_overdue,
    from items
    group by all
)

select * from final
order by approved_rate, group_name

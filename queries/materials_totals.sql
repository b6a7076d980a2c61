-- The 网申 evidence items of the whole city (SPEC "Countdown": readiness): the four figures above
-- 测评倒计时's materials tables.
-- Grain: one row.
-- Params: $as_of DATE
-- Notes: handed in (count_submitted) and overdue as macros/material_facts.sql defines them.
with
final as (
    select
        count(*) as count_required,
        count(*) filter (where is_handed_in) as count_submitted,
        count(*) filter (where status = 'approved') as count_approved,
        count(*) filter (where is_overdue) as count_overdue,
    from material_facts($as_of)
)

select * from final

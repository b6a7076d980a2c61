-- The 网申 evidence items past their due date and not handed in, longest overdue first: the
-- chasing list of the countdown page.
-- Grain: one row per overdue material item.
-- Params: $as_of DATE
-- Notes: overdue and days_overdue as macros/material_facts.sql defines them; unit_name is left empty
--   when the export has none.
with
final as (
    select
        item_id,
        indicator,
        material_name,
        material_type,
        unit_name,
        due_on,
        days_overdue,
        status,
    from material_facts($as_of)
    where is_overdue
)

select * from final
order by days_overdue desc, item_id

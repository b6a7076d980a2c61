-- The 网申 evidence items past their due date and not handed in, longest overdue first: the
-- chasing list of the countdown page.
-- Grain: one row per overdue material item.
-- Params: $as_of DATE
-- Notes:
--   * Overdue = due before $as_of and status not submitted or approved (as materials_progress):
--     not_submitted, and returned items, which must be handed in again. Due on $as_of is not
--     overdue; an item with no due date never is. days_overdue = $as_of - due date (1 = due yesterday).
--   * The materials table holds the latest export only: the status is the latest import's, not the
--     one at $as_of; only the due date is compared with $as_of. unit_name is left empty when the
--     export has none.
with
items as (
    select * from materials
),

final as (
    select
        item_id,
        indicator,
        material_name,
        material_type,
        unit_name,
        due_on,
        $as_of::date - due_on as days_overdue,
        status,
    from items
    where due_on < $as_of::date and status not in ('submitted', 'approved')
)

select * from final
order by days_overdue desc, item_id

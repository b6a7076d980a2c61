-- Macros: material_facts.

-- material_facts(as_of): the 网申 evidence items (SPEC "Countdown": readiness) with the rules every
--   materials query counts by.
-- Grain: one row per item of the materials table.
-- Notes:
--   * is_handed_in: submitted, approved or returned (a returned item was handed in and sent back).
--   * is_overdue: due before as_of and neither submitted nor approved, so a returned item past its
--     due date is overdue (it must be handed in again); due on as_of is not overdue, and an item
--     with no due date never is. days_overdue = as_of - due date (1 = due yesterday).
--   * The materials table holds the latest export only, with no history: every status is the
--     latest import's at any as_of; only the due dates are compared with as_of.
create or replace temp macro material_facts(as_of) as table
select
    *,
    status in ('submitted', 'approved', 'returned') as is_handed_in,
    coalesce(due_on < as_of::date and status not in ('submitted', 'approved'), false) as is_overdue,
    as_of::date - due_on as days_overdue,
from materials;

-- Macros: meeting_item_states.

-- meeting_item_states(as_of): every item the scheduling meetings held on or before as_of assigned, with
--   its state as of that date (SPEC "The meeting loop").
-- Grain: one row per assignments item with meeting_on <= as_of.
-- Notes: a problem item is done when its problem is closed at as_of (a failed 回头看 re-check makes
--   it open again, problem_core_facts); a matter when staff marked it done on or before as_of.
--   Overdue: not done and deadline < as_of (whole days). An item whose problem the ledger does not
--   hold (yet) is not done. Its unit is the item's own, else the problem's.
create or replace temp macro meeting_item_states(as_of) as table
with
facts as (
    select problem_id, is_closed, closed_at, unit_name, description, category,
        problem_place(point_name, community, street) as place,
    from problem_core_facts(as_of, 0)
    -- only the problems a meeting assigned: the ranking asks this for twelve dates
    where problem_id in (select problem_id from assignments where problem_id is not null)
),

items as (
    select
        a.item_id, a.meeting_on, coalesce(a.meeting_name, '') as meeting_name, a.problem_id, a.matter,
        coalesce(a.unit_name, facts.unit_name, '未指定单位') as unit_name, a.due_on,
        facts.description, facts.category, facts.place,
        case when a.problem_id is null then a.matter else facts.description end as item_text,
        case
            when a.problem_id is not null then coalesce(facts.is_closed, false)
            else coalesce(a.done_on <= as_of, false)
        end as is_done,
        case
            when a.problem_id is not null then case when facts.is_closed then facts.closed_at::date end
            when a.done_on <= as_of then a.done_on
        end as done_on,
        a.problem_id is not null and facts.problem_id is null as is_problem_unknown,
    from assignments as a
    left join facts on facts.problem_id = a.problem_id
    where a.meeting_on <= as_of
),

final as (
    select
        *,
        coalesce(not is_done and due_on < as_of, false) as is_overdue,
        case when not is_done and due_on < as_of then as_of - due_on end as days_overdue,
    from items
)

select * from final;

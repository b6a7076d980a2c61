-- The 网申 evidence items of the whole city (SPEC "Countdown": readiness): the four figures above
-- 测评倒计时's materials tables.
-- Grain: one row.
-- Params: $as_of DATE
-- Notes: the counts of materials_progress.sql over every item, with its rules: handed in
--   (count_submitted) = submitted, approved or returned; overdue = due before $as_of and neither
--   submitted nor approved (a returned item past its due date is overdue; no due date never is).
--   Statuses are the latest import's at any $as_of (the table keeps no history).
with
final as (
    select
        count(*) as count_required,
        count(*) filter (where status in ('submitted', 'approved', 'returned')) as count_submitted,
        count(*) filter (where status = 'approved') as count_approved,
        count(*) filter (where due_on < $as_of::date and status not in ('submitted', 'approved')) as count_overdue,
    from materials
)

select * from final

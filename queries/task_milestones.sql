-- One key task's milestones and how each stands at D.
-- Grain: one row per milestone of the task, by date (then list order).
-- Params: $as_of DATE, $task_name VARCHAR
-- Notes: state: done, late (dated before D, not done), due_soon (within 7 days of D, not done),
--   upcoming; a milestone without a date and not done is upcoming.
select milestone_name, milestone_on, coalesce(is_done, false) as is_done,
    case
        when coalesce(is_done, false) then 'done'
        when milestone_on < $as_of then 'late'
        when milestone_on <= $as_of::date + 7 then 'due_soon'
        else 'upcoming'
    end as state,
from tasks
where task_name = $task_name and (milestone_name is not null or milestone_on is not null)
order by milestone_on nulls last, row_order

-- Apply one key task list (重点任务; view `incoming`): a task named in it is replaced whole, with
-- its milestones in the file's order; tasks it does not name are kept.
-- Grain: one tasks row per milestone (one row for a task without milestones).
-- Params: $import_id INTEGER
delete from tasks where task_name in (select task_name from incoming);
insert into tasks
select task_name, lead_unit, task_kind, start_on, end_on, milestone_name, milestone_on, is_done,
    percent_done,
    coalesce((select max(row_order) from tasks), 0) + row_number() over () as row_order, $import_id,
from incoming;

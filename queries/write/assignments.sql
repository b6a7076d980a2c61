-- Apply one 调度会交办单 (view `incoming`), imported or written by staff.
-- Grain: one assignments row per item_id.
-- Params: $import_id INTEGER
insert or replace into assignments
select item_id, meeting_on, meeting_name, problem_id, matter, unit_name, due_on, done_on, $import_id,
from incoming;

-- Apply one 网申 material task list (view `incoming`).
-- Grain: one materials row per item_id.
-- Params: $import_id INTEGER
insert or replace into materials
select item_id, indicator, material_name, material_type, unit_name, due_on, status, submitted_at, $import_id,
from incoming;

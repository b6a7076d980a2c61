-- Apply one inspections export (view `incoming`): the newest export's version of a visit wins.
-- Grain: one inspections row per visit (inspection_id).
-- Params: $import_id INTEGER
insert or replace into inspections
select
    inspection_id, inspected_at, inspection_type, round_name, point_id, point_name, score,
    is_passed, count_problems, inspector, $import_id,
from incoming;

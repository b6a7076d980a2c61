-- Apply one unit list (view `incoming`).
-- Grain: one units row per unit_name.
-- Params: $import_id INTEGER
insert or replace into units
select unit_name, unit_kind, parent_unit, $import_id,
from incoming;

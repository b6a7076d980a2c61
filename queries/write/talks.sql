-- Apply one 约谈记录 list (view `incoming`), imported or entered by staff.
-- Grain: one talks row per date and unit.
-- Params: $import_id INTEGER
insert or replace into talks
select talked_on, unit_name, talked_by, reason, $import_id,
from incoming;

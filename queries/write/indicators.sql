-- Apply one indicator list (测评体系; view `incoming`): the list imported last is the list, in its
-- order (a problem belongs to the first indicator that covers it), so it replaces the one before.
-- Grain: one indicators row per indicator_code.
-- Params: $import_id INTEGER
delete from indicators;
insert into indicators
select indicator_code, indicator_name, part, points, point_types, categories, default_deduction,
    row_number() over () as list_order, $import_id,
from incoming;

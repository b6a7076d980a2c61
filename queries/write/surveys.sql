-- Apply one survey results export (view `incoming`).
-- Grain: one surveys row per round, indicator and district ('全市' for the whole city).
-- Params: $import_id INTEGER
insert or replace into surveys
select surveyed_on, round_name, indicator, district, rate, $import_id,
from incoming;

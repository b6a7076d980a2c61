-- Apply one 回头看 result list (view `incoming`).
-- Grain: one rechecks row per problem and re-check time.
-- Params: $import_id INTEGER
insert or replace into rechecks
select problem_id, rechecked_at, result, checker, note, round_name, $import_id,
from incoming;

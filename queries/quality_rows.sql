-- The records one data quality check flags, for the table under the panel and its export.
-- Grain: one row per record the check flags (see macros/quality_flags.sql).
-- Params: $as_of DATE, $due_soon_days INTEGER, $filters STRUCT (see macros/filtered_facts.sql),
--   $check_key VARCHAR (one of queries/quality_checks.sql's check_key)
select
    problem_id, unit_name, district, street, category, found_at, due_on, state, file_name, row_number, detail,
from quality_flags($as_of, $due_soon_days, $filters)
where check_key = $check_key
order by file_name, row_number, problem_id, unit_name

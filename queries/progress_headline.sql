-- The headline figures of rectification progress that need only each problem's own row, as of a
-- date: what most pages show, and what 整改进度 compares with a week before.
-- Grain: one row.
-- Params: $as_of DATE, $due_soon_days INTEGER, $filters STRUCT (see macros/filtered_facts.sql)
-- Notes: see macros/headline_figures.sql; queries/progress_summary.sql adds rework and the time
--   taken to rectify.
select * from headline_figures($as_of, $due_soon_days, $filters)

-- Macros: headline_figures.

-- headline_figures(as_of, due_soon_days, filters): the headline figures of rectification progress
--   (SPEC "Definitions") that need only each problem's own row: found, closed, open, overdue, due
--   soon, on time, no deadline, rebound, with their rates.
-- Grain: one row.
-- Notes: rates come with their counts and are null when their denominator is 0. Problems with no
--   deadline are left out of on-time and overdue and counted apart (count_no_deadline). Reading no
--   import history and no medians, it took 0.04 s cold at 1,000,000 problems where
--   queries/progress_summary.sql took 0.11-0.16 s: the pages that show only these figures, and the
--   week-before comparison, read it alone.
create or replace temp macro headline_figures(as_of, due_soon_days, filters) as table
select
    count(*) as count_found,
    count(*) filter (where is_closed) as count_closed,
    count(*) filter (where is_closed) / nullif(count(*), 0) as closure_rate,
    count(*) filter (where is_open) as count_open,
    count(*) filter (where is_overdue) as count_overdue,
    count(*) filter (where is_due_soon) as count_due_soon,
    count(*) filter (where is_due) as count_due,
    count(*) filter (where is_due and is_closed_on_time) as count_closed_on_time,
    count(*) filter (where is_due and is_closed_on_time) / nullif(count(*) filter (where is_due), 0) as on_time_rate,
    count(*) filter (where due_on is null) as count_no_deadline,
    count(*) filter (where is_rebound) as count_rebound,
    count(*) filter (where is_rebound) / nullif(count(*) filter (where is_closed), 0) as rebound_rate,
from filtered_facts(as_of, due_soon_days, filters);

-- Macros: key_task_lights.
-- key_task_lights(as_of): each key task (重点任务) with its progress and its light at as_of (SPEC.md
--   "Key tasks"); the task list (task_lights.sql) and the light counts (task_light_counts.sql) read it.
-- Grain: one row per task of the tasks table.
-- Notes: red: a milestone dated before as_of and not done, or the percentage complete more than 20
--   points behind the straight line from start (0%) to end (100%) at as_of; yellow (not red): the
--   next milestone not done is dated within 7 days from as_of (as_of itself included); green
--   otherwise. A task's percentage is its own (the largest given on its rows), else the share of its
--   milestones done.
create or replace temp macro key_task_lights(as_of) as table
with
rows_of as (
    select *, milestone_name is not null or milestone_on is not null as is_milestone,
    from tasks
),

per_task as (
    select
        task_name,
        any_value(lead_unit order by row_order) filter (where lead_unit is not null) as lead_unit,
        any_value(task_kind order by row_order) filter (where task_kind is not null) as task_kind,
        min(start_on) as start_on,
        max(end_on) as end_on,
        max(percent_done) as percent_given,
        count(*) filter (where is_milestone) as count_milestones,
        count(*) filter (where is_milestone and coalesce(is_done, false)) as count_done,
        count(*) filter (where is_milestone and not coalesce(is_done, false) and milestone_on < as_of)
            as count_late,
        min(milestone_on) filter (where is_milestone and not coalesce(is_done, false) and milestone_on >= as_of)
            as next_milestone_on,
        arg_min(milestone_name, milestone_on)
            filter (where is_milestone and not coalesce(is_done, false) and milestone_on >= as_of)
            as next_milestone_name,
        min(row_order) as row_order,
    from rows_of
    group by task_name
),

paced as (
    select
        *,
        coalesce(percent_given, count_done / nullif(count_milestones, 0)) as percent_done,
        case
            when start_on is null or end_on is null then null
            when as_of::date <= start_on then 0.0
            when as_of::date >= end_on then 1.0
            else (as_of::date - start_on) / (end_on - start_on)
        end as percent_expected,
    from per_task
),

lit as (
    select
        *,
        coalesce(percent_expected - percent_given > 0.2 + 1e-9, false) as is_behind_line,
        case
            when count_late > 0 or coalesce(percent_expected - percent_given > 0.2 + 1e-9, false) then 'red'
            when next_milestone_on <= as_of::date + 7 then 'yellow'
            else 'green'
        end as light,
    from paced
)

select * from lit;

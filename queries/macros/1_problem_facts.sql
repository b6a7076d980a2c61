-- problem_core_facts(as_of, due_soon_days): the SPEC.md definitions that need only the problem's own
--   row (closed, open, overdue, due soon, light, on time, rectification time, rebound, weeks).
-- Grain: one row per problem found on or before as_of.
-- Notes: dates compare as whole days (a deadline of 3 May is overdue on 4 May). Queries that need
--   nothing from the import history read this: it is one scan of problems, where problem_facts
--   also folds the whole history per problem and joins it (about 20 times the work at 1,000,000
--   problems; docs/PERFORMANCE.md).
create or replace temp macro problem_core_facts(as_of, due_soon_days) as table
with
found as (
    select
        *,
        closed_at is not null and closed_at::date <= as_of as is_closed,
    from problems
    where found_at::date <= as_of
),

final as (
    select
        *,
        not is_closed as is_open,
        coalesce(not is_closed and due_on < as_of, false) as is_overdue,
        case when not is_closed and due_on < as_of then as_of - due_on end as days_overdue,
        coalesce(not is_closed and due_on between as_of and as_of + due_soon_days::integer, false)
            as is_due_soon,
        case
            when is_closed then null
            when due_on < as_of then 'red'
            when due_on <= as_of + due_soon_days::integer then 'yellow'
            else 'green'
        end as light,
        coalesce(due_on <= as_of, false) as is_due,
        coalesce(is_closed and closed_at::date <= due_on, false) as is_closed_on_time,
        case
            when is_closed
                then epoch(closed_at - coalesce(assigned_at, found_at)) / 86400.0
        end as rectification_days,
        rebound_of_problem_id is not null or is_flagged_rebound as is_rebound,
        date_trunc('week', found_at)::date as found_week,
        case when is_closed then date_trunc('week', closed_at)::date end as closed_week,
    from found
)

select * from final;

-- problem_facts(as_of, due_soon_days): every SPEC.md definition for one problem, as of a date: the
--   core facts above, and what needs the import history (state, ever returned, ever reported done,
--   days unchanged) and the map position.
-- Grain: one row per problem found on or before as_of.
-- Notes: the state at a past date is the newest state an import saw by then; where no import saw
--   the problem by then, it is read from its timestamps (reported done -> awaiting_check, else
--   pending). Two imports with the same export date: the later import is the newer state (as
--   write/problems.sql updates problems).
create or replace temp macro problem_facts(as_of, due_soon_days) as table
with
core as (
    select * from problem_core_facts(as_of, due_soon_days)
),

-- The history folded up to as_of, only for the problems an import changed after as_of: for the
-- others the stored fold (problem_fold, written by write/derive.sql) is already the answer. On or
-- after the newest export this keeps no rows.
seen_before as (
    select
        problem_id,
        arg_max(status, (export_on, import_id)) filter (where status <> 'closed') as status_seen,
        bool_or(status = 'returned' or coalesce(return_count, 0) > 0) as was_returned,
        bool_or(status in ('awaiting_check', 'closed', 'returned')) as was_reported_done,
        max(export_on) as last_changed_on,
    from problem_history
    where export_on <= as_of
        and problem_id in (select problem_id from problem_fold where last_changed_on > as_of)
    group by problem_id
),

-- A problem's stored fold holds as of any date on or after its last change.
seen as (
    select
        fold.problem_id, fold.map_lat, fold.map_lng,
        case when stored then fold.status_seen else before.status_seen end as status_seen,
        case when stored then fold.was_returned else before.was_returned end as was_returned,
        case when stored then fold.was_reported_done else before.was_reported_done end
            as was_reported_done,
        case when stored then fold.last_changed_on else before.last_changed_on end as last_changed_on,
    from (
        select *, coalesce(last_changed_on <= as_of, true) as stored from problem_fold
    ) as fold
    left join seen_before as before using (problem_id)
),

final as (
    select
        core.* exclude (is_closed, is_open, is_overdue, days_overdue, is_due_soon, light, is_due,
                        is_closed_on_time, rectification_days, is_rebound, found_week, closed_week),
        seen.map_lat,
        seen.map_lng,
        seen.status_seen,
        seen.last_changed_on,
        coalesce(seen.was_returned, false) as was_returned,
        coalesce(seen.was_reported_done, false) as was_reported_done,
        core.is_closed,
        case
            when core.is_closed then 'closed'
            when seen.status_seen is not null then seen.status_seen
            when core.rectified_at::date <= as_of then 'awaiting_check'
            else 'pending'
        end as state,
        core.is_open, core.is_overdue, core.days_overdue, core.is_due_soon, core.light, core.is_due,
        core.is_closed_on_time, core.rectification_days,
        coalesce(seen.was_returned, false) as is_ever_returned,
        coalesce(seen.was_returned, false) or coalesce(seen.was_reported_done, false) or core.is_closed
            or coalesce(core.rectified_at::date <= as_of, false) as is_ever_reported_done,
        core.is_rebound,
        as_of - seen.last_changed_on as days_unchanged,
        core.found_week, core.closed_week,
    from core
    left join seen using (problem_id)
)

select * from final;

-- Macros: problem_core_facts, problem_facts.

-- problem_core_facts(as_of, due_soon_days): the SPEC.md definitions that need only the problem's own
--   row and its 回头看 re-checks (closed, open, overdue, due soon, light, on time, rectification
--   time, rebound, weeks; is_reopened: a failed re-check made it open again).
-- Grain: one row per problem found on or before as_of.
-- Notes: dates compare as whole days (a deadline of 3 May is overdue on 4 May). Queries that need
--   nothing from the import history read this: it is one scan of problems, where problem_facts
--   also reads the folded history (from the problem's row on a published store, else from a view
--   that folds it; cockpit/store/readers.py) and, for a past date, folds the history of the problems changed since.
create or replace temp macro problem_core_facts(as_of, due_soon_days) as table
with
-- The latest 回头看 re-check on or before as_of (SPEC "The meeting loop"): a 未到位 or 反弹 result
-- on or after the close time reopens the problem until a later re-check passes it or a later
-- export closes it again (its close time then moves past the re-check).
last_recheck as (
    select
        problem_id,
        max(rechecked_at) as rechecked_at,
        arg_max(result in ('not_done', 'rebound'), (rechecked_at, result)) as is_failed,
    from rechecks
    where rechecked_at::date <= as_of
    group by problem_id
),

found as (
    select
        problems.*,
        coalesce(recheck.is_failed and recheck.rechecked_at >= problems.closed_at, false) as is_reopened,
        problems.closed_at is not null and problems.closed_at::date <= as_of and not is_reopened as is_closed,
    from problems
    left join last_recheck as recheck on recheck.problem_id = problems.problem_id
    where problems.found_at::date <= as_of
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

-- The history folded (history_fold) up to as_of, only for the problems an import changed after as_of: for the
-- others the fold kept in the problem's row (write/derive.sql) is already the answer. On or after
-- the newest export this keeps no rows.
seen_before as (
    select problem_id, unnest(history_fold(status, export_on, import_id, return_count)),
    from problem_history
    where export_on <= as_of
        and problem_id in (select problem_id from problems where last_changed_on > as_of)
    group by problem_id
),

-- A problem's stored fold holds as of any date on or after its last change.
seen as (
    select
        core.*,
        coalesce(core.last_changed_on <= as_of, true) as is_fold_stored,
        before.status_seen as status_seen_before,
        before.was_returned as was_returned_before,
        before.was_reported_done as was_reported_done_before,
        before.last_changed_on as last_changed_on_before,
    from core
    left join seen_before as before using (problem_id)
),

folded as (
    select
        * exclude (status_seen, was_returned, was_reported_done, last_changed_on, is_fold_stored,
                   status_seen_before, was_returned_before, was_reported_done_before,
                   last_changed_on_before),
        case when is_fold_stored then status_seen else status_seen_before end as status_seen,
        case when is_fold_stored then was_returned else was_returned_before end as was_returned,
        case when is_fold_stored then was_reported_done else was_reported_done_before end
            as was_reported_done,
        case when is_fold_stored then last_changed_on else last_changed_on_before end
            as last_changed_on,
    from seen
),

final as (
    select
        folded.* exclude (map_lat, map_lng, status_seen, last_changed_on, was_returned,
                          was_reported_done, is_closed, is_open, is_overdue, days_overdue,
                          is_due_soon, light, is_due, is_closed_on_time, rectification_days,
                          is_rebound, found_week, closed_week),
        folded.map_lat,
        folded.map_lng,
        folded.status_seen,
        folded.last_changed_on,
        coalesce(folded.was_returned, false) as was_returned,
        coalesce(folded.was_reported_done, false) as was_reported_done,
        folded.is_closed,
        case
            when folded.is_closed then 'closed'
            when folded.is_reopened then 'returned'
            when folded.status_seen is not null then folded.status_seen
            when folded.rectified_at::date <= as_of then 'awaiting_check'
            else 'pending'
        end as state,
        folded.is_open, folded.is_overdue, folded.days_overdue, folded.is_due_soon, folded.light,
        folded.is_due, folded.is_closed_on_time, folded.rectification_days,
        coalesce(folded.was_returned, false) or folded.is_reopened as is_ever_returned,
        coalesce(folded.was_returned, false) or coalesce(folded.was_reported_done, false) or folded.is_reopened
            or folded.is_closed or coalesce(folded.rectified_at::date <= as_of, false)
            as is_ever_reported_done,
        folded.is_rebound,
        as_of - folded.last_changed_on as days_unchanged,
        folded.found_week, folded.closed_week,
    from folded
)

select * from final;

-- problem_facts(as_of, due_soon_days): every SPEC.md definition for one problem, as of a date.
-- Grain: one row per problem found on or before as_of.
-- Notes: dates compare as whole days (a deadline of 3 May is overdue on 4 May). The state at a past
--   date is the newest state an import saw by then; where no import saw the problem by then, it is
--   read from its timestamps (reported done -> awaiting_check, else pending). Two imports with the
--   same export date: the later import is the newer state (as write/problems.sql updates problems).
create or replace temp macro problem_facts(as_of, due_soon_days) as table
with
found as (
    select
        *,
        coalesce(lat, (select pt.lat from points as pt where pt.point_id = problems.point_id)) as map_lat,
        coalesce(lng, (select pt.lng from points as pt where pt.point_id = problems.point_id)) as map_lng,
    from problems
    where found_at::date <= as_of
),

seen as (
    select
        problem_id,
        arg_max(status, (export_on, import_id)) filter (where status <> 'closed') as status_seen,
        bool_or(status = 'returned' or coalesce(return_count, 0) > 0) as was_returned,
        bool_or(status in ('awaiting_check', 'closed', 'returned')) as was_reported_done,
        max(export_on) as last_changed_on,
    from problem_history
    where export_on <= as_of
    group by problem_id
),

dated as (
    select
        found.*,
        seen.status_seen,
        seen.last_changed_on,
        coalesce(seen.was_returned, false) as was_returned,
        coalesce(seen.was_reported_done, false) as was_reported_done,
        found.closed_at is not null and found.closed_at::date <= as_of as is_closed,
    from found
    left join seen using (problem_id)
),

final as (
    select
        *,
        case
            when is_closed then 'closed'
            when status_seen is not null then status_seen
            when rectified_at::date <= as_of then 'awaiting_check'
            else 'pending'
        end as state,
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
        was_returned as is_ever_returned,
        was_returned or was_reported_done or is_closed or coalesce(rectified_at::date <= as_of, false)
            as is_ever_reported_done,
        rebound_of_problem_id is not null or is_flagged_rebound as is_rebound,
        as_of - last_changed_on as days_unchanged,
        date_trunc('week', found_at)::date as found_week,
        case when is_closed then date_trunc('week', closed_at)::date end as closed_week,
    from dated
)

select * from final;

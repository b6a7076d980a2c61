-- The pace of closures against the days left to a milestone (SPEC "Countdown": pace).
-- Grain: one row.
-- Params: $as_of DATE, $due_soon_days INTEGER, $pace_days INTEGER, $milestone_on DATE
-- Notes: pace = problems closed in the $pace_days days ending on $as_of, per day. The projection
--   and the required pace are the macros of macros/projected_clearance_on.sql (unit_pace.sql uses them too).
with
facts as (
    select * from problem_core_facts($as_of, $due_soon_days)
),

counts as (
    select
        count(*) filter (where is_open) as count_open,
        count(*) filter (where is_closed and closed_at::date > $as_of::date - $pace_days::integer) as count_closed_recently,
    from facts
),

final as (
    select
        count_open,
        count_closed_recently,
        count_closed_recently / $pace_days::double as closures_per_day,
        $milestone_on::date - $as_of::date as days_left,
        required_per_day(count_open, $as_of, $milestone_on) as required_per_day,
        projected_clearance_on(count_open, count_closed_recently, $pace_days, $as_of) as projected_clearance_on,
    from counts
)

select * from final

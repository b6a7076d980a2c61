-- The pace of closures against the days left to a milestone (SPEC "Countdown": pace).
-- Grain: one row.
-- Params: $as_of DATE, $due_soon_days INTEGER, $pace_days INTEGER, $milestone_on DATE
-- Notes: pace = problems closed in the $pace_days days ending on $as_of, per day. The projected
--   clearance date is null when the pace is 0 (and there is a backlog); the required pace is null
--   when the milestone is today or past.
with
facts as (
    select * from problem_facts($as_of, $due_soon_days)
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
        case when $milestone_on::date > $as_of::date
            then count_open / ($milestone_on::date - $as_of::date)::double
        end as required_per_day,
        case
            when count_open = 0 then $as_of::date
            when count_closed_recently > 0
                then ($as_of::date + ceil(count_open * $pace_days::double / count_closed_recently)::integer)
        end as projected_clearance_on,
    from counts
)

select * from final

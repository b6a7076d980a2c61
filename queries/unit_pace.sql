-- Who will not make it: each unit's backlog, its pace, its projected clearance date and the days it
-- would run past the milestone (SPEC "Countdown": per unit the same as closure_pace).
-- Grain: one row per unit with open problems as of $as_of ('未填写' for problems with no unit).
-- Params: $as_of DATE, $due_soon_days INTEGER, $pace_days INTEGER, $milestone_on DATE
-- Notes: worst first: units that closed nothing in the pace window (they never clear: no date),
--   then the most days past the milestone, then the biggest backlog. days_past_milestone is
--   negative for a unit that clears before the milestone.
with
facts as (
    select * from problem_core_facts($as_of, $due_soon_days)
),

counts as (
    select
        coalesce(unit_name, '未填写') as unit_name,
        count(*) filter (where is_open) as count_open,
        count(*) filter (where is_overdue) as count_overdue,
        count(*) filter (where is_closed and closed_at::date > $as_of::date - $pace_days::integer) as count_closed_recently,
    from facts
    group by all
    having count(*) filter (where is_open) > 0
),

final as (
    select
        unit_name,
        count_open,
        count_overdue,
        count_closed_recently,
        count_closed_recently / $pace_days::double as closures_per_day,
        required_per_day(count_open, $as_of, $milestone_on) as required_per_day,
        projected_clearance_on(count_open, count_closed_recently, $pace_days, $as_of) as projected_clearance_on,
        projected_clearance_on(count_open, count_closed_recently, $pace_days, $as_of) - $milestone_on::date
            as days_past_milestone,
    from counts
)

select * from final
order by projected_clearance_on is not null, days_past_milestone desc, count_open desc, unit_name

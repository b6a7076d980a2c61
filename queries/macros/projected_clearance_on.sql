-- Macros: projected_clearance_on, required_per_day.

-- projected_clearance_on(count_open, count_closed_recently, pace_days, as_of): the day the backlog
-- is cleared at the present pace (SPEC "Countdown": D + open / pace, rounded up to a whole day);
-- as_of itself when nothing is open; null when nothing was closed in the pace window (no pace, no date).
create or replace temp macro projected_clearance_on(count_open, count_closed_recently, pace_days, as_of) as
    case
        when count_open = 0 then as_of::date
        when count_closed_recently > 0
            then as_of::date + ceil(count_open * pace_days::double / count_closed_recently)::integer
    end;

-- required_per_day(count_open, as_of, milestone_on): closures a day needed to clear the backlog by
-- the milestone; null when the milestone is today or past.
create or replace temp macro required_per_day(count_open, as_of, milestone_on) as
    case when milestone_on::date > as_of::date then count_open / (milestone_on::date - as_of::date)::double end;

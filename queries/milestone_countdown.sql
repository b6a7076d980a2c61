-- The assessment calendar with the days left to each milestone (SPEC "Countdown").
-- Grain: one row per milestone, in date order.
-- Params: $as_of DATE, $names VARCHAR[], $dates DATE[], $kinds VARCHAR[], $notes VARCHAR[]
--   (the calendar from settings, as parallel lists)
-- Notes: a milestone today has 0 days left and is not done; the next one is the first not done
--   (every milestone on that date); once all are done, none is next (false, not null).
with
calendar as (
    select
        unnest($names::varchar[]) as name,
        unnest($dates::date[]) as on_date,
        unnest($kinds::varchar[]) as kind,
        unnest($notes::varchar[]) as note,
),

final as (
    select
        name,
        on_date,
        kind,
        note,
        on_date - $as_of::date as days_left,
        on_date < $as_of::date as is_done,
        coalesce(on_date = min(on_date) filter (where on_date >= $as_of::date) over (), false) as is_next,
    from calendar
)

select * from final
order by on_date, name

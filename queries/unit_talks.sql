-- The 约谈 held on or before the date, with how many each unit has had by then.
-- Grain: one row per talk, newest first.
-- Params: $as_of DATE
with
final as (
    select
        talked_on, unit_name, talked_by, reason,
        count(*) over (partition by unit_name) as count_unit_talks,
    from talks
    where talked_on <= $as_of::date
)

select * from final
order by talked_on desc, unit_name

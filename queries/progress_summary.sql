-- The headline figures of rectification progress (SPEC "Definitions"), as of a date: those of
-- macros/headline_figures.sql, then rework (which reads the import history) and the time taken
-- to rectify.
-- Grain: one row.
-- Params: $as_of DATE, $due_soon_days INTEGER, $filters STRUCT (see macros/filtered_facts.sql)
-- Notes: rates come with their counts and are null when their denominator is 0.
with
headline as (
    select * from headline_figures($as_of, $due_soon_days, $filters)
),

rework_and_time as (
    select
        count(*) filter (where is_ever_returned) as count_returned,
        count(*) filter (where is_ever_reported_done) as count_reported_done,
        count(*) filter (where is_ever_returned) / nullif(count(*) filter (where is_ever_reported_done), 0) as rework_rate,
        median(rectification_days) as rectification_days_median,
        quantile_cont(rectification_days, 0.9) as rectification_days_p90,
    from filtered_facts($as_of, $due_soon_days, $filters)
),

final as (
    select headline.*, rework_and_time.*,
    from headline, rework_and_time
)

select * from final

-- The headline figures of rectification progress (SPEC "Definitions"), as of a date.
-- Grain: one row.
-- Params: $as_of DATE, $due_soon_days INTEGER, $filters STRUCT (see macros/3_filtered_facts.sql)
-- Notes: rates come with their counts and are null when their denominator is 0. Problems with no
--   deadline are left out of on-time and overdue and counted apart (count_no_deadline).
with
facts as (
    select * from filtered_facts($as_of, $due_soon_days, $filters)
),

final as (
    select
        count(*) as count_found,
        count(*) filter (where is_closed) as count_closed,
        count(*) filter (where is_closed) / nullif(count(*), 0) as closure_rate,
        count(*) filter (where is_open) as count_open,
        count(*) filter (where is_overdue) as count_overdue,
        count(*) filter (where is_due_soon) as count_due_soon,
        count(*) filter (where is_due) as count_due,
        count(*) filter (where is_due and is_closed_on_time) as count_closed_on_time,
        count(*) filter (where is_due and is_closed_on_time) / nullif(count(*) filter (where is_due), 0) as on_time_rate,
        count(*) filter (where due_on is null) as count_no_deadline,
        count(*) filter (where is_rebound) as count_rebound,
        count(*) filter (where is_rebound) / nullif(count(*) filter (where is_closed), 0) as rebound_rate,
        count(*) filter (where is_ever_returned) as count_returned,
        count(*) filter (where is_ever_reported_done) as count_reported_done,
        count(*) filter (where is_ever_returned) / nullif(count(*) filter (where is_ever_reported_done), 0) as rework_rate,
        median(rectification_days) as rectification_days_median,
        quantile_cont(rectification_days, 0.9) as rectification_days_p90,
    from facts
)

select * from final

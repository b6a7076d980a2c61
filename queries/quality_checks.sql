-- The data quality panel's counts: how many records each check flags (every check, zero included).
-- Grain: one row per check, in the panel's order.
-- Params: $as_of DATE, $due_soon_days INTEGER, $filters STRUCT (see macros/filtered_facts.sql)
-- Notes: the rows behind each count are queries/quality_rows.sql, from the same macro (macros/quality_flags.sql).
with
flagged as (
    select check_key, count(*) as count_rows from quality_flags($as_of, $due_soon_days, $filters) group by check_key
),

checks as (
    select * from (values
        ('missing_unit', 1), ('missing_deadline', 2), ('missing_category', 3), ('missing_location', 4),
        ('duplicate_id', 5), ('deadline_before_found', 6), ('closed_without_close_time', 7), ('unit_spellings', 8),
        ('default_spot', 9), ('no_indicator', 10)
    ) as c(check_key, sort_order)
),

final as (
    select checks.check_key, coalesce(flagged.count_rows, 0) as count_rows,
    from checks
    left join flagged using (check_key)
    order by checks.sort_order
)

select * from final

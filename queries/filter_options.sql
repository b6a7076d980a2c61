-- The values each filter of the progress page can take: every district, street, unit, category,
-- source and point type among the problems found by $as_of, with how many problems carry it.
-- Grain: one row per (dimension, value); '未填写' stands for a missing value.
-- Params: $as_of DATE, $due_soon_days INTEGER
-- Notes: the options ignore the other filters, so choosing one never hides the way back.
with
facts as (
    select * from problem_core_facts($as_of, $due_soon_days)
),

values_seen as (
    unpivot (
        select
            coalesce(district, '未填写') as district,
            coalesce(street, '未填写') as street,
            coalesce(unit_name, '未填写') as unit,
            coalesce(category, '未填写') as category,
            coalesce(source, '未填写') as source,
            coalesce(point_type, '未填写') as point_type,
            count(*) as count_problems,
        from facts
        group by all  -- counted per combination first: a third of the work of unpivoting every problem
    )
    on district, street, unit, category, source, point_type
    into name dimension value option_value
),

final as (
    select dimension, option_value, sum(count_problems)::bigint as count_problems,
    from values_seen
    group by all
)

select * from final
order by dimension, count_problems desc, option_value

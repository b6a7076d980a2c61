-- Rectification progress broken down by one dimension a clerk picks.
-- Grain: one row per value of the dimension among problems found by $as_of ('未填写' for none).
-- Params: $as_of DATE, $due_soon_days INTEGER, $filters STRUCT (see macros/filtered_facts.sql),
--   $dimension VARCHAR (district, street, unit, category, source, point_type, or place: the point,
--   else the community, else the street)
-- Notes: the groups are grouped_facts' (macros/filtered_facts.sql), as problem_list's drill-down.
with
facts as (
    select * from grouped_facts($as_of, $due_soon_days, $filters, $dimension)
),

final as (
    select
        coalesce(group_value, '未填写') as group_name,
        count(*) as count_found,
        count(*) filter (where is_closed) as count_closed,
        count(*) filter (where is_closed) / count(*) as closure_rate,
        count(*) filter (where is_open) as count_open,
        count(*) filter (where is_overdue) as count_overdue,
        count(*) filter (where is_due and is_closed_on_time) / nullif(count(*) filter (where is_due), 0) as on_time_rate,
        median(rectification_days) as rectification_days_median,
    from facts
    group by all
)

select * from final
order by count_overdue desc, count_open desc, group_name

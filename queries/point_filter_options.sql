-- The values each filter of the points page can take: every district, street and point type of
-- the point list, with how many points carry it.
-- Grain: one row per (dimension, option_value); '未填写' stands for a missing value.
-- Params: none
-- Notes: the point list is the latest import, with no dates: the options do not depend on $as_of.
--   Streets come with their district so the page can narrow the street choices to the districts
--   chosen.
with
values_seen as (
    select 'district' as dimension, coalesce(district, '未填写') as option_value, null as district, from points
    union all
    select 'street', coalesce(street, '未填写'), coalesce(district, '未填写'), from points
    union all
    select 'point_type', coalesce(point_type, '未填写'), null, from points
),

final as (
    select dimension, option_value, district, count(*) as count_points,
    from values_seen
    group by all
)

select * from final
order by dimension, count_points desc, option_value, district

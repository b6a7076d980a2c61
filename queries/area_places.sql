-- The streets and communities of one area (片区), or of 未划片区, with their figures as of $as_of.
-- Grain: one row per (street, community) of the area's problems and of its 责任体系 rows
--   (community null: the problems and rows of the street that name no community).
-- Params: $as_of DATE, $due_soon_days INTEGER, $area VARCHAR
with
facts as (
    select * from area_facts($as_of, $due_soon_days)
    where area = $area
),

listed as (
    select distinct district, street, community from responsibility where area = $area
),

figures as (
    select
        district, street, community,
        count(*) as count_found,
        count(*) filter (where is_open) as count_open,
        count(*) filter (where is_overdue) as count_overdue,
        count(*) filter (where is_closed) / count(*) as closure_rate,
    from facts
    group by all
),

final as (
    select
        coalesce(figures.district, listed.district) as district,
        coalesce(figures.street, listed.street) as street,
        coalesce(figures.community, listed.community) as community,
        coalesce(figures.count_found, 0) as count_found,
        coalesce(figures.count_open, 0) as count_open,
        coalesce(figures.count_overdue, 0) as count_overdue,
        figures.closure_rate,
    from figures
    full join listed
        on listed.street = figures.street and listed.community is not distinct from figures.community
        and (listed.district is null or listed.district = figures.district)
)

select * from final
order by count_overdue desc, count_open desc, street, community nulls first

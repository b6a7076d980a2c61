-- Macros: area_lookup, area_facts, area_people.

-- area_lookup(): the area (片区) of every place problems and points name (SPEC "Responsibility").
-- Grain: one row per distinct (district, street, community) of problems and points.
-- Notes: a place is its community's area where the 责任体系 lists that community of that street,
--   else its street's area (a row without 社区 gives the whole street), else '未划片区'. A row with
--   no 区县 speaks for the street of that name in any district. The importer has refused a place
--   given to two areas, so max() picks the one area there is.
create or replace temp macro area_lookup() as table
with
places as (
    select distinct district, street, community from problems
    union
    select distinct district, street, community from points
),

final as (
    select
        places.district, places.street, places.community,
        coalesce(
            max(r.area) filter (where r.community is not null and r.community = places.community),
            max(r.area) filter (where r.community is null),
            '未划片区'
        ) as area,
    from places
    left join responsibility as r
        on r.street = places.street and (r.district is null or r.district = places.district)
    group by all
)

select * from final;

-- area_facts(as_of, due_soon_days): problem_core_facts with each problem's area.
-- Grain: one row per problem found on or before as_of (every one: 未划片区 where no area lists it).
create or replace temp macro area_facts(as_of, due_soon_days) as table
select f.*, coalesce(l.area, '未划片区') as area,
from problem_core_facts(as_of, due_soon_days) as f
left join area_lookup() as l
    on l.district is not distinct from f.district and l.street is not distinct from f.street
    and l.community is not distinct from f.community;

-- area_people(): each area's leader and departments (the first row of the area gave them to all).
-- Grain: one row per area of the 责任体系.
create or replace temp macro area_people() as table
select area, any_value(leader) as leader, any_value(departments) as departments,
    count(distinct street) as count_streets,
    count(distinct street || '|' || community) as count_communities,
    count(distinct street || '|' || community || '|' || grid) as count_grids,
from responsibility
group by area;

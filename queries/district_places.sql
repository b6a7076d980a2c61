-- The areas (片区) and communities the data in view lies in: on a district login's connection, the
-- district's own, so the city's ranking of those place pools can be narrowed to them (city_ranks.py).
-- Grain: one row per (pool, place_name); pool 'area' or 'community' (named 街道·社区 as unit_ranking).
-- Params: none
select distinct 'area' as pool, area as place_name
from area_lookup()
where area <> '未划片区'
union
select distinct 'community', street || '·' || community
from problems
where community is not null
order by pool, place_name

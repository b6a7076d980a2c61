-- The grids (网格) of the 责任体系 with their 网格长 and their problems as of $as_of: open, overdue,
-- and those found by 网格巡查 (the grid's own patrol).
-- Grain: one row per (area, street, community, grid) listed with a grid; $area '' is every area.
-- Params: $as_of DATE, $due_soon_days INTEGER, $area VARCHAR
-- Notes: a problem is the grid's when it names the grid and the grid's street (and its community,
--   where the grid row lists one).
with
grids as (
    select area, district, street, community, grid,
        any_value(grid_chief) as grid_chief, any_value(building_chief) as building_chief,
    from responsibility
    where grid is not null and ($area = '' or area = $area)
    group by all
),

figures as (
    select
        grids.area, grids.street, grids.community, grids.grid,
        count(f.problem_id) as count_found,
        count(f.problem_id) filter (where f.is_open) as count_open,
        count(f.problem_id) filter (where f.is_overdue) as count_overdue,
        count(f.problem_id) filter (where f.source = '网格巡查') as count_grid_patrol,
    from grids
    left join problem_core_facts($as_of, $due_soon_days) as f
        on f.grid = grids.grid and f.street = grids.street
        and (grids.community is null or f.community = grids.community)
        and (grids.district is null or f.district = grids.district)
    group by all
)

select grids.area, grids.street, grids.community, grids.grid, grids.grid_chief, grids.building_chief,
    figures.count_found, figures.count_open, figures.count_overdue, figures.count_grid_patrol,
from grids
join figures using (area, street, grid)
where figures.community is not distinct from grids.community
order by figures.count_overdue desc, figures.count_open desc, grids.area, grids.street, grids.grid

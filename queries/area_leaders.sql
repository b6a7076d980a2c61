-- Each area (片区) of the 责任体系 with its leader (包抓领导) and departments (包抓部门).
-- Grain: one row per area.
-- Params: none
select area, leader, departments, count_streets, count_communities, count_grids,
from area_people()
order by area

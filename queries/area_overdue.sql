-- One area's (片区's, or 未划片区's) overdue problems as of $as_of, the oldest deadline first.
-- Grain: one row per overdue problem of the area.
-- Params: $as_of DATE, $due_soon_days INTEGER, $area VARCHAR
select
    problem_id, found_at, due_on, days_overdue, unit_name, district, street, community, grid,
    coalesce(point_name, street, district) as place, category, description, source,
from area_facts($as_of, $due_soon_days)
where area = $area and is_overdue
order by days_overdue desc, due_on, problem_id

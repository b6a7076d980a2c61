-- One area's (片区's, or 未划片区's) points not up to standard as of $as_of (SPEC "point up to
-- standard"), with their four roles.
-- Grain: one row per failing point of the area.
-- Params: $as_of DATE, $due_soon_days INTEGER, $pass_score DOUBLE, $area VARCHAR
select
    s.point_id, s.point_name, s.point_type, s.street, s.community, s.last_inspected_at, s.last_score,
    s.count_open, s.count_overdue, s.point_chief, s.owner_department, s.territorial_unit, s.co_unit,
from point_standing($as_of, $due_soon_days, $pass_score) as s
left join area_lookup() as l
    on l.district is not distinct from s.district and l.street is not distinct from s.street
    and l.community is not distinct from s.community
where coalesce(l.area, '未划片区') = $area and s.is_up_to_standard = false
order by s.count_overdue desc, s.count_open desc, s.point_id

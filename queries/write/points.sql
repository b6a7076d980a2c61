-- Apply one measurement point list (view `incoming`).
-- Grain: one points row per point_id.
-- Params: $import_id INTEGER
insert or replace into points
select
    point_id, point_name, point_type, district, street, community, lng, lat, point_chief, co_unit,
    owner_department, territorial_unit, coalesce(is_key_circle, key_circle_name is not null),
    key_circle_name, $import_id,
from incoming;

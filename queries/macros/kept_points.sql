-- Macros: kept_points.

-- kept_points(point_filters): the measurement points the points page's filters keep.
-- Grain: one row per point of the point list.
-- Notes: point_filters is one STRUCT (cockpit/vocab/points.py builds it): each list (districts, streets,
--   point_types) keeps the points whose value is in it, an empty list keeps all, '未填写' matches a
--   missing value; key_circle_only keeps the points of the key point circles (重点点位圈). The cast
--   gives untyped bound values ([]) their types.
create or replace temp macro kept_points(point_filters) as table
with
chosen as (
    select point_filters::STRUCT(
        districts VARCHAR[], streets VARCHAR[], point_types VARCHAR[], key_circle_only BOOLEAN
    ) as f
)

select points.*
from points, chosen
where (len(chosen.f.districts) = 0 or list_contains(chosen.f.districts, coalesce(points.district, '未填写')))
    and (len(chosen.f.streets) = 0 or list_contains(chosen.f.streets, coalesce(points.street, '未填写')))
    and (len(chosen.f.point_types) = 0 or list_contains(chosen.f.point_types, coalesce(points.point_type, '未填写')))
    and (not coalesce(chosen.f.key_circle_only, false) or points.is_key_circle);

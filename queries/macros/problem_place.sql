-- Macros: problem_place.

-- problem_place(point_name, community, street): where a problem is, as every list names it: its
--   measurement point, else its community, else its street.
create or replace temp macro problem_place(point_name, community, street) as
    coalesce(point_name, community, street);

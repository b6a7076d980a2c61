-- The areas (片区) of the 责任体系 with their people and figures as of $as_of, plus one row
-- '未划片区' for the problems and points no area lists, so the rows add up to the city.
-- Grain: one row per area (and 未划片区 when it has a problem or a point).
-- Params: $as_of DATE, $due_soon_days INTEGER, $pass_score DOUBLE
-- Notes: figures mean what they mean on 整改进度 (problem_core_facts); a point is failing when
--   point_standing says it is not up to standard (points never inspected are neither). The rank and
--   black-list streak come from unit_ranking's 'area' pool, joined by the page.
with
facts as (
    select * from area_facts($as_of, $due_soon_days)
),

problem_figures as (
    select
        area,
        count(*) as count_found,
        count(*) filter (where is_closed) as count_closed,
        count(*) filter (where is_open) as count_open,
        count(*) filter (where is_overdue) as count_overdue,
        count(*) filter (where is_due) as count_due,
        count(*) filter (where is_due and is_closed_on_time) as count_closed_on_time,
        count(*) filter (where source = '网格巡查') as count_grid_patrol,
    from facts
    group by area
),

point_figures as (
    select
        coalesce(l.area, '未划片区') as area,
        count(*) as count_points,
        count(*) filter (where s.is_up_to_standard = false) as count_failing_points,
    from point_standing($as_of, $due_soon_days, $pass_score) as s
    left join area_lookup() as l
        on l.district is not distinct from s.district and l.street is not distinct from s.street
        and l.community is not distinct from s.community
    group by all
),

names as (
    select area from area_people()
    union
    select area from problem_figures
    union
    select area from point_figures
),

final as (
    select
        names.area,
        names.area = '未划片区' as is_unassigned,
        people.leader, people.departments,
        coalesce(people.count_streets, 0) as count_streets,
        coalesce(people.count_communities, 0) as count_communities,
        coalesce(p.count_found, 0) as count_found,
        coalesce(p.count_closed, 0) as count_closed,
        coalesce(p.count_open, 0) as count_open,
        coalesce(p.count_overdue, 0) as count_overdue,
        coalesce(p.count_due, 0) as count_due,
        coalesce(p.count_closed_on_time, 0) as count_closed_on_time,
        coalesce(p.count_grid_patrol, 0) as count_grid_patrol,
        p.count_closed / nullif(p.count_found, 0) as closure_rate,
        p.count_closed_on_time / nullif(p.count_due, 0) as on_time_rate,
        coalesce(pt.count_points, 0) as count_points,
        coalesce(pt.count_failing_points, 0) as count_failing_points,
    from names
    left join area_people() as people using (area)
    left join problem_figures as p using (area)
    left join point_figures as pt using (area)
)

select * from final
order by is_unassigned, count_overdue desc, area

-- Macros: point_month.

-- point_month(as_of, due_soon_days, pass_score, point_filters): the monthly ranking of the points
-- not up to standard (点未达标月评排名制), for the month of as_of and the month before.
-- Grain: one row per (month, point) for each point the filters keep that is in that month's
--   ranking. months_back 0 is the calendar month containing as_of, up to as_of; months_back 1 is
--   the calendar month before it, as of its last day.
-- Notes: a point is in a month's ranking when an inspection failed it in the month, or when it is
--   not up to standard (point_standing) on the month's last day counted. count_failures counts the
--   month's failed inspections of the point (passed as point_standing decides it: 达标, else score
--   >= pass_score; neither known is a failure); count_open and count_overdue are its problems open
--   and overdue on that day; count_rebound the rebounds found at it in the month. Rank: most
--   failures first, then most overdue, then most open problems; points equal on all three share a
--   rank (1, 2, 2, 4). Ranks are among the points the filters keep.
create or replace temp macro point_month(as_of, due_soon_days, pass_score, point_filters) as table
with
months as (
    select 0 as months_back, date_trunc('month', as_of::date)::date as from_on, as_of::date as to_on
    union all
    select
        1,
        date_trunc('month', date_trunc('month', as_of::date)::date - 1)::date,
        date_trunc('month', as_of::date)::date - 1
),

standing as (
    select 0 as months_back, * from point_standing(as_of, due_soon_days, pass_score)
    union all by name
    select 1 as months_back, *
    from point_standing(date_trunc('month', as_of::date)::date - 1, due_soon_days, pass_score)
),

inspected as (
    select
        months.months_back,
        inspections.point_id,
        count(*) as count_inspections,
        count(*) filter (where not coalesce(inspections.is_passed, inspections.score >= pass_score, false))
            as count_failures,
    from months
    join inspections on inspections.inspected_at::date between months.from_on and months.to_on
    where inspections.point_id is not null
    group by all
),

rebounds as (
    select months.months_back, facts.point_id, count(*) as count_rebound,
    from months
    join problem_core_facts(as_of, due_soon_days) as facts
        on facts.found_at::date between months.from_on and months.to_on
    where facts.is_rebound and facts.point_id is not null
    group by all
),

figures as (
    select
        standing.months_back,
        months.from_on,
        months.to_on,
        standing.point_id, standing.point_name, standing.point_type, standing.district, standing.street,
        standing.community, standing.point_chief, standing.co_unit, standing.owner_department,
        standing.territorial_unit, standing.is_key_circle,
        standing.key_circle_name,
        coalesce(inspected.count_inspections, 0) as count_inspections,
        coalesce(inspected.count_failures, 0) as count_failures,
        standing.count_overdue,
        standing.count_open,
        coalesce(rebounds.count_rebound, 0) as count_rebound,
        standing.is_up_to_standard,
        standing.last_inspected_at,
        standing.last_score,
    from standing
    join months using (months_back)
    left join inspected using (months_back, point_id)
    left join rebounds using (months_back, point_id)
    where standing.point_id in (select point_id from kept_points(point_filters))
),

final as (
    select
        *,
        rank() over (partition by months_back order by count_failures desc, count_overdue desc, count_open desc)
            as rank,
    from figures
    where count_failures > 0 or not is_up_to_standard
)

select * from final;

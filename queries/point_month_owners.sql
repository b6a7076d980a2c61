-- The monthly ranking of the points not up to standard summed by one of a point's four roles (SPEC
-- "Responsibility"): point chief (点位长), co-building unit (包抓共建单位), owning department
-- (行业主管部门) or territorial unit (属地管理单位): whose points keep failing, and their rank last month.
-- Grain: one row per point chief (or co-building unit) with at least one point the filters keep in
--   this month's ranking; '未填写' gathers the points with none.
-- Params: $as_of DATE, $due_soon_days INTEGER, $pass_score DOUBLE, $point_filters STRUCT (see
--   macros/kept_points.sql), $owner VARCHAR ('point_chief', 'co_unit', 'owner_department' or
--   'territorial_unit'; any other value is an error)
-- Notes:
--   * The sums are over the owner's points in the month's ranking (macros/point_month.sql):
--     count_points_ranked of its count_points kept points; count_failures, count_overdue,
--     count_open, count_rebound added up; point_names lists the ranked points, worst first.
--   * Rank as the points are ranked: most failures, then overdue, then open problems; owners equal
--     on all three share a rank. Last month's ranking is summed the same way;
--     rank_change = rank last month - rank this month (positive: moved up the list, i.e. worse);
--     null when the owner had no point in last month's ranking (is_new true).
with
months as (
    select
        *,
        coalesce(
            case $owner
                when 'point_chief' then point_chief
                when 'co_unit' then co_unit
                when 'owner_department' then owner_department
                when 'territorial_unit' then territorial_unit
                else error('point_month_owners: $owner must be point_chief, co_unit, owner_department or territorial_unit')
            end,
            '未填写'
        ) as owner_name,
    from point_month($as_of, $due_soon_days, $pass_score, $point_filters)
),

owned as (
    select
        coalesce(case $owner when 'point_chief' then point_chief when 'co_unit' then co_unit
                 when 'owner_department' then owner_department when 'territorial_unit' then territorial_unit end,
                 '未填写') as owner_name,
        count(*) as count_points,
    from kept_points($point_filters)
    group by all
),

summed as (
    select
        months_back,
        owner_name,
        count(*) as count_points_ranked,
        sum(count_failures)::bigint as count_failures,
        sum(count_overdue)::bigint as count_overdue,
        sum(count_open)::bigint as count_open,
        sum(count_rebound)::bigint as count_rebound,
        string_agg(point_name, '、' order by rank, point_id) as point_names,
    from months
    group by all
),

ranked as (
    select
        *,
        rank() over (partition by months_back order by count_failures desc, count_overdue desc, count_open desc)
            as rank,
    from summed
),

final as (
    select
        this_month.rank,
        this_month.owner_name,
        owned.count_points,
        this_month.count_points_ranked,
        this_month.count_failures,
        this_month.count_overdue,
        this_month.count_open,
        this_month.count_rebound,
        this_month.point_names,
        last_month.rank as rank_last_month,
        last_month.rank - this_month.rank as rank_change,
        last_month.rank is null as is_new,
    from ranked as this_month
    left join ranked as last_month
        on last_month.owner_name = this_month.owner_name and last_month.months_back = 1
    left join owned on owned.owner_name = this_month.owner_name
    where this_month.months_back = 0
)

select * from final
order by rank, owner_name

-- The weekly unit ranking (SPEC "Unit ranking") as of $as_of and each of the $weeks - 1 weeks
-- before it, for three pools: streets and townships, city departments, and districts (from the
-- scores of their streets and townships).
-- Grain: one row per (week, pool, unit) for every unit with a problem found by that week's date.
-- Params: $as_of DATE, $due_soon_days INTEGER, $weeks INTEGER (1 = this week only; the black-list
--   streak looks back at most this far), $rules STRUCT (Settings.ranking_rules: w_<component>
--   weights (w_assignment_rate may be absent: 0), min_sample, inspection_days, list_rule top_n|threshold, red_n, black_n,
--   red_closure_rate, black_closure_rate, townships_apart, place_pools)
-- Notes:
--   * Components come from problem_facts at each week's date, so they mean what the progress page
--     means. inspection_score is the mean score of the inspections of the unit's points (points
--     whose street, territorial unit, owner department or co-building unit names it) in the
--     inspection_days days up to the date.
--   * Units under min_sample are listed with their components but not scored or ranked, and are
--     on no list: they neither top the ranking nor set the min-max bounds of the others.
--   * Each component is min-max normalised over the scored units of its pool and week (all equal:
--     full marks). A component a unit lacks (no deadline passed, nothing closed, no inspected
--     point) is left out and its other weights are scaled up to 100. Ties share a rank (1, 2, 2, 4).
--   * Pool: units.unit_kind street/township -> street, department -> department; a unit missing
--     from the unit list goes by its name (…街道/…镇/…乡 -> street, else department). Districts
--     and communities are not ranked as units. A street's district is its parent unit, else the
--     district most of its problems found by $as_of name (the same in every week). A district
--     scores the mean of its scored streets.
--   * Lists: top_n puts the best red_n on the red list and the worst black_n on the black list,
--     each at most half the scored units of the pool (so 3 districts give one red and one black,
--     and a unit alone in its pool is on neither); threshold uses the closure rate (>= red_closure_rate red,
--     < black_closure_rate black). black_weeks is the streak of consecutive weeks on the black
--     list up to this week.
--   * townships_apart (null: false) ranks 乡镇 in a pool of their own ('township') apart from 街道.
--   * place_pools (null: false) adds the place pools of SPEC "Responsibility": 'area' (片区, by
--     area_facts; 未划片区 is not an area and is not ranked) and 'community' (named 街道·社区), each
--     over the problems found there, with the same formula; a place's points are the points there.
with
rules as (
    select $rules::STRUCT(
        w_closure_rate DOUBLE, w_on_time_rate DOUBLE, w_overdue_per_100 DOUBLE, w_rebound_rate DOUBLE,
        w_inspection_score DOUBLE, w_assignment_rate DOUBLE, min_sample INTEGER, inspection_days INTEGER,
        list_rule VARCHAR, red_n INTEGER, black_n INTEGER, red_closure_rate DOUBLE, black_closure_rate DOUBLE,
        townships_apart BOOLEAN, place_pools BOOLEAN
    ) as r
),

weeks as (
    select k::integer as weeks_back, ($as_of::date - 7 * k::integer)::date as week_as_of
    from range($weeks) as t(k)
),

-- Each problem once per week it was found by. Read once (problem_figures), so it streams.
facts as (
    select weeks.weeks_back, weeks.week_as_of, null::varchar as place_pool, f.*
    from weeks, lateral (select * from problem_core_facts(weeks.week_as_of, $due_soon_days)) as f
    where f.unit_name is not null
    union all by name
    select weeks.weeks_back, weeks.week_as_of, place.pool as place_pool, f.* exclude (unit_name, area),
        place.name as unit_name,
    from weeks, lateral (select * from area_facts(weeks.week_as_of, $due_soon_days)) as f,
        lateral (select 'area' as pool, f.area as name where f.area <> '未划片区'
                 union all
                 select 'community', f.street || '·' || f.community where f.community is not null) as place
    where (select coalesce(r.place_pools, false) from rules)
),

problem_figures as (
    select
        weeks_back, week_as_of, place_pool, unit_name,
        count(*) as count_found,
        count(*) filter (where is_closed) as count_closed,
        count(*) filter (where is_open) as count_open,
        count(*) filter (where is_overdue) as count_overdue,
        count(*) filter (where is_due) as count_due,
        count(*) filter (where is_due and is_closed_on_time) as count_closed_on_time,
        count(*) filter (where is_rebound) as count_rebound,
    from facts
    group by all
),

-- A unit's pool and district, from the unit list, else from its name and the district most of its
-- problems found by $as_of name (a street's district does not change from week to week).
unit_places as (
    select
        names.unit_name,
        coalesce(
            any_value(units.unit_kind),
            case when regexp_matches(names.unit_name, '街道$') then 'street'
                 when regexp_matches(names.unit_name, '(镇|乡)$') then 'township' else 'department' end
        ) as unit_kind,
        any_value(units.parent_unit) filter (where parent.unit_kind = 'district') as parent_district,
        any_value(names.usual_district) as usual_district,
    from (
        select unit_name, mode(district) as usual_district,
        from problem_core_facts($as_of, $due_soon_days)
        where unit_name is not null
        group by unit_name
    ) as names
    left join units using (unit_name)
    left join units as parent on parent.unit_name = units.parent_unit
    group by names.unit_name
),

unit_points as (
    select distinct null::varchar as place_pool, unit_places.unit_name, points.point_id
    from unit_places
    join points on unit_places.unit_name in (points.street, points.territorial_unit, points.owner_department,
                                             points.co_unit)
    union all
    select distinct 'area', area_lookup.area, points.point_id
    from points
    join area_lookup() as area_lookup
        on area_lookup.district is not distinct from points.district
        and area_lookup.street is not distinct from points.street
        and area_lookup.community is not distinct from points.community
    where area_lookup.area <> '未划片区' and (select coalesce(r.place_pools, false) from rules)
    union all
    select 'community', street || '·' || community, point_id
    from points
    where community is not null and (select coalesce(r.place_pools, false) from rules)
),

inspection_figures as (
    select weeks.weeks_back, unit_points.place_pool, unit_points.unit_name, avg(inspections.score) as inspection_score,
        count(*) as count_inspections,
    from weeks
    cross join rules
    join inspections
        on inspections.inspected_at::date between weeks.week_as_of - (rules.r.inspection_days - 1) and weeks.week_as_of
    join unit_points using (point_id)
    where inspections.score is not null
    group by all
),

-- 交办完成率 (SPEC "The meeting loop"): the unit's items of the meetings held by each week's date,
-- done by then / assigned. A component like the others; its weight is 0 unless the settings give one.
assignment_figures as (
    select weeks.weeks_back, items.unit_name,
        count(*) as count_assigned,
        count(*) filter (where items.is_done) as count_assigned_done,
    from weeks, lateral (select * from meeting_item_states(weeks.week_as_of)) as items
    group by all
),

components as (
    select
        problem_figures.*,
        case when problem_figures.place_pool is not null then problem_figures.place_pool
            else case unit_places.unit_kind
                when 'street' then 'street'
                when 'township' then case when (select coalesce(r.townships_apart, false) from rules)
                                          then 'township' else 'street' end
                when 'department' then 'department'
            end
        end as pool,
        case when problem_figures.place_pool is null and unit_places.unit_kind in ('street', 'township')
            then coalesce(unit_places.parent_district, unit_places.usual_district) end as district,
        count_closed / count_found as closure_rate,
        count_closed_on_time / nullif(count_due, 0) as on_time_rate,
        100.0 * count_overdue / count_found as overdue_per_100,
        count_rebound / nullif(count_closed, 0) as rebound_rate,
        inspection_figures.inspection_score,
        coalesce(inspection_figures.count_inspections, 0) as count_inspections,
        coalesce(assignment_figures.count_assigned, 0) as count_assigned,
        coalesce(assignment_figures.count_assigned_done, 0) as count_assigned_done,
        assignment_figures.count_assigned_done / nullif(assignment_figures.count_assigned, 0) as assignment_rate,
        count_found >= (select r.min_sample from rules) as is_sample_enough,
    from problem_figures
    left join unit_places on problem_figures.place_pool is null and unit_places.unit_name = problem_figures.unit_name
    left join inspection_figures
        on inspection_figures.weeks_back = problem_figures.weeks_back
        and inspection_figures.unit_name = problem_figures.unit_name
        and inspection_figures.place_pool is not distinct from problem_figures.place_pool
    left join assignment_figures
        on problem_figures.place_pool is null
        and assignment_figures.weeks_back = problem_figures.weeks_back
        and assignment_figures.unit_name = problem_figures.unit_name
),

bounds as (
    select
        weeks_back, pool,
        min(closure_rate) as lo_closure, max(closure_rate) as hi_closure,
        min(on_time_rate) as lo_on_time, max(on_time_rate) as hi_on_time,
        min(overdue_per_100) as lo_overdue, max(overdue_per_100) as hi_overdue,
        min(rebound_rate) as lo_rebound, max(rebound_rate) as hi_rebound,
        min(inspection_score) as lo_inspection, max(inspection_score) as hi_inspection,
        min(assignment_rate) as lo_assignment, max(assignment_rate) as hi_assignment,
    from components
    where pool is not null and is_sample_enough
    group by all
),

-- Each component on 0..1, 1 the best of the pool; null where the unit lacks it or is not scored.
normalised as (
    select
        components.*,
        case when is_sample_enough then
            coalesce((closure_rate - lo_closure) / nullif(hi_closure - lo_closure, 0), 1) end as n_closure_rate,
        case when is_sample_enough and on_time_rate is not null then
            coalesce((on_time_rate - lo_on_time) / nullif(hi_on_time - lo_on_time, 0), 1) end as n_on_time_rate,
        case when is_sample_enough then
            coalesce((hi_overdue - overdue_per_100) / nullif(hi_overdue - lo_overdue, 0), 1) end as n_overdue_per_100,
        case when is_sample_enough and rebound_rate is not null then
            coalesce((hi_rebound - rebound_rate) / nullif(hi_rebound - lo_rebound, 0), 1) end as n_rebound_rate,
        case when is_sample_enough and inspection_score is not null then
            coalesce((inspection_score - lo_inspection) / nullif(hi_inspection - lo_inspection, 0), 1)
        end as n_inspection_score,
        case when is_sample_enough and assignment_rate is not null then
            coalesce((assignment_rate - lo_assignment) / nullif(hi_assignment - lo_assignment, 0), 1)
        end as n_assignment_rate,
    from components
    left join bounds using (weeks_back, pool)  -- a pool with no unit over the sample has no bounds
),

weighted as (
    select
        normalised.*,
        (case when n_closure_rate is not null then rules.r.w_closure_rate else 0 end
            + case when n_on_time_rate is not null then rules.r.w_on_time_rate else 0 end
            + case when n_overdue_per_100 is not null then rules.r.w_overdue_per_100 else 0 end
            + case when n_rebound_rate is not null then rules.r.w_rebound_rate else 0 end
            + case when n_inspection_score is not null then rules.r.w_inspection_score else 0 end
            + case when n_assignment_rate is not null then coalesce(rules.r.w_assignment_rate, 0) else 0 end
        ) as weight_available,
    from normalised, rules
),

-- Points each component adds to the score out of 100 (the "why a unit moved" of the page).
scored as (
    select
        weighted.*,
        100 * n_closure_rate * rules.r.w_closure_rate / nullif(weight_available, 0) as pts_closure_rate,
        100 * n_on_time_rate * rules.r.w_on_time_rate / nullif(weight_available, 0) as pts_on_time_rate,
        100 * n_overdue_per_100 * rules.r.w_overdue_per_100 / nullif(weight_available, 0) as pts_overdue_per_100,
        100 * n_rebound_rate * rules.r.w_rebound_rate / nullif(weight_available, 0) as pts_rebound_rate,
        100 * n_inspection_score * rules.r.w_inspection_score / nullif(weight_available, 0) as pts_inspection_score,
        -- null while its weight is 0 (the default), so the page's "why" lists no component that is not in use
        100 * n_assignment_rate * nullif(coalesce(rules.r.w_assignment_rate, 0), 0) / nullif(weight_available, 0)
            as pts_assignment_rate,
    from weighted, rules
),

units_scored as (
    select
        * exclude (weight_available, n_closure_rate, n_on_time_rate, n_overdue_per_100,
                   n_rebound_rate, n_inspection_score, n_assignment_rate),
        case when is_sample_enough then
            coalesce(pts_closure_rate, 0) + coalesce(pts_on_time_rate, 0) + coalesce(pts_overdue_per_100, 0)
            + coalesce(pts_rebound_rate, 0) + coalesce(pts_inspection_score, 0) + coalesce(pts_assignment_rate, 0)
        end as score,
    from scored
),

districts_scored as (
    select
        weeks_back, any_value(week_as_of) as week_as_of, 'district' as pool, district as unit_name, district,
        sum(count_found)::bigint as count_found, sum(count_closed)::bigint as count_closed,
        sum(count_open)::bigint as count_open, sum(count_overdue)::bigint as count_overdue,
        sum(count_due)::bigint as count_due, sum(count_closed_on_time)::bigint as count_closed_on_time,
        sum(count_rebound)::bigint as count_rebound,
        sum(count_closed) / sum(count_found) as closure_rate,
        sum(count_closed_on_time) / nullif(sum(count_due), 0) as on_time_rate,
        100.0 * sum(count_overdue) / sum(count_found) as overdue_per_100,
        sum(count_rebound) / nullif(sum(count_closed), 0) as rebound_rate,
        avg(inspection_score) as inspection_score, sum(count_inspections)::bigint as count_inspections,
        sum(count_assigned)::bigint as count_assigned, sum(count_assigned_done)::bigint as count_assigned_done,
        sum(count_assigned_done) / nullif(sum(count_assigned), 0) as assignment_rate,
        count(score) > 0 as is_sample_enough,
        avg(score) as score,
    from units_scored
    where pool in ('street', 'township') and district is not null
    group by weeks_back, district
),

everyone as (
    select
        weeks_back, week_as_of, pool, unit_name, district, count_found, count_closed, count_open, count_overdue,
        count_due, count_closed_on_time, count_rebound, closure_rate, on_time_rate, overdue_per_100, rebound_rate,
        inspection_score, count_inspections, is_sample_enough, pts_closure_rate, pts_on_time_rate,
        pts_overdue_per_100, pts_rebound_rate, pts_inspection_score, score,
        count_assigned, count_assigned_done, assignment_rate, pts_assignment_rate,
    from units_scored
    where pool is not null
    union all by name
    select * from districts_scored
),

ranked as (
    select
        everyone.*,
        case when score is not null then
            rank() over (partition by weeks_back, pool order by round(score, 9) desc nulls last) end as rank,
        case when score is not null then
            rank() over (partition by weeks_back, pool order by round(score, 9) asc nulls last) end as rank_from_bottom,
        count(score) over (partition by weeks_back, pool) as count_scored,
    from everyone
),

listed as (
    select
        ranked.*,
        score is not null and case rules.r.list_rule
            when 'top_n' then rank <= least(rules.r.red_n, count_scored // 2)
            else closure_rate >= rules.r.red_closure_rate
        end as is_red,
    from ranked, rules
),

listed_both as (
    select
        listed.*,
        score is not null and not is_red and case rules.r.list_rule
            when 'top_n' then rank_from_bottom <= least(rules.r.black_n, count_scored // 2)
            else closure_rate < rules.r.black_closure_rate
        end as is_black,
    from listed, rules
),

final as (
    select
        this_week.* exclude (rank_from_bottom, count_scored),
        last_week.rank as rank_last_week,
        last_week.rank - this_week.rank as rank_change,
        (
            select min(k) from range($weeks + 1) as t(k)
            where not exists (
                select 1 from listed_both as earlier
                where earlier.pool = this_week.pool and earlier.unit_name = this_week.unit_name
                    and earlier.weeks_back = this_week.weeks_back + k and earlier.is_black
            )
        ) as black_weeks,
    from listed_both as this_week
    left join listed_both as last_week
        on last_week.pool = this_week.pool and last_week.unit_name = this_week.unit_name
        and last_week.weeks_back = this_week.weeks_back + 1
)

select * from final
order by weeks_back, pool, rank nulls last, unit_name
